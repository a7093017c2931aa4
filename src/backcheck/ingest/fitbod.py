"""Fitbod's workout CSV export -> canonical sets.

Header (one row per set): Date, Exercise, Reps, Weight(kg), Duration(s), Distance(m), Incline,
Resistance, isWarmup, Note, multiplier. `Weight(lbs)` instead of `Weight(kg)` is read as pounds;
`Distance(km)` / `Distance(mi)` likewise. Incline and Resistance (machine settings) are not kept.
`multiplier` (2 for exercises done with two dumbbells) is not applied: weights stay as logged,
per dumbbell, as Hevy and Strong log them.

- `Date` is "2021-03-01 17:34:00 +0000" (with an offset: converted exactly) or
  "2021-03-01 17:34:00" (no offset: local wall-clock time in the athlete's zone).
- A session is the rows sharing one `Date` value (Fitbod stamps every set of a workout with
  the workout's start). In a file where every row has its own time stamp (no value repeats),
  a session is instead a run of rows on the same local day with gaps under 2 hours, starting
  at its first time stamp. `duration_s` is not in the export (null).
- `isWarmup` true / false (also 1 / 0, yes / no; blank = false) -> warmup / working.
- `set_index` = order within (session, exercise), by time stamp and then file order.
- Duration 0 and distance 0 mean "not logged" on lifting sets: null here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.errors import InputError
from backcheck.ingest.columns import KM_TO_M, LB_TO_KG, MILE_TO_M, blank_to_null, to_float, to_int
from backcheck.ingest.csvtext import Table
from backcheck.ingest.dates import to_utc
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

FORMAT = "fitbod"
SESSION_GAP = timedelta(hours=2)
WARMUP_WORDS = {
    "true": "warmup",
    "1": "warmup",
    "yes": "warmup",
    "false": "working",
    "0": "working",
    "no": "working",
}
#: The number columns a row whose unquoted comma in a name was rejoined must still read as.
_NUMBERS = ("reps", "weight(kg)", "weight(lbs)", "duration(s)", "distance(m)", "multiplier")
_WEIGHT = re.compile(r"^weight\s*\((kg|kgs|lb|lbs)\)$")
_DISTANCE = re.compile(r"^distance\s*\((m|km|mi)\)$")
_DURATION = re.compile(r"^duration\s*\((s)\)$")
_FACTORS = {
    "kg": 1.0,
    "kgs": 1.0,
    "lb": LB_TO_KG,
    "lbs": LB_TO_KG,
    "m": 1.0,
    "km": KM_TO_M,
    "mi": MILE_TO_M,
    "s": 1.0,
}


def _find(header: list[str], pattern: re.Pattern[str]) -> tuple[str, float] | None:
    """(folded column name, factor to canonical unit) of the first header name matching."""
    for name in header:
        m = pattern.match(name)
        if m:
            return name, _FACTORS[m.group(1)]
    return None


def matches(table: Table) -> bool:
    """True for Fitbod's header: Date, Exercise, Reps, isWarmup."""
    return table.header is not None and {"date", "exercise", "reps", "iswarmup"} <= set(
        header_index(table)
    )


def session_starts(times: pl.Series, *, tz: ZoneInfo) -> pl.Series:
    """Start of the session each set belongs to (UTC), for set time stamps `times` (UTC).

    Shared time stamps: each distinct value is a session (its own start). All distinct: rows
    sorted by time form a session while on the same local day in `tz` and < 2 h apart.
    """
    if times.n_unique() < times.len():
        return times
    frame = pl.DataFrame({"t": times, "i": pl.int_range(times.len(), eager=True)}).sort("t")
    day = pl.col("t").dt.convert_time_zone(tz.key).dt.date()
    new = ((pl.col("t").diff() >= SESSION_GAP) | (day != day.shift(1))).fill_null(True)
    frame = frame.with_columns(session=new.cum_sum())
    frame = frame.with_columns(start=pl.col("t").min().over("session"))
    return frame.sort("i")["start"].alias(times.name)


def read(path: Path, *, unit: str | None, tz: ZoneInfo) -> ParsedFile:
    """Read a Fitbod export. Date values without an offset are local in `tz`; `unit` is
    ignored (the header says kg or lbs)."""
    sheet = load_sheet(path, rejoin=("exercise", "note"), numeric=_NUMBERS)
    weight = _find(sheet.header, _WEIGHT)
    distance = _find(sheet.header, _DISTANCE)
    duration = _find(sheet.header, _DURATION)
    require_columns(
        sheet,
        (
            "date",
            "exercise",
            "reps",
            "iswarmup",
            weight[0] if weight else "Weight(kg) or Weight(lbs)",
        ),
    )
    if weight is None:  # pragma: no cover - require_columns raised
        raise InputError(sheet.path, 1, "missing column: Weight(kg) or Weight(lbs)")
    wanted = ["date", "exercise", "reps", "iswarmup", "note", "multiplier", weight[0]]
    wanted += [c[0] for c in (distance, duration) if c]
    frame = sheet.select(wanted)
    frame, skipped = split_unnamed(frame, "exercise")
    p = sheet.path
    lines = frame[LINE].to_list()
    errors = RowErrors(p, lines)
    notes = [f"--unit {unit} ignored: Fitbod's header states the unit"] if unit else []
    if "multiplier" in frame.columns:
        factor = to_float(
            frame["multiplier"],
            path=p,
            lines=lines,
            label="multiplier",
            minimum=0,
            errors=RowErrors(p, lines),
        )  # a bad multiplier matters to no set
        doubled = int((factor.fill_null(1.0) != 1.0).sum())
        if doubled:
            notes.append(
                f"{doubled} set(s) have a multiplier other than 1 (two dumbbells): their weight "
                "is kept as logged, per dumbbell"
            )
    empty = pl.Series([""] * frame.height, dtype=pl.String)

    def scaled(found: tuple[str, float] | None, label: str) -> pl.Series:
        values = frame[found[0]] if found else empty
        factor = found[1] if found else 1.0
        read = to_float(values, path=p, lines=lines, label=label, minimum=0, errors=errors)
        return read * factor

    times = to_utc(frame["date"], path=p, lines=lines, label="Date", tz=tz, errors=errors)
    errors.flag(blank_to_null(frame["date"]).is_null(), lambda i: "Date is blank")
    out = pl.DataFrame(
        {
            "time": times,
            "exercise": frame["exercise"].str.strip_chars(),
            "set_type": set_types(
                frame["iswarmup"],
                path=p,
                lines=lines,
                label="isWarmup",
                mapping=WARMUP_WORDS,
                errors=errors,
            ),
            "weight_kg": to_float(
                frame[weight[0]], path=p, lines=lines, label="Weight", errors=errors
            )
            * weight[1],
            "reps": to_int(
                frame["reps"], path=p, lines=lines, label="Reps", minimum=0, errors=errors
            ),
            "distance_m": nonzero(scaled(distance, "Distance")),
            "seconds": nonzero(scaled(duration, "Duration")),
            "notes": blank_to_null(frame["note"] if "note" in frame.columns else empty),
            "source_file": pl.Series([Path(p).name] * frame.height, dtype=pl.String),
            "source_line": frame[LINE],
        }
    ).filter(errors.keep())
    skipped.extend(errors.skipped())
    out = out.with_columns(session_start=session_starts(out["time"], tz=tz))
    ordered = out.sort(["time", "source_line"])
    ordered = ordered.with_columns(set_index=order_within(ordered, ["session_start", "exercise"]))
    out = ordered.sort("source_line")
    return parsed_file(sheet, out, format=FORMAT, skipped=skipped, notes=notes)
