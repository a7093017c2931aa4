"""Undo: list and delete imports, pain diary days and whole athletes.

The core calls behind `backcheck imports [delete]`, `pain list` / `pain delete`, `athletes
delete`, and the same pages and REST routes of the web app. Each delete is one transaction;
the store drops the athlete's cached inputs once it has committed (store.erase), and, for a
whole athlete, this module removes the files their web uploads left (upload folders,
annotated videos).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from backcheck.errors import NotFoundError, UsageError
from backcheck.store import Store
from backcheck.store.athletes import athlete_id
from backcheck.store.erase import delete_athletes, delete_pain, flush_deleted, pain_rows
from backcheck.store.importlog import delete_import as store_delete_import
from backcheck.store.importlog import list_imports as store_list_imports
from backcheck.store.workouts import lock_athlete


def list_imports(store: Store, *, athlete: str) -> list[dict[str, Any]]:
    """`athlete`'s imports, oldest first: id, path, format, unit (--unit as given; null: as
    the file says, else kg), sessions and sets of theirs stored now, imported_at (ISO, UTC)."""
    with store.transaction() as conn:
        rows = store_list_imports(conn, athlete_id(conn, athlete))
    return [
        {
            "id": r["id"],
            "path": r["path"],
            "format": r["format"],
            "unit": r["unit"],
            "sessions": r["sessions"],
            "sets": r["sets"],
            "imported_at": r["imported_at"].isoformat(),
        }
        for r in rows
    ]


def delete_import(store: Store, *, athlete: str, import_id: int) -> dict[str, int]:
    """Undo one import of `athlete`: its sets that no other import holds, and the sessions
    left empty; returns {"sets", "sessions"} deleted. NotFoundError for an unknown id."""
    if not 1 <= import_id < 2**63:  # no such id can be stored (nor sent to the driver)
        raise NotFoundError(f"no import {import_id} (`backcheck imports` lists them)")
    with store.transaction() as conn:
        who = athlete_id(conn, athlete)
        lock_athlete(conn, who)
        done = store_delete_import(conn, who, import_id)
    flush_deleted(store.engine)
    return done


def parse_day(value: str) -> date:
    """An ISO date (YYYY-MM-DD); UsageError naming DATE otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("DATE", f"not a date: {value!r} (expected YYYY-MM-DD)") from None


def list_pain(store: Store, *, athlete: str, tz: ZoneInfo) -> list[dict[str, Any]]:
    """`athlete`'s pain diary, oldest first: date (local day in `tz`), at (ISO, UTC), level
    (0-10), region, note."""
    with store.transaction() as conn:
        rows = pain_rows(conn, athlete_id(conn, athlete))
    return [
        {
            "date": r["at"].astimezone(tz).date().isoformat(),
            "at": r["at"].isoformat(),
            "level": r["level"],
            "region": r["region"],
            "note": r["note"],
        }
        for r in rows
    ]


def delete_pain_day(store: Store, *, athlete: str, day: str | date, tz: ZoneInfo) -> int:
    """Delete every pain entry of `athlete` on local day `day` (in `tz`); returns how many.
    NotFoundError when that day has none."""
    wanted = parse_day(day) if isinstance(day, str) else day
    with store.transaction() as conn:
        who = athlete_id(conn, athlete)
        lock_athlete(conn, who)
        ids = [r["id"] for r in pain_rows(conn, who) if r["at"].astimezone(tz).date() == wanted]
        if not ids:
            raise NotFoundError(f"no pain entries on {wanted.isoformat()} (`backcheck pain list`)")
        gone = delete_pain(conn, who, ids)
    flush_deleted(store.engine)
    return gone


def delete_athlete(store: Store, *, athlete: str, videos: Path | None = None) -> dict[str, int]:
    """Delete `athlete` with every row of theirs (sets, sessions, diary, recovery, answers,
    form checks, imports, web jobs, ownership and coach links), then their snapshot files,
    their jobs' upload folders and annotated videos (in `videos`, the web app's folder, when
    given). Returns the rows deleted per table. NotFoundError for an unknown athlete."""
    from backcheck.store.webjobs import athlete_jobs

    with store.transaction() as conn:
        who = athlete_id(conn, athlete)
        lock_athlete(conn, who)
        jobs = athlete_jobs(conn, who)
        counts = delete_athletes(conn, [who])
    flush_deleted(store.engine)
    remove_job_files(jobs, videos)
    return counts


def remove_job_files(jobs: list[dict[str, Any]], videos: Path | None) -> None:
    """Delete what these web jobs left on disk: upload folders, annotated videos."""
    for job in jobs:
        if videos is not None:
            (videos / f"{job['id']}.mp4").unlink(missing_ok=True)
        folder = (job.get("payload") or {}).get("folder")
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
