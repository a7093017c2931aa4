"""Spike weeks on every real export (tests/data/index.json): rare (at most 15% of the weeks the
log spans), and the same weeks in `why --json`, the overexertion evidence and the HTML chart."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backcheck.cli import main
from testdata import DATA, export_index

MAX_SHARE = 0.15


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def chart_weeks(html: str) -> list[date]:
    """Mondays of the bars the weekly-volume chart marks as spike weeks."""
    start = html.index('id="chart-weekly-volume"')
    chart = html[start : html.index("</svg>", start)]
    titles = re.findall(r'<rect class="bar spike"[^>]*><title>Week of ([^:<]+):', chart)
    return [datetime.strptime(t, "%d %b %Y").date() for t in titles]


@pytest.mark.parametrize("entry", export_index(), ids=lambda e: Path(e["path"]).name)
def test_spike_weeks_are_rare_and_shown_alike(
    entry: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    assert run(capsys, "--db", db, "--tz", "UTC", "import", str(DATA / entry["path"]))[0] == 0
    code, out = run(capsys, "--db", db, "--tz", "UTC", "sessions", "--json")
    assert code == 0
    last = max(s["date"][:10] for s in json.loads(out))
    html = tmp_path / "r.html"
    code, out = run(
        capsys, "--db", db, "--tz", "UTC", "why", "--json", "--as-of", last, "--html", str(html)
    )
    assert code == 0
    doc = json.loads(out)
    weeks = [date.fromisoformat(d) for d in doc["spike_weeks"]]
    first, end = date.fromisoformat(doc["data"]["first"]), date.fromisoformat(doc["data"]["last"])
    span = ((end - first).days + first.weekday() + 7 - end.weekday()) // 7  # Monday..Sunday
    assert all(d.weekday() == 6 for d in weeks) and weeks == sorted(set(weeks))
    assert all(first <= d and d - timedelta(days=6) <= end for d in weeks)
    assert len(weeks) <= MAX_SHARE * span, (len(weeks), span, weeks)
    # The overexertion evidence names the recent weeks and counts the older ones: all of them.
    over = next(c for c in doc["causes"] if c["cause"] == "overexertion")
    recent = [
        date.fromisoformat(e["period"][-10:])
        for e in over["evidence"]
        if e["metric"] == "spike_week_upper_back"
    ]
    older = sum(e["value"] for e in over["evidence"] if e["metric"] == "older_spike_weeks")
    assert recent == weeks[len(weeks) - len(recent) :] and older + len(recent) == len(weeks)
    if not weeks and (end - first).days >= 27:  # 4 weeks of log: "no jump" is said
        assert any(e["metric"] == "spike_weeks" and e["value"] == 0 for e in over["evidence"])
    assert not any("load spikes" in e["text"] for c in doc["causes"] for e in c["evidence"])
    # The chart marks exactly those weeks.
    marked = chart_weeks(html.read_text(encoding="utf-8"))
    assert marked == [d - timedelta(days=6) for d in weeks]
