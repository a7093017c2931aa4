"""Angle math on hand-computed points (image coordinates: y points down)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backcheck.video.angles import (
    distance,
    from_vertical,
    joint_angle,
    joint_angle_3d,
    lean,
    line_offset,
    segment_angle,
    to_horizontal,
)


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((0, 0), (1, 0), (2, 0), 180.0),  # straight line
        ((1, 0), (0, 0), (0, 1), 90.0),  # right angle
        ((1, 0), (0, 0), (1, 1), 45.0),
        ((1, 0), (0, 0), (-1, 1), 135.0),
        ((1, 0), (0, 0), (1, 0), 0.0),  # folded onto itself
        ((2, 0), (0, 0), (1, math.sqrt(3)), 60.0),  # equilateral corner
        ((0, -1), (0, 0), (-1, 1), 135.0),  # crosses the atan2 branch cut: folded to <= 180
        ((-1, 0.0001), (0, 0), (-1, -0.0001), 2 * math.degrees(math.atan(0.0001))),
    ],
)
def test_joint_angle_2d(a: tuple, b: tuple, c: tuple, expected: float) -> None:
    assert float(joint_angle(a, b, c)) == pytest.approx(expected, abs=1e-9)
    assert float(joint_angle(c, b, a)) == pytest.approx(expected, abs=1e-9)  # symmetric


def test_joint_angle_ignores_z_and_vectorises() -> None:
    a = np.array([[1, 0, 5], [0, 1, -3]])
    b = np.array([[0, 0, 0], [0, 0, 0]])
    c = np.array([[0, 1, 9], [0, -1, 2]])
    assert joint_angle(a, b, c).tolist() == pytest.approx([90.0, 180.0])


def test_joint_angle_nan_and_degenerate() -> None:
    assert math.isnan(float(joint_angle((np.nan, 0), (0, 0), (1, 1))))
    assert math.isnan(float(joint_angle((0, 0), (0, 0), (1, 1))))  # zero-length side
    with pytest.raises(ValueError, match="a: last axis"):
        joint_angle((1, 2, 3, 4), (0, 0), (1, 1))


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((1, 0, 0), (0, 0, 0), (0, 0, 1), 90.0),
        ((1, 1, 0), (0, 0, 0), (0, 0, 5), 90.0),
        ((1, 0, 0), (0, 0, 0), (1, 1, math.sqrt(2)), 60.0),  # cos = 1/2
        ((1, 2, 3), (0, 0, 0), (-2, -4, -6), 180.0),
    ],
)
def test_joint_angle_3d(a: tuple, b: tuple, c: tuple, expected: float) -> None:
    assert float(joint_angle_3d(a, b, c)) == pytest.approx(expected, abs=1e-6)


def test_3d_differs_from_2d_when_depth_matters() -> None:
    # seen from the front the arm looks straight; in depth it bends 90 degrees
    a, b, c = (0, 0, 0), (1, 0, 0), (2, 0, 1)
    assert float(joint_angle(a, b, c)) == pytest.approx(180.0)
    assert float(joint_angle_3d(a, b, c)) == pytest.approx(135.0)


@pytest.mark.parametrize(
    ("p", "q", "expected"),
    [
        ((0, 0), (1, 0), 0.0),
        ((0, 0), (-1, 0), 0.0),
        ((0, 0), (0, -1), 90.0),
        ((0, 0), (1, -1), 45.0),
        ((0, 0), (-math.sqrt(3), -1), 30.0),  # torso 30 deg above horizontal, facing left
        ((0, 0), (1, math.sqrt(3)), 60.0),
    ],
)
def test_to_horizontal_and_from_vertical(p: tuple, q: tuple, expected: float) -> None:
    assert float(to_horizontal(p, q)) == pytest.approx(expected)
    assert float(from_vertical(p, q)) == pytest.approx(90.0 - expected)


def test_line_offset_sign_says_above_or_below() -> None:
    # shoulder (0, 0), ankle (2, 0); hip 1 unit off a 2-unit line: bend = 2 * atan(1) = 90
    assert float(line_offset((0, 0), (1, -1), (2, 0))) == pytest.approx(90.0)  # hips high
    assert float(line_offset((0, 0), (1, 1), (2, 0))) == pytest.approx(-90.0)  # sagging
    # the same body facing the other way gives the same sign
    assert float(line_offset((2, 0), (1, -1), (0, 0))) == pytest.approx(90.0)
    assert float(line_offset((2, 0), (1, 1), (0, 0))) == pytest.approx(-90.0)
    # a sloped body line (push-up): hip 0.1 below the midpoint of a line of length 2
    s, a = np.array([0.0, 0.0]), np.array([2.0 * math.cos(0.3), 2.0 * math.sin(0.3)])
    normal_down = np.array([-math.sin(0.3), math.cos(0.3)])
    hip = (s + a) / 2 + 0.1 * normal_down
    assert float(line_offset(s, hip, a)) == pytest.approx(-2 * math.degrees(math.atan(0.1)))
    assert float(line_offset((0, 0), (1, 0), (2, 0))) == pytest.approx(0.0)


def test_lean_signs() -> None:
    # facing image right (+1): a shoulder up and to the left of the hip leans back 45 deg
    assert float(lean((0, 0), (-1, -1), 1)) == pytest.approx(45.0)
    assert float(lean((0, 0), (1, -1), 1)) == pytest.approx(-45.0)
    # facing left (-1): the same point is leaning forward
    assert float(lean((0, 0), (-1, -1), -1)) == pytest.approx(-45.0)
    assert float(lean((0, 0), (0, -1), -1)) == pytest.approx(0.0)
    assert float(lean((0, 0), (-math.sqrt(3), -1), 1)) == pytest.approx(60.0)


def test_segment_angle_and_distance() -> None:
    # shoulders level, wrists 1 unit apart vertically over 10 horizontally
    tilt = segment_angle((0, 0), (10, 0), (0, 0), (10, 1))
    assert float(tilt) == pytest.approx(math.degrees(math.atan(0.1)))
    # direction of either line does not matter
    assert float(segment_angle((10, 0), (0, 0), (0, 0), (10, 1))) == pytest.approx(float(tilt))
    assert float(segment_angle((0, 0), (1, 0), (0, 0), (0, 1))) == pytest.approx(90.0)
    assert float(distance((0, 0), (3, 4))) == pytest.approx(5.0)
