"""From each cause's abnormality and this athlete's pain links to a score and a level.

a = FactorResult.abnormality (0-1). Each pain link of the cause gives a signed evidence e
(`link_evidence`) from a ratio R and its 95% interval: the adjusted odds ratio (all factors at
once, analysis.painmodel) when there is one, else the raw relative risk; shrunk by the
harmonic mean n_eff of its day counts (with and without the factor):

    R > 1:   e = (1 - 1/R) * n_eff / (n_eff + SHRINK_N) * (1 if supported else 0.5)
    R <= 1:  e = -confidence, confidence = n_eff / (n_eff + SHRINK_N) * (1 if the interval's
             upper bound <= AGAINST_CI else 0.5)

A link is `supported` (the athlete's own link) when its 99% interval lies above 1 (95% for
each of five causes: Bonferroni) and each side has painlinks.EVIDENCE_DAYS known days. A raw relative risk with pain after more than 1/CEILING
of the sessions without the factor (EVIDENCE_DAYS or more) says nothing (no room for a rise).
The cause takes its strongest factor (the largest e). Then, with pain reported:

- Pain follows it (e > 0):   score = a (BASE + (1 - BASE) e) + LINK_ONLY e (1 - a)
- Evidence against (every estimable factor has R <= 1, i.e. was present and followed by pain
  no more often): score = a BASE m, m = AGAINST_LEAST - (AGAINST_LEAST - AGAINST_MOST) *
  confidence. Below a BASE, the score the abnormality alone would give, so evidence against
  always lowers a cause (docs/science.md 5b), and below POSSIBLE: such a cause is `unlikely`.
- A chronic factor (FactorResult.chronic: there in every recent week, like a constant
  push/pull imbalance) is judged by pain prevalence, since its days with and without the
  daily exposure all lie in the same imbalanced weeks. Evidence against still lowers it, less:
  the score is multiplied by CHRONIC_AGAINST_LEAST - (CHRONIC_AGAINST_LEAST -
  CHRONIC_AGAINST_MOST) * confidence, and it cannot be `likely`.
- No estimate (one side has no known day, or no pain in any window): the diary cannot tell.
  s = prevalence strength (share of painful diary days / 0.3, at most 1, shrunk by
  n / (n + 14) diary days), times UNLINKED, or CHRONIC_PREVALENCE for a chronic factor (on
  all the time, so a constant pain is what it would give); score = a (BASE + (1 - BASE) s).
  A chronic factor with a positive link takes the larger of that s and e.
- A supported link keeps the cause at least `possible` (score >= POSSIBLE):
  the athlete's own pain follows it, whatever the abnormality.
- `likely` (score >= 0.6) needs the person's own link (a supported link, interval
  above 1), or an abnormality of at least STANDALONE where the diary has no estimate at all
  (it stands alone): then `basis` is "unconfirmed" and the report says the diary cannot
  confirm it yet. An estimate that the diary could make but that does not confirm the link
  never gives `likely`. Otherwise the score is
  capped at CAP, so score and level always agree.
- No pain reported: score = a / 2, so nothing is `likely` without pain.
- Rival evidence: when another abnormal cause's (abnormality >= RIVAL_MIN) strongest link
  (`rival`, its e) is stronger than this
  cause's own (its e, 0 without a positive link), the abnormality counts at most RIVAL_CAP
  (0.5): an extreme abnormality no longer outranks the cause the athlete's pain follows more
  closely, and a chronic factor loses its prevalence credit (prevalence is shared by every
  cause; a link is this cause's own). Scores only go down by this rule. A cause whose own
  evidence is against it (not chronic) is left to that rule, which already lowers it.

Levels: likely >= 0.6, possible >= 0.3, else unlikely; `unknown` when the data cannot tell.
The constants are backcheck's own convention, documented here and tested for the orderings
they promise (tests/test_ranking.py, simulated athletes), not a published model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from backcheck.analysis.context import FactorResult
from backcheck.analysis.painlinks import EVIDENCE_DAYS, Z95, PainLink, too_short

LIKELY = 0.6
POSSIBLE = 0.3
BASE = 0.45
LINK_ONLY = 0.5
UNLINKED = 0.5
#: Weight of pain prevalence for a chronic factor (pain that is always there, like the factor).
CHRONIC_PREVALENCE = 1.0
PREVALENCE_FULL = 0.3
DIARY_SHRINK = 14.0
#: Multiplier of a * BASE for evidence against: with no confidence, and with full confidence.
AGAINST_LEAST = 0.65
AGAINST_MOST = 0.2
#: The same for a chronic factor, whose day-by-day contrast says little (see module doc).
CHRONIC_AGAINST_LEAST = 0.9
CHRONIC_AGAINST_MOST = 0.7
#: An RR interval whose upper bound is at most this rules out a large effect.
AGAINST_CI = 1.5
#: Pseudo-count of days shrinking a link's evidence: at n_eff = SHRINK_N it is halved. Smaller
#: than painlinks.SHRINK_N because the adjusted estimate is already pulled towards RR 1.
SHRINK_N = 5.0
#: Pain after more than 1 / CEILING of the sessions without a factor (at least EVIDENCE_DAYS of
#: them) leaves no room for the factor to show a rise of that size: the link then says
#: nothing, for or against. With fewer such sessions that share is itself unknown, and the
#: estimate counts as usual.
CEILING = 1.5
#: z of the interval a link must clear to count as the athlete's own (99%: see _supported).
SUPPORT_Z = 2.5758293035489004
#: Abnormality (0-1) large enough to be `likely` without the athlete's own link.
STANDALONE = 0.85
#: Highest score of a cause that may not be `likely` (just under LIKELY).
CAP = 0.59
#: Abnormality (0-1) a cause counts at most when a rival cause has the stronger link.
RIVAL_CAP = 0.5
#: Abnormality (0-1) a cause needs for its link to count as a rival of the others.
RIVAL_MIN = 0.25

#: Verdict.basis values: what the score rests on.
BASES = (
    "unknown",
    "no-pain",
    "link",
    "weak-link",
    "against",
    "against-chronic",
    "unconfirmed",
    "no-estimate",
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A cause's score (0-1), level, the strength of its pain evidence (-1..1: negative when
    the pain does not follow it), and `basis` (one of BASES): what the score rests on."""

    score: float
    level: str
    strength: float
    basis: str = "no-estimate"


def prevalence_strength(share_painful: float, diary_days: int) -> float:
    """Pain-evidence strength for a chronic factor: prevalence, shrunk for short diaries."""
    if diary_days <= 0:
        return 0.0
    return min(1.0, share_painful / PREVALENCE_FULL) * diary_days / (diary_days + DIARY_SHRINK)


def link_evidence(link: PainLink) -> float | None:
    """Signed evidence of one link, -1..1 (see module doc); None when it has no estimate."""
    est = link.estimate
    if est is None or link.n_with == 0 or link.n_without == 0:
        return None
    saturated = link.pain_without is not None and link.pain_without > 1 / CEILING
    if saturated and link.n_without >= EVIDENCE_DAYS and link.adjusted_or is None:
        return None  # pain after nearly every other session: no room to show a rise
    rr, (_, high) = est
    n1, n0 = link.n_with, link.n_without
    n_eff = 2 * n1 * n0 / (n1 + n0)
    shrink = n_eff / (n_eff + SHRINK_N)
    if rr > 1:
        return (1 - 1 / rr) * shrink * (1.0 if _supported(link) else 0.5)
    return -shrink * (1.0 if high <= AGAINST_CI else 0.5)


def _supported(link: PainLink) -> bool:
    """The athlete's own link: ratio > 1 with its SUPPORT_Z interval above 1, and enough days.

    The interval is widened from the 95% one on the log scale (SE = ln(high / low) / 3.92):
    five causes are tested at once, so 0.05 / 5 = 0.01 each (Bonferroni; 99%, z = 2.576)."""
    est = link.estimate
    if est is None or est[0] <= 1 or too_short(link):
        return False
    rr, (low, high) = est
    se = math.log(high / low) / (2 * Z95)
    return math.log(rr) - SUPPORT_Z * se > 0


def cause_evidence(links: Sequence[PainLink]) -> float | None:
    """A cause's strongest link evidence (-1..1, see link_evidence); None without an estimate.
    What `verdict` compares with the other causes (`rival`)."""
    return max((e for x in links if (e := link_evidence(x)) is not None), default=None)


def rivals(factors: Sequence[FactorResult], links: Sequence[Sequence[PainLink]]) -> list[float]:
    """For each cause (factors[i] with its links[i]): the strongest link evidence among the
    other causes that are abnormal themselves (abnormality >= RIVAL_MIN), 0 when none has a
    positive link: `verdict`'s `rival`. A chance link of a normal factor is no rival."""
    strongest = [
        (cause_evidence(x) or 0.0) if f.known and f.abnormality >= RIVAL_MIN else 0.0
        for f, x in zip(factors, links, strict=True)
    ]
    return [
        max([0.0, *(e for j, e in enumerate(strongest) if j != i)]) for i in range(len(strongest))
    ]


def _level(score: float) -> str:
    return "likely" if score >= LIKELY else "possible" if score >= POSSIBLE else "unlikely"


def verdict(
    factor: FactorResult,
    *,
    links: Sequence[PainLink] = (),
    pain_reported: bool,
    share_painful: float,
    diary_days: int,
    rival: float = 0.0,
) -> Verdict:
    """Score and level of one cause from its factor result and its pain links.

    rival: the strongest link evidence (cause_evidence, -1..1) among the other causes; 0 when
    none has a positive link (see the module doc, rival evidence)."""
    if not factor.known:
        return Verdict(0.0, "unknown", 0.0, "unknown")
    a = min(1.0, max(0.0, factor.abnormality))
    if not pain_reported:
        score = round(0.5 * a, 3)
        return Verdict(score, _level(score), 0.0, "no-pain")
    judged = [(x, e) for x in links if (e := link_evidence(x)) is not None]
    prev = prevalence_strength(share_painful, diary_days)
    supported = any(_supported(x) for x, _ in judged)
    best = max((e for _, e in judged), default=None)
    outranked = rival > max(best or 0.0, 0.0)
    chronic = factor.chronic and not outranked
    if outranked and (best is None or best > 0 or factor.chronic):  # "against" lowers anyway
        a = min(a, RIVAL_CAP)
    if best is not None and best <= 0 and not factor.chronic:
        m = AGAINST_LEAST - (AGAINST_LEAST - AGAINST_MOST) * -best
        score = a * BASE * m
        return Verdict(round(score, 3), _level(score), round(best, 3), "against")
    against_chronic = factor.chronic and best is not None and best <= 0
    if best is not None and best > 0:
        s = max(best, CHRONIC_PREVALENCE * prev) if chronic else best
        score = a * (BASE + (1 - BASE) * s) + LINK_ONLY * s * (1 - a)
        basis = "link" if supported else "weak-link"
        if supported:
            score = max(score, POSSIBLE)
    else:
        s = prev * (CHRONIC_PREVALENCE if chronic else UNLINKED)
        score = a * (BASE + (1 - BASE) * s)
        basis = "no-estimate"
    if score >= LIKELY and not supported:
        if a >= STANDALONE and basis == "no-estimate" and not against_chronic:
            basis = "unconfirmed"
        else:
            score = CAP
    if against_chronic and best is not None:
        score *= CHRONIC_AGAINST_LEAST - (CHRONIC_AGAINST_LEAST - CHRONIC_AGAINST_MOST) * -best
        basis = "against-chronic"
    score = round(min(1.0, score), 3)
    return Verdict(score, _level(score), round(s if best is None or best > 0 else best, 3), basis)


def verdict_sentences(v: Verdict, *, links: Sequence[PainLink], pain_reported: bool) -> list[str]:
    """What the score rests on, in words that agree with its level (shown under the links)."""
    if not pain_reported or v.basis in ("unknown", "no-pain", "link"):
        return []
    if v.basis == "against-chronic":
        return [
            "your pain was no more frequent on days with this factor than on other days, which "
            "lowers the score; but it was there in every recent week, so comparing days cannot "
            "rule it out"
        ]
    if v.basis == "against":
        return [
            "your pain was no more frequent with this factor than without it, so your own "
            "diary counts against this cause and lowers its score"
        ]
    if v.basis == "unconfirmed":
        return [
            "your data is so far from the usual range here that this is rated likely on that "
            "alone; your pain diary cannot confirm it yet"
        ]
    known = [x for x in links if x.n_with + x.n_without > 0]
    if v.basis == "weak-link" and known and not all(too_short(x) for x in known):
        return [
            "your pain followed this factor somewhat more often, but the 95% interval still "
            "includes no difference, so your diary cannot confirm it yet"
        ]
    if not links:
        return []
    return [
        "your diary is too short to tell yet whether your pain follows this: keep logging "
        "pain, and pain-free days as 0, within 48 h of your sessions"
    ]
