"""The Bayes oracles of backcheck.sim.oracle: the simulator's pain model written as a
likelihood, checked against closed forms, the simulator's own constants and its athletes."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from backcheck.analysis.context import EXPOSURE_SCHEMA
from backcheck.sim.accuracy import Outcome, summarise
from backcheck.sim.athlete import simulate
from backcheck.sim.cases import Case, case
from backcheck.sim.oracle import (
    FIT_GRID,
    LAG_WEIGHTS,
    Params,
    Session,
    Terms,
    day_terms,
    engine_sessions,
    log_likelihood,
    pick,
    truth_sessions,
)
from backcheck.sim.pain import LINGER, SAME_DAY
from backcheck.sim.profile import Profile


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _terms(sessions: list[Session], hypothesis: set[str], days: list[int]) -> list[Terms]:
    return day_terms(sessions, frozenset(hypothesis), days)


def test_lag_weights_follow_the_simulators_onset_and_lingering() -> None:
    # onset on the day (SAME_DAY) or the next; lingering days at NRS >= 3 only from onset 5-6
    assert LAG_WEIGHTS[0] == SAME_DAY
    assert LAG_WEIGHTS[1] == pytest.approx(1 - SAME_DAY + SAME_DAY * LINGER * 0.5)
    assert LAG_WEIGHTS[2] == pytest.approx((1 - SAME_DAY) * LINGER * 0.5)
    assert all(0 < w <= 1 for w in LAG_WEIGHTS)


def test_one_session_one_day_is_the_closed_form() -> None:
    params = Params(odds=12.0, base=0.03, background=0.015)
    sessions = [(0, ("warmup",))]
    p = _logistic(math.log(0.03 / 0.97) + math.log(12.0))
    for day, painful in ((1, True), (1, False), (0, True), (2, False)):
        got = log_likelihood([(day, painful)], _terms(sessions, {"warmup"}, [day]), params)
        chance = 1 - (1 - 0.015) * (1 - p * LAG_WEIGHTS[day])
        assert got == pytest.approx(math.log(chance if painful else 1 - chance))
    # a cause outside the hypothesis leaves the session at its base chance
    got = log_likelihood([(1, True)], _terms(sessions, {"recovery"}, [1]), params)
    base = 1 - (1 - 0.015) * (1 - 0.03 * LAG_WEIGHTS[1])
    assert got == pytest.approx(math.log(base))
    # three days after the session it no longer counts: background only
    got = log_likelihood([(3, True)], _terms(sessions, {"warmup"}, [3]), params)
    assert got == pytest.approx(math.log(0.015))


def test_two_factors_of_one_cause_count_one_and_a_half_times() -> None:
    params = Params(odds=4.0, base=0.05, background=0.0)
    sessions = [(0, ("recovery", "recovery"))]
    got = log_likelihood([(0, True)], _terms(sessions, {"recovery"}, [0]), params)
    p = _logistic(math.log(0.05 / 0.95) + 1.5 * math.log(4.0))
    assert got == pytest.approx(math.log(p * LAG_WEIGHTS[0]))


def test_chronic_pain_and_logging_rates() -> None:
    params = Params(odds=1.0, base=0.1, background=0.02, chronic=0.05)
    terms = _terms([], {"imbalance"}, [4])
    plain = log_likelihood([(4, True)], terms, params)
    chronic = log_likelihood([(4, True)], terms, params, chronic_days=frozenset({4}))
    assert plain == pytest.approx(math.log(0.02))
    assert chronic == pytest.approx(math.log(0.07))
    # painful days logged at 0.9, pain-free ones at 0.3: P(pain | logged) = P r1 / (...)
    logged = log_likelihood([(4, True)], terms, params, log_rates=(0.9, 0.3))
    assert logged == pytest.approx(math.log(0.02 * 0.9 / (0.02 * 0.9 + 0.98 * 0.3)))


def test_engine_sessions_map_factors_to_causes() -> None:
    start = date(2025, 1, 6)
    rows = [
        (date(2025, 1, 6), "no_warmup", True),
        (date(2025, 1, 6), "no_warmup", True),  # listed twice: once
        (date(2025, 1, 6), "short_sleep", True),
        (date(2025, 1, 6), "short_recovery", True),
        (date(2025, 1, 7), "push_heavy_week", True),  # not a simulator factor
        (date(2025, 1, 7), "load_spike", False),
        (date(2025, 1, 9), "push_dominant_day", True),
    ]
    exposures = pl.DataFrame(rows, schema=EXPOSURE_SCHEMA, orient="row")
    assert engine_sessions(exposures, start) == [
        (0, ("recovery", "recovery", "warmup")),
        (1, ()),
        (3, ("imbalance",)),
    ]


def test_the_fit_only_tries_harmful_causes() -> None:
    assert min(FIT_GRID["ln_odds"]) == 0.0
    assert all(0 < x < 1 for k in ("base", "background") for x in FIT_GRID[k])


@pytest.mark.parametrize(("cause", "confounder"), [("warmup", "recovery"), ("recovery", "warmup")])
def test_the_exact_oracle_tells_a_cause_from_its_confounder(cause: str, confounder: str) -> None:
    profile = Profile(
        weeks=24,
        days_per_week=5,
        seed=11,
        causes=frozenset({cause}),
        confounders=frozenset({confounder}),
    )
    sim = simulate(profile)
    c = Case(0, "single", "plain", (cause,), confounder, profile)
    assert pick(c, sim, truth_sessions(sim), fitted=False) == (cause,)
    assert pick(c, sim, truth_sessions(sim), fitted=True) == (cause,)


def test_a_healthy_athlete_has_nothing_to_pick() -> None:
    c = next(case(i) for i in range(10) if case(i).group == "healthy")
    sim = simulate(c.profile)
    assert pick(c, sim, truth_sessions(sim), fitted=False) is None


def test_the_exact_oracle_agrees_with_the_simulator() -> None:
    """On simulated athletes with causes the model that made the diary explains it best
    nearly always: the likelihood is the simulator's model, not some other one."""
    picked = []
    for i in range(60):
        c = case(i, seed=5)
        if not c.causes:
            continue
        sim = simulate(c.profile)
        picked.append(pick(c, sim, truth_sessions(sim), fitted=False) == tuple(sorted(c.causes)))
    assert len(picked) == 42
    assert sum(picked) >= 0.9 * len(picked)


def test_summarise_counts_the_oracles_by_group() -> None:
    single = next(case(i) for i in range(10) if case(i).group == "single")
    pair = next(case(i) for i in range(10) if case(i).group == "pair")
    outs = [
        Outcome(single, (), {}, {}, oracle={"exact": True, "fitted": False}),
        Outcome(single, (), {}, {}, oracle={"exact": True, "fitted": True}),
        Outcome(pair, (), {}, {}, oracle={"exact": False}),
    ]
    s = summarise(outs)
    assert (s.oracle["single", "exact"].right, s.oracle["single", "exact"].total) == (2, 2)
    assert (s.oracle["single", "fitted"].right, s.oracle["single", "fitted"].total) == (1, 2)
    assert (s.oracle["pair", "exact"].right, s.oracle["pair", "exact"].total) == (0, 1)
    assert ("pair", "fitted") not in s.oracle
