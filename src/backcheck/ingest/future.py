"""One rule for every diary and recovery entry, typed in (CLI and web) or imported from a file:
it records what happened, so it is never dated after the person's own today."""

from __future__ import annotations

from datetime import date, datetime

from backcheck.errors import InputError, UsageError


def check_not_future(day: date | datetime, *, today: date, parameter: str = "--date") -> None:
    """Raise UsageError(`parameter`) when `day` (a date, or a datetime in the person's time
    zone) lies after `today` (their local date); today itself is fine."""
    when = day.date() if isinstance(day, datetime) else day
    if when > today:
        raise UsageError(
            parameter,
            f"{when.isoformat()} is in the future (today is {today.isoformat()}): an entry "
            "records what happened, so give today's date or an earlier one",
        )


def check_row_day(day: date | datetime, *, today: date, path: str, line: int) -> None:
    """The same rule for a row of a diary or recovery file: InputError(`PATH:LINE`) when
    `day` lies after `today`; the importers skip and list such a row (the row policy)."""
    when = day.date() if isinstance(day, datetime) else day
    if when > today:
        raise InputError(
            path,
            line,
            f"{when.isoformat()} is after today ({today.isoformat()}): an entry records what "
            "happened (is the date written day-first or month-first?)",
        )
