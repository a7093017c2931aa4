"""Read snapshots beside an SQLite store: the same inputs the store holds, never a stale one,
and `backcheck why` answered from them without importing SQLAlchemy or rich."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from sqlalchemy.engine import Connection

from backcheck.cli import main
from backcheck.errors import InputError
from backcheck.imports import import_files
from backcheck.model import conform_sets
from backcheck.store import open_store, snapshot, stamp
from backcheck.store.athletes import athlete_id
from backcheck.store.cache import drop_cache, locate
from backcheck.store.diary import PAIN_SCHEMA, add_pain, add_recovery, save_triage, save_video
from backcheck.store.inputs import load_inputs
from backcheck.store.snapshot import read_snapshot, sqlite_database
from backcheck.store.stored import StoredInputs
from backcheck.store.workouts import add_sets, load_sets, read_sets
from backcheck.why import why, why_at
from testdata import DATA, export_index

T0 = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
AS_OF = date(2026, 3, 20)


def some_sets(first_day: int, days: int) -> pl.DataFrame:
    rows = [
        {
            "session_start": T0 + timedelta(days=d),
            "exercise": name,
            "set_index": i,
            "set_type": "working",
            "weight_kg": 60.0 + d,
            "reps": 8,
            "duration_s": 3000.0,
            "source_file": "x.csv",
            "source_line": 2 + 10 * d + i,
        }
        for d in range(first_day, first_day + days)
        for name in ("Bench Press (Barbell)", "Bent Over Row (Barbell)")
        for i in (1, 2, 3)
    ]
    frame = conform_sets(pl.DataFrame(rows))
    return frame.with_columns(pl.lit(None, pl.String).alias("exercise_key"))


def pain_rows(*levels: int, day: int = 1) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "at": [T0 + timedelta(days=day + i, hours=3) for i in range(len(levels))],
            "level": list(levels),
            "region": ["mid-back"] * len(levels),
            "note": [None] * len(levels),
        },
        schema=PAIN_SCHEMA,
    )


def write(url: str, change: Callable[[Connection, int], object], athlete: str = "me") -> None:
    store = open_store(url)
    with store.transaction() as conn:
        change(conn, athlete_id(conn, athlete, create=True))
    store.close()


def read_through_store(url: str, athlete: str = "me") -> StoredInputs:
    store = open_store(url)
    with store.transaction() as conn:
        inputs = load_inputs(conn, athlete)
    store.close()
    return inputs


@pytest.fixture
def url(tmp_path: Path) -> str:
    """An SQLite store whose athlete has sets, pain, recovery, answers and a form check."""
    db = f"sqlite:///{tmp_path / 'snap.db'}"

    def fill(conn: Connection, who: int) -> None:
        add_sets(conn, who, some_sets(0, 12), source_format="strong")
        add_pain(conn, who, pain_rows(0, 4, 2))
        sleep = pl.DataFrame({"day": [date(2026, 3, 3)], "kind": ["sleep"], "value": [6.0]})
        add_recovery(conn, who, sleep, source="csv")
        save_triage(conn, who, {"chest_pain": False}, at=T0)
        save_video(
            conn,
            who,
            recorded_on=date(2026, 3, 4),
            exercise="row",
            source_name="row.mp4",
            result={"reps": [{"n": 1, "faults": ["rounded_back"]}], "fps": 30.0},
        )

    write(db, fill)
    return db


def same(a: StoredInputs, b: StoredInputs) -> None:
    assert a.sets.equals(b.sets) and a.sets.schema == b.sets.schema
    assert a.pain.equals(b.pain) and a.pain.schema == b.pain.schema
    assert a.recovery.equals(b.recovery) and a.recovery.schema == b.recovery.schema
    assert a.videos == b.videos and a.triage == b.triage


def test_snapshot_holds_what_the_store_holds(url: str) -> None:
    assert read_snapshot(url, "me") is None  # nothing read yet, so no snapshot
    stored = read_through_store(url)
    assert stored.sets.height == 72 and stored.pain.height == 3 and stored.triage is not None
    found = read_snapshot(url, "me")
    assert found is not None
    same(found, stored)
    assert isinstance(found.videos[0]["recorded_on"], date)
    assert found.triage is not None and found.triage[0] == T0  # an aware UTC datetime
    # The report from the snapshot is the report from the store.
    store = open_store(url)
    direct = why(store, athlete="me", tz="Europe/Berlin", as_of=AS_OF).to_json()
    store.close()
    assert why_at(url, athlete="me", tz="Europe/Berlin", as_of=AS_OF).to_json() == direct
    # So is the plan (the CLI's `plan` reads the snapshot as well).
    from backcheck.plan import make_plan

    store = open_store(url)
    planned = make_plan(store, athlete="me", tz="Europe/Berlin", as_of=AS_OF).to_json()
    store.close()
    assert make_plan(url, athlete="me", tz="Europe/Berlin", as_of=AS_OF).to_json() == planned


@pytest.mark.parametrize("table", ["sets", "pain", "recovery", "triage", "videos"])
def test_every_new_row_refreshes_the_snapshot_or_stales_it(url: str, table: str) -> None:
    read_through_store(url)
    folder = snapshot.folder_of(Path(url.removeprefix("sqlite:///")))
    sets_files = sorted(p.name for p in folder.glob("sets-*"))
    changes: dict[str, Callable[[Connection, int], object]] = {
        "sets": lambda conn, who: add_sets(conn, who, some_sets(12, 1), source_format="strong"),
        "pain": lambda conn, who: add_pain(conn, who, pain_rows(7, day=9)),
        "recovery": lambda conn, who: add_recovery(
            conn,
            who,
            pl.DataFrame({"day": [date(2026, 3, 9)], "kind": ["yoga"], "value": [30.0]}),
            source="csv",
        ),
        "triage": lambda conn, who: save_triage(conn, who, {"chest_pain": True}),
        "videos": lambda conn, who: save_video(
            conn, who, recorded_on=date(2026, 3, 9), exercise="row", source_name="b.mp4", result={}
        ),
    }
    write(url, changes[table])
    found = read_snapshot(url, "me")
    if table == "sets":  # add_sets alone (not an import) leaves the snapshot stale
        assert found is None  # stale: never served
        read_through_store(url)  # writes the new snapshot
        found = read_snapshot(url, "me")
    # A diary entry, answers or a form check refresh the snapshot once committed.
    assert found is not None
    fresh = read_through_store(url)
    same(found, fresh)
    sizes = {
        "sets": fresh.sets.height == 78,
        "pain": fresh.pain.height == 4,
        "recovery": fresh.recovery.height == 2,
        "triage": fresh.triage is not None and fresh.triage[1] == {"chest_pain": True},
        "videos": len(fresh.videos) == 2,
    }
    assert sizes[table]
    # A diary entry keeps the (big) sets file; new sets replace it.
    now = sorted(p.name for p in folder.glob("sets-*"))
    assert len(now) == 1 and (now != sets_files) == (table == "sets")


def test_snapshots_are_per_athlete_and_version(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    read_through_store(url)
    write(url, lambda conn, who: add_pain(conn, who, pain_rows(5)), athlete="other")
    assert read_snapshot(url, "me") is not None  # another athlete's entry changes nothing
    assert read_snapshot(url, "nobody") is None
    monkeypatch.setattr(stamp, "__version__", "0.0.0-another")
    assert read_snapshot(url, "me") is None  # files of another backcheck are never read


def test_deleting_the_athlete_deletes_the_files(url: str) -> None:
    read_through_store(url)
    store = open_store(url)
    with store.transaction() as conn:
        drop_cache(conn, "me")
    store.close()
    folder = snapshot.folder_of(Path(url.removeprefix("sqlite:///")))
    assert list(folder.iterdir()) == []
    assert read_snapshot(url, "me") is None


def test_only_plain_sqlite_files_have_snapshots(tmp_path: Path) -> None:
    assert sqlite_database("sqlite:///rel/b.db") == Path("rel/b.db")
    assert sqlite_database("sqlite:////abs/b.db") == Path("/abs/b.db")
    assert sqlite_database("sqlite+pysqlite:////abs/b.db") == Path("/abs/b.db")
    for other in (
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///b.db?mode=ro",
        "sqlite:///b%20c.db",
        "postgresql://u@h/db",
    ):
        assert sqlite_database(other) is None, other
    assert read_snapshot(f"sqlite:///{tmp_path / 'missing.db'}", "me") is None
    assert not (tmp_path / "missing.db").exists()  # reading never creates a database


def test_why_from_a_snapshot_needs_neither_sqlalchemy_nor_rich(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", url, "--tz", "Europe/Berlin", "why", "--json", "--as-of", str(AS_OF)]
    assert main(args) == 0  # reads the store, writes the snapshot
    first = json.loads(capsys.readouterr().out)
    code = (
        "import json, sys\n"
        "from backcheck import cli\n"
        f"code = cli.main({args!r})\n"
        "loaded = [m for m in ('sqlalchemy', 'rich') if m in sys.modules]\n"
        "sys.stderr.write(json.dumps(loaded))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr) == []
    assert json.loads(done.stdout) == first


REAL = [e["path"] for e in export_index()]


def import_real(url: str, *paths: str) -> None:
    store = open_store(url)
    import_files(store, athlete="me", paths=[DATA / p for p in paths], tz=ZoneInfo("UTC"))
    store.close()


def served_equals_stored(url: str, athlete: str = "me") -> bool:
    """Whether a current sets file exists, and load_sets (served from it) equals the database."""
    store = open_store(url)
    with store.transaction() as conn:
        snapshot = locate(conn, athlete)
        assert snapshot is not None
        current = snapshot.sets_file.is_file()
        served, direct = load_sets(conn, athlete), read_sets(conn, athlete)
    store.close()
    assert served.equals(direct) and served.schema == direct.schema
    return current


@pytest.mark.parametrize("path", REAL, ids=lambda p: Path(p).name)
def test_an_import_keeps_the_sets_snapshot_current(tmp_path: Path, path: str) -> None:
    url = f"sqlite:///{tmp_path / 'imp.db'}"
    import_real(url, path)
    assert served_equals_stored(url)  # written by the import itself, equal to a database read
    import_real(url, path)  # nothing new: the file stays current
    assert served_equals_stored(url)


def test_imports_add_to_the_snapshot_and_overlaps_fall_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imp.db'}"
    strong, legacy, hevy = REAL[1], REAL[2], REAL[3]
    import_real(url, strong)
    import_real(url, hevy)  # all new: added to the snapshot
    assert served_equals_stored(url)
    import_real(url, legacy)  # the same workouts as `strong` partly: not known exactly
    store = open_store(url)
    with store.transaction() as conn:
        snapshot = locate(conn, "me")
        assert snapshot is not None
        assert not snapshot.sets_file.is_file()  # no file rather than a guess
    store.close()
    assert not served_equals_stored(url)  # read from the database (and written for next time)
    assert served_equals_stored(url)


def test_a_failed_import_leaves_no_snapshot(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imp.db'}"
    import_real(url, REAL[1])
    folder = snapshot.folder_of(tmp_path / "imp.db")
    before = sorted(p.name for p in folder.iterdir())
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps\nnot a date,x,y,1,2,3\n")
    store = open_store(url)
    with pytest.raises(InputError):
        import_files(store, athlete="me", paths=[DATA / REAL[3], bad], tz=ZoneInfo("UTC"))
    store.close()
    assert sorted(p.name for p in folder.iterdir()) == before
    assert served_equals_stored(url)


def test_a_rolled_back_diary_write_refreshes_nothing(url: str) -> None:
    read_through_store(url)
    folder = snapshot.folder_of(Path(url.removeprefix("sqlite:///")))
    before = sorted(p.name for p in folder.iterdir())
    store = open_store(url)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        add_pain(conn, athlete_id(conn, "me"), pain_rows(8, day=10))
        raise RuntimeError("the command fails after the write")
    with store.transaction() as conn:
        assert "backcheck.after_commit" not in conn.info  # nothing left for the next user
    store.close()
    assert sorted(p.name for p in folder.iterdir()) == before
    found = read_snapshot(url, "me")
    assert found is not None and found.pain.height == 3


def test_names_are_trimmed_on_every_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trim.db'}"
    store = open_store(url)
    import_files(store, athlete=" ana ", paths=[DATA / REAL[0]], tz=ZoneInfo("UTC"))
    store.close()
    assert served_equals_stored(url, "ana")  # the import wrote ana's snapshot
    spaced = why_at(url, athlete="  ana ", tz="UTC", as_of=AS_OF).to_json()
    assert spaced["data"]["sets"] > 0
    assert why_at(url, athlete="ana", tz="UTC", as_of=AS_OF).to_json() == spaced


def test_the_cli_trims_athlete_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert (
        main(["--db", db, "--tz", "UTC", "--athlete", " ana ", "import", str(DATA / REAL[0])]) == 0
    )
    capsys.readouterr()
    assert main(["--db", db, "--athlete", "ana  ", "sessions", "--last", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    args = [
        "--db",
        db,
        "--tz",
        "UTC",
        "--athlete",
        "  ana",
        "why",
        "--json",
        "--as-of",
        "2022-01-01",
    ]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["athlete"] == "ana" and doc["data"]["sets"] > 0
