"""The plan as an RFC 5545 calendar (icalendar): one all-day event per planned session.

Each event's SUMMARY is the session's focus, its DESCRIPTION the whole session (warm-up,
exercises with sets, reps and loads, notes, cool-down). UIDs are stable for a given
athlete, date and plan start, so importing an updated plan replaces the old events.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backcheck.plan.model import Plan
from backcheck.plan.text import session_text

PRODID = "-//backcheck//corrective plan//EN"


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
    return bytes(cal.to_ical())


def write_ics(plan: Plan, path: str | Path, *, stamp: datetime | None = None) -> Path:
    """Write the calendar file; returns its path."""
    out = Path(path)
    out.write_bytes(to_ics(plan, stamp=stamp))
    return out
