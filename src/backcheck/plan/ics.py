"""The plan as an RFC 5545 calendar (icalendar): one all-day event per planned session, and a
weekly 5-minute check-in.

Each session event's SUMMARY is the session's focus, its DESCRIPTION the whole session
(warm-up, exercises with sets, reps and loads, notes, cool-down). The check-in is one event
repeating weekly (RRULE, as many times as the plan has weeks) on the last day of each plan
week at CHECK_IN_AT local time: log the week's pain days and look at `backcheck progress`.
UIDs are stable for a given athlete, date and plan start, so importing an updated plan
replaces the old events.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from backcheck.plan.model import Plan

if TYPE_CHECKING:
    from icalendar import Event
from backcheck.plan.text import session_text

PRODID = "-//backcheck//corrective plan//EN"
#: The weekly check-in: local wall-clock time (floating) and length.
CHECK_IN_AT = time(18, 0)
CHECK_IN_MINUTES = 5
CHECK_IN_TEXT = (
    "5 minutes to see how the plan is going:\n"
    "- log this week's pain, pain-free days too (backcheck pain log, or the web app's diary);\n"
    "- run `backcheck progress` (or open Progress in the web app): sessions done, warm-ups, "
    "pulling, sleep and pain against the weeks before the plan;\n"
    "- pain worse, or not easing after 4 weeks: see a physiotherapist or doctor."
)


def to_ics(plan: Plan, *, stamp: datetime | None = None) -> bytes:
    """The calendar as bytes (UTF-8, CRLF line ends). `stamp`: DTSTAMP (default now, UTC).

    A withheld plan gives a calendar without events.
    """
    from icalendar import Calendar, Event

    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"backcheck plan: {plan.athlete}")
    for s in plan.sessions:
        seed = f"{plan.athlete}|{plan.start.isoformat()}|{s.date.isoformat()}"
        uid = hashlib.sha256(seed.encode()).hexdigest()[:24]
        event = Event()
        event.add("uid", f"{uid}@backcheck")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.date)
        event.add("dtend", s.date + timedelta(days=1))
        event.add("summary", f"backcheck: {s.focus}")
        event.add("description", session_text(s))
        event.add("categories", ["backcheck", "training"])
        cal.add_component(event)
    if plan.sessions and plan.weeks:
        cal.add_component(check_in(plan, stamp=stamp))
    return bytes(cal.to_ical())


def check_in(plan: Plan, *, stamp: datetime) -> Event:
    """The weekly check-in: a 5-minute event on the plan's 7th day, repeating each plan week."""
    from icalendar import Event

    first = plan.start + timedelta(days=6)
    seed = f"{plan.athlete}|{plan.start.isoformat()}|check-in"
    event = Event()
    event.add("uid", f"{hashlib.sha256(seed.encode()).hexdigest()[:24]}@backcheck")
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(first, CHECK_IN_AT))
    event.add("duration", timedelta(minutes=CHECK_IN_MINUTES))
    event.add("rrule", {"freq": "weekly", "count": len(plan.weeks)})
    event.add("summary", "backcheck: weekly check-in (5 minutes)")
    event.add("description", CHECK_IN_TEXT)
    event.add("categories", ["backcheck", "check-in"])
    return event


def write_ics(plan: Plan, path: str | Path, *, stamp: datetime | None = None) -> Path:
    """Write the calendar file; returns its path."""
    out = Path(path)
    out.write_bytes(to_ics(plan, stamp=stamp))
    return out
