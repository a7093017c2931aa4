"""The store on SQLite and on a real PostgreSQL server: migrations, idempotent writes,
round trips, and one transaction per command."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
from sqlalchemy import inspect

from backcheck.errors import NotFoundError, StoreError
from backcheck.model import SET_SCHEMA, STORED_SET_SCHEMA, conform_sets
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id, list_athletes
from backcheck.store.diary import (
    add_pain,
    add_recovery,
    latest_triage,
    load_pain,
    load_recovery,
    load_videos,
    save_triage,
    save_video,
)
from backcheck.store.migrations import MIGRATIONS
from backcheck.store.schema import metadata
from backcheck.store.workouts import add_sets, load_sets

T0 = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)


def sample_sets(n_sessions: int = 3, per_session: int = 4) -> pl.DataFrame:
    rows = []
    for s in range(n_sessions):
        for i in range(per_session):
            rows.append(
                {
                    "session_start": T0 + timedelta(days=2 * s),
                    "session_name": f"Day {s}",
                    "duration_s": 3600.0,
                    "exercise": "Bench Press (Barbell)"
                    if i % 2 == 0
                    else "Bent Over Row (Barbell)",
                    "set_index": i // 2 + 1,
                    "set_type": "warmup" if i == 0 else "working",
                    "weight_kg": 40.0 + 10 * i,
                    "reps": 8,
                    "rpe": 8.0,
                    "source_file": "x.csv",
                    "source_line": 2 + s * per_session + i,
                }
            )
    return conform_sets(pl.DataFrame(rows)).with_columns(
        pl.lit(None, pl.String).alias("exercise_key")
    )


def test_migrated_schema_matches_declared_tables(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as conn:
        insp = inspect(conn)
        # every declared table, and Alembic's alembic_version (the newest revision applied)
        assert set(insp.get_table_names()) == {*metadata.tables, "alembic_version"}
        for name, table in metadata.tables.items():
            assert {c["name"] for c in insp.get_columns(name)} == {c.name for c in table.columns}, (
                name
            )
    # Opening again applies nothing and keeps one row per migration.
    store2 = open_store(db_url)
    with store2.transaction() as conn:
        applied = conn.exec_driver_sql("SELECT version FROM schema_migrations ORDER BY version")
        assert [v for (v,) in applied] == sorted(MIGRATIONS)
    store.close()
    store2.close()


def test_newer_schema_is_refused(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')"
        )
    store.close()
    with pytest.raises(StoreError, match="newer than this backcheck knows"):
        open_store(db_url)


def test_sets_round_trip_and_second_write_adds_nothing(db_url: str) -> None:
    store = open_store(db_url)
    frame = sample_sets()
    with store.transaction() as conn:
        who = athlete_id(conn, "ana", create=True)
        first = add_sets(conn, who, frame, source_format="strong")
    assert (first.new_sessions, first.new_sets, first.already_there) == (3, 12, 0)
    with store.transaction() as conn:
        again = add_sets(conn, who, frame, source_format="strong")
        stored = load_sets(conn, "ana")
    assert (again.new_sessions, again.new_sets, again.already_there) == (0, 0, 12)
    assert stored.schema == pl.Schema(STORED_SET_SCHEMA)
    assert stored.height == 12
    # Values come back exactly, timestamps UTC-aware.
    back = stored.select(list(SET_SCHEMA)).sort("source_line")
    assert back.equals(frame.select(list(SET_SCHEMA)).sort("source_line"))
    store.close()


def test_same_set_with_other_file_name_is_recognised(db_url: str) -> None:
    store = open_store(db_url)
    frame = sample_sets(1, 2)
    renamed = frame.with_columns(
        pl.lit("other-name.csv").alias("source_file"),
        pl.lit(99).cast(pl.Int32).alias("source_line"),
    )
    with store.transaction() as conn:
        who = athlete_id(conn, "me", create=True)
        add_sets(conn, who, frame, source_format="strong")
        counts = add_sets(conn, who, renamed, source_format="hevy")
    assert counts.new_sets == 0 and counts.already_there == 2
    store.close()


def test_changed_content_is_a_new_set(db_url: str) -> None:
    store = open_store(db_url)
    frame = sample_sets(1, 2)
    heavier = frame.with_columns(pl.col("weight_kg") + 2.5)
    with store.transaction() as conn:
        who = athlete_id(conn, "me", create=True)
        add_sets(conn, who, frame, source_format="strong")
        counts = add_sets(conn, who, heavier, source_format="strong")
    assert counts.new_sets == 2 and counts.new_sessions == 0
    store.close()


def test_failed_command_changes_nothing(db_url: str) -> None:
    store = open_store(db_url)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        who = athlete_id(conn, "me", create=True)
        add_sets(conn, who, sample_sets(), source_format="strong")
        raise RuntimeError("something went wrong after the write")
    with store.transaction() as conn:
        assert list_athletes(conn) == []
        with pytest.raises(NotFoundError):
            athlete_id(conn, "me")
    store.close()


def test_athletes_are_kept_apart(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as conn:
        a = athlete_id(conn, "a", create=True)
        b = athlete_id(conn, "b", create=True)
        add_sets(conn, a, sample_sets(2, 2), source_format="strong")
        counts = add_sets(conn, b, sample_sets(2, 2), source_format="strong")
        assert counts.new_sets == 4  # same content, other athlete: new
        overview = {r["name"]: r for r in list_athletes(conn)}
    assert overview["a"]["sets"] == 4 and overview["b"]["sessions"] == 2
    store.close()


def test_diary_round_trips(db_url: str) -> None:
    store = open_store(db_url)
    pain = pl.DataFrame(
        {
            "at": [T0, T0 + timedelta(days=1)],
            "level": [0, 5],
            "region": [None, "mid-back"],
            "note": [None, "after rows"],
        },
        schema={
            "at": pl.Datetime("us", "UTC"),
            "level": pl.Int32,
            "region": pl.String,
            "note": pl.String,
        },
    )
    recovery = pl.DataFrame(
        {
            "day": [date(2026, 3, 2), date(2026, 3, 2)],
            "kind": ["sleep", "yoga"],
            "value": [6.5, 30.0],
        }
    )
    with store.transaction() as conn:
        who = athlete_id(conn, "me", create=True)
        assert add_pain(conn, who, pain) == 2
        assert add_pain(conn, who, pain) == 0
        assert add_recovery(conn, who, recovery, source="csv") == 2
        assert add_recovery(conn, who, recovery, source="csv") == 0
        save_triage(conn, who, {"chest_pain": False}, at=T0)
        save_triage(conn, who, {"chest_pain": True}, at=T0 + timedelta(hours=1))
        assert save_video(
            conn,
            who,
            recorded_on=date(2026, 3, 2),
            exercise="row",
            source_name="a.mp4",
            result={"reps": []},
        )
        assert not save_video(
            conn,
            who,
            recorded_on=date(2026, 3, 2),
            exercise="row",
            source_name="a.mp4",
            result={"reps": []},
        )
    with store.transaction() as conn:
        back = load_pain(conn, "me")
        assert back["level"].to_list() == [0, 5]
        assert back["at"].to_list() == [T0, T0 + timedelta(days=1)]
        assert load_recovery(conn, "me")["value"].sort().to_list() == [6.5, 30.0]
        when, answers = latest_triage(conn, "me")  # type: ignore[misc]
        assert answers == {"chest_pain": True} and when == T0 + timedelta(hours=1)
        assert load_videos(conn, "me")[0]["exercise"] == "row"
    store.close()


def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("definitely not a url")


def test_read_cache_follows_every_write(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from backcheck.store.cache import cache_dir, drop_cache
    from backcheck.store.workouts import read_sets

    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    with store.transaction() as conn:
        who = athlete_id(conn, "me", create=True)
        add_sets(conn, who, sample_sets(2, 2), source_format="strong")
        first = load_sets(conn, "me")
        folder = cache_dir(conn)
    assert folder is not None and len(list(folder.glob("*.arrow"))) == 1
    with store.transaction() as conn:
        assert load_sets(conn, "me").equals(first)  # served from the cache, same frame
        add_sets(conn, who, sample_sets(4, 2), source_format="strong")
        after = load_sets(conn, "me")
        assert after.height == 8 and after.equals(read_sets(conn, "me"))
        drop_cache(conn, "me")
    assert list(folder.glob("*.arrow")) == []
    store.close()
