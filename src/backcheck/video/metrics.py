"""Per-rep metrics of an exercise (exercise.METRICS), each a number or None with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from backcheck.video.exercise import Metric
from backcheck.video.landmarks import Landmarks
from backcheck.video.reps import RepSpan
from backcheck.video.series import PARTS

Arr = NDArray[np.float64]
VIEW_WORDS: Final = {
    "side": "a side view",
    "oblique": "a side view",
    "front": "a front (or overhead) view",
}


@dataclass(frozen=True, slots=True)
class Value:
    """A metric of one rep: value (rounded to 0.1) or None with `why`."""

    value: float | None
    why: str | None = None


def missing_parts(lm: Landmarks, series: str) -> list[str]:
    """Landmark parts the input never holds (on either side) that `series` needs."""
    return [p for p in PARTS.get(series, ()) if not (lm.has(f"left_{p}") or lm.has(f"right_{p}"))]


def view_reason(metric: Metric, view: str, ratio: float | None = None) -> str | None:
    """Why `metric` cannot be measured in `view` (shoulder width : torso length `ratio`), or
    None when it can."""
    if view in metric.views:
        if metric.max_ratio is not None and (ratio is None or ratio > metric.max_ratio):
            return (
                "needs the torso seen at full length (camera above the chest); it is "
                "foreshortened in this view"
            )
        return None
    need = " or ".join(sorted({VIEW_WORDS[v] for v in metric.views}))
    return f"needs {need}; the camera view of this video is {view}"


def _nan_stat(fn: str, x: Arr) -> float:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan")
    return float(getattr(np, fn)(x))


def reduce(metric: Metric, values: Arr, span: RepSpan) -> float:
    """`values` (all frames) reduced over the rep `span` as `metric.reduce` says (NaN if unseen)."""
    rep = values[span.start : span.end + 1]
    near_turn = values[max(span.bottom - 1, span.start) : min(span.bottom + 2, span.end + 1)]
    kind = metric.reduce
    if kind == "turn":
        return _nan_stat("median", near_turn)
    if kind in ("min", "max", "median"):
        return _nan_stat(kind, rep)
    if kind == "range":
        return _nan_stat("max", rep) - _nan_stat("min", rep)
    if kind == "extreme":
        ok = rep[np.isfinite(rep)]
        if ok.size == 0:
            return float("nan")
        lo, hi = np.percentile(ok, [10, 90])
        return float(lo if abs(lo) > abs(hi) else hi)
    if kind == "shrink_pct":
        first = _nan_stat("median", values[span.start : min(span.start + 3, span.bottom + 1)])
        turn = _nan_stat("median", near_turn)
        return (1.0 - turn / first) * 100.0 if first > 0 else float("nan")
    raise ValueError(f"unknown reduce {kind!r}")


def rep_metrics(
    metrics: tuple[Metric, ...],
    series: dict[str, Arr],
    span: RepSpan,
    *,
    view: str,
    lm: Landmarks,
    ratio: float | None = None,
) -> dict[str, Value]:
    """Every metric of one rep; None with the reason where the view or the landmarks fail."""
    out: dict[str, Value] = {}
    for m in metrics:
        why = view_reason(m, view, ratio)
        if why is None and (lack := missing_parts(lm, m.series)):
            why = f"the input has no {'/'.join(lack)} landmarks"
        if why is not None:
            out[m.name] = Value(None, why)
            continue
        v = reduce(m, series[m.series], span)
        out[m.name] = (
            Value(round(v, 1))
            if np.isfinite(v)
            else Value(None, "landmarks not seen well enough in this rep (visibility < 0.5)")
        )
    return out


def confidence(
    key_vis: Arr, usable: NDArray[np.bool_], span: RepSpan, *, view_weight: float
) -> float:
    """0-1: mean visibility of the key landmarks over the rep x share of frames with a usable
    pose x how well the view suits the exercise (1 = side view)."""
    sl = slice(span.start, span.end + 1)
    vis = float(np.mean(np.where(usable[sl], key_vis[sl], 0.0)))
    return round(max(0.0, min(1.0, vis * view_weight)), 2)
