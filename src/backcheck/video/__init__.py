"""Form check from video (the `video` extra): frames -> landmarks -> reps -> metrics -> faults.

    from backcheck.video import analyse_video
    result = analyse_video("set.mp4", exercise="push-up", out="annotated.mp4")
    result.to_json()   # backcheck.video/1

PATH may also be a landmarks CSV (docs/interface.md), which needs NumPy only. OpenCV, MediaPipe and
PyAV are imported when a video is read (MissingExtraError names the extra when they are not
installed). Nothing is downloaded: MediaPipe's bundled "full" pose model is used.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcheck.errors import InputError, MissingExtraError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    from numpy.typing import NDArray

    from backcheck.video.decode import VideoInfo
    from backcheck.video.landmarks import Landmarks
    from backcheck.video.result import VideoResult

__all__ = ["LONG_SIDE", "MAX_POSE_FPS", "analyse_video", "extract_landmarks"]

#: Frames are scaled so their long side is at most this many pixels before pose inference.
LONG_SIDE = 480
#: Pose runs on at most this many frames a second of video (every 2nd frame of a 30 fps video);
#: reps last a second or more, so 15 samples a second keep their shape (benchmarks/video_speed.py).
MAX_POSE_FPS = 15.0


def _numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("video", "numpy") from exc


def stride_for(fps: float, max_pose_fps: float = MAX_POSE_FPS) -> int:
    """Analyse every n-th frame so that at most `max_pose_fps` frames a second are posed."""
    if max_pose_fps <= 0:
        raise ValueError("max_pose_fps must be > 0")
    return max(1, round(fps / max_pose_fps)) if fps > 0 else 1


def extract_landmarks(
    path: str | Path,
    *,
    long_side: int = LONG_SIDE,
    max_pose_fps: float = MAX_POSE_FPS,
    progress: Callable[[int, int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[Landmarks, VideoInfo, int]:
    """Run MediaPipe Pose over the video at `path`: (landmarks, video info, stride).

    Landmarks are rounded as the CSV stores them, so a CSV written from them reproduces the
    analysis exactly. progress(done, total) is called as frames are posed. InputError for a
    file that is not a readable video.
    """
    _numpy()
    import numpy as np

    from backcheck.video.decode import frames, probe
    from backcheck.video.landmarks import Landmarks, quantize
    from backcheck.video.pose import PoseRunner

    p = Path(path)
    info = probe(p)
    stride = stride_for(info.fps, max_pose_fps)
    total = info.frames // stride if info.frames else 0
    rows: list[NDArray[np.float64]] = []
    times: list[float] = []
    size = (0, 0)
    empty = np.full((33, 4), np.nan)
    pose_s = wait_s = 0.0
    with PoseRunner() as pose:
        mark = time.perf_counter()
        for frame in frames(p, long_side=long_side, stride=stride):
            now = time.perf_counter()
            wait_s += now - mark
            size = (frame.rgb.shape[1], frame.rgb.shape[0])
            found = pose.process(frame.rgb)
            mark = time.perf_counter()
            pose_s += mark - now
            rows.append(empty if found is None else found)
            times.append(frame.time_s)
            if progress is not None:
                progress(len(rows), max(total, len(rows)))
    if timings is not None:
        timings.update(decode_wait_s=wait_s, pose_s=pose_s, posed_frames=float(len(rows)))
    if not rows:
        raise InputError(p, None, "the video stream holds no frames")
    lm = Landmarks(
        points=quantize(np.stack(rows)),
        time_s=quantize(np.asarray(times, dtype=np.float64)),
        width=size[0],
        height=size[1],
    )
    return lm, info, stride


def _is_landmarks(p: Path) -> bool:
    from backcheck.video.landmarks import looks_like_csv

    return looks_like_csv(p)


def analyse_video(
    path: str | Path,
    *,
    exercise: str,
    out: str | Path | None = None,
    landmarks_out: str | Path | None = None,
    long_side: int = LONG_SIDE,
    max_pose_fps: float = MAX_POSE_FPS,
    progress: Callable[[int, int], None] | None = None,
) -> VideoResult:
    """Form check of one set filmed in `path` (mp4, mov, webm, avi ...) or of a landmarks CSV.

    exercise: bench-press, push-up, row, overhead-press or auto. out: write an annotated video
    (mp4; needs the video). landmarks_out: write the landmarks CSV (before the analysis, so it
    exists even when no rep is found). InputError for unreadable input or no person found;
    UsageError for a bad exercise. result.timings holds seconds per stage.
    """
    _numpy()
    from backcheck.video.analyse import analyse_landmarks
    from backcheck.video.exercise import check_exercise
    from backcheck.video.landmarks import read_csv, write_csv

    check_exercise(exercise)
    p = Path(path)
    if not p.exists():
        raise InputError(p, None, "no such file")
    if p.is_dir():
        raise InputError(p, None, "is a folder, not a video")
    if p.stat().st_size == 0:
        raise InputError(p, None, "empty file (0 bytes): not a video or landmarks CSV")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    source: dict[str, Any] = {"name": p.name}
    info = None
    if _is_landmarks(p):
        if out is not None:
            raise UsageError("--out", "needs a video: a landmarks CSV has no pixels to draw on")
        lm = read_csv(p)
        source.update(kind="landmarks", columns=len(lm.source_columns))
        fps = None
    else:
        lm, info, stride = extract_landmarks(
            p, long_side=long_side, max_pose_fps=max_pose_fps, progress=progress, timings=timings
        )
        fps = info.fps
        source.update(
            kind="video",
            width=info.width,
            height=info.height,
            rotation=info.rotation,
            codec=info.codec,
            duration_s=round(info.duration_s, 3),
            video_frames=info.frames,
            stride=stride,
            analysed_fps=round(info.fps / stride, 3),
            pose_size=[lm.width, lm.height],
        )
    timings["landmarks_s"] = time.perf_counter() - start
    outputs: dict[str, str] = {}
    if landmarks_out is not None:
        try:
            write_csv(lm, landmarks_out)
        except OSError as exc:
            raise InputError(
                landmarks_out, None, f"cannot write the landmarks CSV ({exc.strerror})"
            ) from None
        outputs["landmarks"] = str(landmarks_out)
    mark = time.perf_counter()
    result = analyse_landmarks(lm, exercise=exercise, path=str(p), fps=fps, source=source)
    timings["analysis_s"] = time.perf_counter() - mark
    if info is not None:
        result.recorded_at = info.created
    if out is not None and info is not None:
        from backcheck.video.overlay import write_overlay

        mark = time.perf_counter()
        write_overlay(p, out, result)
        timings["overlay_s"] = time.perf_counter() - mark
        outputs["video"] = str(out)
    result.outputs = outputs
    result.timings = timings
    return result
