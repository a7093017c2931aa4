"""`backcheck summary`: one printable page for a professional, and its PDF through Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from backcheck.cli import main
from backcheck.summary import find_browser
from test_progress import AS_OF, START, TZ, answers, athlete_store, history_fixture  # noqa: F401


@pytest.fixture(name="db")
def db_fixture(tmp_path: Path, history: Path) -> str:
    store, _ = athlete_store(tmp_path, history, follow=lambda i: i % 3 != 0, before=0.6, after=0.3)
    store.close()
    return f"sqlite:///{tmp_path / 'p.db'}"


def run(db: str, *args: str) -> int:
    return main(["--db", db, "--athlete", "p", "--tz", TZ, *args])


def test_the_summary_holds_what_a_physio_reads(db: str, tmp_path: Path) -> None:
    ans = tmp_path / "answers.json"
    yes = {**answers(), "night_pain": True}
    ans.write_text(json.dumps(yes))
    assert run(db, "triage", "--answers", str(ans)) == 1  # a see-doctor answer is stored
    page = tmp_path / "summary.html"
    assert run(db, "summary", "--as-of", AS_OF.isoformat(), "--html", str(page)) == 0
    html = page.read_text()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "<script" not in html and "@media print" in html and "@page" in html
    # red flags first, with the answers as asked and their count
    assert text.index("Red flags") < text.index("Pain history") < text.index("five common causes")
    assert f"{len(yes)} red-flag questions answered" in text and "1 yes" in text
    assert "worse at night" in text.lower()
    # pain history: the calendar and the region table
    assert 'id="chart-pain-calendar"' in html and "mid back" in text
    # every cause with its level and grades; the plan and how it went
    for title in ("Warm-up", "Push / pull balance", "Rest, sleep and recovery"):
        assert title in text
    assert re.search(r'class="grade grade-[ABC]"', html)
    assert f"From {START.isoformat()}" in text and 'id="chart-progress"' in html
    assert "not proof" in text


def test_the_summary_needs_an_output(db: str) -> None:
    assert run(db, "summary") == 2


@pytest.mark.skipif(
    find_browser() is None, reason="no Chromium to print with (apt-get install chromium)"
)
def test_the_summary_prints_to_pdf(db: str, tmp_path: Path) -> None:
    pdf = tmp_path / "summary.pdf"
    assert run(db, "summary", "--as-of", AS_OF.isoformat(), "--pdf", str(pdf)) == 0
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/Type /Page" in data.replace(
        b"/Type/Page", b"/Type /Page"
    )
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert 2 <= pages <= 8
        out = Path("test-output")
        if shutil.which("pdftoppm"):
            out.mkdir(exist_ok=True)
            subprocess.run(
                ["pdftoppm", "-r", "50", "-png", str(pdf), str(out / "summary-page")], check=True
            )


def test_no_plan_yet_is_said(tmp_path: Path, history: Path) -> None:
    db = f"sqlite:///{tmp_path / 'np.db'}"
    assert main(["--db", db, "--athlete", "p", "--tz", TZ, "import", str(history)]) == 0
    page = tmp_path / "s.html"
    day = (START - timedelta(days=1)).isoformat()
    assert (
        main(
            [
                "--db",
                db,
                "--athlete",
                "p",
                "--tz",
                TZ,
                "summary",
                "--as-of",
                day,
                "--html",
                str(page),
            ]
        )
        == 0
    )
    assert "No plan saved yet" in page.read_text()
