"""Sessions and sets: idempotent bulk writes and the canonical frame read back for analysis.

A set is recognised by its content (session start, exercise as logged, set index and type,
load, reps, distance, time), never by the file it came from, so importing the same workout
again - from the same file, a renamed copy or a later export - adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from backcheck.keys import SESSION_COLUMNS, distinct_sessions, distinct_sets
from backcheck.model import SET_SCHEMA, STORED_SET_SCHEMA
from backcheck.store.athletes import bump_revision, count_for
from backcheck.store.cache import cached_frame, locate
from backcheck.store.schema import athletes, sessions, sets
from backcheck.store.upsert import bulk_insert_ignore, insert_ignore

CHUNK = 20_000


@dataclass(slots=True)
class WriteCounts:
    """What one write added: new sessions and sets, and sets that were already stored.

    `added`: the new sets as stored (set columns, session_id and exercise_key) when every set
    written was new, so exactly these rows were added; None when some were already stored.
    `keys`: the content key of every set written, new or not (None: nothing written).
    """

    new_sessions: int = 0
    new_sets: int = 0
    already_there: int = 0
    added: pl.DataFrame | None = None
    keys: pl.Series | None = None  # the content key of every set written (store.importlog)


#: First key of the PostgreSQL advisory lock on one athlete's sets (the second is the id).
SETS_LOCK = 4242002


def lock_athlete(conn: Connection, athlete: int) -> None:
    """Wait until no other transaction is writing athlete id `athlete`'s sets, and hold that
    until this transaction ends. Without it, two imports of the same file at once both counted
    every set as new (each counted before the other had committed).

    PostgreSQL: a transaction-level advisory lock per athlete. SQLite: a no-op write, because
    the driver begins the transaction (and takes the database's write lock) only at the first
    write; other writers then wait (busy_timeout) before counting, not after.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(SETS_LOCK, athlete)))
    elif conn.dialect.name == "sqlite":
        conn.execute(update(athletes).where(athletes.c.id == athlete).values(name=athletes.c.name))


def add_sets(
    conn: Connection,
    athlete: int,
    frame: pl.DataFrame,
    *,
    source_format: str,
    progress: Callable[[int], None] | None = None,
) -> WriteCounts:
    """Store canonical sets (SET_SCHEMA plus `exercise_key`) for athlete id `athlete`.

    Sessions are created as needed; sets already stored are recognised and skipped.
    `progress(n)` is called after every chunk of n sets written.
    """
    if frame.height == 0:
        return WriteCounts()
    lock_athlete(conn, athlete)
    # Identical rows are one set (importers report them as skipped duplicates).
    frame = distinct_sets(frame)
    before_sessions, before_sets = (
        count_for(conn, sessions, athlete),
        count_for(conn, sets, athlete),
    )

    session_rows = (
        distinct_sessions(frame)
        .rename(
            {
                "session_key": "key",
                "session_start": "started_at",
                "session_name": "name",
                "session_notes": "notes",
            }
        )
        .with_columns(
            pl.lit(athlete).alias("athlete_id"), pl.lit(source_format).alias("source_format")
        )
    )
    insert_ignore(conn, sessions, session_rows.to_dicts(), unique=["athlete_id", "key"])
    ids = pl.DataFrame(
        conn.execute(
            select(sessions.c.key, sessions.c.id).where(sessions.c.athlete_id == athlete)
        ).all(),
        schema={"session_key": pl.Int64, "session_id": pl.Int64},
        orient="row",
    )
    rows = frame.join(ids, on="session_key", how="left").select(
        pl.lit(athlete).alias("athlete_id"),
        "session_id",
        pl.col("set_key").alias("key"),
        *[c for c in SET_SCHEMA if c not in SESSION_COLUMNS],
        "exercise_key",
    )
    for start in range(0, rows.height, CHUNK):
        chunk = rows.slice(start, CHUNK)
        bulk_insert_ignore(conn, sets, chunk.columns, chunk.rows(), unique=["athlete_id", "key"])
        if progress:
            progress(chunk.height)
    new_sets = count_for(conn, sets, athlete) - before_sets
    if new_sets:
        bump_revision(conn, athlete, sets=True)
    return WriteCounts(
        new_sessions=count_for(conn, sessions, athlete) - before_sessions,
        new_sets=new_sets,
        already_there=frame.height - new_sets,
        added=rows.drop("athlete_id", "key") if new_sets == rows.height else None,
        keys=frame["set_key"],
    )


#: The order of the stored set frame: time, then file order, then every other column (set
#: keys are unique, so rows equal on all of these are the same set).
ORDER: tuple[str, ...] = (
    "session_start",
    "source_line",
    "source_file",
    "exercise",
    "set_index",
    "set_type",
    "weight_kg",
    "reps",
    "rpe",
    "rir",
    "distance_m",
    "seconds",
    "notes",
    "exercise_key",
    "session_id",
)


def stored_frame(set_rows: pl.DataFrame, session_rows: pl.DataFrame, athlete: str) -> pl.DataFrame:
    """The STORED_SET_SCHEMA frame of `athlete` from rows of the sets table (session_id and
    the set columns) and of the sessions table (session_frame), in ORDER."""
    return (
        set_rows.join(session_rows, on="session_id", how="inner")
        .with_columns(pl.lit(athlete).alias("athlete"))
        .select(list(STORED_SET_SCHEMA))
        .cast(STORED_SET_SCHEMA)  # type: ignore[arg-type]
        .sort(ORDER, nulls_last=False)
    )


def session_frame(conn: Connection, athlete: str) -> pl.DataFrame:
    """`athlete`'s sessions: session_id, session_start, session_name, session_notes, duration_s."""
    sess = conn.execute(
        select(
            sessions.c.id,
            sessions.c.started_at,
            sessions.c.name,
            sessions.c.notes,
            sessions.c.duration_s,
        )
        .join(athletes, athletes.c.id == sessions.c.athlete_id)
        .where(athletes.c.name == athlete)
    ).all()
    return pl.DataFrame(
        sess,
        schema={
            "session_id": pl.Int64,
            "session_start": SET_SCHEMA["session_start"],
            "session_name": pl.String,
            "session_notes": pl.String,
            "duration_s": pl.Float64,
        },
        orient="row",
    )


#: Columns of the sets table in the stored frame (besides session_id).
SET_COLUMNS: tuple[str, ...] = tuple(
    c
    for c in STORED_SET_SCHEMA
    if c
    not in ("athlete", "session_id", "session_start", "session_name", "session_notes", "duration_s")
)


def load_sets(conn: Connection, athlete: str) -> pl.DataFrame:
    """Every stored set of `athlete` as a STORED_SET_SCHEMA frame in ORDER (served from the
    snapshot beside an SQLite store while it is current: see store.cache)."""
    return cached_frame(locate(conn, athlete), lambda: read_sets(conn, athlete))


def read_sets(conn: Connection, athlete: str) -> pl.DataFrame:
    """`load_sets` straight from the database. The sets are fetched through the driver with
    one plain SELECT (their columns need no type processing): a third faster than through
    SQLAlchemy's result rows at 150,000 sets."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"SELECT s.session_id, {', '.join(f's.{c}' for c in SET_COLUMNS)} FROM sets AS s "
        f"JOIN athletes AS a ON a.id = s.athlete_id WHERE a.name = {mark}"
    )
    set_frame = pl.DataFrame(
        conn.exec_driver_sql(sql, (athlete,)).fetchall(),
        schema={"session_id": pl.Int64, **{c: STORED_SET_SCHEMA[c] for c in SET_COLUMNS}},
        orient="row",
    )
    return stored_frame(set_frame, session_frame(conn, athlete), athlete)
