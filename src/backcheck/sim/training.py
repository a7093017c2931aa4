"""Training sessions of a simulated athlete: schedule, exercises, warm-ups, loads, RPE.

Everything is drawn from the Profile's "training" random stream, session by session, so a
history of any length can be streamed (`sessions`) without holding it in memory.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from backcheck.sim.exercises import CARDIO, CARDIO_PACE, EXERCISES, HORIZONTAL_PULL, Exercise
from backcheck.sim.profile import Knobs, Profile, stream

#: Session kinds by day-of-week offset (0 = the Profile's start weekday), per training days.
#: U upper body, L lower body, F full body, C legs & core. Upper-back sessions >= 3 days apart.
HEALTHY_WEEKS: Final[dict[int, dict[int, str]]] = {
    1: {0: "F"},
    2: {0: "F", 3: "F"},
    3: {0: "U", 2: "L", 4: "U"},
    4: {0: "U", 1: "L", 3: "U", 4: "L"},
    5: {0: "U", 1: "L", 3: "U", 4: "L", 5: "C"},
    6: {0: "U", 1: "L", 2: "C", 3: "U", 4: "L", 5: "C"},
    7: {0: "U", 1: "L", 2: "C", 3: "U", 4: "L", 5: "C", 6: "C"},
}
#: The recovery cause's weeks: upper-body sessions on consecutive days (< 48 h apart).
RECOVERY_WEEKS: Final[dict[int, dict[int, str]]] = {
    1: {0: "F"},
    2: {0: "F", 1: "F"},
    3: {0: "U", 1: "U", 3: "L"},
    4: {0: "U", 1: "U", 3: "U", 4: "L"},
    5: {0: "U", 1: "U", 2: "L", 3: "U", 4: "U"},
    6: {0: "U", 1: "U", 2: "L", 3: "U", 4: "U", 5: "L"},
    7: {0: "U", 1: "U", 2: "L", 3: "U", 4: "U", 5: "L", 6: "U"},
}
_NAMES: Final = {"U": "Upper", "L": "Lower", "F": "Full Body", "C": "Legs & Core"}
_WARMUP_BLOCK: Final = 20  # warm-ups are dealt in shuffled blocks: exact share per 20 sessions


@dataclass(slots=True)
class SimSet:
    """One logged set (kg, reps, RPE 1-10 or None, metres, seconds)."""

    exercise: str
    set_type: str  # one of model.SET_TYPES
    weight_kg: float
    reps: int
    rpe: float | None
    distance_m: float | None = None
    seconds: float | None = None
    notes: str | None = None


@dataclass(slots=True)
class SimSession:
    """One workout: local wall-clock start (naive), its sets, and what it was built with."""

    day: date
    start_local: datetime
    name: str
    kind: str  # U, L, F or C
    duration_s: float
    sets: list[SimSet]
    warmed_up: bool
    spike: float  # factor on upper-back sets this week (1.0 = none)
    hpush: int  # horizontal push working sets
    hpull: int  # horizontal pull working sets
    upper_back: bool  # has an exercise that works the upper back (exercises.Exercise.upper_back)
    upper_body: bool  # has an upper-body lift (push, pull or arm isolation)


def week_plan(knobs: Knobs) -> dict[int, str]:
    """Session kind by day offset within a week."""
    table = RECOVERY_WEEKS if knobs.consecutive_upper else HEALTHY_WEEKS
    return table[knobs.training_days]


def spike_weeks(p: Profile, knobs: Knobs) -> dict[int, float]:
    """Week index -> volume factor, for the spikes that fit (weeks >= 4, >= 4 weeks apart)."""
    rng = stream(p, "spikes")
    free = list(range(4, p.weeks))
    chosen: dict[int, float] = {}
    for factor in knobs.spikes:
        options = [w for w in free if all(abs(w - c) >= 4 for c in chosen)]
        if not options:
            break
        chosen[rng.choice(options)] = factor
    return chosen


def load_at(ex: Exercise, days: int, strength: float) -> float:
    """Working load (kg) `days` after the start: gains of `ex.gain` kg a month, slowing over
    the years (12 * ln(1 + months / 12) months' worth), rounded to the exercise's step."""
    if ex.kind != "weighted":
        return 0.0
    months = days / 30.44
    raw = ex.load * strength + ex.gain * 12.0 * math.log1p(months / 12.0)
    return _round_step(raw, ex.step)


def _round_step(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def _chunks(total: int, rng: random.Random) -> list[int]:
    """Split `total` sets into exercises of 3-5 sets; 1-2 left over become 0 or 3 at random
    (keeping the expected total)."""
    out: list[int] = []
    while total > 0:
        if total <= 5:
            if total >= 3:
                out.append(total)
            elif out and out[-1] + total <= 5:
                out[-1] += total
            elif rng.random() < total / 3:
                out.append(3)
            break
        take = rng.randint(3, min(5, total - 3))
        out.append(take)
        total -= take
    return out


def _pulls(push_sets: int, ratio: float, variant: int, rng: random.Random) -> list[tuple[str, int]]:
    target = push_sets / ratio
    whole = int(target)
    total = whole + (1 if rng.random() < target - whole else 0)
    order = list(HORIZONTAL_PULL)
    if variant:
        order[0], order[1] = order[1], order[0]
    return list(zip(order, _chunks(total, rng)[: len(order)], strict=False))


def _plan(kind: str, variant: int, ratio: float, rng: random.Random) -> list[tuple[str, int]]:
    """(exercise, working sets) in session order, 4-8 exercises."""
    if kind == "U":
        second = "Incline Bench Press (Dumbbell)" if variant == 0 else "Push Up"
        pushes = ["Bench Press (Barbell)", second]
        if ratio > 1.5:  # push-dominant lifters add pushing, not pulling
            pushes.append("Push Up" if variant == 0 else "Incline Bench Press (Dumbbell)")
        push = [(name, rng.randint(3, 5)) for name in pushes]
        pulls = _pulls(sum(n for _, n in push), ratio, variant, rng)
        plan = [push[0], *pulls[:1], *push[1:]]
        if rng.random() < 0.6:
            plan.append(("Overhead Press (Barbell)", rng.randint(3, 4)))
        plan.append(("Lat Pulldown (Cable)" if variant == 0 else "Pull Up", rng.randint(3, 4)))
        plan.extend(pulls[1:])
        extras = [
            e
            for e in (
                "Triceps Pushdown (Cable - Straight Bar)",
                "Bicep Curl (Dumbbell)",
                "Shrug (Dumbbell)",
            )
            if rng.random() < 0.5
        ]
        while len(plan) + len(extras) < 4:
            extras.append(
                "Bicep Curl (Dumbbell)"
                if "Bicep Curl (Dumbbell)" not in extras
                else "Triceps Pushdown (Cable - Straight Bar)"
            )
        plan.extend((e, 3) for e in extras[: max(0, 8 - len(plan))])
        return plan
    if kind == "F":
        bench = rng.randint(3, 4)
        return [
            ("Squat (Barbell)", rng.randint(3, 4)),
            ("Bench Press (Barbell)", bench),
            *_pulls(bench, ratio, variant, rng)[:2],
            ("Lat Pulldown (Cable)" if variant == 0 else "Pull Up", 3),
            ("Plank", 3),
        ]
    if kind == "L":
        if variant == 0:
            plan = [
                ("Squat (Barbell)", rng.randint(3, 5)),
                ("Romanian Deadlift (Barbell)", rng.randint(3, 4)),
                ("Leg Press", rng.randint(3, 4)),
                ("Plank", 3),
            ]
            if rng.random() < 0.5:
                plan.append(("Bicep Curl (Dumbbell)", 3))
            return plan
        return [
            ("Deadlift (Barbell)", rng.randint(3, 5)),
            ("Leg Press", rng.randint(3, 4)),
            ("Plank", 3),
            ("Bicep Curl (Dumbbell)", 3),
        ]
    return [
        ("Leg Press", rng.randint(3, 4)),
        ("Romanian Deadlift (Barbell)", 3),
        ("Plank", 3),
        ("Bicep Curl (Dumbbell)", 3),
    ]


def _ramp(ex: Exercise, load: float) -> list[SimSet]:
    """Warm-up sets at ~40-60-80% of the working load (one at 50% for light loads)."""
    steps = ((0.4, 8), (0.6, 5), (0.8, 3)) if load >= 40 else ((0.5, 8),)
    return [
        SimSet(ex.name, "warmup", _round_step(load * pct, ex.step), reps, None)
        for pct, reps in steps
    ]


def _working(
    ex: Exercise, n: int, load: float, rpe_rate: float, rng: random.Random
) -> list[SimSet]:
    lo, hi = ex.reps
    if ex.kind == "timed":
        return [
            SimSet(
                ex.name, "working", 0.0, 0, None, None, float(5 * round(rng.randint(lo, hi) / 5))
            )
            for _ in range(n)
        ]
    target = rng.randint(lo, hi)
    out: list[SimSet] = []
    for i in range(n):
        reps = max(1, target - i // 2 - (rng.random() < 0.3))
        rpe = min(10.0, 6.5 + 0.5 * i + rng.choice((0.0, 0.5, 1.0)))
        kind = "working"
        if i == n - 1 and rng.random() < 0.04:
            kind, rpe, reps = "failure", 10.0, max(1, reps - 1)
        out.append(SimSet(ex.name, kind, load, reps, rpe if rng.random() < rpe_rate else None))
    if ex.pattern == "isolation" and ex.kind == "weighted" and rng.random() < 0.08:
        out.append(SimSet(ex.name, "drop", _round_step(load * 0.7, ex.step), target, None))
    return out


def _cardio(rng: random.Random) -> SimSet:
    name = rng.choice(CARDIO)
    minutes = rng.randint(5, 10)
    metres = round(CARDIO_PACE[name] * minutes * rng.uniform(0.9, 1.1), -1)
    return SimSet(name, "working", 0.0, 0, None, metres, float(minutes * 60))


def sessions(p: Profile, knobs: Knobs, *, weeks: int | None = None) -> Iterator[SimSession]:
    """The athlete's workouts in time order, over `weeks` (default p.weeks; any number streams)."""
    rng = stream(p, "training")
    strength = p.strength if p.strength is not None else rng.uniform(0.85, 1.15)
    habit = rng.choice((6 * 60 + 30, 12 * 60, 17 * 60 + 30, 18 * 60 + 30))  # minutes after 00:00
    plan = week_plan(knobs)
    spikes = spike_weeks(p, knobs)
    counts = {"U": 0, "L": 0, "F": 0, "C": 0}
    warm_deck: list[bool] = []
    for week in range(p.weeks if weeks is None else weeks):
        spike = spikes.get(week, 1.0)
        for offset, kind in plan.items():
            day = p.start + timedelta(days=7 * week + offset)
            variant = counts[kind] % 2
            counts[kind] += 1
            if not warm_deck:
                k = round(knobs.warmup_rate * _WARMUP_BLOCK)
                warm_deck = [True] * k + [False] * (_WARMUP_BLOCK - k)
                rng.shuffle(warm_deck)
            warmed = warm_deck.pop()
            yield _session(
                p,
                knobs,
                day=day,
                kind=kind,
                variant=variant,
                warmed=warmed,
                spike=spike,
                ratio=knobs.push_pull_at(week),
                strength=strength,
                habit=habit,
                rng=rng,
            )


def _session(
    p: Profile,
    knobs: Knobs,
    *,
    day: date,
    kind: str,
    variant: int,
    warmed: bool,
    spike: float,
    ratio: float,
    strength: float,
    habit: int,
    rng: random.Random,
) -> SimSession:
    days = (day - p.start).days
    plan = _plan(kind, variant, ratio, rng)
    sets: list[SimSet] = []
    if warmed and rng.random() < 0.75:
        sets.append(_cardio(rng))
    hpush = hpull = 0
    upper_back = upper_body = False
    for i, (name, planned) in enumerate(plan):
        ex = EXERCISES[name]
        n = max(1, min(10, round(planned * p.volume)))
        if ex.upper_back:
            upper_back = True
            n = min(10, round(n * spike))
        load = load_at(ex, days, strength)
        first_upper = ex.upper_body and not upper_body
        upper_body = upper_body or ex.upper_body
        if warmed and ex.kind == "weighted" and (i == 0 or first_upper):
            sets.extend(_ramp(ex, load))  # the first lift and the first upper-body lift
        work = _working(ex, n, load, p.rpe_rate, rng)
        sets.extend(work)
        done = sum(1 for s in work if s.set_type != "drop")
        if ex.pattern == "horizontal-push":
            hpush += done
        elif ex.pattern == "horizontal-pull":
            hpull += done
    seconds = sum(
        (s.seconds or 0.0)
        if s.distance_m is not None
        else (75.0 if s.set_type == "warmup" else 150.0)
        for s in sets
    )
    duration = 60.0 * round((seconds + 300.0 + rng.randint(0, 600)) / 60.0)
    minute = habit + rng.randint(-40, 40)
    start = datetime.combine(day, time(minute // 60, minute % 60, rng.randint(0, 59)))
    return SimSession(
        day=day,
        start_local=start,
        name=f"{_NAMES[kind]} {'AB'[variant]}",
        kind=kind,
        duration_s=duration,
        sets=sets,
        warmed_up=warmed,
        spike=spike,
        hpush=hpush,
        hpull=hpull,
        upper_back=upper_back,
        upper_body=upper_body,
    )
