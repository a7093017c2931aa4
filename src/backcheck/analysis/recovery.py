"""Lack of recovery: rest days, rest between hard sessions for the same muscles, sleep.

docs/science.md section 4: leave about 48 h between hard sessions for the same muscle group and
train 2-5 days a week by experience (ACSM 2009 position stand, Ratamess et al., MSSE 41:687;
grade B); sleep under 8 h went with 1.7x injuries in adolescent athletes (Milewski et al.
2014; grade B), 7+ h is the general advice for adults. Recovery practices (yoga, foam rolling,
massage, stretching, meditation) have no outcome source here: they are advice only (grade C).

A session loads an upper-back region (model.UPPER_BACK_REGIONS) when its hard sets times the
exercise's catalog weight for that region sum to at least REGION_LOAD_MIN (1 hard-set
equivalent), counting only weights of at least MIN_ROLE_WEIGHT (0.5, a synergist; the
catalog's 0.25 is a stabiliser role, and squats or bench presses steadying the mid-traps or
rotator cuff do not train them). Gaps are hours between the starts of consecutive sessions
loading the same region. Weeks are 7-day bins ending on a given day (the analysis as_of).
Sleep rows are the night that ends on the morning of `day` (CONTRACT recovery CSV); several
rows for one night give its longest value. Measuring sleep and practices (`sleep_nights`,
`practices`) and wording their evidence is in `sleep`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

import polars as pl

from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.formulas import hard_set_expr
from backcheck.analysis.helpers import need, optional, period_text, week_bin, week_dates
from backcheck.analysis.sleep import practice_evidence, sleep_evidence, sleep_nights
from backcheck.evidence import SOURCES
from backcheck.model import UPPER_BACK_REGIONS, Evidence

MIN_GAP_H: Final = 48.0
MIN_REST_DAYS: Final = 2.0
REGION_LOAD_MIN: Final = 1.0
#: Catalog weights below this (0.25 = stabiliser or isometric hold) do not count as training
#: the region: ACSM's 48 h is about the muscles a session trains, not those that steady it.
MIN_ROLE_WEIGHT: Final = 0.5
#: Shares (of gaps < 48 h, of nights < 7 h): abnormality part 0 at or below SHARE_OK ...
SHARE_OK: Final = 0.25
#: ... rising linearly to 1 at or above SHARE_BAD.
SHARE_BAD: Final = 0.75
RECENT_DAYS: Final = 56
#: Fewer gaps / nights than these in the recent window: that part uses the whole log.
MIN_RECENT_GAPS: Final = 4
MIN_RECENT_NIGHTS: Final = 7
SOURCE_KEYS: Final = ("acsm2009", "milewski2014", "cheung2003", "nhs_doms")
REGION_WORDS: Final = {
    "upper_traps": "upper trapezius",
    "mid_traps_rhomboids": "mid-traps and rhomboids",
    "lats": "lats",
    "rear_delts": "rear shoulders",
    "rotator_cuff": "rotator cuff",
}
REST_SCHEMA: Final[dict[str, pl.DataType]] = {
    "week_start": pl.Date(),
    "week_end": pl.Date(),
    "days": pl.Int32(),
    "training_days": pl.Int32(),
    "rest_days": pl.Int32(),
}
GAP_SCHEMA: Final[dict[str, pl.DataType]] = {
    "region": pl.String(),
    "session_id": pl.Int64(),
    "day": pl.Date(),
    "session_start": pl.Datetime("us", "UTC"),
    "load": pl.Float64(),
    "prev_session_start": pl.Datetime("us", "UTC"),
    "gap_h": pl.Float64(),
    "short": pl.Boolean(),
}
RUN_SCHEMA: Final[dict[str, pl.DataType]] = {
    "start": pl.Date(),
    "end": pl.Date(),
    "days": pl.Int32(),
}


def rest_days_per_week(sets: pl.DataFrame, *, as_of: date) -> pl.DataFrame:
    """Training and rest days in each 7-day week ending on `as_of`, from the first training day.

    `sets` needs `day` (local Date); days after as_of are ignored. Columns: week_start,
    week_end, days (calendar days of the week on or after the first training day: 7, fewer
    for the oldest week), training_days (distinct days with a set), rest_days (days -
    training_days). Ascending; empty when nothing was logged up to as_of.
    """
    need(sets, ("day",), "sets")
    days = sets.select(pl.col("day").unique()).filter(pl.col("day") <= as_of)
    if days.height == 0:
        return pl.DataFrame(schema=REST_SCHEMA)
    first: date = days["day"].min()  # type: ignore[assignment]
    n_bins = (as_of - first).days // 7 + 1
    counts = days.group_by(week_bin(as_of).alias("bin")).agg(pl.len().alias("training_days"))
    bins = pl.DataFrame({"bin": list(range(n_bins - 1, -1, -1))}, schema={"bin": pl.Int32})
    return (
        bins.join(counts, on="bin", how="left", maintain_order="left")
        .with_columns(*week_dates(as_of), pl.col("training_days").fill_null(0))
        .with_columns(
            (
                (
                    pl.col("week_end") - pl.max_horizontal("week_start", pl.lit(first))
                ).dt.total_days()
                + 1
            ).alias("days")
        )
        .with_columns((pl.col("days") - pl.col("training_days")).alias("rest_days"))
        .select(list(REST_SCHEMA))
        .cast(REST_SCHEMA)  # type: ignore[arg-type]
    )


def _role(weight: pl.Expr, min_weight: float) -> pl.Expr:
    return pl.when(weight >= min_weight).then(weight).otherwise(0.0)


def same_region_gaps(sets: pl.DataFrame, *, min_weight: float = MIN_ROLE_WEIGHT) -> pl.DataFrame:
    """Hours between consecutive sessions loading the same upper-back region.

    `sets` needs session_id, session_start, day, set_type, reps and `w_<region>` for each of
    model.UPPER_BACK_REGIONS (rir/rpe used when present). A session loads a region when
    sum(hard set x w_region) >= REGION_LOAD_MIN (1), counting only sets whose catalog weight
    for the region is at least `min_weight` (default 0.5: synergist or prime mover; 0.25 is a
    stabiliser role, e.g. squats for the mid-traps; 0 counts every weight). One row per
    (region, loading session):
    region, session_id, day, session_start, load (weighted hard sets), prev_session_start
    (the previous session loading that region, null for the first), gap_h (hours, start to
    start; null for the first), short (gap_h < 48, ACSM 2009; null for the first).
    Ordered by session_start, then region.
    """
    weights = [f"w_{r}" for r in UPPER_BACK_REGIONS]
    need(sets, ("session_id", "session_start", "day", "set_type", "reps", *weights), "sets")
    hard = hard_set_expr(rir=optional(sets, "rir"), rpe=optional(sets, "rpe")).cast(pl.Float64)
    per_session = (
        sets.lazy()
        .select(  # weighted per set first: plain sums group much faster than expressions
            "session_id",
            "session_start",
            "day",
            *[
                (hard * _role(pl.col(w).fill_null(0.0), min_weight)).alias(r)
                for w, r in zip(weights, UPPER_BACK_REGIONS, strict=True)
            ],
        )
        .group_by("session_id")
        .agg(
            pl.col("session_start").min(),
            pl.col("day").min(),
            pl.col(UPPER_BACK_REGIONS).sum(),
        )
        .unpivot(
            index=["session_id", "session_start", "day"],
            on=list(UPPER_BACK_REGIONS),
            variable_name="region",
            value_name="load",
        )
        .filter(pl.col("load") >= REGION_LOAD_MIN)
        .sort("region", "session_start", "session_id")
        .with_columns(pl.col("session_start").shift(1).over("region").alias("prev_session_start"))
        .with_columns(
            (
                (pl.col("session_start") - pl.col("prev_session_start")).dt.total_seconds() / 3600.0
            ).alias("gap_h")
        )
        .with_columns((pl.col("gap_h") < MIN_GAP_H).alias("short"))
        .sort("session_start", pl.col("region").replace_strict(UPPER_BACK_REGIONS, range(5)))
        .select(list(GAP_SCHEMA))
        .collect()
    )
    return per_session.cast(GAP_SCHEMA)  # type: ignore[arg-type]


def consecutive_training_days(sets: pl.DataFrame) -> pl.DataFrame:
    """Runs of training days in a row: start, end (Dates), days (run length >= 1). Ascending."""
    need(sets, ("day",), "sets")
    days = sets.select(pl.col("day").unique().sort())
    step = (pl.col("day") - pl.col("day").shift(1)).dt.total_days()
    return (
        days.with_columns((step != 1).fill_null(True).cum_sum().alias("_run"))
        .group_by("_run")
        .agg(
            pl.col("day").min().alias("start"),
            pl.col("day").max().alias("end"),
            pl.len().alias("days"),
        )
        .sort("start")
        .select(list(RUN_SCHEMA))
        .cast(RUN_SCHEMA)  # type: ignore[arg-type]
    )


def share_abnormality(share: float) -> float:
    """0-1 from a share (0-1) of short gaps or short nights: 0 at or below SHARE_OK (25%),
    1 at or above SHARE_BAD (75%), linear between (monotone)."""
    return min(1.0, max(0.0, (share - SHARE_OK) / (SHARE_BAD - SHARE_OK)))


def rest_abnormality(rest_per_week: float) -> float:
    """0-1 from average rest days a week: 0 at or above 2, 1 at 0, linear between."""
    return min(1.0, max(0.0, (MIN_REST_DAYS - rest_per_week) / MIN_REST_DAYS))


def combine(parts: Iterable[float]) -> float:
    """The cause's abnormality from its known parts: (max + mean) / 2 (0 with no parts).

    Monotone in every part; 0 only when all parts are 0, 1 only when all are 1; one part
    alone at 1 among three gives 0.67.
    """
    values = list(parts)
    return (max(values) + sum(values) / len(values)) / 2 if values else 0.0


def _window(
    frame: pl.DataFrame, *, start: date, end: date, minimum: int
) -> tuple[pl.DataFrame, str, str]:
    """The rows of `frame` from `start`, or all of them when fewer than `minimum` are recent.

    Returns (rows, words for the text, period from the first row's day or `start` to `end`).
    """
    recent = frame.filter(pl.col("day") >= start)
    first: date = start if frame.height == 0 else frame["day"].min()  # type: ignore[assignment]
    if recent.height >= minimum or recent.height == frame.height:
        return recent, f"in the last {RECENT_DAYS // 7} weeks", period_text(max(first, start), end)
    return frame, "in your whole log", period_text(first, end)


def _rest(data: AthleteData, start: date) -> tuple[float | None, list[Evidence], pl.DataFrame]:
    """Rest-days part, its evidence (average rest days, longest streak) and the weekly rows."""
    rest = rest_days_per_week(data.sets, as_of=data.as_of)
    if rest.height == 0:
        return None, [], rest
    grade = SOURCES["acsm2009"].grade
    recent = rest.filter(pl.col("week_end") >= start)
    n_days, n_rest = int(recent["days"].sum()), int(recent["rest_days"].sum())
    per_week = 7 * n_rest / n_days
    first = max(start, data.as_of - timedelta(days=n_days - 1))
    text = (
        f"In the last {RECENT_DAYS // 7} weeks you had {per_week:.1f} rest days a week on "
        f"average ({n_rest} rest days in {n_days}). Guidelines put 2-5 training days a week "
        "by experience; backcheck looks for at least 2 rest days."
    )
    period = period_text(first, data.as_of)
    out = [
        Evidence(
            "rest_days_per_week",
            round(per_week, 1),
            MIN_REST_DAYS,
            "days/week",
            period,
            grade,
            text,
        )
    ]
    runs = consecutive_training_days(data.sets).filter(pl.col("end") >= start)
    if runs.height:
        top = runs.sort("days", "end", descending=True).row(0, named=True)
        text = (
            f"Your longest run of training days in a row lately: {top['days']} "
            f"({top['start'].isoformat()} to {top['end'].isoformat()})."
        )
        period = period_text(top["start"], top["end"])
        value = float(top["days"])
        out.append(Evidence("longest_training_streak", value, None, "days", period, grade, text))
    return rest_abnormality(per_week), out, rest


def _gaps(data: AthleteData, gaps_all: pl.DataFrame, start: date) -> tuple[float | None, Evidence]:
    """Same-region-gap part and its evidence."""
    grade, metric, threshold = (
        SOURCES["acsm2009"].grade,
        "same_region_gap_under_48h_share",
        100 * SHARE_OK,
    )
    measured = gaps_all.filter(pl.col("gap_h").is_not_null())
    gaps, label, period = _window(measured, start=start, end=data.as_of, minimum=MIN_RECENT_GAPS)
    if gaps.height == 0:
        text = (
            "Too few sessions loaded your upper back hard (or their exercises are not in the "
            "catalog) to measure the rest between them."
        )
        return None, Evidence(metric, None, threshold, "%", "", grade, text)
    n_short = int(gaps["short"].sum())
    share = n_short / gaps.height
    by_region = gaps.group_by("region").agg(pl.col("short").sum())
    region, times = by_region.sort(["short", "region"], descending=[True, False]).row(0)
    most = f" (most often your {REGION_WORDS[region]}: {times} times)" if times else ""
    text = (
        f"{n_short} of {gaps.height} times {label} you trained the same upper-back muscles "
        f"hard again within 48 hours{most}. Guidelines advise about 48 hours between hard "
        "sessions for the same muscles."
    )
    value = round(100 * share, 1)
    return share_abnormality(share), Evidence(metric, value, threshold, "%", period, grade, text)


def _sleep(
    data: AthleteData, nights_all: pl.DataFrame, start: date
) -> tuple[float | None, Evidence]:
    """Short-sleep part (None: no sleep logged, unknown) and its evidence."""
    nights, label, period = _window(
        nights_all, start=start, end=data.as_of, minimum=MIN_RECENT_NIGHTS
    )
    share, evidence = sleep_evidence(nights, label=label, period=period, threshold=100 * SHARE_OK)
    return (None if share is None else share_abnormality(share)), evidence


def analyze(data: AthleteData) -> FactorResult:
    """The recovery cause: rest days, short rests between same-region sessions, short sleep.

    Parts (each 0-1; recent = the last RECENT_DAYS up to as_of; gaps and nights fall back
    to the whole log when the recent window holds too few): rest = rest_abnormality(rest
    days a week), gaps = share_abnormality(share of same-region gaps < 48 h), sleep =
    share_abnormality(share of nights < 7 h; unknown, left out, when no sleep is logged).
    abnormality = combine(known parts). Recovery practices are advice only (grade C).
    Exposures: "short_recovery" (every training day; exposed when a session that day loads
    an upper-back region < 48 h after the previous session loading it) and "short_sleep"
    (training days whose night before is logged; exposed when it was < 7 h). Charts:
    "sleep" (day, hours) and "rest_days" (rest_days_per_week rows). known is False with
    neither training nor sleep logged.
    """
    start = data.as_of - timedelta(days=RECENT_DAYS - 1)
    rest_part, evidence, rest = _rest(data, start)
    gaps_all = same_region_gaps(data.sets)
    nights_all = sleep_nights(data.recovery).filter(pl.col("day") <= data.as_of)
    parts = [rest_part]
    if data.sets.height:
        gap_part, gap_ev = _gaps(data, gaps_all, start)
        parts.append(gap_part)
        evidence.append(gap_ev)
    sleep_part, sleep_ev = _sleep(data, nights_all, start)
    parts.append(sleep_part)
    evidence += [sleep_ev, practice_evidence(data.recovery, start=start, end=data.as_of)]
    known = [p for p in parts if p is not None]
    sleep_chart = nights_all.select(pl.col("day").dt.to_string("%Y-%m-%d"), "hours")
    rest_chart = rest.with_columns(pl.col("week_start", "week_end").dt.to_string("%Y-%m-%d"))
    return FactorResult(
        cause="recovery",
        abnormality=combine(known),
        known=bool(known),
        evidence=evidence,
        advice=_advice(sleep_known=nights_all.height > 0),
        sources=list(SOURCE_KEYS),
        exposures=_exposures(data, gaps_all, nights_all),
        charts={"sleep": sleep_chart.to_dicts(), "rest_days": rest_chart.to_dicts()},
    )


def _exposures(data: AthleteData, gaps: pl.DataFrame, nights: pl.DataFrame) -> pl.DataFrame:
    days = data.training_days.to_frame("day")
    short_gap = gaps.group_by("day").agg(pl.col("short").fill_null(False).any().alias("exposed"))
    recovery = days.join(short_gap, on="day", how="left").select(
        "day", pl.lit("short_recovery").alias("factor"), pl.col("exposed").fill_null(False)
    )
    sleep = days.join(nights, on="day", how="inner").select(
        "day", pl.lit("short_sleep").alias("factor"), pl.col("short").alias("exposed")
    )
    both = pl.concat([recovery, sleep]).cast(EXPOSURE_SCHEMA)  # type: ignore[arg-type]
    return both.sort("factor", "day")


def _advice(*, sleep_known: bool) -> list[str]:
    sleep = (
        "Aim for 7 or more hours of sleep a night."
        if sleep_known
        else "Log your sleep (backcheck recovery import) so backcheck can check it; aim for "
        "7+ hours."
    )
    return [
        "Leave about 48 hours between hard sessions for the same upper-back muscles (rows, "
        "pull-ups, shrugs, deadlifts): alternate pulling days with pressing or leg days.",
        "Take at least 2 rest days a week.",
        sleep,
        "Muscle soreness usually peaks 1-3 days after training and eases within 5-7 days; "
        "see a professional if it lasts more than 5 days or gets worse.",
        "Light recovery work (mobility, yoga, foam rolling) is commonly advised; it may help "
        "you feel less stiff, though no trial shows it prevents pain.",
    ]
