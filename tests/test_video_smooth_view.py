"""One-Euro smoothing, camera view and stride: small cases whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backcheck.video import stride_for
from backcheck.video.landmarks import INDEX, Landmarks, empty_points
from backcheck.video.smooth import one_euro, smooth_points
from backcheck.video.view import camera_view, classify


def test_constant_signal_is_unchanged() -> None:
    t = np.arange(50) / 30
    x = np.full((50, 2), 0.37)
    np.testing.assert_allclose(one_euro(x, t), x)


def test_jitter_is_reduced_and_a_move_is_followed() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(300) / 30
    still = 0.5 + rng.normal(0, 0.005, 300)
    out = one_euro(still[:, None], t)[:, 0]
    assert out[30:].std() < 0.5 * still[30:].std()
    # a fast move of 0.3 in 0.2 s: within 0.1 s of its end the filter is within 0.02
    move = np.where(t < 5, 0.2, np.minimum(0.5, 0.2 + (t - 5) * 1.5))
    followed = one_euro(move[:, None], t)[:, 0]
    assert abs(followed[np.searchsorted(t, 5.3)] - 0.5) < 0.02


def test_first_order_lag_matches_the_formula() -> None:
    # beta = 0: a plain exponential filter with alpha = 1 / (1 + tau / dt), tau = 1 / (2 pi fc)
    t = np.arange(4) / 10
    x = np.array([0.0, 1.0, 1.0, 1.0])[:, None]
    a = 1 / (1 + (1 / (2 * math.pi * 1.0)) / 0.1)
    out = one_euro(x, t, min_cutoff=1.0, beta=0.0)[:, 0]
    assert out.tolist() == pytest.approx([0.0, a, a + (1 - a) * a, 1 - (1 - a) ** 3])


def test_missing_values_restart_the_filter() -> None:
    t = np.arange(6) / 30
    x = np.array([0.0, 0.0, np.nan, 1.0, 1.0, 1.0])[:, None]
    out = one_euro(x, t)[:, 0]
    assert math.isnan(out[2])
    assert out[3] == 1.0  # restarted at the new value, no lag from before the gap


def test_long_gap_restarts_and_visibility_is_kept() -> None:
    pts = np.zeros((3, 33, 4))
    pts[:, :, 0] = [[0.1], [0.1], [0.9]]
    pts[:, :, 3] = [[0.3], [0.7], [0.5]]
    out = smooth_points(pts, np.array([0.0, 0.033, 2.0]))
    assert out[2, 0, 0] == pytest.approx(0.9)  # 2 s gap: no smoothing across it
    np.testing.assert_array_equal(out[..., 3], pts[..., 3])


@pytest.mark.parametrize(
    ("ratio", "view"),
    [(0.05, "side"), (0.29, "side"), (0.4, "oblique"), (0.7, "front"), (None, "unknown")],
)
def test_view_from_ratio(ratio: float | None, view: str) -> None:
    assert classify(ratio) == view


def _torso(yaw_deg: float) -> Landmarks:
    """A standing torso turned `yaw_deg` from facing the camera (0 = front, 90 = side):
    shoulders 0.28 apart, hips 0.2 apart, torso 0.4 long; the near side is the left."""
    yaw = math.radians(yaw_deg)
    pts = empty_points(1)
    for side, sign in (("left", 1), ("right", -1)):
        for part, half, y in (("shoulder", 0.14, 0.3), ("hip", 0.10, 0.7), ("ear", 0.06, 0.2)):
            pts[0, INDEX[f"{side}_{part}"]] = (
                0.5 + sign * half * math.cos(yaw),
                y,
                -sign * math.sin(yaw),
                0.9 if sign > 0 else 0.6,
            )
    pts[0, INDEX["nose"]] = (0.5 - 0.05 * math.sin(yaw), 0.22, -0.3, 0.9)
    return Landmarks(points=pts, time_s=np.zeros(1), width=100, height=100)


@pytest.mark.parametrize(
    ("yaw", "view"), [(0, "front"), (30, "front"), (55, "oblique"), (80, "side"), (90, "side")]
)
def test_view_of_a_turning_torso(yaw: float, view: str) -> None:
    lm = _torso(yaw)
    info = camera_view(lm, lm.usable())
    # shoulder width seen = 0.28 cos(yaw); torso 0.4
    assert info.ratio == pytest.approx(0.28 * math.cos(math.radians(yaw)) / 0.4, abs=1e-3)
    assert info.view == view
    assert info.near_side == "left"


def test_facing_from_nose_and_ears() -> None:
    lm = _torso(90)
    assert camera_view(lm, lm.usable()).facing == -1  # nose left of the ears
    lm.points[0, INDEX["nose"], 0] = 0.6
    assert camera_view(lm, lm.usable()).facing == 1


@pytest.mark.parametrize(
    ("fps", "stride"), [(30, 2), (29.97, 2), (60, 4), (15, 1), (24, 2), (120, 8), (0, 1)]
)
def test_stride_keeps_at_most_15_frames_a_second(fps: float, stride: int) -> None:
    assert stride_for(fps) == stride
