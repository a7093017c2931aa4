"""What a simulated athlete is made of: the Profile a test writes, and the knobs it resolves to.

A knob left at None takes the healthy value, or the cause's value when that cause is in
`causes` or `confounders` (halfway, roughly, when the cause is also in `mild`). A knob given
explicitly always wins, so a test can build "imbalance without the pain" or "short sleep but no
cause". The hard cases of docs/simulator.md (confounders, weak effects, short logs, diaries kept
mostly on painful days, sparse sleep logs, an imbalance phase) are Profile fields too; their
defaults give the athletes the simulator always made.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backcheck.errors import UsageError

#: Causes the simulator can build in (posture needs video, which it does not make).
SIM_CAUSES: Final = ("overexertion", "warmup", "imbalance", "recovery")

#: Exposure factors recorded per training day, and the cause each one belongs to.
FACTORS: Final[dict[str, str]] = {
    "load_spike": "overexertion",  # the day lies in a week of 1.8-2.5x upper-back volume
    "no_warmup": "warmup",  # an upper-body session without cardio or warm-up sets first
    "push_dominant": "imbalance",  # horizontal push working sets > 1.5x horizontal pull sets
    "short_sleep": "recovery",  # the night before slept < 7 h
    "short_gap": "recovery",  # < 48 h since the last session with an upper-back exercise
}


@dataclass(frozen=True, kw_only=True)
class Profile:
    """Parameters of one simulated athlete (all keyword-only).

    start: first day of the history (week k = days start+7k .. start+7k+6); weeks: 1-1500;
    days_per_week: training days, 1-7; seed: any int; causes: subset of SIM_CAUSES built
    into the data; mild: causes (also in `causes`) built in at reduced strength; confounders:
    causes (not in `causes`) whose abnormality is built into the data at full strength but
    which never drive pain (a second abnormality the engine must not blame); pain: False
    gives a diary of level-0 rows only; tz: IANA zone of the athlete's wall clock.

    Knobs (None = healthy value, or the cause's value when the cause is in `causes`):
    push_pull_ratio: horizontal push sets / horizontal pull sets, 0.5-4 (healthy 1.0,
        imbalance 2.5, mild 1.8);
    warmup_rate: share of sessions warmed up, 0-1 (healthy 0.95, warmup 0.15, mild 0.5);
    spikes: factors 1-4 of weekly upper-back volume jumps (healthy none, overexertion
        max(2, weeks // 5) of 1.8-2.5, mild max(1, weeks // 8) of 1.6-1.9);
    rest_days: 0-6 (healthy 7 - days_per_week; recovery 0-1 with upper-body sessions on
        consecutive days; mild recovery keeps the healthy schedule);
    sleep_hours: mean hours a night, 3-11 (healthy 7.5, recovery 5.5, mild 6.6);
    practice_minutes: recovery practice minutes a week, 0-2000 (healthy 60, recovery 10,
        mild 30);
    imbalance_phase: (first week, number of weeks): the push:pull knob applies in those
        weeks only (healthy 1.0 outside), and so does the imbalance cause's background pain;
        None = the whole history.

    Pain and logging: diary_rate: share of pain-free days with a level-0 row (0-1);
    base_pain: chance of pain within 48 h of a training day with no causal exposure (0-0.5);
    random_pain: chance a day brings pain unrelated to training (0-0.5); pain_odds: odds ratio
    of pain per causal exposure (>= 1; sqrt for mild causes); pain_with: the chance of pain
    within 48 h of a training day with one causal factor on (base_pain-0.99; None = from
    pain_odds; given, it sets the odds ratio instead: 0.5 against base_pain 0.12 is a weak
    effect, odds ratio 7.3); pain_log_rate: share of painful days logged (0-1);
    sleep_log_rate: share of nights with a sleep row (0-1); rpe_rate: share of working sets
    with RPE logged (0-1); strength: load multiplier (0.3-3; None = drawn from the seed,
    0.85-1.15); volume: multiplier of working sets per exercise (0.5-3; 1.0 = 3-5 sets, at
    most 10).
    """

    name: str = "sim"
    start: date = date(2025, 1, 6)
    weeks: int = 16
    days_per_week: int = 4
    seed: int = 0
    causes: frozenset[str] = frozenset()
    mild: frozenset[str] = frozenset()
    confounders: frozenset[str] = frozenset()
    pain: bool = True
    push_pull_ratio: float | None = None
    warmup_rate: float | None = None
    spikes: tuple[float, ...] | None = None
    rest_days: int | None = None
    sleep_hours: float | None = None
    practice_minutes: float | None = None
    imbalance_phase: tuple[int, int] | None = None
    tz: str = "Europe/Berlin"
    diary_rate: float = 0.7
    base_pain: float = 0.03
    random_pain: float = 0.015
    pain_odds: float = 12.0
    pain_with: float | None = None
    pain_log_rate: float = 0.95
    sleep_log_rate: float = 0.9
    rpe_rate: float = 0.85
    strength: float | None = None
    volume: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "causes", frozenset(self.causes))
        object.__setattr__(self, "mild", frozenset(self.mild))
        object.__setattr__(self, "confounders", frozenset(self.confounders))
        if self.imbalance_phase is not None:
            object.__setattr__(self, "imbalance_phase", tuple(self.imbalance_phase))
        if self.spikes is not None:
            object.__setattr__(self, "spikes", tuple(float(f) for f in self.spikes))
        _validate(self)


def _check_range(name: str, value: float | None, low: float, high: float) -> None:
    if value is None:
        return
    if not (low <= value <= high) or math.isnan(value):
        raise UsageError(name, f"must be between {low:g} and {high:g}, not {value!r}")


def _validate(p: Profile) -> None:
    if not p.name.strip():
        raise UsageError("name", "must not be empty")
    if not isinstance(p.start, date):
        raise UsageError("start", f"must be a date, not {p.start!r}")
    _check_range("weeks", p.weeks, 1, 1500)
    _check_range("days_per_week", p.days_per_week, 1, 7)
    unknown = sorted(p.causes - set(SIM_CAUSES))
    if unknown:
        raise UsageError(
            "causes",
            f"{', '.join(unknown)} cannot be simulated; choose from {', '.join(SIM_CAUSES)}"
            " (posture needs video)",
        )
    if not p.mild <= p.causes:
        raise UsageError("mild", f"{', '.join(sorted(p.mild - p.causes))} is not in causes")
    unknown = sorted(p.confounders - set(SIM_CAUSES))
    if unknown:
        raise UsageError(
            "confounders",
            f"{', '.join(unknown)} cannot be simulated; choose from {', '.join(SIM_CAUSES)}",
        )
    both = sorted(p.confounders & p.causes)
    if both:
        raise UsageError(
            "confounders", f"{', '.join(both)} is also in causes (a confounder drives no pain)"
        )
    _check_phase(p)
    _check_range("push_pull_ratio", p.push_pull_ratio, 0.5, 4.0)
    _check_range("warmup_rate", p.warmup_rate, 0.0, 1.0)
    for factor in p.spikes or ():
        _check_range("spikes", factor, 1.0, 4.0)
    _check_range("rest_days", p.rest_days, 0, 6)
    _check_range("sleep_hours", p.sleep_hours, 3.0, 11.0)
    _check_range("practice_minutes", p.practice_minutes, 0.0, 2000.0)
    _check_range("diary_rate", p.diary_rate, 0.0, 1.0)
    _check_range("base_pain", p.base_pain, 0.0, 0.5)
    _check_range("random_pain", p.random_pain, 0.0, 0.5)
    _check_range("pain_odds", p.pain_odds, 1.0, 1000.0)
    if p.pain_with is not None and not (p.base_pain < p.pain_with <= 0.99):
        raise UsageError(
            "pain_with",
            f"must be above base_pain ({p.base_pain:g}) and at most 0.99, not {p.pain_with!r}",
        )
    _check_range("pain_log_rate", p.pain_log_rate, 0.0, 1.0)
    _check_range("sleep_log_rate", p.sleep_log_rate, 0.0, 1.0)
    _check_range("rpe_rate", p.rpe_rate, 0.0, 1.0)
    _check_range("strength", p.strength, 0.3, 3.0)
    _check_range("volume", p.volume, 0.5, 3.0)
    try:
        ZoneInfo(p.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError("tz", f"unknown time zone {p.tz!r} (use an IANA name)") from None


def _check_phase(p: Profile) -> None:
    if p.imbalance_phase is None:
        return
    if len(p.imbalance_phase) != 2:
        raise UsageError("imbalance_phase", "must be (first week, number of weeks)")
    first, count = p.imbalance_phase
    if not (first >= 0 and count >= 1 and first + count <= p.weeks):
        raise UsageError(
            "imbalance_phase",
            f"weeks {first}..{first + count - 1} must lie within the {p.weeks} weeks "
            "(first >= 0, at least 1 week)",
        )


@dataclass(frozen=True, slots=True)
class Knobs:
    """A Profile's knobs with every None resolved (see Profile for units and ranges)."""

    push_pull_ratio: float
    warmup_rate: float
    spikes: tuple[float, ...]
    training_days: int  # per week, 7 - rest_days
    consecutive_upper: bool  # recovery schedule: upper-body sessions on consecutive days
    sleep_mean: float  # hours
    sleep_sd: float  # hours, of the nights that are not catch-up nights
    catch_up: float  # share of nights of catch-up sleep (~7.9 h), 0-0.5
    practice_minutes: float  # per week
    odds: dict[str, float]  # cause -> odds ratio of pain per exposure to one of its factors
    chronic_pain: float  # extra daily chance of pain over the whole history (imbalance)
    imbalance_phase: tuple[int, int] | None = None  # (first week, weeks) or None = always

    def push_pull_at(self, week: int) -> float:
        """The push:pull knob in week `week` (1.0 outside the imbalance phase)."""
        return self.push_pull_ratio if self.imbalance_on(week) else 1.0

    def imbalance_on(self, week: int) -> bool:
        """Whether week `week` lies in the imbalance phase (always, without a phase)."""
        if self.imbalance_phase is None:
            return True
        first, count = self.imbalance_phase
        return first <= week < first + count


def _pick(
    given: float | None, cause: str, p: Profile, healthy: float, mild: float, full: float
) -> float:
    if given is not None:
        return given
    if cause not in p.causes and cause not in p.confounders:
        return healthy
    return mild if cause in p.mild else full


def resolve(p: Profile) -> Knobs:
    """The concrete knobs of `p` (deterministic; spike factors come from the seed)."""
    rng = stream(p, "knobs")
    if p.spikes is not None:
        spikes = p.spikes
    elif "overexertion" in p.causes or "overexertion" in p.confounders:
        mild = "overexertion" in p.mild
        count = max(1, p.weeks // 8) if mild else max(2, p.weeks // 5)
        low, high = (1.6, 1.9) if mild else (1.8, 2.5)
        spikes = tuple(round(rng.uniform(low, high), 2) for _ in range(count))
    else:
        spikes = ()
    recovery = "recovery" in p.causes or "recovery" in p.confounders
    back_to_back = recovery and "recovery" not in p.mild  # mild recovery: short sleep only
    if p.rest_days is not None:
        rest = p.rest_days
    elif back_to_back:
        rest = min(1, 7 - p.days_per_week)
    else:
        rest = 7 - p.days_per_week
    per_exposure = p.pain_odds if p.pain_with is None else odds_ratio(p.pain_with, p.base_pain)
    odds = {c: (math.sqrt(per_exposure) if c in p.mild else per_exposure) for c in sorted(p.causes)}
    chronic = 0.0
    if "imbalance" in p.causes:
        chronic = 0.02 if "imbalance" in p.mild else 0.04
    return Knobs(
        push_pull_ratio=_pick(p.push_pull_ratio, "imbalance", p, 1.0, 1.8, 2.5),
        warmup_rate=_pick(p.warmup_rate, "warmup", p, 0.95, 0.5, 0.15),
        spikes=spikes,
        training_days=7 - rest,
        consecutive_upper=back_to_back,
        sleep_mean=_pick(p.sleep_hours, "recovery", p, 7.5, 6.6, 5.5),
        sleep_sd=0.6 if not recovery else 0.8,
        catch_up=0.3 if recovery else 0.0,
        practice_minutes=_pick(p.practice_minutes, "recovery", p, 60.0, 30.0, 10.0),
        odds=odds,
        chronic_pain=chronic,
        imbalance_phase=p.imbalance_phase,
    )


def odds_ratio(with_factor: float, without: float) -> float:
    """The odds ratio that turns a chance `without` into `with_factor` (both 0-1, exclusive)."""
    return (with_factor / (1.0 - with_factor)) / (without / (1.0 - without))


def stream(p: Profile, name: str) -> random.Random:
    """An independent random stream of `p` (changing one knob does not reshuffle the others)."""
    return random.Random(f"{p.seed}:{name}")
