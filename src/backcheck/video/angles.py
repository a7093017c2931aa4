"""Angle math on landmark coordinates: pure, vectorised with NumPy, degrees throughout.

Points are arrays whose last axis is (x, y) or (x, y, z) in image units with y pointing DOWN
(image convention), scaled so that one unit is the same length along x and y (multiply
normalised x by the frame's width/height ratio first). Any NaN coordinate gives a NaN result.

Conventions (docs/science.md section 5):
- joint angle at B from A, B, C: 0-180 degrees, 180 = straight (A, B, C in a line);
  2D theta = |atan2(C - B) - atan2(A - B)| folded to <= 180; 3D theta = arccos(BA.BC/|BA||BC|).
- line against horizontal: 0-90 degrees, 0 = horizontal, 90 = vertical, direction ignored.
- signed angles say which side: "above" means smaller image y (higher on screen).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Floats = NDArray[np.float64]


def _arr(p: ArrayLike, name: str) -> Floats:
    a = np.asarray(p, dtype=np.float64)
    if a.ndim == 0 or a.shape[-1] not in (2, 3):
        raise ValueError(f"{name}: last axis must hold 2 or 3 coordinates, got shape {a.shape}")
    return a


def joint_angle(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> Floats:
    """2D angle at B between BA and BC, degrees 0-180 (180 = straight); uses x and y only."""
    pa, pb, pc = _arr(a, "a")[..., :2], _arr(b, "b")[..., :2], _arr(c, "c")[..., :2]
    ba, bc = pa - pb, pc - pb
    theta = np.abs(
        np.degrees(np.arctan2(bc[..., 1], bc[..., 0]) - np.arctan2(ba[..., 1], ba[..., 0]))
    )
    theta = np.where(theta > 180.0, 360.0 - theta, theta)
    zero = (np.hypot(ba[..., 0], ba[..., 1]) == 0) | (np.hypot(bc[..., 0], bc[..., 1]) == 0)
    return np.asarray(np.where(zero, np.nan, theta), dtype=np.float64)


def joint_angle_3d(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> Floats:
    """3D angle at B, degrees 0-180: arccos(BA.BC / |BA||BC|); NaN for a zero-length side."""
    pa, pb, pc = _arr(a, "a"), _arr(b, "b"), _arr(c, "c")
    ba, bc = pa - pb, pc - pb
    norm = np.linalg.norm(ba, axis=-1) * np.linalg.norm(bc, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(ba * bc, axis=-1) / norm
    theta = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return np.asarray(np.where(norm == 0, np.nan, theta), dtype=np.float64)


def to_horizontal(p: ArrayLike, q: ArrayLike) -> Floats:
    """Angle of the line P-Q against the horizontal, degrees 0-90 (0 = level, 90 = vertical).

    The torso angle is to_horizontal(hip, shoulder).
    """
    d = _arr(q, "q")[..., :2] - _arr(p, "p")[..., :2]
    out = np.degrees(np.arctan2(np.abs(d[..., 1]), np.abs(d[..., 0])))
    return np.asarray(np.where((d[..., 0] == 0) & (d[..., 1] == 0), np.nan, out))


def from_vertical(p: ArrayLike, q: ArrayLike) -> Floats:
    """Angle of the line P-Q away from the vertical, degrees 0-90 (0 = plumb)."""
    return 90.0 - to_horizontal(p, q)


def lean(base: ArrayLike, top: ArrayLike, facing: ArrayLike) -> Floats:
    """Signed tilt of base->top from the vertical, degrees -180..180.

    Positive when `top` lies behind `base` (opposite to `facing`: +1 = the person faces
    image right, -1 = image left), i.e. leaning back; negative = leaning forward.
    lean(hip, shoulder, facing) is the torso's lean-back; -lean(shoulder, ear, facing) is how far
    the head sits forward of the shoulder.
    """
    d = _arr(top, "top")[..., :2] - _arr(base, "base")[..., :2]
    f = np.asarray(facing, dtype=np.float64)
    # Angle from "straight up" (0, -1); positive towards -facing (behind).
    back = -d[..., 0] * f
    up = -d[..., 1]
    out = np.degrees(np.arctan2(back, up))
    return np.asarray(np.where((d[..., 0] == 0) & (d[..., 1] == 0), np.nan, out))


def line_offset(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> Floats:
    """Signed bend at B of the line A-B-C, degrees: 180 - joint_angle, positive when B lies
    above the straight line A-C (hips high, pike), negative below it (hips sag).

    Body line: line_offset(shoulder, hip, ankle); |offset| <= 15 means the angle is >= 165.
    """
    pa, pb, pc = _arr(a, "a")[..., :2], _arr(b, "b")[..., :2], _arr(c, "c")[..., :2]
    bend = 180.0 - joint_angle(pa, pb, pc)
    ac = pc - pa
    ab = pb - pa
    # Cross product z of AC x AB: its sign says on which side of A->C the point B lies;
    # turned into "above" (smaller y) whatever the direction of A->C.
    cross = ac[..., 0] * ab[..., 1] - ac[..., 1] * ab[..., 0]
    above = np.where(ac[..., 0] >= 0, -cross, cross)
    return np.asarray(np.where(above >= 0, bend, -bend), dtype=np.float64)


def segment_angle(p: ArrayLike, q: ArrayLike, r: ArrayLike, s: ArrayLike) -> Floats:
    """Angle between the lines P->Q and R->S, degrees 0-90 (direction ignored).

    Bar tilt: segment_angle(left_shoulder, right_shoulder, left_wrist, right_wrist).
    """
    d1 = _arr(q, "q")[..., :2] - _arr(p, "p")[..., :2]
    d2 = _arr(s, "s")[..., :2] - _arr(r, "r")[..., :2]
    a = np.degrees(np.arctan2(d1[..., 1], d1[..., 0]) - np.arctan2(d2[..., 1], d2[..., 0]))
    a = np.abs((a + 180.0) % 360.0 - 180.0)
    return np.asarray(np.where(a > 90.0, 180.0 - a, a), dtype=np.float64)


def distance(p: ArrayLike, q: ArrayLike) -> Floats:
    """Euclidean 2D distance between P and Q (same units as the coordinates)."""
    d = _arr(q, "q")[..., :2] - _arr(p, "p")[..., :2]
    return np.asarray(np.hypot(d[..., 0], d[..., 1]), dtype=np.float64)
