"""Form-check files in an athlete folder: landmarks CSVs (cheap) and videos (heavy).

Both go through one call of the video module, `backcheck.video.analyse_video(path, exercise="auto")`
returning a result with `to_json()` (the `backcheck.video/1` document). Where that module or
its extra is not installed, the files are counted and named in the athlete's notes, never an
error. A result is the record `backcheck video` stores (formchecks.form_check), dated by the
one rule of formchecks.recorded_day: the video's creation time, else the file's modification
time (local date in the batch's zone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

VIDEO_SUFFIXES: Final = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".m4v")
_SHOULDERS: Final = (b"left_shoulder_x", b"right_shoulder_x")

Analyser = Callable[..., Any]


def is_landmarks_csv(path: Path) -> bool:
    """True when the first line of `path` names BlazePose shoulder columns (docs/interface.md)."""
    try:
        with path.open("rb") as fh:
            first = fh.readline(65536).lower()
    except OSError:
        return False
    return any(name in first for name in _SHOULDERS)


def video_api() -> Analyser | None:
    """`backcheck.video.analyse_video`, or None where the video module is not available."""
    try:
        from backcheck import video
    except ImportError:
        return None
    fn = getattr(video, "analyse_video", None)
    return fn if callable(fn) else None


def is_video(path: Path) -> bool:
    """True for a video file (by suffix), False for a landmarks CSV."""
    return path.suffix.lower() in VIDEO_SUFFIXES


def analyse_one(path: str | Path, *, tz: str) -> dict[str, Any]:
    """Form check of one landmarks CSV or video, as the store keeps it: recorded_on,
    exercise, source_name, result. Raises what the video module raises; callers catch."""
    fn = video_api()
    if fn is None:
        raise RuntimeError("backcheck.video is not available")
    from backcheck.formchecks import form_check

    p = Path(path)
    return form_check(p, fn(p, exercise="auto"), tz=tz).row()


def skipped_note(paths: Sequence[Path]) -> str | None:
    """The note for form-check files left unanalysed because the video module is missing."""
    landmarks = sum(1 for p in paths if not is_video(p))
    videos = len(paths) - landmarks
    parts = []
    if landmarks:
        parts.append(f"{landmarks} landmarks CSV{'s' if landmarks > 1 else ''}")
    if videos:
        parts.append(f"{videos} video{'s' if videos > 1 else ''}")
    if not parts:
        return None
    return f"{' and '.join(parts)} not analysed (backcheck.video is not available)"


def analyse_media(paths: Sequence[Path], *, tz: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Form checks of `paths` (oldest first) and notes. A file the video module cannot read
    gives a note, not an error: one bad clip does not void the athlete's analysis."""
    if not paths:
        return [], []
    if video_api() is None:
        note = skipped_note(paths)
        return [], [note] if note else []
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    for p in paths:
        try:
            results.append(analyse_one(p, tz=tz))
        except Exception as exc:  # the video module's own errors vary; one clip only
            notes.append(f"{p.name}: form check failed ({exc})")
    results.sort(key=lambda r: (r["recorded_on"], r["source_name"]))
    return results, notes
