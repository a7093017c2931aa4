"""How a plan's work is counted (the same conventions as plan.basis and analysis.recovery).

Volume = working sets of exercises whose pattern is neither cardio nor mobility (warm-up and
activation work). An exercise trains an upper-back region (model.UPPER_BACK_REGIONS) when its
catalog weight for it is >= ROLE_WEIGHT (0.5: synergist or prime mover; 0.25 is a stabiliser);
a session trains a region when sets x weight, over those weights, sums to >= REGION_LOAD_MIN
(1 hard-set equivalent, analysis.recovery). Exercise names are looked up in the catalog.

Every other muscle region (model.REGIONS) counts its prime movers and major synergists only
(weight >= HARD_WEIGHT, 0.75): a session trains it hard when sets x weight >= REGION_LOAD_MIN.
The upper back, the painful area, keeps the stricter 0.5 cut (so a deadlift's upper-trap
work counts there, but a squat's core bracing, 0.5, is no hard core session).

Main lifts and accessories: a main lift is a multi-joint lift (COMPOUND patterns) other than
the small upper-back accessories (face pulls, reverse flyes, rear-delt work, band
pull-aparts: UPPER_BACK_ACCESSORIES, catalog key prefixes); everything else that counts as
volume (isolation, core, carry and those accessories) is an accessory.
"""

from __future__ import annotations

from typing import Final

from backcheck.catalog import load_catalog
from backcheck.model import REGIONS, UPPER_BACK_REGIONS
from backcheck.plan.model import Session, Week

ROLE_WEIGHT: Final = 0.5
HARD_WEIGHT: Final = 0.75
#: Multi-joint movement patterns: the main lifts come from these.
COMPOUND: Final = (
    "horizontal-push",
    "vertical-push",
    "horizontal-pull",
    "vertical-pull",
    "squat",
    "hinge",
    "lunge",
)
#: Catalog key prefixes of the small upper-back accessories (never main lifts).
UPPER_BACK_ACCESSORIES: Final = ("face-pull", "reverse-fly", "rear-delt", "band-pull-apart")
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


def is_main_lift(name: str, pattern: str) -> bool:
    """True for a main lift: a COMPOUND pattern and not an upper-back accessory (catalog key)."""
    if pattern not in COMPOUND:
        return False
    ex = load_catalog().lookup(name)
    return ex is None or not ex.key.startswith(UPPER_BACK_ACCESSORIES)


def hard_regions(name: str) -> dict[str, float]:
    """Region -> catalog weight of the regions the exercise `name` works hard: upper-back
    regions at ROLE_WEIGHT (0.5) or more, every other region at HARD_WEIGHT (0.75) or more."""
    regions = _regions(name)
    if regions is None:
        return {}
    return {
        r: regions[r]
        for r in REGIONS
        if regions[r] >= (ROLE_WEIGHT if r in UPPER_BACK_REGIONS else HARD_WEIGHT)
    }


def session_muscle_load(session: Session) -> dict[str, float]:
    """Region (every model.REGIONS) -> sets x weight over the hard_regions of each exercise
    (cardio and mobility not counted); >= REGION_LOAD_MIN means a hard session for it."""
    load = dict.fromkeys(REGIONS, 0.0)
    for e in session.exercises:
        if e.pattern in ("cardio", "mobility"):
            continue
        for r, w in hard_regions(e.name).items():
            load[r] += e.sets * w
    return load


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
