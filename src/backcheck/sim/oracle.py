"""A Bayes oracle for simulated athletes: which causes explain the pain diary best, judged by the
simulator's own pain model. A yardstick for the cause engine (how much the diary can tell at
all), never part of it.

For a hypothesis H (a set of causes, as many as the athlete was built with) the chance of pain
(NRS >= 3) on day i is, as in `sim.pain`:

    P_i = 1 - (1 - random - chronic_i) * prod over the sessions s 0-2 days before i of
              (1 - p_s * w[i - day_s])
    p_s = logistic(logit(base) + pain.log_odds(the session's factors of the causes in H))
    w   = (SAME_DAY, (1 - SAME_DAY) + SAME_DAY * LINGER * h, (1 - SAME_DAY) * LINGER * h)

h: the share of onset levels that are still NRS >= 3 two points lower (pain lingering into the
next day eases by 2). chronic_i: the imbalance cause's daily pain, when H holds imbalance, in
its phase. A diary day is scored by the chance of its outcome given that it was logged: the
simulator logs painful days at pain_log_rate (r1) and pain-free days at about diary_rate (r0),
so P(pain | logged) = P r1 / (P r1 + (1 - P) r0). This approximates the simulator (overlapping
episodes, the easing of long runs of pain and the capping of levels are left out): close
enough to compare hypotheses, which is all it is used for.

The hypotheses are the sets of that size drawn from the athlete's abnormal causes (its causes
and its confounder): the engine sees every abnormality in the data too, and the question here
is only whether the diary tells the causes from the confounder. Three oracles, from the most
knowing down:

- "exact": the true exposures (every night's sleep, logged or not) and the simulator's
  parameters: what a diary could tell with perfect measurement and a known model.
- "engine-exposures": the exposures the engine derived from the imported files (unlogged
  nights unknown, the engine's own definitions of a spike, a short gap, a push-heavy day),
  parameters still known.
- "fitted": the engine's exposures, with the odds ratio (>= 1), base, background and chronic
  pain (on the days of the imbalance phase, when the profile has one) fitted per hypothesis
  over FIT_GRID and no knowledge of the logging rates: a likelihood
  method that knows the simulator's model form but not its numbers. Still more than the engine
  knows (it assumes neither the form nor the lags).

Healthy athletes have no causes to find: the oracle gives None for them.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

import polars as pl

from backcheck.analysis.painlinks import FACTOR_CAUSES, PAIN_LEVEL
from backcheck.sim.athlete import SimAthlete
from backcheck.sim.cases import Case
from backcheck.sim.pain import LINGER, ONSET_LEVELS, SAME_DAY, log_odds
from backcheck.sim.profile import FACTORS, Profile, resolve

#: The engine's exposure factors the oracle reads, and the cause of each (painlinks'
#: FACTOR_CAUSES). "push_heavy_week" is left out: it restates push-heavy days by the week, and
#: the simulator has no such factor.
ENGINE_FACTORS: Final[Mapping[str, str]] = {
    f: FACTOR_CAUSES[f]
    for f in ("load_spike", "no_warmup", "push_dominant_day", "short_sleep", "short_recovery")
}
#: The oracles, most knowing first (see the module doc).
ORACLES: Final = ("exact", "engine-exposures", "fitted")
#: Values tried per parameter by the "fitted" oracle: ln odds ratio per exposure, chance of
#: pain after a session without exposure, daily background pain, and the imbalance cause's
#: daily chronic pain (tried only when the hypothesis holds imbalance).
FIT_GRID: Final[Mapping[str, tuple[float, ...]]] = {
    "ln_odds": (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0),
    "base": (0.01, 0.03, 0.08, 0.15, 0.3),
    "background": (0.005, 0.015, 0.04, 0.1, 0.2),
    "chronic": (0.0, 0.02, 0.04, 0.08),
}
_LOW, _HIGH = ONSET_LEVELS
#: Share of onset levels (the upper one raised by 1 with 2 causes: ignored) at NRS >= 5, so
#: still >= 3 after easing by 2 on the lingering day.
_STILL_PAIN: Final = (_HIGH - max(_LOW, 5) + 1) / (_HIGH - _LOW + 1)
#: Weight of a session's pain on the days 0, 1 and 2 after it.
LAG_WEIGHTS: Final = (
    SAME_DAY,
    (1 - SAME_DAY) + SAME_DAY * LINGER * _STILL_PAIN,
    (1 - SAME_DAY) * LINGER * _STILL_PAIN,
)

#: A training day: days since the profile's start, and the cause of each factor that was on.
Session = tuple[int, tuple[str, ...]]
#: Per diary day: sessions counted by (lag 0-2, exposure pattern: (cause, factors on) pairs).
Terms = Counter[tuple[int, tuple[tuple[str, int], ...]]]


@dataclass(frozen=True, slots=True)
class Params:
    """The pain model's numbers: odds ratio per exposure (>= 1), chance of pain after a
    session without exposure (0-1), daily background and chronic pain (0-1)."""

    odds: float
    base: float
    background: float
    chronic: float = 0.0


def truth_sessions(sim: SimAthlete) -> list[Session]:
    """The simulator's own exposures: every training day with its factors' causes."""
    start = sim.profile.start
    return [
        ((day - start).days, tuple(FACTORS[f] for f in sorted(on)))
        for day, on in sorted(sim.truth.exposures.items())
    ]


def engine_sessions(exposures: pl.DataFrame, start: date) -> list[Session]:
    """The engine's exposures (context.EXPOSURE_SCHEMA rows of every factor) as sessions: each
    day with any row, with the cause of each ENGINE_FACTORS factor on that day (a factor not
    judged that day counts as off)."""
    on: dict[date, set[str]] = {}
    for day, factor, exposed in exposures.select("day", "factor", "exposed").iter_rows():
        factors = on.setdefault(day, set())
        if exposed and factor in ENGINE_FACTORS:
            factors.add(factor)
    return [
        ((d - start).days, tuple(sorted(ENGINE_FACTORS[f] for f in factors)))
        for d, factors in sorted(on.items())
    ]


def diary_outcomes(sim: SimAthlete) -> list[tuple[int, bool]]:
    """The logged diary days (days since start) and whether each was painful (NRS >= 3)."""
    start = sim.profile.start
    return [((row["date"] - start).days, row["level"] >= PAIN_LEVEL) for row in sim.pain]


def day_terms(
    sessions: Sequence[Session], hypothesis: frozenset[str], days: Iterable[int]
) -> list[Terms]:
    """Per diary day: how many sessions lie at each lag (0-2) with each exposure pattern (per
    cause of the hypothesis, how many of its factors were on)."""
    by_day: dict[int, tuple[tuple[str, int], ...]] = {}
    for day, causes in sessions:
        by_day[day] = tuple(
            sorted((c, n) for c, n in Counter(causes).items() if c in hypothesis and n > 0)
        )
    out = []
    for i in days:
        counts: Terms = Counter()
        for lag in range(len(LAG_WEIGHTS)):
            key = by_day.get(i - lag)
            if key is not None:
                counts[lag, key] += 1
        out.append(counts)
    return out


def log_likelihood(
    outcomes: Sequence[tuple[int, bool]],
    terms: Sequence[Terms],
    params: Params,
    *,
    chronic_days: frozenset[int] = frozenset(),
    log_rates: tuple[float, float] = (1.0, 1.0),
) -> float:
    """ln P(the logged outcomes | hypothesis, params): see the module doc. terms: `day_terms` of
    the outcomes' days; chronic_days: the days (since start) chronic pain applies;
    log_rates: (share of painful days logged, of pain-free days logged), both > 0."""
    r1, r0 = log_rates
    base = math.log(params.base / (1 - params.base))
    p_cache: dict[tuple[tuple[str, int], ...], float] = {}
    total = 0.0
    for (day, painful), counts in zip(outcomes, terms, strict=True):
        free = 1 - params.background - (params.chronic if day in chronic_days else 0.0)
        for (lag, key), n in counts.items():
            p = p_cache.get(key)
            if p is None:
                causal = [c for c, k in key for _ in range(k)]
                lo = base + log_odds(causal, dict.fromkeys(causal, params.odds))
                p = p_cache[key] = 1 / (1 + math.exp(-lo))
            free *= (1 - p * LAG_WEIGHTS[lag]) ** n
        pain = 1 - free
        pain = pain * r1 / (pain * r1 + (1 - pain) * r0)
        pain = min(max(pain, 1e-9), 1 - 1e-9)
        total += math.log(pain if painful else 1 - pain)
    return total


def known_params(profile: Profile, hypothesis: frozenset[str]) -> tuple[Params, frozenset[int]]:
    """The simulator's parameters for `profile` were `hypothesis` its causes, and the days
    (since start) of its chronic pain: none without imbalance, else those of its phase."""
    knobs = resolve(replace(profile, causes=hypothesis, mild=frozenset(), confounders=frozenset()))
    odds = next(iter(knobs.odds.values()), 1.0)
    params = Params(odds, profile.base_pain, profile.random_pain, knobs.chronic_pain)
    if "imbalance" not in hypothesis:
        return params, frozenset()
    days = range(7 * profile.weeks + 2)
    return params, frozenset(i for i in days if knobs.imbalance_on(i // 7))


def _best_fit(
    outcomes: Sequence[tuple[int, bool]],
    terms: Sequence[Terms],
    chronic_days: frozenset[int],
) -> float:
    """The largest log-likelihood over FIT_GRID (logging rates unknown: equal)."""
    chronic = FIT_GRID["chronic"] if chronic_days else (0.0,)
    return max(
        log_likelihood(
            outcomes, terms, Params(math.exp(lo), base, bg, ch), chronic_days=chronic_days
        )
        for lo in FIT_GRID["ln_odds"]
        for base in FIT_GRID["base"]
        for bg in FIT_GRID["background"]
        for ch in chronic
    )


def pick(
    case: Case, sim: SimAthlete, sessions: Sequence[Session], *, fitted: bool
) -> tuple[str, ...] | None:
    """The hypothesis (sorted causes) of highest likelihood among the athlete's abnormal causes,
    None for a healthy athlete. fitted: parameters fitted over FIT_GRID, logging rates taken
    as equal; else the simulator's parameters and logging rates."""
    if not case.causes:
        return None
    p = case.profile
    abnormal = sorted(set(case.causes) | ({case.confounder} if case.confounder else set()))
    outcomes = diary_outcomes(sim)
    days = [d for d, _ in outcomes]
    scores: dict[tuple[str, ...], float] = {}
    for combo in itertools.combinations(abnormal, len(case.causes)):
        hypothesis = frozenset(combo)
        terms = day_terms(sessions, hypothesis, days)
        params, chronic_days = known_params(p, hypothesis)
        scores[combo] = (
            _best_fit(outcomes, terms, chronic_days)
            if fitted
            else log_likelihood(
                outcomes,
                terms,
                params,
                chronic_days=chronic_days,
                log_rates=(p.pain_log_rate, p.diary_rate),
            )
        )
    return max(scores, key=lambda h: scores[h])


def answers(
    case: Case, sim: SimAthlete, engine_exposures: pl.DataFrame
) -> dict[str, tuple[str, ...] | None]:
    """What each of ORACLES picks for `case` (None for a healthy athlete)."""
    seen = engine_sessions(engine_exposures, case.profile.start)
    return {
        "exact": pick(case, sim, truth_sessions(sim), fitted=False),
        "engine-exposures": pick(case, sim, seen, fitted=False),
        "fitted": pick(case, sim, seen, fitted=True),
    }
