"""Content keys: stable 64-bit hashes that say when two records are the same record.

A set is the same set when its session start, exercise as logged, set index and type, load,
reps, distance and time agree - whichever file or app it came from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

_SEP = "\x1f"
_ISO = "%Y-%m-%dT%H:%M:%S%.6fZ"


def digest(values: list[str]) -> list[int]:
    """Stable signed 64-bit content hashes (BLAKE2b) of `values`; equal text, equal key."""
    return [
        int.from_bytes(hashlib.blake2b(v.encode(), digest_size=8).digest(), "big", signed=True)
        for v in values
    ]


def _text(expr: pl.Expr, decimals: int | None = None) -> pl.Expr:
    if decimals is not None:
        expr = expr.round(decimals)
    return expr.cast(pl.String).fill_null("")


def session_keys(frame: pl.DataFrame) -> pl.Series:
    """Content key of each row's session: its start instant (UTC, microseconds)."""
    starts = frame.select(pl.col("session_start").dt.strftime(_ISO).alias("start"))
    distinct = starts.unique("start")
    keyed = distinct.with_columns(
        pl.Series("session_key", digest(distinct["start"].to_list()), dtype=pl.Int64)
    )
    return starts.join(keyed, on="start", how="left", maintain_order="left")["session_key"]


def set_identity(frame: pl.DataFrame) -> pl.DataFrame:
    """The identity columns of each set, as text (equal rows are the same set)."""
    return frame.select(
        pl.col("session_start").dt.strftime(_ISO),
        _text(pl.col("exercise")),
        _text(pl.col("set_index")),
        _text(pl.col("set_type")),
        _text(pl.col("weight_kg"), 3),
        _text(pl.col("reps")),
        _text(pl.col("distance_m"), 2),
        _text(pl.col("seconds"), 2),
    )


def set_keys(frame: pl.DataFrame) -> pl.Series:
    """Content key of each set of a canonical set frame (a hash of its `set_identity`)."""
    src = set_identity(frame).select(pl.concat_str(pl.all(), separator=_SEP)).to_series()
    return pl.Series("set_key", digest(src.to_list()), dtype=pl.Int64)


#: The columns of a set row that belong to its session (the first row of a session wins).
SESSION_COLUMNS = ("session_start", "session_name", "session_notes", "duration_s")


def distinct_sets(frame: pl.DataFrame) -> pl.DataFrame:
    """Canonical sets `frame` with `session_key` and `set_key` added, each set once: rows with
    the same set key are the same set and the first (in frame order) is kept. The one rule of
    set de-duplication: store.workouts.add_sets stores these rows (its unique key per athlete
    keeps a set stored before), batch.athlete.stored_sets builds the same in memory."""
    return frame.with_columns(session_keys(frame), set_keys(frame)).unique(
        subset="set_key", keep="first", maintain_order=True
    )


def distinct_sessions(sets: pl.DataFrame) -> pl.DataFrame:
    """One row per `session_key` of a `distinct_sets` frame, in order of first appearance:
    session_key and SESSION_COLUMNS taken from the session's first set."""
    return sets.group_by("session_key", maintain_order=True).agg(
        pl.col(c).first() for c in SESSION_COLUMNS
    )


def file_hash(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes: the same export imported again has the same."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def row_keys(columns: list[pl.Expr], frame: pl.DataFrame) -> list[int]:
    """Content keys of arbitrary rows: the given expressions joined as text, then hashed."""
    src = frame.select(
        pl.concat_str([c.cast(pl.String).fill_null("") for c in columns], separator=_SEP)
    )
    return digest(src.to_series().to_list())
