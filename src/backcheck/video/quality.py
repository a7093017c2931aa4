"""Pose quality gate: trust the skeleton before judging the form.

A frame is dropped (and counted, by reason) when its skeleton is implausible:
- low_visibility: no shoulder and hip seen, or the better-seen side's shoulder, elbow, wrist and
  hip have a mean visibility under 0.5;
- bone_jump: the torso, upper arm or forearm of the better-seen side is more than 1.5x longer
  or shorter than its median over the surrounding second (bones do not change length; a
  jump is a landmark on the wrong body part);
- shoulder_off_arm: the upper arm (shoulder to elbow) is longer than 1.1 torso lengths (about
  0.6 in people), the mark of a shoulder point slipped onto the back or the neck;
- left_right_swap: left and right landmarks traded places between two frames (the arm,
  hip and leg points are nearer the other side's previous points than their own); the frames
  on the minority side of each swap are dropped.

All checks are vectorised NumPy over the clip (no per-frame Python loop).
A set with fewer than MIN_GOOD_SHARE good frames (or fewer than MIN_GOOD_FRAMES) gets
"film again" advice instead of faults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from backcheck.video.landmarks import MIN_VISIBILITY, Landmarks

Arr = NDArray[np.float64]
Mask = NDArray[np.bool_]

REASONS: Final = ("low_visibility", "bone_jump", "shoulder_off_arm", "left_right_swap")
BONE_JUMP: Final = 1.5
UPPER_ARM_MAX: Final = 1.1
WINDOW_S: Final = 1.0
SWAP_PARTS: Final = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
#: Swap only when swapping explains the movement at least this much better, and the points
#: moved at least SWAP_MIN torso lengths (left and right overlap in a side view).
SWAP_RATIO: Final = 0.5
SWAP_MIN: Final = 0.15
MIN_GOOD_SHARE: Final = 0.5
MIN_GOOD_FRAMES: Final = 10
#: A rep is judged only when at least this share of its frames is good.
MIN_REP_GOOD: Final = 0.6
FILM_AGAIN: Final = (
    "Film again: too few frames had a trustworthy skeleton to judge your form. Side view, "
    "camera at hip height, whole body in frame, good light, nothing in front of you, no one "
    "else in the picture."
)


@dataclass(slots=True)
class Gate:
    """good: (frames,) frames that pass every check; dropped: frames failing each check
    (a frame can fail several); the verdict: "ok" or "film again"."""

    good: Mask
    dropped: dict[str, int] = field(default_factory=dict)
    verdict: str = "ok"

    @property
    def good_share(self) -> float:
        """Share of frames that passed (0-1)."""
        return float(self.good.mean()) if self.good.size else 0.0

    def to_json(self) -> dict[str, object]:
        """As stored in the result's quality block."""
        return {
            "good_frames": int(self.good.sum()),
            "dropped": dict(self.dropped),
            "verdict": self.verdict,
        }


def _len(lm: Landmarks, side: str, a: str, b: str) -> Arr:
    d = lm.xy(f"{side}_{a}", min_visibility=0) - lm.xy(f"{side}_{b}", min_visibility=0)
    return np.asarray(np.hypot(d[:, 0], d[:, 1]))


def _rolling_median(x: Arr, half: int) -> Arr:
    if x.size == 0:
        return x
    pad = np.concatenate([np.full(half, np.nan), x, np.full(half, np.nan)])
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * half + 1)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.asarray(np.nanmedian(win, axis=1))


def _side_vis(lm: Landmarks, side: str) -> Arr:
    return np.asarray(
        np.mean(
            [lm.visibility(f"{side}_{p}") for p in ("shoulder", "elbow", "wrist", "hip")], axis=0
        )
    )


def swapped(lm: Landmarks) -> Mask:
    """(frames,) frames whose left and right labels are traded relative to most of the clip."""
    n = lm.frames
    if n < 2:
        return np.zeros(n, dtype=bool)
    left = np.stack([lm.xy(f"left_{p}", min_visibility=0) for p in SWAP_PARTS], axis=1)
    right = np.stack([lm.xy(f"right_{p}", min_visibility=0) for p in SWAP_PARTS], axis=1)

    def step(a: Arr, b: Arr) -> Arr:
        d = np.hypot(*(a[1:] - b[:-1]).transpose(2, 0, 1))
        return np.asarray(np.nansum(d, axis=1))

    same = step(left, left) + step(right, right)
    cross = step(left, right) + step(right, left)
    sh = (lm.xy("left_shoulder", min_visibility=0) + lm.xy("right_shoulder", min_visibility=0)) / 2
    hp = (lm.xy("left_hip", min_visibility=0) + lm.xy("right_hip", min_visibility=0)) / 2
    torso = np.hypot(*(sh - hp).T)
    scale = np.nan_to_num(torso[1:], nan=1.0) * len(SWAP_PARTS)
    toggle = (cross < SWAP_RATIO * same) & (same > SWAP_MIN * scale)
    parity = np.concatenate([[0], np.cumsum(toggle) % 2])
    flipped = parity == 1
    chosen = flipped if flipped.sum() <= n / 2 else ~flipped
    return np.asarray(chosen, dtype=np.bool_)


def gate(lm: Landmarks, usable: Mask | None = None, *, arms_in_plane: bool = True) -> Gate:
    """The quality gate over the raw (unsmoothed) landmarks of a clip.

    arms_in_plane: False in a front view, where the arms point at the camera and their image
    length changes with the movement (only the torso is checked for jumps then)."""
    n = lm.frames
    usable = lm.usable() if usable is None else usable
    vis = np.maximum(_side_vis(lm, "left"), _side_vis(lm, "right"))
    low = ~usable | (vis < MIN_VISIBILITY)
    side = np.where(_side_vis(lm, "left") >= _side_vis(lm, "right"), "left", "right")
    fps = (
        (n - 1) / float(lm.time_s[-1] - lm.time_s[0])
        if n > 1 and lm.time_s[-1] > lm.time_s[0]
        else 30.0
    )
    half = max(2, round(WINDOW_S * fps / 2))
    jump = np.zeros(n, dtype=bool)
    upper = {}
    torso = {}
    for s in ("left", "right"):
        mine = side == s
        torso[s] = _len(lm, s, "shoulder", "hip")
        upper[s] = _len(lm, s, "shoulder", "elbow")
        bones = [("shoulder", "hip")]
        if arms_in_plane:
            bones += [("shoulder", "elbow"), ("elbow", "wrist")]
        for a, b in bones:
            length = _len(lm, s, a, b)
            ref = _rolling_median(length, half)
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = length / ref
            off_length = (ratio > BONE_JUMP) | (ratio < 1 / BONE_JUMP)
            jump |= mine & np.nan_to_num(off_length, nan=0).astype(bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        arm_ratio = np.where(
            side == "left", upper["left"] / torso["left"], upper["right"] / torso["right"]
        )
    off = np.nan_to_num(arm_ratio > UPPER_ARM_MAX, nan=0).astype(bool) & arms_in_plane
    swap = swapped(lm)
    reasons: dict[str, Mask] = {
        "low_visibility": low,
        "bone_jump": jump & ~low,
        "shoulder_off_arm": off & ~low,
        "left_right_swap": swap & ~low,
    }
    good = ~(low | jump | off | swap)
    dropped = {k: int(v.sum()) for k, v in reasons.items()}
    verdict = (
        "film again"
        if good.sum() < MIN_GOOD_FRAMES or (n and good.mean() < MIN_GOOD_SHARE)
        else "ok"
    )
    return Gate(good=np.asarray(good), dropped=dropped, verdict=verdict)
