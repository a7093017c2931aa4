"""Everything `why` reads for one athlete, read through the store in one transaction, with
their snapshot written beside an SQLite store (store.snapshot) for the next read.

Reached through store.inputs, the one way the rest of backcheck asks for an athlete's inputs.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from backcheck.store.athletes import athlete_id, check_name
from backcheck.store.cache import cached_frame, locate
from backcheck.store.diary import latest_triage, load_pain, load_recovery, load_videos
from backcheck.store.exercise_map import load_map
from backcheck.store.stored import StoredInputs
from backcheck.store.workouts import read_sets


def read_through_store(conn: Connection, athlete: str) -> StoredInputs:
    """`athlete`'s sets, pain diary, recovery log, form checks, newest red-flag answers and own
    exercise-name meanings; NotFoundError when nothing was ever stored for them. Beside an
    SQLite file, also writes their snapshot, so the next read can skip the database."""
    athlete = check_name(athlete)  # " ana " is ana, as everywhere in the store
    who = athlete_id(conn, athlete)
    snapshot = locate(conn, athlete)  # one stamp for every file written below
    inputs = StoredInputs(
        athlete=athlete,
        sets=cached_frame(snapshot, lambda: read_sets(conn, athlete)),
        pain=load_pain(conn, athlete),
        recovery=load_recovery(conn, athlete),
        videos=load_videos(conn, athlete),
        triage=latest_triage(conn, athlete),
        exercise_map=load_map(conn, who),
    )
    if snapshot is not None:
        snapshot.write_rest(
            pain=inputs.pain,
            recovery=inputs.recovery,
            videos=inputs.videos,
            triage=inputs.triage,
            exercise_map=inputs.exercise_map,
        )
    return inputs
