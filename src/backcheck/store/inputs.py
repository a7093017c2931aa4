"""Everything `why` reads for one athlete, in one transaction (snapshot kept for SQLite)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from backcheck.store.athletes import athlete_id
from backcheck.store.cache import save_snapshot
from backcheck.store.diary import latest_triage, load_pain, load_recovery, load_videos
from backcheck.store.snapshot import StoredInputs
from backcheck.store.workouts import load_sets


def load_inputs(conn: Connection, athlete: str) -> StoredInputs:
    """`athlete`'s sets, pain diary, recovery log, form checks and newest red-flag answers;
    NotFoundError when nothing was ever stored for them. Beside an SQLite file, also writes
    their snapshot (store.snapshot), so the next read can skip the database."""
    athlete_id(conn, athlete)
    inputs = StoredInputs(
        sets=load_sets(conn, athlete),
        pain=load_pain(conn, athlete),
        recovery=load_recovery(conn, athlete),
        videos=load_videos(conn, athlete),
        triage=latest_triage(conn, athlete),
    )
    save_snapshot(conn, athlete, inputs)
    return inputs
