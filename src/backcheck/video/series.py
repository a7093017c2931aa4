"""Per-frame measurements from smoothed landmarks (NaN where the landmarks are not seen).

All angles are 2D, in degrees, measured in the image with square units (see angles.py). In a
side or oblique view each value comes from the body side seen better in that frame; in a front
view it is the mean of both sides. Lengths are in torso lengths (shoulder to hip, same side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
from numpy.typing import NDArray

from backcheck.video.angles import (
    distance,
    joint_angle,
    lean,
    line_offset,
    segment_angle,
    to_horizontal,
)
from backcheck.video.landmarks import Landmarks
from backcheck.video.view import ViewInfo, mean2

Arr = NDArray[np.float64]

#: What each series means: unit and convention (shown in the JSON's metric_info).
MEANING: Final = {
    "elbow_deg": "elbow angle shoulder-elbow-wrist, degrees, 180 = straight arm",
    "body_line_deg": "body line shoulder-hip-ankle, degrees, 180 = straight",
    "hip_offset_deg": "bend of the body line at the hip, degrees: 180 - body line, "
    "+ = hips above the shoulder-ankle line (pike), - = below (sag)",
    "head_offset_deg": "head against the body line (hip-shoulder extended to the ear), degrees, "
    "+ = head raised above the line, - = dropped below it",
    "ear_shoulder": "ear to shoulder distance, torso lengths (shoulder-hip)",
    "torso_deg": "torso (hip to shoulder) against horizontal, degrees, 0 = level, 90 = upright",
    "neck_line_deg": "ear-shoulder-hip angle, degrees, 180 = ear in line with the torso",
    "elbow_torso_deg": "angle between upper arm and torso, hip-shoulder-elbow, degrees",
    "forearm_tilt_deg": "forearm (elbow to wrist) away from vertical, degrees, 0 = plumb",
    "wrist_travel": "wrist to shoulder distance, torso lengths",
    "wrist_height": "wrist height above the shoulder, torso lengths (+ = above)",
    "lean_back_deg": "torso (hip to shoulder) from vertical, degrees, + = leaning back",
    "head_forward_deg": "shoulder to ear line from vertical, degrees, + = head ahead of shoulder",
    "bar_tilt_deg": "wrist-to-wrist line against the shoulder line, degrees, 0 = level",
    "elbow_diff_deg": "left minus right elbow angle, absolute, degrees",
    "legs_deg": "legs (hip to ankle, else hip to knee) against horizontal, degrees",
}
#: Landmark parts each series needs (on one side of the body).
PARTS: Final = {
    "elbow_deg": ("shoulder", "elbow", "wrist"),
    "body_line_deg": ("shoulder", "hip", "ankle"),
    "hip_offset_deg": ("shoulder", "hip", "ankle"),
    "head_offset_deg": ("hip", "shoulder", "ear"),
    "ear_shoulder": ("ear", "shoulder", "hip"),
    "torso_deg": ("hip", "shoulder"),
    "neck_line_deg": ("ear", "shoulder", "hip"),
    "elbow_torso_deg": ("hip", "shoulder", "elbow"),
    "forearm_tilt_deg": ("elbow", "wrist"),
    "wrist_travel": ("wrist", "shoulder", "hip"),
    "wrist_height": ("wrist", "shoulder", "hip"),
    "lean_back_deg": ("hip", "shoulder"),
    "head_forward_deg": ("shoulder", "ear"),
    "bar_tilt_deg": ("shoulder", "wrist"),
    "elbow_diff_deg": ("shoulder", "elbow", "wrist"),
    "legs_deg": ("hip", "ankle"),
}


def _ratio(a: Arr, b: Arr) -> Arr:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(b > 0, a / b, np.nan))


def _per_side(
    lm: Landmarks, parts: tuple[str, ...], fn: Callable[..., Arr]
) -> tuple[Arr, Arr, Arr, Arr]:
    vals, vis = [], []
    for s in ("left", "right"):
        pts = [lm.xy(f"{s}_{p}") for p in parts]
        vals.append(np.asarray(fn(*pts), dtype=np.float64))
        vis.append(np.min(np.stack([lm.visibility(f"{s}_{p}") for p in parts]), axis=0))
    return vals[0], vals[1], vis[0], vis[1]


def _pick(lm: Landmarks, view: ViewInfo, parts: tuple[str, ...], fn: Callable[..., Arr]) -> Arr:
    left, right, vl, vr = _per_side(lm, parts, fn)
    if view.view == "front":
        return mean2(left, right)
    near_left = view.near_side == "left"
    prefer_left = (vl > vr) | ((vl == vr) & near_left)
    first = np.where(prefer_left, left, right)
    second = np.where(prefer_left, right, left)
    return np.asarray(np.where(np.isfinite(first), first, second))


def frame_series(lm: Landmarks, view: ViewInfo) -> dict[str, Arr]:
    """Every series of MEANING for every frame of `lm` (NaN where not measurable)."""
    f = float(view.facing)
    nan = np.full(lm.frames, np.nan)

    def head_fwd(shoulder: Arr, ear: Arr) -> Arr:
        return -lean(shoulder, ear, f) if f else nan

    out: dict[str, Arr] = {
        "elbow_deg": _pick(lm, view, PARTS["elbow_deg"], joint_angle),
        "body_line_deg": _pick(lm, view, PARTS["body_line_deg"], joint_angle),
        "hip_offset_deg": _pick(lm, view, PARTS["hip_offset_deg"], line_offset),
        "head_offset_deg": _pick(
            lm, view, PARTS["head_offset_deg"], lambda h, s, e: -line_offset(h, s, e)
        ),
        "ear_shoulder": _pick(
            lm, view, PARTS["ear_shoulder"], lambda e, s, h: _ratio(distance(e, s), distance(s, h))
        ),
        "torso_deg": _pick(lm, view, PARTS["torso_deg"], to_horizontal),
        "neck_line_deg": _pick(lm, view, PARTS["neck_line_deg"], joint_angle),
        "elbow_torso_deg": _pick(lm, view, PARTS["elbow_torso_deg"], joint_angle),
        "forearm_tilt_deg": _pick(
            lm, view, PARTS["forearm_tilt_deg"], lambda e, w: 90.0 - to_horizontal(e, w)
        ),
        "wrist_travel": _pick(
            lm, view, PARTS["wrist_travel"], lambda w, s, h: _ratio(distance(w, s), distance(s, h))
        ),
        "wrist_height": _pick(
            lm,
            view,
            PARTS["wrist_height"],
            lambda w, s, h: _ratio(s[:, 1] - w[:, 1], distance(s, h)),
        ),
        "lean_back_deg": _pick(
            lm, view, PARTS["lean_back_deg"], lambda h, s: lean(h, s, f) if f else nan
        ),
        "head_forward_deg": _pick(lm, view, PARTS["head_forward_deg"], head_fwd),
        "bar_tilt_deg": segment_angle(
            lm.xy("left_shoulder"),
            lm.xy("right_shoulder"),
            lm.xy("left_wrist"),
            lm.xy("right_wrist"),
        ),
    }
    left, right, _, _ = _per_side(lm, PARTS["elbow_diff_deg"], joint_angle)
    out["elbow_diff_deg"] = np.abs(left - right)
    legs = _pick(lm, view, PARTS["legs_deg"], to_horizontal)
    thighs = _pick(lm, view, ("hip", "knee"), to_horizontal)
    out["legs_deg"] = np.asarray(np.where(np.isfinite(legs), legs, thighs))
    return out


def key_visibility(lm: Landmarks, parts: tuple[str, ...]) -> Arr:
    """(frames,) visibility of `parts` on the better-seen side (the smallest of the parts)."""
    best = [
        np.min(np.stack([lm.visibility(f"{s}_{p}") for p in parts]), axis=0)
        for s in ("left", "right")
    ]
    return np.asarray(np.maximum(best[0], best[1]))
