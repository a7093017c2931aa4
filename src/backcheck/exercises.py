"""The athlete's own meaning of logged exercise names: the core calls behind `backcheck
exercises map NAME --as KEY` / `exercises unmap NAME`, the web page's one-click choice and
`/api/athletes/{athlete}/exercise-map`.

A mapping is stored per athlete (store.exercise_map) and applied in one place,
Catalog.map_names(own=...): by `why` and `plan` (why.prepare_data), and by the listing of
logged names (queries.exercise_usage). It wins over the catalog for the name as logged and
for every name with the same normal form.
"""

from __future__ import annotations

import difflib
from typing import Any

from backcheck.errors import NotFoundError, UsageError
from backcheck.store import Store

MAX_NAME = 200
#: How many catalog keys `suggestions` offers for a name.
SUGGESTIONS = 8


def catalog_listing() -> list[dict[str, Any]]:
    """Every catalog key with its display name and movement pattern, in catalog order."""
    from backcheck.catalog import load_catalog

    return [{"key": e.key, "name": e.name, "pattern": e.pattern} for e in load_catalog()]


def check_key(key: str) -> str:
    """`key` when the catalog holds it, else UsageError naming KEY, the closest keys and
    where the list is."""
    from backcheck.catalog import load_catalog

    catalog = load_catalog()
    clean = key.strip()
    if clean in catalog:
        return clean
    close = difflib.get_close_matches(clean.lower(), catalog.keys, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UsageError(
        "KEY",
        f"{key!r} is not a catalog key{hint}; `backcheck exercises --catalog` lists every key",
    )


def check_exercise_name(name: str) -> str:
    """A logged exercise name as stored: trimmed, 1-200 printable characters."""
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME or not clean.isprintable():
        raise UsageError("NAME", f"an exercise name is 1-{MAX_NAME} printable characters")
    return clean


def suggestions(name: str) -> list[str]:
    """Catalog keys a logged name may mean, likeliest first: the catalog's own reading, then
    the keys whose names and aliases read most like it (for the web's one-click choice)."""
    from backcheck.catalog import load_catalog, normalize

    catalog = load_catalog()
    labels: dict[str, str] = {}
    for ex in catalog:
        for label in (ex.name, *ex.aliases):
            labels.setdefault(normalize(label), ex.key)
    found = [k for k in (catalog.key_of(name),) if k]
    for form in difflib.get_close_matches(normalize(name), labels, n=4 * SUGGESTIONS, cutoff=0.4):
        found.append(labels[form])
    return list(dict.fromkeys(found))[:SUGGESTIONS]


def map_exercise(store: Store, *, athlete: str, name: str, key: str) -> dict[str, Any]:
    """Store that logged name `name` means catalog key `key` for `athlete` (replacing an
    earlier meaning); `why` and `plan` use it from their next run. Returns the name, key,
    pattern and how many stored sets carry that name (or its normal form).
    UsageError for an unknown key or an unusable name."""
    from backcheck.catalog import load_catalog
    from backcheck.store.athletes import athlete_id
    from backcheck.store.exercise_map import set_mapping

    key = check_key(key)
    name = check_exercise_name(name)
    with store.transaction() as conn:
        who = athlete_id(conn, athlete, create=True)
        set_mapping(conn, who, name=name, key=key)
    return {
        "exercise": name,
        "key": key,
        "pattern": load_catalog().get(key).pattern,
        "sets": _sets_named(store, athlete=athlete, name=name),
    }


def unmap_exercise(store: Store, *, athlete: str, name: str) -> None:
    """Forget `athlete`'s own meaning of `name`, or of the names they mapped that have its
    normal form (the catalog's reading applies again); NotFoundError when there is none."""
    from backcheck.catalog import normalize
    from backcheck.store.athletes import athlete_id
    from backcheck.store.exercise_map import load_map, remove_mapping

    name = check_exercise_name(name)
    with store.transaction() as conn:
        who = athlete_id(conn, athlete)
        form = normalize(name)
        same = [n for n in load_map(conn, who) if n == name or normalize(n) == form]
        if not [n for n in same if remove_mapping(conn, who, name=n)]:
            raise NotFoundError(
                f"{name!r} has no meaning of yours to remove "
                "(`backcheck exercises --json` shows which names you mapped)"
            )


def own_map(store: Store, *, athlete: str) -> list[dict[str, Any]]:
    """`athlete`'s own meanings: name, key, pattern, in name order."""
    from backcheck.catalog import load_catalog
    from backcheck.store.athletes import athlete_id
    from backcheck.store.exercise_map import load_map

    catalog = load_catalog()
    with store.transaction() as conn:
        mapping = load_map(conn, athlete_id(conn, athlete))
    return [
        {"exercise": n, "key": k, "pattern": catalog.get(k).pattern if k in catalog else None}
        for n, k in mapping.items()
    ]


def _sets_named(store: Store, *, athlete: str, name: str) -> int:
    """Stored sets of `athlete` logged as `name` or a name of the same normal form."""
    from backcheck.catalog import normalize
    from backcheck.queries import exercise_usage

    form = normalize(name)
    rows = exercise_usage(store, athlete=athlete)
    return sum(r["sets"] for r in rows if r["exercise"] == name or normalize(r["exercise"]) == form)
