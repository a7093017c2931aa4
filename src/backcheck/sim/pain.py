"""Sleep, recovery practice, exposures and the pain diary of a simulated athlete.

Pain model: each training day carries exposure factors (profile.FACTORS). The chance of upper-back
pain (NRS >= 3) starting within 48 h (the same evening or the next day) is
    logit(p) = logit(base_pain) + sum over the athlete's causes with k >= 1 factors on that day
               of ln(odds[cause]) * (1 + 0.5 (k - 1))
so a healthy athlete's pain is unrelated to every factor. On top, any day may bring pain at
`random_pain`, and a chronic cause (imbalance) adds `chronic_pain` a day over the whole history
(over its phase only, when the profile gives `imbalance_phase`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, TypedDict

from backcheck.sim.profile import FACTORS, Knobs, Profile, stream
from backcheck.sim.training import SimSession

PAIN_SITES: Final = ("between-shoulder-blades", "upper-trapezius", "mid-back")
#: Where each cause's pain tends to sit (weights over PAIN_SITES).
_SITE_WEIGHTS: Final[dict[str, tuple[float, float, float]]] = {
    "warmup": (0.4, 0.3, 0.3),
    "imbalance": (0.6, 0.2, 0.2),
    "overexertion": (0.4, 0.2, 0.4),
    "recovery": (0.3, 0.5, 0.2),
    "random": (1 / 3, 1 / 3, 1 / 3),
}
_NOTES: Final = (
    "tight after training",
    "sharp when turning the head",
    "dull ache",
    "worse after sitting at the desk",
    "stiff in the morning",
)
_PRACTICES: Final = (
    ("stretching", 3.0),
    ("foam-rolling", 3.0),
    ("yoga", 2.0),
    ("meditation", 1.0),
    ("massage", 0.5),
)
#: Share of session-set-off pain that starts on the session day (the rest: the day after).
SAME_DAY: Final = 0.3
#: Chance such pain lingers into the next day, 2 NRS points lower.
LINGER: Final = 0.25
#: Onset levels (NRS, both ends included) of session-set-off pain; one more with 2 causes.
ONSET_LEVELS: Final = (3, 6)
#: Daily chance of a niggle (NRS 1-2: below the pain threshold, logged as pain-free).
NIGGLE: Final = 0.04
SHORT_SLEEP_H: Final = 7.0
SHORT_GAP_H: Final = 48.0
CATCH_UP_H: Final = 7.9


class PainRow(TypedDict):
    """One pain diary row: level 0-10 (NRS); region None when level is 0."""

    date: date
    level: int
    region: str | None
    note: str | None


class RecoveryRow(TypedDict):
    """One recovery row: kind in model.RECOVERY_KINDS; sleep hours, else minutes."""

    date: date
    kind: str
    value: float


@dataclass(frozen=True, slots=True)
class Diary:
    """What `diary` returns: logged rows plus the truth behind them."""

    pain_rows: list[PainRow]
    recovery_rows: list[RecoveryRow]
    exposures: dict[date, frozenset[str]]  # training day -> factors that were on
    pain_prob: dict[date, float]  # training day -> chance of pain within 48 h
    pain_days: tuple[date, ...]  # days with level >= 3, logged or not


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def log_odds(causal: Sequence[str], odds: Mapping[str, float]) -> float:
    """ln odds ratio of pain after one session: sum over the causes in `causal` (one entry per
    factor on, so a cause appears k times for k factors) of ln(odds[cause]) x (1 + 0.5 per
    extra factor of the same cause). odds: cause -> odds ratio (>= 1) per exposure."""
    total = 0.0
    for cause in set(causal):
        k = causal.count(cause)
        total += math.log(odds[cause]) * (1.0 + 0.5 * (k - 1))
    return total


def sleep_nights(p: Profile, knobs: Knobs, days: int) -> list[float]:
    """Hours slept the night ending on the morning of start + i, for i in range(days).

    A share `knobs.catch_up` of nights are catch-up nights (mean 7.9 h, SD 0.5); the others
    are drawn so that the overall mean is `knobs.sleep_mean` (SD `knobs.sleep_sd`).
    """
    rng = stream(p, "sleep")
    c = knobs.catch_up
    short_mean = (knobs.sleep_mean - c * CATCH_UP_H) / (1.0 - c)
    nights = []
    for _ in range(days):
        catch_up = rng.random() < c
        hours = rng.gauss(CATCH_UP_H, 0.5) if catch_up else rng.gauss(short_mean, knobs.sleep_sd)
        nights.append(round(min(10.5, max(3.5, hours)), 1))
    return nights


def exposures(
    sessions: Sequence[SimSession],
    *,
    sleep: Sequence[float],
    start: date,
    utc_starts: Sequence[datetime],
) -> dict[date, frozenset[str]]:
    """Factors on for each training day (see profile.FACTORS for their definitions)."""
    out: dict[date, frozenset[str]] = {}
    last_upper: datetime | None = None
    for s, at in zip(sessions, utc_starts, strict=True):
        on: set[str] = set()
        if not s.warmed_up and s.upper_body:
            on.add("no_warmup")
        if s.spike > 1.0 and s.upper_back:
            on.add("load_spike")
        if s.hpush > 1.5 * s.hpull:
            on.add("push_dominant")
        night = (s.day - start).days
        if 0 <= night < len(sleep) and sleep[night] < SHORT_SLEEP_H:
            on.add("short_sleep")
        if s.upper_back:
            if last_upper is not None and (at - last_upper).total_seconds() < SHORT_GAP_H * 3600:
                on.add("short_gap")
            last_upper = at
        out[s.day] = frozenset(on)
    return out


def diary(
    p: Profile, knobs: Knobs, sessions: Sequence[SimSession], *, utc_starts: Sequence[datetime]
) -> Diary:
    """Sleep and practice rows, exposures, and the pain diary (see module docstring)."""
    days = 7 * p.weeks + 2
    sleep = sleep_nights(p, knobs, days)
    expo = exposures(sessions, sleep=sleep, start=p.start, utc_starts=utc_starts)
    rng = stream(p, "pain")
    levels = [0] * days
    sites: list[str | None] = [None] * days
    notes: list[str | None] = [None] * days

    def hurt(i: int, level: int, cause: str, note: str | None = None) -> None:
        if 0 <= i < days and level > levels[i]:
            levels[i] = level
            sites[i] = rng.choices(PAIN_SITES, weights=_SITE_WEIGHTS[cause])[0]
            notes[i] = note

    base = _logit(p.base_pain)
    probs: dict[date, float] = {}
    for s in sessions:
        causal = [FACTORS[f] for f in sorted(expo[s.day]) if FACTORS[f] in knobs.odds]
        prob = 1 / (1 + math.exp(-(base + log_odds(causal, knobs.odds))))
        probs[s.day] = prob
        if p.pain and rng.random() < prob:
            onset = (s.day - p.start).days + (0 if rng.random() < SAME_DAY else 1)
            level = rng.randint(*ONSET_LEVELS) + (1 if len(causal) >= 2 else 0)
            cause = rng.choice(causal) if causal else "random"
            hurt(onset, level, cause, rng.choice(_NOTES) if rng.random() < 0.25 else None)
            if rng.random() < LINGER:
                hurt(onset + 1, max(1, level - 2), cause)
    for i in range(days):
        roll = rng.random()
        if not p.pain:
            continue
        chronic = knobs.chronic_pain if knobs.imbalance_on(i // 7) else 0.0
        if roll < p.random_pain:
            hurt(i, rng.randint(3, 5), "random")
        elif roll < p.random_pain + chronic:
            hurt(i, rng.randint(3, 5), "imbalance")
        elif roll < p.random_pain + chronic + NIGGLE:
            hurt(i, rng.randint(1, 2), "random")  # a niggle, below the pain threshold
    _ease(levels)
    pain_rows = _pain_rows(p, levels, sites, notes, rng)
    recovery_rows = _recovery_rows(p, knobs, sleep)
    pain_days = tuple(p.start + timedelta(days=i) for i in range(days) if levels[i] >= 3)
    return Diary(pain_rows, recovery_rows, expo, probs, pain_days)


def _ease(levels: list[int]) -> None:
    """Keep the diary free of red flags (analysis.triage): a run of pain days (NRS >= 3, at
    most 2 days apart) lasts at most 5 days and, after its first 3 days, never rises 2 points
    above them; later days of a run ease to a niggle (2). Levels stay below 9."""
    start = last = -10
    for i, raw in enumerate(levels):
        if raw < 3:
            continue
        levels[i] = min(raw, 8)
        if i - last > 2:
            start = last = i
            continue
        if i - start >= 5:
            levels[i] = 2
            continue
        if i - start >= 3:
            early = max(x for x in levels[start : start + 3] if x >= 3)
            levels[i] = min(levels[i], early + 1)
        last = i


def _pain_rows(
    p: Profile,
    levels: list[int],
    sites: list[str | None],
    notes: list[str | None],
    rng: random.Random,
) -> list[PainRow]:
    """Diary rows: `pain_log_rate` (95%) of days with pain; pain-free days dealt from shuffled
    decks of 10 days holding exactly round(10 x diary_rate) diary days, so the share of
    controls is steady."""
    rows: list[PainRow] = []
    deck: list[bool] = []
    for i, level in enumerate(levels):
        if not deck:
            k = round(10 * p.diary_rate)
            deck = [True] * k + [False] * (10 - k)
            rng.shuffle(deck)
        diary_day = deck.pop()
        if (rng.random() < p.pain_log_rate) if level else diary_day:
            rows.append(
                {
                    "date": p.start + timedelta(days=i),
                    "level": level,
                    "region": sites[i] if level else None,
                    "note": notes[i] if level else None,
                }
            )
    return rows


def _recovery_rows(p: Profile, knobs: Knobs, sleep: list[float]) -> list[RecoveryRow]:
    rng = stream(p, "recovery")
    per_day = min(1.0, knobs.practice_minutes / (7 * 20.0))  # sessions average 20 min
    kinds = [k for k, _ in _PRACTICES]
    weights = [w for _, w in _PRACTICES]
    rows: list[RecoveryRow] = []
    for i, hours in enumerate(sleep):
        day = p.start + timedelta(days=i)
        if rng.random() < p.sleep_log_rate:
            rows.append({"date": day, "kind": "sleep", "value": hours})
        if rng.random() < per_day:
            rows.append(
                {
                    "date": day,
                    "kind": rng.choices(kinds, weights=weights)[0],
                    "value": float(rng.choice((10, 15, 20, 25, 30))),
                }
            )
    return rows
