"""What the plan starts from: the athlete's own recent training, read from AthleteData.

The reference period is the 8 weeks (56 days) up to the last training day on or before
as_of (so an old export still gives "the last 8 weeks of training"); the chronic period is
its last 28 days. Volume is counted in working sets (working, drop and failure sets with at
least one rep, `formulas.is_load_set_expr`) of mapped exercises whose pattern is neither
cardio nor mobility; warm-up sets never count. Upper-back sets are those of exercises the
catalog weights at 0.5 or more (a synergist or prime mover) for any upper-back region
(model.UPPER_BACK_REGIONS), the same role cut as analysis.recovery.

Loads are kg as logged (per dumbbell for dumbbell lifts). The heaviest working load of the
reference period is the ceiling no planned load exceeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

import polars as pl

from backcheck.analysis.context import AthleteData
from backcheck.analysis.formulas import e1rm_expr, is_load_set_expr
from backcheck.catalog import load_catalog
from backcheck.model import UPPER_BACK_REGIONS

REFERENCE_DAYS: Final = 56
CHRONIC_DAYS: Final = 28
#: Patterns that are never counted as training volume (warm-up and activation work).
NOT_VOLUME: Final = ("cardio", "mobility")
#: A catalog weight at or above this for an upper-back region makes an exercise train it.
ROLE_WEIGHT: Final = 0.5
#: Acute week above this multiple of the pre-spike weekly mean is a spike (top of the
#: 0.8-1.3 "sweet spot", Gabbett 2016; descriptive, never an injury probability).
SPIKE_RATIO: Final = 1.3
#: Pain at or above this level (NRS 0-10) in the last 7 days starts the plan with a reduced week.
SEVERE_PAIN: Final = 7
PAIN_DAYS: Final = 7


def loads_upper_back(key: str | None) -> bool:
    """True when the catalog exercise `key` trains an upper-back region (weight >= 0.5)."""
    if key is None or key not in load_catalog():
        return False
    regions = load_catalog().get(key).regions
    return any(regions[r] >= ROLE_WEIGHT for r in UPPER_BACK_REGIONS)


@dataclass(frozen=True, slots=True)
class ExerciseStats:
    """One catalog exercise in the reference period (kg, reps, sets a week)."""

    key: str
    name: str  # the name the athlete logs it under most often
    pattern: str
    upper_body: bool
    upper_back: bool
    sets: int  # working sets in the reference period
    weekly_sets: float  # working sets a week over the chronic period
    max_load: float | None  # heaviest working load, None when never loaded (bodyweight)
    e1rm: float | None  # best trusted estimated 1RM (Epley, <= 10 reps to failure)
    reps: int  # median reps of working sets


@dataclass(frozen=True, slots=True)
class Basis:
    """The figures a plan is built from and checked against (see the module docstring).

    chronic_*: mean working sets a week over the chronic period (or the weeks of it the log
    covers). pre_spike_*: the same over its first three weeks (days 8-28 back), the level to
    return to after a spike. acute_*: the last 7 days. days_per_week: training days a week in
    the reference period; weekday_counts: training days per weekday (Monday first).
    break_days: days from the last training day to the plan's start (as_of when no start
    is given; plan.detraining). pain_max_7d: highest pain level in
    the 7 days up to as_of (None: no entry).
    """

    reference: tuple[date, date] | None
    chronic_total: float
    chronic_upper_back: float
    pre_spike_total: float
    pre_spike_upper_back: float
    acute_total: float
    acute_upper_back: float
    days_per_week: float
    weekday_counts: tuple[int, ...]
    break_days: int
    pain_max_7d: int | None
    pain_day: date | None
    exercises: tuple[ExerciseStats, ...] = ()
    cardio: str | None = None  # the athlete's most logged cardio exercise
    videos: tuple[dict[str, Any], ...] = field(default=())
    last_upper_back: date | None = None  # the last logged day with an upper-back working set

    @property
    def spike(self) -> bool:
        """The last 7 days were more than SPIKE_RATIO x the pre-spike weekly mean."""
        return any(
            pre > 0 and acute > SPIKE_RATIO * pre
            for acute, pre in (
                (self.acute_total, self.pre_spike_total),
                (self.acute_upper_back, self.pre_spike_upper_back),
            )
        )

    @property
    def severe_pain(self) -> bool:
        """Pain of SEVERE_PAIN (7) or more in the last 7 days."""
        return self.pain_max_7d is not None and self.pain_max_7d >= SEVERE_PAIN

    @property
    def max_loads(self) -> dict[str, float]:
        """Exercise name -> heaviest working load (kg) in the reference period (loaded only)."""
        return {e.name: e.max_load for e in self.exercises if e.max_load}

    def to_json(self) -> dict[str, Any]:
        period = None
        if self.reference is not None:
            period = f"{self.reference[0].isoformat()}..{self.reference[1].isoformat()}"
        return {
            "period": period,
            "days_per_week": round(self.days_per_week, 1),
            "weekly_sets": round(self.chronic_total, 1),
            "weekly_upper_back_sets": round(self.chronic_upper_back, 1),
            "spike": self.spike,
            "break_days": self.break_days,
            "pain_max_7d": self.pain_max_7d,
            "last_upper_back_day": None
            if self.last_upper_back is None
            else self.last_upper_back.isoformat(),
        }


def _weeks_covered(first: date, start: date, end: date) -> int:
    """7-day bins (ending on `end`) from `start` to `end` that the log (from `first`) reaches."""
    lo = max(first, start)
    return 0 if lo > end else (end - lo).days // 7 + 1


def working_sets(sets: pl.DataFrame) -> pl.DataFrame:
    """Working sets that count as volume: load sets with reps >= 1 of mapped, non-cardio,
    non-mobility exercises. Adds `upper_back` (bool) per row."""
    if sets.height == 0:
        return sets.with_columns(pl.lit(False).alias("upper_back"))
    keys = [k for k in sets["exercise_key"].drop_nulls().unique().to_list()]
    ub = {k: loads_upper_back(k) for k in keys}
    return sets.filter(
        is_load_set_expr()
        & (pl.col("reps").fill_null(0) >= 1)
        & pl.col("pattern").is_not_null()
        & ~pl.col("pattern").is_in(list(NOT_VOLUME))
    ).with_columns(
        pl.col("exercise_key")
        .replace_strict(ub, default=False, return_dtype=pl.Boolean)
        .alias("upper_back")
    )


def _pain(data: AthleteData) -> tuple[int | None, date | None]:
    if data.pain.height == 0:
        return None, None
    recent = data.pain.filter(
        pl.col("day").is_between(data.as_of - timedelta(days=PAIN_DAYS - 1), data.as_of)
    )
    if recent.height == 0:
        return None, None
    top = recent.sort(["level", "day"], descending=True).row(0, named=True)
    return int(top["level"]), top["day"]


def _stats(work: pl.DataFrame, *, chronic_from: date, weeks_c: int) -> list[ExerciseStats]:
    if work.height == 0:
        return []
    catalog = load_catalog()
    per = (
        work.with_columns(
            e1rm_expr(),
            pl.when(pl.col("weight_kg") > 0).then(pl.col("weight_kg")).alias("_w"),
        )
        .group_by("exercise_key")
        .agg(
            pl.len().alias("sets"),
            (pl.col("day") >= chronic_from).sum().alias("chronic_sets"),
            pl.col("_w").max().alias("max_load"),
            pl.col("e1rm").filter(pl.col("_w").is_not_null()).max().alias("e1rm"),
            pl.col("reps").median().alias("reps"),
            pl.col("exercise").mode().sort().first().alias("name"),
            pl.col("day").max().alias("last"),
        )
    )
    out = []
    for r in per.iter_rows(named=True):
        ex = catalog.get(r["exercise_key"])
        out.append(
            ExerciseStats(
                key=ex.key,
                # the logged name, unless only the athlete's own map knows it (`exercises
                # map`): then the catalog's name, which every plan writer can look up
                name=r["name"] if catalog.key_of(r["name"]) == ex.key else ex.name,
                pattern=ex.pattern,
                upper_body=ex.upper_body,
                upper_back=loads_upper_back(ex.key),
                sets=int(r["sets"]),
                weekly_sets=r["chronic_sets"] / weeks_c if weeks_c else 0.0,
                max_load=r["max_load"],
                e1rm=r["e1rm"],
                reps=round(r["reps"]) if r["reps"] is not None else 10,
            )
        )
    return sorted(out, key=lambda e: (-e.sets, e.name))


def basis_of(data: AthleteData, *, start: date | None = None) -> Basis:
    """The Basis of `data` for a plan starting on `start` (default: data.as_of; it only
    sets break_days). Pure; see the module docstring for every definition."""
    pain_max, pain_day = _pain(data)
    sets = data.sets.filter(pl.col("day") <= data.as_of) if data.sets.height else data.sets
    cardio = None
    if sets.height:
        c = sets.filter(pl.col("pattern") == "cardio")
        if c.height:
            cardio = str(c["exercise"].mode().sort()[0])
    work = working_sets(sets)
    if work.height == 0:
        return Basis(
            None,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            (0,) * 7,
            0,
            pain_max,
            pain_day,
            cardio=cardio,
            videos=tuple(data.videos),
        )
    end: date = work["day"].max()  # type: ignore[assignment]
    first: date = work["day"].min()  # type: ignore[assignment]
    ref_from = end - timedelta(days=REFERENCE_DAYS - 1)
    chronic_from = end - timedelta(days=CHRONIC_DAYS - 1)
    acute_from = end - timedelta(days=6)
    ref = work.filter(pl.col("day") >= ref_from)
    weeks_c = _weeks_covered(first, chronic_from, end)
    weeks_pre = _weeks_covered(first, chronic_from, acute_from - timedelta(days=1))
    weeks_ref = _weeks_covered(first, ref_from, end)

    def total(frame: pl.DataFrame) -> tuple[float, float]:
        return float(frame.height), float(frame["upper_back"].sum())

    chronic = total(ref.filter(pl.col("day") >= chronic_from))
    acute = total(ref.filter(pl.col("day") >= acute_from))
    pre = total(ref.filter(pl.col("day").is_between(chronic_from, acute_from - timedelta(days=1))))
    chronic_m = (chronic[0] / weeks_c, chronic[1] / weeks_c)
    pre_m = (pre[0] / weeks_pre, pre[1] / weeks_pre) if weeks_pre else chronic_m
    days = sets.filter(pl.col("day").is_between(ref_from, end))["day"].unique()
    counts = [0] * 7
    for d in days.to_list():
        counts[d.weekday()] += 1
    last_ub: date | None = work.filter(pl.col("upper_back"))["day"].max()  # type: ignore[assignment]
    return Basis(
        reference=(max(ref_from, first), end),
        chronic_total=chronic_m[0],
        chronic_upper_back=chronic_m[1],
        pre_spike_total=pre_m[0],
        pre_spike_upper_back=pre_m[1],
        acute_total=acute[0],
        acute_upper_back=acute[1],
        days_per_week=len(days) / weeks_ref,
        weekday_counts=tuple(counts),
        break_days=((start or data.as_of) - end).days,
        pain_max_7d=pain_max,
        pain_day=pain_day,
        exercises=tuple(_stats(ref, chronic_from=chronic_from, weeks_c=weeks_c)),
        cardio=cardio,
        videos=tuple(data.videos),
        last_upper_back=last_ub,
    )


def round_down(load: float) -> float:
    """A load rounded down to what a gym can load: 2.5 kg steps from 20 kg, else 1 kg, and
    0.5 kg below 5 kg."""
    step = 2.5 if load >= 20 else 1.0 if load >= 5 else 0.5
    return math.floor(load / step + 1e-9) * step


def planned_load(
    stats: ExerciseStats, *, reps: int, rir: float, scale: float = 1.0
) -> float | None:
    """Working load (kg) for `reps` reps leaving `rir` reps in reserve, never above
    `scale` (0-1; below 1 after a break, plan.detraining) x the athlete's heaviest working
    load of the reference period.

    From the best trusted e1RM: e1RM / (1 + (reps + rir) / 30) (Epley inverted, reps to
    failure = reps + RIR as in formulas.e1rm_expr); without one, 90% of the heaviest load;
    times `scale`. Rounded down (round_down). None for bodyweight exercises (no load ever
    logged).
    """
    if not stats.max_load:
        return None
    raw = stats.e1rm / (1 + (reps + rir) / 30) if stats.e1rm else 0.9 * stats.max_load
    load = round_down(min(raw, stats.max_load) * scale)
    return load if load > 0 else None
