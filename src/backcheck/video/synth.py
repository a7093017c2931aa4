"""Synthetic clips for tests and benchmarks, made from a still photograph of a person.

The photograph is the US Navy's 1984 portrait of Commodore Grace M. Hopper (public domain, a
work of the US federal government), which ships with matplotlib (a dependency of mediapipe) as
`mpl-data/sample_data/grace_hopper.jpg`. The clip slides and zooms the photo slowly so every
frame differs, like a hand-held phone.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from backcheck.errors import MissingExtraError


def person_photo() -> NDArray[np.uint8]:
    """The Grace Hopper portrait as RGB (600 x 512); MissingExtraError without matplotlib."""
    try:
        from matplotlib import cbook
    except ImportError as exc:
        raise MissingExtraError("video", "matplotlib (its sample photo)") from exc
    import cv2

    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    bgr = cv2.imread(str(path))
    if bgr is None:
        raise FileNotFoundError(path)
    return np.ascontiguousarray(bgr[:, :, ::-1])


def frame_at(photo: NDArray[np.uint8], *, i: int, width: int, height: int) -> NDArray[np.uint8]:
    """Frame `i` of the clip: the photo centred on a grey canvas, drifting and zooming a little."""
    import cv2

    ph, pw = photo.shape[:2]
    base = 0.9 * min(width / pw, height / ph)
    s = base * (1.0 + 0.05 * math.sin(i / 25.0))
    dx = 0.04 * width * math.sin(i / 40.0)
    dy = 0.03 * height * math.cos(i / 33.0)
    m = np.array(
        [[s, 0.0, width / 2 - s * pw / 2 + dx], [0.0, s, height / 2 - s * ph / 2 + dy]],
        dtype=np.float64,
    )
    return np.asarray(
        cv2.warpAffine(photo, m, (width, height), borderValue=(110, 110, 110)), dtype=np.uint8
    )


def write_clip(
    path: str | Path,
    *,
    seconds: float,
    fps: int = 30,
    width: int = 640,
    height: int = 480,
    rotation: int = 0,
    photo: NDArray[np.uint8] | None = None,
    creation_time: str | None = None,
) -> Path:
    """Write an H.264 MP4 of the photo (`width` x `height` as displayed).

    rotation (0, 90, 180, 270): the frames are stored turned by that many degrees clockwise
    and a display matrix tells players to turn them back counter-clockwise, as phones do.
    creation_time: ISO-8601 text for the container's creation_time tag.
    """
    import av

    if rotation % 90:
        raise ValueError("rotation must be a multiple of 90")
    img = person_photo() if photo is None else photo
    out = Path(path)
    k = (rotation // 90) % 4
    stored_w, stored_h = (height, width) if k % 2 else (width, height)
    with av.open(str(out), "w") as container:
        if creation_time:
            container.metadata["creation_time"] = creation_time
        stream = container.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = stored_w, stored_h, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        if k:
            stream.set_display_rotation(90 * k)
        for i in range(round(seconds * fps)):
            frame = frame_at(img, i=i, width=width, height=height)
            stored = np.ascontiguousarray(np.rot90(frame, k=-k)) if k else frame
            for packet in stream.encode(av.VideoFrame.from_ndarray(stored, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out
