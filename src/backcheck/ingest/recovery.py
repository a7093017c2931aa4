"""The recovery log: CSV `date,kind,value` (docs/interface.md), or Apple Health sleep (`read_recovery`).

- `date`: ISO date. For sleep it is the morning the night ends on. A date-time is allowed and
  counts on its local date (an offset is converted to the athlete's zone first).
- `kind`: one of model.RECOVERY_KINDS; friendly spellings are accepted ("Foam-Rolling",
  "foam rolling", "stretch", "Sleep hours", "meditate").
- `value`: sleep in hours (0-24; "7.5", "7:30" or "450 min" all mean 7.5 h); the other kinds
  in minutes (0-1440; "1:30" or "1.5 h" mean 90 min).

The header may be left out (columns in this order); names are case-insensitive ("Type" or
"Activity" for kind, "Amount" for value). A row with a date but neither kind nor value, or a
kind but no value, is a blank entry: skipped with a reason. Anything else that cannot be read
raises InputError at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.clock import local_today
from backcheck.errors import InputError
from backcheck.ingest.apple_health import is_apple_health, read_sleep
from backcheck.ingest.diarycsv import diary_table, row_when
from backcheck.ingest.future import check_row_day
from backcheck.ingest.rowerrors import refuse_if_unreadable
from backcheck.model import RECOVERY_KINDS, Skipped

#: The frame `read_recovery` returns, in this column order.
RECOVERY_FRAME_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),  # sleep: the morning the night ends on; else the day of the practice
    "kind": pl.String(),  # one of RECOVERY_KINDS
    "value": pl.Float64(),  # sleep: hours 0-24; others: minutes 0-1440
    "source_line": pl.Int32(),  # 1-based physical line (Apple Health: first record of the night)
}
MAX_VALUE = {"sleep": 24.0}  # hours; every other kind: 1440 minutes
_SYNONYMS = {
    "sleep": ("sleep", "slept", "sleep hours", "hours slept", "sleeping", "night", "schlaf"),
    "yoga": ("yoga",),
    "foam-rolling": (
        "foam rolling",
        "foam roll",
        "foamrolling",
        "foam roller",
        "foamroll",
        "rolling",
        "smr",
        "self myofascial release",
    ),
    "massage": ("massage", "sports massage", "massages", "physio massage"),
    "stretching": ("stretching", "stretch", "stretches", "stretched"),
    "meditation": ("meditation", "meditate", "meditated", "mindfulness"),
}
_VALUE = re.compile(
    r"^(?P<n>\d+(?:[.,]\d+)?)\s*(?:(?P<h>h|hr|hrs|hour|hours|std)|"
    r"(?P<m>m|min|mins|minute|minutes))?\.?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(?P<a>\d{1,2}):(?P<b>[0-5]\d)$")


@dataclass(slots=True)
class RecoveryFrame:
    """A read recovery log: `frame` (RECOVERY_FRAME_SCHEMA), skipped rows, data rows, notes.

    `source` says where it came from: "csv" or "apple-health".
    """

    path: str
    frame: pl.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    source: str = "csv"

    @property
    def format(self) -> str:
        """The same as `source`: "csv" or "apple-health"."""
        return self.source


def normalise_kind(text: str) -> str | None:
    """The RECOVERY_KINDS name for `text` (any friendly spelling), None when unknown."""
    folded = " ".join(re.sub(r"[\s_\-/]+", " ", text.strip().lower()).split())
    for kind, words in _SYNONYMS.items():
        if folded in words or folded == kind:
            return kind
    return None


def parse_value(text: str, kind: str) -> float | None:
    """`text` in the unit of `kind` (sleep: hours, else minutes); None when unreadable.

    Accepts "7.5", "7,5", "7:30" (hours:minutes), "7.5 h", "450 min".
    """
    s = text.strip()
    in_hours = kind == "sleep"
    clock = _CLOCK.match(s)
    if clock:
        hours = int(clock["a"]) + int(clock["b"]) / 60.0
        return hours if in_hours else hours * 60.0
    m = _VALUE.match(s)
    if not m:
        return None
    number = float(m["n"].replace(",", "."))
    if m["h"]:
        return number if in_hours else number * 60.0
    if m["m"]:
        return number / 60.0 if in_hours else number
    return number


def _day(moment: date | datetime, tz: ZoneInfo) -> date:
    if isinstance(moment, datetime):
        return (moment.astimezone(tz) if moment.tzinfo else moment).date()
    return moment


def _kind_and_value(raw_kind: str, raw_value: str, *, path: str, line: int) -> tuple[str, float]:
    """The row's kind (one of RECOVERY_KINDS) and value (hours of sleep, else minutes, within
    MAX_VALUE), or InputError."""
    kind = normalise_kind(raw_kind)
    if kind is None:
        what = "missing" if not raw_kind else f"{raw_kind!r} is not known"
        raise InputError(path, line, f"kind {what}: use one of {', '.join(RECOVERY_KINDS)}")
    value = parse_value(raw_value, kind)
    unit = "hours" if kind == "sleep" else "minutes"
    limit = MAX_VALUE.get(kind, 1440.0)
    if value is None:
        raise InputError(
            path,
            line,
            f"{kind} value {raw_value!r} is not a number of {unit} (e.g. "
            f"{'7.5' if kind == 'sleep' else '20'})",
        )
    if value > limit:
        hint = "; sleep is in hours, not minutes" if kind == "sleep" else ""
        raise InputError(
            path, line, f"{kind} value {raw_value!r} is over {limit:g} {unit} a day{hint}"
        )
    return kind, value


def read_recovery_csv(path: str | Path, *, tz: ZoneInfo) -> RecoveryFrame:
    """Read a recovery CSV (see the module docstring); `tz` is the athlete's zone."""
    table = diary_table(
        path,
        names=("date", "kind", "value"),
        required=("date", "kind", "value"),
        aliases={
            "day": "date",
            "night": "date",
            "type": "kind",
            "activity": "kind",
            "what": "kind",
            "amount": "value",
        },
    )
    p, cols = table.path, table.columns
    days: list[date] = []
    kinds: list[str] = []
    values: list[float] = []
    lines: list[int] = []
    skipped: list[Skipped] = []
    today = local_today(tz)
    for i, line in enumerate(table.lines):
        raw_date, raw_kind, raw_value = cols["date"][i], cols["kind"][i], cols["value"][i]
        try:
            day = _day(
                row_when(raw_date, path=p, line=line, hint="use ISO dates like 2026-03-02"), tz
            )
            check_row_day(day, today=today, path=p, line=line)
            if not raw_value:
                why = "no value given" if raw_kind else "no kind or value given"
                skipped.append(Skipped(line, f"{why}: nothing logged"))
                continue
            kind, value = _kind_and_value(raw_kind, raw_value, path=p, line=line)
        except InputError as exc:  # the row policy: skipped and listed, the rest imported
            skipped.append(Skipped(line, exc.reason, unreadable=True))
            continue
        days.append(day)
        kinds.append(kind)
        values.append(value)
        lines.append(line)
    refuse_if_unreadable(p, rows=len(table.lines), skipped=skipped)
    frame = pl.DataFrame(
        {"day": days, "kind": kinds, "value": values, "source_line": lines},
        schema=RECOVERY_FRAME_SCHEMA,
    )
    return RecoveryFrame(p, frame, skipped, len(table.lines), list(table.notes), "csv")


def read_recovery(path: str | Path, *, tz: ZoneInfo) -> RecoveryFrame:
    """A recovery CSV, or an Apple Health export (`export.xml`, or the `export.zip` holding
    it), whose sleep becomes `sleep` rows in hours, one a night (see apple_health.py)."""
    p = Path(path)
    if not is_apple_health(p):
        return read_recovery_csv(p, tz=tz)
    nights = read_sleep(p)
    frame = pl.DataFrame(
        {
            "day": nights.frame["day"],
            "kind": ["sleep"] * nights.frame.height,
            "value": nights.frame["hours"],
            "source_line": nights.frame["source_line"],
        },
        schema=RECOVERY_FRAME_SCHEMA,
    )
    return RecoveryFrame(
        nights.path, frame, nights.skipped, nights.rows, nights.notes, "apple-health"
    )
