"""Imbalance as a phase: the worst 4-week push:pull window of the last 26 weeks.

docs/science.md section 3 flags horizontal push above pull by more than 1.5x over 4+ weeks. An
imbalance that lasted a few weeks and ended (a bench-focused block, say) is gone from the last
8 weeks that balance.analyze averages, yet it may be what the pain followed. So the imbalance
cause also looks back PHASE_WEEKS (26) weeks: its worst 4-week window (by balance's window
part, 0-1) is the phase abnormality, and every training day gets the pain-model factor
FACTOR ("push_heavy_week"): exposed when its 7-day week (counted back from the analysis day)
had more than 1.5x as many horizontal push hard sets as pull hard sets (or pushing and no
pulling). Its link is judged like the other factors (analysis.painmodel, analysis.ranking).
The 26 weeks and the weekly flag are backcheck's convention (grade C), the same threshold as
the 4-week rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

import polars as pl

from backcheck.analysis.context import EXPOSURE_SCHEMA
from backcheck.analysis.helpers import week_bin

#: How far back (weeks) the worst 4-week window is looked for.
PHASE_WEEKS: Final = 26
FACTOR: Final = "push_heavy_week"


@dataclass(frozen=True, slots=True)
class Phase:
    """The worst 4-week window: abnormality (0-1, balance's window part), its first and last
    day, and its horizontal push:pull hard-set ratio (None: pushing and no pulling)."""

    abnormality: float
    start: date
    end: date
    ratio: float | None


def worst_window(
    windows: Sequence[Mapping[str, Any]],
    *,
    as_of: date,
    part: Callable[[Mapping[str, Any]], float | None],
    window_weeks: int = 4,
) -> Phase | None:
    """The window (a balance.push_pull row) with the largest `part` among those lying in the
    last PHASE_WEEKS weeks up to `as_of`; None when none holds any push or pull. The latest
    wins a tie."""
    first_end = as_of - timedelta(weeks=PHASE_WEEKS - window_weeks)
    best: Phase | None = None
    for w in windows:
        if w["week_end"] < first_end:
            continue
        value = part(w)
        if value is None or (best is not None and value < best.abnormality):
            continue
        ratio = None if w["h_no_pull_sets_4w"] else w["h_ratio_sets_4w"]
        start = w["week_start"] - timedelta(weeks=int(w["weeks_4w"]) - 1)
        best = Phase(value, start, w["week_end"], ratio)
    return best


def heavy_week_exposures(day_sums: pl.DataFrame, *, as_of: date, flag: float) -> pl.DataFrame:
    """EXPOSURE_SCHEMA rows of FACTOR: every day of `day_sums` (day, h_push_sets, h_pull_sets:
    hard sets that day) up to `as_of`, exposed when its 7-day week's push hard sets exceed
    `flag` (> 0) times its pull hard sets."""
    days = day_sums.filter(pl.col("day") <= as_of).with_columns(week_bin(as_of).alias("bin"))
    weekly = days.group_by("bin").agg(
        (pl.col("h_push_sets").sum() > flag * pl.col("h_pull_sets").sum()).alias("exposed")
    )
    return (
        days.join(weekly, on="bin", how="left")
        .sort("day")
        .select("day", pl.lit(FACTOR).alias("factor"), "exposed")
        .cast(EXPOSURE_SCHEMA)  # type: ignore[arg-type]
    )
