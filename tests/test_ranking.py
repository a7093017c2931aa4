"""The score formula of analysis.ranking, on hand-computed cases."""

from __future__ import annotations

import pytest

from backcheck.analysis.context import FactorResult
from backcheck.analysis.painlinks import PainLink, link_strength
from backcheck.analysis.ranking import prevalence_strength, verdict


def factor(a: float, *, known: bool = True, chronic: bool = False) -> FactorResult:
    return FactorResult(cause="warmup", abnormality=a, known=known, chronic=chronic)


def pain_link(a: int, n1: int, c: int, n0: int) -> PainLink:
    from backcheck.analysis.painlinks import relative_risk

    rr, ci, corrected = relative_risk(a, n1, c, n0)
    return PainLink(
        factor="no_warmup",
        cause="warmup",
        pain_with=a / n1,
        pain_without=c / n0,
        relative_risk=rr,
        ci95=ci,
        n_with=n1,
        n_without=n0,
        pain_days_with=a,
        pain_days_without=c,
        corrected=corrected,
    )


def test_unknown_factor_is_unknown() -> None:
    v = verdict(
        factor(0.9, known=False), links=[], pain_reported=True, share_painful=0.5, diary_days=60
    )
    assert (v.score, v.level) == (0.0, "unknown")


def test_no_pain_halves_and_is_never_likely() -> None:
    v = verdict(
        factor(1.0),
        links=[pain_link(20, 25, 2, 25)],
        pain_reported=False,
        share_painful=0.0,
        diary_days=60,
    )
    assert v.score == 0.5 and v.level == "possible"
    assert (
        verdict(factor(0.4), links=[], pain_reported=False, share_painful=0, diary_days=0).level
        == "unlikely"
    )


def test_clear_link_with_abnormal_factor_is_likely() -> None:
    link = pain_link(18, 24, 4, 24)  # 75% vs 17%
    s = link_strength(link)
    v = verdict(factor(0.8), links=[link], pain_reported=True, share_painful=0.3, diary_days=60)
    # a * (0.45 + 0.55 s) + 0.25 s (1 - a)
    assert v.score == pytest.approx(0.8 * (0.45 + 0.55 * s) + 0.25 * s * 0.2, abs=1e-3)
    assert v.level == "likely"


def test_pain_that_does_not_follow_the_factor_lowers_the_score() -> None:
    against = pain_link(30, 80, 40, 80)  # RR 0.75, 95% CI upper bound < 1.5
    assert against.ci95 is not None and against.ci95[1] <= 1.5
    v = verdict(factor(1.0), links=[against], pain_reported=True, share_painful=0.3, diary_days=60)
    assert v.score == pytest.approx(1.0 * 0.45 * 0.6, abs=1e-3)
    assert v.level == "unlikely"


def test_small_samples_never_shout_likely() -> None:
    tiny = pain_link(2, 2, 0, 9)  # pain after both exposed days, but only 2 of them
    v = verdict(factor(1.0), links=[tiny], pain_reported=True, share_painful=0.2, diary_days=20)
    assert v.level != "likely"


def test_chronic_factor_is_judged_by_prevalence() -> None:
    s = prevalence_strength(0.3, 42)
    assert s == pytest.approx(42 / 56)
    v = verdict(
        factor(1.0, chronic=True),
        links=[pain_link(5, 40, 5, 40)],
        pain_reported=True,
        share_painful=0.3,
        diary_days=42,
    )
    assert v.score == pytest.approx(0.45 + 0.55 * s, abs=1e-3)
    assert v.level == "likely"


def test_factor_on_almost_every_day_is_treated_as_chronic() -> None:
    near = pain_link(40, 50, 5, 10)  # exposed on 50 of 60 days: the contrast is not used
    v = verdict(factor(0.9), links=[near], pain_reported=True, share_painful=0.0, diary_days=60)
    assert v.score == pytest.approx(0.9 * 0.45, abs=1e-3)


def test_more_abnormal_scores_higher_at_equal_link() -> None:
    link = pain_link(12, 30, 6, 30)
    scores = [
        verdict(factor(a), links=[link], pain_reported=True, share_painful=0.2, diary_days=60).score
        for a in (0.0, 0.3, 0.6, 0.9)
    ]
    assert scores == sorted(scores) and len(set(scores)) == 4
