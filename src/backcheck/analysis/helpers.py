"""Small helpers the analyses share: column checks, optional columns, 7-day weeks, periods.

Weeks are 7-day bins counted back from a given last day (`end`, usually the analysis as_of):
bin 0 is the 7 days ending on `end`, bin 1 the 7 days before them, and so on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from backcheck.errors import UsageError


def need(frame: pl.DataFrame, columns: Iterable[str], parameter: str) -> None:
    """UsageError naming `parameter` and every one of `columns` that `frame` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(parameter, f"lacks column(s) {', '.join(missing)}")


def optional(frame: pl.DataFrame, name: str) -> pl.Expr | str:
    """Column `name` when `frame` has it, else a null Float64 literal (e.g. rir, rpe)."""
    return name if name in frame.columns else pl.lit(None, pl.Float64)


def week_bin(end: date) -> pl.Expr:
    """7-day bin index (Int32) of column `day` counted back from `end` (0 = the 7 days ending
    on `end`)."""
    return ((pl.lit(end) - pl.col("day")).dt.total_days() // 7).cast(pl.Int32)


def week_dates(end: date) -> list[pl.Expr]:
    """week_start and week_end (Dates, 7 days inclusive) of the bin in column `bin`."""
    week_end = pl.lit(end) - pl.duration(days=7 * pl.col("bin"))
    return [(week_end - pl.duration(days=6)).alias("week_start"), week_end.alias("week_end")]


def period_text(start: date, end: date) -> str:
    """An evidence period: "2026-01-05..2026-03-01" (ISO dates, both included)."""
    return f"{start.isoformat()}..{end.isoformat()}"
