"""When the pain diary cannot tell two abnormal causes apart: which ones, and how to find out.

A demanding reader's question when two causes are both off in the data and the diary links
neither clearly: "so which is it?". The diary alone cannot say (docs/accuracy.md, "What the
diary itself shows": where it links a second abnormality as clearly as the true cause, no rule
that follows the diary can tell them apart). What can is a change of one thing at a time while
the diary goes on: the logic of an n-of-1 trial (one person, one change, before against after;
Guyatt et al. 1986, N Engl J Med 314:889), which the follow-through loop (`progress`) reads as
a before/after in one person, never as proof.

`undecided(ranked)` takes the causes in ranking order with their abnormality (0-1) and the
basis of their score (analysis.ranking.Verdict.basis) and returns the causes it cannot tell
apart, or None: at least two causes with abnormality >= MIN_ABNORMALITY whose score rests on
no confirmed link of the athlete's own (basis in OPEN_BASES), the first-ranked cause among
them. A cause confirmed by the diary (basis "link") or with the diary against it decides
nothing here; neither does a report without pain in the diary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

#: Abnormality (0-1) from which a cause is "off in the data" for this purpose.
MIN_ABNORMALITY: Final = 0.5
#: Score bases (ranking.BASES) of a cause the diary neither confirms nor counts against.
OPEN_BASES: Final = frozenset({"weak-link", "no-estimate", "unconfirmed"})
#: At most this many causes are named (a test changes one thing at a time).
MOST: Final = 3
#: The one change that tests a cause, as a phrase after "for two weeks, " or "also ".
CHANGE: Final[dict[str, str]] = {
    "warmup": "warm up before every session (light cardio, dynamic stretches, ramp sets)",
    "imbalance": "do at least as many pulling sets (rows, pull-ups) as pressing sets",
    "overexertion": "keep your weekly upper-back load steady, with no sudden jump",
    "recovery": "leave 48 h between upper-back sessions and sleep 7 h or more",
    "posture": "fix the form fault seen on your video",
}


@dataclass(frozen=True, slots=True)
class Undecided:
    """Causes (CONTRACT names, ranking order) the diary cannot tell apart, and `steps`: what
    to change first, then next (one sentence each)."""

    causes: tuple[str, ...]
    steps: tuple[str, ...]

    def to_json(self) -> dict[str, list[str]]:
        return {"causes": list(self.causes), "steps": list(self.steps)}


def undecided(ranked: Sequence[tuple[str, float, str]]) -> Undecided | None:
    """See the module doc. ranked: (cause, abnormality 0-1, Verdict.basis), best first."""
    open_ = [c for c, a, basis in ranked if a >= MIN_ABNORMALITY and basis in OPEN_BASES]
    if len(open_) < 2 or not ranked or ranked[0][0] not in open_:
        return None
    causes = tuple(open_[:MOST])
    steps = [f"For two weeks, {CHANGE[causes[0]]}, and keep logging pain and pain-free days."]
    steps += [
        f"If the pain has not eased, keep that up and for two more weeks also {CHANGE[c]}."
        for c in causes[1:]
    ]
    return Undecided(causes, tuple(steps))
