"""Durations and local date-times from export text, vectorised, errors pointing at the line.

Every parser takes a string Series (one value per data row) and the matching 1-based physical
line numbers, and raises InputError at the first value it cannot read. Blank values are null.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from backcheck.errors import InputError
from backcheck.ingest.columns import blank_to_null
from backcheck.ingest.rowerrors import RowErrors, report

_NUM = r"\d+(?:[.,]\d+)?"
# Unit words, longest spelling first; English, German, Spanish, French, Dutch, Chinese, Japanese.
_HOURS = r"(?:hours|hour|hrs|hr|h|stunden|stunde|std\.?|horas|hora|heures|heure|uur|小时|小時|時間)"
_MINUTES = r"(?:minutes|minute|minuten|minutos|minuto|mins|min\.?|m|分钟|分鐘|分)"
_SECONDS = (
    r"(?:seconds|second|secondes|seconde|sekunden|segundos|segundo|secs|sec\.?|sek\.?|seg\.?"
    r"|s|秒钟|秒鐘|秒)"
)
#: "1h 11m", "35m", "21min", "2h", "45s", "1小时13分钟", "1 Std. 5 Min." (parts optional, in order).
_UNIT_RE = (
    rf"^(?:(?P<h>{_NUM})\s*{_HOURS}\s*)?(?:(?P<m>{_NUM})\s*{_MINUTES}\s*)?"
    rf"(?:(?P<s>{_NUM})\s*{_SECONDS}\s*)?$"
)
#: "1:05:00" (h:mm:ss) or "1:05" (see `short_clock`).
_CLOCK_RE = r"^(?P<a>\d+):(?P<b>[0-5]?\d)(?::(?P<c>[0-5]?\d(?:[.,]\d+)?))?$"
#: A bare number: seconds.
_PLAIN_RE = rf"^{_NUM}$"

_TIME = (
    r"(?:[ t]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?)?"
)
#: "2024-11-28 17:36:08", "2024/11/28 17:36", "2024-11-28T17:36:08", "2024-11-28 5:36:08 PM".
_YMD_RE = rf"^(?P<y>\d{{4}})[-/](?P<mo>\d{{1,2}})[-/](?P<d>\d{{1,2}}){_TIME}$"
#: "28.11.2024 17:36" (day first, as German exports write it).
_DMY_RE = rf"^(?P<d>\d{{1,2}})\.(?P<mo>\d{{1,2}})\.(?P<y>\d{{4}}),?{_TIME}$"


def _number(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)


def _normal(text: pl.Expr) -> pl.Expr:
    """Lower case, no-break spaces as spaces, runs of white space as one space."""
    return (
        text.str.to_lowercase().str.replace_all("\u00a0|\u202f", " ").str.replace_all(r"\s+", " ")
    )


def _via_unique(text: pl.Series, expr: pl.Expr) -> pl.Series:
    """`expr` (over column "t") computed once per distinct value of `text`, in `text`'s order.

    Exports repeat a workout's date and duration on every set, so this is much less work.
    """
    frame = pl.DataFrame({"t": text})
    table = frame.unique("t").with_columns(out=expr)
    return frame.join(table, on="t", how="left", maintain_order="left")["out"]


def _fail_first(
    errors: RowErrors | None,
    path: str,
    lines: Sequence[int],
    raw: pl.Series,
    bad: pl.Series,
    message: str,
) -> None:
    report(errors, path=path, lines=lines, bad=bad, why=lambda i: message.format(value=raw[i]))


def parse_duration_seconds(
    values: pl.Series,
    path: str,
    lines: Sequence[int],
    *,
    label: str = "duration",
    short_clock: Literal["h:m", "m:s"] = "h:m",
    errors: RowErrors | None = None,
) -> pl.Series:
    """Durations as seconds (Float64, >= 0); blank is null.

    Reads unit text ("1h 11m" = 4260, "35m", "21min", "2h", "45s", "1小时13分钟", "1 Std. 5 Min.",
    "1.5h"), clock text ("1:05:00" = 3900; a two-part "1:05" is hours:minutes unless
    `short_clock="m:s"`) and bare numbers, which are seconds ("0", "3600"). Raises InputError
    naming `label` and the line for anything else (with `errors`: records it, value null).
    """
    if len(values) != len(lines):
        raise ValueError(f"values ({len(values)}) and lines ({len(lines)}) differ in length")
    text = blank_to_null(values)
    col = _normal(pl.col("t"))
    units = col.str.extract_groups(_UNIT_RE)
    clock = col.str.extract_groups(_CLOCK_RE)
    first, second = _number(clock.struct.field("a")), _number(clock.struct.field("b"))
    short = first * 3600 + second * 60 if short_clock == "h:m" else first * 60 + second
    out = _via_unique(
        text,
        pl.coalesce(
            pl.when(col.str.contains(_PLAIN_RE)).then(_number(col)),
            pl.when(clock.struct.field("a").is_not_null()).then(
                pl.when(clock.struct.field("c").is_not_null())
                .then(first * 3600 + second * 60 + _number(clock.struct.field("c")))
                .otherwise(short)
            ),
            pl.when(col.str.contains(_UNIT_RE)).then(
                _number(units.struct.field("h")).fill_null(0.0) * 3600
                + _number(units.struct.field("m")).fill_null(0.0) * 60
                + _number(units.struct.field("s")).fill_null(0.0)
            ),
        ),
    )
    out = out.cast(pl.Float64)
    bad = (out.is_null() & text.is_not_null()) | out.is_infinite()
    _fail_first(
        errors,
        path,
        lines,
        values,
        bad,
        f"{label} {{value!r}} is not a duration (like 1h 11m, 35m, 45s or 1:05:00)",
    )
    return pl.select(pl.when(~bad).then(out)).to_series().alias(values.name)


def _to_int(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int32, strict=False)


def parse_local_datetime(
    values: pl.Series,
    path: str,
    lines: Sequence[int],
    *,
    label: str = "date",
    errors: RowErrors | None = None,
) -> pl.Series:
    """Naive wall-clock date-times (Datetime "us", no zone); blank is null.

    Reads "YYYY-MM-DD HH:MM:SS", without seconds, with "/" instead of "-", with a "T", with a
    12-hour clock ("2024-11-28 5:36:08 PM"), date only (midnight), and day-first dotted dates
    ("28.11.2024 17:36"). Raises InputError naming `label` and the line for anything else,
    including dates that do not exist (2023-02-30, 25:00) (with `errors`: records it, null).
    """
    if len(values) != len(lines):
        raise ValueError(f"values ({len(values)}) and lines ({len(lines)}) differ in length")
    text = blank_to_null(values)
    col = _normal(pl.col("t"))
    ymd, dmy = col.str.extract_groups(_YMD_RE), col.str.extract_groups(_DMY_RE)

    def part(name: str) -> pl.Expr:
        return pl.coalesce(ymd.struct.field(name), dmy.struct.field(name))

    hour = _to_int(part("h")).fill_null(0)
    ampm = part("ap").str.replace_all(".", "", literal=True)
    hour24 = (
        pl.when(ampm.is_null())
        .then(hour)
        .when((hour < 1) | (hour > 12))
        .then(pl.lit(99, dtype=pl.Int32))  # "0:30 PM" or "13:00 PM": not a time
        .when(ampm == "pm")
        .then(hour % 12 + 12)
        .otherwise(hour % 12)
    )
    canonical = pl.format(
        "{}-{}-{} {}:{}:{}",
        part("y"),
        part("mo").str.zfill(2),
        part("d").str.zfill(2),
        hour24.cast(pl.String).str.zfill(2),
        part("mi").fill_null("00"),
        part("s").fill_null("00"),
    )
    out = _via_unique(
        text, canonical.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    )
    _fail_first(
        errors,
        path,
        lines,
        values,
        out.is_null() & text.is_not_null(),
        f"{label} {{value!r}} is not a date and time (like 2024-11-28 17:36:08)",
    )
    return out.alias(values.name)


def looks_like_datetime(text: str) -> bool:
    """True when `parse_local_datetime` reads `text` (used to sniff files without a header)."""
    if not text.strip():
        return False
    try:
        parse_local_datetime(pl.Series([text], dtype=pl.String), "", [1])
    except InputError:
        return False
    return True
