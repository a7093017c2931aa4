"""Domain types and the canonical frames every part of backcheck speaks (no I/O here).

Units everywhere: weight in kg, distance in metres, durations in seconds, timestamps
timezone-aware in UTC. Enumerations are plain tuples of strings so they serialise as-is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal

import polars as pl

SetType = Literal["warmup", "working", "drop", "failure"]
SET_TYPES: Final = ("warmup", "working", "drop", "failure")

#: Movement patterns of the exercise catalog (docs/interface.md, `backcheck.plan/1`).
PATTERNS: Final = (
    "horizontal-push",
    "vertical-push",
    "horizontal-pull",
    "vertical-pull",
    "squat",
    "hinge",
    "lunge",
    "carry",
    "core",
    "isolation",
    "cardio",
    "mobility",
)

#: Muscle regions the catalog weights exercises over; the first five are the upper back.
REGIONS: Final = (
    "upper_traps",
    "mid_traps_rhomboids",
    "lats",
    "rear_delts",
    "rotator_cuff",
    "front_delts",
    "side_delts",
    "chest",
    "erectors",
    "legs",
    "arms",
    "core",
)
UPPER_BACK_REGIONS: Final = REGIONS[:5]

#: Where it hurts (pain diary `region`, docs/interface.md).
PAIN_REGIONS: Final = (
    "neck",
    "upper-trapezius",
    "between-shoulder-blades",
    "shoulder-blade-left",
    "shoulder-blade-right",
    "mid-back",
    "lower-back",
    "shoulder-left",
    "shoulder-right",
    "chest",
    "other",
)

#: Recovery log kinds: `sleep` in hours (the night ending on the morning of `date`), else minutes.
RECOVERY_KINDS: Final = ("sleep", "yoga", "foam-rolling", "massage", "stretching", "meditation")

CAUSES: Final = ("posture", "overexertion", "warmup", "imbalance", "recovery")
CauseLevel = Literal["likely", "possible", "unlikely", "unknown"]

#: Formats `backcheck import --format` accepts ("auto" detects one of the others).
IMPORT_FORMATS: Final = ("strong", "hevy", "fitnotes", "fitbod", "fit", "backcheck")

UTC_US = pl.Datetime("us", "UTC")

#: The canonical set frame every importer returns, in this column order.
SET_SCHEMA: Final[dict[str, pl.DataType]] = {
    "session_start": UTC_US,  # when the workout began, UTC
    "session_name": pl.String(),  # workout title as logged, may be null
    "session_notes": pl.String(),
    "duration_s": pl.Float64(),  # whole workout, seconds; null when unknown
    "exercise": pl.String(),  # exercise name as logged
    "set_index": pl.Int32(),  # 1-based order of the set within this exercise in the session
    "set_type": pl.String(),  # one of SET_TYPES
    "weight_kg": pl.Float64(),  # load in kg (external load; 0 for bodyweight), null if not logged
    "reps": pl.Int32(),
    "rpe": pl.Float64(),  # 1-10 CR-10 scale, null when not logged
    "rir": pl.Float64(),  # reps in reserve, null when not logged (10 - rpe when only RPE is known)
    "distance_m": pl.Float64(),
    "seconds": pl.Float64(),  # time under load / duration of the set
    "notes": pl.String(),
    "source_file": pl.String(),  # file name the row came from
    "source_line": pl.Int32(),  # 1-based physical line (first line of a multi-line row)
}

#: Columns the store adds when it reads sets back for analysis.
STORED_SET_SCHEMA: Final[dict[str, pl.DataType]] = {
    "athlete": pl.String(),
    "session_id": pl.Int64(),
    **SET_SCHEMA,
    "exercise_key": pl.String(),  # catalog key, null when unmapped
}


def empty_sets() -> pl.DataFrame:
    """A canonical set frame with no rows."""
    return pl.DataFrame(schema=SET_SCHEMA)


def conform_sets(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast and order `frame` to SET_SCHEMA; missing columns become nulls."""
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in SET_SCHEMA.items()
        ]
    )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source row that was not imported, and why (line is 1-based, physical).

    `unreadable`: the row could not be read (a bad value, a wrong number of fields, an
    implausible value), as opposed to a row that is not a set (a rest timer, a repeat). The
    row policy counts only unreadable rows (ingest.rowerrors.apply_row_policy).
    """

    line: int
    why: str
    unreadable: bool = False


@dataclass(slots=True)
class ParsedFile:
    """What an importer read from one file: canonical sets plus every row it skipped."""

    path: str
    format: str
    sets: pl.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    rows: int = 0  # data rows (or FIT set messages) in the file
    notes: list[str] = field(default_factory=list)  # things the user should know (assumed unit...)

    @property
    def sessions(self) -> int:
        """Distinct workouts among the kept sets."""
        return self.sets["session_start"].n_unique() if self.sets.height else 0


@dataclass(frozen=True, slots=True)
class PainEntry:
    """One pain diary entry: level 0-10 (NRS; 0 = pain-free, a control day) at a back region."""

    at: datetime  # UTC-aware; a date-only entry is noon local time
    level: int
    region: str | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RecoveryEntry:
    """One recovery log entry: sleep in hours (night ending on `day`), practices in minutes."""

    day: date
    kind: str
    value: float


@dataclass(slots=True)
class Evidence:
    """One number from the athlete's own data behind a finding (CONTRACT `evidence` item)."""

    metric: str
    value: float | None
    threshold: float | None
    unit: str
    period: str  # "YYYY-MM-DD..YYYY-MM-DD" or ""
    grade: str  # A | B | C (evidence.SOURCES)
    text: str  # plain words a lifter understands

    def to_json(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "value": self.value,
            "threshold": self.threshold,
            "unit": self.unit,
            "period": self.period,
            "grade": self.grade,
            "text": self.text,
        }
