"""Typed columns from string columns, vectorised with Polars, errors pointing at the line.

Each parser takes a string Series (one value per data row) and the matching line numbers,
returns a typed Series, and raises InputError at the first value it cannot read.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from backcheck.errors import InputError

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


def _fail_first(
    path: str, lines: Sequence[int], raw: pl.Series, bad: pl.Series, what: str, label: str
) -> None:
    idx = bad.arg_true()
    if idx.len():
        i = int(idx[0])
        raise InputError(path, int(lines[i]), f"{label} {raw[i]!r} is not {what}")


def to_float(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    decimal_comma: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> pl.Series:
    """Float column; blanks are null. `decimal_comma` reads "72,5" as 72.5.

    Raises InputError naming `label` for text that is not a number, NaN/inf, or a value
    outside [minimum, maximum].
    """
    s = blank_to_null(values)
    if decimal_comma:
        s = s.str.replace(",", ".", literal=True)
    out = s.cast(pl.Float64, strict=False)
    _fail_first(path, lines, values, out.is_null() & s.is_not_null(), "a number", label)
    _fail_first(path, lines, values, out.is_nan() | out.is_infinite(), "a finite number", label)
    if minimum is not None:
        _fail_first(path, lines, values, out < minimum, f"a number >= {minimum:g}", label)
    if maximum is not None:
        _fail_first(path, lines, values, out > maximum, f"a number <= {maximum:g}", label)
    return out.alias(values.name)


def to_int(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    minimum: int | None = None,
    maximum: int | None = None,
) -> pl.Series:
    """Whole-number column ("12", "12.0" both read as 12); blanks are null."""
    f = to_float(values, path=path, lines=lines, label=label, minimum=minimum, maximum=maximum)
    _fail_first(path, lines, values, (f.round(0) - f).abs() > 1e-9, "a whole number", label)
    return f.round(0).cast(pl.Int32).alias(values.name)


def unit_factor(
    values: pl.Series, *, path: str, lines: Sequence[int], label: str, factors: dict[str, float]
) -> pl.Series:
    """Per-row multiplier from a unit column ("kg", "lbs", ...); blank means factor 1."""
    s = blank_to_null(values).str.to_lowercase()
    known = s.is_in(list(factors))
    _fail_first(
        path, lines, values, s.is_not_null() & ~known, f"a known unit ({', '.join(factors)})", label
    )
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
