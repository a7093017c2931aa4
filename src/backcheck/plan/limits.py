"""What a plan's rules compare against (Limits) and what they report (Violation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from backcheck.plan.model import Session, Week


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: which rule, where in the plan, and what is wrong."""

    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Limits:
    """What the athlete's own data allows (see plan.basis for the definitions).

    chronic_* / pre_spike_*: working sets a week (total / upper back); spike: the plan must
    first return to the pre-spike level; max_loads: exercise name -> heaviest working load
    (kg) of the last 8 weeks of training; cues: pattern -> posture cue texts that must be
    attached to every exercise of that pattern; severe_pain: pain >= 7 in the last 7 days;
    last_upper_back: the last logged day with a working set for the upper back (the plan's
    first upper-back session must come 48 h later); load_scale: the fraction of max_loads no
    planned load may exceed (below 1 after a break: plan.detraining).
    """

    chronic_total: float
    chronic_upper_back: float
    pre_spike_total: float
    pre_spike_upper_back: float
    spike: bool
    max_loads: Mapping[str, float] = field(default_factory=dict)
    cues: Mapping[str, Sequence[str]] = field(default_factory=dict)
    severe_pain: bool = False
    last_upper_back: date | None = None
    load_scale: float = 1.0


def place(week: Week, session: Session | None = None) -> str:
    return f"week {week.week}" + (f", {session.date.isoformat()}" if session else "")
