"""The annotated video: skeleton, rep counter, the angle that matters, faults as they happen.

A second pass over the video (every frame, upright, long side <= 720 px) draws the smoothed
landmarks of the nearest analysed frame; written as H.264 MP4 with PyAV (MPEG-4 Part 2 when
the FFmpeg build has no H.264 encoder).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from backcheck.errors import InputError, MissingExtraError
from backcheck.video.exercise import SHOWN
from backcheck.video.landmarks import INDEX
from backcheck.video.result import VideoResult

OUT_LONG_SIDE = 720
BONES: Final = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    *(
        (f"{s}_{a}", f"{s}_{b}")
        for s in ("left", "right")
        for a, b in (
            ("ear", "shoulder"),
            ("shoulder", "elbow"),
            ("elbow", "wrist"),
            ("shoulder", "hip"),
            ("hip", "knee"),
            ("knee", "ankle"),
            ("ankle", "foot_index"),
        )
    ),
)
GOOD = (60, 220, 90)
BAD = (235, 60, 50)
TEXT = (255, 255, 255)
SHADOW = (0, 0, 0)
SIDE_COLOUR = {"left": (80, 170, 255), "right": (255, 190, 60)}


def _cv2() -> Any:
    try:
        import cv2
    except ImportError as exc:
        raise MissingExtraError("video", "opencv (cv2)") from exc
    return cv2


def _label(
    cv2: Any,
    img: NDArray[np.uint8],
    text: str,
    org: tuple[int, int],
    colour: tuple[int, int, int],
    scale: float,
) -> None:
    thick = max(1, round(scale * 2))
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, SHADOW, thick + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)


def draw(
    img: NDArray[np.uint8],
    result: VideoResult,
    *,
    index: int,
    time_s: float,
) -> NDArray[np.uint8]:
    """Draw the annotations of analysed frame `index` (at video time `time_s`) on `img` (RGB,
    modified in place and returned)."""
    cv2 = _cv2()
    h, w = img.shape[:2]
    scale = max(0.45, min(w, h) / 700)
    lm = result.landmarks
    current = next((r for r in result.reps if r.start_s <= time_s <= r.end_s), None)
    faulty = bool(current and current.faults)
    if 0 <= index < lm.frames and result.usable[index]:
        pts = lm.points[index]

        def at(name: str) -> tuple[int, int] | None:
            p = pts[INDEX[name]]
            if not np.isfinite(p[:2]).all() or (np.isfinite(p[3]) and p[3] < 0.5):
                return None
            return round(float(p[0]) * w), round(float(p[1]) * h)

        colour = BAD if faulty else GOOD
        for a, b in BONES:
            pa, pb = at(a), at(b)
            if pa and pb:
                cv2.line(img, pa, pb, colour, max(2, round(3 * scale)), cv2.LINE_AA)
        for name in INDEX:
            p = at(name)
            if p and not name.startswith(("left_eye", "right_eye", "mouth")):
                side = "left" if name.startswith("left") else "right"
                cv2.circle(img, p, max(3, round(4 * scale)), SIDE_COLOUR[side], -1, cv2.LINE_AA)
    done = sum(1 for r in result.reps if r.end_s <= time_s)
    line = round(34 * scale)
    _label(cv2, img, f"{result.exercise}  reps: {done}", (10, line), TEXT, scale)
    series, name = SHOWN[result.exercise]
    if 0 <= index < lm.frames and np.isfinite(result.series[series][index]):
        _label(
            cv2, img, f"{name}: {result.series[series][index]:.0f} deg", (10, 2 * line), TEXT, scale
        )
    if current is not None:
        for k, fault in enumerate(current.faults[:3]):
            _label(cv2, img, fault.replace("_", " "), (10, (3 + k) * line), BAD, scale)
    _label(cv2, img, f"view: {result.view.view}", (10, h - 12), TEXT, scale * 0.8)
    if 0 <= index < lm.frames and not result.usable[index]:
        # dropped by the pose quality gate (or no person): nothing here is judged
        _label(cv2, img, "pose not trusted: frame left out", (10, h - 12 - line), BAD, scale * 0.8)
    return img


def write_overlay(video: str | Path, out: str | Path, result: VideoResult) -> None:
    """Write the annotated copy of `video` to `out` (mp4)."""
    import av

    from backcheck.video.decode import frames, probe

    info = probe(video)
    times = result.landmarks.time_s
    rate = Fraction(info.fps).limit_denominator(1001) if info.fps > 0 else Fraction(30)
    codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
    try:
        container = av.open(str(out), "w")
    except (av.FFmpegError, OSError) as exc:
        raise InputError(out, None, f"cannot write the annotated video ({exc})") from None
    try:
        stream: Any = None
        for frame in frames(video, long_side=OUT_LONG_SIDE, stride=1):
            if stream is None:
                stream = container.add_stream(codec, rate=rate)
                stream.width = frame.rgb.shape[1]
                stream.height = frame.rgb.shape[0]
                stream.pix_fmt = "yuv420p"
                if codec == "libx264":
                    stream.options = {"preset": "veryfast", "crf": "23"}
            i = int(np.searchsorted(times, frame.time_s, side="right")) - 1
            img = draw(frame.rgb.copy(), result, index=i, time_s=frame.time_s)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    finally:
        container.close()
