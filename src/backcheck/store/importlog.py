"""The import log: each imported file, the sets it held, re-reading it in another unit, undo.

An import is one file imported for one athlete. It is linked to every set it held by the
set's content key (`import_sets`), whether that import stored the set or found it already
there. So a set belongs to every import that held it, and deleting an import deletes only
the sets no other import holds (and the sessions left empty): deleting January's export keeps
the sets June's fuller export also holds. Sets stored before migration 3 were linked to the
imports of the file they came from (by file name); sets no import holds (written by `demo`
or `batch`, say) go only with their athlete.

The same file (same content hash) imported again for the same athlete is the same import:
its record is updated, never doubled. Imported again with another `--unit`, its sets are
re-read in place (weights and keys updated, `reread_weights`), never stored a second time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from backcheck.errors import NotFoundError
from backcheck.keys import set_keys
from backcheck.store.athletes import bump_revision
from backcheck.store.cache import drop_after_commit
from backcheck.store.schema import import_sets, imports, sessions, sets
from backcheck.store.upsert import bulk_insert_ignore

CHUNK = 20_000


def find_import(conn: Connection, athlete: int, *, content_hash: str) -> int | None:
    """The newest import of athlete id `athlete` of a file with this content hash, or None."""
    found = conn.execute(
        select(func.max(imports.c.id)).where(
            imports.c.athlete_id == athlete, imports.c.content_hash == content_hash
        )
    ).scalar()
    return None if found is None else int(found)


def record_import(
    conn: Connection,
    athlete: int,
    *,
    file_name: str,
    path: str,
    fmt: str,
    unit: str | None,
    content_hash: str | None,
    rows: int,
    sets: int,
    new_sets: int,
    skipped: list[dict[str, Any]],
    keys: pl.Series,
) -> int:
    """Log one imported file (what was read, kept, new and skipped) and link it to the sets
    it held (`keys`: their content keys); returns the import's id. An earlier import of the
    same content (`content_hash`; None: not a regular file, never the same) by the same
    athlete is updated in place (its id, time and new-set count
    kept; its links replaced), so importing a file again never lists it twice."""
    values = {
        "file_name": file_name,
        "path": path,
        "format": fmt,
        "unit": unit,
        "content_hash": content_hash,
        "rows": rows,
        "sets": sets,
        "skipped_json": json.dumps(skipped),
    }
    same = None if content_hash is None else find_import(conn, athlete, content_hash=content_hash)
    if same is not None:
        conn.execute(update(imports).where(imports.c.id == same).values(**values))
        conn.execute(delete(import_sets).where(import_sets.c.import_id == same))
        import_id = same
    else:
        import_id = int(
            conn.execute(
                imports.insert().values(
                    athlete_id=athlete, imported_at=datetime.now(UTC), new_sets=new_sets, **values
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
    links = [(import_id, athlete, int(k)) for k in keys.unique().to_list()]
    for start in range(0, len(links), CHUNK):
        bulk_insert_ignore(
            conn,
            import_sets,
            ("import_id", "athlete_id", "key"),
            links[start : start + CHUNK],
            unique=["import_id", "key"],
        )
    return import_id


def reread_weights(conn: Connection, athlete: int, frame: pl.DataFrame, *, factor: float) -> int:
    """Re-read in place the stored sets of athlete id `athlete` that are `frame`'s sets read
    in the other weight unit; returns how many were re-read.

    `frame`: canonical sets as read now; `factor`: what turns a weight as read now into the
    weight the other reading stored (1 / 0.45359237 when now read as lb after kg, 0.45359237
    when now read as kg after lb). A stored set whose key is that of the other reading, where
    the key of this reading is not stored yet, gets this reading's weight and key; its
    import links follow. Other columns (session, exercise, reps...) are the same by the key.
    """
    if frame.height == 0:
        return 0
    now_keys = set_keys(frame)
    then = frame.with_columns(pl.col("weight_kg") * factor)
    pairs = pl.DataFrame(
        {"old": set_keys(then), "new": now_keys, "weight_kg": frame["weight_kg"]}
    ).filter(pl.col("old") != pl.col("new"))
    if pairs.height == 0:
        return 0
    stored = pl.DataFrame(
        {
            "key": conn.execute(select(sets.c.key).where(sets.c.athlete_id == athlete))
            .scalars()
            .all()
        },
        schema={"key": pl.Int64},
    )
    pairs = (
        pairs.join(stored, left_on="old", right_on="key", how="semi")
        .join(stored, left_on="new", right_on="key", how="anti")
        .unique(subset="old", keep="first", maintain_order=True)
    )
    if pairs.height == 0:
        return 0
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    rows = [(new, w, athlete, old) for old, new, w in pairs.iter_rows()]
    conn.exec_driver_sql(
        f"UPDATE sets SET key = {mark}, weight_kg = {mark} WHERE athlete_id = {mark} AND key = {mark}",
        rows,
    )
    conn.exec_driver_sql(
        f"UPDATE import_sets SET key = {mark} WHERE athlete_id = {mark} AND key = {mark}",
        [(r[0], r[2], r[3]) for r in rows],
    )
    bump_revision(conn, athlete, sets=True)
    return pairs.height


def list_imports(conn: Connection, athlete: int) -> list[dict[str, Any]]:
    """Athlete id `athlete`'s imports, oldest first: id, path, file_name, format, unit,
    imported_at, and the sessions and sets of theirs stored now."""
    held = (
        select(
            import_sets.c.import_id,
            func.count(sets.c.id).label("sets"),
            func.count(sets.c.session_id.distinct()).label("sessions"),
        )
        .join(
            sets,
            (sets.c.athlete_id == import_sets.c.athlete_id) & (sets.c.key == import_sets.c.key),
        )
        .where(import_sets.c.athlete_id == athlete)
        .group_by(import_sets.c.import_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            imports.c.id,
            imports.c.path,
            imports.c.file_name,
            imports.c.format,
            imports.c.unit,
            func.coalesce(held.c.sessions, 0).label("sessions"),
            func.coalesce(held.c.sets, 0).label("sets"),
            imports.c.imported_at,
        )
        .outerjoin(held, held.c.import_id == imports.c.id)
        .where(imports.c.athlete_id == athlete)
        .order_by(imports.c.id)
    ).mappings()
    return [{**r, "path": r["path"] or r["file_name"]} for r in rows]


def delete_import(conn: Connection, athlete: int, import_id: int) -> dict[str, int]:
    """Undo import `import_id` of athlete id `athlete` (NotFoundError when they have none):
    its sets that no other import holds, then the sessions left without sets, then the
    import; their snapshot files are dropped once committed. Returns the counts deleted:
    sets, sessions."""
    found = conn.execute(
        select(imports.c.id).where(imports.c.id == import_id, imports.c.athlete_id == athlete)
    ).first()
    if found is None:
        raise NotFoundError(f"no import {import_id} (`backcheck imports` lists them)")
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    gone_sets = conn.exec_driver_sql(
        f"DELETE FROM sets WHERE athlete_id = {mark} AND key IN "
        f"(SELECT key FROM import_sets WHERE import_id = {mark}) AND NOT EXISTS "
        f"(SELECT 1 FROM import_sets AS o WHERE o.athlete_id = sets.athlete_id "
        f"AND o.key = sets.key AND o.import_id <> {mark})",
        (athlete, import_id, import_id),
    ).rowcount
    gone_sessions = conn.execute(
        delete(sessions).where(
            sessions.c.athlete_id == athlete,
            ~select(sets.c.id).where(sets.c.session_id == sessions.c.id).exists(),
        )
    ).rowcount
    conn.execute(delete(import_sets).where(import_sets.c.import_id == import_id))
    conn.execute(delete(imports).where(imports.c.id == import_id))
    bump_revision(conn, athlete, sets=True)
    drop_after_commit(conn, athlete)
    return {"sets": int(gone_sets), "sessions": int(gone_sessions)}
