"""The store's side of the read snapshots beside an SQLite store (format: store.snapshot).

`cached_frame` serves an athlete's sets from their snapshot file while it is current, and
writes it after reading the database; `save_snapshot` writes the rest of what `why` reads, so
the next `why` can skip the database (and SQLAlchemy) altogether. Both take their stamp in
the caller's transaction, so a file never holds less or more than the stamp says. Deleting
an athlete's data deletes their files (`drop_cache`). PostgreSQL stores have no snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.engine import Connection

from backcheck.store.snapshot import (
    STAMP_SQL,
    Stamp,
    athlete_files,
    folder_of,
    sets_path,
    write_file,
    write_rest,
)


def cache_dir(conn: Connection) -> Path | None:
    """Snapshot folder for this connection's database (None: not an SQLite file)."""
    url = conn.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return folder_of(Path(url.database).expanduser())


def stamp(conn: Connection, athlete: str) -> Stamp | None:
    """`athlete`'s stamp now (None when the athlete was never stored)."""
    row = conn.exec_driver_sql(STAMP_SQL, (athlete,)).first()
    return None if row is None else Stamp.from_row(tuple(row))


def cached_frame(conn: Connection, athlete: str, load: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`load()`'s frame of `athlete`'s sets, from their snapshot file while it is current."""
    folder = cache_dir(conn)
    now = stamp(conn, athlete) if folder is not None else None
    if folder is None or now is None:
        return load()
    path = sets_path(folder, athlete, now)
    try:
        return pl.read_ipc(path)
    except (OSError, pl.exceptions.PolarsError):
        pass
    frame = load()
    write_file(
        folder, path, lambda p: frame.write_ipc(p, compression="zstd"), kind="sets", athlete=athlete
    )
    return frame


def save_snapshot(
    conn: Connection,
    athlete: str,
    *,
    pain: pl.DataFrame,
    recovery: pl.DataFrame,
    videos: list[dict[str, Any]],
    triage: tuple[datetime, dict[str, bool]] | None,
) -> None:
    """Write `athlete`'s pain, recovery, form-check and answer files, all read in this
    transaction (the sets file is written by `cached_frame`)."""
    folder = cache_dir(conn)
    now = stamp(conn, athlete) if folder is not None else None
    if folder is not None and now is not None:
        write_rest(folder, athlete, now, pain=pain, recovery=recovery, videos=videos, triage=triage)


def sets_file_current(conn: Connection, athlete: str) -> bool:
    """Whether `athlete`'s sets snapshot file matches the database now."""
    folder = cache_dir(conn)
    now = stamp(conn, athlete) if folder is not None else None
    return folder is not None and now is not None and sets_path(folder, athlete, now).is_file()


def drop_cache(conn: Connection, athlete: str) -> None:
    """Delete `athlete`'s snapshot files (after deleting their data)."""
    folder = cache_dir(conn)
    if folder is not None and folder.exists():
        for old in athlete_files(folder, athlete):
            old.unlink(missing_ok=True)
