"""Synthetic lifters with a known number of reps and known angles (forward kinematics of a
stick figure, written here independently of backcheck.video), and what the analysis finds.

Coordinates are built in "square units" (1 = frame height, y down) for a 16:9 frame and then
normalised like MediaPipe's output (x / aspect). The near side is seen (visibility 0.98), the
far side hidden behind it (0.2), as in a side view.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from backcheck.video.analyse import analyse_landmarks
from backcheck.video.landmarks import INDEX, Landmarks

ASPECT = 16 / 9
U = F = 0.16  # upper arm, forearm (square units)
Pt = tuple[float, float]


def phases(reps: int, *, fps: float, rep_s: float, pause_s: float) -> np.ndarray:
    """Movement phase 0-1-0 per frame: a pause at 0, then `reps` cosine dips to 1 and back."""
    one = np.concatenate(
        [
            np.zeros(round(pause_s * fps)),
            (1 - np.cos(np.linspace(0, 2 * np.pi, round(rep_s * fps), endpoint=False))) / 2,
        ]
    )
    return np.concatenate([np.tile(one, reps), np.zeros(round(pause_s * fps))])


def elbow_between(s: Pt, w: Pt, side: float) -> Pt:
    """The elbow U from the shoulder and F from the wrist; `side` picks the solution."""
    d = math.dist(s, w)
    a = (U**2 - F**2 + d**2) / (2 * d)
    h = math.sqrt(max(U**2 - a**2, 0.0))
    ux, uy = (w[0] - s[0]) / d, (w[1] - s[1]) / d
    return s[0] + a * ux - side * h * uy, s[1] + a * uy + side * h * ux


def arm_reach(theta_deg: float) -> float:
    """Shoulder-wrist distance for an elbow angle (law of cosines)."""
    return math.sqrt(U**2 + F**2 - 2 * U * F * math.cos(math.radians(theta_deg)))


def pose_frame(joints: dict[str, Pt], *, far: Pt = (0.004, -0.008)) -> np.ndarray:
    """(33, 4) normalised landmarks: `joints` by part for the near (left) side."""
    out = np.full((33, 4), np.nan)
    for part, (x, y) in joints.items():
        if part == "nose":
            out[INDEX["nose"]] = (x / ASPECT, y, -0.2, 0.99)
            continue
        out[INDEX[f"left_{part}"]] = (x / ASPECT, y, -0.1, 0.98)
        out[INDEX[f"right_{part}"]] = ((x + far[0]) / ASPECT, y + far[1], 0.1, 0.2)
    return out


def rotate(v: Pt, deg: float) -> Pt:
    """`v` turned by `deg` degrees clockwise on screen (y down): up, when `v` points -x."""
    r = math.radians(deg)
    return v[0] * math.cos(r) - v[1] * math.sin(r), v[0] * math.sin(r) + v[1] * math.cos(r)


def pushup_frame(theta: float, *, sag: float, head_deg: float = 0.0) -> np.ndarray:
    """Push-up, facing image left, hands under the shoulders, elbow angle `theta`.
    sag: hip displacement from the shoulder-ankle line (square units, + = down)."""
    floor, ankle, body = 0.85, (1.45, 0.82), 0.75
    reach = arm_reach(theta)
    sy = floor - reach
    sx = ankle[0] - math.sqrt(body**2 - (ankle[1] - sy) ** 2)
    s, w = (sx, sy), (sx, floor)
    e = elbow_between(s, w, side=-1.0)  # elbow towards the feet
    ux, uy = (ankle[0] - sx) / body, (ankle[1] - sy) / body
    nx, ny = (-uy, ux) if ux > 0 else (uy, -ux)  # normal pointing down
    hip = ((sx + ankle[0]) / 2 + sag * nx, (sy + ankle[1]) / 2 + sag * ny)
    v = (sx - hip[0], sy - hip[1])
    n = math.hypot(*v)
    v = rotate((v[0] / n, v[1] / n), head_deg)
    ear = (sx + 0.12 * v[0], sy + 0.12 * v[1])
    return pose_frame(
        {
            "shoulder": s,
            "elbow": e,
            "wrist": w,
            "hip": hip,
            "knee": ((hip[0] + ankle[0]) / 2, (hip[1] + ankle[1]) / 2),
            "ankle": ankle,
            "heel": (ankle[0] + 0.02, ankle[1] - 0.02),
            "foot_index": (ankle[0] + 0.01, ankle[1] + 0.03),
            "ear": ear,
            "nose": (ear[0] + 0.05 * v[0], ear[1] + 0.05 * v[1] + 0.02),
        }
    )


def row_frame(p: float, *, torso_deg: float) -> np.ndarray:
    """Bent-over row, facing image left: torso `torso_deg` above horizontal; p = 0 arms
    hanging, 1 = upper arm pulled back level with the floor, forearm vertical."""
    hip, t_len = (1.0, 0.55), 0.3
    r = math.radians(torso_deg)
    s = (hip[0] - t_len * math.cos(r), hip[1] - t_len * math.sin(r))
    a = math.radians(90 * p)  # upper arm from hanging (0) to pointing back (90)
    e = (s[0] + U * math.sin(a), s[1] + U * math.cos(a))
    w = (e[0], e[1] + F)
    ear = (s[0] - 0.12 * math.cos(r), s[1] - 0.12 * math.sin(r))
    return pose_frame(
        {
            "shoulder": s,
            "elbow": e,
            "wrist": w,
            "hip": hip,
            "knee": (hip[0] - 0.05, 0.75),
            "ankle": (hip[0], 0.95),
            "ear": ear,
            "nose": (ear[0] - 0.04, ear[1] + 0.02),
        }
    )


def press_frame(p: float, *, lean_deg: float, head_deg: float) -> np.ndarray:
    """Overhead press, facing image left: p = 0 bar at the shoulders (elbow 60 deg), 1 =
    locked out overhead (180); torso leaning back `lean_deg`, ear forward `head_deg`."""
    hip, t_len = (0.9, 0.6), 0.3
    r = math.radians(lean_deg)
    s = (hip[0] + t_len * math.sin(r), hip[1] - t_len * math.cos(r))
    g = math.radians(120 * (1 - p))  # upper arm from straight up, turned forward
    e = (s[0] - U * math.sin(g), s[1] - U * math.cos(g))
    w = (e[0], e[1] - F)
    h = math.radians(head_deg)
    ear = (s[0] - 0.12 * math.sin(h), s[1] - 0.12 * math.cos(h))
    return pose_frame(
        {
            "shoulder": s,
            "elbow": e,
            "wrist": w,
            "hip": hip,
            "knee": (hip[0], 0.78),
            "ankle": (hip[0], 0.95),
            "ear": ear,
            "nose": (ear[0] - 0.05, ear[1] + 0.02),
        }
    )


def sequence(
    frame: Callable[[float], np.ndarray],
    reps: int,
    *,
    fps: float = 30.0,
    rep_s: float = 2.0,
    pause_s: float = 0.8,
    noise: float = 0.0,
    seed: int = 0,
) -> Landmarks:
    """Landmarks of `reps` reps; frame(phase) draws one frame (phase 0 = rest, 1 = turn)."""
    ph = phases(reps, fps=fps, rep_s=rep_s, pause_s=pause_s)
    pts = np.stack([frame(float(p)) for p in ph])
    if noise:
        rng = np.random.default_rng(seed)
        pts[..., :2] += rng.normal(0, noise, pts[..., :2].shape)
    return Landmarks(
        points=pts,
        time_s=np.arange(len(ph)) / fps,
        width=1280,
        height=720,
    )


def pushups(
    reps: int,
    *,
    sag: float = 0.0,
    head_deg: float = 0.0,
    bottom: float = 70.0,
    noise: float = 0.0,
    seed: int = 0,
) -> Landmarks:
    """`reps` push-ups, elbow 170 deg at the top and `bottom` deg at the bottom."""
    return sequence(
        lambda p: pushup_frame(170 - (170 - bottom) * p, sag=sag, head_deg=head_deg),
        reps,
        noise=noise,
        seed=seed,
    )


def sag_for(offset_deg: float) -> float:
    """Hip displacement that bends a 0.75-long body line by `offset_deg` (isosceles)."""
    return 0.375 * math.tan(math.radians(abs(offset_deg) / 2))


# --- rep counting -----------------------------------------------------------------------


@pytest.mark.parametrize("reps", [1, 3, 8])
@pytest.mark.parametrize("noise", [0.0, 0.004])
def test_pushup_reps_counted(reps: int, noise: float) -> None:
    result = analyse_landmarks(pushups(reps, noise=noise, seed=reps), exercise="push-up")
    assert len(result.reps) == reps
    assert result.view.view == "side"
    assert result.view.near_side == "left"
    assert result.view.facing == -1
    for r in result.reps:
        assert r.start_s < r.bottom_s < r.end_s


def test_rep_times_match_the_movement() -> None:
    # pause 0.8 s, then a 2 s dip whose deepest point is 1 s in: rep k bottoms at
    # 0.8 + 1.0 + k * 2.8 seconds.
    result = analyse_landmarks(pushups(4), exercise="push-up")
    for k, r in enumerate(result.reps):
        assert r.bottom_s == pytest.approx(1.8 + 2.8 * k, abs=0.1)
        assert 0.8 + 2.8 * k <= r.start_s < r.bottom_s
        assert r.end_s <= 0.8 + 2.8 * (k + 1) + 0.05


def test_shallow_dips_are_not_reps() -> None:
    # The elbow moves 170 -> 150 deg only: under the 35 deg that makes a rep.
    result = analyse_landmarks(pushups(5, bottom=150.0), exercise="push-up")
    assert result.reps == []
    assert any("no repetitions" in w for w in result.warnings)


@pytest.mark.parametrize("reps", [2, 6])
def test_row_reps_counted(reps: int) -> None:
    lm = sequence(lambda p: row_frame(p, torso_deg=30), reps, noise=0.002, seed=1)
    result = analyse_landmarks(lm, exercise="row")
    assert len(result.reps) == reps


@pytest.mark.parametrize("reps", [1, 5])
def test_press_reps_counted(reps: int) -> None:
    lm = sequence(lambda p: press_frame(p, lean_deg=5, head_deg=5), reps, rep_s=2.5)
    result = analyse_landmarks(lm, exercise="overhead-press")
    assert len(result.reps) == reps
    # the turning point of a press is the lockout: wrists highest, elbows straightest
    for r in result.reps:
        assert r.metrics["lockout_elbow_deg"].value == pytest.approx(180, abs=3)


def test_gap_without_pose_is_bridged_or_split() -> None:
    lm = pushups(4)
    short = lm.points.copy()
    short[100:106] = np.nan  # 0.2 s without a person: bridged
    assert len(analyse_landmarks(lm.with_points(short), exercise="push-up").reps) == 4
    result = analyse_landmarks(lm.with_points(short), exercise="push-up")
    assert result.usable_frames == lm.frames - 6
    assert result.to_json()["frames_unusable"] == 6


# --- metrics and faults ------------------------------------------------------------------


def test_straight_pushups_have_no_body_line_fault() -> None:
    result = analyse_landmarks(pushups(3, noise=0.002), exercise="push-up")
    for r in result.reps:
        assert r.metrics["hip_offset_deg"].value == pytest.approx(0, abs=3)
        assert r.metrics["body_line_deg"].value == pytest.approx(180, abs=3)
        assert r.metrics["depth_elbow_deg"].value == pytest.approx(70, abs=4)
    assert not {f["fault"] for f in result.faults} & {"hip_sag", "hips_high", "partial_depth"}


@pytest.mark.parametrize(
    ("offset", "fault", "severity"),
    [
        (-15.0, "hip_sag", "mild"),
        (-25.0, "hip_sag", "moderate"),
        (-35.0, "hip_sag", "severe"),
        (65.0, "hips_high", "mild"),
    ],
)
def test_body_line_faults_and_severity(offset: float, fault: str, severity: str) -> None:
    sag = math.copysign(sag_for(offset), -offset)
    result = analyse_landmarks(pushups(3, sag=sag), exercise="push-up")
    for r in result.reps:
        assert r.metrics["hip_offset_deg"].value == pytest.approx(offset, abs=1.0)
        assert fault in r.faults
    found = {f["fault"]: f for f in result.faults}
    assert found[fault]["reps"] == [1, 2, 3]
    assert found[fault]["severity"] == severity
    assert found[fault]["grade"] == "C"
    assert "not a cause" in found[fault]["text"]
    assert found[fault]["cue"]


def test_partial_depth_fault() -> None:
    result = analyse_landmarks(pushups(3, bottom=120.0), exercise="push-up")
    found = {f["fault"]: f for f in result.faults}
    assert found["partial_depth"]["severity"] == "moderate"  # 120 deg: past 115, under 130


def test_head_drop_fault() -> None:
    result = analyse_landmarks(pushups(3, head_deg=-35.0), exercise="push-up")
    for r in result.reps:
        assert r.metrics["head_offset_deg"].value == pytest.approx(-35, abs=1.5)
    assert "head_drop" in {f["fault"] for f in result.faults}


def test_row_torso_and_swing() -> None:
    upright = sequence(lambda p: row_frame(p, torso_deg=60), 3)
    result = analyse_landmarks(upright, exercise="row")
    assert result.reps[0].metrics["torso_deg"].value == pytest.approx(60, abs=1)
    found = {f["fault"]: f for f in result.faults}
    assert found["torso_upright"]["severity"] == "moderate"
    swing = sequence(lambda p: row_frame(p, torso_deg=30 + 24 * p), 3)
    result = analyse_landmarks(swing, exercise="row")
    # the rep starts once the wrist has left its hanging position (5% of its travel), so a
    # little of the 24 deg swing happens before it
    change = result.reps[0].metrics["torso_change_deg"].value
    assert change is not None and 20.0 <= change <= 24.5
    assert "body_swing" in {f["fault"] for f in result.faults}
    assert "torso_upright" not in {f["fault"] for f in result.faults}


def test_press_lean_back_and_head_forward() -> None:
    lm = sequence(lambda p: press_frame(p, lean_deg=28, head_deg=45), 2, rep_s=2.5)
    result = analyse_landmarks(lm, exercise="overhead-press")
    r = result.reps[0]
    assert r.metrics["lean_back_deg"].value == pytest.approx(28, abs=1)
    assert r.metrics["head_forward_deg"].value == pytest.approx(45, abs=1)
    found = {f["fault"]: f["severity"] for f in result.faults}
    assert found == {"lean_back": "moderate", "head_forward": "moderate"}


def test_front_view_metrics_are_null_with_reason() -> None:
    result = analyse_landmarks(pushups(2), exercise="bench-press")
    r = result.reps[0]
    assert r.metrics["elbow_flare_deg"].value is None
    assert "front" in (r.metrics["elbow_flare_deg"].why or "")
    assert result.to_json()["metrics"]["elbow_flare_deg"]["null_reason"]


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (lambda p: pushup_frame(170 - 100 * p, sag=0.0), "push-up"),
        (lambda p: row_frame(p, torso_deg=30), "row"),
        (lambda p: press_frame(p, lean_deg=3, head_deg=0), "overhead-press"),
    ],
)
def test_exercise_recognised(frame: Callable[[float], np.ndarray], expected: str) -> None:
    result = analyse_landmarks(sequence(frame, 2), exercise="auto")
    assert result.exercise == expected
    assert result.exercise_detected


def test_landmarks_csv_reproduces_the_analysis(tmp_path: Path) -> None:
    from backcheck.video.landmarks import quantize, read_csv, write_csv

    lm = pushups(3, sag=sag_for(28), noise=0.003, seed=7)
    lm = Landmarks(points=quantize(lm.points), time_s=quantize(lm.time_s), width=1280, height=720)
    write_csv(lm, tmp_path / "lm.csv")
    again = read_csv(tmp_path / "lm.csv")
    first = analyse_landmarks(lm, exercise="push-up").to_json()
    second = analyse_landmarks(again, exercise="push-up").to_json()
    assert first == second
    assert len(first["reps"]) == 3 and first["faults"]
