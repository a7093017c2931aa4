"""Cause 2, overexertion: sudden jumps in upper-back load (SCIENCE.md section 1).

Load spikes are descriptive ("your upper-back volume this week is 1.9x your usual"), never an
injury probability (Impellizzeri et al. 2021): EWMA ACWR >= 1.5 (Hulin 2016, Williams 2017)
and > 30% more than two weeks before (Nielsen 2014), per upper-back region and in total.
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
    region_spikes,
    weekly_load,
)
from backcheck.evidence import SOURCES
from backcheck.model import REGIONS, UPPER_BACK_REGIONS, Evidence

RECENT_DAYS = 56
MIN_HISTORY_DAYS = 28
#: Spike ratio at which abnormality starts (1.3: top of the 0.8-1.3 "sweet spot", Gabbett
#: 2016) and where it is full (2.0: twice the usual load). Convention, documented.
RATIO_START, RATIO_FULL = 1.3, 2.0
#: A region's share of upper-back volume at which its own spike counts fully (convention).
MATERIAL_SHARE = 0.3
REGION_WORDS = {
    "upper_back": "upper-back", "upper_traps": "upper-trapezius", "mid_traps_rhomboids":
    "mid-trapezius and rhomboid", "lats": "lat", "rear_delts": "rear-delt", "rotator_cuff":
    "rotator-cuff",
}  # fmt: skip


def catalog_from_sets(sets: pl.DataFrame) -> pl.DataFrame:
    """The catalog rows (key and region weights) of the exercises in `sets`."""
    weights = [f"w_{r}" for r in REGIONS]
    return (
        sets.filter(pl.col("exercise_key").is_not_null())
        .select(pl.col("exercise_key").alias("key"), *weights)
        .unique("key")
    )


def spikes(daily: pl.DataFrame) -> pl.DataFrame:
    """Every load spike of the upper back as a whole and of each upper-back region."""
    return region_spikes(daily, regions=("upper_back", *UPPER_BACK_REGIONS))


def spike_days(found: pl.DataFrame) -> pl.DataFrame:
    """The calendar days each spike covers: ACWR runs from their first day to their last,
    2-week jumps the whole week (columns: day)."""
    if found.height == 0:
        return pl.DataFrame(schema={"day": pl.Date})
    bounds = found.select(
        pl.col("period").str.split("..").list.get(0).str.to_date().alias("a"),
        pl.col("period").str.split("..").list.get(1).str.to_date().alias("b"),
        pl.col("metric"),
    ).with_columns(
        pl.when(pl.col("metric") == "ewma_acwr")
        .then(pl.col("a") + pl.duration(days=6))
        .otherwise(pl.col("b") - pl.duration(days=6))
        .alias("a")
    )
    return bounds.select(pl.date_ranges("a", "b").alias("day")).explode("day").unique().sort("day")


def materiality(found: pl.DataFrame, daily: pl.DataFrame) -> pl.Series:
    """Weight 0-1 of each spike: 1 for the upper back as a whole; for one region, its share
    of the upper back's volume over the spike's period / MATERIAL_SHARE (a jump in a region
    that carries little of the load - a few face pulls added - matters little).

    `daily`: a daily_region_load frame (every calendar day of each region), so a period's
    volume is a difference of two running sums, looked up by day number.
    """
    if found.height == 0:
        return pl.Series("weight", [], dtype=pl.Float64)
    first: date = daily["date"].min()  # type: ignore[assignment]
    running: dict[str, list[float]] = {}
    for region in {"upper_back", *found["region"].to_list()}:
        block = daily.filter(pl.col("region") == region).sort("date")
        cumulative = block["volume_load"].fill_null(0.0).cum_sum()
        running[region] = [0.0, *cumulative.to_list()]  # [k]: volume of the first k days

    def volume(region: str, a: date, b: date) -> float:
        sums = running.get(region)
        if sums is None:
            return 0.0
        start = min(max((a - first).days, 0), len(sums) - 1)
        end = min(max((b - first).days + 1, start), len(sums) - 1)
        return sums[end] - sums[start]

    weights = []
    for region, period in found.select("region", "period").iter_rows():
        if region == "upper_back":
            weights.append(1.0)
            continue
        a, b = (date.fromisoformat(x) for x in period.split(".."))
        upper = volume("upper_back", a, b)
        share = volume(region, a, b) / upper / MATERIAL_SHARE if upper > 0 else 0.0
        weights.append(min(1.0, max(0.0, share)))
    return pl.Series("weight", weights, dtype=pl.Float64)


def _abnormality(found: pl.DataFrame, *, as_of: date) -> float:
    """Worst spike 0-1 (`found` with its materiality `weight`)."""
    if found.height == 0:
        return 0.0
    recent_from = as_of - timedelta(days=RECENT_DAYS)
    scored = found.with_columns(
        ((pl.col("ratio") - RATIO_START) / (RATIO_FULL - RATIO_START)).clip(0.0, 1.0).alias("s"),
        pl.when(pl.col("date") >= recent_from).then(1.0).otherwise(0.5).alias("recency"),
    )
    return float(
        scored.select((pl.col("s") * pl.col("recency") * pl.col("weight")).max()).item() or 0.0
    )


def _spike_evidence(row: dict[str, object]) -> Evidence:
    region = REGION_WORDS.get(str(row["region"]), str(row["region"]))
    ratio = float(row["ratio"])  # type: ignore[arg-type]
    if row["metric"] == "ewma_acwr":
        text = (
            f"your {region} training load around {row['date']} was {ratio:.1f}x your 4-week "
            f"average (acute:chronic ratio; 1.5 and above went with more injuries in team "
            "sports - a description of your jump, not a prediction)"
        )
        source, metric = "hulin2016", f"acwr_{row['region']}"
    else:
        text = (
            f"your {region} volume in the week ending {row['date']} was {ratio:.1f}x the week "
            "two weeks before (more than 30% over 2 weeks is a sudden jump)"
        )
        source, metric = "nielsen2014", f"jump_2w_{row['region']}"
    return Evidence(
        metric=metric,
        value=round(ratio, 2),
        threshold=float(row["threshold"]),  # type: ignore[arg-type]
        unit="ratio",
        period=str(row["period"]),
        grade=SOURCES[source].grade,
        text=text,
    )


def analyze(data: AthleteData) -> FactorResult:
    """Overexertion from the athlete's own load history (see the module docstring)."""
    sets = data.sets
    result = FactorResult(
        cause="overexertion",
        abnormality=0.0,
        known=False,
        sources=["williams2017", "hulin2016", "nielsen2014", "impellizzeri2021"],
    )
    if sets.height == 0:
        result.evidence.append(
            Evidence("training_days", 0, None, "days", "", "B", "no training logged yet")
        )
        return result
    first: date = sets["day"].min()  # type: ignore[assignment]
    daily = daily_region_load(sets, catalog_from_sets(sets), tz=data.tz, end=data.as_of)
    history = (data.as_of - first).days + 1
    result.known = history >= MIN_HISTORY_DAYS
    found = spikes(daily)
    found = found.with_columns(materiality(found, daily))
    result.abnormality = _abnormality(found, as_of=data.as_of)
    upper = daily.filter(pl.col("region") == "upper_back")
    ratios = ewma_acwr(upper.rename({"volume_load": "load"}).select("date", "load"))
    now = ratios.filter(pl.col("date") == data.as_of)
    if now.height and now["ewma_acwr"][0] is not None and result.known:
        value = float(now["ewma_acwr"][0])
        result.evidence.append(
            Evidence(
                "acwr_upper_back",
                round(value, 2),
                1.5,
                "ratio",
                f"{data.as_of - timedelta(days=6)}..{data.as_of}",
                SOURCES["hulin2016"].grade,
                f"your upper-back load this week is {value:.1f}x your 4-week average"
                + (
                    " - a sudden jump"
                    if value >= 1.5
                    else " - within your usual range"
                    if value <= 1.3
                    else ""
                ),
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
                f"only {history} days of training logged: 4 weeks are needed to see jumps in load",
            )
        )
    recent = found.filter(pl.col("date") >= data.as_of - timedelta(days=RECENT_DAYS))
    for row in recent.sort("ratio", descending=True).head(5).iter_rows(named=True):
        result.evidence.append(_spike_evidence(row))
    if found.height > recent.height:
        result.evidence.append(
            Evidence(
                "older_spikes",
                found.height - recent.height,
                None,
                "spikes",
                f"{first}..{data.as_of}",
                "B",
                f"{found.height - recent.height} earlier load spikes (before the last 8 weeks)",
            )
        )
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
    material = found.filter(pl.col("weight") >= 0.5)
    exposed_days = spike_days(material)
    days = data.training_days
    result.exposures = (
        pl.DataFrame({"day": days})
        .with_columns(
            pl.lit("load_spike").alias("factor"),
            pl.col("day").is_in(exposed_days["day"].implode()).alias("exposed"),
        )
        .select(list(EXPOSURE_SCHEMA))
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
            "metric", "region", pl.col("date").cast(pl.String), "ratio"
        ).to_dicts(),
    }
    return result
