"""BlazePose landmarks per frame, and the landmarks CSV (docs/interface.md) read and written.

CSV: one row a frame; optional `label` and `time_s` columns, then `<name>_x,<name>_y[,<name>_z]
[,<name>_v]` for BlazePose names; x and y normalised to the image (0-1, y down), v = visibility
0-1. A blank cell is a missing landmark. backcheck also writes two optional trailing columns,
`image_width` and `image_height` (pixels of the analysed frame), so angles can be measured with
the frame's true aspect ratio; files without them are read as square frames.

Other pose models are read too. OpenPose COCO-18 (and COCO-17) keypoints share BlazePose's
names except `neck` (ignored); OpenPose's own spelling (`RShoulder`, `LEar`, ...) and any case
are accepted; a confidence column may end in `_c`, `_conf`, `_score`, `_confidence` or
`_visibility` instead of `_v`. Coordinates in pixels (median x and y above 2) need the
`image_width` and `image_height` columns and are divided by them; a keypoint at (0, 0) or with
confidence 0 is OpenPose's "not found" and is read as missing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl
from numpy.typing import NDArray

from backcheck.errors import InputError
from backcheck.ingest.columns import to_float
from backcheck.ingest.csvtext import check_text, decode, head_bytes, sniff_delimiter

NAMES: Final = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
INDEX: Final = {n: i for i, n in enumerate(NAMES)}
AXES: Final = ("x", "y", "z", "v")
SIZE_COLUMNS: Final = ("image_width", "image_height")
#: A landmark counts as seen when its visibility is at least this (MediaPipe's own default).
MIN_VISIBILITY: Final = 0.5
#: Column suffixes read as the visibility / confidence axis.
CONFIDENCE: Final = ("c", "conf", "score", "confidence", "visibility")
#: OpenPose body-part names (COCO-18 / BODY-25 spelling, lower-cased) -> BlazePose names.
OPENPOSE: Final = {
    "rshoulder": "right_shoulder",
    "relbow": "right_elbow",
    "rwrist": "right_wrist",
    "lshoulder": "left_shoulder",
    "lelbow": "left_elbow",
    "lwrist": "left_wrist",
    "rhip": "right_hip",
    "rknee": "right_knee",
    "rankle": "right_ankle",
    "lhip": "left_hip",
    "lknee": "left_knee",
    "lankle": "left_ankle",
    "reye": "right_eye",
    "leye": "left_eye",
    "rear": "right_ear",
    "lear": "left_ear",
    "rheel": "right_heel",
    "lheel": "left_heel",
    "rbigtoe": "right_foot_index",
    "lbigtoe": "left_foot_index",
}
#: Coordinates whose median is above this are pixels, not normalised (0-1; a few off-frame
#: points may lie beyond).
PIXELS_ABOVE: Final = 2.0


def canonical(column: str) -> str:
    """A header cell as the reader's name: `<blazepose name>_<x|y|z|v>`, or the cell
    stripped when it is not a landmark column."""
    h = column.strip()
    low = h.lower()
    if "_" not in low:
        return h
    name, axis = low.rsplit("_", 1)
    name = OPENPOSE.get(name.replace("_", ""), name) if name not in INDEX else name
    if axis in CONFIDENCE:
        axis = "v"
    if name in INDEX and axis in AXES:
        return f"{name}_{axis}"
    return h


#: Frames per second assumed for a landmarks CSV without a time_s column.
DEFAULT_FPS: Final = 30.0
#: Decimals kept for coordinates (video and CSV give identical results).
DECIMALS: Final = 6


@dataclass(slots=True)
class Landmarks:
    """Landmarks of a sequence of frames.

    points: (frames, 33, 4) float64 - x, y (normalised 0-1, y down), z (MediaPipe's depth,
    same scale as x, negative = nearer the camera), v (visibility 0-1); NaN = missing. A frame
    without a pose is all NaN. time_s: (frames,) seconds from the start. width/height: pixels
    of the analysed frame, None when unknown (square frames are then assumed).
    """

    points: NDArray[np.float64]
    time_s: NDArray[np.float64]
    width: int | None = None
    height: int | None = None
    labels: list[str] | None = None
    fps_assumed: bool = False
    source_columns: set[str] = field(default_factory=set)

    @property
    def frames(self) -> int:
        """Number of frames."""
        return int(self.points.shape[0])

    @property
    def aspect(self) -> float:
        """Width / height of the frame (1.0 when unknown)."""
        if self.width and self.height:
            return self.width / self.height
        return 1.0

    def has(self, name: str) -> bool:
        """True when any frame holds landmark `name`."""
        return bool(np.isfinite(self.points[:, INDEX[name], 0]).any())

    def xy(self, name: str, *, min_visibility: float = MIN_VISIBILITY) -> NDArray[np.float64]:
        """(frames, 2) coordinates of `name` in square units (x scaled by the aspect ratio,
        height = 1); NaN where missing or seen with visibility below `min_visibility`."""
        p = self.points[:, INDEX[name]]
        out = np.stack([p[:, 0] * self.aspect, p[:, 1]], axis=1)
        vis = np.nan_to_num(p[:, 3], nan=1.0)
        out[vis < min_visibility] = np.nan
        return np.asarray(out, dtype=np.float64)

    def visibility(self, name: str) -> NDArray[np.float64]:
        """(frames,) visibility of `name`: 0 where missing, 1 where present without a v value."""
        p = self.points[:, INDEX[name]]
        v = np.where(np.isnan(p[:, 3]), 1.0, p[:, 3])
        return np.where(np.isnan(p[:, 0]), 0.0, v)

    def usable(self) -> NDArray[np.bool_]:
        """(frames,) True where a shoulder and a hip are seen: frames with a usable pose."""
        shoulder = (self.visibility("left_shoulder") >= MIN_VISIBILITY) | (
            self.visibility("right_shoulder") >= MIN_VISIBILITY
        )
        hip = (self.visibility("left_hip") >= MIN_VISIBILITY) | (
            self.visibility("right_hip") >= MIN_VISIBILITY
        )
        return np.asarray(shoulder & hip)

    def with_points(self, points: NDArray[np.float64]) -> Landmarks:
        """A copy holding other points (smoothed, say), same times and frame size."""
        return Landmarks(
            points=points,
            time_s=self.time_s,
            width=self.width,
            height=self.height,
            labels=self.labels,
            fps_assumed=self.fps_assumed,
            source_columns=self.source_columns,
        )


def empty_points(frames: int) -> NDArray[np.float64]:
    """(frames, 33, 4) all NaN."""
    return np.full((frames, len(NAMES), len(AXES)), np.nan)


def quantize(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Round to DECIMALS places, as the CSV stores them."""
    return np.asarray(np.round(points.astype(np.float64), DECIMALS), dtype=np.float64)


def write_csv(lm: Landmarks, path: str | Path) -> None:
    """Write `lm` as a landmarks CSV (time_s, 33 x (x, y, z, v), image_width, image_height)."""
    header = ["time_s"] + [f"{n}_{a}" for n in NAMES for a in AXES]
    with_size = lm.width is not None and lm.height is not None
    if with_size:
        header += list(SIZE_COLUMNS)
    flat = lm.points.reshape(lm.frames, -1)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(lm.frames):
            row = [f"{lm.time_s[i]:.{DECIMALS}f}"]
            row += ["" if np.isnan(v) else f"{v:.{DECIMALS}f}" for v in flat[i]]
            if with_size:
                row += [str(lm.width), str(lm.height)]
            w.writerow(row)


def _check_columns(path: str, header: list[str]) -> dict[str, dict[str, int]]:
    """Column index of each landmark axis; InputError (line 1) names what is missing."""
    where = {name: i for i, name in enumerate(header)}
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(path, 1, f"repeated column(s): {', '.join(dupes)}")
    found: dict[str, dict[str, int]] = {}
    for name in NAMES:
        axes = {a: where[f"{name}_{a}"] for a in AXES if f"{name}_{a}" in where}
        if not axes:
            continue
        if "x" not in axes or "y" not in axes:
            have, lack = ("x", "y") if "x" in axes else ("y", "x")
            raise InputError(path, 1, f"missing column {name}_{lack} (the file has {name}_{have})")
        found[name] = axes
    if not found:
        raise InputError(
            path,
            1,
            "not a landmarks CSV: no <landmark>_x/<landmark>_y columns with BlazePose names "
            "(nose, left_shoulder, ..., right_foot_index)",
        )
    for part in ("shoulder", "hip"):
        if f"left_{part}" not in found and f"right_{part}" not in found:
            raise InputError(
                path,
                1,
                f"missing columns left_{part}_x/left_{part}_y or right_{part}_x/right_{part}_y: "
                f"without {part}s no frame has a usable pose",
            )
    return found


def _records(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows and the physical line of each row. Unlike workout exports, a row of empty
    cells is kept: it is a frame without a pose."""
    check_text(path, head_bytes(path))
    text = decode(path, path.read_bytes())
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=sniff_delimiter(text.split("\n", 1)[0]),
        strict=True,
    )
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            if record and (len(record) > 1 or record[0].strip()):
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, start, f"broken CSV ({exc}); is the file truncated?") from None
    if not rows:
        raise InputError(path, None, "empty file: no header, no frames")
    return [h.strip() for h in rows[0]], rows[1:], lines[1:]


def read_csv(path: str | Path) -> Landmarks:
    """Read a landmarks CSV; InputError(path, line, ...) for anything it cannot use."""
    header, rows, lines = _records(Path(path))
    original = header
    header = [canonical(h) for h in header]
    p = str(path)
    found = _check_columns(p, header)
    width = len(header)
    for row, line in zip(rows, lines, strict=True):
        if len(row) != width:
            raise InputError(p, line, f"expected {width} fields, found {len(row)} (truncated?)")
    if not rows:
        raise InputError(p, None, "no frames: the file has a header only")
    cols = list(zip(*rows, strict=True))

    def number(idx: int, label: str, lo: float | None = None, hi: float | None = None) -> pl.Series:
        return to_float(
            pl.Series(label, cols[idx], dtype=pl.String),
            path=p,
            lines=lines,
            label=label,
            minimum=lo,
            maximum=hi,
        )

    n = len(rows)
    points = empty_points(n)
    for name, axes in found.items():
        for a, idx in axes.items():
            lo, hi = (0.0, 1.0) if a == "v" else (None, None)
            points[:, INDEX[name], AXES.index(a)] = number(idx, header[idx], lo, hi).to_numpy()
        xy = points[:, INDEX[name], :2]
        half = np.isnan(xy[:, 0]) != np.isnan(xy[:, 1])
        if half.any():
            i = int(np.argmax(half))
            raise InputError(p, lines[i], f"{name} has only one of its x/y values")
    size: list[int | None] = [None, None]
    for k, col in enumerate(SIZE_COLUMNS):
        if col in header:
            vals = number(header.index(col), col, 1.0).drop_nulls()
            size[k] = int(vals[0]) if vals.len() else None
    points = _from_pixels(p, points, size[0], size[1])
    points = quantize(points)
    fps_assumed = "time_s" not in header
    if fps_assumed:
        time_s = np.arange(n, dtype=np.float64) / DEFAULT_FPS
    else:
        t = number(header.index("time_s"), "time_s")
        if t.null_count():
            raise InputError(p, lines[int(t.is_null().arg_true()[0])], "time_s is empty")
        time_s = t.to_numpy()
        back = np.diff(time_s) < 0
        if back.any():
            i = int(np.argmax(back)) + 1
            raise InputError(p, lines[i], f"time_s goes back in time ({time_s[i]:g} s)")
    labels = list(cols[header.index("label")]) if "label" in header else None
    return Landmarks(
        points=points,
        time_s=time_s,
        width=size[0],
        height=size[1],
        labels=labels,
        fps_assumed=fps_assumed,
        source_columns=set(original),
    )


def _from_pixels(
    path: str, points: NDArray[np.float64], width: int | None, height: int | None
) -> NDArray[np.float64]:
    """Normalise pixel coordinates (OpenPose) by the frame size; OpenPose's (0, 0) and
    confidence-0 keypoints become missing. Normalised input is returned as it is."""
    xy = points[..., :2]
    seen = np.abs(xy[np.isfinite(xy)])
    seen = seen[seen != 0]  # OpenPose writes (0, 0) for a keypoint it did not find
    # MediaPipe puts points it guesses off-frame beyond 0-1 (feet at y = 3, say): the median
    # of all coordinates, not the largest, tells normalised from pixel input.
    pixels = bool(seen.size and float(np.median(seen)) > PIXELS_ABOVE)
    if not pixels:
        return points
    if not width or not height:
        raise InputError(
            path,
            1,
            "coordinates are in pixels (values above 2): add image_width and image_height "
            "columns (the frame size in pixels) so they can be normalised",
        )
    out = points.copy()
    out[..., 0] /= width
    out[..., 1] /= height
    out[..., 2] = np.nan  # a pixel-space model has no comparable depth
    lost = ((points[..., 0] == 0) & (points[..., 1] == 0)) | (points[..., 3] == 0)
    out[lost] = np.nan
    return out


def looks_like_csv(path: Path) -> bool:
    """True when `path` is a text file whose first line names landmark columns."""
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    first = head.split(b"\n", 1)[0]
    return b"\x00" not in head and (b"_x," in first or b"_x;" in first)
