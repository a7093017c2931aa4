"""The one stamp of an athlete's data (store.stamp): every change moves it, an unchanged one
lets a read reuse the snapshot files. A real SQLite store throughout."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.engine import Connection

from backcheck.model import conform_sets
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.diary import PAIN_SCHEMA, add_pain
from backcheck.store.erase import delete_pain, pain_rows
from backcheck.store.exercise_map import remove_mapping, set_mapping
from backcheck.store.inputs import read_inputs
from backcheck.store.snapshot import folder_of, read_snapshot
from backcheck.store.stamp import STAMP_SQL, Stamp, read_stamp
from backcheck.store.workouts import add_sets

T0 = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)


def pain(*levels: int, day: int = 1) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "at": [T0 + timedelta(days=day + i, hours=3) for i in range(len(levels))],
            "level": list(levels),
            "region": ["mid-back"] * len(levels),
            "note": [None] * len(levels),
        },
        schema=PAIN_SCHEMA,
    )


def bench(days: int) -> pl.DataFrame:
    rows = [
        {
            "session_start": T0 + timedelta(days=d),
            "exercise": "Zottelzug",
            "set_index": i,
            "set_type": "working",
            "weight_kg": 60.0,
            "reps": 8,
            "source_file": "x.csv",
            "source_line": 2 + 3 * d + i,
        }
        for d in range(days)
        for i in (1, 2, 3)
    ]
    frame = conform_sets(pl.DataFrame(rows))
    return frame.with_columns(pl.lit(None, pl.String).alias("exercise_key"))


def change(url: str, write: Callable[[Connection, int], object]) -> None:
    store = open_store(url)
    with store.transaction() as conn:
        write(conn, athlete_id(conn, "me", create=True))
    store.close()


def stamp_of(url: str) -> Stamp | None:
    """The stamp as the snapshot reader takes it (Python's sqlite3, read only)."""
    database = Path(url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute(STAMP_SQL, {"athlete": "me"}).fetchone()
    finally:
        conn.close()
    return None if row is None else Stamp.from_row(row)


def files(url: str) -> dict[str, int]:
    """The snapshot files with their modification times (ns)."""
    folder = folder_of(Path(url.removeprefix("sqlite:///")))
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.exists() else {}


@pytest.fixture
def url(tmp_path: Path) -> str:
    """An SQLite store where athlete `me` has sets and pain entries, read once (so the
    snapshot files exist)."""
    db = f"sqlite:///{tmp_path / 'stamp.db'}"

    def fill(conn: Connection, who: int) -> None:
        add_sets(conn, who, bench(4), source_format="strong")
        add_pain(conn, who, pain(2, 4, 6))

    change(db, fill)
    read_inputs(db, "me")
    return db


def test_both_sides_read_the_same_stamp(url: str) -> None:
    store = open_store(url)
    with store.transaction() as conn:
        assert read_stamp(conn, "me") == stamp_of(url)
        assert read_stamp(conn, "nobody") is None
    store.close()


def test_an_unchanged_stamp_reuses_the_snapshot(url: str) -> None:
    before, written = stamp_of(url), files(url)
    assert len(written) == 4  # sets, pain, recovery, extra
    found = read_snapshot(url, "me")
    assert found is not None and found.pain.height == 3
    again = read_inputs(url, "me")
    assert stamp_of(url) == before
    assert files(url) == written  # nothing rewritten: served from the files
    assert again.pain.equals(found.pain) and again.sets.equals(found.sets)


def test_a_delete_changes_the_stamp_and_drops_the_files(url: str) -> None:
    before = stamp_of(url)

    def delete_first(conn: Connection, who: int) -> None:
        delete_pain(conn, who, [pain_rows(conn, who)[0]["id"]])

    change(url, delete_first)
    assert stamp_of(url) != before
    assert not any(name.startswith("pain-") for name in files(url))  # dropped on commit
    assert read_snapshot(url, "me") is None
    assert read_inputs(url, "me").pain["level"].to_list() == [4, 6]


def test_an_edit_that_keeps_the_counts_changes_the_stamp(url: str) -> None:
    before = stamp_of(url)

    def swap(conn: Connection, who: int) -> None:  # one entry out, another in: same count
        delete_pain(conn, who, [pain_rows(conn, who)[0]["id"]])
        add_pain(conn, who, pain(9, day=20))

    change(url, swap)
    after = stamp_of(url)
    assert after is not None and before is not None
    assert after != before and after.sets_revision == before.sets_revision  # sets file kept
    assert sorted(read_inputs(url, "me").pain["level"].to_list()) == [4, 6, 9]


def test_an_exercise_map_change_changes_the_stamp(url: str) -> None:
    seen = [stamp_of(url)]
    for key in ("bench-press-barbell", "barbell-row"):  # the same name, another meaning
        change(url, lambda conn, who, key=key: set_mapping(conn, who, name="Zottelzug", key=key))
        seen.append(stamp_of(url))
        assert read_inputs(url, "me").exercise_map == {"Zottelzug": key}
        assert read_snapshot(url, "me").exercise_map == {"Zottelzug": key}  # type: ignore[union-attr]
    change(url, lambda conn, who: remove_mapping(conn, who, name="Zottelzug"))
    seen.append(stamp_of(url))
    assert len(set(seen)) == len(seen) == 4
    assert read_inputs(url, "me").exercise_map == {}


def test_a_schema_bump_changes_the_stamp(url: str) -> None:
    before = stamp_of(url)
    assert before is not None and read_snapshot(url, "me") is not None
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    with conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (before.schema + 1, "a later schema", date(2030, 1, 1).isoformat()),
        )
    conn.close()
    after = stamp_of(url)
    assert after is not None and after.schema == before.schema + 1
    assert after.sets_key != before.sets_key and after.full_key != before.full_key
    assert read_snapshot(url, "me") is None  # files of the old schema are never read


def test_the_store_reads_the_same_stamp_on_sqlite_and_postgresql(db_url: str) -> None:
    # The web report cache reads it through the store, whatever the database.
    store = open_store(db_url)
    try:
        with store.transaction() as conn:
            who = athlete_id(conn, "me", create=True)
            first = read_stamp(conn, "me")
            set_mapping(conn, who, name="Zottelzug", key="barbell-row")
            second = read_stamp(conn, "me")
        assert first is not None and second is not None
        assert second.athlete_id == first.athlete_id == who
        assert second.revision == first.revision + 1 and second.schema == first.schema
    finally:
        store.close()
