"""Cause 2, overexertion: sudden jumps in upper-back load (docs/science.md section 1).

A sudden jump is a spike week (analysis.spikes): upper-back load as a whole above both 1.3x
the level the athlete carried (4-week mean, or the level held in the 8 weeks before)
and their own usual week-to-week range, and large against their typical week. The regions
that took the jump are named in its evidence; they do not each make a spike. Descriptive
("your upper-back volume that week was 1.9x your 4-week average"), never an injury
probability (Impellizzeri et al. 2020, 2021).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from backcheck.analysis.acwr import ewma_acwr
from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.load import (
    daily_region_load,
    has_session_rpe,
    monotony_strain,
    weekly_load,
)
from backcheck.analysis.spikes import (
    CARRIED_WEEKS,
    GRADE_B_RATIO,
    HISTORY_WEEKS,
    RATIO_FLOOR,
    judge_weeks,
    spike_days,
    spike_weeks,
)
from backcheck.evidence import SOURCES
from backcheck.model import REGIONS, Evidence

RECENT_DAYS = 56
MIN_HISTORY_DAYS = 28
#: Spike ratio at which abnormality starts (1.3: top of the 0.8-1.3 "sweet spot", Gabbett
#: 2016) and where it is full (2.0: twice the usual load). Convention, documented.
RATIO_START, RATIO_FULL = 1.3, 2.0
#: Abnormality of a spike week at the threshold (it already passed every rule).
SPIKE_BASE = 0.5
#: Older spike weeks named in the evidence at most (the count always covers all of them).
OLDER_NAMED = 6
REGION_WORDS = {
    "upper_back": "upper-back",
    "upper_traps": "upper-trapezius",
    "mid_traps_rhomboids": "mid-trapezius and rhomboid",
    "lats": "lat",
    "rear_delts": "rear-delt",
    "rotator_cuff": "rotator-cuff",
}


def catalog_from_sets(sets: pl.DataFrame) -> pl.DataFrame:
    """The catalog rows (key and region weights) of the exercises in `sets`."""
    weights = [f"w_{r}" for r in REGIONS]
    return (
        sets.filter(pl.col("exercise_key").is_not_null())
        .select(pl.col("exercise_key").alias("key"), *weights)
        .unique("key")
    )


def athlete_daily_load(data: AthleteData) -> pl.DataFrame:
    """`data`'s load.daily_region_load frame: every local day from the first training day to
    `as_of`, each region (kg and hard sets)."""
    sets = data.sets
    return daily_region_load(sets, catalog_from_sets(sets), tz=data.tz, end=data.as_of)


def athlete_spike_weeks(data: AthleteData) -> pl.DataFrame:
    """The spike weeks of `data`'s whole log up to `as_of` (analysis.spikes.spike_weeks rows:
    week = Monday, week_end = Sunday, ratio, grade, regions ...), the weeks `analyze` reports.
    Mark days or sessions with analysis.spikes.mark_spike_weeks / in_spike_weeks, or take
    the days that carried them with analysis.spikes.spike_days(athlete_daily_load(data), ...).
    """
    if data.sets.height == 0:
        return spike_weeks(
            pl.DataFrame(schema={"date": pl.Date, "region": pl.String, "volume_load": pl.Float64})
        )
    return spike_weeks(athlete_daily_load(data))


def _abnormality(found: pl.DataFrame, *, as_of: date) -> float:
    """Worst spike week 0-1 (`found`: spike_weeks rows). A spike week is unusual by
    definition (beyond the athlete's own range), so it starts at SPIKE_BASE and grows with its
    ratio from RATIO_START to RATIO_FULL; halved when it ended more than RECENT_DAYS before
    `as_of`. No spike week: 0."""
    if found.height == 0:
        return 0.0
    recent_from = as_of - timedelta(days=RECENT_DAYS)
    size = ((pl.col("ratio") - RATIO_START) / (RATIO_FULL - RATIO_START)).clip(0.0, 1.0)
    scored = found.select(
        (SPIKE_BASE + (1.0 - SPIKE_BASE) * size)
        * pl.when(pl.col("week_end") >= recent_from).then(1.0).otherwise(0.5)
    )
    return float(scored.to_series().max() or 0.0)  # type: ignore[arg-type]


def _kg(value: float) -> str:
    return f"{value:,.0f} kg"


def regions_words(regions: list[str], rises: list[float]) -> str:
    """ "lat (+3,100 kg) and mid-trapezius and rhomboid (+2,000 kg)": the regions that took
    a spike week's jump, with how much each rose over its own 4-week mean."""
    parts = [f"{REGION_WORDS.get(r, r)} (+{_kg(x)})" for r, x in zip(regions, rises, strict=True)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def spike_threshold(row: dict[str, object]) -> float:
    """The ratio (to the 4-week mean) a week had to pass: the athlete's usual range, or 1.3x
    the level carried when that was higher than the 4-week mean."""
    chronic, reference = float(row["chronic"]), float(row["reference"])  # type: ignore[arg-type]
    return max(float(row["fence"]), RATIO_FLOOR * reference / chronic)  # type: ignore[arg-type]


def spike_evidence(row: dict[str, object]) -> Evidence:
    """One spike week (a spike_weeks row) as evidence, naming the rule that flagged it."""
    ratio = float(row["ratio"])  # type: ignore[arg-type]
    load, chronic = float(row["load"]), float(row["chronic"])  # type: ignore[arg-type]
    carried = row["carried"]
    fence = float(row["fence"])  # type: ignore[arg-type]
    # Two decimals where one would show the ratio equal to the bar it passed.
    d = 2 if f"{ratio:.1f}" == f"{fence:.1f}" else 1
    range_words = (
        f"beyond your own usual range (up to {fence:.{d}f}x)"
        if row["fence_rule"] == "own"
        else f"above {fence:.{d}f}x (your usual range is not known yet)"
    )
    carried_words = (
        f", {load / float(carried):.1f}x the level you carried in the "  # type: ignore[arg-type]
        f"{CARRIED_WEEKS} weeks before ({_kg(float(carried))})"  # type: ignore[arg-type]
        if carried is not None and float(carried) > 0  # type: ignore[arg-type]
        else ""
    )
    regions: list[str] = list(row["regions"] or [])  # type: ignore[call-overload]
    rises: list[float] = list(row["rises"] or [])  # type: ignore[call-overload]
    took = f"; most of the jump was in {regions_words(regions, rises)}" if regions else ""
    if row["grade"] == "B":
        rule = (
            f"grade B: at or above {GRADE_B_RATIO:.1f}x, the ratio that went with more injuries "
            "in team sports (Hulin 2016)"
        )
    else:
        rule = (
            f"grade C: above {RATIO_FLOOR:.1f}x your usual level and your own range, a convention"
        )
    text = (
        f"sudden jump: your upper-back volume in the week ending {row['week_end']} was "
        f"{_kg(load)}, {ratio:.{d}f}x your 4-week average ({_kg(chronic)}){carried_words}, "
        f"{range_words}{took} ({rule}; a description of your jump, not a prediction)"
    )
    return Evidence(
        metric="spike_week_upper_back",
        value=round(ratio, 2),
        threshold=round(spike_threshold(row), 2),
        unit="ratio",
        period=f"{row['week']}..{row['week_end']}",
        grade=str(row["grade"]),
        text=text,
    )


def _now_words(row: dict[str, object] | None, value: float) -> str:
    """How the current calendar week (its judge_weeks row) stands, after the ratio `value`."""
    if row is not None and row["spike"]:
        return " (this calendar week is a spike week: see below)"
    if value <= RATIO_FLOOR:
        return " - within your usual range"
    if row is None or not row["judged"]:
        return ""
    load, reference = float(row["load"]), float(row["reference"])  # type: ignore[arg-type]
    if load <= RATIO_FLOOR * reference:
        within = "at or below" if load <= reference else f"within {RATIO_FLOOR:.1f}x"
        return (
            f" - not a sudden jump: this calendar week so far ({_kg(load)}) is {within} "
            f"the level you carried lately ({_kg(reference)})"
        )
    if float(row["ratio"]) <= float(row["fence"]):  # type: ignore[arg-type]
        return (
            f" - within your own usual range (up to {float(row['fence']):.1f}x), not a sudden jump"  # type: ignore[arg-type]
        )
    return " - a rise small in kg for you, not a sudden jump"


def _older_evidence(older: pl.DataFrame, *, first: date, before: date) -> Evidence:
    n = older.height
    ends = [str(d) for d in older["week_end"].to_list()]
    named = ends if n <= OLDER_NAMED else ends[-OLDER_NAMED:]
    listed = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
    if n == 1:
        which = f"the week ending {listed}"
    elif n <= OLDER_NAMED:
        which = f"the weeks ending {listed}"
    else:
        which = f"the latest {len(named)} ending {listed}"
    noun = "week" if n == 1 else "weeks"
    return Evidence(
        "older_spike_weeks",
        n,
        None,
        "weeks",
        f"{first}..{before}",
        str(older["grade"].min()),
        f"{n} earlier {noun} with a sudden jump in upper-back load, before the last 8 weeks: "
        f"{which}",
    )


def _no_spike_evidence(weeks: pl.DataFrame, *, first: date, as_of: date) -> Evidence:
    fence = float(weeks["fence"][0])
    usual = (
        f"beyond your own usual range (up to {fence:.1f}x your 4-week average)"
        if weeks["fence_rule"][0] == "own"
        else f"above {fence:.1f}x your 4-week average"
    )
    return Evidence(
        "spike_weeks",
        0,
        None,
        "weeks",
        f"{first}..{as_of}",
        SOURCES["spike_convention"].grade,
        f"no week of your {weeks.height}-week log was a sudden jump in upper-back load "
        f"(a jump is above {RATIO_FLOOR:.1f}x both your 4-week average and the level you "
        f"carried in the {CARRIED_WEEKS} weeks before, {usual}, and large for you)",
    )


def analyze(data: AthleteData) -> FactorResult:
    """Overexertion from the athlete's own load history (see the module docstring).

    charts: weekly_volume (upper back and total per ISO week), spikes (one dict per spike
    week: date = its Sunday, ratio, grade, regions) and spike_weeks (those Sundays, ISO
    strings: the `spike_weeks` of `why --json`).
    """
    sets = data.sets
    result = FactorResult(
        cause="overexertion",
        abnormality=0.0,
        known=False,
        sources=[
            "williams2017",
            "hulin2016",
            "gabbett2016",
            "spike_convention",
            "impellizzeri2020",
            "impellizzeri2021",
        ],
    )
    if sets.height == 0:
        result.evidence.append(
            Evidence("training_days", 0, None, "days", "", "B", "no training logged yet")
        )
        result.charts = {"weekly_volume": [], "spikes": [], "spike_weeks": []}
        return result
    first: date = sets["day"].min()  # type: ignore[assignment]
    daily = athlete_daily_load(data)
    history = (data.as_of - first).days + 1
    result.known = history >= MIN_HISTORY_DAYS
    weeks = judge_weeks(daily)
    found = weeks.filter(pl.col("spike"))
    result.abnormality = _abnormality(found, as_of=data.as_of)
    upper = daily.filter(pl.col("region") == "upper_back")
    ratios = ewma_acwr(upper.rename({"volume_load": "load"}).select("date", "load"))
    now = ratios.filter(pl.col("date") == data.as_of)
    this_week = weeks.filter(pl.col("week") == data.as_of - timedelta(days=data.as_of.weekday()))
    if now.height and now["ewma_acwr"][0] is not None and result.known:
        value = float(now["ewma_acwr"][0])
        row = this_week.row(0, named=True) if this_week.height else None
        result.evidence.append(
            Evidence(
                "acwr_upper_back",
                round(value, 2),
                1.5,
                "ratio",
                f"{data.as_of - timedelta(days=6)}..{data.as_of}",
                SOURCES["hulin2016"].grade,
                f"your upper-back load this week is {value:.1f}x your 4-week average"
                + _now_words(row, value),
            )
        )
    if not result.known:
        result.evidence.append(
            Evidence(
                "history_days",
                history,
                MIN_HISTORY_DAYS,
                "days",
                f"{first}..{data.as_of}",
                "B",
                f"only {history} days of training logged: {HISTORY_WEEKS} weeks are needed to "
                "see jumps in load",
            )
        )
    recent_from = data.as_of - timedelta(days=RECENT_DAYS)
    recent = found.filter(pl.col("week_end") >= recent_from)
    for row in recent.sort("week").iter_rows(named=True):
        result.evidence.append(spike_evidence(row))
    older = found.filter(pl.col("week_end") < recent_from)
    if older.height:
        result.evidence.append(_older_evidence(older, first=first, before=recent_from))
    if found.height == 0 and result.known:
        result.evidence.append(_no_spike_evidence(weeks, first=first, as_of=data.as_of))
    mono = monotony_strain(daily, end=data.as_of, value="volume_load", region="total")
    if mono.height and mono["monotony"][0] is not None:
        m = float(mono["monotony"][0])
        result.evidence.append(
            Evidence(
                "monotony",
                round(m, 2),
                2.0,
                "ratio",
                f"{mono['start'][0]}..{mono['end'][0]}",
                SOURCES["monotony_cutoff"].grade,
                f"training monotony (Foster) over the last 7 days is {m:.2f}"
                + (
                    "; above 2.0 is commonly taken as too little variation (a convention)"
                    if m > 2.0
                    else ""
                ),
            )
        )
        result.sources.append("foster1998")
    if has_session_rpe(sets):
        result.sources.append("foster2001")
    days = data.training_days
    result.exposures = pl.DataFrame(
        {
            "day": days,
            "factor": "load_spike",
            "exposed": days.is_in(spike_days(daily, found).implode()),
        },
        schema=EXPOSURE_SCHEMA,
    )
    result.advice = [
        "Raise weekly volume gradually - about 10% a week is gentle progression advice "
        "(the 10% rule itself has no outcome support).",
        "After a jump, bring upper-back volume back to your usual (4-week average) level first, "
        "then build up again.",
    ]
    weekly = weekly_load(daily.filter(pl.col("region").is_in(["upper_back", "total"])))
    result.charts = {
        "weekly_volume": weekly.select(
            pl.col("week").cast(pl.String), "region", pl.col("volume_load").round(1)
        ).to_dicts(),
        "spikes": found.select(
            pl.col("week_end").cast(pl.String).alias("date"),
            pl.col("ratio").round(2),
            "grade",
            "regions",
        ).to_dicts(),
        "spike_weeks": [str(d) for d in found["week_end"].to_list()],
    }
    return result
