"""`pain` and `recovery` commands, and the read-side commands, end to end through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from backcheck.cli import main
from testdata import DATA

HEALTH = DATA / "variants_health"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def counts(capsys: pytest.CaptureFixture[str], db: str) -> dict:
    code, out, err = run(capsys, "--db", db, "athletes", "--json")
    assert code == 0, err
    return {a["name"]: a for a in json.loads(out)}


def test_pain_log_then_again_is_one_entry(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "--db",
        db_url,
        "pain",
        "log",
        "--date",
        "2026-11-20",
        "--level",
        "4",
        "--where",
        "between-shoulder-blades",
    ]
    code, out, _ = run(capsys, *args, "--note", "after bench")
    assert code == 0 and "stored" in out
    code, out, _ = run(capsys, *args, "--note", "after bench")
    assert code == 0 and "already" in out
    assert counts(capsys, db_url)["me"]["pain_entries"] == 1


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--level", "11", "--where", "mid-back"], "--level"),
        (["--level", "4", "--where", "knee"], "--where"),
        (["--level", "4"], "--where"),
    ],
)
def test_pain_log_refuses_bad_values(
    args: list[str], names: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, _, err = run(capsys, "--db", db, "pain", "log", "--date", "2026-11-20", *args)
    assert code == 2 and names in err
    assert counts(capsys, db) == {}


def test_pain_import_keeps_control_days(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = HEALTH / "pain_diary.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    code, out, err = run(capsys, "--db", db_url, "pain", "import", str(path), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["entries"] + len(doc["skipped"]) == len(rows)
    assert doc["new"] == doc["entries"]
    zero_rows = sum(1 for r in rows if r["Level"].strip() == "0")
    assert zero_rows > 0
    assert counts(capsys, db_url)["me"]["pain_entries"] == doc["entries"]
    code, out, _ = run(capsys, "--db", db_url, "pain", "import", str(path), "--json")
    assert json.loads(out)["new"] == 0


def test_pain_import_bad_line_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    bad = tmp_path / "pain.csv"
    bad.write_text("date,level,region,note\n2026-11-01,0,,\n2026-11-02,seven,mid-back,\n")
    code, _, err = run(capsys, "--db", db, "pain", "import", str(bad))
    assert code == 2 and err.startswith(f"{bad}:3:")
    assert counts(capsys, db) == {}


def test_recovery_csv_and_apple_health(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--db", db_url, "recovery", "import", str(HEALTH / "recovery.csv"), "--json"
    )
    assert code == 0, err
    csv_doc = json.loads(out)
    assert csv_doc["entries"] > 0 and csv_doc["new"] == csv_doc["entries"]
    code, out, err = run(
        capsys, "--db", db_url, "recovery", "import", str(HEALTH / "export.xml"), "--json"
    )
    assert code == 0, err
    xml_doc = json.loads(out)
    assert xml_doc["entries"] > 0
    total = counts(capsys, db_url)["me"]["recovery_entries"]
    assert total == csv_doc["new"] + xml_doc["new"]


def test_sessions_and_exercises_show_what_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    path = DATA / "logs/strong/dakheera47_sample_strong.csv"
    assert run(capsys, "--db", db, "import", str(path))[0] == 0
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    code, out, _ = run(capsys, "--db", db, "sessions", "--last", "100", "--json")
    sessions = json.loads(out)
    assert code == 0 and len(sessions) == len({r["Date"] for r in rows})
    assert sum(s["sets"] for s in sessions) == len(rows)
    assert sessions[0]["date"] >= sessions[-1]["date"]
    code, out, _ = run(capsys, "--db", db, "exercises", "--json")
    usage = json.loads(out)
    assert {u["exercise"] for u in usage} == {r["Exercise Name"] for r in rows}
    assert all(u["key"] and u["pattern"] for u in usage)
    code, out, _ = run(capsys, "--db", db, "exercises", "--unmapped")
    assert code == 0 and "every exercise name is mapped" in out


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for command in (
        ["import"],
        ["pain", "log"],
        ["pain", "import"],
        ["recovery", "import"],
        ["exercises"],
        ["athletes"],
        ["athletes", "delete"],
        ["imports"],
        ["imports", "delete"],
        ["pain", "list"],
        ["pain", "delete"],
        ["sessions"],
        ["triage"],
        ["why"],
        ["plan"],
        ["video"],
        ["serve"],
        ["batch"],
        ["export"],
        ["demo"],
    ):
        code, out, _ = run(capsys, *command, "--help")
        assert code == 0 and "Usage" in out, command
        assert f"backcheck {' '.join(command)}" in readme, command


def test_pain_import_skips_and_lists_one_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    rows = [f"2026-01-{d:02d},{d % 3},{'mid-back' if d % 3 else ''}," for d in range(1, 31)]
    rows[4] = "2026-01-05,7,left elbow,"
    path = tmp_path / "pain.csv"
    path.write_text("date,level,region,note\n" + "\n".join(rows) + "\n")
    code, out, err = run(capsys, "--db", db, "pain", "import", str(path))
    assert code == 0, err
    assert "29 entries read, 29 new, 1 skipped" in out
    assert f"{path}:6: skipped, unknown region 'left elbow'" in out
    assert counts(capsys, db)["me"]["pain_entries"] == 29
