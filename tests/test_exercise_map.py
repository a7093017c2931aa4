"""`exercises map NAME --as KEY` / `exercises unmap NAME`: the athlete's own meaning of a logged
name, stored per athlete and used at once by `why` and `plan` (docs/interface.md), end to end
through the CLI on a real SQLite file (and PostgreSQL where the server is available).

The workouts are written here: four weeks of bench press plus a pull under a name no catalog
knows ("Zottelzug Spezial"), so pulling is invisible until the athlete says what it is.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from backcheck.catalog import load_catalog
from backcheck.cli import main
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.exercise_map import load_map

PULL = "Zottelzug Spezial"
AS_OF = "2026-11-29"
HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def strong_export(path: Path) -> Path:
    """Twelve sessions over four weeks: 4 bench sets and 4 sets of the unknown pull each."""
    lines = [HEADER]
    day = date.fromisoformat(AS_OF) - timedelta(days=27)
    for n in range(12):
        when = (day + timedelta(days=n * 2 + n // 3)).isoformat() + " 18:00:00"
        for i in range(1, 5):
            lines.append(f"{when},Upper,1h,Bench Press (Barbell),{i},80,8,0,0,,,")
        for i in range(1, 5):
            lines.append(f"{when},Upper,1h,{PULL},{i},60,10,0,0,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def db(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, _, err = run(capsys, "--db", db_url, "import", str(strong_export(tmp_path / "s.csv")))
    assert code == 0, err
    return db_url


def push_pull_sets(capsys: pytest.CaptureFixture[str], db: str) -> float | None:
    code, out, err = run(capsys, "--db", db, "why", "--json", "--as-of", AS_OF)
    assert code in (0, 1), err
    imbalance = next(c for c in json.loads(out)["causes"] if c["cause"] == "imbalance")
    found = [e for e in imbalance["evidence"] if e["metric"] == "push_pull_ratio_sets"]
    assert found
    return found[0]["value"]


def usage(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> dict[str, dict]:
    code, out, err = run(capsys, "--db", db, "exercises", "--json", *extra)
    assert code == 0, err
    return {r["exercise"]: r for r in json.loads(out)}


def test_map_changes_why_at_once_and_unmap_undoes_it(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert usage(capsys, db)[PULL] == {
        "exercise": PULL,
        "key": None,
        "pattern": None,
        "sets": 48,
        "mapped_by": None,
    }
    assert push_pull_sets(capsys, db) is None  # pushing, no pulling seen: "no pulling"
    code, out, err = run(capsys, "--db", db, "exercises", "map", PULL, "--as", "seated-row-cable")
    assert code == 0, err
    assert "seated-row-cable" in out and "48" in out
    row = usage(capsys, db)[PULL]
    assert (row["key"], row["pattern"], row["mapped_by"]) == (
        "seated-row-cable",
        "horizontal-pull",
        "you",
    )
    assert PULL not in usage(capsys, db, "--unmapped")
    assert push_pull_sets(capsys, db) == pytest.approx(1.0)  # 4 bench : 4 rows a session
    # Another meaning replaces the first (a vertical pull is not horizontal pulling).
    assert run(capsys, "--db", db, "exercises", "map", PULL, "--as", "lat-pulldown-cable")[0] == 0
    assert usage(capsys, db)[PULL]["pattern"] == "vertical-pull"
    assert push_pull_sets(capsys, db) is None
    code, _, err = run(capsys, "--db", db, "exercises", "unmap", PULL)
    assert code == 0, err
    assert usage(capsys, db)[PULL]["key"] is None
    assert push_pull_sets(capsys, db) is None


def test_plan_uses_the_map_at_once(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    def planned() -> dict[str, dict]:
        code, out, err = run(capsys, "--db", db, "plan", "--json", "--weeks", "1")
        assert code in (0, 1), err
        doc = json.loads(out)
        return {e["name"]: e for w in doc["weeks"] for s in w["sessions"] for e in s["exercises"]}

    before = planned()
    assert PULL not in before  # not understood: the plan cannot build on it
    # No pulling seen: the plan adds a row of its own (no load known) and face pulls.
    assert before["Seated Row (Cable)"]["load_kg"] is None
    assert "Face Pull (Cable)" in before
    assert run(capsys, "--db", db, "exercises", "map", PULL, "--as", "seated-row-cable")[0] == 0
    after = planned()
    row = after["Seated Row (Cable)"]  # the athlete's own row, under the catalog's name
    assert row["pattern"] == "horizontal-pull"
    assert row["load_kg"] is not None and 0 < row["load_kg"] <= 60  # from their 60 kg sets
    assert "Face Pull (Cable)" not in after  # pushing and pulling are balanced now


def test_unknown_key_exits_2_with_the_list_hint(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", db, "exercises", "map", PULL, "--as", "seated-row-cabel")
    assert code == 2
    assert "seated-row-cable" in err and "exercises --catalog" in err
    assert usage(capsys, db)[PULL]["key"] is None  # nothing stored


def test_unmap_of_a_name_never_mapped_exits_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db, "exercises", "unmap", "Bench Press (Barbell)")
    assert code == 2 and "Bench Press (Barbell)" in err


def test_map_is_per_athlete_and_matches_the_normal_form(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Mapped in another spelling (case, spaces): the same name for the catalog normaliser.
    other = "  zottelzug   SPEZIAL "
    assert run(capsys, "--db", db, "exercises", "map", other, "--as", "t-bar-row")[0] == 0
    assert usage(capsys, db)[PULL]["key"] == "t-bar-row"
    code, _, _ = run(
        capsys, "--db", db, "--athlete", "ann", "exercises", "map", PULL, "--as", "pull-up"
    )
    assert code == 0
    store = open_store(db)
    try:
        with store.transaction() as conn:
            assert load_map(conn, athlete_id(conn, "me")) == {"zottelzug   SPEZIAL": "t-bar-row"}
            assert load_map(conn, athlete_id(conn, "ann")) == {PULL: "pull-up"}
    finally:
        store.close()
    assert usage(capsys, db)[PULL]["key"] == "t-bar-row"  # ann's meaning is hers alone


def test_catalog_lists_every_key_with_its_pattern(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercises", "--catalog", "--json")
    assert code == 0
    rows = json.loads(out)
    catalog = load_catalog()
    assert [r["key"] for r in rows] == list(catalog.keys)
    assert all(r["pattern"] == catalog.get(r["key"]).pattern for r in rows)


@pytest.mark.parametrize("command", [["exercises", "map"], ["exercises", "unmap"]])
def test_map_commands_have_help_and_are_in_the_readme(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "NAME" in out
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert f"backcheck {' '.join(command)} NAME" in readme
