"""The optional config file: options > BACKCHECK_* variables > config.toml > defaults."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backcheck.errors import UsageError
from backcheck.settings import Settings

DATA = Path(__file__).parent / "data"


def test_the_file_fills_what_options_and_variables_leave_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('db = "sqlite:///from-file.db"\nathlete = "ann"\ntz = "Asia/Tokyo"\n')
    monkeypatch.setenv("BACKCHECK_CONFIG", str(cfg))
    monkeypatch.delenv("BACKCHECK_ATHLETE", raising=False)
    monkeypatch.setenv("BACKCHECK_TZ", "Europe/Berlin")
    s = Settings(db="sqlite:///from-option.db")
    assert (s.db, s.athlete, s.tz) == ("sqlite:///from-option.db", "ann", "Europe/Berlin")


def test_no_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCHECK_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("BACKCHECK_ATHLETE", raising=False)
    assert Settings().athlete == "me"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('athelete = "ann"\n', "unknown key 'athelete'"),
        ("db = \n", "not a TOML file"),
        ('[db]\nurl = "x"\n', "db must be a single value"),
    ],
)
def test_a_broken_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    monkeypatch.setenv("BACKCHECK_CONFIG", str(cfg))
    with pytest.raises(UsageError, match=message) as raised:
        Settings()
    assert str(cfg) in raised.value.message


def test_the_cli_uses_the_file_and_reports_a_broken_one(tmp_path: Path, monkeypatch) -> None:
    cfg = tmp_path / "config.toml"
    db = tmp_path / "mine.db"
    cfg.write_text(f'db = "sqlite:///{db}"\nathlete = "ann"\ntz = "Europe/Berlin"\n')
    monkeypatch.setenv("BACKCHECK_CONFIG", str(cfg))
    for name in ("BACKCHECK_DB", "BACKCHECK_ATHLETE", "BACKCHECK_TZ"):
        monkeypatch.delenv(name, raising=False)
    cli = [sys.executable, "-m", "backcheck.cli"]
    strong = DATA / "logs" / "strong" / "dakheera47_sample_strong.csv"
    run = subprocess.run(
        [*cli, "import", str(strong), "--json"], check=False, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    listed = subprocess.run(
        [*cli, "athletes", "--json"], check=False, capture_output=True, text=True
    )
    assert db.exists() and "ann" in json.dumps(json.loads(listed.stdout))
    cfg.write_text("athlete = \n")
    bad = subprocess.run([*cli, "athletes"], check=False, capture_output=True, text=True)
    assert bad.returncode == 2 and str(cfg) in bad.stderr and "Traceback" not in bad.stderr
