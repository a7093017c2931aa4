"""FitNotes' CSV export -> canonical sets.

Header: Date, Exercise, Category, Weight, Weight Unit, Reps, Distance, Distance Unit, Time,
Comment. Older versions have no unit columns and put the unit in the name: `Weight (lbs)` or
`Weight (kgs)` (`Distance (km)` and the like too). Weight units lbs/lb/kgs/kg; distance units
m, km, mi/miles, ft, yd. A weight with no unit anywhere is read in `--unit` (kg when not given,
with a note). `Time` is "H:MM:SS", "MM:SS" or plain seconds.

Dates have no time of day. Each date is one session, placed at 12:00 local time. Noon is as
far as a time can be from both ends of the day: it stays on the same calendar date in UTC for
every offset from UTC-11 to UTC+12, so a date-only workout does not shift to the previous day
in UTC, as midnight would everywhere east of Greenwich (only UTC+13/+14, New Zealand summer,
Tonga, Samoa, Kiribati, still see the UTC date before; converted back to the athlete's zone
the date is always the one logged).
`set_index` = order of the row within (date, exercise).

FitNotes has no set types, so warm-up sets are inferred from ramping loads (`infer_warmups`):
within one exercise on one day, with top load T = the heaviest weight that day, the warm-ups are
the leading run of sets that each weigh less than 85% of T and no less than the set before
(a ramp). The run ends at the first set that is heavier than that or lighter than its
predecessor; every later set is working, back-off sets after the top sets included. So straight
sets (100 x 5 x 5) have no warm-up; 40, 60, 80, 100, 100, 100 has three (80 = 80% of the top);
45, 65, 95, 115, 135, 155 lbs has four (135 = 87% of 155 is a working set: for 10 reps it is
about as hard as 155 x 5). 85% sits between the last step of the usual 40-60-80% warm-up ramp
(a convention, docs/science.md section 2, grade C) and the loads of working sets. Sets without a
weight, or a day whose top load is 0 (bodyweight), have no inferred warm-up.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.errors import InputError
from backcheck.ingest.columns import KM_TO_M, LB_TO_KG, MILE_TO_M, blank_to_null, to_float, to_int
from backcheck.ingest.csvtext import Table
from backcheck.ingest.dates import dates_at_noon_utc
from backcheck.ingest.rowerrors import RowErrors, report
from backcheck.ingest.sheet import (
    LINE,
    header_index,
    load_sheet,
    nonzero,
    order_within,
    parsed_file,
    require_columns,
    split_unnamed,
)
from backcheck.model import ParsedFile

FORMAT = "fitnotes"
WARMUP_FRACTION = 0.85
WEIGHT_UNITS = {"kg": 1.0, "kgs": 1.0, "lb": LB_TO_KG, "lbs": LB_TO_KG}
DISTANCE_UNITS = {
    "m": 1.0,
    "metres": 1.0,
    "meters": 1.0,
    "km": KM_TO_M,
    "kms": KM_TO_M,
    "mi": MILE_TO_M,
    "mile": MILE_TO_M,
    "miles": MILE_TO_M,
    "ft": 0.3048,
    "feet": 0.3048,
    "yd": 0.9144,
    "yds": 0.9144,
    "yards": 0.9144,
}
_UNIT_IN_NAME = re.compile(r"^(weight|distance)\s*\((\w+)\)$")
#: The number columns a row whose unquoted comma in a name was rejoined must still read as.
_NUMBERS = (
    "weight",
    "reps",
    "distance",
    "weight (lbs)",
    "weight (kgs)",
    "weight (kg)",
    "weight (lb)",
)
COLUMNS = (
    "date",
    "exercise",
    "weight",
    "weight unit",
    "reps",
    "distance",
    "distance unit",
    "time",
    "comment",
)


def _header_units(header: list[str]) -> dict[str, tuple[str, str]]:
    """{"weight": ("weight (lbs)", "lbs"), ...} for old headers that name the unit."""
    found: dict[str, tuple[str, str]] = {}
    for name in header:
        m = _UNIT_IN_NAME.match(name)
        if m:
            found[m.group(1)] = (name, m.group(2))
    return found


def matches(table: Table) -> bool:
    """True for FitNotes' header: Date, Exercise, Category, Reps and a Weight column."""
    if table.header is None:
        return False
    names = set(header_index(table))
    has_weight = "weight" in names or "weight" in _header_units(list(names))
    return {"date", "exercise", "category", "reps"} <= names and has_weight


def warmup_flags(frame: pl.DataFrame, *, weight: str, keys: list[str]) -> pl.Series:
    """True for the inferred warm-up sets of `frame` (rows in set order; `weight` in any one
    unit; `keys` = the columns that make one exercise on one day). See the module docstring:
    the leading non-decreasing run of sets under WARMUP_FRACTION (85%) of the day's top load."""
    w = pl.col(weight)
    top = w.max().over(keys)
    previous = w.shift(1).over(keys)
    ramp = (
        w.is_not_null()
        & (top > 0)
        & (w < WARMUP_FRACTION * top)
        & (previous.is_null() | (w >= previous))
    ).fill_null(False)
    # Warm-up while every set so far in the group is a ramp set.
    return frame.select(ramp.cast(pl.Int8).cum_min().over(keys).cast(pl.Boolean)).to_series()


def infer_warmups(weights: list[float | None]) -> list[bool]:
    """Warm-up flags for the sets of one exercise on one day (loads in order, one unit)."""
    frame = pl.DataFrame({"w": pl.Series(weights, dtype=pl.Float64), "k": [0] * len(weights)})
    return warmup_flags(frame, weight="w", keys=["k"]).to_list()


def clock_seconds(
    values: pl.Series,
    *,
    path: str,
    lines: list[int],
    label: str,
    errors: RowErrors | None = None,
) -> pl.Series:
    """ "H:MM:SS", "MM:SS" or plain seconds -> seconds (Float64); blank -> null. Anything else
    raises InputError at its line, or with `errors` is recorded there (null)."""
    s = blank_to_null(values)
    parts = s.str.split(":")
    count = parts.list.len()
    nums = parts.list.eval(pl.element().str.strip_chars().cast(pl.Float64, strict=False))
    bad = s.is_not_null() & (
        (count > 3) | nums.list.eval(pl.element().is_null() | (pl.element() < 0)).list.any()
    )
    # Each part times 60 ** (parts after it): h * 3600 + m * 60 + s
    total = nums.list.eval(
        pl.element() * pl.lit(60.0).pow(pl.len() - 1 - pl.int_range(pl.len()))
    ).list.sum()
    out = pl.select(pl.when(s.is_not_null()).then(total)).to_series()
    bad = (bad | out.is_nan() | out.is_infinite()).fill_null(False)
    report(
        errors,
        path=path,
        lines=lines,
        bad=bad,
        why=lambda i: f"{label} {values[i]!r} is not a time (H:MM:SS or seconds)",
    )
    return pl.select(pl.when(~bad).then(out)).to_series().alias(values.name)


def _factors(
    frame: pl.DataFrame,
    column: str,
    units: dict[str, float],
    default: float,
    *,
    path: str,
    lines: list[int],
    label: str,
    errors: RowErrors,
    values: pl.Series,
) -> pl.Series:
    """Per-row factor from a unit column; blank or missing column -> `default`. The unit matters
    only beside a value other than 0 or blank (`values`): FitNotes writes "0.0,kg" as the
    distance of a plank, a weight unit where a distance unit belongs."""
    if column not in frame.columns:
        return pl.Series([default] * frame.height, dtype=pl.Float64)
    s = blank_to_null(frame[column]).str.to_lowercase()
    unknown = s.is_not_null() & ~s.is_in(list(units)) & (values.fill_null(0.0) != 0)
    errors.flag(
        unknown, lambda i: f"{label} {frame[column][i]!r} is not a known unit ({', '.join(units)})"
    )
    return s.replace_strict(units, default=None, return_dtype=pl.Float64).fill_null(default)


def read(path: Path, *, unit: str | None, tz: ZoneInfo) -> ParsedFile:
    """Read a FitNotes export; each date is one session at 12:00 local time in `tz`."""
    sheet = load_sheet(path, rejoin=("exercise", "category", "comment"), numeric=_NUMBERS)
    in_name = _header_units(sheet.header)
    weight_col = in_name["weight"][0] if "weight" in in_name else "weight"
    distance_col = in_name["distance"][0] if "distance" in in_name else "distance"
    require_columns(sheet, ("date", "exercise", "reps", weight_col))
    frame = sheet.select((*COLUMNS, weight_col, distance_col))
    frame, skipped = split_unnamed(frame, "exercise")
    p = sheet.path
    lines = frame[LINE].to_list()
    errors = RowErrors(p, lines)
    notes: list[str] = []

    if "weight" in in_name:
        wunit = in_name["weight"][1]
        if wunit not in WEIGHT_UNITS:
            raise InputError(p, 1, f"unknown weight unit {wunit!r} in column {weight_col!r}")
        default_w = WEIGHT_UNITS[wunit]
    else:
        default_w = LB_TO_KG if unit == "lb" else 1.0
        no_unit = blank_to_null(frame["weight"]).is_not_null()
        if "weight unit" in frame.columns:
            no_unit = no_unit & blank_to_null(frame["weight unit"]).is_null()
        if no_unit.any() and unit is None:
            notes.append(
                "weights without a unit were read as kg (use --unit lb if they are pounds)"
            )
    default_d = DISTANCE_UNITS.get(in_name["distance"][1], 1.0) if "distance" in in_name else 1.0
    if "distance" in in_name and in_name["distance"][1] not in DISTANCE_UNITS:
        raise InputError(p, 1, f"unknown distance unit in column {distance_col!r}")

    empty = pl.Series([""] * frame.height, dtype=pl.String)
    raw_date = frame["date"]
    start = dates_at_noon_utc(raw_date, path=p, lines=lines, label="Date", tz=tz, errors=errors)
    errors.flag(blank_to_null(raw_date).is_null(), lambda i: "Date is blank")
    weight = to_float(frame[weight_col], path=p, lines=lines, label="Weight", errors=errors)
    distance = to_float(
        frame[distance_col] if distance_col in frame.columns else empty,
        path=p,
        lines=lines,
        label="Distance",
        minimum=0,
        errors=errors,
    )
    wf = _factors(
        frame,
        "weight unit",
        WEIGHT_UNITS,
        default_w,
        path=p,
        lines=lines,
        label="Weight Unit",
        errors=errors,
        values=weight,
    )
    df = _factors(
        frame,
        "distance unit",
        DISTANCE_UNITS,
        default_d,
        path=p,
        lines=lines,
        label="Distance Unit",
        errors=errors,
        values=distance,
    )
    out = pl.DataFrame(
        {
            "session_start": start,
            "exercise": frame["exercise"].str.strip_chars(),
            "weight_kg": weight * wf,
            "reps": to_int(
                frame["reps"], path=p, lines=lines, label="Reps", minimum=0, errors=errors
            ),
            "distance_m": nonzero(distance * df),
            "seconds": nonzero(
                clock_seconds(
                    frame["time"] if "time" in frame.columns else empty,
                    path=p,
                    lines=lines,
                    label="Time",
                    errors=errors,
                )
            ),
            "notes": blank_to_null(frame["comment"] if "comment" in frame.columns else empty),
            "source_file": pl.Series([Path(p).name] * frame.height, dtype=pl.String),
            "source_line": frame[LINE],
        }
    )
    out = out.filter(errors.keep())
    skipped.extend(errors.skipped())
    keys = ["session_start", "exercise"]
    out = out.with_columns(set_index=order_within(out, keys))
    warm = warmup_flags(out, weight="weight_kg", keys=keys)
    out = out.with_columns(
        set_type=pl.when(warm).then(pl.lit("warmup")).otherwise(pl.lit("working"))
    )
    return parsed_file(sheet, out, format=FORMAT, skipped=skipped, notes=notes)
