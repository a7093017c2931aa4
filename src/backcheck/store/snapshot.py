"""Read snapshots of an athlete's stored inputs beside an SQLite store, read without SQLAlchemy.

`backcheck why` must answer within a second on ten years of daily training (150,000 sets).
Reading the sets through the database driver costs most of that second (one Python object per
value), and importing SQLAlchemy alone about 0.15 s. So everything `why` reads for an athlete
is also kept as files in a folder beside the database (`backcheck.db` -> `backcheck.cache/`,
mode 0700, the same protection as the database itself):

- `sets-...arrow`: the canonical set frame (model.STORED_SET_SCHEMA), Arrow IPC with zstd;
- `pain-...arrow`, `recovery-...arrow`: the pain diary and recovery log frames;
- `extra-...json`: form-check results, the newest red-flag answers and the athlete's own
  exercise-name meanings (store.exercise_map).

Each file is named by the athlete's stamp (store.stamp, the one stamp of their data) taken in
the transaction that read it: the sets file by `Stamp.sets_key` (so a new diary entry keeps
it), the others by `Stamp.full_key`. The keys also hold this backcheck's version and the
file layout (stamp.FORMAT): files another version wrote are never read. Files are written
whole and renamed into place.

This module only names, writes and reads the files; the store owns them (store.cache):
every read through the store writes them, an import adds its new sets to the sets file
(store.importing), a diary entry, answers or a form check rewrite the small files once
committed (store.diary), and every delete drops them once committed (store.erase,
store.importlog). A write that cannot keep them current leaves them stale, and the next
read goes through the store. The rest of backcheck asks store.inputs for an athlete's
inputs and never names this module. PostgreSQL stores have no snapshot: a server is shared
and read through the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from backcheck.store.stamp import STAMP_SQL, Stamp
from backcheck.store.stored import StoredInputs

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


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
        exercise_map: dict[str, str],
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
            "exercise_map": exercise_map,
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
        doc = json.loads(paths["extra"].read_text(encoding="utf-8"))
        videos = [{**v, "recorded_on": date.fromisoformat(v["recorded_on"])} for v in doc["videos"]]
        t = doc["triage"]
        return StoredInputs(
            athlete=self.athlete,
            sets=pl.read_ipc(self.sets_file),
            pain=pl.read_ipc(paths["pain"]),
            recovery=pl.read_ipc(paths["recovery"]),
            videos=videos,
            triage=None if t is None else (datetime.fromisoformat(t["answered_at"]), t["answers"]),
            exercise_map=dict(doc["exercise_map"]),
        )


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
            row = conn.execute(STAMP_SQL, {"athlete": athlete}).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # also a store older than the change counters: read through the store
    stamp = None if row is None else Stamp.from_row(row)
    if stamp is None:
        return None  # no such athlete (the store says so) or no schema yet
    try:
        return Snapshot(folder_of(database), athlete, stamp).read()
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None
