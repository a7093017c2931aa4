"""The store's side of the read snapshots beside an SQLite store (format: store.snapshot).

`locate` stamps an athlete's snapshot in the caller's transaction, so a file written for it
never holds less or more than the stamp says; `cached_frame` serves the sets from it (or
reads the database and writes the file), and Snapshot.write_rest writes the rest of what
`why` reads, so the next `why` can skip the database (and SQLAlchemy) altogether. Deleting
an athlete's data deletes their files (`drop_cache`). PostgreSQL stores have no snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
from sqlalchemy.engine import Connection

from backcheck.store.engine import after_commit
from backcheck.store.snapshot import (
    STAMP_SQL,
    Snapshot,
    Stamp,
    athlete_files,
    folder_of,
    prefix,
)


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
    row = conn.exec_driver_sql(STAMP_SQL, (athlete,)).first()
    return None if row is None else Snapshot(folder, athlete, Stamp.from_row(tuple(row)))


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


def drop_after_commit(conn: Connection, athlete: str, kinds: tuple[str, ...] = ("*",)) -> None:
    """Delete `athlete`'s snapshot files (of these kinds; DIARY_KINDS after a diary delete
    keeps the sets file) once this transaction has committed: a delete of their rows leaves
    none of that data in files; a rolled-back one keeps them."""
    folder = cache_dir(conn)
    if folder is not None:
        after_commit(
            conn, ("drop-snapshot", athlete, kinds), lambda: drop_files(folder, athlete, kinds)
        )
