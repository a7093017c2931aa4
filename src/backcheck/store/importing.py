"""An import's side of the read snapshot: the sets file kept current through an import
(store.snapshot), so the first `why` after it need not read every set back from the database.
backcheck.imports uses `SetsImport` and never names the snapshot itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy.engine import Connection

from backcheck.model import STORED_SET_SCHEMA
from backcheck.store.athletes import check_name, count_for
from backcheck.store.cache import locate
from backcheck.store.engine import after_commit
from backcheck.store.schema import sets
from backcheck.store.workouts import ORDER, WriteCounts, session_frame, stored_frame


class SetsImport:
    """Keeps an athlete's sets snapshot current through one import.

    Make it after locking the athlete (store.workouts.lock_athlete) and before writing: it
    takes the sets as they are (from the current snapshot file; none when there is no current
    one). After the writes, `finish` adds the sets the import added, when it knows them
    exactly (every set written was new: WriteCounts.added), and writes the file once the
    transaction has committed (a rolled-back import leaves no file behind). Otherwise the
    file is left stale and the next read goes through the store.
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

    def finish(self, conn: Connection, writes: Sequence[WriteCounts], *, exact: bool) -> None:
        """After the import's writes: once committed, write the sets file with the sets
        `writes` added, when `exact` (the stored sets are the ones before plus those added:
        false when the import re-read stored sets in another unit) and they are known."""
        added = [w.added for w in writes if w.new_sets or w.already_there]
        if not exact or self.before is None or not added or any(a is None for a in added):
            return
        # SQLite stores NaN as NULL: the snapshot must hold what a read gives back.
        new = pl.concat([a for a in added if a is not None]).with_columns(
            pl.col(pl.Float64).fill_nan(None)
        )
        rows = stored_frame(new, session_frame(conn, self.athlete), self.athlete)
        frame = pl.concat([self.before, rows]).sort(ORDER, nulls_last=False)
        snapshot = locate(conn, self.athlete)
        if snapshot is None or count_for(conn, sets, snapshot.stamp.athlete_id) != frame.height:
            return
        after_commit(conn, ("import-snapshot", self.athlete), lambda: snapshot.write_sets(frame))
