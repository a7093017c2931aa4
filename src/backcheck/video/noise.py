"""Landmark noise: how much a metric wobbles while the body holds still, and the margin a
fault must clear beyond its limit before it is called.

Measured on real still frames: the 19 holds (runs of one label, 15+ frames) of the labelled
MediaPipe planks in tests/data/pose (NgoQuocBao1010/Exercise-Correction, MIT), smoothed as the
analysis smooths them. NOISE_SD is the median over the holds of the within-hold standard
deviation (degrees, or % for shrug); it includes a little real sway, so it errs large.
tests/test_video_quality.py measures it again from the data and checks these numbers.

MARGIN = 2 x NOISE_SD: a value past its limit by less than that is within landmark noise
(about 95% of still-frame wobble), so it never makes a fault on its own.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

#: Still-frame SD per per-frame series (deg). Measured: hip offset / body line, elbow, torso
#: (and lean back, the same line), upper arm to torso, forearm tilt. Not measurable in the
#: plank data, so derived: head series (no ear columns) take the largest angle SD measured
#: (3.7 deg); the shrug 3% (landmark distance noise 0.01 torso lengths over an ear-shoulder
#: distance of about 0.35 torso lengths); the bar tilt (a front-view line) the torso line's
#: 2.1 deg; the left-right elbow difference sqrt(2) x the elbow's 2.1 deg.
NOISE_SD: Final[dict[str, float]] = {
    "hip_offset_deg": 3.7,
    "body_line_deg": 3.7,
    "elbow_deg": 2.1,
    "torso_deg": 2.1,
    "lean_back_deg": 2.1,
    "elbow_torso_deg": 2.3,
    "forearm_tilt_deg": 1.8,
    "head_offset_deg": 3.7,
    "head_forward_deg": 3.7,
    "neck_line_deg": 3.7,
    "bar_tilt_deg": 2.1,
    "elbow_diff_deg": 3.0,
    "ear_shoulder": 3.0,
}
#: Fallback SD for a series not listed (the largest measured angle SD).
DEFAULT_SD: Final = 3.7
#: How many SDs a value must clear beyond a limit.
MARGIN_SDS: Final = 2.0


def margin(series: str) -> float:
    """The noise margin of `series` (its unit): MARGIN_SDS x its still-frame SD."""
    return round(MARGIN_SDS * NOISE_SD.get(series, DEFAULT_SD), 1)


def still_noise(values: NDArray[np.float64], holds: list[tuple[int, int]]) -> float:
    """Median within-hold SD of `values` (frames,) over `holds` ([start, stop) frame ranges
    where the body holds still); NaN frames are skipped, holds with < 10 finite frames too."""
    sds = []
    for a, b in holds:
        v = values[a:b]
        v = v[np.isfinite(v)]
        if v.size >= 10:
            sds.append(float(np.std(v)))
    return float(np.median(sds)) if sds else float("nan")


#: A set's own still frames (before, between and after its reps) raise the margin when its
#: landmarks wobble more than the real planks did, up to MAX_FACTOR x the measured margin; they
#: never lower it. At least MIN_STILL frames in stretches of MIN_RUN or more are needed.
MIN_STILL: Final = 15
MIN_RUN: Final = 5
MAX_FACTOR: Final = 2.0


def set_margins(
    series: dict[str, NDArray[np.float64]], still: NDArray[np.bool_], names: set[str]
) -> dict[str, float]:
    """Margin per series in `names` for one set: margin(name), raised to 2 x the robust SD
    (1.4826 x median absolute deviation from each still stretch's median) of the series over
    the set's `still` frames, capped at MAX_FACTOR x margin(name)."""
    out = {name: margin(name) for name in names}
    edges = np.flatnonzero(np.diff(np.concatenate([[0], still.astype(np.int8), [0]])))
    runs = [
        (int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= MIN_RUN
    ]
    if sum(b - a for a, b in runs) < MIN_STILL:
        return out
    for name in names:
        x = series.get(name)
        if x is None:
            continue
        dev = np.concatenate(
            [x[a:b] - np.nanmedian(x[a:b]) for a, b in runs if np.isfinite(x[a:b]).sum() >= MIN_RUN]
            or [np.array([])]
        )
        dev = dev[np.isfinite(dev)]
        if dev.size < MIN_STILL:
            continue
        sd = 1.4826 * float(np.median(np.abs(dev)))
        out[name] = round(min(max(out[name], MARGIN_SDS * sd), MAX_FACTOR * margin(name)), 1)
    return out
