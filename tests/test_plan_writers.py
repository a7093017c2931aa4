"""The plan's exports: RFC 5545 calendar (parsed back with icalendar), printable HTML,
Markdown and the terminal table, each holding every planned session."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar
from rich.console import Console

from backcheck.plan import build_plan
from backcheck.plan.html import to_html, write_html
from backcheck.plan.ics import to_ics, write_ics
from backcheck.plan.markdown import to_markdown, write_markdown
from backcheck.plan.model import Plan
from backcheck.plan.terminal import render_plan
from backcheck.why import analyse
from plan_helpers import NO_FLAGS, monday_after, sim, sim_data


@pytest.fixture(scope="module")
def plan() -> Plan:
    s = sim(("imbalance", "recovery"), seed=7, weeks=10)
    data = sim_data(s)
    return build_plan(data, analyse(data), weeks=5, start=monday_after(data.as_of))


@pytest.fixture(scope="module")
def withheld() -> Plan:
    s = sim((), seed=7, weeks=6)
    data = sim_data(s, answers={**NO_FLAGS, "fainting": True})
    return build_plan(data, analyse(data), weeks=4, start=monday_after(data.as_of))


def test_calendar_parses_with_one_event_per_session(plan: Plan, tmp_path: Path) -> None:
    path = write_ics(plan, tmp_path / "plan.ics", stamp=datetime(2026, 1, 1, tzinfo=UTC))
    cal = Calendar.from_ical(path.read_bytes())
    assert str(cal["VERSION"]) == "2.0" and "backcheck" in str(cal["PRODID"])
    everything = cal.walk("VEVENT")
    events = [e for e in everything if "check-in" not in str(e["SUMMARY"])]
    sessions = plan.sessions
    assert len(events) == len(sessions) > 10
    assert len({str(e["UID"]) for e in events}) == len(events)
    by_day = {s.date: s for s in sessions}
    for event in events:
        day = event.decoded("DTSTART")
        assert (event.decoded("DTEND") - day).days == 1
        session = by_day[day]
        assert session.focus in str(event["SUMMARY"])
        text = str(event["DESCRIPTION"])
        for e in session.exercises:
            assert f"{e.name}: {e.sets} x {e.reps}" in text
        for w in session.warmup:
            assert w.name in text
        assert "DTSTAMP" in event


def test_calendar_has_a_weekly_five_minute_check_in(plan: Plan) -> None:
    cal = Calendar.from_ical(to_ics(plan, stamp=datetime(2026, 1, 1, tzinfo=UTC)))
    (check,) = [e for e in cal.walk("VEVENT") if "check-in" in str(e["SUMMARY"])]
    start = check.decoded("DTSTART")
    assert start.date() == plan.start + timedelta(days=6) and start.tzinfo is None  # local time
    assert check.decoded("DURATION") == timedelta(minutes=5)
    rule = check["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [len(plan.weeks)]
    assert "backcheck progress" in str(check["DESCRIPTION"])


def test_calendar_bytes_are_crlf_and_stable(plan: Plan) -> None:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    a, b = to_ics(plan, stamp=stamp), to_ics(plan, stamp=stamp)
    assert a == b and b"\r\n" in a
    assert all(len(line) <= 75 for line in a.split(b"\r\n"))  # RFC 5545 line folding


def test_withheld_plan_gives_a_calendar_without_events(withheld: Plan) -> None:
    assert withheld.withheld
    assert Calendar.from_ical(to_ics(withheld)).walk("VEVENT") == []


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_holds_every_session(plan: Plan, tmp_path: Path) -> None:
    page = write_html(plan, tmp_path / "plan.html").read_text(encoding="utf-8")
    parsed = Collect()
    parsed.feed(page)
    assert parsed.tags.count("h3") == len(plan.sessions)
    assert parsed.tags.count("section") == len(plan.weeks)
    assert not any(name in ("src", "href") for name, _ in parsed.attrs)  # nothing fetched
    assert "@media print" in page and "break-before: page" in page
    text = " ".join(" ".join(parsed.text).split())
    for s in plan.sessions:
        for e in s.exercises:
            assert e.name in text
    for note in plan.notes:
        assert " ".join(note.split()) in text


def test_html_escapes_what_it_shows(plan: Plan) -> None:
    page = to_html(replace(plan, athlete="<script>alert(1)</script>"))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_html_and_markdown_of_a_withheld_plan_say_why(withheld: Plan) -> None:
    assert "Plan withheld" in to_html(withheld)
    md = to_markdown(withheld)
    assert withheld.withheld is not None
    assert "Plan withheld" in md and withheld.withheld in md
    assert "## Week" not in md


def test_markdown_has_a_section_per_week_and_a_row_per_exercise(plan: Plan, tmp_path: Path) -> None:
    md = write_markdown(plan, tmp_path / "plan.md").read_text(encoding="utf-8")
    assert md.count("\n## Week ") == len(plan.weeks)
    assert md.count("\n### ") == len(plan.sessions)
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
    header = "| Exercise | Sets x reps | Load | Note |"
    items = sum(len(s.exercises) for s in plan.sessions)
    assert len([r for r in rows if r != header]) == items
    assert md.count(header) == len(plan.sessions)


def test_markdown_escapes_pipes_in_cells(plan: Plan) -> None:
    s = plan.weeks[0].sessions[0]
    e = replace(s.exercises[0], note="left | right")
    odd = replace(plan, weeks=(replace(plan.weeks[0], sessions=(replace(s, exercises=(e,)),)),))
    assert "left \\| right" in to_markdown(odd)


def test_terminal_shows_each_week_and_session(plan: Plan) -> None:
    console = Console(record=True, width=140)
    render_plan(plan, console)
    out = console.export_text()
    for i in range(1, len(plan.weeks) + 1):
        assert f"Week {i} (" in out
    for s in plan.sessions:
        assert s.date.strftime("%a %d %b") in out
