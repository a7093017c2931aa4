"""`backcheck batch` and `backcheck export` through the CLI: options, exit codes, output."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from backcheck.cli import main
from backcheck.sim import Profile, simulate
from backcheck.sim.writers import write_athlete_folder

TZ = "Europe/Berlin"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "club"
    for i in range(3):
        sim = simulate(Profile(name=f"p{i}", weeks=6, seed=i, causes=frozenset({"imbalance"})))
        write_athlete_folder(sim, root / f"p{i}")
    (root / "broken").mkdir()
    (root / "broken" / "answers.json").write_text("[1, 2]", encoding="utf-8")
    return root


def test_batch_command(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "res.parquet"
    code, stdout, err = run(
        capsys,
        "--tz",
        TZ,
        "batch",
        str(folder),
        "--out",
        str(out),
        "--as-of",
        "2025-02-20",
        "--workers",
        "1",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(stdout)
    assert (doc["total"], doc["analysed"], doc["errors"], doc["as_of"]) == (4, 4, 1, "2025-02-20")
    frame = pl.read_parquet(out)
    assert frame["athlete"].to_list() == ["broken", "p0", "p1", "p2"]
    broken = frame.row(0, named=True)
    assert "answers.json" in broken["error"] and "JSON object" in broken["error"]
    # a second run with --resume has nothing left to do
    code, stdout, err = run(
        capsys, "--tz", TZ, "batch", str(folder), "--out", str(out), "--resume", "--workers", "1"
    )
    assert code == 0, err
    assert "0 athletes analysed" in stdout and "4 already done" in stdout


def test_batch_usage_errors(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o.parquet")
    code, _, err = run(capsys, "batch", str(folder), "--out", out, "--engine", "spark")
    assert code == 2 and "--engine" in err
    code, _, err = run(capsys, "batch", str(tmp_path / "nowhere"), "--out", out)
    assert code == 2 and "no such file or folder" in err
    code, _, err = run(capsys, "batch", str(folder), "--out", out, "--as-of", "yesterday")
    assert code == 2 and "--as-of" in err
    code, _, err = run(capsys, "batch", str(folder))
    assert code == 2 and "--out" in err
    code, stdout, _ = run(capsys, "batch", "--help")
    assert code == 0 and "--resume" in stdout and "--address" in stdout


def test_export_command(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    workouts = folder / "p1" / "workouts.csv"
    code, _, err = run(capsys, "--db", db, "--tz", TZ, "--athlete", "p1", "import", str(workouts))
    assert code == 0, err
    with workouts.open(encoding="utf-8", newline="") as fh:
        expected = len(list(csv.DictReader(fh)))
    out = tmp_path / "sets.csv"
    code, stdout, err = run(
        capsys,
        "--db",
        db,
        "--athlete",
        "p1",
        "export",
        "--format",
        "csv",
        "--what",
        "sets",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert f"{expected} rows of sets for 1 athletes" in stdout
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == expected and {r["athlete"] for r in rows} == {"p1"}
    code, _, err = run(capsys, "--db", db, "export", "--format", "xlsx", "--out", str(out))
    assert code == 2 and "--format" in err
    code, stdout, _ = run(capsys, "export", "--help")
    assert code == 0 and "--what" in stdout
