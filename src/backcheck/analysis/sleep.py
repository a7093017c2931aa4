"""Sleep and recovery practices from the recovery log (docs/science.md section 4).

Sleep under 8 h went with 1.7x injuries in adolescent athletes (Milewski et al. 2014; grade B);
7+ h is the general advice for adults, so a night under SHORT_NIGHT_H (7 h) is short. Sleep
rows are the night that ends on the morning of `day` (CONTRACT recovery CSV); several rows
for one night give its longest value. Recovery practices (yoga, foam rolling, massage,
stretching, meditation; minutes) have no outcome source here: they are advice only (grade C).
Weeks are 7-day bins ending on a given day (the analysis as_of). The recovery cause
(`recovery.analyze`) scores the share of short nights; this module measures and words it.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

from backcheck.analysis.helpers import need, period_text, week_bin, week_dates
from backcheck.evidence import SOURCES
from backcheck.model import RECOVERY_KINDS, Evidence

SHORT_NIGHT_H: Final = 7.0
PRACTICES: Final = tuple(k for k in RECOVERY_KINDS if k != "sleep")
NIGHT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "day": pl.Date(),
    "hours": pl.Float64(),
    "short": pl.Boolean(),
}
PRACTICE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "week_start": pl.Date(),
    "week_end": pl.Date(),
    "kind": pl.String(),
    "minutes": pl.Float64(),
}


def sleep_nights(recovery: pl.DataFrame) -> pl.DataFrame:
    """One row per logged night: day (the morning it ended), hours (the max of that night's
    rows), short (hours < 7). Ascending by day; rows with no value are ignored."""
    need(recovery, ("day", "kind", "value"), "recovery")
    return (
        recovery.filter((pl.col("kind") == "sleep") & pl.col("value").is_not_null())
        .group_by("day")
        .agg(pl.col("value").max().cast(pl.Float64).alias("hours"))
        .with_columns((pl.col("hours") < SHORT_NIGHT_H).alias("short"))
        .sort("day")
        .cast(NIGHT_SCHEMA)  # type: ignore[arg-type]
    )


def practices(recovery: pl.DataFrame, *, end: date | None = None) -> pl.DataFrame:
    """Minutes of each recovery practice (PRACTICES) per 7-day week ending on `end`.

    `end` defaults to the last day in `recovery`; later rows are ignored. Columns: week_start,
    week_end, kind, minutes (sum). Only weeks and kinds with a logged row; ascending by week.
    """
    need(recovery, ("day", "kind", "value"), "recovery")
    rows = recovery.filter(pl.col("kind").is_in(PRACTICES) & pl.col("value").is_not_null())
    last = end if end is not None else recovery["day"].max()
    if not isinstance(last, date):  # no rows at all
        return pl.DataFrame(schema=PRACTICE_SCHEMA)
    return (
        rows.filter(pl.col("day") <= last)
        .group_by(week_bin(last).alias("bin"), "kind")
        .agg(pl.col("value").sum().cast(pl.Float64).alias("minutes"))
        .with_columns(week_dates(last))
        .sort("week_start", "kind")
        .select(list(PRACTICE_SCHEMA))
        .cast(PRACTICE_SCHEMA)  # type: ignore[arg-type]
    )


def sleep_evidence(
    nights: pl.DataFrame, *, label: str, period: str, threshold: float
) -> tuple[float | None, Evidence]:
    """The share (0-1) of short nights among `nights` (sleep_nights rows) and its evidence.

    Evidence `short_sleep_share`: percent of nights under 7 h against `threshold` (%), over
    `period`; `label` says which nights ("in the last 8 weeks"). With no nights the share is
    None (unknown, not fine) and the evidence says so, with no value and no period.
    """
    grade, metric = SOURCES["milewski2014"].grade, "short_sleep_share"
    if nights.height == 0:
        text = (
            "No sleep logged, so backcheck cannot tell whether short sleep plays a part "
            "(unknown, not fine). Import it with `backcheck recovery import`."
        )
        return None, Evidence(metric, None, threshold, "%", "", grade, text)
    n_short = int(nights["short"].sum())
    share = n_short / nights.height
    mean = float(nights["hours"].mean())  # type: ignore[arg-type]
    text = (
        f"{n_short} of your {nights.height} logged nights {label} were under 7 hours "
        f"(average {mean:.1f} h). In young athletes, under 8 hours went with 1.7 times the "
        "injuries; 7+ hours is the usual advice for adults."
    )
    value = round(100 * share, 1)
    return share, Evidence(metric, value, threshold, "%", period, grade, text)


def practice_evidence(recovery: pl.DataFrame, *, start: date, end: date) -> Evidence:
    """`recovery_practice_minutes_per_week` (grade C, no threshold) over start..end.

    Minutes a week of every practice in the weeks (ending on `end`) that end on or after
    `start`, divided by the window's length in weeks ((end - start + 1 day) / 7), with each
    kind's share in the text; 0 when no practice was ever logged.
    """
    grade, metric = "C", "recovery_practice_minutes_per_week"  # no outcome source: advice only
    done = practices(recovery, end=end)
    recent = done.filter(pl.col("week_end") >= start)
    period = period_text(start, end)
    if done.height == 0:
        text = (
            "No yoga, foam rolling, massage, stretching or meditation logged. Such recovery "
            "work is commonly advised, though no trial shows it prevents upper-back pain."
        )
        return Evidence(metric, 0.0, None, "min/week", period, grade, text)
    weeks = ((end - start).days + 1) / 7
    per_kind = (
        recent.group_by("kind")
        .agg(pl.col("minutes").sum())
        .sort(["minutes", "kind"], descending=[True, False])
    )
    per_week = float(recent["minutes"].sum()) / weeks
    said = ", ".join(f"{k.replace('-', ' ')} {m / weeks:.0f}" for k, m in per_kind.iter_rows())
    text = f"You logged {round(per_week, 1):g} minutes a week of recovery work in the last {weeks:g} weeks"
    text += f" ({said})." if said else "."
    return Evidence(metric, round(per_week, 1), None, "min/week", period, grade, text)
