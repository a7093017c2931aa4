"""The analysis day: the one rule every client (`why`, `plan`, `batch`, `export`, the web app)
uses to decide "as of when" an athlete's data is analysed.

    chosen = analysis_day(given=None, today=date(2026, 12, 4), last_logged=date(2025, 5, 15))
    chosen.day    # 2025-05-15
    chosen.notes  # ["Your log ends on 2025-05-15, so this report is as of that day (...)."]

A day given explicitly (`--as-of`, `?as_of=`) is used as it is. Otherwise the day is today
in the athlete's time zone, unless the log ended more than STALE_AFTER_DAYS (14) days before
today: then it is the last logged day (the latest local day with a set, a pain entry or a
recovery entry). An export that ended months ago analysed as of today only shows empty
recent weeks ("0.0x your 4-week average", "7.0 rest days a week"); analysed as of its last
day it shows how that training was. The 14 days are a convention (two weekly bins: a week
or two off is normal training life, a longer gap means the recent weeks are not training).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import polars as pl

#: A log whose last entry is more than this many days before today is analysed as of that entry.
STALE_AFTER_DAYS: Final = 14

Reason = Literal["given", "today", "log-end"]
#: How the notes say the day can be changed (the CLI's option; the web app shows WEB_HINT).
CLI_HINT: Final = "pass --as-of to change it"
WEB_HINT: Final = "pick another day above to change it"


@dataclass(frozen=True, slots=True)
class AnalysisDay:
    """The day analysed and why it was chosen.

    day: the analysis day (inclusive: data after it is left out). reason: "given" (asked
    for), "today" or "log-end" (the log ended more than STALE_AFTER_DAYS days before today).
    today: today in the athlete's time zone. last_logged: the latest local day with any
    set, pain or recovery entry (None: nothing logged).
    """

    day: date
    reason: Reason
    today: date
    last_logged: date | None

    @property
    def notes(self) -> list[str]:
        """What the reader must know about the day chosen: that it is the log's end, or that
        a day asked for lies long after the log ended (its recent weeks are a break)."""
        if self.reason == "log-end":
            return [
                f"Your log ends on {self.day.isoformat()}, so this report is as of that day "
                f"({CLI_HINT})."
            ]
        last = self.last_logged
        if self.reason == "given" and last is not None and gap_days(last, self.day) > 0:
            return [
                f"Your log ends on {last.isoformat()}, {(self.day - last).days} days before "
                f"{self.day.isoformat()}: the recent weeks of this report are a break, not "
                "training."
            ]
        return []


def gap_days(last: date, day: date) -> int:
    """Days beyond STALE_AFTER_DAYS from `last` (the last logged day) to `day`; 0 when the
    log is current on `day` (ended at most STALE_AFTER_DAYS days before it)."""
    return max(0, (day - last).days - STALE_AFTER_DAYS)


def analysis_day(*, given: date | None, today: date, last_logged: date | None) -> AnalysisDay:
    """The analysis day (see the module docstring): `given` when not None; else `today`,
    or `last_logged` when that is more than STALE_AFTER_DAYS days before `today`."""
    if given is not None:
        return AnalysisDay(given, "given", today, last_logged)
    if last_logged is not None and gap_days(last_logged, today) > 0:
        return AnalysisDay(last_logged, "log-end", today, last_logged)
    return AnalysisDay(today, "today", today, last_logged)


def last_logged_day(*days: pl.Series) -> date | None:
    """The latest date in any of `days` (local calendar days of sets, pain entries, recovery
    entries); None when all are empty."""
    found: list[date] = [d.max() for d in days if d.len() and d.null_count() < d.len()]  # type: ignore[misc]
    return max(found) if found else None


__all__ = ["STALE_AFTER_DAYS", "AnalysisDay", "analysis_day", "gap_days", "last_logged_day"]
