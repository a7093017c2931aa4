"""Coming back after a break: how much lighter the plan starts (detraining).

Strength falls when resistance training stops, more the longer the stop (a dose-response
with the duration of training cessation: Bosquet et al. 2013, Scand J Med Sci Sports
23:e140, meta-analysis of 103 studies; grade A for the direction, no usable per-week figure).
Progressive overload starts from what the lifter can do now and adds load gradually (ACSM
2009 position stand, Ratamess et al., MSSE 41:687; grade B). No trial gives the fraction to
drop by, so the steps below are a convention (grade C), said as such wherever they are used:

- a break of up to BREAK_DAYS (14) days: loads as before (a week or two off is normal life);
- then LOAD_STEP (10%) lighter for every started STEP_DAYS (28 days, about a month) beyond
  those 14 days: 15-42 days off -> 90%, 43-70 -> 80%, 71-98 -> 70%;
- never below MIN_LOAD_FACTOR (60%): after a longer break the plan starts at 60% of the
  loads of the last 8 weeks of training and the athlete builds up from there;
- the working sets of the first week drop to about RETURN_VOLUME (70%) of the usual level.

The break is counted from the last logged training day to the plan's first day.
"""

from __future__ import annotations

import math
from typing import Final

#: Breaks up to this many days leave the loads as they were.
BREAK_DAYS: Final = 14
#: Each started period of this many days beyond BREAK_DAYS takes LOAD_STEP off the loads.
STEP_DAYS: Final = 28
LOAD_STEP: Final = 0.10
#: The plan never starts lighter than this fraction of the athlete's recent loads.
MIN_LOAD_FACTOR: Final = 0.60
#: After a break the first week also holds about this fraction of the usual working sets
#: (never below the plan's floors; convention, grade C).
RETURN_VOLUME: Final = 0.7
SOURCE_TEXT: Final = (
    "strength falls with time off training, more the longer the break (Bosquet et al. 2013, "
    "meta-analysis, grade A); how much lighter to start is a convention (grade C), and "
    "building back gradually follows ACSM 2009 (grade B)"
)


def after_break(break_days: int) -> bool:
    """True when the last training day was more than BREAK_DAYS days before the plan."""
    return break_days > BREAK_DAYS


def load_factor(break_days: int) -> float:
    """The fraction (MIN_LOAD_FACTOR-1.0) of the recent loads a plan starts at after a break
    of `break_days` days (days from the last logged training day to the plan's start;
    negative or 0-14: 1.0). See the module docstring."""
    if not after_break(break_days):
        return 1.0
    steps = math.ceil((break_days - BREAK_DAYS) / STEP_DAYS)
    return round(max(MIN_LOAD_FACTOR, 1.0 - LOAD_STEP * steps), 2)


__all__ = [
    "BREAK_DAYS",
    "LOAD_STEP",
    "MIN_LOAD_FACTOR",
    "RETURN_VOLUME",
    "SOURCE_TEXT",
    "STEP_DAYS",
    "after_break",
    "load_factor",
]
