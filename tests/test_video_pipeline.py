"""The real MediaPipe path on real pixels: a clip made from a public-domain photograph.

The photograph (US Navy portrait of Grace Hopper, public domain) ships inside matplotlib, a
dependency of mediapipe; see backcheck/video/synth.py. It shows the upper body only, so the
test checks what a portrait can show: the face and shoulders are found where an independent
detector (OpenCV's Haar face cascade) sees the face, phone rotation metadata is honoured, the
landmarks CSV reproduces the landmarks exactly, and the annotated video is written. No network.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mediapipe")
pytest.importorskip("av")
cv2 = pytest.importorskip("cv2")
pytest.importorskip("matplotlib")

from backcheck.errors import InputError  # noqa: E402
from backcheck.video import analyse_video, extract_landmarks  # noqa: E402
from backcheck.video.decode import VideoInfo, frames, probe  # noqa: E402
from backcheck.video.landmarks import INDEX, Landmarks, read_csv, write_csv  # noqa: E402
from backcheck.video.synth import frame_at, person_photo, write_clip  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("clips")
    return {
        "plain": write_clip(
            d / "plain.mp4", seconds=2, creation_time="2026-03-04T23:30:00.000000Z"
        ),
        "rotated": write_clip(d / "rotated.mp4", seconds=2, rotation=90),
    }


Extracted = tuple[Landmarks, VideoInfo, int]


@pytest.fixture(scope="module")
def plain(clips: dict[str, Path]) -> Extracted:
    return extract_landmarks(clips["plain"])


def face_box(rgb: np.ndarray) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the largest face found by OpenCV's Haar cascade, normalised."""
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    found = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5)
    assert len(found), "the Haar cascade finds no face: the clip is not what it should be"
    x, y, w, h = max(found, key=lambda f: f[2] * f[3])
    height, width = gray.shape
    return x / width, y / height, (x + w) / width, (y + h) / height


def test_probe_reads_the_container(clips: dict[str, Path]) -> None:
    info = probe(clips["plain"])
    assert (info.width, info.height, info.fps, info.frames) == (640, 480, 30.0, 60)
    assert info.created is not None and info.created.isoformat() == "2026-03-04T23:30:00+00:00"
    rotated = probe(clips["rotated"])
    assert rotated.rotation == 90 and (rotated.width, rotated.height) == (640, 480)


def test_frames_are_downscaled_and_strided(clips: dict[str, Path]) -> None:
    got = list(frames(clips["plain"], long_side=320, stride=3))
    assert len(got) == 20
    assert got[0].rgb.shape == (240, 320, 3)
    assert [f.index for f in got[:3]] == [0, 3, 6]
    assert got[1].time_s == pytest.approx(0.1)


def test_mediapipe_finds_face_and_shoulders_where_they_are(
    plain: Extracted, clips: dict[str, Path]
) -> None:
    lm, _info, stride = plain
    assert stride == 2 and lm.frames == 30
    assert (lm.width, lm.height) == (480, 360)
    found = np.isfinite(lm.points[:, INDEX["nose"], 0])
    assert found.mean() >= 0.9
    first = next(frames(clips["plain"], long_side=480))
    x0, y0, x1, y1 = face_box(first.rgb)
    nose = lm.points[0, INDEX["nose"]]
    assert x0 <= nose[0] <= x1 and y0 <= nose[1] <= y1
    assert nose[3] > 0.9
    for side in ("left", "right"):
        shoulder = lm.points[0, INDEX[f"{side}_shoulder"]]
        assert shoulder[1] > y1  # below the face
        assert shoulder[3] > 0.9
    # facing the camera, her left shoulder is on the image's right
    assert lm.points[0, INDEX["left_shoulder"], 0] > lm.points[0, INDEX["right_shoulder"], 0]
    # the hips are out of the picture: low visibility, so no frame has a usable pose
    assert not lm.usable().any()


def test_rotation_metadata_is_honoured(plain: Extracted, clips: dict[str, Path]) -> None:
    lm, _, _ = plain
    turned, info, _ = extract_landmarks(clips["rotated"])
    assert info.rotation == 90
    for name in ("nose", "left_shoulder", "right_shoulder"):
        np.testing.assert_allclose(
            turned.points[:, INDEX[name], :2], lm.points[:, INDEX[name], :2], atol=0.03
        )


def test_landmarks_csv_reproduces_the_landmarks(plain: Extracted, tmp_path: Path) -> None:
    lm, _, _ = plain
    write_csv(lm, tmp_path / "lm.csv")
    back = read_csv(tmp_path / "lm.csv")
    np.testing.assert_array_equal(back.points, lm.points)
    np.testing.assert_array_equal(back.time_s, lm.time_s)
    assert (back.width, back.height) == (lm.width, lm.height)


def test_portrait_is_refused_but_landmarks_are_written(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "lm.csv"
    with pytest.raises(InputError, match="no person found") as info:
        analyse_video(clips["plain"], exercise="push-up", landmarks_out=out)
    assert "whole body in frame" in str(info.value)
    assert read_csv(out).frames == 30


def test_video_without_a_person(tmp_path: Path) -> None:
    grey = np.full((300, 300, 3), 128, dtype=np.uint8)
    cv2.rectangle(grey, (50, 50), (150, 200), (20, 90, 200), -1)
    clip = write_clip(tmp_path / "empty.mp4", seconds=1, photo=grey)
    with pytest.raises(InputError, match="no person found"):
        analyse_video(clip, exercise="row")


def test_annotated_video(clips: dict[str, Path], tmp_path: Path) -> None:
    from backcheck.video.analyse import analyse_landmarks
    from backcheck.video.overlay import write_overlay

    lm, _, _ = extract_landmarks(clips["plain"])
    # let the portrait count as a pose (hips seen) so the whole overlay is drawn
    lm.points[:, [INDEX["left_hip"], INDEX["right_hip"]], 3] = 0.9
    result = analyse_landmarks(lm, exercise="overhead-press")
    out = tmp_path / "annotated.mp4"
    write_overlay(clips["plain"], out, result)
    info = probe(out)
    assert (info.width, info.height, info.frames) == (640, 480, 60)
    drawn = next(frames(out, long_side=None)).rgb.astype(int)
    source = frame_at(person_photo(), i=0, width=640, height=480).astype(int)
    # the skeleton is drawn over the shoulders: those pixels differ from the photo's
    x, y = (lm.points[0, INDEX["left_shoulder"], :2] * [640, 480]).astype(int)
    patch = drawn[y - 4 : y + 5, x - 4 : x + 5]
    assert np.abs(patch - source[y - 4 : y + 5, x - 4 : x + 5]).max() > 60


def test_no_download_the_model_ships_in_the_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    import mediapipe

    from backcheck.video.pose import PoseRunner

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    model = Path(mediapipe.__file__).parent / "modules/pose_landmark/pose_landmark_full.tflite"
    assert model.is_file()
    with PoseRunner() as pose:
        found = pose.process(frame_at(person_photo(), i=0, width=480, height=360))
    assert found is not None and found.shape == (33, 4)
