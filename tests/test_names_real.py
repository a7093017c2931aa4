"""Every exercise name people log must be understood, and understood right (issue 11, point 4).

- Per real export of tests/data/index.json (held-out files included: they are checked, never
  tuned on): at most 2% of the sets carry a name the catalog does not understand. The sets are
  read with backcheck's own importer, as `backcheck import` stores them.
- tests/data/names_labelled.csv: the common real names with the key and movement pattern
  written by hand; >= 98% of them must reach that pattern (and that key, where one is given),
  and every name must really occur in the export it names.
- Isolation moves (pushdowns, curls, flyes, raises, extensions, kickbacks) are never pulls or
  presses: over every name and alias of the catalog and every labelled name.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcheck.catalog import load_catalog
from backcheck.catalog.names import parse
from backcheck.ingest import read_export

DATA = Path(__file__).parent / "data"
_INDEX_DOC = json.loads((DATA / "index.json").read_text(encoding="utf-8"))
#: Every real export the index lists, whatever its layout.
INDEX = [*_INDEX_DOC["exports"], *_INDEX_DOC.get("exports_other_layouts", [])]
MAX_UNMAPPED_SHARE = 0.02
MIN_RIGHT_SHARE = 0.98
PUSH_PULL = frozenset({"horizontal-push", "vertical-push", "horizontal-pull", "vertical-pull"})
#: Movement words (after names.parse) that make a name an isolation move.
ISOLATION_WORDS = frozenset(
    {
        "pushdown",
        "curl",
        "fly",
        "raise",
        "extension",
        "kickback",
        "crossover",
        "butterfly",
    }
)
#: Isolation words that head another movement: a leg raise is core, a back extension a hinge.
ISOLATION_EXCEPTIONS = frozenset({"leg", "knee", "back", "hip", "glute", "hyperextension"})


def labelled() -> list[dict[str, str]]:
    with (DATA / "names_labelled.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def logged_sets(path: str) -> dict[str, int]:
    """Sets per exercise name of one export, read with backcheck's importer."""
    entry = next(e for e in INDEX if e["path"] == path)
    parsed = read_export(DATA / path, fmt=entry["format"], unit=None, tz=ZoneInfo("UTC"))
    counts = parsed.sets.group_by("exercise").len("n")
    return dict(zip(counts["exercise"].to_list(), counts["n"].to_list(), strict=True))


#: Held-out exports that missed the 2% when they were first checked, with what was measured.
#: Recorded, not tuned on (no alias or rule was added for their names): a general change that
#: brings one under 2% turns its strict xfail into a failure, and then it leaves this list.
#: History: at its first check (2026-12-04) logs/fitnotes/lukaszebedin_fitnotes_kgs.csv had 5.6%
#: of sets not understood ("Single Arm Tricep Rope", "Seated Triceps": a muscle, no movement
#: word); the general step 5 of catalog.partial (a muscle alone is its usual single-joint
#: exercise) brought it under 2%. That file is therefore no longer a blind check.
HELDOUT_MISSES: dict[str, str] = {}


def _export_params() -> list[object]:
    return [
        pytest.param(
            e,
            id=Path(e["path"]).name,
            marks=pytest.mark.xfail(strict=True, reason=HELDOUT_MISSES[e["path"]])
            if e["path"] in HELDOUT_MISSES
            else (),
        )
        for e in INDEX
    ]


@pytest.mark.parametrize("entry", _export_params())
def test_at_most_2_percent_of_sets_carry_a_name_not_understood(entry: dict) -> None:
    sets = logged_sets(entry["path"])
    mapping = load_catalog().map_names(sets)
    unknown = {name: n for name, n in sets.items() if mapping[name] is None}
    share = sum(unknown.values()) / sum(sets.values())
    assert share <= MAX_UNMAPPED_SHARE, sorted(unknown.items(), key=lambda kv: -kv[1])


def test_labelled_names_are_real_and_cover_the_common_names() -> None:
    rows = labelled()
    assert len(rows) >= 150
    by_file: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["source"] == "issue-11":
            continue
        sets = by_file.setdefault(row["source"], logged_sets(row["source"]))
        assert row["name"] in sets, row  # a name really logged in that export
    names = {r["name"] for r in rows}
    assert len(names) == len(rows)  # each name labelled once
    catalog = load_catalog()
    for row in rows:
        assert row["key"] == "" or row["key"] in catalog, row
        assert row["key"] == "" or catalog.get(row["key"]).pattern == row["pattern"], row


def test_98_percent_of_labelled_names_reach_the_right_pattern_and_key() -> None:
    catalog = load_catalog()
    rows = labelled()
    wrong = []
    for row in rows:
        found = catalog.lookup(row["name"])
        pattern = found.pattern if found else None
        key_ok = row["key"] == "" or (found is not None and found.key == row["key"])
        if pattern != row["pattern"] or not key_ok:
            wrong.append((row["name"], row["key"] or row["pattern"], found.key if found else None))
    assert 1 - len(wrong) / len(rows) >= MIN_RIGHT_SHARE, wrong


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("Lat Pulldown (Custom)", "vertical-pull"),
        ("Seated Row (Custom)", "horizontal-pull"),
        ("Straight Arm Lat Pulldown (Cable)", "vertical-pull"),
        ("Butterfly (Pec Deck)", "isolation"),
        ("Selector Chest Supported Row Machine", "horizontal-pull"),
        ("Tricep Cable Pull Down", "isolation"),  # read as a lat pulldown before issue 11
        ("Tricep Rope Pull Downs", "isolation"),
        ("Tricept Extentions", "isolation"),  # typos
        ("Lat Pulldwon", "vertical-pull"),
        ("Latzug (Kabel)", "vertical-pull"),  # German (Strong's translated names)
        ("Bankdrücken (Langhantel)", "horizontal-push"),
        ("Kreuzheben (Langhantel)", "hinge"),
        ("Rudern sitzend (Kabel)", "horizontal-pull"),
        ("Beinbeuger liegend (Maschine)", "isolation"),  # no "Fliegende" (fly) by typo
        ("Trizepsdrücken über Kopf (Kabel)", "isolation"),
        ("Bulgarische Kniebeuge", "lunge"),
    ],
)
def test_reported_and_spelled_variants(name: str, pattern: str) -> None:
    found = load_catalog().lookup(name)
    assert found is not None and found.pattern == pattern, (name, found)


def _isolation_named(name: str) -> bool:
    movement = set(parse(name)[0])
    return bool(movement & ISOLATION_WORDS) and not movement & ISOLATION_EXCEPTIONS


def test_isolation_moves_are_never_pulls_or_presses() -> None:
    catalog = load_catalog()
    checked = 0
    for ex in catalog:
        for label in (ex.name, *ex.aliases):
            if _isolation_named(label):
                checked += 1
                assert ex.pattern not in PUSH_PULL, (label, ex.key, ex.pattern)
    for row in labelled():
        if _isolation_named(row["name"]):
            checked += 1
            assert row["pattern"] not in PUSH_PULL, row  # the labels follow the rule too
            found = catalog.lookup(row["name"])
            assert found is None or found.pattern not in PUSH_PULL, (row["name"], found)
    assert checked > 100


def test_an_unknown_word_before_a_catalog_name_keeps_its_meaning() -> None:
    # A gym's brand or a nickname the catalog never uses ("Zorbly Lat Pulldown (Cable)").
    catalog = load_catalog()
    for ex in catalog:
        assert catalog.key_of(f"Zorbly {ex.name}") == ex.key, ex.name
