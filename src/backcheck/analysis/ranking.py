"""From each cause's abnormality and this athlete's pain links to a score and a level.

score (0-1) combines how abnormal the factor is (a = FactorResult.abnormality) with how
strongly the athlete's own pain follows it (s = painlinks.link_strength, 0-1, already shrunk
for small samples):

    score = a * (BASE + (1 - BASE) * s) + LINK_ONLY * s * (1 - a)

- Evidence against: when the link could be estimated (EVIDENCE_DAYS known days on each
  side), pain was no more frequent with the factor (RR <= 1) and the 95% interval rules out
  more than a modest rise (upper bound <= AGAINST_CI), the score is multiplied by AGAINST:
  the athlete's own pain does not follow it.
- A chronic factor (its exposure never switches off) cannot be linked: s comes from pain
  prevalence, min(1, share of painful diary days / 0.3) shrunk by n / (n + 14) diary days.
  So does a factor that is on for NEAR_CHRONIC or more of the days (the 48 h pain windows
  of exposed and unexposed days then overlap, and the contrast says little). A factor whose
  link could not be estimated (too few days on one side) gets UNLINKED times that strength:
  pain is not shown to follow it. The LINK_ONLY term needs a real link.
- No pain reported: score = a / 2, so nothing is `likely` without pain.
Levels: likely >= 0.6 (only with pain reported), possible >= 0.3, else unlikely; `unknown`
when the data cannot tell. The constants are backcheck's own convention, documented here and
tested for the orderings they promise on simulated athletes, not a published model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backcheck.analysis.context import FactorResult
from backcheck.analysis.painlinks import PainLink, link_strength

LIKELY = 0.6
POSSIBLE = 0.3
BASE = 0.45
LINK_ONLY = 0.25
AGAINST = 0.6
AGAINST_CI = 1.5
NEAR_CHRONIC = 0.6
UNLINKED = 0.5
EVIDENCE_DAYS = 8
PREVALENCE_FULL = 0.3
DIARY_SHRINK = 14.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """A cause's score (0-1), level, and the strength of its pain evidence (0-1)."""

    score: float
    level: str
    strength: float


def prevalence_strength(share_painful: float, diary_days: int) -> float:
    """Pain-evidence strength for a chronic factor: prevalence, shrunk for short diaries."""
    if diary_days <= 0:
        return 0.0
    return min(1.0, share_painful / PREVALENCE_FULL) * diary_days / (diary_days + DIARY_SHRINK)


def _against(link: PainLink) -> bool:
    rr, ci = link.relative_risk, link.ci95
    return rr is not None and rr <= 1.0 and ci is not None and ci[1] <= AGAINST_CI


def verdict(
    factor: FactorResult,
    *,
    links: Sequence[PainLink] = (),
    pain_reported: bool,
    share_painful: float,
    diary_days: int,
) -> Verdict:
    """Score and level of one cause from its factor result and its pain links."""
    if not factor.known:
        return Verdict(0.0, "unknown", 0.0)
    a = min(1.0, max(0.0, factor.abnormality))
    if not pain_reported:
        score = 0.5 * a
        return Verdict(round(score, 3), "possible" if score >= POSSIBLE else "unlikely", 0.0)
    known = [x for x in links if x.n_with + x.n_without > 0]
    pervasive = bool(known) and all(
        x.n_with / (x.n_with + x.n_without) >= NEAR_CHRONIC for x in known
    )
    estimable = [
        x
        for x in known
        if x.relative_risk is not None
        and min(x.n_with, x.n_without) >= EVIDENCE_DAYS
        and x.n_with / (x.n_with + x.n_without) < NEAR_CHRONIC
    ]
    if factor.chronic or pervasive or not estimable:
        weight = 1.0 if factor.chronic or pervasive else UNLINKED
        s = min(1.0, max(0.0, weight * prevalence_strength(share_painful, diary_days)))
        score = a * (BASE + (1 - BASE) * s)
    else:
        s = min(1.0, max(0.0, *(link_strength(x) for x in estimable)))
        score = a * (BASE + (1 - BASE) * s) + LINK_ONLY * s * (1 - a)
        if all(_against(x) for x in estimable):
            score *= AGAINST
    level = "likely" if score >= LIKELY else "possible" if score >= POSSIBLE else "unlikely"
    return Verdict(round(score, 3), level, round(s, 3))
