"""`imports [delete]`, `pain list` / `pain delete`, `athletes delete`, `import --unit` again and
`export` of one athlete, end to end through the CLI on a real SQLite file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from backcheck.cli import main
from test_undo import FITNOTES_LB, STRONG, strong_from_fitnotes


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_imports_list_reimport_in_lb_and_delete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    export = strong_from_fitnotes(FITNOTES_LB, tmp_path / "strong.csv")
    code, out, err = run(capsys, "--db", db, "--tz", "UTC", "import", str(export))
    assert code == 0, err
    assert "look like pounds" in out and "--unit lb" in out
    code, out, _ = run(capsys, "--db", db, "imports", "--json")
    [imp] = json.loads(out)
    assert set(imp) == {"id", "path", "format", "unit", "sessions", "sets", "imported_at"}
    sets = imp["sets"]
    code, out, err = run(
        capsys, "--db", db, "--tz", "UTC", "import", str(export), "--unit", "lb", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["new_sets"] == 0 and doc["reread_sets"] > 0
    code, out, _ = run(capsys, "--db", db, "imports", "--json")
    assert [(i["id"], i["unit"], i["sets"]) for i in json.loads(out)] == [(imp["id"], "lb", sets)]
    code, out, _ = run(capsys, "--db", db, "athletes", "--json")
    assert json.loads(out)[0]["sets"] == sets  # not doubled
    code, out, _ = run(capsys, "--db", db, "imports")
    assert code == 0 and "strong.csv" in out.replace("\n", "")
    code, out, _ = run(capsys, "--db", db, "imports", "delete", str(imp["id"]), "--json")
    assert code == 0 and json.loads(out)["sets"] == sets
    code, out, _ = run(capsys, "--db", db, "athletes", "--json")
    assert json.loads(out)[0]["sets"] == 0
    code, _, err = run(capsys, "--db", db, "imports", "delete", str(imp["id"]))
    assert code == 2 and f"no import {imp['id']}" in err


def test_pain_list_and_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    for day, level in (("2026-03-01", "4"), ("2026-03-02", "0")):
        args = ["--db", db, "pain", "log", "--date", day, "--level", level]
        assert run(capsys, *args, *(["--where", "neck"] if level != "0" else []))[0] == 0
    code, out, _ = run(capsys, "--db", db, "pain", "list", "--json")
    assert [(p["date"], p["level"], p["region"]) for p in json.loads(out)] == [
        ("2026-03-01", 4, "neck"),
        ("2026-03-02", 0, None),
    ]
    code, out, _ = run(capsys, "--db", db, "pain", "delete", "2026-03-01")
    assert code == 0 and "1 pain entry" in out
    code, out, _ = run(capsys, "--db", db, "pain", "list", "--json")
    assert [p["date"] for p in json.loads(out)] == ["2026-03-02"]
    code, _, err = run(capsys, "--db", db, "pain", "delete", "2026-03-01")
    assert code == 2 and "no pain entries on 2026-03-01" in err
    code, _, err = run(capsys, "--db", db, "pain", "delete", "March 1st")
    assert code == 2 and "DATE" in err


def test_athletes_delete_asks_unless_yes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    for who in ("ann", "bo"):
        assert (
            run(capsys, "--db", db, "--athlete", who, "--tz", "UTC", "import", str(STRONG))[0] == 0
        )
    code, _, err = run(capsys, "--db", db, "athletes", "delete", "ann")  # stdin is no terminal
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "--db", db, "athletes", "--json")
    assert [a["name"] for a in json.loads(out)] == ["ann", "bo"]
    code, out, err = run(capsys, "--db", db, "athletes", "delete", "ann", "--yes")
    assert code == 0 and "deleted" in out, err
    code, out, _ = run(capsys, "--db", db, "athletes", "--json")
    assert [a["name"] for a in json.loads(out)] == ["bo"]
    code, _, err = run(capsys, "--db", db, "athletes", "delete", "ann", "--yes")
    assert code == 2 and "ann" in err


def test_export_writes_only_the_chosen_athlete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'e.db'}"
    small = strong_from_fitnotes(FITNOTES_LB, tmp_path / "small.csv", last=50)
    assert run(capsys, "--db", db, "--athlete", "ann", "--tz", "UTC", "import", str(STRONG))[0] == 0
    assert run(capsys, "--db", db, "--athlete", "bo", "--tz", "UTC", "import", str(small))[0] == 0
    out = tmp_path / "one.csv"
    code, _, err = run(
        capsys, "--db", db, "--athlete", "bo", "export", "--format", "csv", "--out", str(out)
    )
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["athlete"] for r in rows} == {"bo"} and len(rows) == 50
    code, _, err = run(capsys, "--db", db, "--athlete", "nobody", "export", "--out", str(out))
    assert code == 2 and "--all-athletes" in err
    code, _, err = run(
        capsys, "--db", db, "export", "--all-athletes", "--format", "csv", "--out", str(out)
    )
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as fh:
        assert {r["athlete"] for r in csv.DictReader(fh)} == {"ann", "bo"}
