"""Typed columns from string columns, vectorised with Polars, errors pointing at the line.

Each parser takes a string Series (one value per data row) and the matching line numbers,
returns a typed Series, and raises InputError at the first value it cannot read, or, given
`errors` (a `rowerrors.RowErrors`), records every row it cannot read there and returns null
for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from backcheck.ingest.limits import MAX_INT
from backcheck.ingest.rowerrors import RowErrors, report

LB_TO_KG = 0.45359237
MILE_TO_M = 1609.344
KM_TO_M = 1000.0


def blank_to_null(values: pl.Series) -> pl.Series:
    """Strip whitespace; empty strings become null."""
    s = values.cast(pl.String).str.strip_chars()
    return (
        pl.select(pl.when(s.str.len_chars() > 0).then(s).otherwise(None))
        .to_series()
        .alias(values.name)
    )


def _fail(
    errors: RowErrors | None,
    path: str,
    lines: Sequence[int],
    raw: pl.Series,
    bad: pl.Series,
    what: str,
    label: str,
) -> None:
    report(
        errors, path=path, lines=lines, bad=bad, why=lambda i: f"{label} {raw[i]!r} is not {what}"
    )


def to_float(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    decimal_comma: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    errors: RowErrors | None = None,
) -> pl.Series:
    """Float column; blanks are null. `decimal_comma` reads "72,5" as 72.5.

    Text that is not a number, NaN/inf, or a value outside [minimum, maximum] raises InputError
    naming `label` and the line; with `errors`, those rows are recorded there and read as null.
    """
    s = blank_to_null(values)
    if decimal_comma:
        s = s.str.replace(",", ".", literal=True)
    out = s.cast(pl.Float64, strict=False)
    bad = out.is_null() & s.is_not_null()
    _fail(errors, path, lines, values, bad, "a number", label)
    wild = out.is_nan() | out.is_infinite()
    _fail(errors, path, lines, values, wild, "a finite number", label)
    bad = bad | wild
    if minimum is not None:
        low = out < minimum
        _fail(errors, path, lines, values, low, f"a number >= {minimum:g}", label)
        bad = bad | low
    if maximum is not None:
        high = out > maximum
        _fail(errors, path, lines, values, high, f"a number <= {maximum:g}", label)
        bad = bad | high
    return _nulled(out, bad).alias(values.name)


def _nulled(values: pl.Series, bad: pl.Series) -> pl.Series:
    """`values` with null where `bad` is true."""
    return pl.select(pl.when(~bad.fill_null(False)).then(values)).to_series()


def to_int(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    minimum: int | None = None,
    maximum: int | None = None,
    errors: RowErrors | None = None,
) -> pl.Series:
    """Whole-number column ("12", "12.0" both read as 12); blanks are null. Values beyond
    `maximum` (at most limits.MAX_INT, so they fit 32 bits) are errors as in `to_float`."""
    top = MAX_INT if maximum is None else min(maximum, MAX_INT)
    bottom = -MAX_INT if minimum is None else minimum
    f = to_float(
        values, path=path, lines=lines, label=label, minimum=bottom, maximum=top, errors=errors
    )
    frac = (f.round(0) - f).abs() > 1e-9
    _fail(errors, path, lines, values, frac, "a whole number", label)
    return _nulled(f, frac).round(0).cast(pl.Int32).alias(values.name)


def unit_factor(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    factors: dict[str, float],
    errors: RowErrors | None = None,
    matters: pl.Series | None = None,
) -> pl.Series:
    """Per-row multiplier from a unit column ("kg", "lbs", ...); blank means factor 1.

    `matters` (Boolean per row) says where the unit is needed: a unit beside an empty or zero
    value (FitNotes writes "0.0,kg" as the distance of a plank) is never an error.
    """
    s = blank_to_null(values).str.to_lowercase()
    known = s.is_in(list(factors))
    unknown = s.is_not_null() & ~known
    if matters is not None:
        unknown = unknown & matters.fill_null(False)
    _fail(errors, path, lines, values, unknown, f"a known unit ({', '.join(factors)})", label)
    return (
        s.replace_strict(factors, default=1.0, return_dtype=pl.Float64)
        .fill_null(1.0)
        .alias(values.name)
    )


def rir_from_rpe(rpe: pl.Series) -> pl.Series:
    """Reps in reserve from RPE (Helms et al. 2016: RPE 10 = 0 RIR, 9 = 1, ...), 0-10."""
    return (10.0 - rpe).clip(0.0, 10.0).alias("rir")


def localize(naive: pl.Series, tz: str) -> pl.Series:
    """Naive local datetimes (wall-clock time in zone `tz`) -> UTC-aware, microseconds.

    Ambiguous times (the repeated hour when clocks go back) take the earlier instant; times
    that do not exist (the skipped hour) are moved forward by the gap.
    """
    return (
        naive.cast(pl.Datetime("us"))
        .dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
        .fill_null(
            (naive.cast(pl.Datetime("us")) + pl.duration(hours=1)).dt.replace_time_zone(
                tz, ambiguous="earliest", non_existent="null"
            )
        )
        .dt.convert_time_zone("UTC")
        .alias(naive.name)
    )
