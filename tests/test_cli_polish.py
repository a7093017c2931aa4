"""CLI conventions people meet first: `sessions` fits 80 columns with whole dates, `triage
--list-keys` says each question (tab-separated, key first; --json too), and a diary or
recovery entry dated in the future is refused, in the CLI and in the web app alike."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from backcheck.analysis.triage import QUESTIONS
from backcheck.errors import UsageError
from backcheck.ingest.future import check_not_future
from testdata import DATA

CLI = "import sys\nfrom backcheck import cli\nsys.exit(cli.main(sys.argv[1:]))\n"
EXPORT = DATA / "logs" / "strong" / "breinsp_strong.csv"


def backcheck(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm"}
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_sessions_table_fits_80_columns_with_whole_dates(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    assert backcheck("--db", db, "import", str(EXPORT)).returncode == 0
    r = backcheck("--db", db, "sessions", "-n", "15")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    dated = [line for line in lines if re.search(r"\d{4}-\d{2}-\d{2}", line)]
    assert len(dated) == 15  # one line a session: nothing wrapped onto a second line
    assert all(re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line) for line in dated)
    doc = json.loads(backcheck("--db", db, "sessions", "-n", "15", "--json").stdout)
    assert [d["date"] for d in doc] == [
        re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", x)[0] for x in dated
    ]


def test_list_keys_prints_each_key_with_its_question() -> None:
    r = backcheck("triage", "--list-keys")
    assert r.returncode == 0
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows == [[q.key, q.text] for q in QUESTIONS]
    doc = json.loads(backcheck("triage", "--list-keys", "--json").stdout)
    assert doc == [{"key": q.key, "question": q.text} for q in QUESTIONS]


def test_the_one_rule_allows_today_and_refuses_tomorrow() -> None:
    today = date(2026, 12, 4)
    check_not_future(today, today=today)
    with pytest.raises(UsageError) as caught:
        check_not_future(today + timedelta(days=1), today=today, parameter="date")
    assert caught.value.parameter == "date" and "2026-12-05 is in the future" in str(caught.value)


def test_pain_log_next_year_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    next_year = date.today().replace(month=6, day=1) + timedelta(days=366)
    r = backcheck(
        "--db",
        db,
        "pain",
        "log",
        "--date",
        next_year.isoformat(),
        "--level",
        "3",
        "--where",
        "neck",
    )
    assert r.returncode == 2
    assert "--date" in r.stderr and "in the future" in r.stderr and "Traceback" not in r.stderr
    ok = backcheck("--db", db, "pain", "log", "--date", date.today().isoformat(), "--level", "0")
    assert ok.returncode == 0, ok.stderr


def test_the_web_refuses_future_pain_and_recovery_entries(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from webtools import TestClient, Web, create_app, make_settings

    with TestClient(create_app(make_settings(tmp_path)), base_url="https://testserver") as c:
        web = Web(c).signup()
        base = f"/a/{web.athlete}"
        later = (date.today() + timedelta(days=400)).isoformat()
        r = web.form(f"{base}/pain", {"date": later, "level": "4", "region": "neck"})
        assert r.status_code == 400 and "in the future" in r.text
        assert f"Day: {later} is in the future" in r.text and "--date" not in r.text
        r = web.form(f"{base}/recovery", {"date": later, "sleep": "7.5"})
        assert r.status_code == 400 and "in the future" in r.text
        assert "in the future" not in web.client.get(f"{base}/recovery").text
