"""Everything `why` reads for one athlete, in one transaction, and its snapshot kept current
(for SQLite stores; see store.snapshot)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
from sqlalchemy.engine import Connection

from backcheck.model import STORED_SET_SCHEMA
from backcheck.store.athletes import athlete_id, check_name, count_for
from backcheck.store.cache import cached_frame, locate
from backcheck.store.diary import latest_triage, load_pain, load_recovery, load_videos
from backcheck.store.exercise_map import load_map
from backcheck.store.schema import sets
from backcheck.store.snapshot import StoredInputs
from backcheck.store.workouts import ORDER, WriteCounts, read_sets, session_frame, stored_frame


def load_inputs(conn: Connection, athlete: str) -> StoredInputs:
    """`athlete`'s sets, pain diary, recovery log, form checks, newest red-flag answers and own
    exercise-name meanings;
    NotFoundError when nothing was ever stored for them. Beside an SQLite file, also writes
    their snapshot (store.snapshot), so the next read can skip the database."""
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
            pain=inputs.pain, recovery=inputs.recovery, videos=inputs.videos, triage=inputs.triage
        )
    return inputs


class SetsSnapshotUpdate:
    """Keeps an athlete's sets snapshot current through an import, so the first `why` after
    it need not read every set back from the database.

    Make it after locking the athlete (store.workouts.lock_athlete) and before writing: it
    takes the sets as they are (from the current snapshot file; none when there is no current
    one). After the writes, `finish` adds the sets the import added, when it knows them
    exactly (every set written was new: WriteCounts.added), and returns the file write to do
    once the transaction has committed (a rolled-back import must leave no file behind).
    """

    def __init__(self, conn: Connection, athlete: str) -> None:
        self.athlete = athlete = check_name(athlete)
        self.before: pl.DataFrame | None = None
        snapshot = locate(conn, athlete)
        if snapshot is None:
            return
        if count_for(conn, sets, snapshot.stamp.athlete_id) == 0:
            self.before = pl.DataFrame(schema=STORED_SET_SCHEMA)
            return
        try:
            self.before = pl.read_ipc(snapshot.sets_file)
        except (OSError, pl.exceptions.PolarsError):
            self.before = None

    def finish(self, conn: Connection, writes: Sequence[WriteCounts]) -> Callable[[], None] | None:
        """The file write to run after the commit (None: nothing to keep current)."""
        added = [w.added for w in writes if w.new_sets or w.already_there]
        if self.before is None or not added or any(a is None for a in added):
            return None
        # SQLite stores NaN as NULL: the snapshot must hold what a read gives back.
        new = pl.concat([a for a in added if a is not None]).with_columns(
            pl.col(pl.Float64).fill_nan(None)
        )
        rows = stored_frame(new, session_frame(conn, self.athlete), self.athlete)
        frame = pl.concat([self.before, rows]).sort(ORDER, nulls_last=False)
        snapshot = locate(conn, self.athlete)
        if snapshot is None or count_for(conn, sets, snapshot.stamp.athlete_id) != frame.height:
            return None
        return lambda: snapshot.write_sets(frame)
