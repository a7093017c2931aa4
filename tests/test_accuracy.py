"""The cause engine stays above accuracy floors on a fixed set of hard simulated athletes.

36 athletes of `backcheck.sim.cases` (seed 1; the benchmark uses seed 0): for each of the 6
hard-case kinds, without and with a confounder, one athlete with one cause, one with a pair of
causes and one healthy, the causes varying across kinds. Each goes through
the real importers, a real SQLite store and `backcheck.why.why` (backcheck.sim.accuracy).
Floors (issue 12): single-cause top-1 >= 90%, pairs both in the top 2 >= 80%, healthy athletes
without a "likely" cause >= 95%. The full measurement is benchmarks/cause_accuracy.py
(docs/accuracy.md).
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

from backcheck.sim.accuracy import Outcome, run_case, summarise
from backcheck.sim.cases import HARD_KINDS, case

SEED = 1
#: In each block of 10 (one kind) singles sit at 0, 3, 6, 9, pairs at 1, 4, 7, healthy at 2, 5,
#: 8 (each position its own cause or pair); blocks 0-5 have no confounder, blocks 6-11 have one.
INDICES = [
    60 * turn + 10 * k + j
    for turn in (0, 1)
    for k in range(len(HARD_KINDS))
    for j in (3 * ((k + turn) % 4), 1 + 3 * ((k + 2 * turn) % 3), 2 + 3 * (k % 3))
]
FLOORS = {"single": 0.90, "pair": 0.80, "healthy": 0.95}
#: What the engine reached on this set, less one athlete: a change that loses ground fails
#: here. 2026-12-05 (the distributed-lag pain model): single 11/12, pair 9/12, healthy 12/12
#: (single also held by its 90% floor).
REACHED = {"single": 10 / 12, "pair": 8 / 12, "healthy": 11 / 12}
#: Issue 12's floors not reached yet (the pair misses are confounders whose abnormality
#: outscores a true cause the diary barely links, and true causes the diary links no more
#: often than other days). Strict: reaching a floor turns the xfail into a failure, and then
#: the group leaves this set.
NOT_YET = {"pair"}


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
        assert counts["single", kind] == counts["pair", kind] == counts["healthy", kind] == 2
    confounded = Counter(o.case.group for o in outcomes if o.case.confounder)
    assert confounded["single"] == confounded["pair"] == 6
    assert len({o.case.causes for o in outcomes if o.case.group == "single"}) == 4
    assert len({o.case.causes for o in outcomes if o.case.group == "pair"}) >= 5


def test_the_engine_analyses_every_athlete(outcomes: list[Outcome]) -> None:
    assert summarise(outcomes).errors == []
    assert all(len(o.ranking) == 4 for o in outcomes)  # posture left out


@pytest.mark.parametrize("group", ["single", "pair", "healthy"])
def test_accuracy_keeps_what_it_reached(outcomes: list[Outcome], group: str) -> None:
    tally = summarise(outcomes).by_group[group]
    assert tally.share is not None
    assert tally.share >= REACHED[group] - 1e-9, (
        f"{group}: {tally.text()} right, reached before {REACHED[group]:.0%}; wrong: "
        + "; ".join(_wrong(outcomes, group))
    )


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(g, marks=pytest.mark.xfail(strict=True, reason="issue 12 floor not reached"))
        if g in NOT_YET
        else g
        for g in ("single", "pair", "healthy")
    ],
)
def test_accuracy_stays_above_its_floor(outcomes: list[Outcome], group: str) -> None:
    tally = summarise(outcomes).by_group[group]
    assert tally.share is not None
    assert tally.share >= FLOORS[group], (
        f"{group}: {tally.text()} right, floor {FLOORS[group]:.0%}; wrong: "
        + "; ".join(_wrong(outcomes, group))
    )


def test_every_cause_with_an_estimate_has_its_diary_z(outcomes: list[Outcome]) -> None:
    """link_z: the clearest link of each cause, from the report's own links; a confounded
    athlete says whether its diary favours the confounder, the others say nothing."""
    for o in outcomes:
        assert set(o.link_z) == set(o.ranking)
        for z in o.link_z.values():
            assert z is None or math.isfinite(z)
        favours = o.diary_favours_confounder
        assert (favours is None) == (o.case.confounder is None or o.case.group == "healthy")
    assert any(z is not None and z > 2 for o in outcomes for z in o.link_z.values())
    summary = summarise(outcomes)
    confounded = [o for o in outcomes if o.case.confounder and o.case.causes]
    assert sum(t.total for t in summary.by_diary.values()) == len(confounded) == 12


def test_diary_favours_confounder_by_hand() -> None:
    c = case(INDICES[18 + 1], seed=SEED)  # the second 18 carry a confounder
    assert c.confounder is not None and c.causes
    mine = {x: 1.5 for x in c.causes}
    clear = Outcome(c, (), {}, {}, link_z={**mine, c.confounder: 0.4})
    assert clear.diary_favours_confounder is False
    tied = Outcome(c, (), {}, {}, link_z={**mine, c.confounder: 1.5})
    assert tied.diary_favours_confounder is True
    silent = Outcome(c, (), {}, {}, link_z={**mine, c.confounder: None})
    assert silent.diary_favours_confounder is False
    no_estimate = Outcome(c, (), {}, {}, link_z={c.confounder: 0.1})
    assert no_estimate.diary_favours_confounder is True  # a cause without one counts as 0
