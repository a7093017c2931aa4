"""`why` and `triage` end to end through the CLI: real exports, red flags first, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backcheck.analysis.triage import QUESTIONS
from backcheck.cli import main
from backcheck.model import CAUSES
from testdata import DATA, export_index

FIT_INDEX = json.loads((DATA / "fit_index.json").read_text())["exports"]
ALL_EXPORTS = [e["path"] for e in export_index()] + [e["path"] for e in FIT_INDEX if e["sessions"]]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'b.db'}"


def last_day(capsys: pytest.CaptureFixture[str], db: str) -> str:
    code, out, _ = run(capsys, "--db", db, "sessions", "--last", "1", "--json")
    assert code == 0
    return json.loads(out)[0]["date"][:10]


@pytest.mark.parametrize("path", ALL_EXPORTS, ids=lambda p: Path(p).name)
def test_every_real_export_gets_a_full_report(
    path: str, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", db, "--tz", "UTC", "import", str(DATA / path))[0] == 0
    html = tmp_path / "report.html"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "--tz",
        "UTC",
        "why",
        "--json",
        "--as-of",
        last_day(capsys, db),
        "--html",
        str(html),
    )
    assert code == 0, err
    doc = json.loads(out)
    assert sorted(c["cause"] for c in doc["causes"]) == sorted(CAUSES)
    assert all(c["level"] != "likely" for c in doc["causes"])  # no pain entries
    assert doc["red_flags"]["level"] == "not-asked"
    balance = next(c for c in doc["causes"] if c["cause"] == "imbalance")
    metrics = {e["metric"] for e in balance["evidence"]}
    assert "push_pull_ratio_sets" in metrics, balance["evidence"]
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "backcheck" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""", text)


def test_terminal_report_leads_with_red_flags(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--db", db, "import", str(DATA / "logs/strong/breinsp_strong.csv"))
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"chest_pain": True}))
    code, out, _ = run(
        capsys, "--db", db, "why", "--as-of", "2021-12-31", "--answers", str(answers)
    )
    assert code == 1
    flags_at = out.index("EMERGENCY")
    assert flags_at < out.index("Warm-up")
    assert "emergency number" in out
    assert "you have" not in out.lower()


def test_triage_answers_are_stored_and_used(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "triage", "--list-keys")
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    keys = [key for key, _ in lines]  # key TAB question: `cut -f1` gives the keys
    assert lines == [[q.key, q.text] for q in QUESTIONS]
    run(capsys, "--db", db, "import", str(DATA / "logs/strong/dakheera47_sample_strong.csv"))
    calm = tmp_path / "calm.json"
    calm.write_text(json.dumps(dict.fromkeys(keys, False)))
    code, out, _ = run(capsys, "--db", db, "triage", "--answers", str(calm), "--json")
    assert code == 0 and json.loads(out)["level"] == "none"
    code, out, _ = run(capsys, "--db", db, "why", "--json", "--as-of", "2025-10-21")
    assert code == 0 and json.loads(out)["red_flags"]["level"] == "none"
    worried = tmp_path / "worried.json"
    worried.write_text(json.dumps({**dict.fromkeys(keys, False), "dark_urine": True}))
    code, out, _ = run(capsys, "--db", db, "triage", "--answers", str(worried), "--json")
    assert code == 1 and json.loads(out)["level"] == "emergency"
    code, out, _ = run(capsys, "--db", db, "why", "--json", "--as-of", "2025-10-21")
    doc = json.loads(out)
    assert code == 1 and doc["red_flags"]["level"] == "emergency" and doc["red_flags"]["reasons"]


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ('{"chest_pain": "yes"}', "chest_pain"),
        ('{"chest_hurts": true}', "chest_hurts"),
        ("{not json", ":1:"),
    ],
)
def test_bad_answers_file_exits_2(
    content: str, expect: str, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content)
    code, _, err = run(capsys, "--db", db, "triage", "--answers", str(path))
    assert code == 2 and str(path) in err and expect in err
    code, out, _ = run(capsys, "--db", db, "athletes", "--json")
    assert json.loads(out) == []  # nothing stored


def test_triage_without_terminal_needs_answers(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db, "triage")
    assert code == 2 and "--answers" in err


def test_why_for_unknown_athlete_and_bad_date(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db, "--athlete", "nobody", "why")
    assert code == 2 and "nobody" in err
    run(capsys, "--db", db, "import", str(DATA / "logs/strong/dakheera47_sample_strong.csv"))
    code, _, err = run(capsys, "--db", db, "why", "--as-of", "yesterday")
    assert code == 2 and "--as-of" in err


def test_pain_entries_drive_the_report(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pain logged after sessions without warm-up shows up as a pain link with counts."""
    run(capsys, "--db", db, "--tz", "UTC", "import", str(DATA / "logs/strong/breinsp_strong.csv"))
    code, out, _ = run(capsys, "--db", db, "--tz", "UTC", "sessions", "--last", "200", "--json")
    days = sorted({s["date"][:10] for s in json.loads(out)})
    diary = tmp_path / "pain.csv"
    diary.write_text(
        "date,level,region,note\n"
        + "".join(f"{d},{'5,mid-back' if i % 2 == 0 else '0,'},\n" for i, d in enumerate(days))
    )
    assert run(capsys, "--db", db, "--tz", "UTC", "pain", "import", str(diary))[0] == 0
    code, out, _ = run(capsys, "--db", db, "--tz", "UTC", "why", "--json", "--as-of", days[-1])
    assert code == 0
    doc = json.loads(out)
    assert doc["data"]["pain_entries"] == len(days)
    link = next(p for p in doc["pain_links"] if p["factor"] == "no_warmup")
    assert link["n_with"] + link["n_without"] > 0
