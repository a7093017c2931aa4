"""Everything `why` reads for one athlete, in one transaction, and its snapshot kept current
(for SQLite stores; see store.snapshot)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl
from sqlalchemy.engine import Connection

from backcheck.model import STORED_SET_SCHEMA
from backcheck.store.athletes import athlete_id, check_name
from backcheck.store.cache import cache_dir, save_snapshot, stamp
from backcheck.store.diary import latest_triage, load_pain, load_recovery, load_videos
from backcheck.store.snapshot import StoredInputs, sets_path, write_file
from backcheck.store.workouts import ORDER, WriteCounts, load_sets, session_frame, stored_frame


def load_inputs(conn: Connection, athlete: str) -> StoredInputs:
    """`athlete`'s sets, pain diary, recovery log, form checks and newest red-flag answers;
    NotFoundError when nothing was ever stored for them. Beside an SQLite file, also writes
    their snapshot (store.snapshot), so the next read can skip the database."""
    athlete = check_name(athlete)  # " ana " is ana, as everywhere in the store
    athlete_id(conn, athlete)
    inputs = StoredInputs(
        athlete=athlete,
        sets=load_sets(conn, athlete),
        pain=load_pain(conn, athlete),
        recovery=load_recovery(conn, athlete),
        videos=load_videos(conn, athlete),
        triage=latest_triage(conn, athlete),
    )
    save_snapshot(
        conn,
        athlete,
        pain=inputs.pain,
        recovery=inputs.recovery,
        videos=inputs.videos,
        triage=inputs.triage,
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
        self.folder: Path | None = cache_dir(conn)
        self.before: pl.DataFrame | None = None
        now = stamp(conn, athlete) if self.folder is not None else None
        if self.folder is None or now is None:
            return
        if now.counts[0] == 0:
            self.before = pl.DataFrame(schema=STORED_SET_SCHEMA)
            return
        try:
            self.before = pl.read_ipc(sets_path(self.folder, athlete, now))
        except (OSError, pl.exceptions.PolarsError):
            self.before = None

    def finish(self, conn: Connection, writes: Sequence[WriteCounts]) -> Callable[[], None] | None:
        """The file write to run after the commit (None: nothing to keep current)."""
        folder, before = self.folder, self.before
        added = [w.added for w in writes if w.new_sets or w.already_there]
        if folder is None or before is None or not added or any(a is None for a in added):
            return None
        # SQLite stores NaN as NULL: the snapshot must hold what a read gives back.
        new = pl.concat([a for a in added if a is not None]).with_columns(
            pl.col(pl.Float64).fill_nan(None)
        )
        rows = stored_frame(new, session_frame(conn, self.athlete), self.athlete)
        frame = pl.concat([before, rows]).sort(ORDER, nulls_last=False)
        now = stamp(conn, self.athlete)
        if now is None or now.counts[0] != frame.height:
            return None
        path = sets_path(folder, self.athlete, now)
        athlete = self.athlete

        def write() -> None:
            write_file(
                folder,
                path,
                lambda p: frame.write_ipc(p, compression="zstd"),
                kind="sets",
                athlete=athlete,
            )

        return write
