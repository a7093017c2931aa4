"""What a logged set can plausibly hold: every limit on imported values, in this one place,
each with its reason. A row beyond a limit is skipped and listed (`PATH:LINE: why`), never
stored and never a traceback; a file with too many such rows is refused (`MAX_UNREADABLE_SHARE`).

The limits are deliberately wide: they catch garbage (a year 0001, 5,000,000 kg, a set order of
1e308, a unit typed into a number column), not unusual training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import polars as pl

#: Files where more than this share of the data rows cannot be read are refused whole: past it,
#: the file is more likely the wrong file or the wrong format than a log with a few odd rows.
MAX_UNREADABLE_SHARE: Final = 0.05

#: Earliest year of a logged workout. The apps backcheck reads date from 2008 on (FitNotes,
#: Strong 2014, Garmin FIT 1989 epoch); 1990 leaves room for hand-kept logs typed in later.
#: An earlier year is a mistyped or garbage date (0001, 1899 from a spreadsheet's zero date).
EARLIEST_YEAR: Final = 1990
#: How far after now a workout may start: a day covers every time zone and a phone clock a
#: little ahead; anything later has not happened yet.
LATEST_AHEAD: Final = timedelta(days=1)
#: Heaviest plausible load of one set, kg (absolute: assisted machines log negative weights).
#: The heaviest lifts ever recorded are about 500 kg (deadlift 501 kg, 2020); sled and leg-press
#: loads reach a few hundred more. 1,000 kg is beyond any of them.
MAX_WEIGHT_KG: Final = 1000.0
#: Most repetitions in one set. Endurance sets (jump rope, crunches) reach a few hundred.
MAX_REPS: Final = 1000
#: Largest set number (Strong's `Set Order`, Hevy's `set_index`): nobody logs 1,000 sets of one
#: exercise in one workout.
MAX_SET_NUMBER: Final = 1000
#: Longest distance of one logged set or cardio row, metres: 1,000 km is beyond a day's cycling
#: record; more is a unit mistake (metres typed as km).
MAX_DISTANCE_M: Final = 1_000_000.0
#: Longest time of one set or cardio row, seconds: a day. (A workout's total duration is not
#: limited: people forget to end a workout in the app, and it matters to no set.)
MAX_SET_SECONDS: Final = 86_400.0
#: Longest plausible workout, seconds. Strong keeps the clock running when a workout is not
#: ended (real exports hold "32h 5m", "12h 2m"); a duration past 6 hours is such a timer, not
#: training, so it is left out (null) while the sets are kept: it matters to no single set.
MAX_WORKOUT_SECONDS: Final = 6 * 3600.0
#: Largest whole number a count column may hold before conversion (32-bit storage).
MAX_INT: Final = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Limit:
    """One check on a canonical set column: rows where `bad` holds are skipped with `why`."""

    column: str
    bad: pl.Expr
    why: str


def set_limits(now: datetime | None = None) -> tuple[Limit, ...]:
    """The plausibility checks on canonical sets (model.SET_SCHEMA), in the order they are
    reported (the first that fails names the row). `now` (UTC) defaults to the clock."""
    latest = (now or datetime.now(UTC)) + LATEST_AHEAD
    start = pl.col("session_start")
    return (
        Limit(
            "session_start",
            start.dt.year() < EARLIEST_YEAR,
            f"a workout before {EARLIEST_YEAR} is not plausible (a mistyped or garbage date)",
        ),
        Limit(
            "session_start",
            start > pl.lit(latest).dt.convert_time_zone("UTC"),
            "the date is in the future (more than a day after today)",
        ),
        Limit(
            "weight_kg",
            pl.col("weight_kg").abs() > MAX_WEIGHT_KG,
            f"more than {MAX_WEIGHT_KG:,.0f} kg is not plausible for one set",
        ),
        Limit("reps", pl.col("reps") > MAX_REPS, f"more than {MAX_REPS:,} reps in one set"),
        Limit(
            "distance_m",
            pl.col("distance_m") > MAX_DISTANCE_M,
            f"a distance over {MAX_DISTANCE_M / 1000:,.0f} km in one set (a unit mistake?)",
        ),
        Limit(
            "seconds",
            pl.col("seconds") > MAX_SET_SECONDS,
            "a set longer than a day is not plausible",
        ),
    )


def nothing_logged(sets: pl.DataFrame) -> pl.Series:
    """True for canonical set rows with no weight, reps, distance or time above 0: a set that was
    planned in the app but not done (Strong exports them with empty weight and reps)."""
    zero = [pl.col(c).fill_null(0) == 0 for c in ("weight_kg", "reps", "distance_m", "seconds")]
    return sets.select(pl.all_horizontal(zero)).to_series()


def implausible(sets: pl.DataFrame, now: datetime | None = None) -> pl.Series:
    """Per row of canonical `sets`: why it is not plausible (the first limit it breaks, with
    the value), or null for a plausible row."""
    if sets.height == 0:
        return pl.Series("why", [], dtype=pl.String)
    checks = [
        pl.when(limit.bad.fill_null(False)).then(
            pl.format(
                "{} {}: {}", pl.lit(_LABELS[limit.column]), _shown(limit.column), pl.lit(limit.why)
            )
        )
        for limit in set_limits(now)
    ]
    return sets.select(pl.coalesce(checks).alias("why")).to_series()


#: How a reason names a column (the canonical name, as a person says it, with its unit).
_LABELS = {
    "session_start": "date",
    "weight_kg": "weight (kg)",
    "reps": "reps",
    "distance_m": "distance (m)",
    "seconds": "time (s)",
}


def _shown(column: str) -> pl.Expr:
    """The value as a person reads it: a date as YYYY-MM-DD, numbers as they are."""
    col = pl.col(column)
    if column == "session_start":
        return col.dt.strftime("%Y-%m-%d")
    return col.cast(pl.String)
