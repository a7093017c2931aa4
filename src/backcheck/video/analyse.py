"""From landmarks to a form check: usable frames, smoothing, view, exercise, reps, metrics,
faults and camera advice. Pure: needs NumPy only (no OpenCV, no MediaPipe)."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from backcheck.errors import InputError, UsageError
from backcheck.video.exercise import (
    EXERCISES,
    METRICS,
    SIGNALS,
    VIEW_NEEDED,
    check_exercise,
    guess,
)
from backcheck.video.faults import RULES, judge
from backcheck.video.landmarks import Landmarks
from backcheck.video.metrics import confidence, missing_parts, rep_metrics, view_reason
from backcheck.video.noise import margin, set_margins
from backcheck.video.quality import FILM_AGAIN, MIN_REP_GOOD, gate
from backcheck.video.reps import RepSpan, cuts, find_reps, stretches
from backcheck.video.result import RepResult, VideoResult
from backcheck.video.series import frame_series, key_visibility
from backcheck.video.smooth import smooth_points
from backcheck.video.view import camera_view, midpoint, torso_length

#: How much a rep's confidence keeps in each view (side views suit every metric best;
#: Lafayette et al. 2023: side beats oblique).
VIEW_WEIGHT: Final = {"side": 1.0, "oblique": 0.6, "front": 0.5, "unknown": 0.3}
FRONT_FRIENDLY: Final = {"bench-press": 0.8}
KEY_PARTS: Final = ("shoulder", "elbow", "wrist", "hip")
FILM_ADVICE: Final = (
    "Film from the side: camera at hip height, square to your body, whole body in frame, "
    "good light, nothing in front of you."
)
MIN_VISIBLE_FRACTION = 0.8


def _smooth(lm: Landmarks, usable: NDArray[np.bool_], breaks: NDArray[np.bool_]) -> Landmarks:
    raw = lm.points.copy()
    raw[~usable] = np.nan
    out = np.full_like(raw, np.nan)
    for a, b in stretches(usable, lm.time_s, breaks):
        out[a:b] = smooth_points(raw[a:b], lm.time_s[a:b])
    return lm.with_points(out)


def _warnings(
    lm: Landmarks, exercise: str, view: str, usable: NDArray[np.bool_], detected: bool
) -> tuple[list[str], list[str]]:
    warn: list[str] = []
    advice: list[str] = []
    frac = float(usable.mean()) if usable.size else 0.0
    if view != "side":
        warn.append(
            f"camera view: {view}. Side-view measures are "
            f"{'less reliable' if view == 'oblique' else 'not available'} from this angle; "
            f"{exercise} needs a {VIEW_NEEDED[exercise]}."
        )
    if frac < MIN_VISIBLE_FRACTION:
        warn.append(
            f"{(1 - frac) * 100:.0f}% of frames had no usable pose (shoulders and hips not both "
            "seen); they were left out."
        )
    needed = {"push-up": ("ankle",), "row": ("ear",), "overhead-press": ("ear",)}.get(exercise, ())
    for part in needed:
        vis = np.maximum(lm.visibility(f"left_{part}"), lm.visibility(f"right_{part}"))[usable]
        if vis.size and float(np.mean(vis >= 0.5)) < 0.5:
            warn.append(f"the {part}s were hard to see in most frames: some measures are missing.")
    if lm.fps_assumed:
        warn.append("no time_s column: 30 frames per second assumed.")
    if lm.width is None:
        warn.append(
            "frame size unknown (no image_width/image_height columns): square frames assumed, "
            "so angles may be off if the video was not square."
        )
    if detected:
        warn.append(f"exercise recognised as {exercise}; give --exercise if that is wrong.")
    if view != "side" or frac < MIN_VISIBLE_FRACTION or any("hard to see" in w for w in warn):
        advice.append(f"{FILM_ADVICE} For {exercise}: {VIEW_NEEDED[exercise]}.")
    return warn, advice


def analyse_landmarks(
    lm: Landmarks,
    *,
    exercise: str,
    path: str = "landmarks",
    fps: float | None = None,
    source: dict[str, Any] | None = None,
    holds: list[tuple[int, int]] | None = None,
) -> VideoResult:
    """The form check of one set from its landmarks.

    exercise: one of bench-press, push-up, row, overhead-press, or auto (UsageError otherwise,
    or when auto cannot tell). path names the input in errors: InputError when no frame has a
    usable pose. fps: frames per second of the source video (default: from time_s).
    holds: [start, stop) frame ranges judged as one "rep" each instead of counting reps (a
    static hold such as a plank: the push-up's body line without the movement).
    """
    check_exercise(exercise)
    if lm.frames == 0:
        raise InputError(path, None, "no frames to analyse")
    usable = lm.usable()
    if not usable.any():
        raise InputError(
            path,
            None,
            f"no person found: none of the {lm.frames} frames shows shoulders and hips. "
            + FILM_ADVICE,
        )
    first_view = camera_view(lm, usable)
    checked = gate(lm, usable, arms_in_plane=first_view.view != "front")
    good = checked.good
    if not good.any():
        good = usable  # nothing passed: measure what there is, judge nothing
    raw_centre = (midpoint(lm, "shoulder") + midpoint(lm, "hip")) / 2
    breaks = cuts(raw_centre, torso_length(lm), lm.time_s)
    smooth = _smooth(lm, good, breaks)
    view = camera_view(smooth, good)
    series = frame_series(smooth, view)
    detected = exercise == "auto"
    if detected:
        found = guess(series, good)
        if found is None:
            raise UsageError(
                "--exercise",
                f"could not tell the exercise from this {view.view} view: "
                f"give one of {', '.join(EXERCISES)}",
            )
        exercise = found
    signal = SIGNALS[exercise]
    if holds is not None:
        spans = [RepSpan(a, (a + b - 1) // 2, b - 1) for a, b in holds if b - a >= 3]
    else:
        spans = find_reps(
            series[signal.series],
            lm.time_s,
            min_range=signal.min_range,
            turn=signal.turn,
            seen=good,
            breaks=breaks,
        )
    key_vis = key_visibility(smooth, KEY_PARTS)
    weight = VIEW_WEIGHT[view.view]
    if view.view == "front":
        weight = FRONT_FRIENDLY.get(exercise, weight)
    metric_defs = METRICS[exercise]
    values = [
        rep_metrics(metric_defs, series, s, view=view.view, lm=smooth, ratio=view.ratio)
        for s in spans
    ]
    good_share = [float(checked.good[s.start : s.end + 1].mean()) for s in spans]
    judged = [g >= MIN_REP_GOOD for g in good_share]
    if spans and checked.verdict == "ok" and sum(judged) <= len(spans) / 2:
        checked.verdict = "film again"
    still = checked.good.copy()
    for sp in spans:
        still[sp.start : sp.end + 1] = False
    frame_rules = {
        m.series for m in metric_defs for r in RULES[exercise] if r.metric == m.name and r.frames
    }
    margins = set_margins(series, still, frame_rules) if holds is None else None
    if checked.verdict == "ok":
        faults, per_rep, checks = judge(
            exercise,
            values,
            series=series,
            spans=spans,
            good=checked.good,
            judged=judged,
            aspect_known=lm.width is not None and lm.height is not None,
            margins=margins,
        )
    else:
        faults, per_rep, checks = [], [[] for _ in spans], [{} for _ in spans]
    called = {f["fault"] for f in faults}
    not_called = []
    for rule in RULES[exercise]:
        hit = [i + 1 for i, c in enumerate(checks) if rule.fault in c and c[rule.fault].hit]
        could = sum(1 for c in checks if rule.fault in c and c[rule.fault].share is not None)
        if hit and rule.fault not in called:
            not_called.append(
                {
                    "fault": rule.fault,
                    "reps": hit,
                    "reps_judged": could,
                    "why": f"held in {len(hit)} of {could} judged reps, not most",
                }
            )
    t = lm.time_s
    reps = [
        RepResult(
            index=i + 1,
            span=s,
            start_s=round(float(t[s.start]), 3),
            bottom_s=round(float(t[s.bottom]), 3),
            end_s=round(float(t[s.end]), 3),
            metrics=values[i],
            faults=per_rep[i],
            confidence=confidence(key_vis, good, s, view_weight=weight),
            checks=checks[i],
            good_share=round(good_share[i], 2),
        )
        for i, s in enumerate(spans)
    ]
    warn, advice = _warnings(smooth, exercise, view.view, usable, detected)
    dropped = {k: n for k, n in checked.dropped.items() if n}
    if dropped:
        what = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in dropped.items())
        warn.append(
            f"{int((~checked.good).sum())} of {lm.frames} frames were left out by the pose "
            f"quality check ({what}; a frame can fail more than one check)."
        )
    if checked.verdict != "ok":
        warn.append(
            f"only {checked.good_share * 100:.0f}% of frames had a trustworthy skeleton"
            + (f" and {sum(judged)} of {len(spans)} reps could be judged" if spans else "")
            + ": no faults are given for this set."
        )
        advice.insert(0, FILM_AGAIN)
    if not reps:
        warn.append(
            f"no repetitions found ({signal.label} did not travel enough, or the set was not "
            "filmed whole)."
        )
    info: dict[str, dict[str, Any]] = {}
    for m in metric_defs:
        why = view_reason(m, view.view, view.ratio)
        lack = missing_parts(smooth, m.series)
        rules = [r for r in RULES[exercise] if r.metric == m.name]
        info[m.name] = {
            "unit": m.unit,
            "meaning": m.meaning,
            "null_reason": why
            or (f"the input has no {'/'.join(lack)} landmarks" if lack else None),
            "thresholds": {r.fault: r.limits[0] for r in rules},
            "margin": (margins or {}).get(m.series, margin(m.series)) if rules else None,
            "rules": {
                r.fault: r.quote((margins or {}).get(m.series, margin(m.series))) for r in rules
            },
        }
    seen = key_vis[usable]
    duration = float(t[-1] - t[0]) if lm.frames > 1 else 0.0
    rate = fps or ((lm.frames - 1) / duration if duration > 0 else 30.0)
    return VideoResult(
        exercise=exercise,
        exercise_detected=detected,
        view_needed=VIEW_NEEDED[exercise],
        view=view,
        fps=rate,
        frames=lm.frames,
        usable_frames=int(checked.good.sum()),
        reps=reps,
        faults=faults,
        faults_not_called=not_called,
        warnings=warn,
        advice=advice,
        metric_info=info,
        source=dict(source or {}),
        mean_visibility=float(seen.mean()) if seen.size else 0.0,
        landmarks=smooth,
        usable=good,
        gate=checked,
        series=series,
    )
