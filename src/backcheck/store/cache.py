"""A read cache of each athlete's canonical sets, next to an SQLite store.

Reading 150,000 sets through the SQLite driver costs most of a second (one Python object per
value); `why` must answer faster. After the first read, the frame is kept as an Arrow IPC
file beside the database (`backcheck.db.cache/`), valid while the athlete's set count and
newest set id are unchanged (every import changes them; sets are never edited in place).
The cache holds the same data as the database, with the same protection (same folder);
deleting an athlete's data deletes their cache file. PostgreSQL stores are not cached.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from backcheck.store.schema import athletes, sets

VERSION = 1


def cache_dir(conn: Connection) -> Path | None:
    """Folder of the cache for this connection's database (None: not an SQLite file)."""
    url = conn.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().with_suffix(".cache")


def _prefix(athlete: str) -> str:
    return f"sets-v{VERSION}-{hashlib.blake2b(athlete.encode(), digest_size=10).hexdigest()}-"


def _stamp(conn: Connection, athlete: str) -> str:
    count, newest = conn.execute(
        select(func.count(sets.c.id), func.max(sets.c.id))
        .select_from(sets.join(athletes, athletes.c.id == sets.c.athlete_id))
        .where(athletes.c.name == athlete)
    ).one()
    return f"{count}-{newest}"


def cached_frame(conn: Connection, athlete: str, load: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`load()`'s frame for `athlete`, from the cache when it is still valid.

    The validity stamp (set count and newest id) is part of the file name, so a stale file is
    never read, and each file is written whole before it is renamed into place.
    """
    folder = cache_dir(conn)
    if folder is None:
        return load()
    path = folder / f"{_prefix(athlete)}{_stamp(conn, athlete)}.arrow"
    try:
        return pl.read_ipc(path)
    except (OSError, pl.exceptions.ComputeError):
        pass
    frame = load()
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        for old in folder.glob(f"{_prefix(athlete)}*.arrow"):
            old.unlink(missing_ok=True)
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        frame.write_ipc(tmp, compression="zstd")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only folder: no cache, still correct
    return frame


def drop_cache(conn: Connection, athlete: str) -> None:
    """Delete `athlete`'s cache files (after deleting their data)."""
    folder = cache_dir(conn)
    if folder is not None and folder.exists():
        for old in folder.glob(f"{_prefix(athlete)}*.arrow"):
            old.unlink(missing_ok=True)
