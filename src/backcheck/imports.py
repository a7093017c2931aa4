"""Import workout exports: the one core call behind `backcheck import` and the web upload.

Every file is read and checked before anything is written; then all of them are stored in
one transaction, so a bad file anywhere leaves the store unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.ingest import read_export
from backcheck.model import ParsedFile
from backcheck.store import Store
from backcheck.store.athletes import athlete_id
from backcheck.store.diary import record_import
from backcheck.store.inputs import SetsSnapshotUpdate
from backcheck.store.workouts import add_sets, lock_athlete

#: progress(stage, done, total): stage is "read" (files) or "store" (sets).
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class FileResult:
    """One file's outcome: what was kept, what was skipped (with reasons), what was new."""

    parsed: ParsedFile
    new_sets: int = 0

    def to_json(self) -> dict[str, Any]:
        p = self.parsed
        return {
            "path": p.path,
            "format": p.format,
            "sessions": p.sessions,
            "sets": p.sets.height,
            "rows": p.rows,
            "new_sets": self.new_sets,
            "skipped": [
                {"line": s.line, "why": s.why, "unreadable": s.unreadable} for s in p.skipped
            ],
            "notes": list(p.notes),
        }


@dataclass(slots=True)
class ImportSummary:
    """What `import` did (the `--json` document of CONTRACT.md, plus per-file extras)."""

    files: list[FileResult] = field(default_factory=list)
    new_sessions: int = 0
    new_sets: int = 0
    already_there: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.to_json() for f in self.files],
            "new_sessions": self.new_sessions,
            "new_sets": self.new_sets,
            "already_there": self.already_there,
        }


def map_exercises(sets: pl.DataFrame) -> pl.DataFrame:
    """Add `exercise_key` (catalog key, null when unmapped) to canonical sets."""
    from backcheck.catalog import load_catalog

    names = sets["exercise"].unique().to_list()
    mapping = load_catalog().map_names(names)
    return sets.with_columns(
        pl.col("exercise")
        .replace_strict(mapping, default=None, return_dtype=pl.String)
        .alias("exercise_key")
    )


def import_files(
    store: Store,
    *,
    athlete: str,
    paths: Sequence[str | Path],
    fmt: str = "auto",
    unit: str | None = None,
    tz: ZoneInfo,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Read every file in `paths`, then store them all in one transaction.

    The row policy (`ingest.read_export`): unreadable rows are skipped and listed; a file with
    too many of them, or with any when `strict`, raises InputError and nothing is stored.
    """
    results: list[FileResult] = []
    for i, path in enumerate(paths):
        results.append(FileResult(read_export(path, fmt=fmt, unit=unit, tz=tz, strict=strict)))
        if progress:
            progress("read", i + 1, len(paths))
    summary = ImportSummary(files=results)
    total = sum(r.parsed.sets.height for r in results)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("store", done, total)

    with store.transaction() as conn:
        who = athlete_id(conn, athlete, create=True)
        lock_athlete(conn, who)
        snapshot = SetsSnapshotUpdate(conn, athlete)
        writes = []
        for result in results:
            parsed = result.parsed
            counts = add_sets(
                conn, who, map_exercises(parsed.sets), source_format=parsed.format, progress=advance
            )
            writes.append(counts)
            result.new_sets = counts.new_sets
            summary.new_sessions += counts.new_sessions
            summary.new_sets += counts.new_sets
            summary.already_there += counts.already_there
            record_import(
                conn,
                who,
                file_name=Path(parsed.path).name,
                fmt=parsed.format,
                rows=parsed.rows,
                sets=parsed.sets.height,
                new_sets=counts.new_sets,
                skipped=[{"line": s.line, "why": s.why} for s in parsed.skipped],
            )
        write_snapshot = snapshot.finish(conn, writes)
    if write_snapshot is not None:  # committed: the first `why` after it reads the snapshot
        write_snapshot()
    return summary
