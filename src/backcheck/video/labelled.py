"""A labelled evaluation set for the form check: a manifest naming landmark files with their
lift, true rep count and true faults, scored per lift (rep count exact share, fault precision
and recall, balanced accuracy) on a tuning half and a held-out half.

No public, permissively licensed labelled landmarks of bench press, rows or overhead press were
found (docs/form-accuracy.md lists what was searched); this is the way in for such data when it
comes (a coach's labelled clips, a licensed data set), so measuring a lift needs a manifest, not
new code.

Manifest: a CSV with the header `file,exercise,reps,faults`, one clip a row.
- file: a landmarks CSV (any layout read_csv reads), relative to the manifest's folder;
- exercise: bench-press, push-up, row or overhead-press;
- reps: the true rep count (whole number, 0 or more), blank when not counted;
- faults: the faults the clip has, fault names of backcheck/video/faults.py for that lift
  separated by ";", blank for correct form.

Split: within each lift, correct and faulty clips each alternate between tuning and held-out in
manifest order (tuning first), so both halves hold both kinds. Limits may be looked at on the
tuning half only; the held-out half is the figure to report.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from backcheck.errors import InputError
from backcheck.video.analyse import analyse_landmarks
from backcheck.video.evaluate import Scores, score
from backcheck.video.exercise import EXERCISES
from backcheck.video.faults import RULES
from backcheck.video.landmarks import read_csv
from backcheck.video.result import VideoResult

COLUMNS: Final = ("file", "exercise", "reps", "faults")


@dataclass(frozen=True, slots=True)
class Labelled:
    """One clip of a manifest: its landmarks file, lift, true reps (None: not counted) and the
    faults it has (empty: correct form). line: its line in the manifest."""

    path: Path
    exercise: str
    reps: int | None
    faults: frozenset[str]
    line: int


@dataclass(frozen=True, slots=True)
class LiftScores:
    """Scores of one lift on one half. reps_exact: share of counted clips whose rep count was
    right (None when no clip is counted). any_fault: any of the lift's faults vs correct form.
    per_fault: each fault against the clips labelled with it."""

    exercise: str
    clips: int
    counted: int
    reps_exact: float | None
    any_fault: Scores
    per_fault: dict[str, Scores] = field(default_factory=dict)


def read_manifest(path: str | Path) -> list[Labelled]:
    """The clips of a manifest; InputError(path, line, ...) for a row it cannot use."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(p, None, "no such manifest") from None
    except UnicodeDecodeError:
        raise InputError(p, None, "not UTF-8 text") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip().lower() for c in rows[0]] != list(COLUMNS):
        raise InputError(p, 1, f"the header must be {','.join(COLUMNS)}")
    out: list[Labelled] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(COLUMNS):
            raise InputError(p, line, f"expected {len(COLUMNS)} fields, found {len(row)}")
        name, exercise, reps_text, faults_text = (c.strip() for c in row)
        if exercise not in EXERCISES:
            raise InputError(p, line, f"exercise {exercise!r} is not one of {', '.join(EXERCISES)}")
        reps: int | None = None
        if reps_text:
            if not reps_text.isdigit():
                raise InputError(p, line, f"reps {reps_text!r} is not a whole number")
            reps = int(reps_text)
        known = {r.fault for r in RULES[exercise]}
        faults = frozenset(f.strip() for f in faults_text.split(";") if f.strip())
        if unknown := sorted(faults - known):
            raise InputError(
                p,
                line,
                f"{', '.join(unknown)}: not a {exercise} fault (known: {', '.join(sorted(known))})",
            )
        clip = p.parent / name
        if not name or not clip.is_file():
            raise InputError(p, line, f"no landmarks file {name!r} beside the manifest")
        out.append(Labelled(clip, exercise, reps, faults, line))
    if not out:
        raise InputError(p, None, "no clips: the manifest has a header only")
    return out


def split(clips: Sequence[Labelled]) -> tuple[list[Labelled], list[Labelled]]:
    """(tuning, held-out): per lift, correct and faulty clips each alternate, tuning first."""
    seen: dict[tuple[str, bool], int] = {}
    tune: list[Labelled] = []
    held: list[Labelled] = []
    for c in clips:
        key = (c.exercise, bool(c.faults))
        (tune if seen.get(key, 0) % 2 == 0 else held).append(c)
        seen[key] = seen.get(key, 0) + 1
    return tune, held


def score_lift(
    exercise: str, clips: Sequence[Labelled], results: Sequence[VideoResult]
) -> LiftScores:
    """Scores of the form check's `results` (one per clip, same order) against the labels."""
    called = [{f["fault"] for f in r.faults} for r in results]
    counted = [(c, r) for c, r in zip(clips, results, strict=True) if c.reps is not None]
    exact = sum(len(r.reps) == c.reps for c, r in counted)
    names = [r.fault for r in RULES[exercise]]
    per = {
        name: score([name in c.faults for c in clips], [name in got for got in called])
        for name in names
    }
    return LiftScores(
        exercise=exercise,
        clips=len(clips),
        counted=len(counted),
        reps_exact=exact / len(counted) if counted else None,
        any_fault=score([bool(c.faults) for c in clips], [bool(got) for got in called]),
        per_fault=per,
    )


def evaluate(
    clips: Sequence[Labelled],
    *,
    analyse: Callable[[Labelled], VideoResult] | None = None,
) -> dict[str, LiftScores]:
    """Scores per lift (in EXERCISES order, lifts without clips left out). analyse: how a clip
    is checked (default: its landmarks file through analyse_landmarks with its lift)."""
    run = analyse or _analyse
    out: dict[str, LiftScores] = {}
    for exercise in EXERCISES:
        mine = [c for c in clips if c.exercise == exercise]
        if mine:
            out[exercise] = score_lift(exercise, mine, [run(c) for c in mine])
    return out


def _analyse(clip: Labelled) -> VideoResult:
    return analyse_landmarks(read_csv(clip.path), exercise=clip.exercise, path=str(clip.path))
