"""The cause engine ranks simulated athletes with known causes right (each cause alone, pairs,
healthy athletes, no pain; Strong and Hevy exports through the real importers)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backcheck.model import CAUSES
from backcheck.sim.athlete import simulate
from backcheck.sim.profile import Profile
from backcheck.why import WhyReport
from simrun import simulated_report

TRAINING_CAUSES = ("overexertion", "warmup", "imbalance", "recovery")


def ranked(report: WhyReport) -> list[str]:
    """Causes by score, posture left out (no video in a simulated athlete)."""
    return [c.cause for c in report.causes if c.cause != "posture"]


def levels(report: WhyReport) -> dict[str, str]:
    return {c.cause: c.level for c in report.causes}


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("cause", TRAINING_CAUSES)
def test_each_cause_alone_ranks_first(cause: str, seed: int) -> None:
    report = simulated_report((cause,), seed=seed)
    assert ranked(report)[0] == cause, [(c.cause, c.score) for c in report.causes]
    assert levels(report)[cause] in ("likely", "possible")
    others = [c for c in report.causes if c.cause not in (cause, "posture")]
    assert all(c.level != "likely" for c in others)


@pytest.mark.parametrize("seed", [0, 1])
def test_simulated_jumps_are_the_spike_weeks(seed: int) -> None:
    report = simulated_report(("overexertion",), seed=seed)
    truth = simulate(Profile(name="sim", causes=frozenset({"overexertion"}), seed=seed, weeks=20))
    jumps = {monday + timedelta(days=6) for monday in truth.truth.spike_weeks}
    found = set(report.spike_weeks)
    # Every spike week is a simulated jump, and at most one jump (a mild one) is missed.
    assert found <= jumps and len(found) >= len(jumps) - 1, (sorted(found), sorted(jumps))
    doc = report.to_json()
    assert doc["spike_weeks"] == sorted(d.isoformat() for d in found)


@pytest.mark.parametrize(
    "pair", [("warmup", "imbalance"), ("imbalance", "recovery"), ("warmup", "overexertion")]
)
def test_pairs_rank_both_on_top(pair: tuple[str, str]) -> None:
    report = simulated_report(pair, seed=0)
    assert set(ranked(report)[:2]) == set(pair), [(c.cause, c.score) for c in report.causes]
    assert levels(report)[ranked(report)[0]] in ("likely", "possible")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_healthy_athlete_has_no_likely_cause(seed: int) -> None:
    report = simulated_report((), seed=seed)
    assert all(c.level in ("unlikely", "unknown") for c in report.causes), [
        (c.cause, c.score) for c in report.causes
    ]


@pytest.mark.parametrize("cause", ["warmup", "imbalance"])
def test_without_pain_nothing_is_likely(cause: str) -> None:
    report = simulated_report((cause,), pain=False)
    assert report.data["pain_entries"] > 0  # a diary of pain-free days, not an empty one
    assert all(c.level != "likely" for c in report.causes)
    assert all(c.score <= 0.5 for c in report.causes)


@pytest.mark.parametrize("cause", ["warmup", "recovery"])
def test_hevy_export_gives_the_same_top_cause(cause: str) -> None:
    assert ranked(simulated_report((cause,), fmt="hevy"))[0] == cause


def test_report_shape_follows_the_contract() -> None:
    doc = simulated_report(("warmup",)).to_json()
    assert doc["schema"] == "backcheck.why/1"
    assert [c["cause"] for c in doc["causes"]] != []
    assert sorted(c["cause"] for c in doc["causes"]) == sorted(CAUSES)
    scores = [c["score"] for c in doc["causes"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    posture = next(c for c in doc["causes"] if c["cause"] == "posture")
    assert posture["level"] == "unknown"
    for cause in doc["causes"]:
        assert cause["sources"], cause["cause"]
        for e in cause["evidence"]:
            assert set(e) >= {"metric", "value", "threshold", "unit", "period", "grade", "text"}
            assert e["grade"] in ("A", "B", "C")
    warm = next(p for p in doc["pain_links"] if p["factor"] == "no_warmup")
    assert set(warm) >= {
        "factor",
        "cause",
        "pain_with",
        "pain_without",
        "relative_risk",
        "ci95",
        "n_with",
        "n_without",
    }
    assert warm["pain_with"] > warm["pain_without"]
    assert doc["red_flags"]["level"] in ("none", "not-asked")
    assert doc["spike_weeks"] == []  # a warm-up athlete trains without sudden jumps
    assert set(doc["data"]) >= {
        "sessions",
        "sets",
        "first",
        "last",
        "pain_entries",
        "recovery_entries",
        "videos",
    }
