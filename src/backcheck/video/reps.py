"""Repetitions from a movement signal: start, turning point and end of each rep.

The signal rests at its top between reps (elbow angle of a push-up or bench press, wrist-to-
shoulder distance of a row) and dips to a turning point in each rep; for the overhead press the
signal (wrist height) rises instead, so it is negated first. A rep is counted when the signal
leaves the top band, reaches the bottom band and comes back:

    top band:    signal >= low + 0.70 x range        bottom band: signal <= low + 0.35 x range

where low and range come from the signal of that stretch of frames (3-frame median). A rep
runs from the moment the signal leaves its top value (within 5% of the range) to the moment
it is back there; its turning point is the lowest value between. A stretch
whose range is below `min_range` has no reps (a plank, a pause). Frames without a usable pose
split the clip when they last longer than `max_gap_s`; shorter gaps are bridged linearly. A cut
(the body jumps further than a person can move between two frames: another clip) also splits it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

TOP = 0.70
BOTTOM = 0.35
#: A rep starts where the signal leaves (and ends where it regains) its top value, within
#: this share of the range.
NEAR_TOP = 0.05
MAX_GAP_S = 0.5
MIN_REP_S = 0.4
MAX_REP_S = 15.0
#: A cut: the torso centre moves more than this many torso lengths between two frames, and
#: faster than CUT_SPEED torso lengths a second (a lifter's torso moves about one per second).
CUT_JUMP = 0.25
CUT_SPEED = 4.0
#: ... or the torso length changes by more than this factor between two frames.
CUT_SCALE = 1.35


@dataclass(frozen=True, slots=True)
class RepSpan:
    """Frame indices (into the analysed frames) of one rep: start, turning point, end."""

    start: int
    bottom: int
    end: int


def cuts(
    centre: NDArray[np.float64], torso: NDArray[np.float64], time_s: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """(frames,) True where the body jumps from the previous seen frame (a new clip begins).

    centre: (frames, 2) torso centre; torso: (frames,) torso length (same units); NaN = unseen.
    """
    n = len(time_s)
    out = np.zeros(n, dtype=bool)
    last = -1
    for i in range(n):
        if not (np.isfinite(centre[i]).all() and np.isfinite(torso[i]) and torso[i] > 0):
            continue
        if last >= 0:
            step = float(np.hypot(*(centre[i] - centre[last]))) / float(torso[last])
            dt = max(float(time_s[i] - time_s[last]), 1e-6)
            scale = float(torso[i] / torso[last])
            if (step > CUT_JUMP and step / dt > CUT_SPEED) or not (
                1 / CUT_SCALE <= scale <= CUT_SCALE
            ):
                out[i] = True
        last = i
    return out


def stretches(
    seen: NDArray[np.bool_],
    time_s: NDArray[np.float64],
    breaks: NDArray[np.bool_] | None = None,
    *,
    max_gap_s: float = MAX_GAP_S,
) -> list[tuple[int, int]]:
    """[start, stop) index ranges of frames to analyse together: split where unseen frames last
    longer than `max_gap_s` and where `breaks` is True. Each range starts and ends seen."""
    idx = np.flatnonzero(seen)
    if idx.size == 0:
        return []
    out: list[tuple[int, int]] = []
    begin = prev = int(idx[0])
    for raw in idx[1:]:
        i = int(raw)
        if time_s[i] - time_s[prev] > max_gap_s or (breaks is not None and breaks[i]):
            out.append((begin, prev + 1))
            begin = i
        prev = i
    out.append((begin, prev + 1))
    return out


def _median3(x: NDArray[np.float64]) -> NDArray[np.float64]:
    if x.size < 3:
        return x.copy()
    padded = np.concatenate([x[:1], x, x[-1:]])
    return np.asarray(np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0))


def _bridge(x: NDArray[np.float64], t: NDArray[np.float64]) -> NDArray[np.float64]:
    ok = np.isfinite(x)
    if ok.all() or not ok.any():
        return x
    return np.asarray(np.interp(t, t[ok], x[ok]))


def find_reps(
    signal: NDArray[np.float64],
    time_s: NDArray[np.float64],
    *,
    min_range: float,
    turn: str = "min",
    seen: NDArray[np.bool_] | None = None,
    breaks: NDArray[np.bool_] | None = None,
    min_rep_s: float = MIN_REP_S,
    max_rep_s: float = MAX_REP_S,
) -> list[RepSpan]:
    """Reps in `signal` (frames,) sampled at `time_s`, oldest first.

    turn: "min" when the signal dips in a rep, "max" when it rises. min_range (signal units,
    > 0): the smallest travel that counts. seen: frames with a usable pose (default: where the
    signal is finite). breaks: frames that start a new stretch (see `cuts`).
    """
    if turn not in ("min", "max"):
        raise ValueError(f"turn must be 'min' or 'max', got {turn!r}")
    if min_range <= 0:
        raise ValueError("min_range must be > 0")
    x = np.asarray(signal, dtype=np.float64) * (-1.0 if turn == "max" else 1.0)
    ok = np.isfinite(x) if seen is None else (np.asarray(seen) & np.isfinite(x))
    reps: list[RepSpan] = []
    for a, b in stretches(ok, time_s, breaks):
        seg = x[a:b].copy()
        seg[~ok[a:b]] = np.nan
        t = time_s[a:b]
        s = _median3(_bridge(seg, t))
        if s.size < 3:
            continue
        low, high = float(np.min(s)), float(np.max(s))
        span = high - low
        if span < min_range:
            continue
        top, bottom = low + TOP * span, low + BOTTOM * span
        reps += [
            RepSpan(a + r.start, a + r.bottom, a + r.end)
            for r in _scan(s, top, bottom, NEAR_TOP * span)
            if min_rep_s <= t[r.end] - t[r.start] <= max_rep_s
        ]
    return reps


def _scan(s: NDArray[np.float64], top: float, bottom: float, tol: float) -> list[RepSpan]:
    """Reps between consecutive visits to the top band that have a visit to the bottom band
    between them. A rep starts at the last frame of the first visit within `tol` of that
    visit's highest value (the lifter leaves the rest position) and ends at the first frame of
    the next visit within `tol` of its highest value."""
    high = s >= top
    edges = np.flatnonzero(np.diff(high.astype(np.int8)))
    starts = [0] if high[0] else []
    starts += [int(i) + 1 for i in edges if not high[i]]
    stops = [int(i) + 1 for i in edges if high[i]]
    if high[-1]:
        stops.append(len(s))
    visits = list(zip(starts, stops, strict=True))
    reps: list[RepSpan] = []
    for (a0, a1), (b0, b1) in itertools.pairwise(visits):
        between = s[a1:b0]
        if between.size == 0 or float(between.min()) > bottom:
            continue
        first = s[a0:a1]
        last_near = a0 + int(np.flatnonzero(first >= first.max() - tol)[-1])
        second = s[b0:b1]
        first_near = b0 + int(np.flatnonzero(second >= second.max() - tol)[0])
        reps.append(RepSpan(last_near, a1 + int(np.argmin(between)), first_near))
    return reps
