"""The store's side of the read snapshots beside an SQLite store (format: store.snapshot).

`locate` stamps an athlete's snapshot in the caller's transaction (store.stamp), so a file
written for it never holds less or more than the stamp says; `cached_frame` serves the sets
from it (or reads the database and writes the file), and Snapshot.write_rest writes the rest
of what `why` reads, so the next `why` can skip the database (and SQLAlchemy) altogether.
Every delete of an athlete's rows drops their files once it has committed
(`drop_after_commit`, called by the store's delete functions themselves: store.erase,
store.importlog). Only store modules use this one. PostgreSQL stores have no snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.engine import Connection

from backcheck.store.engine import after_commit
from backcheck.store.schema import athletes
from backcheck.store.snapshot import Snapshot, athlete_files, folder_of, prefix
from backcheck.store.stamp import read_stamp


def cache_dir(conn: Connection) -> Path | None:
    """Snapshot folder for this connection's database (None: not an SQLite file)."""
    url = conn.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return folder_of(Path(url.database).expanduser())


def locate(conn: Connection, athlete: str) -> Snapshot | None:
    """`athlete`'s snapshot as of now, stamped in this transaction (None: not an SQLite file,
    or the athlete was never stored)."""
    folder = cache_dir(conn)
    if folder is None:
        return None
    stamp = read_stamp(conn, athlete)
    return None if stamp is None else Snapshot(folder, athlete, stamp)


def cached_frame(snapshot: Snapshot | None, load: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`load()`'s frame of an athlete's sets, from `snapshot`'s sets file when it exists
    (else loaded and written there; no snapshot: just loaded)."""
    if snapshot is None:
        return load()
    try:
        return pl.read_ipc(snapshot.sets_file)
    except (OSError, pl.exceptions.PolarsError):
        pass
    frame = load()
    snapshot.write_sets(frame)
    return frame


def drop_cache(conn: Connection, athlete: str) -> None:
    """Delete `athlete`'s snapshot files (after deleting their data)."""
    folder = cache_dir(conn)
    if folder is not None:
        drop_files(folder, athlete)


#: The snapshot files that do not hold sets (store.snapshot), in the order of their kinds.
DIARY_KINDS = ("pain", "recovery", "extra")


def drop_files(folder: Path, athlete: str, kinds: tuple[str, ...] = ("*",)) -> None:
    """Delete `athlete`'s snapshot files of these kinds ("*": all) in `folder`, half-written
    ones too."""
    if folder.exists():
        for kind in kinds:
            for old in athlete_files(folder, athlete, kind):
                old.unlink(missing_ok=True)
            for tmp in folder.glob(f".{kind}-{prefix(athlete)}*.tmp"):
                tmp.unlink(missing_ok=True)


def drop_after_commit(conn: Connection, athlete: int, kinds: tuple[str, ...] = ("*",)) -> None:
    """Delete athlete id `athlete`'s snapshot files (of these kinds; DIARY_KINDS after a diary
    delete keeps the sets file) once this transaction has committed: a delete of their rows
    leaves none of that data in files; a rolled-back one keeps them. Call it before deleting
    the athlete's own row (their name is read here)."""
    folder = cache_dir(conn)
    if folder is None:
        return
    name = conn.execute(select(athletes.c.name).where(athletes.c.id == athlete)).scalar()
    if name is not None:
        after_commit(conn, ("drop-snapshot", name, kinds), lambda: drop_files(folder, name, kinds))
