"""Options more than one command takes: --as-of, --answers, and the reading of date options."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from backcheck.errors import UsageError

#: `--answers FILE` of `why`, `plan` and `summary`: red-flag answers instead of the stored
#: ones (read with triage_answers.read_answers_file).
AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Red-flag answers JSON (instead of the stored ones).",
        show_default=False,
    ),
]

AS_OF_DEFAULT = "default: today, or the last logged day of a log that ended more than 14 days ago"


def as_of_option(lead: str) -> Any:
    """The --as-of option (YYYY-MM-DD, read with parse_as_of) of an analysis: `lead` says what
    the date does; the help adds the default day (why.prepare_data's choice)."""
    return typer.Option("--as-of", help=f"{lead}; {AS_OF_DEFAULT}.", show_default=False)


#: Days a command may be asked about (--as-of, --start, --date): the analysis looks years back
#: and plans weeks ahead, which must stay within the calendar Python and Polars can count.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def check_day(option: str, day: date) -> date:
    """`day` when it lies between FIRST_DAY and LAST_DAY; UsageError names the option."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(option, f"{day} is out of range ({FIRST_DAY} to {LAST_DAY})")
    return day


def parse_day(option: str, value: str | None) -> date | None:
    """A date option (YYYY-MM-DD, 1900-2999) as a date, None when not given; UsageError names
    the option."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(option, f"not a date (YYYY-MM-DD): {value!r}") from None
    return check_day(option, day)


def parse_as_of(value: str | None) -> date | None:
    """--as-of as a date (see parse_day)."""
    return parse_day("--as-of", value)


def read_answers(path: Path | None) -> dict[str, bool] | None:
    """The answers of `--answers FILE` (None when not given): triage_answers.read_answers_file."""
    if path is None:
        return None
    from backcheck.triage_answers import read_answers_file

    return read_answers_file(path)
