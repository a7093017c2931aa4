"""MediaPipe Pose (0.10.21, the `video` extra) on RGB frames: 33 BlazePose landmarks a frame.

Runs the "full" model (model_complexity=1) that ships inside the mediapipe wheel: nothing is
downloaded. Video mode: the person found in one frame is tracked into the next (the detector
runs again only when tracking is lost). MediaPipe's own smoothing is off: backcheck smooths
the same way for videos and landmarks files (smooth.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backcheck.errors import MissingExtraError
from backcheck.video.landmarks import NAMES

MODEL_COMPLEXITY = 1  # "full": the only BlazePose model bundled in the wheel


@contextmanager
def _quiet_native_logs() -> Iterator[None]:
    """Silence stderr of the native libraries (TensorFlow Lite's "Created delegate" lines)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        _flush_c_stdio()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _flush_c_stdio() -> None:
    """Flush C-level stdio buffers (what native code printed) before stderr is restored."""
    try:
        import ctypes

        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass


def _mediapipe_pose() -> Any:
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from mediapipe.python.solutions import pose as mp_pose
    except ImportError as exc:
        raise MissingExtraError("video", f"mediapipe ({exc.name or exc})") from exc
    return mp_pose


class PoseRunner:
    """`with PoseRunner() as pose: points = pose.process(rgb)` (one person per frame).

    min_detection / min_tracking: MediaPipe's confidence thresholds (0-1).
    """

    def __init__(self, *, min_detection: float = 0.5, min_tracking: float = 0.5) -> None:
        for name, v in (("min_detection", min_detection), ("min_tracking", min_tracking)):
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{name} must be within 0-1, got {v}")
        self._args = {
            "static_image_mode": False,
            "model_complexity": MODEL_COMPLEXITY,
            "smooth_landmarks": False,
            "enable_segmentation": False,
            "min_detection_confidence": min_detection,
            "min_tracking_confidence": min_tracking,
        }
        self._pose: Any = None
        self._found = False

    def __enter__(self) -> PoseRunner:
        mp_pose = _mediapipe_pose()
        with _quiet_native_logs():
            self._pose = mp_pose.Pose(**self._args)
            # The graph opens its models in worker threads: a blank frame waits for them, so
            # their start-up messages are silenced too. No person in it, so no tracking state.
            self._pose.process(np.zeros((64, 64, 3), dtype=np.uint8))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pose is not None:
            self._pose.close()
            self._pose = None

    def process(self, rgb: NDArray[np.uint8]) -> NDArray[np.float64] | None:
        """(33, 4) x, y (normalised to this frame), z, visibility; None when no person is found."""
        if self._pose is None:
            raise RuntimeError("use PoseRunner inside a with-block")
        if self._found:
            result = self._pose.process(rgb)
        else:  # MediaPipe warns once, on its first detection: keep that off the terminal
            with _quiet_native_logs():
                result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return None
        self._found = True
        marks = result.pose_landmarks.landmark
        out = np.array([(m.x, m.y, m.z, m.visibility) for m in marks], dtype=np.float64)
        if out.shape != (len(NAMES), 4):
            return None
        return out
