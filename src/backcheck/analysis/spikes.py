"""Spike weeks: sudden jumps in upper-back load, judged against the athlete's own history.

docs/science.md section 1 (revised): a sudden jump is rare by definition, a week above what this
athlete is used to. Weeks run Monday to Sunday over local calendar days (the `date` of a
load.daily_region_load frame). A week's load W is its upper-back volume load (kg, the
region-weighted sum over model.UPPER_BACK_REGIONS: row `upper_back` of the daily frame). A
week is a spike week when all four hold:

1. History: the week starts at least HISTORY_WEEKS (4) weeks after the log's first day, and
   those 4 weeks hold some upper-back load (a restart after a month or more off begins a new
   history, like the start of a log: it is not judged).
2. Above the level carried: W > RATIO_FLOOR (1.3) x reference, where reference is the higher
   of the chronic load (mean of the 4 weeks before: docs/science.md's chronic window) and the
   level carried in the CARRIED_WEEKS (8) weeks before: the second-highest of those weeks
   that were not spikes themselves (a level held at least twice; one odd week sets no
   level). A return to a level already carried (after a deload, a holiday, an illness) is
   no jump. 1.3 is the top of the 0.8-1.3 "sweet spot" (Gabbett 2016, BJSM 50:273).
3. Beyond the athlete's usual variation: ratio = W / chronic above the upper end of their own
   range of weekly ratios over the log, fence = median + FENCE_K (4) x (median - lower
   quartile). For evenly spread weeks this is Tukey's outlier fence (Q3 + 1.5 x IQR); taking
   the spread from the weeks below the median keeps the jumps themselves from widening it
   (a 90th percentile or Tukey's fence stop seeing spikes once they are a tenth or a quarter
   of the weeks). A statistical convention, grade C. With fewer than RANGE_MIN_WEEKS (8)
   ratios the usual range is not known yet and only the 1.3x floor applies (DEFAULT_FENCE;
   in simulated 7-11-week logs Hulin's 1.5 missed a third of the jumps, while 1.3 found
   nine in ten at the cost of three false weeks in 72 logs without jumps).
4. Material: W - reference >= MATERIAL (0.3) x the athlete's typical week (the median of the
   weeks with any upper-back load): a jump from a tiny base is not a jump in load.

Regions explain a spike, they do not make one: each spike week names the upper-back regions
whose load rose most over their own 4-week mean, largest first, until they hold two thirds
of the rise (at most three). Grade: B when the ratio is 1.5 or more (Hulin et al. 2016: ACWR
>= 1.5 went with more injuries in team sports), else C (the personal-range convention).
Everything is descriptive (Impellizzeri et al. 2020, J Athl Train 55:893; 2021): a fact about
the log, never an injury probability.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

import polars as pl

from backcheck.analysis.helpers import need
from backcheck.model import UPPER_BACK_REGIONS

HISTORY_WEEKS: Final = 4
CARRIED_WEEKS: Final = 8
CARRIED_RANK: Final = 2
RATIO_FLOOR: Final = 1.3
RANGE_MIN_WEEKS: Final = 8
DEFAULT_FENCE: Final = RATIO_FLOOR
FENCE_K: Final = 4.0
MATERIAL: Final = 0.3
#: Ratio from which a spike is graded B (Hulin et al. 2016); below it, C.
GRADE_B_RATIO: Final = 1.5
#: Regions named until they hold this share of the week's rise (at most EXPLAIN_MAX of them).
EXPLAIN_SHARE: Final = 2 / 3
EXPLAIN_MAX: Final = 3
#: A day of a spike week carried the jump when its upper-back load is at least this share
#: of the week's mean upper-back training day (convention).
DAY_SHARE: Final = 0.5

#: One row per week of the log (judge_weeks) or per spike week (spike_weeks).
WEEK_SCHEMA: Final = {
    "week": pl.Date(),  # Monday
    "week_end": pl.Date(),  # Sunday
    "load": pl.Float64(),  # kg, upper back
    "chronic": pl.Float64(),  # kg a week, mean of the 4 weeks before (null in the first 4)
    "carried": pl.Float64(),  # kg, 2nd-highest non-spike week of the 8 before (null: none)
    "reference": pl.Float64(),  # kg, the higher of chronic and carried
    "ratio": pl.Float64(),  # load / chronic (null where chronic is 0 or null)
    "fence": pl.Float64(),  # the athlete's upper range of the ratio (same every week)
    "fence_rule": pl.String(),  # "own" (from own weeks) or "default" (too few weeks: 1.3)
    "typical": pl.Float64(),  # kg, median week with upper-back load
    "jump": pl.Float64(),  # kg, load - reference
    "judged": pl.Boolean(),  # rule 1 holds
    "spike": pl.Boolean(),
    "grade": pl.String(),  # "B" or "C" on spike weeks, else null
    "regions": pl.List(pl.String()),  # upper-back regions that took the jump (spike weeks)
    "rises": pl.List(pl.Float64()),  # kg each of those regions rose over its 4-week mean
}


def _weekly_wide(daily: pl.DataFrame) -> pl.DataFrame:
    """week, upper_back, <each upper-back region>: kg per week, every week of the log."""
    regions = ("upper_back", *UPPER_BACK_REGIONS)
    load = pl.col("volume_load").cast(pl.Float64).fill_null(0.0)
    return (
        daily.lazy()
        .filter(pl.col("region").is_in(regions))
        .group_by(pl.col("date").cast(pl.Date).dt.truncate("1w").alias("week"))
        .agg(load.filter(pl.col("region") == r).sum().alias(r) for r in regions)
        .sort("week")
        .collect()
    )


def judge_weeks(daily: pl.DataFrame) -> pl.DataFrame:
    """Every week of `daily` (a load.daily_region_load frame: one row per calendar day and
    region, no gaps) with the quantities of the four rules and whether it is a spike week.

    Columns: WEEK_SCHEMA, weeks ascending. An empty frame gives an empty result.
    """
    need(daily, ("date", "region", "volume_load"), "daily")
    if daily.height == 0:
        return pl.DataFrame(schema=WEEK_SCHEMA)
    first = daily["date"].min()
    weeks = _weekly_wide(daily)
    if weeks.height == 0:
        return pl.DataFrame(schema=WEEK_SCHEMA)
    w = pl.col("upper_back")
    chronic = w.rolling_mean(HISTORY_WEEKS).shift(1)
    base = (
        weeks.with_columns(
            chronic.alias("chronic"),
            *[
                pl.col(r).rolling_mean(HISTORY_WEEKS).shift(1).alias(f"_c_{r}")
                for r in UPPER_BACK_REGIONS
            ],
        )
        .with_columns(
            (
                (pl.col("week") - pl.lit(first) >= timedelta(weeks=HISTORY_WEEKS))
                & (pl.col("chronic") > 0)
            )
            .fill_null(False)
            .alias("judged"),
        )
        .with_columns(
            pl.when("judged").then(w / pl.col("chronic")).alias("ratio"),
        )
    )
    ratios = base["ratio"].drop_nulls()
    if ratios.len() >= RANGE_MIN_WEEKS:
        q1, mid = float(ratios.quantile(0.25, "linear")), float(ratios.median())  # type: ignore[arg-type]
        fence, fence_rule = mid + FENCE_K * (mid - q1), "own"
    else:
        fence, fence_rule = DEFAULT_FENCE, "default"
    loaded = weeks.filter(w > 0)["upper_back"]
    typical = float(loaded.median()) if loaded.len() else 0.0  # type: ignore[arg-type]
    floor = max(fence, RATIO_FLOOR)
    # Rule 2 needs the spike status of earlier weeks (a spike is no level carried). Start
    # from every week that passes the rules against the chronic load alone (a superset of
    # the spike weeks, since reference >= chronic) and recompute until nothing changes: each
    # pass can only drop weeks, and since a week depends only on earlier ones the stable
    # set is the one a week-by-week scan would give.
    base = base.with_columns(
        (
            pl.col("judged")
            & (pl.col("ratio") > floor)
            & (w - pl.col("chronic") >= MATERIAL * typical)
        )
        .fill_null(False)
        .alias("_candidate")
    )
    spike = base["_candidate"]
    while True:
        kept = pl.when(pl.lit(spike)).then(None).otherwise(w)
        before = (
            pl.concat_list([kept.shift(i) for i in range(1, CARRIED_WEEKS + 1)])
            .list.drop_nulls()
            .list.sort(descending=True)
        )
        # The level carried on at least CARRIED_RANK weeks: one odd week sets no level.
        carried = before.list.get(
            (before.list.len().clip(upper_bound=CARRIED_RANK) - 1).clip(lower_bound=0),
            null_on_oob=True,
        )
        judged = base.with_columns(carried.alias("carried")).with_columns(
            pl.max_horizontal("chronic", "carried").alias("reference")
        )
        reference = pl.col("reference")
        again = judged.select(
            (
                pl.col("_candidate")
                & (w > RATIO_FLOOR * reference)
                & (w - reference >= MATERIAL * typical)
            ).fill_null(False)
        ).to_series()
        if again.equals(spike):
            break
        spike = again
    out = judged.with_columns(
        spike.alias("spike"),
        (w - pl.col("reference")).alias("jump"),
        pl.lit(fence).alias("fence"),
        pl.lit(fence_rule).alias("fence_rule"),
        pl.lit(typical).alias("typical"),
    )
    return (
        _explain(out)
        .select(
            "week",
            (pl.col("week") + timedelta(days=6)).alias("week_end"),
            w.alias("load"),
            *list(WEEK_SCHEMA)[3:],
        )
        .cast(WEEK_SCHEMA)  # type: ignore[arg-type]
    )


def _explain(weeks: pl.DataFrame) -> pl.DataFrame:
    """Add grade, regions and rises (the regions that took each spike week's jump)."""
    rises = pl.concat_list(
        pl.struct(
            pl.lit(r).alias("region"), (pl.col(r) - pl.col(f"_c_{r}")).fill_null(0.0).alias("rise")
        )
        for r in UPPER_BACK_REGIONS
    )
    ranked = rises.list.eval(pl.element().filter(pl.element().struct.field("rise") > 0)).list.eval(
        pl.element().sort_by(pl.element().struct.field("rise"), descending=True)
    )
    with_ranked = (
        weeks.with_columns(ranked.alias("_ranked"))
        .with_columns(
            pl.col("_ranked").list.eval(pl.element().struct.field("rise")).alias("_r"),
        )
        .with_columns(
            # Keep a region while the ones before it hold less than EXPLAIN_SHARE of the rise.
            pl.col("_r")
            .list.eval((pl.element().cum_sum() - pl.element()) < EXPLAIN_SHARE * pl.element().sum())
            .alias("_keep")
        )
    )
    kept = pl.col("_ranked").list.gather(
        pl.col("_keep").list.eval(pl.element().arg_true()).list.head(EXPLAIN_MAX)
    )
    spike = pl.col("spike")
    return with_ranked.with_columns(
        pl.when(spike)
        .then(pl.when(pl.col("ratio") >= GRADE_B_RATIO).then(pl.lit("B")).otherwise(pl.lit("C")))
        .alias("grade"),
        pl.when(spike)
        .then(kept.list.eval(pl.element().struct.field("region")))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("regions"),
        pl.when(spike)
        .then(kept.list.eval(pl.element().struct.field("rise")))
        .otherwise(pl.lit([], dtype=pl.List(pl.Float64)))
        .alias("rises"),
    )


def spike_weeks(daily: pl.DataFrame) -> pl.DataFrame:
    """The spike weeks of `daily` (judge_weeks rows with spike true; WEEK_SCHEMA columns),
    ascending. `week_end` (the Sunday) names a week in reports and `why --json`."""
    return judge_weeks(daily).filter(pl.col("spike"))


def in_spike_weeks(days: pl.Series, weeks: pl.DataFrame) -> pl.Series:
    """For each local calendar day in `days` (pl.Date), whether it lies in one of `weeks`
    (a spike_weeks frame, or any frame with a `week` column of Mondays). Null days give
    False. The Series is named "spike_week"."""
    need(weeks, ("week",), "weeks")
    mondays = weeks["week"].cast(pl.Date).implode()
    return (
        days.cast(pl.Date)
        .to_frame("day")
        .select(pl.col("day").dt.truncate("1w").is_in(mondays).fill_null(False).alias("spike_week"))
        .to_series()
    )


def spike_days(daily: pl.DataFrame, weeks: pl.DataFrame) -> pl.Series:
    """The days that carried the spike weeks in `weeks` (a spike_weeks frame): days of those
    weeks whose upper-back volume load is at least DAY_SHARE (half) of that week's mean over
    its days with upper-back load. A leg day with a few sets of shrugs in a spike week did
    not take the jump. `daily`: the load.daily_region_load frame `weeks` came from.
    Returns a sorted pl.Date Series named "day"."""
    need(daily, ("date", "region", "volume_load"), "daily")
    need(weeks, ("week",), "weeks")
    load = pl.col("volume_load").cast(pl.Float64).fill_null(0.0)
    week = pl.col("day").dt.truncate("1w")
    return (
        daily.lazy()
        .filter(pl.col("region") == "upper_back")
        .select(pl.col("date").cast(pl.Date).alias("day"), load.alias("load"))
        .filter(week.is_in(weeks["week"].cast(pl.Date).implode()) & (pl.col("load") > 0))
        .filter(pl.col("load") >= DAY_SHARE * pl.col("load").mean().over(week))
        .select("day")
        .sort("day")
        .collect()
        .to_series()
    )


def mark_spike_weeks(
    frame: pl.DataFrame, weeks: pl.DataFrame, *, column: str = "day", name: str = "spike_week"
) -> pl.DataFrame:
    """`frame` with a Boolean column `name`: whether its local day `column` (pl.Date; a session
    or a calendar day) lies in one of `weeks` (see in_spike_weeks)."""
    need(frame, (column,), "frame")
    return frame.with_columns(in_spike_weeks(frame[column], weeks).alias(name))
