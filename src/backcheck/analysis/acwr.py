"""Acute:chronic workload ratios over a daily load series (docs/science.md section 1).

A daily series is a frame with a `date` column (pl.Date, local calendar days) and a load
column (default `load`; any unit: kg of volume load, hard sets, session-RPE units). Days
missing from it are rest days: `fill_days` adds them with load 0. Every ratio is null where
its chronic load is 0 (never inf or NaN).

The values match the CRAN package ACWR (JorgeDelro/ACWR, MIT), whose outputs are test
vectors in tests/data/reference, for the first 28 days. Like that package, the rolling means
use whatever history exists before 7 or 28 days are available (an expanding window), and
the uncoupled chronic load is null for the first 7 days. The results are not rounded (the
package rounds the rolling columns to 2 decimals). Beyond day 28 the package's uncoupled
chronic load sums an odd 15-day span (days t-20..t-6, divided by 21); here it stays the
SCIENCE definition: mean of days t-27..t-7. The package also averages over logged rows
(sessions), while here a day without a row is a rest day with load 0; on gap-free daily data,
as in the reference files, the two agree. ACWR is descriptive (Impellizzeri et al. 2021):
never an injury probability.
"""

from __future__ import annotations

from datetime import date
from typing import Final, TypeVar

import polars as pl

from backcheck.errors import UsageError

L = TypeVar("L", pl.Expr, pl.Series)

ACUTE_DAYS: Final = 7
CHRONIC_DAYS: Final = 28

ACWR_COLUMNS: Final = (
    "date",
    "load",
    "ewma_acute",
    "ewma_chronic",
    "ewma_acwr",
    "rac_acute",
    "rac_chronic",
    "rac_acwr",
    "rau_acute",
    "rau_chronic",
    "rau_acwr",
)


def _check_windows(acute: int, chronic: int) -> None:
    if acute < 1:
        raise UsageError("acute", f"must be >= 1 day, got {acute!r}")
    if chronic <= acute:
        raise UsageError("chronic", f"must be longer than acute ({acute}), got {chronic!r}")


def fill_days(
    daily: pl.DataFrame,
    *,
    value: str = "load",
    start: date | None = None,
    end: date | None = None,
) -> pl.DataFrame:
    """One row per calendar day from `start` (default: first date) to `end` (default: last).

    Returns columns `date` (pl.Date) and `load` (Float64, from column `value`): loads on the
    same date are summed, days without a row get 0, days outside [start, end] are dropped.
    """
    for name in ("date", value):
        if name not in daily.columns:
            raise UsageError("daily", f"needs a {name!r} column, has {daily.columns}")
    day = daily.select(
        pl.col("date").cast(pl.Date), pl.col(value).cast(pl.Float64).fill_null(0.0).alias("load")
    ).drop_nulls("date")
    first: date | None = start if start is not None else day["date"].min()  # type: ignore[assignment]
    last: date | None = end if end is not None else day["date"].max()  # type: ignore[assignment]
    if first is None or last is None or last < first:
        return pl.DataFrame(schema={"date": pl.Date, "load": pl.Float64})
    summed = day.group_by("date").agg(pl.col("load").sum())
    return (
        calendar(first, last)
        .join(summed, on="date", how="left", maintain_order="left")
        .with_columns(pl.col("load").fill_null(0.0))
    )


def calendar(start: date, end: date) -> pl.DataFrame:
    """A one-column frame `date` (pl.Date): every calendar day from start to end inclusive."""
    return pl.select(pl.date_range(start, end, "1d").alias("date"))


def ewma(load: L, n: int) -> L:
    """Exponentially weighted moving average with lambda = 2 / (n + 1), seeded with day 1.

    E_1 = load_1; E_t = lambda * load_t + (1 - lambda) * E_(t-1) (Williams et al. 2017, BJSM
    51:209). `load` (an expression or a Series) must be a gap-free daily series in date order
    (see fill_days); `n` in days (7 acute: lambda 0.25; 28 chronic: lambda 2/29 ~ 0.069).
    """
    if n < 1:
        raise UsageError("n", f"must be >= 1 day, got {n!r}")
    return load.ewm_mean(alpha=2.0 / (n + 1), adjust=False)


def ratio(acute: str, chronic: str) -> pl.Expr:
    """acute / chronic, null where chronic is 0 or the quotient is not finite (a chronic load
    so tiny the division overflows: no meaningful ratio either)."""
    a, c = pl.col(acute), pl.col(chronic)
    quotient = a / c
    return pl.when((c > 0) & quotient.is_finite()).then(quotient).otherwise(None)


def _ewma_columns(acute: int, chronic: int) -> list[pl.Expr]:
    return [
        ewma(pl.col("load"), acute).alias("ewma_acute"),
        ewma(pl.col("load"), chronic).alias("ewma_chronic"),
    ]


def _rolling_columns(acute: int, chronic: int) -> list[pl.Expr]:
    load = pl.col("load")
    rac_acute = load.rolling_mean(acute, min_samples=1)
    return [
        rac_acute.alias("rac_acute"),
        load.rolling_mean(chronic, min_samples=1).alias("rac_chronic"),
        rac_acute.alias("rau_acute"),
        load.rolling_mean(chronic - acute, min_samples=1).shift(acute).alias("rau_chronic"),
    ]


def ewma_acwr(
    daily: pl.DataFrame,
    *,
    acute: int = ACUTE_DAYS,
    chronic: int = CHRONIC_DAYS,
    value: str = "load",
) -> pl.DataFrame:
    """EWMA acute and chronic loads and their ratio (Williams et al. 2017, BJSM 51:209).

    Returns `date`, `load`, `ewma_acute`, `ewma_chronic` (load units per day) and `ewma_acwr`
    (ratio, null where the chronic EWMA is 0). Values start on day 1 (both EWMAs seeded with
    day 1's load), as in the ACWR package. Acute and chronic are "coupled" (the acute days
    are part of the chronic EWMA), as in Williams et al.
    """
    _check_windows(acute, chronic)
    return (
        fill_days(daily, value=value)
        .with_columns(_ewma_columns(acute, chronic))
        .with_columns(ratio("ewma_acute", "ewma_chronic").alias("ewma_acwr"))
    )


def rolling_acwr(
    daily: pl.DataFrame,
    *,
    acute: int = ACUTE_DAYS,
    chronic: int = CHRONIC_DAYS,
    value: str = "load",
) -> pl.DataFrame:
    """Rolling-average ACWR, coupled (RAC) and uncoupled (RAU), in load units per day.

    Coupled: acute = mean of the last `acute` days including today, chronic = mean of the
    last `chronic` days including today (docs/science.md: acute = last 7 days, chronic = mean of
    the last 4 weeks). Uncoupled (Lolli et al. 2019, BJSM 53:921; Windt & Gabbett 2019, BJSM
    53:988): acute as above, chronic = mean of days t-(chronic-1)..t-acute, i.e. t-27..t-7.
    While fewer days exist the means use the days there are (as the ACWR package does);
    the uncoupled chronic load is null for the first `acute` days. Ratios are null where the
    chronic mean is 0. Returns date, load, rac_acute, rac_chronic, rac_acwr, rau_acute,
    rau_chronic, rau_acwr.
    """
    _check_windows(acute, chronic)
    return (
        fill_days(daily, value=value)
        .with_columns(_rolling_columns(acute, chronic))
        .with_columns(
            ratio("rac_acute", "rac_chronic").alias("rac_acwr"),
            ratio("rau_acute", "rau_chronic").alias("rau_acwr"),
        )
        .select("date", "load", *ACWR_COLUMNS[5:])
    )


def acwr(
    daily: pl.DataFrame,
    *,
    acute: int = ACUTE_DAYS,
    chronic: int = CHRONIC_DAYS,
    value: str = "load",
) -> pl.DataFrame:
    """All three ACWR variants for one daily series, one row per calendar day.

    Columns (ACWR_COLUMNS): date, load, ewma_acute, ewma_chronic, ewma_acwr, rac_acute,
    rac_chronic, rac_acwr, rau_acute, rau_chronic, rau_acwr. See ewma_acwr and rolling_acwr
    for definitions and sources. Descriptive only: never an injury probability.
    """
    _check_windows(acute, chronic)
    return (
        fill_days(daily, value=value)
        .with_columns(*_ewma_columns(acute, chronic), *_rolling_columns(acute, chronic))
        .with_columns(
            ratio("ewma_acute", "ewma_chronic").alias("ewma_acwr"),
            ratio("rac_acute", "rac_chronic").alias("rac_acwr"),
            ratio("rau_acute", "rau_chronic").alias("rau_acwr"),
        )
        .select(ACWR_COLUMNS)
    )
