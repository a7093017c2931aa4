"""The score formula of analysis.ranking, on hand-computed cases, and the cases of issue #12:
evidence against a cause lowers it, `likely` needs the athlete's own link (or an abnormality
that stands alone, said so), and the level always agrees with the score."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from backcheck.analysis.context import FactorResult
from backcheck.analysis.painlinks import PainLink, relative_risk
from backcheck.analysis.ranking import (
    AGAINST_LEAST,
    AGAINST_MOST,
    BASE,
    CAP,
    LIKELY,
    LINK_ONLY,
    POSSIBLE,
    RIVAL_CAP,
    SHRINK_N,
    cause_evidence,
    link_evidence,
    prevalence_strength,
    verdict,
    verdict_sentences,
)


def factor(
    a: float, *, known: bool = True, chronic: bool = False, cause: str = "warmup"
) -> FactorResult:
    return FactorResult(cause=cause, abnormality=a, known=known, chronic=chronic)


def pain_link(a: int, n1: int, c: int, n0: int, *, name: str = "no_warmup") -> PainLink:
    rr, ci, corrected = relative_risk(a, n1, c, n0)
    return PainLink(
        factor=name,
        cause="warmup",
        pain_with=a / n1 if n1 else None,
        pain_without=c / n0 if n0 else None,
        relative_risk=rr,
        ci95=ci,
        n_with=n1,
        n_without=n0,
        pain_days_with=a,
        pain_days_without=c,
        corrected=corrected,
    )


def level_of(score: float) -> str:
    return "likely" if score >= LIKELY else "possible" if score >= POSSIBLE else "unlikely"


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
    link = pain_link(18, 24, 4, 24)  # 75% vs 17%, Katz CI above 1
    e = link_evidence(link)
    rr = 18 / 4
    n_eff = 24.0
    assert e == pytest.approx((1 - 1 / rr) * n_eff / (n_eff + SHRINK_N))
    v = verdict(factor(0.8), links=[link], pain_reported=True, share_painful=0.3, diary_days=60)
    assert v.score == pytest.approx(0.8 * (BASE + (1 - BASE) * e) + LINK_ONLY * e * 0.2, abs=1e-3)
    assert (v.level, v.basis) == ("likely", "link")
    assert verdict_sentences(v, links=[link], pain_reported=True) == []


def test_the_adjusted_estimate_is_what_counts() -> None:
    raw = pain_link(18, 24, 4, 24)  # RR 4.5 by itself
    held = replace(  # gone with the others held fixed
        raw,
        adjusted_rr=0.9,
        adjusted_ci95=(0.5, 1.4),
        adjusted_or=0.85,
        adjusted_or_ci95=(0.4, 1.6),
    )
    v = verdict(factor(0.8), links=[held], pain_reported=True, share_painful=0.3, diary_days=60)
    assert v.basis == "against" and v.level == "unlikely"
    assert (link_evidence(held) or 0) < 0 < (link_evidence(raw) or 0)


def test_pain_that_does_not_follow_the_factor_lowers_the_score() -> None:
    against = pain_link(30, 80, 40, 80)  # RR 0.75, 95% CI upper bound < 1.5
    assert against.ci95 is not None and against.ci95[1] <= 1.5
    v = verdict(factor(1.0), links=[against], pain_reported=True, share_painful=0.3, diary_days=60)
    confidence = 80 / (80 + SHRINK_N)
    m = AGAINST_LEAST - (AGAINST_LEAST - AGAINST_MOST) * confidence
    assert v.score == pytest.approx(1.0 * BASE * m, abs=1e-3)
    assert (v.level, v.basis) == ("unlikely", "against")
    words = verdict_sentences(v, links=[against], pain_reported=True)
    assert words and "no more frequent" in words[0] and "lowers" in words[0]


def test_issue_spike_weeks_5_of_6_against_1_of_1_lowers_overexertion() -> None:
    """Pain after 5 of 6 spike-week sessions and 1 of 1 others (RR 0.83): it went UP before."""
    spikes = pain_link(5, 6, 1, 1, name="load_spike")
    assert spikes.relative_risk == pytest.approx(5 / 6)
    over = factor(0.8, cause="overexertion")
    common = {"pain_reported": True, "share_painful": 0.6, "diary_days": 40}
    with_link = verdict(over, links=[spikes], **common)
    without = verdict(over, links=[], **common)
    assert with_link.score < without.score
    assert with_link.score < 0.8 * BASE  # below what the abnormality alone gives
    assert with_link.level == "unlikely"


def test_issue_push_heavy_2_of_3_against_6_of_6_balanced_is_not_the_top_cause() -> None:
    """ "pain followed 2 of your 3 push-heavy sessions and 6 of your 6 balanced" left push/pull
    the top cause; now the imbalance is lowered below a cause the pain does follow."""
    push = pain_link(2, 3, 6, 6, name="push_dominant_day")
    common = {"pain_reported": True, "share_painful": 0.5, "diary_days": 30}
    imbalance = verdict(factor(0.9, cause="imbalance"), links=[push], **common)
    assert imbalance.score < verdict(factor(0.9, cause="imbalance"), links=[], **common).score
    assert imbalance.level == "unlikely"
    warm = verdict(factor(0.4), links=[pain_link(6, 10, 3, 20)], **common)
    assert warm.score > imbalance.score


def test_issue_warmup_link_beats_a_spike_the_pain_does_not_follow() -> None:
    """Pain follows skipped warm-ups (RR 3.6, 1.6-8.2) and is LESS frequent after spikes
    (RR 0.61): overexertion was `likely` and warm-up only `possible` before."""
    warm = pain_link(18, 25, 8, 40)  # 72% vs 20%: RR 3.6
    assert warm.relative_risk == pytest.approx(3.6)
    assert warm.ci95 is not None and warm.ci95[0] > 1.6 and warm.ci95[1] < 8.2
    spike = pain_link(6, 20, 24, 49, name="load_spike")  # 30% vs 49%: RR 0.61
    assert spike.relative_risk == pytest.approx(0.6125)
    common = {"pain_reported": True, "share_painful": 0.4, "diary_days": 60}
    w = verdict(factor(0.6), links=[warm], **common)
    o = verdict(factor(0.95, cause="overexertion"), links=[spike], **common)
    assert w.score > o.score
    assert w.level in ("likely", "possible") and w.basis == "link"
    assert o.level == "unlikely" and o.basis == "against"


def test_small_samples_never_shout_likely() -> None:
    tiny = pain_link(2, 2, 0, 9)  # pain after both exposed days, but only 2 of them
    v = verdict(factor(0.8), links=[tiny], pain_reported=True, share_painful=0.2, diary_days=20)
    assert v.level != "likely"
    words = verdict_sentences(v, links=[tiny], pain_reported=True)
    assert words and "too short to tell" in words[0]


def test_likely_needs_the_own_link_or_a_standalone_abnormality() -> None:
    # No estimate (no session without the factor has a diary entry), heavy pain prevalence.
    none_without = pain_link(20, 30, 0, 0)
    common = {"pain_reported": True, "share_painful": 0.6, "diary_days": 90}
    capped = verdict(factor(0.7, chronic=True), links=[none_without], **common)
    assert (capped.score, capped.level) == (CAP, "possible")
    alone = verdict(factor(0.95, chronic=True), links=[none_without], **common)
    assert (alone.level, alone.basis) == ("likely", "unconfirmed")
    words = verdict_sentences(alone, links=[none_without], pain_reported=True)
    assert words and "cannot confirm it yet" in words[0]


def test_chronic_factor_is_judged_by_prevalence() -> None:
    s = prevalence_strength(0.3, 42)
    assert s == pytest.approx(42 / 56)
    v = verdict(
        factor(1.0, chronic=True), links=[], pain_reported=True, share_painful=0.3, diary_days=42
    )
    assert v.score == pytest.approx(BASE + (1 - BASE) * s, abs=1e-3)
    assert v.level == "likely" and v.basis == "unconfirmed"


def test_a_chronic_factor_the_days_do_not_follow_is_lowered_a_little() -> None:
    flat = pain_link(12, 40, 12, 40, name="push_dominant_day")  # RR 1
    common = {"pain_reported": True, "share_painful": 0.3, "diary_days": 42}
    alone = verdict(factor(1.0, chronic=True), links=[], **common)
    v = verdict(factor(1.0, chronic=True), links=[flat], **common)
    assert v.basis == "against-chronic"
    assert 0.5 * alone.score < v.score < alone.score
    assert v.level != "likely"
    words = verdict_sentences(v, links=[flat], pain_reported=True)
    assert words and "cannot rule it out" in words[0]


def test_pain_after_nearly_every_session_says_nothing() -> None:
    saturated = pain_link(46, 55, 7, 9)  # 84% vs 78%: no room for a rise of 1.5x
    assert link_evidence(saturated) is None


def test_few_days_without_the_factor_make_the_evidence_weak() -> None:
    balanced = link_evidence(pain_link(30, 50, 15, 50))  # 60% vs 30%
    lopsided = link_evidence(pain_link(54, 90, 3, 10))  # the same rates, 10 days without
    assert balanced is not None and lopsided is not None
    assert 0 < lopsided < balanced


def test_more_abnormal_scores_higher_at_equal_link() -> None:
    link = pain_link(12, 30, 6, 30)
    scores = [
        verdict(factor(a), links=[link], pain_reported=True, share_painful=0.2, diary_days=60).score
        for a in (0.0, 0.3, 0.6, 0.9)
    ]
    assert scores == sorted(scores) and len(set(scores)) == 4


@pytest.mark.parametrize("chronic", [False, True])
def test_level_always_agrees_with_the_score(chronic: bool) -> None:
    """Over a grid of links and abnormalities: the level is the score's band, evidence against
    is never `likely`, a supported link is never `unlikely`, and `likely` without a supported
    link only comes with the standalone sentence."""
    cells = [
        (a, n1, c, n0)
        for n1 in (3, 10, 40)
        for n0 in (1, 8, 40)
        for a in range(0, n1 + 1, max(1, n1 // 3))
        for c in range(0, n0 + 1, max(1, n0 // 3))
    ]
    for a_, n1, c, n0 in cells:
        link = pain_link(a_, n1, c, n0)
        for ab in (0.0, 0.4, 0.9):
            v = verdict(
                factor(ab, chronic=chronic),
                links=[link],
                pain_reported=True,
                share_painful=0.4,
                diary_days=60,
            )
            assert v.level == level_of(v.score), (a_, n1, c, n0, ab, v)
            assert 0.0 <= v.score <= 1.0 and not math.isnan(v.score)
            if v.basis in ("against", "against-chronic"):
                assert v.level != "likely"
            if v.basis == "link":
                assert v.level != "unlikely"
            if v.level == "likely" and v.basis != "link":
                assert v.basis == "unconfirmed"


def test_an_unconfirmed_estimate_never_gives_likely() -> None:
    """A far-off abnormality whose diary estimate does not confirm it (interval includes 1):
    `possible` at most; only a diary that cannot estimate at all lets it stand alone."""
    weak = pain_link(9, 12, 45, 78, name="load_spike")  # 75% vs 58%: RR 1.3 (0.89 to 1.9)
    v = verdict(
        factor(1.0, cause="overexertion"),
        links=[weak],
        pain_reported=True,
        share_painful=0.7,
        diary_days=90,
    )
    assert v.basis == "weak-link" and v.level == "possible" and v.score <= CAP


def test_a_rival_with_the_stronger_link_caps_an_extreme_abnormality() -> None:
    weak = pain_link(6, 20, 5, 20)  # RR 1.2: a weak positive link
    common = {"pain_reported": True, "share_painful": 0.3, "diary_days": 42}
    own = cause_evidence([weak])
    assert own is not None and own > 0
    alone = verdict(factor(1.0), links=[weak], **common)
    beaten = verdict(factor(1.0), links=[weak], rival=own + 0.1, **common)
    capped = verdict(factor(RIVAL_CAP), links=[weak], **common)
    assert beaten.score == capped.score < alone.score
    # A weaker rival changes nothing, nor does a rival for a cause below the cap.
    assert verdict(factor(1.0), links=[weak], rival=own - 0.05, **common) == alone
    low = verdict(factor(0.3), links=[weak], **common)
    assert verdict(factor(0.3), links=[weak], rival=1.0, **common) == low


def test_a_chronic_factor_loses_its_prevalence_credit_to_a_stronger_rival_link() -> None:
    common = {"pain_reported": True, "share_painful": 0.3, "diary_days": 42}
    alone = verdict(factor(1.0, chronic=True), links=[], **common)
    beaten = verdict(factor(1.0, chronic=True), links=[], rival=0.2, **common)
    assert beaten.score < alone.score and beaten.level != "likely"
