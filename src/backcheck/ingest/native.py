"""backcheck's own set CSV: the canonical columns (model.SET_SCHEMA) by name, one set a row.

Header: any of the SET_SCHEMA column names, in any order; `session_start`, `exercise` and
`set_type` are required, the others may be left out (they read as null). `session_start` is
ISO 8601, with an offset (`2026-01-05T17:30:00+00:00`); one without an offset is wall-clock time
in the athlete's zone. Units are the canonical ones: kg, metres, seconds; `set_type` one of
warmup, working, drop, failure. `source_file` / `source_line`, when given, are kept (they name
the export the set first came from); when blank they name this file and line.

`write_csv` writes this format; reading what it wrote gives back the same frame. Text cells
are written as-is, but an empty text cell reads back as null (CSV cannot tell "" from nothing).

The table helpers the CSV importers share are in `sheet`.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.ingest.columns import blank_to_null, rir_from_rpe, to_float, to_int
from backcheck.ingest.csvtext import Table
from backcheck.ingest.dates import to_utc
from backcheck.ingest.limits import MAX_SET_NUMBER
from backcheck.ingest.rowerrors import RowErrors
from backcheck.ingest.sheet import (
    LINE,
    header_index,
    load_sheet,
    order_within,
    parsed_file,
    require_columns,
    set_types,
    split_unnamed,
)
from backcheck.model import SET_SCHEMA, SET_TYPES, ParsedFile, conform_sets

__all__ = ["FORMAT", "REQUIRED", "matches", "read", "write_csv"]

FORMAT = "backcheck"
REQUIRED = ("session_start", "exercise", "set_type")
#: The number columns a row whose unquoted comma in a name was rejoined must still read as.
_NUMBERS = (
    "duration_s",
    "set_index",
    "weight_kg",
    "reps",
    "rpe",
    "rir",
    "distance_m",
    "seconds",
    "source_line",
)


def matches(table: Table) -> bool:
    """True when the header names session_start, exercise and set_type."""
    return table.header is not None and set(REQUIRED) <= set(header_index(table))


def _text(values: pl.Series) -> pl.Series:
    """Text kept exactly; only an empty cell is null."""
    return pl.select(pl.when(values != "").then(values)).to_series().alias(values.name)


def read(path: Path, *, unit: str | None, tz: ZoneInfo) -> ParsedFile:
    """Read backcheck's set CSV. `unit` is ignored (the format is kg by definition);
    naive `session_start` values are wall-clock time in `tz`."""
    sheet = load_sheet(
        path, rejoin=("exercise", "session_name", "notes", "session_notes"), numeric=_NUMBERS
    )
    require_columns(sheet, REQUIRED)
    notes: list[str] = []
    extra = [h for h in sheet.header if h not in SET_SCHEMA]
    if extra:
        notes.append(f"ignored column(s) backcheck does not know: {', '.join(extra)}")
    frame = sheet.select(list(SET_SCHEMA))
    frame, skipped = split_unnamed(frame, "exercise")
    lines = frame[LINE].to_list()
    p = sheet.path
    errors = RowErrors(p, lines)

    def col(name: str) -> pl.Series:
        if name in frame.columns:
            return frame[name]
        return pl.Series(name, [""] * frame.height, dtype=pl.String)

    def num(name: str, minimum: float | None = None, maximum: float | None = None) -> pl.Series:
        return to_float(
            col(name),
            path=p,
            lines=lines,
            label=name,
            minimum=minimum,
            maximum=maximum,
            errors=errors,
        )

    raw_start = col("session_start")
    starts = to_utc(raw_start, path=p, lines=lines, label="session_start", tz=tz, errors=errors)
    errors.flag(blank_to_null(raw_start).is_null(), lambda i: "session_start is blank")
    rpe = num("rpe", minimum=0, maximum=10)
    out = pl.DataFrame(
        {
            "session_start": starts,
            "session_name": _text(col("session_name")),
            "session_notes": _text(col("session_notes")),
            "duration_s": num("duration_s", minimum=0),
            "exercise": col("exercise").str.strip_chars(),
            "set_type": set_types(
                col("set_type"),
                path=p,
                lines=lines,
                label="set_type",
                mapping={t: t for t in SET_TYPES},
                errors=errors,
            ),
            "weight_kg": num("weight_kg"),
            "reps": to_int(
                col("reps"), path=p, lines=lines, label="reps", minimum=0, errors=errors
            ),
            "rpe": rpe,
            "rir": num("rir", minimum=0).fill_null(rir_from_rpe(rpe)),
            "distance_m": num("distance_m", minimum=0),
            "seconds": num("seconds", minimum=0),
            "notes": _text(col("notes")),
            "source_file": _text(col("source_file")).fill_null(Path(p).name),
            "source_line": to_int(
                col("source_line"),
                path=p,
                lines=lines,
                label="source_line",
                minimum=1,
                errors=errors,
            ).fill_null(frame[LINE]),
        }
    )
    given = to_int(
        col("set_index"),
        path=p,
        lines=lines,
        label="set_index",
        minimum=1,
        maximum=MAX_SET_NUMBER,
        errors=errors,
    )
    out = out.with_columns(given=given).filter(errors.keep())
    out = out.with_columns(
        set_index=pl.col("given").fill_null(order_within(out, ["session_start", "exercise"]))
    ).drop("given")
    skipped.extend(errors.skipped())
    return parsed_file(sheet, out, format=FORMAT, skipped=skipped, notes=notes)


def write_csv(frame: pl.DataFrame, path: str | Path) -> None:
    """Write canonical sets (SET_SCHEMA columns; others dropped) as backcheck's own CSV.

    `session_start` is written as ISO 8601 in UTC with its offset, e.g.
    2026-01-05T17:30:00+00:00 (fractional seconds only when there are any).
    """
    sets = conform_sets(frame).with_columns(
        pl.col("session_start").dt.to_string("%Y-%m-%dT%H:%M:%S%.f%:z")
    )
    sets.write_csv(Path(path))
