"""What each background job does: the same core calls as the CLI, run by the worker.

Each task takes the store, the job (its payload says which files, whose athlete, which
time zone) and a progress callback (fraction 0-1, what it is doing), and returns the
result document the job page and `/api/jobs/{id}` show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from backcheck.errors import MissingExtraError
from backcheck.store import Store

Progress = Callable[[float, str], None]
Task = Callable[[Store, dict[str, Any], Progress, Path], dict[str, Any]]


def run_import(
    store: Store, job: dict[str, Any], progress: Progress, _videos: Path
) -> dict[str, Any]:
    """Workout exports: `import_files` (all files in one transaction); the CONTRACT summary."""
    from backcheck.imports import import_files

    p = job["payload"]

    def step(stage: str, done: int, total: int) -> None:
        if stage == "read":
            progress(0.4 * done / max(total, 1), f"read {done} of {total} files")
        else:
            progress(0.4 + 0.6 * done / max(total, 1), f"stored {done:,} of {total:,} sets")

    summary = import_files(
        store,
        athlete=p["athlete"],
        paths=[Path(f) for f in p["files"]],
        fmt=p.get("format") or "auto",
        unit=p.get("unit"),
        tz=ZoneInfo(p["tz"]),
        strict=p.get("strict") is True,
        progress=step,
    )
    doc = summary.to_json()
    for f in doc["files"]:
        f["path"] = Path(f["path"]).name
    return doc


def _diary(kind: str) -> Task:
    def run(store: Store, job: dict[str, Any], progress: Progress, _videos: Path) -> dict[str, Any]:
        from backcheck.diary import import_pain, import_recovery

        reader = import_pain if kind == "pain" else import_recovery
        p = job["payload"]
        files = []
        for i, name in enumerate(p["files"]):
            progress(i / len(p["files"]), f"reading {Path(name).name}")
            doc = reader(store, athlete=p["athlete"], path=Path(name), tz=ZoneInfo(p["tz"]))
            files.append({**doc, "path": Path(doc["path"]).name})
        return {"files": files, "new": sum(f["new"] for f in files)}

    run.__doc__ = f"{kind} files: `diary.import_{kind}` for each, one transaction per file."
    return run


def annotated_path(videos: Path, job_id: str) -> Path:
    """Where the annotated copy of a job's video is kept."""
    return videos / f"{job_id}.mp4"


def run_video(
    store: Store, job: dict[str, Any], progress: Progress, videos: Path
) -> dict[str, Any]:
    """A form check: `analyse_video` (video or landmarks CSV), then store its result."""
    try:
        from backcheck.video import analyse_video
    except ImportError as exc:
        raise MissingExtraError("video", exc.name or "backcheck.video") from None
    from backcheck.formchecks import form_check, store_form_check

    p = job["payload"]
    source = Path(p["files"][0])
    out = annotated_path(videos, job["id"]) if p["kind"] == "video" else None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    progress(0.02, "finding the body in each frame" if out else "reading the landmarks")
    result = analyse_video(
        source,
        exercise=p["exercise"],
        out=out,
        progress=lambda done, total: progress(
            0.9 * done / max(total, 1), f"posed {done} of {total} frames"
        ),
    )
    given = p.get("recorded_on")
    check = form_check(
        source, result, tz=p["tz"], given_day=date.fromisoformat(given) if given else None
    )
    progress(0.95, "storing the result")
    new = store_form_check(store, athlete=p["athlete"], check=check)
    return {
        "video": check.result,
        "source": source.name,
        "recorded_on": check.recorded.day.isoformat(),
        "annotated": bool(out is not None and out.exists()),
        "new": new,
    }


TASKS: dict[str, Task] = {
    "import": run_import,
    "pain": _diary("pain"),
    "recovery": _diary("recovery"),
    "video": run_video,
}
