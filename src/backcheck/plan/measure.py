"""How a plan's work is counted (the same conventions as plan.basis and analysis.recovery).

Volume = working sets of exercises whose pattern is neither cardio nor mobility (warm-up and
activation work). An exercise trains an upper-back region (model.UPPER_BACK_REGIONS) when its
catalog weight for it is >= ROLE_WEIGHT (0.5: synergist or prime mover; 0.25 is a stabiliser);
a session trains a region when sets x weight, over those weights, sums to >= REGION_LOAD_MIN
(1 hard-set equivalent, analysis.recovery). Exercise names are looked up in the catalog.
"""

from __future__ import annotations

from typing import Final

from backcheck.catalog import load_catalog
from backcheck.model import UPPER_BACK_REGIONS
from backcheck.plan.model import Session, Week

ROLE_WEIGHT: Final = 0.5
REGION_LOAD_MIN: Final = 1.0
#: Patterns that are not lifts (no ramp sets, not "the first lifts" of a session).
NOT_LIFTS: Final = ("cardio", "mobility", "core")
#: Ramp sets go to the first lift of each of this many first movement patterns of a session.
RAMP_LIFTS: Final = 2


def _regions(name: str) -> dict[str, float] | None:
    ex = load_catalog().lookup(name)
    return None if ex is None else ex.regions


def trains_upper_back(name: str) -> bool:
    """True when the exercise `name` (catalog lookup) trains an upper-back region (>= 0.5)."""
    regions = _regions(name)
    return regions is not None and any(regions[r] >= ROLE_WEIGHT for r in UPPER_BACK_REGIONS)


def week_volume(week: Week) -> tuple[int, int]:
    """(working sets, upper-back working sets) of a week; cardio and mobility not counted."""
    total = ub = 0
    for s in week.sessions:
        for e in s.exercises:
            if e.pattern in ("cardio", "mobility"):
                continue
            total += e.sets
            ub += e.sets if trains_upper_back(e.name) else 0
    return total, ub


def session_region_load(session: Session) -> dict[str, float]:
    """Upper-back region -> sets x catalog weight (weights >= 0.5 only) in one session."""
    load = dict.fromkeys(UPPER_BACK_REGIONS, 0.0)
    for e in session.exercises:
        regions = _regions(e.name)
        if regions is None or e.pattern in ("cardio", "mobility"):
            continue
        for r in UPPER_BACK_REGIONS:
            if regions[r] >= ROLE_WEIGHT:
                load[r] += e.sets * regions[r]
    return load


def lifts(session: Session) -> list[str]:
    """Exercise names of a session's lifts in order (not cardio, mobility or core)."""
    return [e.name for e in session.exercises if e.pattern not in NOT_LIFTS]


def ramped_lifts(session: Session) -> list[str]:
    """The lifts that need ramp sets: the first lift of each of the session's first RAMP_LIFTS
    movement patterns, and the first upper-body lift."""
    need: list[str] = []
    patterns: list[str] = []
    for e in session.exercises:
        if e.pattern in NOT_LIFTS or e.pattern in patterns:
            continue
        if len(patterns) == RAMP_LIFTS:
            break
        patterns.append(e.pattern)
        need.append(e.name)
    for name in lifts(session):
        ex = load_catalog().lookup(name)
        if ex is not None and ex.upper_body:
            if name not in need:
                need.append(name)
            break
    return need
