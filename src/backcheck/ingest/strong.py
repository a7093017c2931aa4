"""Strong (strong.app) CSV exports -> canonical sets.

Variants read (see tests/data/strong_variants/README.md):
- comma, semicolon or tab separated; with `;` or tab, numbers may use a decimal comma ("72,5");
- headers: current 12 columns (Date, Workout Name, Duration, Exercise Name, Set Order, Weight,
  Reps, Distance, Seconds, Notes, Workout Notes, RPE), the 10-column one without notes, the
  legacy 9-column one (`kg`/`lbs` and `km`/`miles` as column names, set order from 0), the one
  with `Weight Unit` / `Distance Unit` columns (per-row units), the 13-column one starting with
  `Workout #` (`Weight (kg)`, `Duration (sec)`, ...), and translated headers (_OTHER_NAMES);
- no header, or a header in a language not known here: columns by position, from the width
  (9, 10, 12 columns, and the 13 or 14 columns with unit columns that phones in other locales
  write `;` separated), recognised when most of the first 20 rows read as Strong rows.

Rows (the row policy, ingest.rowerrors): a row that cannot be read (a value not what its column
holds, a wrong number of fields) is skipped as unreadable; a name holding the delimiter unquoted
is joined back when the row then reads; a unit beside an empty or zero value is ignored; an
exact repeat (the row before with the same numbered set, or a workout that comes back later in
the file) and a header line again are skipped.

Units out: kg, metres, seconds, UTC. `set_index` is the position of the set among the kept sets
of that exercise in that workout (1-based, warm-ups included): Strong's own number restarts per
block and is W/D/F for warm-up, drop and failure sets. Rest-timer rows and rows without an
exercise name are skipped with a reason.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.errors import InputError
from backcheck.ingest import csvtext
from backcheck.ingest.columns import (
    KM_TO_M,
    LB_TO_KG,
    blank_to_null,
    localize,
    rir_from_rpe,
    to_float,
    to_int,
    unit_factor,
)
from backcheck.ingest.csvtext import Table
from backcheck.ingest.limits import MAX_SET_NUMBER
from backcheck.ingest.rowerrors import RowErrors
from backcheck.ingest.sheet import HEADER_AGAIN
from backcheck.ingest.timeparse import (
    looks_like_datetime,
    parse_duration_seconds,
    parse_local_datetime,
)
from backcheck.model import ParsedFile, Skipped, conform_sets, empty_sets

FORMAT = "strong"

REST_TIMER = "rest timer, not a set"
NO_EXERCISE = "no exercise name"
#: Columns that hold free text (where an unquoted delimiter may hide), most likely first, and
#: columns that hold numbers (what a rejoined row must still read as).
_TEXT_KEYS = ("exercise", "workout_name", "notes", "workout_notes")
_NUMBER_KEYS = ("weight", "reps", "distance", "seconds", "rpe")

_MILE = 1609.344
_WEIGHT_FACTORS = {"kg": 1.0, "kgs": 1.0, "lb": LB_TO_KG, "lbs": LB_TO_KG}
_DISTANCE_FACTORS = {"km": KM_TO_M, "kms": KM_TO_M, "mi": _MILE, "mi.": _MILE, "mile": _MILE}
_DISTANCE_FACTORS |= {"miles": _MILE, "m": 1.0, "meters": 1.0, "metres": 1.0}
_SET_TYPES = {"W": "warmup", "D": "drop", "F": "failure"}
#: Set Order / Exercise Name of a rest-timer row, lower-case with non-letters removed.
_REST_TIMER_NAMES = (
    "resttimer",
    "pausentimer",
    "休息计时器",
    "休息計時器",
    "temporizadordedescanso",
)

_ENGLISH = {
    "date": "Date",
    "workout_name": "Workout Name",
    "duration": "Duration",
    "exercise": "Exercise Name",
    "set_order": "Set Order",
    "weight": "Weight",
    "reps": "Reps",
    "distance": "Distance",
    "seconds": "Seconds",
    "notes": "Notes",
    "workout_notes": "Workout Notes",
    "rpe": "RPE",
    "weight_unit": "Weight Unit",
    "distance_unit": "Distance Unit",
    "workout_no": "Workout #",
}
_REQUIRED = ("date", "exercise", "set_order", "weight", "reps")

#: Other header names (lower case, "|" between them) per key: English variants, Chinese (seen
#: in a real export), German, Spanish, French. A header that does not map falls back to position.
_OTHER_NAMES = {
    "date": "日期|datum|fecha",
    "workout_name": "锻炼名称|trainingsname|workout-name|nombre del entrenamiento"
    "|nom de l'entraînement|nom de la séance",
    "duration": "workout duration|duration (sec)|duration (seconds)|时长|dauer|duración|durée",
    "exercise": "运动名称|übungsname|übung|nombre del ejercicio|ejercicio|nom de l'exercice"
    "|exercice",
    "set_order": "设置顺序|satzreihenfolge|orden de la serie|orden de series|ordre des séries"
    "|ordre de la série",
    "weight": "重量|gewicht|peso|poids",
    "reps": "次|wiederholungen|repeticiones|répétitions",
    "distance": "距离|distanz|strecke|distancia",
    "seconds": "秒|sekunden|segundos|secondes",
    "notes": "exercise notes|备注|notizen|notas",
    "workout_notes": "锻炼备注|trainingsnotizen|workout-notizen|notas del entrenamiento"
    "|notes de l'entraînement|notes de la séance",
    "weight_unit": "gewichtseinheit|unidad de peso|unité de poids",
    "distance_unit": "distanzeinheit|unidad de distancia|unité de distance",
}
#: Header names that also state the unit of their column.
_UNIT_NAMES = {
    ("weight", "kg"): "kg|kgs|weight (kg)",
    ("weight", "lb"): "lb|lbs|weight (lb)|weight (lbs)",
    ("distance", "km"): "km|distance (km)",
    ("distance", "mi"): "mi|miles|distance (mi)|distance (miles)",
    ("distance", "m"): "distance (m)|distance (meters)|distance (metres)",
}

#: Strong's layouts by number of fields, for files without a header or with one not known here.
_POSITIONAL = {
    9: "date workout_name exercise set_order weight reps distance seconds notes",
    10: "date workout_name duration exercise set_order weight reps distance seconds rpe",
    12: "date workout_name duration exercise set_order weight reps distance seconds notes "
    "workout_notes rpe",
    13: "date workout_name exercise set_order weight weight_unit reps rpe distance distance_unit "
    "seconds notes workout_notes",
    14: "date workout_name exercise set_order weight weight_unit reps rpe distance distance_unit "
    "seconds notes workout_notes duration",
}
_SET_ORDER_SHAPE = r"^\s*(?:\d+|[WwDdFf]|[Rr]est ?[Tt]imer)\s*$"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each canonical key sits in a Strong file, and the units its header states.

    `weight_unit` is "kg"/"lb" when the header names it (a `kg` column), else None;
    `distance_unit` is the unit of distances without a per-row unit ("km" unless stated).
    """

    columns: dict[str, int]
    width: int
    delimiter: str
    labels: dict[str, str]
    weight_unit: str | None = None
    distance_unit: str = "km"
    notes: tuple[str, ...] = ()


def _normal(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").replace("’", "'").lower().split())


@cache
def _names() -> dict[str, tuple[str, str | None]]:
    """Header name (lower case, single spaces) -> (canonical key, unit it states or None)."""
    names: dict[str, tuple[str, str | None]] = {n.lower(): (k, None) for k, n in _ENGLISH.items()}
    for key, alternatives in _OTHER_NAMES.items():
        names |= {name: (key, None) for name in alternatives.split("|")}
    for (key, unit), alternatives in _UNIT_NAMES.items():
        names |= {name: (key, unit) for name in alternatives.split("|")}
    return names


def _from_header(header: list[str], delimiter: str) -> Layout | None:
    columns: dict[str, int] = {}
    labels = dict(_ENGLISH)
    units: dict[str, str] = {}
    for idx, name in enumerate(header):
        key, unit = _names().get(_normal(name), (None, None))
        if key is None:
            continue
        if key in columns:
            return None
        columns[key], labels[key] = idx, name.strip()
        if unit is not None:
            units[key] = unit
    if not all(key in columns for key in _REQUIRED):
        return None
    unknown = [h for i, h in enumerate(header) if i not in columns.values() and h.strip()]
    columns.pop("workout_no", None)
    notes = (f"columns not used: {', '.join(unknown)}",) if unknown else ()
    return Layout(
        columns=columns,
        width=len(header),
        delimiter=delimiter,
        labels=labels,
        weight_unit=units.get("weight"),
        distance_unit=units.get("distance", "km"),
        notes=notes,
    )


#: Rows looked at to recognise a file without a known header; more than half of them must
#: read as Strong rows (so one odd first row does not hide a Strong export).
_SNIFF_ROWS = 20


def _positional(table: Table) -> Layout | None:
    if not table.rows:
        return None
    sample = table.rows[:_SNIFF_ROWS]
    widths = Counter(map(len, sample))
    width = len(table.header) if table.header is not None else widths.most_common(1)[0][0]
    layout = _POSITIONAL.get(width)
    keys = layout.split() if layout else []
    if not keys:
        return None
    columns = {key: i for i, key in enumerate(keys)}
    fitting = [row for row in sample if len(row) == len(keys)]
    orders = pl.Series([row[columns["set_order"]] for row in fitting], dtype=pl.String)
    shaped = orders.str.contains(_SET_ORDER_SHAPE).to_list()
    good = sum(
        1
        for row, ok in zip(fitting, shaped, strict=True)
        if ok and looks_like_datetime(row[columns["date"]])
    )
    if 2 * good <= len(sample):
        return None
    names = ", ".join(_ENGLISH[k] for k in keys)
    why = "no header" if table.header is None else "header not recognised"
    return Layout(
        columns=columns,
        width=len(keys),
        delimiter=table.delimiter,
        labels=dict(_ENGLISH),
        notes=(f"{why}: columns read by position as Strong's {len(keys)}-column layout ({names})",),
    )


def find_layout(table: Table) -> Layout | None:
    """The layout of a Strong export, or None when `table` is not one."""
    if table.header is not None:
        layout = _from_header(table.header, table.delimiter)
        if layout is not None:
            return layout
    return _positional(table)


def matches(table: Table) -> bool:
    """True when `table` reads as a Strong export (known header, or Strong's column layout)."""
    return find_layout(table) is not None


def read(path: Path, *, unit: str | None, tz: ZoneInfo) -> ParsedFile:
    """Read a Strong export. `unit` ("kg"/"lb") is the weight unit when the file does not say
    it (default kg, with a note); `tz` is the zone of Strong's local wall-clock dates.

    Raises InputError (`PATH:LINE: what is wrong`) for a file that is not a Strong export.
    Rows that cannot be read (a wrong number of fields, a value that is not what its column
    holds) are skipped as unreadable (the row policy: `rowerrors.apply_row_policy`); rest-timer
    rows, rows without an exercise name, header lines again and repeated rows are skipped too.
    """
    p = Path(path)
    with _gc_paused():
        table = csvtext.read_table(p, lenient=True)
    layout = find_layout(table)
    if layout is None:
        first = table.header or (table.rows[0] if table.rows else [])
        raise InputError(
            p, 1, f"not a Strong export: header/first row {','.join(first)[:80]!r} not recognised"
        )
    cols = layout.columns
    order_at = cols.get("set_order")

    def valid(row: list[str]) -> bool:
        """A rejoined row must have a set order where Strong writes one."""
        return order_at is None or re.match(_SET_ORDER_SHAPE, row[order_at]) is not None

    table = csvtext.fit_widths(
        table,
        layout.width,
        rejoin=[cols[k] for k in _TEXT_KEYS if k in cols],
        numeric=[cols[k] for k in _NUMBER_KEYS if k in cols],
        valid=valid,
    )
    notes = list(layout.notes)
    if table.rejoined:
        notes.append(
            f"{table.rejoined} row(s) had a {table.delimiter!r} inside a name without quotes; "
            "the name was joined back together"
        )
    skipped = list(table.skipped)
    with _gc_paused():
        raw, rows = _raw_frame(table, layout), len(table.rows) + len(table.skipped)
    del table  # 200,000 row lists would make every garbage collection below slow
    kind = _row_kind(raw, layout)
    why = raw.select("line", kind.alias("why")).filter(pl.col("why").is_not_null())
    skipped.extend(map(Skipped, why["line"].to_list(), why["why"].to_list()))
    kept = raw.filter(kind.is_null())
    weight_default, unit_note = _weight_default(layout, unit)
    notes.extend(unit_note)
    errors = RowErrors(str(p), kept["line"].to_list())
    sets = (
        _parse(
            kept, layout=layout, path=str(p), weight_default=weight_default, tz=tz, errors=errors
        )
        if kept.height
        else empty_sets()
    )
    skipped.extend(errors.skipped())
    skipped.sort(key=lambda s: s.line)
    return ParsedFile(
        path=str(p), format=FORMAT, sets=sets, skipped=skipped, rows=rows, notes=notes
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small lists (rows of cells):
    it would otherwise rescan all of them again and again; nothing made here forms cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _raw_frame(table: Table, layout: Layout) -> pl.DataFrame:
    """String columns named by canonical key, plus `line` (rows already pass check_widths)."""
    width = layout.width
    rows = table.rows
    if set(map(len, rows)) - {width}:  # rare: rows with trailing empty extra fields
        rows = [row[:width] for row in rows]
    # One flat Series, then every width-th cell: far faster than transposing in Python.
    cells = pl.Series("cells", list(chain.from_iterable(rows)), dtype=pl.String)
    data = {"line": pl.Series("line", table.lines, dtype=pl.Int32)}
    for key, idx in layout.columns.items():
        data[key] = cells.gather_every(width, idx).alias(key)
    return pl.DataFrame(data)


def _letters(col: str) -> pl.Expr:
    return pl.col(col).str.to_lowercase().str.replace_all(r"[^\p{L}]", "")


def _row_kind(raw: pl.DataFrame, layout: Layout) -> pl.Expr:
    """Why a row is skipped though it is no error (null for a set row): a rest timer, no
    exercise name, the header line again (two exports joined), or a repeat of an earlier row."""
    rest = _letters("exercise").is_in(_REST_TIMER_NAMES)
    if "set_order" in raw.columns:
        rest = rest | _letters("set_order").is_in(_REST_TIMER_NAMES)
    header = pl.lit(False)
    if "date" in raw.columns and "exercise" in raw.columns:
        header = (pl.col("date").str.strip_chars() == layout.labels["date"]) & (
            pl.col("exercise").str.strip_chars() == layout.labels["exercise"]
        )
    return (
        pl.when(rest)
        .then(pl.lit(REST_TIMER))
        .when(header)
        .then(pl.lit(HEADER_AGAIN))
        .when(pl.col("exercise").str.strip_chars().str.len_chars() == 0)
        .then(pl.lit(NO_EXERCISE))
        .otherwise(pl.lit(_repeats(raw)))
    )


def _repeats(raw: pl.DataFrame) -> pl.Series:
    """ "same row as line N (repeated row)" for a row whose every cell equals an earlier row's,
    where that is a repeat and not a second set: the earlier row lies in another run of rows of
    the same workout (Strong writes each workout's rows together, so a workout that comes back
    later is a second copy: a doubled or overlapping export), or it is the row just before and
    the Set Order is a number (Strong numbers the sets of an exercise 1, 2, 3: the same number
    twice in a row is a copy; identical warm-up rows "W" may be two real warm-up sets)."""
    cells = [c for c in raw.columns if c != "line"]
    twice = raw.select(pl.struct(cells).is_duplicated()).to_series()
    if not twice.any():  # the usual case: no row equals another
        return pl.Series("why", [None] * raw.height, dtype=pl.String)
    workout = [c for c in ("date", "workout_name") if c in raw.columns]
    changed = pl.any_horizontal([pl.col(c).ne_missing(pl.col(c).shift(1)) for c in workout])
    same_as_previous = pl.all_horizontal([pl.col(c).eq_missing(pl.col(c).shift(1)) for c in cells])
    numbered = (
        pl.col("set_order").str.contains(r"^\s*\d+\s*$")
        if "set_order" in raw.columns
        else pl.lit(False)
    )
    marked = raw.with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64),
        _run=changed.fill_null(True).cast(pl.Int32).cum_sum(),
        _again=(numbered & same_as_previous).fill_null(False),
    ).filter(twice)  # only rows that equal another row can be repeats
    repeat = (pl.col("_i") != pl.col("_i").first().over(cells)) & (
        (pl.col("_run") != pl.col("_run").first().over(cells)) | pl.col("_again")
    )
    why = pl.format("same row as line {} (repeated row)", pl.col("line").first().over(cells))
    found = marked.select("_i", pl.when(repeat).then(why).alias("why"))
    return pl.DataFrame({"_i": pl.int_range(raw.height, eager=True, dtype=pl.Int64)}).join(
        found, on="_i", how="left", maintain_order="left"
    )["why"]


def _weight_default(layout: Layout, unit: str | None) -> tuple[str, list[str]]:
    """Weight unit for rows whose unit the file does not state, and what to tell the user."""
    if layout.weight_unit is not None and "weight_unit" not in layout.columns:
        told = (
            []
            if unit in (None, layout.weight_unit)
            else [f"--unit {unit} ignored: the header says weights are in {layout.weight_unit}"]
        )
        return layout.weight_unit, told
    if "weight_unit" in layout.columns:
        return unit or "kg", []
    if unit is None:
        return "kg", ["weights read as kg; pass --unit lb if this export is in pounds"]
    return unit, [f"weights read as {unit} (--unit {unit})"]


def _parse(
    kept: pl.DataFrame,
    *,
    layout: Layout,
    path: str,
    weight_default: str,
    tz: ZoneInfo,
    errors: RowErrors,
) -> pl.DataFrame:
    """Typed canonical columns of the set rows, without the rows that cannot be read (they are
    recorded in `errors`, positions in `kept`)."""
    lines = errors.lines
    label = layout.labels

    def col(key: str) -> pl.Series:
        """The column, or nulls where this layout has none."""
        return kept[key] if key in kept.columns else pl.Series(key, [None] * kept.height, pl.String)

    def number(key: str, **limits: float) -> pl.Series:
        return to_float(
            col(key),
            path=path,
            lines=lines,
            label=label[key],
            decimal_comma=layout.delimiter != ",",
            errors=errors,
            **limits,
        )

    def factor(key: str, default: str, factors: dict[str, float], values: pl.Series) -> pl.Series:
        """Unit factor per row; the unit matters only beside a value other than 0 or blank."""
        units = blank_to_null(col(key)).fill_null(default)
        return unit_factor(
            units,
            path=path,
            lines=lines,
            label=label[key],
            factors=factors,
            errors=errors,
            matters=values.fill_null(0.0) != 0,
        )

    raw_date = col("date")
    naive = parse_local_datetime(raw_date, path, lines, label=label["date"], errors=errors)
    errors.flag(blank_to_null(raw_date).is_null(), lambda i: f"{label['date']} is empty")

    as_logged = blank_to_null(col("set_order"))
    order = as_logged.str.to_uppercase()
    number_only = pl.select(pl.when(~order.is_in(list(_SET_TYPES))).then(as_logged)).to_series()
    to_int(
        number_only.alias("set_order"),
        path=path,
        lines=lines,
        minimum=0,
        maximum=MAX_SET_NUMBER,
        label=f"{label['set_order']} (a number or W/D/F)",
        errors=errors,
    )
    rpe = number("rpe", minimum=0, maximum=10)
    rpe = pl.select(pl.when(rpe > 0).then(rpe)).to_series()  # 0 = not logged
    weight = number("weight")
    distance = number("distance", minimum=0)

    frame = pl.DataFrame(
        {
            "session_start": localize(naive, tz.key),
            "session_name": blank_to_null(col("workout_name")),
            "session_notes": blank_to_null(col("workout_notes")),
            "duration_s": parse_duration_seconds(
                col("duration"), path, lines, label=label["duration"], errors=errors
            ),
            "exercise": col("exercise").str.strip_chars(),
            "set_type": order.replace_strict(_SET_TYPES, default="working", return_dtype=pl.String),
            "weight_kg": weight * factor("weight_unit", weight_default, _WEIGHT_FACTORS, weight),
            "reps": to_int(
                col("reps"), path=path, lines=lines, label=label["reps"], minimum=0, errors=errors
            ),
            "rpe": rpe,
            "rir": rir_from_rpe(rpe),
            "distance_m": distance
            * factor("distance_unit", layout.distance_unit, _DISTANCE_FACTORS, distance),
            "seconds": number("seconds", minimum=0),
            "notes": blank_to_null(col("notes")),
            "source_file": pl.Series([Path(path).name] * kept.height, dtype=pl.String),
            "source_line": kept["line"],
        }
    )
    if len(errors):
        frame = frame.filter(errors.keep())
    position = pl.int_range(pl.len()).over("session_start", "session_name", "exercise") + 1
    return conform_sets(frame.with_columns(set_index=position))
