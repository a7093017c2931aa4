"""The volume rules: gradual rises, a lighter week every 4th week, a return to the usual
level after a spike, and the reduced first week after severe pain.

docs/science.md 1: the "10% per week" rule has no outcome support (Buist et al. 2008, an RCT in
runners); it is used here as gentle progression only ("about 10%", one set being the smallest
step). > 30% over 2 weeks went with injuries in runners (Nielsen et al. 2014, grade B).
Deload and reduced-week shares, and the restart floors, are backcheck's conventions (grade C).
"""

from __future__ import annotations

import math
from typing import Final

from backcheck.plan.limits import Limits, Violation, place
from backcheck.plan.measure import week_volume
from backcheck.plan.model import WEEK_KINDS, Plan

RISE: Final = 0.10  # most a normal week rises over the previous normal week ...
MIN_STEP: Final = 1  # ... or one set, the smallest step
FIRST_WEEK_RISE: Final = 0.10  # the first normal week over the chronic level (0 after a spike)
DELOAD_EVERY: Final = 4
DELOAD_MAX: Final = 0.75  # a deload week's volume at most this share of the last normal week
REDUCED_MAX: Final = 0.6  # the reduced first week (pain >= 7) at most this share of the start
FLOOR_SETS: Final = 6  # sets a session may hold even when the log shows less (restart floor:
#: two main lifts of 3 sets, or a main pull and two upper-back accessories)
FLOOR_UPPER_BACK_SETS: Final = 5


def rise_limit(previous: float) -> int:
    """Most working sets a normal week may hold after a normal week of `previous` sets:
    previous + 10% (rounded down), or + 1 set when 10% is less than one set."""
    return math.floor(previous + max(MIN_STEP, RISE * previous) + 1e-9)


def check_volume(plan: Plan, limits: Limits) -> list[Violation]:
    """Weekly volume (total and upper back): the first normal week at most the chronic level
    + 10% (after a spike: at most the pre-spike level); each later normal week at most 10%
    (or one set) above the previous normal week; every 4th week a deload (<= 75% of the last
    normal week); the reduced first week <= 60% of the start level. Levels below
    FLOOR_SETS (FLOOR_UPPER_BACK_SETS) a session count as that floor (a restart)."""
    out: list[Violation] = []
    for week in plan.weeks:
        if week.kind not in WEEK_KINDS:
            out.append(Violation("volume", place(week), f"unknown week kind {week.kind!r}"))
        if (week.week % DELOAD_EVERY == 0) != (week.kind == "deload"):
            out.append(Violation("volume", place(week), "every 4th week, and only it, is a deload"))
    for i, measure in enumerate(("total", "upper-back")):
        chronic = (limits.chronic_total, limits.chronic_upper_back)[i]
        pre = (limits.pre_spike_total, limits.pre_spike_upper_back)[i]
        floor_per = (FLOOR_SETS, FLOOR_UPPER_BACK_SETS)[i]
        previous: float | None = None
        floor = floor_per * max((len(w.sessions) for w in plan.weeks), default=0)
        for week in plan.weeks:
            where = place(week)
            volume = week_volume(week)[i]
            start = max(pre if limits.spike else chronic, floor)
            first = max(pre if limits.spike else chronic * (1 + FIRST_WEEK_RISE), floor)
            if week.kind == "reduced":
                if volume > REDUCED_MAX * start + 1e-9:
                    out.append(
                        Violation(
                            "volume",
                            where,
                            f"reduced week: {volume} {measure} sets > "
                            f"{REDUCED_MAX:.0%} of {start:.1f}",
                        )
                    )
            elif week.kind == "deload":
                ref = previous if previous is not None else start
                if volume > DELOAD_MAX * ref + 1e-9:
                    out.append(
                        Violation(
                            "volume",
                            where,
                            f"deload: {volume} {measure} sets > {DELOAD_MAX:.0%} of {ref:.1f}",
                        )
                    )
            else:
                cap = first if previous is None else rise_limit(previous)
                if volume > cap + 1e-9:
                    said = (
                        "the pre-spike level"
                        if limits.spike and previous is None
                        else ("the chronic level + 10%" if previous is None else "last week + 10%")
                    )
                    out.append(
                        Violation("volume", where, f"{volume} {measure} sets > {cap:.1f} ({said})")
                    )
                previous = volume
    return out
