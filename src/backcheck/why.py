"""The one entry of the cause engine: an athlete's stored data in, ranked causes out.

    report = why(store, athlete="me", tz="Europe/Berlin")

Red flags are assessed first and lead the report; then the five causes, each scored from how
abnormal the athlete's own data is and how strongly their pain follows it (analysis.ranking),
with the evidence, its grade and source. The report model renders as terminal text, JSON
(`backcheck.why/1`) and HTML (backcheck.report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import polars as pl

from backcheck.analysis import balance, overexertion, posture, recovery, warmup
from backcheck.analysis.context import AthleteData, FactorResult
from backcheck.analysis.painlinks import (
    PainLink,
    explain,
    link,
    pain_outcomes,
    prevalence,
)
from backcheck.analysis.painmodel import adjust, adjusted_links
from backcheck.analysis.ranking import rivals, verdict, verdict_sentences
from backcheck.analysis.tiebreak import Undecided, undecided
from backcheck.analysis.triage import RedFlags, assess
from backcheck.clock import local_today
from backcheck.errors import NotFoundError
from backcheck.evidence import SOURCES
from backcheck.model import CAUSES, REGIONS, Evidence
from backcheck.store.inputs import read_inputs
from backcheck.store.stored import StoredInputs

if TYPE_CHECKING:
    from backcheck.store import Store

SCHEMA = "backcheck.why/1"
CAUSE_MODULES = (posture, overexertion, warmup, balance, recovery)


@dataclass(slots=True)
class CauseFinding:
    """One of the five causes as the report shows it."""

    cause: str
    score: float
    level: str
    evidence: list[Evidence]
    advice: list[str]
    sources: list[str]  # citations with their grade
    explanation: list[str] = field(default_factory=list)  # pain-link sentences
    charts: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "score": self.score,
            "level": self.level,
            "evidence": [e.to_json() for e in self.evidence],
            "advice": list(self.advice),
            "sources": list(self.sources),
            "explanation": list(self.explanation),
        }


@dataclass(slots=True)
class WhyReport:
    """The answer to "why does my upper back hurt?" for one athlete on one day."""

    athlete: str
    as_of: date
    red_flags: RedFlags
    causes: list[CauseFinding]
    pain_links: list[PainLink]
    data: dict[str, Any]
    charts: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how the report was made (CONTRACT)
    #: Week-ending Sundays (local) of every spike week in the log (analysis.spikes); the
    #: overexertion evidence and the weekly-volume chart show exactly these.
    spike_weeks: list[date] = field(default_factory=list)
    #: Causes the diary cannot tell apart and how to find out (analysis.tiebreak); None when
    #: there is nothing to tell apart, or when red flags withhold advice. JSON "undecided"
    #: (beyond the contract): {"causes": [...], "steps": [...]} or null.
    undecided: Undecided | None = None

    @property
    def has_red_flags(self) -> bool:
        """True when the report must lead with red flags (and the plan is withheld)."""
        return self.red_flags.found

    @property
    def exit_code(self) -> int:
        """1 when red flags were found, else 0 (CONTRACT exit codes)."""
        return 1 if self.has_red_flags else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "athlete": self.athlete,
            "as_of": self.as_of.isoformat(),
            "red_flags": self.red_flags.to_json(),
            "causes": [c.to_json() for c in self.causes],
            "pain_links": [p.to_json() for p in self.pain_links],
            "data": self.data,
            "spike_weeks": [d.isoformat() for d in self.spike_weeks],
            "notes": list(self.notes),
            "undecided": None if self.undecided is None else self.undecided.to_json(),
        }


def with_catalog(sets: pl.DataFrame, *, own: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Map exercise names with the current catalog; add pattern, upper_body, w_<region>.

    `own`: the athlete's own meanings of logged names (name -> key), which win over the
    catalog (Catalog.map_names). Names are resolved once each (a long log holds a few
    dozen), then joined onto the sets in their order; unmapped names get a null key and
    pattern and 0 region weights.
    """
    from backcheck.catalog import load_catalog

    catalog = load_catalog()
    names = sets["exercise"].drop_nulls().unique()
    mapping = catalog.map_names(names.to_list(), own=own)
    weights = [f"w_{r}" for r in REGIONS]
    per_name = (
        pl.DataFrame(
            {"exercise": list(mapping), "exercise_key": list(mapping.values())},
            schema={"exercise": pl.String, "exercise_key": pl.String},
        )
        .join(
            catalog.frame().select("key", "pattern", "upper_body", *weights),
            left_on="exercise_key",
            right_on="key",
            how="left",
        )
        .with_columns(pl.col(weights).fill_null(0.0))
    )
    joined = sets.drop("exercise_key", strict=False).join(
        per_name, on="exercise", how="left", maintain_order="left"
    )
    return joined.with_columns(pl.col(weights).fill_null(0.0))


def local_days(frame: pl.DataFrame, *, tz: str, column: str, name: str = "day") -> pl.DataFrame:
    """`frame` with `name`: the local calendar day in time zone `tz` of UTC datetime `column`.

    Each distinct instant is converted once (every set of a session shares its start).
    """
    instants = frame.select(pl.col(column).unique())
    return frame.join(
        instants.with_columns(pl.col(column).dt.convert_time_zone(tz).dt.date().alias(name)),
        on=column,
        how="left",
        maintain_order="left",
    )


def in_performed_order(sets: pl.DataFrame) -> bool:
    """Whether `sets` is sorted by session_start, then source_line (nulls first), as
    `sort("session_start", "source_line")` would leave it: one pass, no sort."""
    start = pl.col("session_start")
    line = pl.col("source_line").cast(pl.Int64).fill_null(-1)
    step = (start.diff() > pl.duration()) | ((start.diff() == pl.duration()) & (line.diff() >= 0))
    return bool(sets.select(step.fill_null(True).all()).item())


def prepare_data(
    *,
    athlete: str,
    tz: str,
    as_of: date | None,
    sets: pl.DataFrame,
    pain: pl.DataFrame,
    recovery: pl.DataFrame,
    videos: list[dict[str, Any]],
    answers: dict[str, bool] | None,
    answers_at: datetime | None = None,
    today: date | None = None,
    exercise_map: Mapping[str, str] | None = None,
) -> AthleteData:
    """The analyses' view of one athlete's stored inputs (pure but for the clock; `load_data`
    reads them). Every client (why, plan, batch, export, web) comes through here.

    The analysis day is `as_of` when given, else chosen by analysis.asof.analysis_day from
    `today` (default: today in `tz`) and the last logged day (sets, pain, recovery; local
    days in `tz`): a log that ended more than 14 days before today is analysed as of its
    last day, and `notes` says so. Sets (model.STORED_SET_SCHEMA) get their local `day` in
    `tz` and the current catalog mapping (the athlete's own `exercise_map` first), and are
    kept up to that day in performed order (session start, then file line); pain entries get
    their local `day`; everything after the day is dropped.
    """
    from backcheck.analysis.asof import analysis_day, last_logged_day

    sets = local_days(sets, tz=tz, column="session_start")
    pain = local_days(pain, tz=tz, column="at")
    chosen = analysis_day(
        given=as_of,
        today=today or local_today(tz),
        last_logged=last_logged_day(sets["day"], pain["day"], recovery["day"]),
    )
    day = chosen.day
    sets = with_catalog(sets.filter(pl.col("day") <= day), own=exercise_map)
    if not in_performed_order(sets):  # stored frames already are (store.workouts.ORDER)
        sets = sets.sort("session_start", "source_line", maintain_order=True)
    return AthleteData(
        athlete=athlete,
        as_of=day,
        tz=tz,
        sets=sets,
        pain=pain.filter(pl.col("day") <= day),
        recovery=recovery.filter(pl.col("day") <= day),
        videos=[v for v in videos if v["recorded_on"] <= day],
        answers=answers,
        answers_at=answers_at,
        notes=chosen.notes,
    )


def _prepared(
    inputs: StoredInputs,
    *,
    tz: str,
    as_of: date | None,
    answers: dict[str, bool] | None,
    today: date | None = None,
) -> AthleteData:
    answers_at = None
    if answers is None and inputs.triage is not None:
        answers_at, answers = inputs.triage
    return prepare_data(
        athlete=inputs.athlete,
        tz=tz,
        as_of=as_of,
        sets=inputs.sets,
        pain=inputs.pain,
        recovery=inputs.recovery,
        videos=inputs.videos,
        answers=answers,
        answers_at=answers_at,
        today=today,
        exercise_map=inputs.exercise_map,
    )


def load_data(
    store: Store,
    *,
    athlete: str,
    tz: str,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
    today: date | None = None,
) -> AthleteData:
    """Everything stored for `athlete` up to `as_of` (default: today in `tz`, or the log's
    last day when it ended more than 14 days ago: see prepare_data).

    `answers` replaces the stored red-flag answers (`--answers FILE`); `today` (default: the
    clock, in `tz`) is what a missing `as_of` is judged against.
    NotFoundError when nothing was ever stored for `athlete`.
    """
    inputs = read_inputs(store, athlete)
    return _prepared(inputs, tz=tz, as_of=as_of, answers=answers, today=today)


def load_data_at(
    url: str,
    *,
    athlete: str,
    tz: str,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
    today: date | None = None,
) -> AthleteData:
    """`load_data` for the store at `url`: from its snapshot when that is current (an SQLite
    file, read without importing SQLAlchemy; see store.inputs), else through the store."""
    inputs = read_inputs(url, athlete)
    return _prepared(inputs, tz=tz, as_of=as_of, answers=answers, today=today)


def _cite(keys: list[str]) -> list[str]:
    seen: list[str] = []
    for key in keys:
        text = f"{SOURCES[key].cite} [grade {SOURCES[key].grade}]"
        if text not in seen:
            seen.append(text)
    return seen


def _spike_weeks(results: list[FactorResult]) -> list[date]:
    """The overexertion analysis's spike weeks (their Sundays), ascending."""
    over = next((r for r in results if r.cause == "overexertion"), None)
    weeks = over.charts.get("spike_weeks", []) if over is not None else []
    return [date.fromisoformat(d) for d in weeks]


def analyse(data: AthleteData) -> WhyReport:
    """Red flags, then the five causes ranked (pure: no store access)."""
    flags = assess(data.answers, data.pain, as_of=data.as_of)
    results: list[FactorResult] = [m.analyze(data) for m in CAUSE_MODULES]
    pain_reported = bool(data.pain.height and (data.pain["level"] >= 3).any())
    prev = prevalence(data.pain, as_of=data.as_of)
    # One outcome per day for every factor's days (a day's outcome is the same for each).
    days = pl.concat([r.exposures.select("day") for r in results]).to_series()
    outcomes = pain_outcomes(days, data.pain)
    per_cause: list[list[PainLink]] = []
    for result in results:
        per_cause.append(
            [
                link(exposures, outcomes, factor=str(factor), cause=result.cause)
                for (factor,), exposures in result.exposures.group_by("factor", maintain_order=True)
            ]
        )
    # Every factor at once, so each link holds the others fixed (docs/science.md section 5b).
    every = pl.concat([r.exposures for r in results])
    adjusted = adjusted_links(every, data.pain) if pain_reported else {}
    per_cause = [adjust(cause_links, adjusted) for cause_links in per_cause]
    links: list[PainLink] = [x for cause_links in per_cause for x in cause_links]
    # Each cause is weighed against its rivals' strongest links (analysis.ranking).
    findings: list[CauseFinding] = []
    judged: dict[str, tuple[float, str]] = {}  # cause -> (abnormality, basis)
    for result, cause_links, rival in zip(
        results, per_cause, rivals(results, per_cause), strict=True
    ):
        v = verdict(
            result,
            links=cause_links,
            pain_reported=pain_reported,
            share_painful=prev.share or 0.0,
            diary_days=prev.diary_days,
            rival=rival,
        )
        judged[result.cause] = (result.abnormality if result.known else 0.0, v.basis)
        explanation = [explain(x) for x in cause_links if x.n_with + x.n_without > 0]
        explanation += verdict_sentences(v, links=cause_links, pain_reported=pain_reported)
        findings.append(
            CauseFinding(
                cause=result.cause,
                score=v.score,
                level=v.level,
                evidence=result.evidence,
                advice=result.advice,
                sources=_cite(result.sources),
                explanation=explanation,
                charts=result.charts,
            )
        )
    order = {c: i for i, c in enumerate(CAUSES)}
    findings.sort(key=lambda f: (-f.score, f.level == "unknown", order[f.cause]))
    ranked = [(f.cause, *judged[f.cause]) for f in findings]
    tie = None if flags.found else undecided(ranked)
    sets = data.sets
    summary = {
        "sessions": int(sets["session_id"].n_unique()) if sets.height else 0,
        "sets": sets.height,
        "first": str(sets["day"].min()) if sets.height else None,
        "last": str(sets["day"].max()) if sets.height else None,
        "pain_entries": data.pain.height,
        "recovery_entries": data.recovery.height,
        "videos": len(data.videos),
    }
    charts = {
        "pain": data.pain.select(pl.col("day").cast(pl.String), "level", "region").to_dicts(),
    }
    return WhyReport(
        athlete=data.athlete,
        as_of=data.as_of,
        red_flags=flags,
        causes=findings,
        pain_links=links,
        data=summary,
        charts=charts,
        notes=list(data.notes),
        spike_weeks=_spike_weeks(results),
        undecided=tie,
    )


def why(
    store: Store,
    *,
    athlete: str,
    tz: str,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
    today: date | None = None,
) -> WhyReport:
    """Load `athlete`'s data and analyse it (the core call behind `backcheck why`)."""
    data = load_data(store, athlete=athlete, tz=tz, as_of=as_of, answers=answers, today=today)
    return analyse(data)


def why_at(
    url: str,
    *,
    athlete: str,
    tz: str,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
) -> WhyReport:
    """`why` for the store at `url` (the CLI's call: see load_data_at)."""
    return analyse(load_data_at(url, athlete=athlete, tz=tz, as_of=as_of, answers=answers))


__all__ = [
    "CauseFinding",
    "NotFoundError",
    "WhyReport",
    "analyse",
    "load_data",
    "load_data_at",
    "prepare_data",
    "why",
    "why_at",
]
