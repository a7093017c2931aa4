"""Deleting stored data for good: whole athletes with every row of theirs, and pain entries.

Deleted rows never come back: SQLite connections run with `PRAGMA secure_delete=ON`
(store.engine), ids are never reused (migration 3), and each delete bumps or removes what the
caches are keyed on (store.stamp; a deleted athlete has no stamp at all). Each delete also
drops the athlete's read snapshot files once it has committed (store.cache.drop_after_commit);
the caller removes what else they left on disk (web uploads, annotated videos).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from backcheck.store.athletes import bump_revision
from backcheck.store.cache import DIARY_KINDS, drop_after_commit
from backcheck.store.schema import athletes, metadata, pain


def athlete_tables() -> list[Table]:
    """Every table with an `athlete_id` column, children before parents (any table a later
    migration adds with that column is included without being named here)."""
    return [
        t for t in reversed(metadata.sorted_tables) if "athlete_id" in t.c and t.name != "athletes"
    ]


def delete_athletes(conn: Connection, ids: Sequence[int]) -> dict[str, int]:
    """Delete athletes by id with every row of theirs in every table, and their snapshot files
    once committed; returns the rows deleted per table (the athletes table included)."""
    counts: dict[str, int] = {}
    if not ids:
        return counts
    for athlete in ids:
        drop_after_commit(conn, athlete)
    for table in athlete_tables():
        done = conn.execute(delete(table).where(table.c.athlete_id.in_(list(ids))))
        counts[table.name] = int(done.rowcount or 0)
    done = conn.execute(delete(athletes).where(athletes.c.id.in_(list(ids))))
    counts["athletes"] = int(done.rowcount or 0)
    return counts


def pain_rows(conn: Connection, athlete: int) -> list[dict[str, Any]]:
    """Athlete id `athlete`'s pain entries, oldest first: id, at (UTC), level, region, note."""
    rows = conn.execute(
        select(pain.c.id, pain.c.at, pain.c.level, pain.c.region, pain.c.note)
        .where(pain.c.athlete_id == athlete)
        .order_by(pain.c.at, pain.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def delete_pain(conn: Connection, athlete: int, entry_ids: Sequence[int]) -> int:
    """Delete these pain entries of athlete id `athlete` (and, once committed, the diary part
    of their snapshot); returns how many were deleted."""
    if not entry_ids:
        return 0
    done = conn.execute(
        delete(pain).where(pain.c.athlete_id == athlete, pain.c.id.in_(list(entry_ids)))
    )
    if done.rowcount:
        bump_revision(conn, athlete)
        drop_after_commit(conn, athlete, DIARY_KINDS)  # the sets file still holds
    return int(done.rowcount or 0)


def flush_deleted(engine: Engine) -> None:
    """After a delete has committed on SQLite, copy the write-ahead log into the database and
    truncate it, so the deleted rows' old pages do not linger in the `-wal` file (with
    `secure_delete` the database file itself keeps none). Skipped quietly when readers hold
    the log (the next checkpoint does it); PostgreSQL: nothing to do."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except SQLAlchemyError:
        return
