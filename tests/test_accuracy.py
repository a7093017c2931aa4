"""The cause engine stays above accuracy floors on a fixed set of hard simulated athletes.

35 athletes of `backcheck.sim.cases` (seed 1; the benchmark uses seed 0): for each of the 7
hard-case kinds, 2 with one cause, 2 with a pair of causes and 1 healthy. Each goes through
the real importers, a real SQLite store and `backcheck.why.why` (backcheck.sim.accuracy).
Floors (issue 12): single-cause top-1 >= 90%, pairs both in the top 2 >= 80%, healthy athletes
without a "likely" cause >= 95%. The full measurement is benchmarks/cause_accuracy.py
(docs/accuracy.md).
"""

from __future__ import annotations

from collections import Counter

import pytest

from backcheck.sim.accuracy import Outcome, run_case, summarise
from backcheck.sim.cases import HARD_KINDS, case

SEED = 1
#: Positions 0-4 of each block of 10 (single, pair, healthy, single, pair), one block per kind.
INDICES = [10 * k + j for k in range(len(HARD_KINDS)) for j in range(5)]
FLOORS = {"single": 0.90, "pair": 0.80, "healthy": 0.95}


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return [run_case(case(i, seed=SEED)) for i in INDICES]


def _wrong(outcomes: list[Outcome], group: str) -> list[str]:
    out = []
    for o in outcomes:
        if o.case.group == group and not o.correct:
            ranked = ", ".join(f"{c} {o.scores[c]:.2f} {o.levels[c]}" for c in o.ranking)
            out.append(f"{o.case.label}: {ranked or o.error}")
    return out


def test_the_set_covers_every_kind_and_group(outcomes: list[Outcome]) -> None:
    counts = Counter((o.case.group, o.case.hard) for o in outcomes)
    for kind in HARD_KINDS:
        assert counts["single", kind] == 2
        assert counts["pair", kind] == 2
        assert counts["healthy", kind] == 1
    assert any(o.case.confounder for o in outcomes)


def test_the_engine_analyses_every_athlete(outcomes: list[Outcome]) -> None:
    assert summarise(outcomes).errors == []
    assert all(len(o.ranking) == 4 for o in outcomes)  # posture left out


@pytest.mark.parametrize("group", ["single", "pair", "healthy"])
def test_accuracy_stays_above_its_floor(outcomes: list[Outcome], group: str) -> None:
    tally = summarise(outcomes).by_group[group]
    assert tally.share is not None
    assert tally.share >= FLOORS[group], (
        f"{group}: {tally.text()} right, floor {FLOORS[group]:.0%}; wrong: "
        + "; ".join(_wrong(outcomes, group))
    )
