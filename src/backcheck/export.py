"""Export for analysts: athletes' canonical sets, or their `why` results, as Parquet or CSV.

    export_data(store, what="sets", fmt="parquet", out=Path("sets.parquet"), tz="UTC",
                athletes=["ana"])  # athletes=None: every athlete in the store

Only the athletes asked for are written (`backcheck export` writes the `--athlete` unless
`--all-athletes`): a clinic's shared store must not leak one person's data into another's file.

`sets`: one row per stored set, columns `athlete`, model.SET_SCHEMA and `exercise_key`, sorted
by athlete then time: the Parquet file is itself a valid `backcheck batch` input. `results`:
one row per athlete, the columns of the `backcheck batch` output (batch.rows), analysed as of
`as_of` in zone `tz` (default: each athlete's analysis day, as `why` chooses it). Athletes are read one at a time, so memory holds one athlete's sets.
CSV: a header row, UTC times as `2026-03-02T07:15:00.000000Z`, dates as `YYYY-MM-DD`, empty
cells for nulls; a text cell (name, note, title) that starts with `= + - @`, a tab or a carriage
return gets a leading `'` so that a spreadsheet never runs it as a formula (OWASP CSV Injection;
textsafe.spreadsheet_safe). Parquet keeps every value as it is stored, in typed columns.
Both read directly in DuckDB (`read_parquet`, `read_csv`), Polars and Spark.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import polars as pl

from backcheck.errors import BackcheckError, NotFoundError, UsageError
from backcheck.model import SET_SCHEMA
from backcheck.store import Store
from backcheck.textsafe import spreadsheet_safe

FORMATS: Final = ("parquet", "csv")
WHAT: Final = ("sets", "results")
CSV_DATETIME: Final = "%Y-%m-%dT%H:%M:%S%.6fZ"
#: Columns of the sets export, in order.
SET_COLUMNS: Final = ("athlete", *SET_SCHEMA, "exercise_key")

#: progress(done, total): athletes exported so far, of all.
ExportProgress = Callable[[int, int], None]


@dataclass(slots=True)
class ExportSummary:
    """What an export wrote: the file, its format, athletes and rows (errors: result rows
    of athletes that could not be analysed)."""

    out: Path
    what: str
    fmt: str
    athletes: int = 0
    rows: int = 0
    errors: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "what": self.what,
            "format": self.fmt,
            "athletes": self.athletes,
            "rows": self.rows,
            "errors": self.errors,
        }


def _athletes(store: Store) -> list[str]:
    from backcheck.store.athletes import list_athletes

    with store.transaction() as conn:
        return [str(a["name"]) for a in list_athletes(conn)]


def athlete_sets(store: Store, athlete: str) -> pl.DataFrame:
    """One athlete's stored sets in the export's columns (SET_COLUMNS), in time order."""
    from backcheck.store.workouts import load_sets

    with store.transaction() as conn:
        sets = load_sets(conn, athlete)
    return sets.select(SET_COLUMNS).sort("session_start", "source_line", maintain_order=True)


def athlete_result(
    store: Store, athlete: str, *, tz: str, as_of: date | None, today: date | None = None
) -> dict[str, Any]:
    """One athlete's result row (batch.rows); an error row when the analysis fails.
    `as_of` None: the athlete's own analysis day, chosen from `today` (why.prepare_data)."""
    from backcheck.batch.rows import error_row, result_row
    from backcheck.why import analyse, load_data

    try:
        report = analyse(load_data(store, athlete=athlete, tz=tz, as_of=as_of, today=today))
        return result_row(report, notes=report.notes)
    except BackcheckError as exc:
        return error_row(athlete, exc.message, as_of=as_of)
    except Exception as exc:  # one athlete's failure never stops the export
        return error_row(athlete, f"{type(exc).__name__}: {exc}", as_of=as_of)


class _Sink:
    """Frames appended one at a time into one Parquet or CSV file, written whole then moved
    into place (Parquet: part files merged by a streaming scan)."""

    def __init__(self, out: Path, fmt: str, empty: pl.DataFrame) -> None:
        self.out, self.fmt, self.empty = out, fmt, empty
        self.tmpdir = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
        self.parts: list[Path] = []
        self.csv = self.tmpdir / "out.csv"
        self.first = True

    def add(self, frame: pl.DataFrame) -> None:
        if self.fmt == "csv":
            with self.csv.open("a", encoding="utf-8", newline="") as fh:
                spreadsheet_safe(frame).write_csv(
                    fh, include_header=self.first, datetime_format=CSV_DATETIME
                )
        elif frame.height or not self.parts:
            part = self.tmpdir / f"part-{len(self.parts):08d}.parquet"
            frame.write_parquet(part)
            self.parts.append(part)
        self.first = False

    def finish(self) -> None:
        if self.first:
            self.add(self.empty)
        if self.fmt == "csv":
            os.replace(self.csv, self.out)
        else:
            merged = self.tmpdir / "out.parquet"
            pl.scan_parquet(self.parts).sink_parquet(merged)
            os.replace(merged, self.out)

    def cleanup(self) -> None:
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def _empty(what: str) -> pl.DataFrame:
    from backcheck.batch.rows import ROW_SCHEMA
    from backcheck.model import STORED_SET_SCHEMA

    if what == "results":
        return pl.DataFrame(schema=ROW_SCHEMA)
    return pl.DataFrame(schema={c: STORED_SET_SCHEMA[c] for c in SET_COLUMNS})


def _frames(
    store: Store, what: str, athletes: list[str], tz: str, as_of: date | None, today: date
) -> Iterator[pl.DataFrame]:
    from backcheck.batch.rows import rows_frame

    if what == "sets":
        for athlete in athletes:
            yield athlete_sets(store, athlete)
        return
    chunk: list[dict[str, Any]] = []
    for athlete in athletes:
        chunk.append(athlete_result(store, athlete, tz=tz, as_of=as_of, today=today))
        if len(chunk) >= 500:
            yield rows_frame(chunk)
            chunk = []
    yield rows_frame(chunk)


def export_data(
    store: Store,
    *,
    what: str,
    fmt: str,
    out: str | Path,
    tz: str,
    as_of: date | None = None,
    athletes: Sequence[str] | None = None,
    progress: ExportProgress | None = None,
) -> ExportSummary:
    """Write `what` ("sets" or "results") of the stored `athletes` (None: every athlete in
    the store) to `out` as `fmt` ("parquet" or "csv"). Results are analysed as of `as_of`
    (default: each athlete's own analysis day, today in `tz` or the end of a log that ended
    more than 14 days ago, as `backcheck why` and `batch` choose it). The file appears only
    when complete; an existing file is replaced. NotFoundError, before anything is written,
    for a named athlete not stored."""
    from backcheck.clock import local_today
    from backcheck.settings import zone_from_name
    from backcheck.store.athletes import check_name

    if fmt not in FORMATS:
        raise UsageError("--format", f"must be parquet or csv, not {fmt!r}")
    if what not in WHAT:
        raise UsageError("--what", f"must be sets or results, not {what!r}")
    zone_from_name(tz)
    target = Path(out)
    if target.is_dir():
        raise UsageError("--out", f"{target} is a folder; give a file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    stored = _athletes(store)
    if athletes is None:
        chosen = stored
    else:
        chosen = [check_name(a) for a in athletes]
        missing = [a for a in chosen if a not in set(stored)]
        if missing:
            raise NotFoundError(
                f"no data stored for athlete {missing[0]!r} (--athlete chooses whose data; "
                "--all-athletes exports everyone's)"
            )
    athletes = chosen
    summary = ExportSummary(out=target, what=what, fmt=fmt, athletes=len(athletes))
    sink = _Sink(target, fmt, _empty(what))
    done = 0
    try:
        for frame in _frames(store, what, athletes, tz, as_of, local_today(tz)):
            sink.add(frame)
            summary.rows += frame.height
            if what == "results":
                summary.errors += int(frame["error"].is_not_null().sum())
            done += frame.height if what == "results" else 1
            if progress:
                progress(min(done, len(athletes)), len(athletes))
        sink.finish()
    finally:
        sink.cleanup()
    return summary
