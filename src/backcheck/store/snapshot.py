"""Read snapshots of an athlete's stored inputs beside an SQLite store, read without SQLAlchemy.

`backcheck why` must answer within a second on ten years of daily training (150,000 sets).
Reading the sets through the database driver costs most of that second (one Python object per
value), and importing SQLAlchemy alone about 0.15 s. So everything `why` reads for an athlete
is also kept as files in a folder beside the database (`backcheck.db` -> `backcheck.cache/`,
mode 0700, the same protection as the database itself):

- `sets-...arrow`: the canonical set frame (model.STORED_SET_SCHEMA), Arrow IPC with zstd;
- `pain-...arrow`, `recovery-...arrow`: the pain diary and recovery log frames;
- `extra-...json`: form-check results and the newest red-flag answers.

Each file is named by a stamp of what it holds, taken in the transaction that read it: the
athlete's id (never reused: AUTOINCREMENT, migration 3) and creation time, the schema version
and the athlete's change counters (store.athletes.bump_revision): `sets_revision` for the
sets file (so a new diary entry keeps it), `revision` for the others. Every write and delete
of the athlete's rows bumps them in its own transaction, and they only ever go up, so a stamp
that still matches means the same rows (row counts, the stamp before, came back to an earlier
value after a delete and served deleted data). Deleting the athlete deletes their files too
(store.cache.drop_cache). The file names also hold this backcheck's version: files another
version wrote are never read. Files are written whole and renamed into place.

The athlete's own meanings of exercise names (`exercises map`; a few rows changed in place)
are never kept in a file: `read_snapshot` reads them with the stamp (`MAP_SQL`), so a new
meaning is used by the very next `why` or `plan`.

`STAMP_SQL` is the one statement both sides run: the store through its SQLAlchemy connection
(store.cache, which writes the files), `read_snapshot` through Python's sqlite3 module (read
only), so the CLI can answer from a current snapshot before SQLAlchemy is even imported.
The files are written by every read through the store, and kept current by the writes a
user makes every day: an import adds its new sets to the sets file (store.inputs), and a
diary entry, answers or a form check rewrite the small files once committed (store.diary).
A write that cannot keep them current (sets already partly stored) leaves them stale, and
the next read goes through the store. PostgreSQL stores have no snapshot: a server is shared
and read through the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from backcheck import __version__

FORMAT = 3
STAMP_SQL = (
    "SELECT a.id, a.created_at, (SELECT max(version) FROM schema_migrations), "
    "a.sets_revision, a.revision FROM athletes AS a WHERE a.name = ?"
)
#: The athlete's own meaning of logged names (store.exercise_map), read with the stamp.
MAP_SQL = (
    "SELECT m.name, m.key FROM exercise_map AS m JOIN athletes AS a ON a.id = m.athlete_id "
    "WHERE a.name = ? ORDER BY m.name"
)
_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


@dataclass(slots=True)
class StoredInputs:
    """Everything `why` reads for one athlete, as the store hands it back.

    athlete: their name as stored (trimmed); sets: model.STORED_SET_SCHEMA; pain:
    store.diary.PAIN_SCHEMA; recovery: store.diary.RECOVERY_SCHEMA; videos: form-check
    results, oldest first; triage: the newest red-flag answers with when they were given
    (None: never answered); exercise_map: the athlete's own meaning of logged names (logged
    name -> catalog key; store.exercise_map, read afresh every time, never from a file).
    """

    athlete: str
    sets: pl.DataFrame
    pain: pl.DataFrame
    recovery: pl.DataFrame
    videos: list[dict[str, Any]] = field(default_factory=list)
    triage: tuple[datetime, dict[str, bool]] | None = None
    exercise_map: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stamp:
    """One athlete's identity and change counters (a row of STAMP_SQL)."""

    athlete_id: int
    created_at: str
    schema: int
    counts: tuple[int, ...]  # (sets_revision, revision)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Stamp:
        return cls(int(row[0]), str(row[1]), int(row[2]), tuple(int(n) for n in row[3:]))

    def _digest(self, counts: tuple[int, ...]) -> str:
        text = f"{__version__}|{FORMAT}|{self.schema}|{self.athlete_id}|{self.created_at}|{counts}"
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    @property
    def sets_key(self) -> str:
        """Names the sets file: changes with the athlete's sets only (sets_revision)."""
        return self._digest(self.counts[:1])

    @property
    def full_key(self) -> str:
        """Names the other files: changes with any of the athlete's rows (revision)."""
        return self._digest(self.counts)


def sqlite_database(url: str) -> Path | None:
    """The database file of a plain SQLite URL (`sqlite:///backcheck.db`, `sqlite:////abs.db`),
    else None (other databases, in-memory, URLs with query options or escapes)."""
    for prefix in _SQLITE_PREFIXES:
        if url.startswith(prefix):
            name = url[len(prefix) :]
            if not name or name == ":memory:" or any(c in name for c in "?#%"):
                return None
            return Path(name).expanduser()
    return None


def folder_of(database: Path) -> Path:
    """The snapshot folder beside SQLite file `database`."""
    return database.with_suffix(".cache")


def prefix(athlete: str) -> str:
    """Start of every snapshot file name of `athlete` (their name, hashed)."""
    return f"{hashlib.blake2b(athlete.encode(), digest_size=10).hexdigest()}-"


def athlete_files(folder: Path, athlete: str, kind: str = "*") -> list[Path]:
    """Every snapshot file of `athlete` in `folder` (of one kind: sets, pain, ...)."""
    return list(folder.glob(f"{kind}-{prefix(athlete)}*"))


def write_file(
    folder: Path, path: Path, write: Callable[[Path], object], *, kind: str, athlete: str
) -> None:
    """Write `path` whole (through a temporary file), replacing `athlete`'s older files of
    the same kind. A folder that cannot be written means no snapshot, never an error."""
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        for old in athlete_files(folder, athlete, kind):
            if old != path:
                old.unlink(missing_ok=True)
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        write(tmp)
        os.replace(tmp, path)
    except OSError:
        pass


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One athlete's snapshot files as of one stamp: their names, writing and reading."""

    folder: Path
    athlete: str
    stamp: Stamp

    @property
    def sets_file(self) -> Path:
        return self.folder / f"sets-{prefix(self.athlete)}{self.stamp.sets_key}.arrow"

    def _rest_files(self) -> dict[str, Path]:
        base = f"{prefix(self.athlete)}{self.stamp.full_key}"
        return {
            "pain": self.folder / f"pain-{base}.arrow",
            "recovery": self.folder / f"recovery-{base}.arrow",
            "extra": self.folder / f"extra-{base}.json",
        }

    def write_sets(self, sets: pl.DataFrame) -> None:
        """Write the sets file (model.STORED_SET_SCHEMA, in store.workouts.ORDER)."""
        write = lambda p: sets.write_ipc(p, compression="zstd")  # noqa: E731
        write_file(self.folder, self.sets_file, write, kind="sets", athlete=self.athlete)

    def write_rest(
        self,
        *,
        pain: pl.DataFrame,
        recovery: pl.DataFrame,
        videos: list[dict[str, Any]],
        triage: tuple[datetime, dict[str, bool]] | None,
    ) -> None:
        """Write the pain, recovery and extra files (unless an earlier read of the same rows
        already did)."""
        paths = self._rest_files()
        if all(p.is_file() for p in paths.values()):
            return
        extra = {
            "videos": [{**v, "recorded_on": v["recorded_on"].isoformat()} for v in videos],
            "triage": None
            if triage is None
            else {"answered_at": triage[0].isoformat(), "answers": triage[1]},
        }
        text = json.dumps(extra, ensure_ascii=False, sort_keys=True)
        writers: dict[str, Callable[[Path], object]] = {
            "pain": pain.write_ipc,
            "recovery": recovery.write_ipc,
            "extra": lambda p: p.write_text(text, encoding="utf-8"),
        }
        for kind, write in writers.items():
            write_file(self.folder, paths[kind], write, kind=kind, athlete=self.athlete)

    def read(self) -> StoredInputs:
        """Every file read back; OSError (or a Polars, JSON or key error) when one is missing
        or unreadable."""
        paths = self._rest_files()
        videos, triage = _read_extra(paths["extra"])
        return StoredInputs(
            athlete=self.athlete,
            sets=pl.read_ipc(self.sets_file),
            pain=pl.read_ipc(paths["pain"]),
            recovery=pl.read_ipc(paths["recovery"]),
            videos=videos,
            triage=triage,
        )


def _read_extra(path: Path) -> tuple[list[dict[str, Any]], tuple[datetime, dict[str, bool]] | None]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    videos = [{**v, "recorded_on": date.fromisoformat(v["recorded_on"])} for v in doc["videos"]]
    t = doc["triage"]
    return videos, None if t is None else (datetime.fromisoformat(t["answered_at"]), t["answers"])


def read_snapshot(url: str, athlete: str) -> StoredInputs | None:
    """`athlete`'s inputs from the snapshot of the SQLite store at `url` when every file is
    current, else None (read through the store instead). Opens the database read-only and
    never changes it; any error reading means None."""
    database = sqlite_database(url)
    if database is None or not database.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute(STAMP_SQL, (athlete,)).fetchone()
            own = dict(conn.execute(MAP_SQL, (athlete,)).fetchall()) if row else {}
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # also a store older than the exercise_map table: read through the store
    if row is None or row[2] is None:
        return None  # no such athlete (the store says so) or no schema yet
    snapshot = Snapshot(folder_of(database), athlete, Stamp.from_row(row))
    try:
        inputs = snapshot.read()
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None
    inputs.exercise_map = own
    return inputs


def inputs_at(url: str, athlete: str) -> StoredInputs:
    """`athlete`'s inputs in the store at `url`: from the snapshot when it is current (no
    SQLAlchemy import), else read through the store (which writes the snapshot)."""
    found = read_snapshot(url, athlete.strip())  # names are stored trimmed
    if found is not None:
        return found
    from backcheck.store.engine import open_store
    from backcheck.store.inputs import load_inputs

    store = open_store(url)
    try:
        with store.transaction() as conn:
            return load_inputs(conn, athlete)
    finally:
        store.close()
