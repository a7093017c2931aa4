"""Where the camera stood: side, front or oblique view; which body side is nearer the camera;
which way the person faces in the image.

The view comes from the shoulder width seen in the frame divided by the torso length
(shoulder midpoint to hip midpoint), both measured in the same units. Shoulders are about
0.7 torso lengths apart, so a ratio below 0.3 means the camera was within about 25 degrees of a
pure side view, above 0.55 within about 40 degrees of the front (or back, or above). The median
over frames with a usable pose decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from backcheck.video.angles import distance
from backcheck.video.landmarks import INDEX, Landmarks

View = Literal["side", "front", "oblique", "unknown"]
SIDE_MAX = 0.30
FRONT_MIN = 0.55
ARM_AND_LEG = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """view; ratio: median shoulder width / torso length; near_side: "left" or "right" body
    side nearer the camera; facing: +1 when the person faces image right, -1 image left, 0 unknown."""

    view: View
    ratio: float | None
    near_side: Literal["left", "right"]
    facing: int


def midpoint(lm: Landmarks, part: str) -> NDArray[np.float64]:
    """(frames, 2) midpoint of left_/right_`part`, or the one side seen."""
    return mean2(lm.xy(f"left_{part}"), lm.xy(f"right_{part}"))


def mean2(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Element-wise mean of two arrays ignoring NaN (NaN only where both are NaN)."""
    both = np.isfinite(a) & np.isfinite(b)
    return np.asarray(np.where(both, (a + b) / 2.0, np.where(np.isfinite(a), a, b)))


def torso_length(lm: Landmarks) -> NDArray[np.float64]:
    """(frames,) shoulder midpoint to hip midpoint distance (square units)."""
    return distance(midpoint(lm, "shoulder"), midpoint(lm, "hip"))


def shoulder_ratio(lm: Landmarks) -> NDArray[np.float64]:
    """(frames,) shoulder width / torso length, from the estimated positions whatever their
    visibility (a hidden far shoulder is itself the mark of a side view); NaN where missing."""

    def mid(part: str) -> NDArray[np.float64]:
        return mean2(
            lm.xy(f"left_{part}", min_visibility=0), lm.xy(f"right_{part}", min_visibility=0)
        )

    width = distance(
        lm.xy("left_shoulder", min_visibility=0), lm.xy("right_shoulder", min_visibility=0)
    )
    torso = distance(mid("shoulder"), mid("hip"))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(torso > 0, width / torso, np.nan))


def classify(ratio: float | None) -> View:
    """side / oblique / front from a shoulder width : torso length ratio."""
    if ratio is None or not np.isfinite(ratio):
        return "unknown"
    if ratio < SIDE_MAX:
        return "side"
    return "front" if ratio > FRONT_MIN else "oblique"


def near_side(lm: Landmarks, usable: NDArray[np.bool_]) -> Literal["left", "right"]:
    """The body side nearer the camera: higher mean visibility of arm and leg landmarks,
    then smaller MediaPipe z (nearer) when visibilities tie."""
    vis = {
        s: float(np.mean([lm.visibility(f"{s}_{p}")[usable].mean() for p in ARM_AND_LEG]))
        if usable.any()
        else 0.0
        for s in ("left", "right")
    }
    if abs(vis["left"] - vis["right"]) >= 0.05:
        return "left" if vis["left"] > vis["right"] else "right"
    z = {
        s: np.nanmean(lm.points[usable][:, [INDEX[f"{s}_{p}"] for p in ARM_AND_LEG], 2])
        if usable.any() and np.isfinite(lm.points[usable][:, :, 2]).any()
        else np.nan
        for s in ("left", "right")
    }
    if np.isfinite(z["left"]) and np.isfinite(z["right"]) and z["left"] != z["right"]:
        return "left" if z["left"] < z["right"] else "right"
    return "left" if vis["left"] >= vis["right"] else "right"


def facing(lm: Landmarks, usable: NDArray[np.bool_]) -> int:
    """+1 when the nose is to the image right of the ears (or, without ears, of the shoulders),
    -1 to the left, 0 when it cannot be told."""
    nose = lm.xy("nose")
    ref = midpoint(lm, "ear")
    if not np.isfinite(ref[usable]).any():
        ref = midpoint(lm, "shoulder")
    dx = (nose[:, 0] - ref[:, 0])[usable]
    dx = dx[np.isfinite(dx)]
    if dx.size == 0:
        return 0
    med = float(np.median(dx))
    return 0 if med == 0 else (1 if med > 0 else -1)


def camera_view(lm: Landmarks, usable: NDArray[np.bool_]) -> ViewInfo:
    """The view of the whole clip from its usable frames."""
    ratios = shoulder_ratio(lm)[usable]
    ratios = ratios[np.isfinite(ratios)]
    ratio = float(np.median(ratios)) if ratios.size else None
    return ViewInfo(
        view=classify(ratio),
        ratio=None if ratio is None else round(ratio, 3),
        near_side=near_side(lm, usable),
        facing=facing(lm, usable),
    )
