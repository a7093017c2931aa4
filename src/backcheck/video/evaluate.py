"""Accuracy of the form check on labelled real landmarks (benchmarks/form_accuracy.py and the
tests): clips, a tuning / held-out split, and the scores.

A labelled landmarks CSV holds clips one after another, each a run of frames with one label.
Clips are split by label in turn (first of each label to tuning, second to held-out, ...), so
both halves hold every label; limits may be looked at on the tuning half only.

Scores per fault: precision and recall against the label that names it; for the set as a whole
(any body-line fault vs "correct"): balanced accuracy = (sensitivity + specificity) / 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from backcheck.video.analyse import analyse_landmarks
from backcheck.video.landmarks import Landmarks

#: Clips shorter than this many frames are left out (too short to hold a position).
MIN_CLIP_FRAMES: Final = 15


@dataclass(frozen=True, slots=True)
class Clip:
    """Frames [start, stop) of one labelled clip."""

    start: int
    stop: int
    label: str


def clips(labels: list[str], *, min_frames: int = MIN_CLIP_FRAMES) -> list[Clip]:
    """Runs of one label, in order, at least `min_frames` long."""
    out: list[Clip] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if i - start >= min_frames:
                out.append(Clip(start, i, labels[start]))
            start = i
    return out


def split(all_clips: list[Clip]) -> tuple[list[Clip], list[Clip]]:
    """(tuning, held-out): each label's clips alternate between the two, tuning first."""
    seen: dict[str, int] = {}
    tune: list[Clip] = []
    held: list[Clip] = []
    for c in all_clips:
        k = seen.get(c.label, 0)
        (tune if k % 2 == 0 else held).append(c)
        seen[c.label] = k + 1
    return tune, held


def piece(lm: Landmarks, clip: Clip) -> Landmarks:
    """The frames of one clip as their own Landmarks."""
    sl = slice(clip.start, clip.stop)
    return Landmarks(
        points=lm.points[sl],
        time_s=lm.time_s[sl] - lm.time_s[clip.start],
        width=lm.width,
        height=lm.height,
        labels=None if lm.labels is None else lm.labels[sl],
        fps_assumed=lm.fps_assumed,
        source_columns=lm.source_columns,
    )


def hold_faults(lm: Landmarks, clip: Clip, *, exercise: str = "push-up") -> set[str]:
    """Faults the form check calls on a static hold (the whole clip judged as one rep)."""
    part = piece(lm, clip)
    result = analyse_landmarks(part, exercise=exercise, holds=[(0, part.frames)])
    return {f["fault"] for f in result.faults}


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts and rates; rates are None when undefined (no positives, say)."""

    n: int
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN): sensitivity."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        """TN / (TN + FP)."""
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    @property
    def balanced_accuracy(self) -> float | None:
        """(recall + specificity) / 2."""
        r, s = self.recall, self.specificity
        return None if r is None or s is None else (r + s) / 2


def score(truth: list[bool], called: list[bool]) -> Scores:
    """Confusion counts of `called` against `truth` (True = has the fault)."""
    t = np.asarray(truth, dtype=bool)
    c = np.asarray(called, dtype=bool)
    return Scores(
        n=int(t.size),
        tp=int((t & c).sum()),
        fp=int((~t & c).sum()),
        fn=int((t & ~c).sum()),
        tn=int((~t & ~c).sum()),
    )
