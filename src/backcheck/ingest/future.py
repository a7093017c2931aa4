"""One rule for every diary and recovery entry a person types in (CLI and web): it records
what happened, so it is never dated after the person's own today."""

from __future__ import annotations

from datetime import date, datetime

from backcheck.errors import UsageError


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


__all__ = ["check_not_future"]
