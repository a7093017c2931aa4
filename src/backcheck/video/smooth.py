"""Temporal smoothing of landmarks: the One-Euro filter (Casiez, Roussel & Vogel 2012, CHI).

A low-pass filter whose cut-off rises with speed: steady poses lose their jitter, fast
movements keep little lag. Coordinates are smoothed; visibility is kept as measured. A missing
landmark (NaN) restarts that landmark's filter, and so does a gap longer than `max_gap_s`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

#: Defaults for coordinates normalised to the frame (0-1), tuned for 10-30 frames per second.
MIN_CUTOFF_HZ = 1.5
BETA = 8.0
D_CUTOFF_HZ = 1.0
MAX_GAP_S = 0.5


def _alpha(cutoff: NDArray[np.float64] | float, dt: float) -> NDArray[np.float64]:
    tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff, dtype=np.float64))
    return np.asarray(1.0 / (1.0 + tau / dt))


def one_euro(
    values: NDArray[np.float64],
    time_s: NDArray[np.float64],
    *,
    min_cutoff: float = MIN_CUTOFF_HZ,
    beta: float = BETA,
    d_cutoff: float = D_CUTOFF_HZ,
    max_gap_s: float = MAX_GAP_S,
) -> NDArray[np.float64]:
    """Filter `values` (frames, ...) sampled at `time_s` (frames,) seconds, element-wise.

    min_cutoff (Hz, > 0): cut-off at rest; beta (>= 0): how fast the cut-off rises with speed
    (per unit of value per second); d_cutoff (Hz, > 0): cut-off of the speed estimate.
    NaN stays NaN and restarts the filter of that element.
    """
    if min_cutoff <= 0 or d_cutoff <= 0:
        raise ValueError("min_cutoff and d_cutoff must be > 0 Hz")
    if beta < 0:
        raise ValueError("beta must be >= 0")
    x = np.asarray(values, dtype=np.float64)
    if x.shape[0] != len(time_s):
        raise ValueError("values and time_s must have the same number of frames")
    out = np.full_like(x, np.nan)
    if x.shape[0] == 0:
        return out
    prev = np.full(x.shape[1:], np.nan)
    dprev = np.zeros(x.shape[1:])
    t_prev = float(time_s[0])
    for i in range(x.shape[0]):
        cur = x[i]
        t = float(time_s[i])
        dt = t - t_prev
        t_prev = t
        if i == 0 or dt <= 0 or dt > max_gap_s:
            restart = np.ones(cur.shape, dtype=bool)
        else:
            restart = np.isnan(prev)
        if restart.all():
            out[i] = cur
            prev = cur.copy()
            dprev = np.zeros(cur.shape)
            continue
        safe_dt = dt if dt > 0 else 1.0
        with np.errstate(invalid="ignore"):
            dx = (cur - prev) / safe_dt
            a_d = _alpha(d_cutoff, safe_dt)
            dhat = a_d * dx + (1.0 - a_d) * dprev
            a = _alpha(min_cutoff + beta * np.abs(dhat), safe_dt)
            xhat = a * cur + (1.0 - a) * prev
        xhat = np.where(restart, cur, xhat)
        dhat = np.where(restart | np.isnan(dhat), 0.0, dhat)
        out[i] = xhat
        prev = xhat
        dprev = dhat
    return out


def smooth_points(points: NDArray[np.float64], time_s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Landmark points (frames, 33, 4): x, y, z smoothed, visibility (column 3) unchanged."""
    out = points.copy()
    out[..., :3] = one_euro(points[..., :3], time_s)
    return out
