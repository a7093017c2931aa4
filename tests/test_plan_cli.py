"""`backcheck plan` end to end through the CLI on a real SQLite file: every real export in
tests/data/logs gives a plan that keeps every rule; Strong and Hevy exports of simulated
athletes too; red flags withhold the plan (exit 1); pain of 7+ starts with a reduced week;
the files it writes are what they say."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from backcheck import cli
from backcheck.plan.model import Plan
from backcheck.plan.rules import check_plan
from backcheck.sim.writers import (
    write_answers_json,
    write_hevy_csv,
    write_pain_csv,
    write_recovery_csv,
    write_strong_csv,
)
from backcheck.store import open_store
from backcheck.why import load_data
from plan_helpers import independent_limits, last_day, sim
from testdata import DATA, export_index

FIT = json.loads((DATA / "fit_index.json").read_text())["exports"]
REAL = [e["path"] for e in export_index()] + [e["path"] for e in FIT]
TZ = "Europe/Berlin"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check_document(doc: dict, db: str, athlete: str) -> Plan:
    """The JSON document keeps every rule, judged with limits worked out from the store."""
    assert doc["schema"] == "backcheck.plan/1" and doc["athlete"] == athlete
    plan = Plan.from_json(doc)
    store = open_store(db)
    try:
        data = load_data(store, athlete=athlete, tz=TZ, as_of=plan.as_of)
    finally:
        store.close()
    broken = check_plan(plan, independent_limits(data, addresses=plan.addresses))
    assert broken == [], "\n".join(map(str, broken))
    return plan


@pytest.mark.parametrize("path", REAL, ids=lambda p: Path(p).name)
def test_every_real_export_gives_a_plan_that_keeps_every_rule(
    path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, _, err = run(capsys, "--db", db, "--tz", TZ, "import", str(DATA / path))
    assert code == 0, err
    # as of today (long after these exports: a return after a break) ...
    code, out, err = run(capsys, "--db", db, "--tz", TZ, "plan", "--json", "--weeks", "8")
    assert code == 0, err
    today = check_document(json.loads(out), db, "me")
    assert len(today.weeks) == 8 and today.withheld is None
    # ... and as of the last day of the log, with a calendar file
    store = open_store(db)
    try:
        days = load_data(store, athlete="me", tz=TZ).sets["day"]
    finally:
        store.close()
    if days.len() == 0:
        return  # a FIT activity without strength sets: nothing to date the log by
    last = str(days.max())
    ics = tmp_path / "plan.ics"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "--tz",
        TZ,
        "plan",
        "--json",
        "--as-of",
        last,
        "--weeks",
        "12",
        "--ics",
        str(ics),
    )
    assert code == 0, err
    plan = check_document(json.loads(out), db, "me")
    from icalendar import Calendar

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    sessions = [e for e in events if "check-in" not in str(e["SUMMARY"])]
    assert len(sessions) == len(plan.sessions) > 0 and len(events) == len(sessions) + 1


@pytest.mark.parametrize("fmt", ["strong", "hevy"])
def test_simulated_exports_through_the_importers_keep_every_rule(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = sim(("imbalance", "overexertion"), seed=31, weeks=12)
    writer = write_strong_csv if fmt == "strong" else write_hevy_csv
    export = writer(s.sets, tmp_path / f"{fmt}.csv", tz=TZ)
    pain = write_pain_csv(s.pain, tmp_path / "pain.csv")
    rec = write_recovery_csv(s.recovery, tmp_path / "recovery.csv")
    answers = write_answers_json(tmp_path / "answers.json")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    base = ("--db", db, "--tz", TZ)
    for cmd in (
        ("import", str(export)),
        ("pain", "import", str(pain)),
        ("recovery", "import", str(rec)),
    ):
        code, _, err = run(capsys, *base, *cmd)
        assert code == 0, err
    last = str(last_day(s))
    code, out, err = run(
        capsys, *base, "plan", "--json", "--as-of", last, "--answers", str(answers), "--weeks", "6"
    )
    assert code == 0, err
    plan = check_document(json.loads(out), db, "me")
    # the plan addresses exactly the causes the report finds likely or possible (the ranking
    # of this athlete is the cause engine's business: tests/test_accuracy.py)
    code, out, err = run(capsys, *base, "why", "--json", "--as-of", last, "--answers", str(answers))
    assert code == 0, err
    found = {c["cause"] for c in json.loads(out)["causes"] if c["level"] in ("likely", "possible")}
    assert set(plan.addresses) == found


def sim_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[tuple[str, ...], str]:
    s = sim(("warmup",), seed=17, weeks=10, pain=False)
    export = write_strong_csv(s.sets, tmp_path / "strong.csv", tz=TZ)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    base = ("--db", db, "--tz", TZ)
    code, _, err = run(capsys, *base, "import", str(export))
    assert code == 0, err
    return base, str(last_day(s))


def test_red_flags_withhold_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, last = sim_db(tmp_path, capsys)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"chest_pain": True}))
    code, out, _ = run(capsys, *base, "plan", "--json", "--answers", str(answers), "--as-of", last)
    assert code == 1
    doc = json.loads(out)
    assert doc["weeks"] == [] and doc["addresses"] == []
    assert "emergency" in doc["withheld"]
    code, out, _ = run(capsys, *base, "plan", "--answers", str(answers), "--as-of", last)
    assert code == 1
    words = " ".join(out.split())
    assert "EMERGENCY" in words and "No plan" in words and "backcheck triage" in words


def test_pain_of_7_starts_with_a_reduced_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, last = sim_db(tmp_path, capsys)
    answers = write_answers_json(tmp_path / "answers.json")
    code, _, err = run(
        capsys,
        *base,
        "pain",
        "log",
        "--date",
        last,
        "--level",
        "7",
        "--where",
        "between-shoulder-blades",
    )
    assert code == 0, err
    code, out, err = run(
        capsys, *base, "plan", "--json", "--as-of", last, "--answers", str(answers)
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["weeks"][0]["kind"] == "reduced"
    assert any("physiotherapist" in n for n in doc["notes"])
    check_document(doc, base[1], "me")


def test_files_and_terminal_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, last = sim_db(tmp_path, capsys)
    answers = write_answers_json(tmp_path / "answers.json")
    files = {x: tmp_path / f"plan.{x}" for x in ("ics", "html", "md")}
    code, out, err = run(
        capsys,
        *base,
        "plan",
        "--as-of",
        last,
        "--answers",
        str(answers),
        "--start",
        "2030-03-06",
        "--weeks",
        "3",
        "--ics",
        str(files["ics"]),
        "--html",
        str(files["html"]),
        "--md",
        str(files["md"]),
    )
    assert code == 0, err
    assert "Week 1 (2030-03-06 to 2030-03-12)" in out and "Week 3" in out
    assert all(str(p) in err for p in files.values())
    assert files["html"].read_text().startswith("<!DOCTYPE html>")
    assert files["md"].read_text().count("## Week ") == 3
    assert files["ics"].read_bytes().startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("--weeks", "0"), "--weeks"),
        (("--weeks", "17"), "--weeks"),
        (("--start", "next monday"), "--start"),
        (("--as-of", "2026-13-01"), "--as-of"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    args: tuple[str, ...], param: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _ = sim_db(tmp_path, capsys)
    code, _, err = run(capsys, *base, "plan", *args)
    assert code == 2 and param in err


def test_unknown_athlete_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = sim_db(tmp_path, capsys)
    code, _, err = run(capsys, *base, "--athlete", "nobody", "plan")
    assert code == 2 and "nobody" in err


def test_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "--help")
    assert code == 0
    for option in (
        "--weeks",
        "--ics",
        "--html",
        "--md",
        "--json",
        "--answers",
        "--start",
        "--as-of",
    ):
        assert option in out


def test_default_start_is_the_monday_after_as_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, last = sim_db(tmp_path, capsys)
    code, out, err = run(capsys, *base, "plan", "--json", "--as-of", last)
    assert code == 0, err
    doc = json.loads(out)
    from datetime import date

    start = date.fromisoformat(doc["start"])
    as_of = date.fromisoformat(last)
    assert start.weekday() == 0 and timedelta(days=1) <= start - as_of <= timedelta(days=7)
