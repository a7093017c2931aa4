"""The result of a form check (`backcheck.video/1`), as stored and printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backcheck.video.faults import Check
from backcheck.video.landmarks import Landmarks
from backcheck.video.metrics import Value
from backcheck.video.quality import Gate
from backcheck.video.reps import RepSpan
from backcheck.video.view import ViewInfo

SCHEMA = "backcheck.video/1"


@dataclass(slots=True)
class RepResult:
    """One rep: 1-based index, times (seconds from the start of the video), metrics, faults."""

    index: int
    span: RepSpan
    start_s: float
    bottom_s: float
    end_s: float
    metrics: dict[str, Value]
    faults: list[str]
    confidence: float
    checks: dict[str, Check] = field(default_factory=dict)
    good_share: float = 1.0

    def to_json(self) -> dict[str, Any]:
        """The rep as in `backcheck.video/1` (null metrics carry their reason in metric_notes)."""
        notes = {k: v.why for k, v in self.metrics.items() if v.value is None}
        return {
            "index": self.index,
            "start_s": self.start_s,
            "bottom_s": self.bottom_s,
            "end_s": self.end_s,
            "metrics": {k: v.value for k, v in self.metrics.items()},
            "metric_notes": notes,
            "faults": self.faults,
            "confidence": self.confidence,
            "good_frame_share": self.good_share,
            "checks": {k: c.to_json() for k, c in self.checks.items()},
        }


@dataclass(slots=True)
class VideoResult:
    """Everything a form check found. `to_json()` is the `backcheck.video/1` document; the
    smoothed landmarks and per-frame series stay here for the annotated video; `outputs` names
    the files written (annotated video, landmarks CSV), kept out of the stored document."""

    exercise: str
    exercise_detected: bool
    view: ViewInfo
    fps: float
    frames: int
    usable_frames: int
    reps: list[RepResult]
    faults: list[dict[str, Any]]
    warnings: list[str]
    advice: list[str]
    metric_info: dict[str, dict[str, Any]]
    source: dict[str, Any]
    mean_visibility: float
    landmarks: Landmarks
    usable: NDArray[np.bool_]
    series: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    gate: Gate | None = None
    view_needed: str | None = None
    faults_not_called: list[dict[str, Any]] = field(default_factory=list)
    recorded_at: datetime | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def visible_fraction(self) -> float:
        """Share of analysed frames with a usable pose (0-1)."""
        return round(self.usable_frames / self.frames, 3) if self.frames else 0.0

    def to_json(self) -> dict[str, Any]:
        """The `backcheck.video/1` document (docs/interface.md), with extra fields."""
        facing = {1: "image-right", -1: "image-left"}.get(self.view.facing)
        return {
            "schema": SCHEMA,
            "exercise": self.exercise,
            "exercise_detected": self.exercise_detected,
            "view": self.view.view,
            "view_ratio": self.view.ratio,
            "view_needed": self.view_needed,
            "near_side": self.view.near_side,
            "facing": facing,
            "fps": round(self.fps, 3),
            "frames": self.frames,
            "frames_usable": self.usable_frames,
            "frames_unusable": self.frames - self.usable_frames,
            "reps": [r.to_json() for r in self.reps],
            "faults": self.faults,
            "faults_not_called": self.faults_not_called,
            "quality": {
                "visible_fraction": self.visible_fraction,
                "mean_visibility": round(self.mean_visibility, 3),
                "warnings": self.warnings,
                "advice": self.advice,
                **(self.gate.to_json() if self.gate is not None else {}),
            },
            "metrics": self.metric_info,
            "source": self.source,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
        }
