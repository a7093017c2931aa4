"""The one stamp of an athlete's stored data: what every cache of it is keyed on.

A stamp is one row of `STAMP_SQL`, read in one query: the athlete's id (never reused:
AUTOINCREMENT, migration 3) and creation time, the store's schema version, and the athlete's
change counters (store.athletes.bump_revision): `sets_revision` (their sets) and `revision`
(any of their rows: sets, pain diary, recovery log, red-flag answers, form checks, saved
plans and their own exercise-name meanings, store.exercise_map). Every write and every delete
of those rows bumps the counters in its own transaction, and they only ever go up, so a stamp
that still matches means the same rows; row counts (the stamp before) came back to an earlier
value after a delete and served deleted data. A new schema version changes every stamp.

Two caches are keyed on it, and on nothing else: the read snapshot files beside an SQLite
store (store.snapshot: `sets_key` names the sets file, `full_key` the others) and the web
app's report cache (web.reportcache). The store reads it through SQLAlchemy (`read_stamp`);
the snapshot reader runs the same statement through Python's sqlite3 module, so the CLI can
answer from a current snapshot before SQLAlchemy is even imported. The statement uses a named
parameter (`:athlete`), which both sqlite3 and SQLAlchemy's `text()` accept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backcheck import __version__

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: Version of the snapshot files' layout (store.snapshot); part of every file's key.
FORMAT = 4
#: The stamp of the athlete named `:athlete` (no row: no such athlete).
STAMP_SQL = (
    "SELECT a.id, a.created_at, (SELECT max(version) FROM schema_migrations), "
    "a.sets_revision, a.revision FROM athletes AS a WHERE a.name = :athlete"
)


@dataclass(frozen=True, slots=True)
class Stamp:
    """One athlete's identity, the schema version and their change counters (a row of
    STAMP_SQL). Equal stamps mean the same stored rows; hashable, so a cache key."""

    athlete_id: int
    created_at: str
    schema: int
    sets_revision: int
    revision: int

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Stamp | None:
        """The stamp of a STAMP_SQL row (None: no schema recorded yet)."""
        if row[2] is None:
            return None
        return cls(int(row[0]), str(row[1]), int(row[2]), int(row[3]), int(row[4]))

    def _digest(self, counters: tuple[int, ...]) -> str:
        text = (
            f"{__version__}|{FORMAT}|{self.schema}|{self.athlete_id}|{self.created_at}|{counters}"
        )
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    @property
    def sets_key(self) -> str:
        """Names the sets file: changes with the athlete's sets only (sets_revision), the
        schema and this backcheck's version."""
        return self._digest((self.sets_revision,))

    @property
    def full_key(self) -> str:
        """Names the other files: changes with any of the athlete's rows (revision too)."""
        return self._digest((self.sets_revision, self.revision))


def read_stamp(conn: Connection, athlete: str) -> Stamp | None:
    """The stamp of the athlete named `athlete` (trimmed, as stored) in this transaction;
    None when there is no such athlete."""
    from sqlalchemy import text

    row = conn.execute(text(STAMP_SQL), {"athlete": athlete}).first()
    return None if row is None else Stamp.from_row(tuple(row))
