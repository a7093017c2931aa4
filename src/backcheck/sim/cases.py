"""A fixed population of hard simulated athletes, to measure how often the cause engine is right.

`cases(n, seed=0)` deals `n` athletes, deterministically: 4 in 10 have one cause, 3 in 10 a
pair of causes and 3 in 10 none (healthy, with background pain unrelated to training). Each
athlete gets one hard-case kind (HARD_KINDS), dealt in blocks of 10 in turn so that every kind
has the same share of each group; and every other turn of the kinds (athletes 60-119,
180-239, ...) each athlete also gets a confounder: a second abnormality (one of the causes it
does not have, built into the data at full strength) that drives no pain. Every 240 athletes
hold each (group, kind, with or without confounder) in equal numbers and every pair of causes.

- plain: 16-26 weeks, the simulator's defaults;
- weak: pain 0.5 within 48 h of an exposure, against a background of 0.10-0.15;
- short: a log of 7-13 weeks;
- mnar: the diary is kept mostly on painful days (20% or 30% of pain-free days logged, 95% of
  painful ones: missing not at random);
- sparse-sleep: sleep logged on 30-50% of nights; the athlete sleeps short (recovery is one of
  its causes, or for a healthy athlete a confounder);
- phase: imbalance for 3-6 weeks only, starting in week 4 or later (so it may have ended
  weeks before the last logged day); one of the causes, or for a healthy athlete a confounder.
See docs/simulator.md and benchmarks/cause_accuracy.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from typing import Final

from backcheck.errors import UsageError
from backcheck.sim.profile import SIM_CAUSES, Profile

GROUPS: Final = ("single", "pair", "healthy")
#: Group of the i-th athlete by i % 10: 4 single, 3 pair, 3 healthy in every 10.
_GROUP_CYCLE: Final = (
    "single",
    "pair",
    "healthy",
    "single",
    "pair",
    "healthy",
    "single",
    "pair",
    "healthy",
    "single",
)
HARD_KINDS: Final = ("plain", "weak", "short", "mnar", "sparse-sleep", "phase")
#: Athletes in a full cycle: each (group, kind, confounder or not) and every pair equally often.
CYCLE: Final = 40 * len(HARD_KINDS)
PAIRS: Final = tuple(combinations(SIM_CAUSES, 2))
_FIRST_MONDAY: Final = date(2024, 1, 1)


@dataclass(frozen=True, slots=True)
class Case:
    """One athlete of the population: what it was built with, and its Profile.

    group: single, pair or healthy; hard: one of HARD_KINDS; causes: the causes that drive
    its pain (sorted); confounder: the abnormality built in without pain, or None.
    """

    index: int
    group: str
    hard: str
    causes: tuple[str, ...]
    confounder: str | None
    profile: Profile

    @property
    def label(self) -> str:
        """Short description, e.g. "pair warmup+imbalance (weak)"."""
        what = "+".join(self.causes) or "healthy"
        extra = f", confounder {self.confounder}" if self.confounder else ""
        return f"#{self.index} {self.group} {what} ({self.hard}{extra})"


def cases(n: int, *, seed: int = 0) -> list[Case]:
    """The first `n` athletes of the population `seed` (n 0-100000; the same n and seed always
    give the same athletes, and a larger n only adds athletes after them)."""
    if not 0 <= n <= 100_000:
        raise UsageError("n", f"must be between 0 and 100000, not {n}")
    return [case(i, seed=seed) for i in range(n)]


def case(i: int, *, seed: int = 0) -> Case:
    """The i-th athlete (i >= 0) of population `seed` (see the module docstring)."""
    if i < 0:
        raise UsageError("i", f"must be 0 or more, not {i}")
    group = _GROUP_CYCLE[i % 10]
    hard = HARD_KINDS[(i // 10) % len(HARD_KINDS)]
    turn = i // (10 * len(HARD_KINDS))  # how many times this (group, kind) came before
    rng = random.Random(f"{seed}:case:{i}")
    causes = _causes(group, hard, turn // 2, i)
    confounder = _confounder(group, hard, causes, rng, wanted=turn % 2 == 1)
    weeks = rng.randint(7, 13) if hard == "short" else rng.randint(16, 26)
    start = _FIRST_MONDAY + timedelta(weeks=rng.randint(0, 120))
    knobs: dict[str, object] = {}
    if hard == "weak":
        base = round(rng.uniform(0.10, 0.15), 3)
        knobs.update(base_pain=base, pain_with=0.5)
    elif hard == "mnar":
        knobs.update(diary_rate=rng.choice((0.2, 0.3)))
    elif hard == "sparse-sleep":
        knobs.update(sleep_log_rate=round(rng.uniform(0.3, 0.5), 2))
    elif hard == "phase":
        length = rng.randint(3, 6)
        knobs.update(imbalance_phase=(rng.randint(4, weeks - length), length))
    profile = Profile(
        name=f"a{i:05d}",
        start=start,
        weeks=weeks,
        days_per_week=rng.randint(3, 5),
        seed=rng.randrange(2**31),
        causes=frozenset(causes),
        confounders=frozenset({confounder} if confounder else ()),
        **knobs,  # type: ignore[arg-type]
    )
    return Case(i, group, hard, tuple(sorted(causes)), confounder, profile)


def _causes(group: str, hard: str, turn: int, i: int) -> set[str]:
    """The causes that drive pain: dealt in turn over SIM_CAUSES / PAIRS; sparse-sleep
    includes recovery and phase includes imbalance."""
    if group == "healthy":
        return set()
    forced = {"sparse-sleep": "recovery", "phase": "imbalance"}.get(hard)
    if group == "single":
        return {forced} if forced else {SIM_CAUSES[(turn * 4 + i % 10 // 3) % len(SIM_CAUSES)]}
    if forced:
        others = [c for c in SIM_CAUSES if c != forced]
        return {forced, others[(turn * 3 + i % 10 // 3) % len(others)]}
    return set(PAIRS[(turn * 3 + i % 10 // 3) % len(PAIRS)])


def _confounder(
    group: str, hard: str, causes: set[str], rng: random.Random, *, wanted: bool
) -> str | None:
    """The abnormality built in without pain: for a healthy athlete of the sparse-sleep /
    phase kinds always short sleep / the imbalance phase; else, when `wanted`, any non-cause."""
    if group == "healthy" and hard == "sparse-sleep":
        return "recovery"
    if group == "healthy" and hard == "phase":
        return "imbalance"
    if wanted:
        return rng.choice([c for c in SIM_CAUSES if c not in causes])
    return None
