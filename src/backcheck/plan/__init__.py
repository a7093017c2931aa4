"""The corrective plan: from the cause engine's findings to weeks of sessions that remove them.

    plan = make_plan(store, athlete="me", tz="Europe/Berlin", weeks=4)
    plan.to_json()          # backcheck.plan/1 (docs/interface.md)

`make_plan` loads the athlete's data and report (backcheck.why) and calls the pure
`build_plan(data, report, weeks=, start=)`. Writers: plan.ics (RFC 5545 calendar),
plan.html (printable page), plan.markdown; plan.terminal (Rich). The rules every plan keeps
are in plan.rules; docs/plan.md says where each comes from.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from backcheck.plan.build import PlanRuleError, build_plan, default_start
from backcheck.plan.model import Plan

if TYPE_CHECKING:
    from backcheck.store import Store


def make_plan(
    store: Store | str,
    *,
    athlete: str,
    tz: str,
    weeks: int = 4,
    start: date | None = None,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
    today: date | None = None,
) -> Plan:
    """The plan for `athlete` from their data as of `as_of` (default: the analysis day `why`
    uses: today in `tz`, or the last logged day when the log ended more than 14 days ago),
    `weeks` weeks (1-16) from `start` (default: the first Monday after `as_of`, or after
    today when no `as_of` is given: a plan starts now even when the log is old, and restarts
    lighter after a break, plan.detraining). `today` defaults to the clock. `answers`
    replaces the stored red-flag answers. `store` may be a store's URL: read from its
    snapshot when that is current (see why.load_data_at). Raises NotFoundError for an
    unknown athlete, UsageError for weeks."""
    from backcheck.clock import local_today
    from backcheck.why import analyse, load_data, load_data_at

    today = today or local_today(tz)
    read = load_data_at if isinstance(store, str) else load_data
    data = read(store, athlete=athlete, tz=tz, as_of=as_of, answers=answers, today=today)  # type: ignore[arg-type]
    report = analyse(data)
    return build_plan(data, report, weeks=weeks, start=start or default_start(as_of or today))


__all__ = ["Plan", "PlanRuleError", "build_plan", "default_start", "make_plan"]
