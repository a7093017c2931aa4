"""The four exercises backcheck checks on video: what drives the rep count, what is measured,
and a guess of the exercise from the pose when the user says `--exercise auto`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from backcheck.errors import UsageError

EXERCISES: Final = ("bench-press", "push-up", "row", "overhead-press")
CHOICES: Final = (*EXERCISES, "auto")

Reduce = Literal["turn", "min", "max", "median", "range", "extreme", "shrink_pct"]
SIDE: Final = ("side", "oblique")
FRONT: Final = ("front",)


@dataclass(frozen=True, slots=True)
class Signal:
    """The movement signal that counts reps: a series (series.py), whether it dips ("min") or
    rises ("max") in a rep, and the smallest travel that counts (series units)."""

    series: str
    turn: Literal["min", "max"]
    min_range: float
    label: str


@dataclass(frozen=True, slots=True)
class Metric:
    """One per-rep figure: from which series, reduced how over the rep, in which views.

    reduce: turn = at the rep's turning point (median of 3 frames); min/max/median/range over
    the rep; extreme = the 10th or 90th percentile, whichever is further from 0 (signed);
    shrink_pct = how much the series shrinks from the start to the turning point, in %.
    """

    name: str
    series: str
    reduce: Reduce
    views: tuple[str, ...]
    unit: str
    meaning: str
    max_ratio: float | None = None


#: Shoulder width / torso length above which the torso is foreshortened (camera at the feet
#: or head end): flare cannot be read against the torso then.
FORESHORTENED = 1.1

SIGNALS: Final = {
    "push-up": Signal("elbow_deg", "min", 35.0, "elbow"),
    "bench-press": Signal("elbow_deg", "min", 35.0, "elbow"),
    "row": Signal("wrist_travel", "min", 0.25, "wrist travel"),
    "overhead-press": Signal("wrist_height", "max", 0.4, "wrist height"),
}

#: The camera view each lift needs, and what each view shows (said in the result and advice).
VIEW_NEEDED: Final = {
    "push-up": "side view at hip height, square to the body, whole body in frame (body line, "
    "depth, head, shrug)",
    "bench-press": "side view at bench height (depth, wrists over elbows, shrug); from the feet "
    "end, above the chest, for elbow flare and a level bar",
    "row": "side view at hip height, whole body in frame (torso angle, swing, upper-back "
    "rounding, range, shrug)",
    "overhead-press": "side view at shoulder height, whole body in frame (lean back, head "
    "forward, lockout, shrug)",
}

#: The angle shown on the annotated video for each exercise (series name, label).
SHOWN: Final = {
    "push-up": ("elbow_deg", "elbow"),
    "bench-press": ("elbow_deg", "elbow"),
    "row": ("torso_deg", "torso"),
    "overhead-press": ("elbow_deg", "elbow"),
}

_SHRUG = "ear-shoulder distance shrink from the start to the bottom of the rep, % (shrug)"
METRICS: Final[dict[str, tuple[Metric, ...]]] = {
    "push-up": (
        Metric(
            "body_line_deg",
            "body_line_deg",
            "median",
            SIDE,
            "deg",
            "body line shoulder-hip-ankle, 180 = straight",
        ),
        Metric(
            "hip_offset_deg",
            "hip_offset_deg",
            "median",
            SIDE,
            "deg",
            "hips above (+, pike) or below (-, sag) the shoulder-ankle line",
        ),
        Metric(
            "depth_elbow_deg",
            "elbow_deg",
            "min",
            SIDE,
            "deg",
            "elbow angle at the bottom, 180 = straight arm",
        ),
        Metric(
            "head_offset_deg",
            "head_offset_deg",
            "median",
            SIDE,
            "deg",
            "head above (+) or below (-) the line of the body",
        ),
        Metric("shrug_pct", "ear_shoulder", "shrink_pct", (*SIDE, *FRONT), "%", _SHRUG),
    ),
    "bench-press": (
        Metric(
            "depth_elbow_deg",
            "elbow_deg",
            "min",
            SIDE,
            "deg",
            "elbow angle at the bottom, 180 = straight arm",
        ),
        Metric(
            "wrist_over_elbow_deg",
            "forearm_tilt_deg",
            "turn",
            SIDE,
            "deg",
            "forearm away from vertical at the bottom, 0 = wrist over elbow",
        ),
        Metric("shrug_pct", "ear_shoulder", "shrink_pct", (*SIDE, *FRONT), "%", _SHRUG),
        Metric(
            "elbow_flare_deg",
            "elbow_torso_deg",
            "turn",
            FRONT,
            "deg",
            "upper arm to torso at the bottom (elbow flare), seen from above the chest",
            FORESHORTENED,
        ),
        Metric(
            "bar_tilt_deg",
            "bar_tilt_deg",
            "max",
            FRONT,
            "deg",
            "wrist line against shoulder line (uneven bar), largest in the rep",
        ),
        Metric(
            "elbow_diff_deg",
            "elbow_diff_deg",
            "turn",
            FRONT,
            "deg",
            "left-right elbow angle difference at the bottom",
        ),
    ),
    "row": (
        Metric(
            "torso_deg",
            "torso_deg",
            "median",
            SIDE,
            "deg",
            "torso against horizontal, 0 = level, 90 = upright",
        ),
        Metric(
            "torso_change_deg",
            "torso_deg",
            "range",
            SIDE,
            "deg",
            "torso angle change within the rep (swinging, momentum)",
        ),
        Metric(
            "neck_line_deg",
            "neck_line_deg",
            "median",
            SIDE,
            "deg",
            "ear-shoulder-hip angle, median over the rep (upper-back rounding proxy), 180 = in line",
        ),
        Metric(
            "elbow_torso_deg",
            "elbow_torso_deg",
            "turn",
            SIDE,
            "deg",
            "upper arm to torso at the top of the pull (elbow path)",
        ),
        Metric(
            "elbow_range_deg",
            "elbow_deg",
            "range",
            SIDE,
            "deg",
            "elbow angle range within the rep (range of motion)",
        ),
        Metric("shrug_pct", "ear_shoulder", "shrink_pct", (*SIDE, *FRONT), "%", _SHRUG),
    ),
    "overhead-press": (
        Metric(
            "lean_back_deg",
            "lean_back_deg",
            "median",
            SIDE,
            "deg",
            "torso lean back from vertical, median over the rep",
        ),
        Metric(
            "head_forward_deg",
            "head_forward_deg",
            "median",
            SIDE,
            "deg",
            "ear ahead of the shoulder, degrees from vertical",
        ),
        Metric(
            "lockout_elbow_deg",
            "elbow_deg",
            "max",
            (*SIDE, *FRONT),
            "deg",
            "elbow angle at the top, 180 = locked out",
        ),
        Metric(
            "shrug_pct",
            "ear_shoulder",
            "shrink_pct",
            (*SIDE, *FRONT),
            "%",
            _SHRUG + "; shown, not judged: the shoulders rise at lockout in a good overhead press",
        ),
    ),
}


def check_exercise(name: str) -> str:
    """`name` if it is one of CHOICES; UsageError('--exercise') otherwise."""
    if name not in CHOICES:
        raise UsageError(
            "--exercise", f"unknown exercise {name!r}: use one of {', '.join(CHOICES)}"
        )
    return name


def guess(series: dict[str, NDArray[np.float64]], usable: NDArray[np.bool_]) -> str | None:
    """The exercise that fits the pose best, or None when it cannot be told.

    Medians over the usable frames: torso level (< 30 deg against horizontal) with the wrists
    above the shoulders = bench press; level torso and level legs (hip to ankle < 45 deg) =
    push-up; standing legs with an upright torso (>= 55 deg) and wrists rising half a torso
    length above the shoulders = overhead press; standing legs, hinged torso and hands below the
    shoulders = row.
    """
    if not usable.any():
        return None

    def med(name: str) -> float:
        v = series[name][usable]
        v = v[np.isfinite(v)]
        return float(np.median(v)) if v.size else float("nan")

    torso, wrist, legs = med("torso_deg"), med("wrist_height"), med("legs_deg")
    top = series["wrist_height"][usable]
    top = top[np.isfinite(top)]
    if not np.isfinite(torso) or not np.isfinite(wrist):
        return None
    standing = np.isfinite(legs) and legs >= 45.0
    if torso < 30.0 and wrist > 0:
        return "bench-press"
    if torso < 30.0 and not standing:
        return "push-up"
    if standing and torso >= 55.0:
        return "overhead-press" if top.size and float(np.percentile(top, 90)) >= 0.5 else None
    if standing and wrist < 0:
        return "row"
    return None
