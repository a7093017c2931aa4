"""The landmarks CSV (docs/interface.md): read, written, refused with PATH:LINE when unusable."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from backcheck.errors import InputError
from backcheck.video.landmarks import INDEX, NAMES, Landmarks, read_csv, write_csv
from testdata import DATA

PLANK = DATA / "pose" / "exercise_correction_plank_test.csv"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_blazepose_names() -> None:
    assert len(NAMES) == 33
    assert NAMES[0] == "nose" and NAMES[-1] == "right_foot_index"
    assert INDEX["left_shoulder"] == 11 and INDEX["right_hip"] == 24


def test_reads_the_plank_file_like_the_csv_module() -> None:
    lm = read_csv(PLANK)
    rows = rows_of(PLANK)
    assert lm.frames == len(rows) == 710
    assert lm.labels == [r["label"] for r in rows]
    for i in (0, 355, 709):
        for name in ("nose", "left_shoulder", "right_ankle", "left_foot_index"):
            for k, axis in enumerate("xyzv"):
                assert lm.points[i, INDEX[name], k] == pytest.approx(
                    float(rows[i][f"{name}_{axis}"]), abs=5e-7
                )
    # the file has no ears or eyes: missing landmarks are NaN, never zeros
    assert np.isnan(lm.points[:, INDEX["left_ear"]]).all()
    assert not lm.has("right_eye")
    # no time_s: 30 frames per second assumed; no frame size: square
    assert lm.fps_assumed and lm.time_s[30] == pytest.approx(1.0)
    assert lm.width is None and lm.aspect == 1.0


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    pts = np.round(rng.uniform(0, 1, (5, 33, 4)), 6)
    pts[..., 3] = np.round(rng.uniform(0.6, 1, (5, 33)), 6)  # every landmark seen
    pts[2] = np.nan  # a frame without a pose
    pts[3, INDEX["left_ear"]] = np.nan  # one missing landmark
    lm = Landmarks(
        points=pts, time_s=np.array([0, 0.0667, 0.1333, 0.2, 0.2667]), width=480, height=270
    )
    out = tmp_path / "lm.csv"
    write_csv(lm, out)
    header = rows_of(out)[0].keys()
    assert list(header)[:3] == ["time_s", "nose_x", "nose_y"]
    assert "right_foot_index_v" in header and list(header)[-2:] == ["image_width", "image_height"]
    assert rows_of(out)[2]["left_shoulder_x"] == ""
    back = read_csv(out)
    np.testing.assert_array_equal(back.points, pts)
    np.testing.assert_array_equal(back.time_s, lm.time_s)
    assert (back.width, back.height) == (480, 270)
    assert back.usable().tolist() == [True, True, False, True, True]


def test_minimal_file_with_only_xy(tmp_path: Path) -> None:
    header = ["left_shoulder_x", "left_shoulder_y", "left_hip_x", "left_hip_y"]
    path = write_rows(tmp_path / "xy.csv", header, [["0.5", "0.4", "0.6", "0.7"], ["", "", "", ""]])
    lm = read_csv(path)
    assert lm.frames == 2
    assert lm.usable().tolist() == [True, False]
    assert lm.visibility("left_shoulder").tolist() == [1.0, 0.0]


def _plank_without(tmp_path: Path, drop: set[str]) -> Path:
    rows = rows_of(PLANK)[:5]
    header = [h for h in rows[0] if h not in drop]
    return write_rows(tmp_path / "cut.csv", header, [[r[h] for h in header] for r in rows])


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        ({"left_shoulder_y"}, "missing column left_shoulder_y"),
        (
            {f"{s}_hip_{a}" for s in ("left", "right") for a in "xyzv"},
            "missing columns left_hip_x/left_hip_y or right_hip_x/right_hip_y",
        ),
    ],
)
def test_missing_columns_are_refused(tmp_path: Path, drop: set[str], message: str) -> None:
    path = _plank_without(tmp_path, drop)
    with pytest.raises(InputError, match=message) as info:
        read_csv(path)
    assert info.value.line == 1
    assert str(info.value).startswith(f"{path}:1: ")


def test_not_a_landmarks_file(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "w.csv", ["date", "exercise", "reps"], [["2026-01-01", "row", "5"]]
    )
    with pytest.raises(InputError, match="not a landmarks CSV"):
        read_csv(path)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("left_shoulder_x", "abc", "left_shoulder_x 'abc' is not a number"),
        ("left_hip_v", "1.5", "left_hip_v '1.5' is not a number <= 1"),
    ],
)
def test_bad_values_name_the_line(tmp_path: Path, column: str, value: str, message: str) -> None:
    rows = rows_of(PLANK)[:6]
    rows[3][column] = value
    header = list(rows[0])
    path = write_rows(tmp_path / "bad.csv", header, [[r[h] for h in header] for r in rows])
    with pytest.raises(InputError, match=message) as info:
        read_csv(path)
    assert info.value.line == 5  # header is line 1, rows[3] is on line 5


def test_time_going_back_and_header_only(tmp_path: Path) -> None:
    header = ["time_s", "left_shoulder_x", "left_shoulder_y", "left_hip_x", "left_hip_y"]
    path = write_rows(
        tmp_path / "t.csv",
        header,
        [["0.0", "0.5", "0.4", "0.6", "0.7"], ["-1", "0.5", "0.4", "0.6", "0.7"]],
    )
    with pytest.raises(InputError, match="time_s goes back") as info:
        read_csv(path)
    assert info.value.line == 3
    only = write_rows(tmp_path / "h.csv", header, [])
    with pytest.raises(InputError):
        read_csv(only)
