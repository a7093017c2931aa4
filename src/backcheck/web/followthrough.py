"""The web app's side of following the plan through: start (save) a plan, show progress, the
summary for a professional. Each is the same core call the CLI makes (backcheck.progress,
backcheck.summary), for the athlete a route resolved."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from backcheck.errors import NotFoundError
from backcheck.store.webstore import Access
from backcheck.web import services

if TYPE_CHECKING:
    from backcheck.progress import ProgressReport
    from backcheck.web.deps import AppState


def start_plan(state: AppState, who: Access, *, weeks: int = 4, start: date | None = None) -> Any:
    """Build the plan as the Plan page shows it and keep it as the athlete's current plan
    (`plan --save`). Returns the plan; UsageError when it is withheld."""
    from backcheck.progress import save_plan

    plan = services.plan(state, who, weeks=weeks, start=start)
    save_plan(state.store, plan)
    state.cache.invalidate(who.athlete_id)
    return plan


def progress(state: AppState, who: Access, *, as_of: date | None = None) -> ProgressReport | None:
    """The progress report as of `as_of` (default today in the athlete's zone); None when no
    plan was saved yet."""
    from backcheck.progress import progress as core_progress

    try:
        return core_progress(
            state.store, athlete=who.athlete, tz=who.tz, as_of=as_of or services.today(who)
        )
    except NotFoundError:
        return None


def summary_html(state: AppState, who: Access, *, as_of: date | None = None) -> str:
    """The printable summary page for a professional (`backcheck summary --html`)."""
    from backcheck.report.summary import render_summary
    from backcheck.summary import build_summary

    doc = build_summary(
        state.store, athlete=who.athlete, tz=who.tz, as_of=as_of or services.today(who)
    )
    return render_summary(doc, name=who.display_name)
