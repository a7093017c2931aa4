"""Pain diary, recovery log, red-flag answers and stored form checks (the import log: store.importlog)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Table, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from backcheck.keys import digest, row_keys
from backcheck.store.athletes import bump_revision, count_for
from backcheck.store.cache import cache_dir, locate
from backcheck.store.engine import after_commit
from backcheck.store.exercise_map import load_map
from backcheck.store.schema import athletes, pain, recovery, triage, videos
from backcheck.store.upsert import insert_ignore
from backcheck.store.workouts import lock_athlete

PAIN_SCHEMA: dict[str, pl.DataType] = {
    "at": pl.Datetime("us", "UTC"),
    "level": pl.Int32(),
    "region": pl.String(),
    "note": pl.String(),
}
RECOVERY_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),
    "kind": pl.String(),
    "value": pl.Float64(),
    "source": pl.String(),
}


def _add_new(conn: Connection, table: Table, athlete: int, rows: pl.DataFrame) -> int:
    """Insert content-keyed `rows` for athlete id `athlete` under its write lock; returns how
    many were not stored yet."""
    lock_athlete(conn, athlete)
    before = count_for(conn, table, athlete)
    insert_ignore(conn, table, rows.to_dicts(), unique=["athlete_id", "key"])
    new = count_for(conn, table, athlete) - before
    if new:
        bump_revision(conn, athlete)
    _refresh_after_commit(conn, athlete)
    return new


def _refresh_after_commit(conn: Connection, athlete: int) -> None:
    """Once this write has committed, bring the athlete's snapshot (store.snapshot) up to date,
    so the next `why` after a diary entry reads no database either."""
    if cache_dir(conn) is not None:
        engine = conn.engine
        after_commit(conn, ("snapshot", athlete), lambda: refresh_snapshot(engine, athlete))


def refresh_snapshot(engine: Engine, athlete: int) -> None:
    """Rewrite the diary part of athlete id `athlete`'s snapshot when their sets file is
    current (reading every set back is left to the next `why`). A failure here never fails
    the write that asked for it: the snapshot is only ever a shortcut."""
    try:
        with engine.begin() as conn:
            name = conn.execute(select(athletes.c.name).where(athletes.c.id == athlete)).scalar()
            snapshot = None if name is None else locate(conn, name)
            if snapshot is None or not snapshot.sets_file.is_file():
                return
            snapshot.write_rest(
                pain=load_pain(conn, snapshot.athlete),
                recovery=load_recovery(conn, snapshot.athlete),
                videos=load_videos(conn, snapshot.athlete),
                triage=latest_triage(conn, snapshot.athlete),
                exercise_map=load_map(conn, athlete),
            )
    except SQLAlchemyError:
        return


def add_pain(conn: Connection, athlete: int, frame: pl.DataFrame) -> int:
    """Store pain entries (columns of PAIN_SCHEMA); returns how many were new.

    An entry is recognised by time, level and region: logging the same entry twice is a no-op.
    """
    if frame.height == 0:
        return 0
    keys = row_keys(
        [pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"), pl.col("level"), pl.col("region")],
        frame,
    )
    rows = frame.select(list(PAIN_SCHEMA)).with_columns(
        pl.Series("key", keys, dtype=pl.Int64), pl.lit(athlete).alias("athlete_id")
    )
    return _add_new(conn, pain, athlete, rows)


def load_pain(conn: Connection, athlete: str) -> pl.DataFrame:
    """Every pain entry of `athlete` (PAIN_SCHEMA), oldest first."""
    rows = conn.execute(
        select(pain.c.at, pain.c.level, pain.c.region, pain.c.note)
        .join(athletes, athletes.c.id == pain.c.athlete_id)
        .where(athletes.c.name == athlete)
        .order_by(pain.c.at, pain.c.id)
    ).all()
    return pl.DataFrame(rows, schema=PAIN_SCHEMA, orient="row")


def add_recovery(conn: Connection, athlete: int, frame: pl.DataFrame, *, source: str) -> int:
    """Store recovery entries (day, kind, value); returns how many were new."""
    if frame.height == 0:
        return 0
    keys = row_keys([pl.col("day"), pl.col("kind"), pl.col("value").round(3)], frame)
    rows = frame.select("day", "kind", "value").with_columns(
        pl.Series("key", keys, dtype=pl.Int64),
        pl.lit(athlete).alias("athlete_id"),
        pl.lit(source).alias("source"),
    )
    return _add_new(conn, recovery, athlete, rows)


def load_recovery(conn: Connection, athlete: str) -> pl.DataFrame:
    """Every recovery entry of `athlete` (RECOVERY_SCHEMA), oldest first."""
    rows = conn.execute(
        select(recovery.c.day, recovery.c.kind, recovery.c.value, recovery.c.source)
        .join(athletes, athletes.c.id == recovery.c.athlete_id)
        .where(athletes.c.name == athlete)
        .order_by(recovery.c.day, recovery.c.id)
    ).all()
    return pl.DataFrame(rows, schema=RECOVERY_SCHEMA, orient="row")


def save_triage(
    conn: Connection, athlete: int, answers: dict[str, bool], *, at: datetime | None = None
) -> None:
    """Store one set of red-flag answers with the time they were given."""
    conn.execute(
        triage.insert().values(
            athlete_id=athlete,
            answered_at=at or datetime.now(UTC),
            answers_json=json.dumps(answers, sort_keys=True),
        )
    )
    bump_revision(conn, athlete)
    _refresh_after_commit(conn, athlete)


def latest_triage(conn: Connection, athlete: str) -> tuple[datetime, dict[str, bool]] | None:
    """The newest stored red-flag answers of `athlete` and when they were given, or None."""
    row = conn.execute(
        select(triage.c.answered_at, triage.c.answers_json)
        .join(athletes, athletes.c.id == triage.c.athlete_id)
        .where(athletes.c.name == athlete)
        .order_by(triage.c.answered_at.desc(), triage.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], json.loads(row[1]))


def save_video(
    conn: Connection,
    athlete: int,
    *,
    recorded_on: date,
    exercise: str,
    source_name: str,
    result: dict[str, Any],
) -> bool:
    """Store a form-check result; the same video analysed again is not stored twice."""
    text = json.dumps(result, sort_keys=True)
    key = digest([f"{recorded_on}|{exercise}|{source_name}|{text}"])[0]
    before = count_for(conn, videos, athlete)
    insert_ignore(
        conn,
        videos,
        [
            {
                "athlete_id": athlete,
                "key": key,
                "recorded_on": recorded_on,
                "exercise": exercise,
                "source_name": source_name,
                "result_json": text,
                "created_at": datetime.now(UTC),
            }
        ],
        unique=["athlete_id", "key"],
    )
    added = count_for(conn, videos, athlete) > before
    if added:
        bump_revision(conn, athlete)
    _refresh_after_commit(conn, athlete)
    return added


def load_videos(conn: Connection, athlete: str) -> list[dict[str, Any]]:
    """Stored form-check results of `athlete`, oldest first: recorded_on, exercise, result."""
    rows = conn.execute(
        select(videos.c.recorded_on, videos.c.exercise, videos.c.source_name, videos.c.result_json)
        .join(athletes, athletes.c.id == videos.c.athlete_id)
        .where(athletes.c.name == athlete)
        .order_by(videos.c.recorded_on, videos.c.id)
    ).all()
    return [
        {"recorded_on": r[0], "exercise": r[1], "source_name": r[2], "result": json.loads(r[3])}
        for r in rows
    ]
