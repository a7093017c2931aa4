"""Did the plan help? The core calls behind `plan --save` and `progress` (and the web app's
"Start this plan" and Progress page).

    save_plan(store, plan)                       # keep it as the athlete's current plan
    report = progress(store, athlete="me", tz="Europe/Berlin")
    report.to_json()                             # the backcheck.progress/1 document

The comparison itself is pure (backcheck.analysis.progress); this module loads the saved
plans and the athlete's data and assembles the report. Red flags lead, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from backcheck.analysis import progress as calc
from backcheck.analysis.painlinks import diary_days
from backcheck.analysis.triage import RedFlags, assess
from backcheck.analysis.warmup import session_warmup
from backcheck.clock import local_today
from backcheck.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from backcheck.plan.model import Plan
    from backcheck.store import Store

SCHEMA = "backcheck.progress/1"
#: A saved plan starts at most this many days from the day it was built from (a plan for a
#: year no data describes is no plan to follow, and progress counts its weeks one by one).
MAX_START_GAP_DAYS = 366
#: Set types that count as work done (warm-up sets do not).
WORK_TYPES = ("working", "drop", "failure")
NOT_WORK_PATTERNS = ("cardio", "mobility")
HONEST = (
    "This compares you with yourself before the plan: it is not proof that the plan did it. "
    "Pain often eases by itself, and people start a plan when pain is at its worst."
)


def save_plan(store: Store, plan: Plan) -> int:
    """Keep `plan` as its athlete's current plan from its start (a later save replaces it
    from its own start on). UsageError for a withheld plan. Returns the saved plan's id."""
    from backcheck.store.plans import save_plan as store_plan

    if plan.withheld:
        raise UsageError("--save", "a withheld plan cannot be saved: get checked first")
    # the day built from, or today (a stale log's plan); a year's margin: any zone will do
    near = (plan.as_of, local_today(UTC))
    if min(abs((plan.start - day).days) for day in near) > MAX_START_GAP_DAYS:
        raise UsageError(
            "--start",
            f"a plan to follow starts within a year of today or of the day it is built from "
            f"({plan.as_of.isoformat()}), not on {plan.start.isoformat()}",
        )
    with store.transaction() as conn:
        return store_plan(conn, plan.athlete, plan.to_json())


@dataclass(slots=True)
class ProgressReport:
    """How following the saved plan is going for one athlete on one day."""

    athlete: str
    as_of: date
    red_flags: RedFlags
    plan: dict[str, Any]
    weeks: list[calc.WeekProgress]
    adherence: float | None
    pain: calc.PainChange
    flags: list[str] = field(default_factory=list)
    see_professional: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def has_red_flags(self) -> bool:
        """True when red flags lead the report (as in `why`)."""
        return self.red_flags.found

    @property
    def exit_code(self) -> int:
        """1 when red flags were found (as `why`), else 0."""
        return 1 if self.has_red_flags else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "athlete": self.athlete,
            "as_of": self.as_of.isoformat(),
            "red_flags": self.red_flags.to_json(),
            "plan": self.plan,
            "weeks": [w.to_json() for w in self.weeks],
            "adherence": None if self.adherence is None else round(self.adherence, 3),
            "pain": self.pain.to_json(),
            "flags": list(self.flags),
            "see_professional": self.see_professional,
            "notes": list(self.notes),
        }


def progress(
    store: Store,
    *,
    athlete: str,
    tz: str,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
) -> ProgressReport:
    """The plan against the logs for `athlete` up to `as_of` (default today in `tz`).
    NotFoundError when no plan was saved."""
    from backcheck.store.plans import load_plans
    from backcheck.why import load_data

    with store.transaction() as conn:
        docs = load_plans(conn, athlete)
    if not docs:
        raise NotFoundError(
            f"no saved plan for athlete {athlete!r}: start one with `backcheck plan --save`"
        )
    # Progress is about now: without a day it is today, even when the log stopped long ago
    # (then the weeks since show as not done), unlike `why`'s analysis day.
    day = as_of or local_today(tz)
    data = load_data(store, athlete=athlete, tz=tz, as_of=day, answers=answers)
    return assemble(docs, data=data)


def plan_weeks(docs: list[dict[str, Any]], *, start: date) -> int:
    """Weeks from the first plan's start to the end of the last plan saved."""
    last = date.fromisoformat(docs[-1]["start"])
    return (last - start).days // 7 + len(docs[-1].get("weeks", []))


def assemble(docs: list[dict[str, Any]], *, data: Any) -> ProgressReport:
    """The report from saved plan documents (oldest first) and AthleteData (pure)."""
    start = date.fromisoformat(docs[0]["start"])
    as_of = data.as_of
    planned = calc.planned_sessions(docs)
    sets = data.sets
    sessions = (
        session_warmup(sets)
        if sets.height
        else pl.DataFrame(
            schema={"session_id": pl.Int64(), "day": pl.Date(), "warmed_up": pl.Boolean()}
        )
    )
    work = sets.filter(
        pl.col("set_type").is_in(WORK_TYPES)
        & ~pl.col("pattern").fill_null("").is_in(NOT_WORK_PATTERNS)
    ).select("day", "pattern")
    sleep = data.recovery.filter(pl.col("kind") == "sleep").select(
        "day", pl.col("value").alias("hours")
    )
    levels = diary_days(data.pain)
    weeks = calc.weekly(
        planned=planned,
        sessions=sessions.select("day", "warmed_up"),
        sets=work,
        levels=levels,
        sleep=sleep,
        start=start,
        as_of=as_of,
        end=start + timedelta(days=7 * plan_weeks(docs, start=start) - 1),
    )
    pain = calc.pain_change(levels, start=start, as_of=as_of)
    found = calc.flags(weeks, pain, start=start, as_of=as_of)
    latest = docs[-1]
    notes = []
    if as_of < start:
        notes.append(f"The plan starts on {start.isoformat()}, after {as_of.isoformat()}.")
    if pain.before.diary_days == 0:
        notes.append(
            "No pain diary in the 4 weeks before the plan: the change in pain cannot be told."
        )
    elif pain.since.diary_days == 0:
        notes.append("No pain diary since the plan started: log pain-free days too.")
    else:
        notes.append(HONEST)
    return ProgressReport(
        athlete=data.athlete,
        as_of=as_of,
        red_flags=assess(data.answers, data.pain, as_of=as_of),
        plan={
            "start": start.isoformat(),
            "weeks": plan_weeks(docs, start=start),
            "addresses": list(latest.get("addresses", [])),
        },
        weeks=weeks,
        adherence=calc.adherence(weeks),
        pain=pain,
        flags=found.messages,
        see_professional=found.see_professional,
        notes=notes,
    )
