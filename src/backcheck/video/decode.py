"""Video frames with PyAV: upright (rotation metadata honoured), downscaled, as RGB arrays.

Phone videos are often stored sideways with a display matrix saying how to turn them; every
frame is turned as a player would show it. Frames are scaled by FFmpeg (swscale, area
averaging) straight from the decoder's YUV, so full-size RGB frames are never made. Decoding
runs in a background thread (FFmpeg releases the GIL) while the caller works on earlier frames.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backcheck.errors import InputError, MissingExtraError

#: Share of the frames the container announces that must decode, else the file is truncated.
MIN_DECODED_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What the container says: display size (after rotation), frames per second, frame count
    (0 when unknown), duration (s), rotation (degrees counter-clockwise to display), codec,
    creation time (timezone-aware, None when absent)."""

    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    rotation: int
    codec: str
    created: datetime | None


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame: index in the video, time (s from the first frame), RGB (h, w, 3)."""

    index: int
    time_s: float
    rgb: NDArray[np.uint8]


def _av() -> Any:
    try:
        import av
    except ImportError as exc:
        raise MissingExtraError("video", "av (PyAV)") from exc
    return av


def _open(path: Path) -> Any:
    av = _av()
    if not path.exists():
        raise InputError(path, None, "no such file")
    if path.is_dir():
        raise InputError(path, None, "is a folder, not a video")
    if path.stat().st_size == 0:
        raise InputError(path, None, "empty file (0 bytes): not a video")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise InputError(
            path, None, f"not a readable video ({_why(exc)}); is the file damaged or truncated?"
        ) from None
    if not container.streams.video:
        kinds = sorted({s.type for s in container.streams}) or ["nothing"]
        container.close()
        raise InputError(path, None, f"no video stream in this file (it holds {', '.join(kinds)})")
    return container


def _why(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text).split(":", 1)[-1].strip() if ":" in str(text) else str(text)


def _created(meta: dict[str, str]) -> datetime | None:
    raw = meta.get("creation_time") or meta.get("com.apple.quicktime.creationdate")
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        from datetime import UTC

        when = when.replace(tzinfo=UTC)
    return None if when.year < 1971 else when


def _rotation_tag(stream: Any) -> int:
    """Rotation from an old-style `rotate` tag (degrees clockwise) as counter-clockwise."""
    tag = stream.metadata.get("rotate")
    try:
        return (-int(tag)) % 360 if tag else 0
    except ValueError:
        return 0


def probe(path: str | Path) -> VideoInfo:
    """Read the container's header (and the first frame, for its rotation); InputError for a
    file that is not a readable video."""
    p = Path(path)
    container = _open(p)
    av = _av()
    try:
        stream = container.streams.video[0]
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 30.0
        frames = int(stream.frames or 0)
        duration = (
            float(stream.duration * stream.time_base)
            if stream.duration and stream.time_base
            else (float(container.duration) / 1e6 if container.duration else 0.0)
        )
        if not frames and duration:
            frames = round(duration * fps)
        rotation = _rotation_tag(stream)
        try:
            first = next(container.decode(stream), None)
        except av.FFmpegError as exc:
            raise InputError(p, None, f"video data cannot be decoded ({_why(exc)})") from None
        if first is None:
            raise InputError(p, None, "the video stream holds no frames (truncated?)")
        rotation = round(first.rotation) % 360 if first.rotation else rotation
        w, h = first.width, first.height
        if rotation in (90, 270):
            w, h = h, w
        meta = {**dict(container.metadata), **dict(stream.metadata)}
        return VideoInfo(
            width=w,
            height=h,
            fps=fps,
            frames=frames,
            duration_s=duration,
            rotation=rotation,
            codec=stream.codec_context.name,
            created=_created(meta),
        )
    finally:
        container.close()


def scaled_size(width: int, height: int, long_side: int | None) -> tuple[int, int]:
    """(w, h) with the long side at most `long_side` pixels, even numbers, aspect kept."""
    if not long_side or max(width, height) <= long_side:
        return width - width % 2, height - height % 2
    s = long_side / max(width, height)
    return max(2, round(width * s / 2) * 2), max(2, round(height * s / 2) * 2)


def _decode(
    p: Path, *, long_side: int | None, stride: int, sink: queue.Queue[Any], stop: threading.Event
) -> None:
    av = _av()
    count = 0
    try:
        container = _open(p)
    except InputError as exc:
        sink.put(exc)
        return
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        announced = int(stream.frames or 0)
        tag_rotation = _rotation_tag(stream)
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else 30.0
        t0: float | None = None
        try:
            for frame in container.decode(stream):
                if stop.is_set():
                    return
                i = count
                count += 1
                if i % stride:
                    continue
                t = float(frame.time) if frame.time is not None else i / fps
                t0 = t if t0 is None else t0
                rot = round(frame.rotation) % 360 if frame.rotation else tag_rotation
                fw, fh = frame.width, frame.height
                w, h = scaled_size(fw, fh, long_side)
                rgb = frame.to_ndarray(width=w, height=h, format="rgb24", interpolation="AREA")
                if rot:
                    rgb = np.ascontiguousarray(np.rot90(rgb, k=rot // 90))
                sink.put(Frame(i, round(t - t0, 6), rgb))
        except av.FFmpegError as exc:
            sink.put(
                InputError(
                    p,
                    None,
                    f"video data damaged after frame {count} ({_why(exc)}): truncated or corrupt file",
                )
            )
            return
        if count == 0:
            sink.put(InputError(p, None, "the video stream holds no frames (truncated?)"))
        elif announced and count < MIN_DECODED_SHARE * announced:
            sink.put(
                InputError(
                    p,
                    None,
                    f"only {count} of the {announced} frames the file announces could be decoded: truncated or corrupt file",
                )
            )
    finally:
        container.close()
        sink.put(None)


def frames(
    path: str | Path, *, long_side: int | None = 480, stride: int = 1, prefetch: int = 8
) -> Iterator[Frame]:
    """Every `stride`-th frame of the video, upright, long side <= `long_side` pixels.

    InputError for a damaged or truncated file (raised when the damage is reached).
    """
    if stride < 1:
        raise ValueError("stride must be >= 1")
    sink: queue.Queue[Any] = queue.Queue(maxsize=prefetch)
    stop = threading.Event()
    worker = threading.Thread(
        target=_decode,
        kwargs={
            "p": Path(path),
            "long_side": long_side,
            "stride": stride,
            "sink": sink,
            "stop": stop,
        },
        daemon=True,
        name="backcheck-decode",
    )
    worker.start()
    try:
        while True:
            item = sink.get()
            if item is None:
                break
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                sink.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)
