"""Hevy's workout CSV export -> canonical sets.

Header (one row per set): title, start_time, end_time, description, exercise_title, superset_id,
exercise_notes, set_index, set_type, weight_kg | weight_lbs, reps, distance_km | distance_miles,
duration_seconds, rpe. The unit is in the column name, so `--unit` is not needed.

- `start_time` / `end_time` are local wall-clock times in the phone's language ("15 Sep 2025,
  07:48", "15. Sep. 2025, 07:48", "15 sept. 2025, 07:48", ISO ...; see `dates`): read in the
  athlete's zone and stored in UTC. `duration_s` = end - start (null when end is missing or
  before start).
- `set_type` warmup / normal / failure / dropset -> warmup / working / failure / drop; blank ->
  working; anything else is an error.
- `set_index` is 0-based in Hevy and 1-based here.
- `duration_seconds` and distance of 0 mean "not logged" on lifting sets: null here.
- session_name = title (emoji kept), session_notes = description, notes = exercise_notes.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.ingest.columns import (
    KM_TO_M,
    LB_TO_KG,
    MILE_TO_M,
    blank_to_null,
    rir_from_rpe,
    to_float,
    to_int,
)
from backcheck.ingest.csvtext import Table
from backcheck.ingest.dates import to_utc
from backcheck.ingest.limits import MAX_SET_NUMBER
from backcheck.ingest.rowerrors import RowErrors
from backcheck.ingest.sheet import (
    LINE,
    header_index,
    load_sheet,
    nonzero,
    order_within,
    parsed_file,
    require_columns,
    set_types,
    split_unnamed,
)
from backcheck.model import ParsedFile

FORMAT = "hevy"
SET_TYPE_MAP = {"warmup": "warmup", "normal": "working", "failure": "failure", "dropset": "drop"}
REQUIRED: tuple[str | tuple[str, ...], ...] = (
    "title",
    "start_time",
    "exercise_title",
    "set_type",
    "reps",
    ("weight_kg", "weight_lbs"),
)
#: Free-text columns (an unquoted comma may hide in them), most likely first, and the number
#: columns a rejoined row must still read as numbers.
_TEXT = ("exercise_title", "title", "description", "exercise_notes")
_NUMBERS = (
    "weight_kg",
    "weight_lbs",
    "reps",
    "distance_km",
    "distance_miles",
    "duration_seconds",
    "rpe",
    "set_index",
)
COLUMNS = (
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "exercise_notes",
    "set_index",
    "set_type",
    "weight_kg",
    "weight_lbs",
    "reps",
    "distance_km",
    "distance_miles",
    "duration_seconds",
    "rpe",
)


def matches(table: Table) -> bool:
    """True for Hevy's header (exercise_title, start_time, set_type)."""
    return table.header is not None and {"exercise_title", "start_time", "set_type"} <= set(
        header_index(table)
    )


def _scaled(
    frame: pl.DataFrame,
    options: dict[str, float],
    *,
    path: str,
    lines: list[int],
    errors: RowErrors,
    minimum: float | None = None,
) -> pl.Series:
    """The first of `options` (column -> factor to canonical unit) the file has, converted."""
    for name, factor in options.items():
        if name in frame.columns:
            values = to_float(
                frame[name], path=path, lines=lines, label=name, minimum=minimum, errors=errors
            )
            return values * factor
    return pl.Series([None] * frame.height, dtype=pl.Float64)


def read(path: Path, *, unit: str | None, tz: ZoneInfo) -> ParsedFile:
    """Read a Hevy export; times are local in `tz`. `unit` is ignored (the header says it)."""
    sheet = load_sheet(path, rejoin=_TEXT, numeric=_NUMBERS)
    require_columns(sheet, REQUIRED)
    frame = sheet.select(COLUMNS)
    frame, skipped = split_unnamed(frame, "exercise_title")
    p = sheet.path
    lines = frame[LINE].to_list()
    errors = RowErrors(p, lines)
    notes = [f"--unit {unit} ignored: Hevy's header states the unit"] if unit else []

    def optional(name: str) -> pl.Series:
        if name in frame.columns:
            return blank_to_null(frame[name])
        return pl.Series(name, [None] * frame.height, dtype=pl.String)

    raw_start = frame["start_time"]
    start = to_utc(raw_start, path=p, lines=lines, label="start_time", tz=tz, errors=errors)
    errors.flag(blank_to_null(raw_start).is_null(), lambda i: "start_time is blank")
    end = to_utc(
        optional("end_time").fill_null(""),
        path=p,
        lines=lines,
        label="end_time",
        tz=tz,
        errors=errors,
    )
    seconds = (end - start).dt.total_microseconds() / 1e6
    rpe = to_float(
        optional("rpe"), path=p, lines=lines, label="rpe", minimum=0, maximum=10, errors=errors
    )
    out = pl.DataFrame(
        {
            "session_start": start,
            "session_name": optional("title"),
            "session_notes": optional("description"),
            "duration_s": pl.select(pl.when(seconds >= 0).then(seconds)).to_series(),
            "exercise": frame["exercise_title"].str.strip_chars(),
            "set_type": set_types(
                frame["set_type"],
                path=p,
                lines=lines,
                label="set_type",
                mapping=SET_TYPE_MAP,
                errors=errors,
            ),
            "weight_kg": _scaled(
                frame,
                {"weight_kg": 1.0, "weight_lbs": LB_TO_KG},
                path=p,
                lines=lines,
                errors=errors,
            ),
            "reps": to_int(
                frame["reps"], path=p, lines=lines, label="reps", minimum=0, errors=errors
            ),
            "rpe": rpe,
            "rir": rir_from_rpe(rpe),
            "distance_m": nonzero(
                _scaled(
                    frame,
                    {"distance_km": KM_TO_M, "distance_miles": MILE_TO_M},
                    path=p,
                    lines=lines,
                    errors=errors,
                    minimum=0,
                )
            ),
            "seconds": nonzero(
                to_float(
                    optional("duration_seconds"),
                    path=p,
                    lines=lines,
                    label="duration_seconds",
                    minimum=0,
                    errors=errors,
                )
            ),
            "notes": optional("exercise_notes"),
            "source_file": pl.Series([Path(p).name] * frame.height, dtype=pl.String),
            "source_line": frame[LINE],
        }
    )
    given = (
        to_int(
            optional("set_index"),
            path=p,
            lines=lines,
            label="set_index",
            minimum=0,
            maximum=MAX_SET_NUMBER,
            errors=errors,
        )
        + 1
    )
    keep = errors.keep()
    out = out.with_columns(given=given).filter(keep)
    out = out.with_columns(
        set_index=pl.col("given").fill_null(order_within(out, ["session_start", "exercise"]))
    ).drop("given")
    skipped.extend(errors.skipped())
    return parsed_file(sheet, out, format=FORMAT, skipped=skipped, notes=notes)
