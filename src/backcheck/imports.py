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
from backcheck.ingest.columns import LB_TO_KG
from backcheck.keys import file_hash
from backcheck.model import ParsedFile
from backcheck.store import Store
from backcheck.store.athletes import athlete_id
from backcheck.store.importing import SetsImport
from backcheck.store.importlog import record_import, reread_weights
from backcheck.store.workouts import add_sets, lock_athlete
from backcheck.units import unit_notes

#: progress(stage, done, total): stage is "read" (files) or "store" (sets).
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class FileResult:
    """One file's outcome: what was kept, what was skipped (with reasons), what was new,
    which import it is (`backcheck imports`), and how many stored sets it re-read in
    another unit."""

    parsed: ParsedFile
    new_sets: int = 0
    import_id: int | None = None
    reread: int = 0

    def to_json(self) -> dict[str, Any]:
        p = self.parsed
        return {
            "path": p.path,
            "format": p.format,
            "sessions": p.sessions,
            "sets": p.sets.height,
            "rows": p.rows,
            "new_sets": self.new_sets,
            "import_id": self.import_id,
            "reread_sets": self.reread,
            "skipped": [
                {"line": s.line, "why": s.why, "unreadable": s.unreadable} for s in p.skipped
            ],
            "notes": list(p.notes),
        }


@dataclass(slots=True)
class ImportSummary:
    """What `import` did (the `--json` document of docs/interface.md, plus per-file extras)."""

    files: list[FileResult] = field(default_factory=list)
    new_sessions: int = 0
    new_sets: int = 0
    already_there: int = 0
    reread: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.to_json() for f in self.files],
            "new_sessions": self.new_sessions,
            "new_sets": self.new_sets,
            "already_there": self.already_there,
            "reread_sets": self.reread,
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
    hashes: list[str | None] = []
    for i, path in enumerate(paths):
        parsed = read_export(path, fmt=fmt, unit=unit, tz=tz, strict=strict)
        if unit is None:
            parsed.notes[:] = unit_notes(parsed)
        results.append(FileResult(parsed))
        hashes.append(file_hash(path) if Path(path).is_file() else None)  # a pipe: read once
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
        sets_import = SetsImport(conn, athlete)
        writes = []
        for result, path, digest in zip(results, paths, hashes, strict=True):
            parsed = result.parsed
            if unit is not None:  # the same sets stored from a reading in the other unit
                factor = 1 / LB_TO_KG if unit == "lb" else LB_TO_KG
                result.reread = reread_weights(conn, who, parsed.sets, factor=factor)
            counts = add_sets(
                conn, who, map_exercises(parsed.sets), source_format=parsed.format, progress=advance
            )
            writes.append(counts)
            result.new_sets = counts.new_sets
            summary.new_sessions += counts.new_sessions
            summary.new_sets += counts.new_sets
            summary.already_there += counts.already_there - result.reread
            summary.reread += result.reread
            result.import_id = record_import(
                conn,
                who,
                file_name=Path(parsed.path).name,
                path=str(path),
                fmt=parsed.format,
                unit=unit,
                content_hash=digest,
                rows=parsed.rows,
                sets=parsed.sets.height,
                new_sets=counts.new_sets,
                skipped=[{"line": s.line, "why": s.why} for s in parsed.skipped],
                keys=counts.keys if counts.keys is not None else pl.Series([], dtype=pl.Int64),
            )
        # Re-read sets are not as they were: the next read goes through the store.
        sets_import.finish(conn, writes, exact=summary.reread == 0)
    return summary
