"""Following the plan through: what was planned against what the logs show, and the pain
before the plan against the pain since (pure functions; `backcheck.progress` loads the data).

Rules (docs/interface.md, "Following the plan through"):
- A planned session counts as done when a session is logged on its day or the day after; each
  logged session is matched to at most one planned session (the earliest it can serve).
- Weeks are the plan's weeks (7 days from its start), up to the analysis day.
- A pain day is a diary day whose highest level is at least painlinks.PAIN_LEVEL (3/10); a day
  without an entry is unknown, never pain-free.
- The change in the share of pain days (since minus before) comes with a 95% interval by
  Newcombe's hybrid score method (Newcombe 1998, Stat Med 17:873, method 10). It treats days as
  independent, so it is too narrow when pain runs in streaks; and it compares one person before
  and after, which is not proof that the plan did it (pain often eases by itself, and people
  start a plan when pain is at its worst).
- Flags (docs/science.md section 6): pain not eased after 4 weeks on the plan, or worse, says to
  see a physiotherapist or doctor; low adherence says which parts were skipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

import polars as pl

from backcheck.analysis.painlinks import PAIN_LEVEL, Z95

#: Weeks on the plan after which pain that has not eased should be seen by a professional.
NOT_EASED_WEEKS: Final = 4
#: The window before the plan's start that pain since is compared with, days.
BEFORE_DAYS: Final = 28
#: Below this share of planned sessions done (over 2+ weeks) adherence is called low.
LOW_ADHERENCE: Final = 0.5
#: A week is "worse" when even the low end of its share of pain days (Wilson 95% interval) is
#: this much above the share before the plan (with at least WORSE_MIN_DAYS diary days in it):
#: one noisy week is not called worse. Pain since the start clearly above before (the whole
#: interval of the change above 0) is worse too.
WORSE_BY: Final = 0.1
WORSE_MIN_DAYS: Final = 3
PUSH: Final = frozenset({"horizontal-push", "vertical-push"})
PULL: Final = frozenset({"horizontal-pull", "vertical-pull"})

#: One row per planned session: the session's date, its plan week (1-based), working sets.
PLANNED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "date": pl.Date(),
    "week": pl.Int32(),
    "planned_sets": pl.Int64(),
}


def planned_sessions(docs: list[dict[str, Any]]) -> pl.DataFrame:
    """The planned sessions of saved `backcheck.plan/1` documents, oldest save first: a later
    save replaces an earlier one from its own start on. Weeks count from the first plan's
    start. PLANNED_SCHEMA, ordered by date."""
    rows: list[tuple[date, int]] = []
    starts = [date.fromisoformat(d["start"]) for d in docs]
    for i, doc in enumerate(docs):
        until = starts[i + 1] if i + 1 < len(docs) else date.max
        for week in doc.get("weeks", []):
            for s in week.get("sessions", []):
                day = date.fromisoformat(s["date"])
                if starts[i] <= day < until:
                    rows.append((day, sum(int(e.get("sets") or 0) for e in s["exercises"])))
    if not rows:
        return pl.DataFrame(schema=PLANNED_SCHEMA)
    first = min(starts)
    return pl.DataFrame(
        {
            "date": [d for d, _ in rows],
            "week": [(d - first).days // 7 + 1 for d, _ in rows],
            "planned_sets": [n for _, n in rows],
        },
        schema=PLANNED_SCHEMA,
    ).sort("date")


def match_sessions(planned: list[date], logged: list[date]) -> dict[date, date]:
    """Planned day -> the logged day that fulfils it (that day or the next), each logged
    session used once, earliest first. `logged` may repeat a day (two sessions)."""
    free = sorted(logged)
    used = [False] * len(free)
    done: dict[date, date] = {}
    for day in sorted(planned):
        for j, got in enumerate(free):
            if not used[j] and day <= got <= day + timedelta(days=1):
                used[j] = True
                done[day] = got
                break
    return done


@dataclass(frozen=True, slots=True)
class PainWindow:
    """The diary over [start, end]: days with an entry, days with pain, mean of day maxima."""

    start: date
    end: date
    diary_days: int
    pain_days: int
    mean_level: float | None

    @property
    def share(self) -> float | None:
        return self.pain_days / self.diary_days if self.diary_days else None

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "diary_days": self.diary_days,
            "pain_days": self.pain_days,
            "mean_level": None if self.mean_level is None else round(self.mean_level, 2),
        }


def pain_window(levels: pl.DataFrame, start: date, end: date) -> PainWindow:
    """PainWindow of painlinks.diary_days rows (day, highest level) within [start, end]."""
    inside = levels.filter(pl.col("day").is_between(start, end))
    mean = inside["level"].mean() if inside.height else None
    return PainWindow(
        start=start,
        end=end,
        diary_days=inside.height,
        pain_days=int((inside["level"] >= PAIN_LEVEL).sum()),
        mean_level=float(mean) if isinstance(mean, int | float) else None,
    )


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n (n > 0)."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def newcombe_difference(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """p2 - p1 with its 95% interval (Newcombe 1998, method 10: hybrid Wilson score)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p2 - p1
    lower = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return d, lower, upper


@dataclass(slots=True)
class WeekProgress:
    """One plan week: planned against done (docs/interface.md `weeks[]`)."""

    week: int
    start: date
    planned_sessions: int
    done_sessions: int
    warmed_up_sessions: int  # done sessions whose first upper-body lift was warmed up
    upper_body_sessions: int  # done sessions with an upper-body lift (the ones judged)
    planned_sets: int
    done_sets: int
    pull_push_ratio: float | None
    rest_days: int
    sleep_hours: float | None
    diary_days: int
    pain_days: int
    days: int  # days of this week up to the analysis day (1-7)

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "planned_sessions": self.planned_sessions,
            "done_sessions": self.done_sessions,
            "warmed_up_sessions": self.warmed_up_sessions,
            "upper_body_sessions": self.upper_body_sessions,
            "planned_sets": self.planned_sets,
            "done_sets": self.done_sets,
            "pull_push_ratio": None
            if self.pull_push_ratio is None
            else round(self.pull_push_ratio, 2),
            "rest_days": self.rest_days,
            "sleep_hours": None if self.sleep_hours is None else round(self.sleep_hours, 1),
            "diary_days": self.diary_days,
            "pain_days": self.pain_days,
            "days": self.days,
        }


@dataclass(slots=True)
class PainChange:
    """Pain before the plan and since, and the change in the share of pain days."""

    before: PainWindow
    since: PainWindow
    change: float | None = None  # since share - before share (-1..1)
    ci95: tuple[float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "before": self.before.to_json(),
            "since": self.since.to_json(),
            "change_in_pain_day_share": None if self.change is None else round(self.change, 3),
            "ci95": None if self.ci95 is None else [round(x, 3) for x in self.ci95],
        }


def pain_change(levels: pl.DataFrame, *, start: date, as_of: date) -> PainChange:
    """Pain in the BEFORE_DAYS before `start` against pain from `start` to `as_of`."""
    before = pain_window(levels, start - timedelta(days=BEFORE_DAYS), start - timedelta(days=1))
    since = pain_window(levels, start, as_of)
    out = PainChange(before=before, since=since)
    if before.diary_days and since.diary_days:
        d, lo, hi = newcombe_difference(
            before.pain_days, before.diary_days, since.pain_days, since.diary_days
        )
        out.change, out.ci95 = d, (lo, hi)
    return out


def weekly(
    *,
    planned: pl.DataFrame,
    sessions: pl.DataFrame,
    sets: pl.DataFrame,
    levels: pl.DataFrame,
    sleep: pl.DataFrame,
    start: date,
    as_of: date,
    end: date | None = None,
) -> list[WeekProgress]:
    """Week-by-week progress from the plan's `start` to `as_of`, never past the plan's last
    day `end` (the weeks are the plan's weeks: a far `as_of` adds none).

    planned: PLANNED_SCHEMA; sessions: one row per logged session (day, warmed_up: bool or
    null); sets: working sets (day, pattern); levels: painlinks.diary_days; sleep: day, hours.
    """
    if end is not None:
        as_of = min(as_of, end)
    if as_of < start:
        return []
    plan_days = planned.filter(pl.col("date") <= as_of)["date"].to_list()
    logged = sessions.filter(pl.col("day") >= start)
    matched = match_sessions(plan_days, logged["day"].to_list())
    judged = {
        d: bool(w)
        for d, w in zip(logged["day"].to_list(), logged["warmed_up"].to_list(), strict=True)
        if w is not None
    }
    out: list[WeekProgress] = []
    n_weeks = (as_of - start).days // 7 + 1
    for i in range(n_weeks):
        a = start + timedelta(days=7 * i)
        b = min(a + timedelta(days=6), as_of)
        wk_plan = planned.filter(pl.col("date").is_between(a, b))
        done = [d for d in wk_plan["date"].to_list() if d in matched]
        wk_sets = sets.filter(pl.col("day").is_between(a, b))
        push = int(wk_sets["pattern"].is_in(list(PUSH)).sum())
        pull = int(wk_sets["pattern"].is_in(list(PULL)).sum())
        trained = set(logged.filter(pl.col("day").is_between(a, b))["day"].to_list())
        nights = sleep.filter(pl.col("day").is_between(a, b))["hours"]
        window = pain_window(levels, a, b)
        out.append(
            WeekProgress(
                week=i + 1,
                start=a,
                planned_sessions=wk_plan.height,
                done_sessions=len(done),
                warmed_up_sessions=sum(1 for d in done if judged.get(matched[d], False)),
                upper_body_sessions=sum(1 for d in done if matched[d] in judged),
                planned_sets=int(wk_plan["planned_sets"].sum()),
                done_sets=wk_sets.height,
                pull_push_ratio=pull / push if push else None,
                rest_days=(b - a).days + 1 - len(trained),
                sleep_hours=float(nights.mean()) if nights.len() else None,  # type: ignore[arg-type]
                diary_days=window.diary_days,
                pain_days=window.pain_days,
                days=(b - a).days + 1,
            )
        )
    return out


def adherence(weeks: list[WeekProgress]) -> float | None:
    """Share of planned sessions (up to the analysis day) that were done; None: none due."""
    planned = sum(w.planned_sessions for w in weeks)
    return sum(w.done_sessions for w in weeks) / planned if planned else None


@dataclass(slots=True)
class Flags:
    """What the person must be told about how the plan is going (plain sentences)."""

    see_professional: bool = False
    low_adherence: bool = False
    messages: list[str] = field(default_factory=list)


def flags(weeks: list[WeekProgress], pain: PainChange, *, start: date, as_of: date) -> Flags:
    """The flags of docs/interface.md: pain not eased after 4 weeks or worse at any point, and
    low adherence with what was skipped."""
    out = Flags()
    days_on = (as_of - start).days + 1
    before = pain.before.share
    worse_weeks = [
        w.week
        for w in weeks
        if before is not None
        and w.diary_days >= WORSE_MIN_DAYS
        and wilson(w.pain_days, w.diary_days)[0] > before + WORSE_BY
    ]
    worse_overall = pain.ci95 is not None and pain.ci95[0] > 0
    if worse_weeks or worse_overall:
        out.see_professional = True
        when = (
            f"in week {', '.join(str(n) for n in worse_weeks)}"
            if worse_weeks
            else "since it started"
        )
        out.messages.append(
            f"Your pain was worse than before the plan {when}. Pain that gets worse should be "
            "checked: see a physiotherapist or doctor before you go on."
        )
    elif days_on >= 7 * NOT_EASED_WEEKS and pain.since.diary_days:
        eased = pain.change is not None and pain.ci95 is not None and pain.ci95[1] < 0
        if not eased:
            out.see_professional = True
            out.messages.append(
                f"After {days_on // 7} weeks on the plan your pain has not clearly eased. "
                "Pain that does not improve within 4 weeks should be checked: see a "
                "physiotherapist or doctor (docs/science.md section 6)."
            )
    due = [w for w in weeks if w.planned_sessions]
    rate = adherence(weeks)
    if rate is not None and len(due) >= 2 and rate < LOW_ADHERENCE:
        out.low_adherence = True
        done = sum(w.done_sessions for w in weeks)
        planned = sum(w.planned_sessions for w in weeks)
        skipped = [f"{planned - done} of {planned} planned sessions"]
        upper = sum(w.upper_body_sessions for w in weeks)
        cold = upper - sum(w.warmed_up_sessions for w in weeks)
        if cold > 0:
            skipped.append(f"the warm-up in {cold} of {upper} upper-body sessions done")
        ratios = [w.pull_push_ratio for w in weeks if w.pull_push_ratio is not None]
        if ratios and min(ratios) < 1:
            skipped.append("pulling work (fewer pulling than pressing sets in some weeks)")
        out.messages.append(
            "You did "
            + f"{rate:.0%} of the planned sessions. Skipped: "
            + "; ".join(skipped)
            + ". A lighter plan may fit better: a new plan is built from the weeks you "
            "actually trained, so saving a new one now asks for fewer sessions (backcheck plan "
            "--save). Keep the warm-up and the pulling work first; drop accessories first."
        )
    return out
