"""What every cause module reads (AthleteData) and returns (FactorResult).

Cause modules are pure: `analyze(data: AthleteData) -> FactorResult`. They never touch the
store; `backcheck.why` loads the data once and calls each of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from backcheck.model import Evidence

#: Exposure frames: one row per day and factor; `exposed` False rows are the comparison days.
EXPOSURE_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),
    "factor": pl.String(),
    "exposed": pl.Boolean(),
}


@dataclass(frozen=True, slots=True)
class AthleteData:
    """Everything stored for one athlete up to `as_of` (inclusive), ready for analysis.

    sets: model.STORED_SET_SCHEMA plus `day` (local calendar Date of the session), and the
      catalog columns of the exercise as mapped now: `pattern` (model.PATTERNS or null when
      unmapped), `upper_body` (bool or null) and `w_<region>` Float64 for every model.REGIONS
      (0.0 when unmapped).
    pain: at (UTC), day (local Date), level 0-10, region, note.
    recovery: day, kind, value (sleep hours; practices minutes), source.
    videos: stored form-check results, oldest first: {"recorded_on", "exercise", "result"}.
    answers: the latest red-flag answers (None: never asked) and when they were given.
    notes: what the reader must know about how the data was cut (the analysis day chosen:
      analysis.asof).
    """

    athlete: str
    as_of: date
    tz: str
    sets: pl.DataFrame
    pain: pl.DataFrame
    recovery: pl.DataFrame
    videos: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, bool] | None = None
    answers_at: datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def training_days(self) -> pl.Series:
        """Distinct local days with at least one set, ascending."""
        return self.sets["day"].unique().sort()


@dataclass(slots=True)
class FactorResult:
    """One cause's analysis: how abnormal the athlete's data is, and the evidence.

    abnormality: 0-1; 0 = nothing unusual, 1 = far beyond the threshold of docs/science.md.
    known: False when the data cannot tell (no video for posture, no sleep logged and no
      training to judge rest by...). The cause is then `unknown`.
    exposures: EXPOSURE_SCHEMA rows (training days with the factor on or off) for pain links.
    chronic: the exposure never switches off (a constant imbalance): judged by strength and
      pain prevalence, not by a link that cannot be estimated.
    charts: plain data (lists of dicts) the HTML report draws.
    """

    cause: str
    abnormality: float
    known: bool
    evidence: list[Evidence] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # keys of backcheck.evidence.SOURCES
    exposures: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EXPOSURE_SCHEMA))
    chronic: bool = False
    charts: dict[str, Any] = field(default_factory=dict)
