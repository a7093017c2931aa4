"""Imbalanced strength: pushing against pulling (docs/science.md section 3).

Push and pull are the catalog patterns horizontal-push / horizontal-pull (the SCIENCE rule)
and vertical-push / vertical-pull (shown alongside, no threshold). Two measures: hard sets
(a count; `formulas.hard_set_expr`, grade C convention) and volume load (kg, reps x weight,
warm-ups excluded; bodyweight sets give 0 kg, so bodyweight pulling shows in hard sets only).

Rule (docs/science.md section 3): horizontal push above horizontal pull by more than PUSH_PULL_FLAG
(1.5x) over 4+ weeks, by sets and by volume load, is flagged; at least 1:1 is advised.
Recreational lifters show larger agonist/antagonist ratios than controls and shoulder pain is
common among them (Kolber et al. 2009, 2017; grade B); pull:push 2:1 is coaching advice (C).
A ratio with pulling 0 and pushing > 0 is "no pulling": its value is null and it counts as
maximally imbalanced.

Weeks are 7-day bins ending on a given day (`end`, the analysis as_of), so "the last 4 weeks"
is exactly the 28 days up to it. The bench : row e1RM reference shown with the evidence is
in `strength_ratio` (`e1rm_ratio`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.formulas import hard_set_expr, volume_load_expr
from backcheck.analysis.helpers import need, optional, period_text, week_bin, week_dates
from backcheck.analysis.push_phase import heavy_week_exposures, worst_window
from backcheck.analysis.strength_ratio import e1rm_evidence
from backcheck.errors import UsageError
from backcheck.evidence import SOURCES
from backcheck.model import Evidence

#: Push over pull above this ratio (over 4+ weeks) is flagged (docs/science.md section 3).
PUSH_PULL_FLAG: Final = 1.5
#: A window's part of the abnormality is 1 at or above this ratio (twice the flag).
PUSH_PULL_MAX: Final = 3.0
WINDOW_WEEKS: Final = 4
#: The recent period: 8 weeks, i.e. the 4-week windows ending 0, 1, 2, 3 and 4 weeks before as_of.
RECENT_WEEKS: Final = 8
FACTOR: Final = "push_dominant_day"
SOURCE_KEYS: Final = ("kolber2009", "kolber2017", "baker2004", "pullpush_convention")
PATTERN_SIDE: Final = {
    "horizontal-push": ("h", "push"),
    "horizontal-pull": ("h", "pull"),
    "vertical-push": ("v", "push"),
    "vertical-pull": ("v", "pull"),
}
#: (plane, measure) pairs of push_pull; plane h = horizontal, v = vertical.
_COMBOS: Final = (("h", "sets"), ("h", "volume"), ("v", "sets"), ("v", "volume"))
_MEASURES: Final = {"sets": "hard_sets", "volume": "volume_load"}
_BASE: Final = tuple(f"{p}_{side}_{m}" for p, m in _COMBOS for side in ("push", "pull"))
_PER_COMBO: Final = (
    "{p}_push_{m}",
    "{p}_pull_{m}",
    "{p}_ratio_{m}",
    "{p}_push_{m}_4w",
    "{p}_pull_{m}_4w",
    "{p}_ratio_{m}_4w",
    "{p}_no_pull_{m}_4w",
)
PUSH_PULL_SCHEMA: Final[dict[str, pl.DataType]] = {
    "week_start": pl.Date(),
    "week_end": pl.Date(),
    "weeks_4w": pl.Int32(),
    **{
        t.format(p=p, m=m): pl.Boolean() if "no_pull" in t else pl.Float64()
        for p, m in _COMBOS
        for t in _PER_COMBO
    },
}


def _day_expr(sets: pl.DataFrame, tz: str) -> pl.Expr:
    if "day" in sets.columns:
        return pl.col("day")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError("tz", f"{tz!r} is not an IANA time zone (e.g. 'Europe/Berlin')") from exc
    return pl.col("session_start").dt.convert_time_zone(tz).dt.date()


def _per_set(sets: pl.DataFrame, tz: str) -> pl.LazyFrame:
    """Push/pull sets only: day, plane (h | v), side (push | pull), hard_sets (0/1), volume_load."""
    need(sets, ("pattern", "set_type", "weight_kg", "reps"), "sets")
    if "day" not in sets.columns:
        need(sets, ("session_start",), "sets")
    planes, sides = ({k: v[i] for k, v in PATTERN_SIDE.items()} for i in (0, 1))
    return (
        sets.lazy()
        .filter(pl.col("pattern").is_in(list(PATTERN_SIDE)))
        .select(
            _day_expr(sets, tz).alias("day"),
            pl.col("pattern").replace_strict(planes).alias("plane"),
            pl.col("pattern").replace_strict(sides).alias("side"),
            hard_set_expr(rir=optional(sets, "rir"), rpe=optional(sets, "rpe"))
            .cast(pl.Float64)
            .alias("hard_sets"),
            volume_load_expr().fill_null(0.0).alias("volume_load"),
        )
    )


def _window_sum(week: pl.Expr) -> pl.Expr:
    """The sum of this week and up to WINDOW_WEEKS - 1 weeks before it, added afresh for
    each window: a rolling sum adds and subtracts as it slides, leaving float noise behind
    (-9.09495e-13 kg for empty weeks after heavy ones, which made an empty window look
    logged, and different by thread count: `batch` and `why` disagreed on the same data).
    Weekly sums are non-negative, so a window of empty weeks is exactly 0."""
    return pl.sum_horizontal(week.shift(k).fill_null(0.0) for k in range(WINDOW_WEEKS))


def _ratio(push: pl.Expr, pull: pl.Expr) -> pl.Expr:
    return pl.when(pull > 0).then(push / pull).otherwise(None)


def push_pull(sets: pl.DataFrame, *, tz: str, end: date | None = None) -> pl.DataFrame:
    """Weekly push and pull per plane and measure, with rolling 4-week sums and ratios.

    `sets`: AthleteData.sets (uses `day` when present, else session_start in the IANA zone
    `tz`; `pattern`, set_type, weight_kg, reps, and rir/rpe when present). Weeks are 7-day
    bins ending on `end` (default: the last day with any set; later sets are dropped), from
    the bin holding the first day with any set. One row per week, ascending: week_start,
    week_end, weeks_4w (weeks in the rolling window: 4, fewer at the start of the log), then
    for plane P in h (horizontal), v (vertical) and measure M in sets (hard sets) and volume
    (volume load, kg): P_push_M, P_pull_M (that week), P_ratio_M (push / pull, null when
    pull is 0), P_push_M_4w, P_pull_M_4w (sums over this week and up to 3 before it),
    P_ratio_M_4w (null when pull is 0) and P_no_pull_M_4w (push > 0 and pull 0: "no
    pulling", maximally imbalanced). Empty input gives an empty frame.
    """
    return _weekly(_day_sums(sets, tz), end=end)


def _day_sums(sets: pl.DataFrame, tz: str) -> pl.DataFrame:
    """One row per day with any set (ascending): day and the _BASE sums of that day (0 on
    days without pushing or pulling)."""
    parts = [  # per set first: plain sums group much faster than expressions
        pl.when((pl.col("plane") == p) & (pl.col("side") == side))
        .then(pl.col(_MEASURES[m]))
        .otherwise(0.0)
        .alias(f"{p}_{side}_{m}")
        for p, m in _COMBOS
        for side in ("push", "pull")
    ]
    days = sets.lazy().select(_day_expr(sets, tz).alias("day")).unique()
    per = _per_set(sets, tz).select("day", *parts).group_by("day").agg(pl.col(_BASE).sum())
    return (
        days.join(per, on="day", how="left")
        .with_columns(pl.col(c).fill_null(0.0) for c in _BASE)
        .sort("day")
        .collect()
    )


def _weekly(day_sums: pl.DataFrame, *, end: date | None) -> pl.DataFrame:
    """push_pull from the day sums of `_day_sums`."""
    if day_sums.height == 0:
        return pl.DataFrame(schema=PUSH_PULL_SCHEMA)
    days = day_sums["day"]
    last: date = end if end is not None else days.max()  # type: ignore[assignment]
    first: date | None = days.filter(days <= last).min()  # type: ignore[assignment]
    if first is None:
        return pl.DataFrame(schema=PUSH_PULL_SCHEMA)
    summed = (
        day_sums.lazy()
        .filter(pl.col("day") <= last)
        .group_by(week_bin(last).alias("bin"))
        .agg(pl.col(_BASE).sum())
    )
    n_bins = (last - first).days // 7 + 1
    bins = pl.LazyFrame({"bin": list(range(n_bins - 1, -1, -1))}, schema={"bin": pl.Int32})
    weeks = pl.int_range(1, pl.len() + 1).clip(upper_bound=WINDOW_WEEKS).alias("weeks_4w")
    roll: list[pl.Expr] = [weeks]
    ratios: list[pl.Expr] = week_dates(last)
    for p, m in _COMBOS:
        push, pull = f"{p}_push_{m}", f"{p}_pull_{m}"
        for c in (push, pull):
            roll.append(_window_sum(pl.col(c)).alias(f"{c}_4w"))
        push_4w, pull_4w = pl.col(f"{push}_4w"), pl.col(f"{pull}_4w")
        ratios += [
            _ratio(pl.col(push), pl.col(pull)).alias(f"{p}_ratio_{m}"),
            _ratio(push_4w, pull_4w).alias(f"{p}_ratio_{m}_4w"),
            ((push_4w > 0) & (pull_4w == 0)).alias(f"{p}_no_pull_{m}_4w"),
        ]
    out = (
        bins.join(summed, on="bin", how="left", maintain_order="left")
        .with_columns(pl.col(c).fill_null(0.0) for c in _BASE)
        .with_columns(roll)
        .with_columns(ratios)
        .select(list(PUSH_PULL_SCHEMA))
        .collect()
    )
    return out.cast(PUSH_PULL_SCHEMA)  # type: ignore[arg-type]


def window_abnormality(ratio: float | None, *, no_pull: bool) -> float:
    """One 4-week window's imbalance, 0-1, from its push/pull ratio.

    0 at or below PUSH_PULL_FLAG (1.5), 1 at or above PUSH_PULL_MAX (3.0) and for "no
    pulling", log-linear between: log(ratio / 1.5) / log(3.0 / 1.5) (so 2.12 -> 0.5).
    """
    if no_pull:
        return 1.0
    if ratio is None or ratio <= PUSH_PULL_FLAG:
        return 0.0
    return min(1.0, math.log(ratio / PUSH_PULL_FLAG) / math.log(PUSH_PULL_MAX / PUSH_PULL_FLAG))


def day_push_pull(sets: pl.DataFrame, *, tz: str) -> pl.DataFrame:
    """Horizontal push and pull hard sets per training day (every day with any set).

    Columns: day, push, pull (hard sets), push_dominant (push > 1.5 x pull; so push > 0 and no
    pull counts, a day without pushing does not). Ascending by day.
    """
    return _push_dominant_days(_day_sums(sets, tz))


def _push_dominant_days(day_sums: pl.DataFrame) -> pl.DataFrame:
    """day_push_pull from the day sums of `_day_sums`."""
    return day_sums.select(
        "day",
        pl.col("h_push_sets").alias("push"),
        pl.col("h_pull_sets").alias("pull"),
        (pl.col("h_push_sets") > PUSH_PULL_FLAG * pl.col("h_pull_sets")).alias("push_dominant"),
    )


def _fmt(x: float) -> str:
    """Sets or kg for a sentence: float noise rounded away (a sum of 0 never reads -9e-13),
    never negative."""
    x = max(0.0, round(float(x), 1)) + 0.0
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:g}"


def _ratio_words(x: float) -> str:
    """A ratio for a sentence, as the report shows its value (2 decimals): "2.54", "1"."""
    return f"{round(x, 2) + 0.0:g}"


def _window_part(w: Mapping[str, Any]) -> float | None:
    """Abnormality of one push_pull row's horizontal 4-week window; None when it has no data.

    s = window_abnormality by hard sets, v = by volume load; the part is max(s, (s + v) / 2):
    hard sets lead (volume load leans on exercise choice: light high-rep rows out-weigh heavy
    low-rep presses), and a worse volume-load ratio raises it halfway. v is left out when the
    window has no volume load or all its pulling was bodyweight (0 kg, pull hard sets > 0).
    """
    s = v = None
    if w["h_push_sets_4w"] or w["h_pull_sets_4w"]:
        s = window_abnormality(w["h_ratio_sets_4w"], no_pull=w["h_no_pull_sets_4w"])
    bodyweight_pull = not w["h_pull_volume_4w"] and w["h_pull_sets_4w"]
    if (w["h_push_volume_4w"] or w["h_pull_volume_4w"]) and not bodyweight_pull:
        v = window_abnormality(w["h_ratio_volume_4w"], no_pull=w["h_no_pull_volume_4w"])
    if s is None or v is None:
        return s if v is None else v
    return max(s, (s + v) / 2)


def _flagged(w: dict[str, Any]) -> bool:
    return bool(w["h_no_pull_sets_4w"]) or (w["h_ratio_sets_4w"] or 0.0) > PUSH_PULL_FLAG


def analyze(data: AthleteData) -> FactorResult:
    """The imbalance cause: horizontal pushing against pulling over 4-week windows.

    abnormality: mean, over the 4-week windows ending 0, 1, 2, 3 and 4 weeks before as_of
    (the last 8 weeks) that hold any horizontal push or pull, of _window_part (hard sets,
    raised halfway toward volume load when that is worse); when no recent window holds any,
    the same over every window of the log; raised to the worst window of the last 26 weeks
    when that is higher (analysis.push_phase: imbalance as a phase; evidence
    `worst_push_pull_window_sets` when that window ended before the last 8 weeks). chronic: all 5 recent windows are full 4-week
    windows (the log covers the 8 weeks) and above 1.5 by hard sets (or "no pulling").
    Exposures: factor "push_dominant_day", every training day, exposed
    when that day's horizontal push hard sets exceed 1.5 x its pull hard sets; and factor
    "push_heavy_week" (push_phase.heavy_week_exposures), exposed when the day's week did. Evidence
    always holds `push_pull_ratio_sets` (threshold 1.5, unit "ratio") when any push or pull
    was logged. Charts: "weekly_push_pull" (hard sets per 7-day week ending on as_of).
    known is False when no push or pull lift was logged (or none is mapped).
    """
    sources, grade, as_of = list(SOURCE_KEYS), SOURCES["kolber2009"].grade, data.as_of
    day_sums = _day_sums(data.sets, data.tz)  # shared by the weekly windows and the days
    pp = _weekly(day_sums, end=as_of)
    if pp.height == 0 or not any(pp[c].sum() for c in _BASE if "sets" in c):
        text = (
            "No pressing or pulling lifts found in your log (or none mapped to the exercise "
            "catalog), so backcheck cannot compare pushing with pulling."
        )
        ev = Evidence("push_pull_ratio_sets", None, PUSH_PULL_FLAG, "ratio", "", grade, text)
        return FactorResult("imbalance", 0.0, False, [ev], _advice(0.0, None), sources)
    rows = pp.to_dicts()
    recent_from = as_of - timedelta(weeks=RECENT_WEEKS - WINDOW_WEEKS)
    recent = [w for w in rows if w["week_end"] >= recent_from]
    recent_parts = [x for x in map(_window_part, recent) if x is not None]
    parts = recent_parts or [x for x in map(_window_part, rows) if x is not None]
    abnormality = sum(parts) / len(parts) if parts else 0.0
    phase = worst_window(rows, as_of=as_of, part=_window_part)
    if phase is not None and phase.abnormality > abnormality:
        abnormality = phase.abnormality
    flagged = sum(map(_flagged, recent))
    chronic = (
        len(recent) == RECENT_WEEKS - WINDOW_WEEKS + 1
        and flagged == len(recent)
        and all(w["weeks_4w"] == WINDOW_WEEKS for w in recent)
    )
    latest = rows[-1]
    evidence = _ratio_evidence(pp, latest, as_of=as_of, grade=grade)
    if recent_parts:
        text = (
            f"Horizontal pressing outweighed pulling by more than 1.5 to 1 (hard sets) in "
            f"{flagged} of the {len(recent)} overlapping 4-week stretches of the last "
            f"{RECENT_WEEKS} weeks."
        )
        period = period_text(as_of - timedelta(weeks=RECENT_WEEKS, days=-1), as_of)
        evidence.append(
            Evidence("imbalanced_windows", float(flagged), None, "windows", period, grade, text)
        )
    if latest["v_push_sets_4w"] or latest["v_pull_sets_4w"]:
        v_ratio, v_no = latest["v_ratio_sets_4w"], latest["v_no_pull_sets_4w"]
        said = "no vertical pulling" if v_no else f"{_ratio_words(v_ratio)} to 1"
        text = (
            f"Overhead work in the last {WINDOW_WEEKS} weeks: "
            f"{_fmt(latest['v_push_sets_4w'])} hard sets of pressing and "
            f"{_fmt(latest['v_pull_sets_4w'])} of pull-ups or pulldowns ({said}); shown for "
            "context, no threshold."
        )
        period = period_text(latest["week_start"] - timedelta(weeks=WINDOW_WEEKS - 1), as_of)
        value = None if v_no else round(v_ratio, 2)
        evidence.append(
            Evidence("vertical_push_pull_ratio_sets", value, None, "ratio", period, grade, text)
        )
    if phase is not None and phase.abnormality > 0 and phase.end < recent_from:
        said = (
            "no horizontal pulling" if phase.ratio is None else f"{_ratio_words(phase.ratio)} to 1"
        )
        text = (
            f"Your most push-heavy 4 weeks of the last 26 ended {phase.end.isoformat()}: "
            f"horizontal pressing to pulling {said} (hard sets); an imbalance that has ended "
            "can still be what your pain followed."
        )
        value = None if phase.ratio is None else round(phase.ratio, 2)
        evidence.append(
            Evidence(
                "worst_push_pull_window_sets",
                value,
                PUSH_PULL_FLAG,
                "ratio",
                period_text(phase.start, phase.end),
                SOURCES["pullpush_convention"].grade,
                text,
            )
        )
    evidence += e1rm_evidence(data, weeks=RECENT_WEEKS)
    days = _push_dominant_days(day_sums).filter(pl.col("day") <= as_of)
    exposures = pl.concat(
        [
            days.select(
                "day", pl.lit(FACTOR).alias("factor"), pl.col("push_dominant").alias("exposed")
            ).cast(EXPOSURE_SCHEMA),  # type: ignore[arg-type]
            heavy_week_exposures(day_sums, as_of=as_of, flag=PUSH_PULL_FLAG),
        ]
    )
    chart = pp.select(
        pl.col("week_start", "week_end").dt.to_string("%Y-%m-%d"),
        pl.col("h_push_sets").alias("push_sets"),
        pl.col("h_pull_sets").alias("pull_sets"),
        pl.col("v_push_sets").alias("vertical_push_sets"),
        pl.col("v_pull_sets").alias("vertical_pull_sets"),
    ).to_dicts()
    current = None if latest["h_no_pull_sets_4w"] else latest["h_ratio_sets_4w"]
    return FactorResult(
        cause="imbalance",
        abnormality=abnormality,
        known=True,
        evidence=evidence,
        advice=_advice(abnormality, current, no_pull=bool(latest["h_no_pull_sets_4w"])),
        sources=sources,
        exposures=exposures,
        chronic=chronic,
        charts={"weekly_push_pull": chart},
    )


def _ratio_evidence(
    pp: pl.DataFrame, latest: dict[str, Any], *, as_of: date, grade: str
) -> list[Evidence]:
    """push_pull_ratio_sets (always) and _volume: the last 4 weeks, else the whole log."""
    if any(latest[f"h_{side}_{m}_4w"] for side in ("push", "pull") for m in _MEASURES):
        period = period_text(latest["week_start"] - timedelta(weeks=WINDOW_WEEKS - 1), as_of)
        label = f"In the last {WINDOW_WEEKS} weeks"
        got = {m: (latest[f"h_push_{m}_4w"], latest[f"h_pull_{m}_4w"]) for m in _MEASURES}
    else:
        period, label = period_text(pp["week_start"][0], as_of), "Over your whole log"
        got = {m: (pp[f"h_push_{m}"].sum(), pp[f"h_pull_{m}"].sum()) for m in _MEASURES}
    (push, pull), (v_push, v_pull) = got["sets"], got["volume"]
    flag = "backcheck flags more than 1.5 to 1 and advises at least 1 to 1."
    ratio = push / pull if pull else None
    pressed = (
        f"{label} you did {_fmt(push)} hard sets of horizontal pressing (bench press, push-ups)"
    )
    if not push and not pull:
        text = f"{label} you logged no horizontal pressing or rowing, so there is no ratio."
    elif ratio is None:
        text = f"{pressed} and no horizontal pulling (rows) at all; {flag}"
    else:
        text = f"{pressed} and {_fmt(pull)} of horizontal pulling (rows): {_ratio_words(ratio)} to 1; {flag}"
    value = None if ratio is None else round(ratio, 2)
    out = [Evidence("push_pull_ratio_sets", value, PUSH_PULL_FLAG, "ratio", period, grade, text)]
    if v_push or v_pull:
        v_ratio = v_push / v_pull if v_pull else None
        if v_ratio is not None:
            v_text = f"{_fmt(v_push)} kg pressed and {_fmt(v_pull)} kg rowed: {_ratio_words(v_ratio)} to 1."
        elif pull:
            v_text = "your rows were bodyweight only (0 kg), so compare hard sets."
        else:
            v_text = f"{_fmt(v_push)} kg pressed, none rowed."
        value = None if v_ratio is None else round(v_ratio, 2)
        text = f"By volume load (reps x kg), {label.lower()}: {v_text}"
        out.append(
            Evidence("push_pull_ratio_volume", value, PUSH_PULL_FLAG, "ratio", period, grade, text)
        )
    return out


def _advice(abnormality: float, current: float | None, *, no_pull: bool = False) -> list[str]:
    if abnormality <= 0:
        return [
            "Keep at least as much horizontal pulling (rows, face pulls) as pressing each "
            "week: 1 to 1 or more."
        ]
    if current is not None:
        now = f" (now {_ratio_words(current)} to 1)"
    else:
        now = f" (no horizontal pulling in the last {WINDOW_WEEKS} weeks)" if no_pull else ""
    return [
        "Do at least as many hard sets of horizontal pulling (rows, face pulls, rear-delt "
        f"flyes) as of pressing each week: 1 to 1 or more{now}.",
        "Put a row in every pressing session rather than saving all pulling for one day.",
        "Many coaches advise twice as much pulling as pressing (2 to 1); that is coaching "
        "advice without a trial.",
    ]
