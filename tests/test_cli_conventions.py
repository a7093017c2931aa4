"""CLI conventions people expect: --version/-V alone, completion, flags shown as flags."""

from __future__ import annotations

import re

import pytest

from backcheck import __version__
from backcheck.cli import main


@pytest.mark.parametrize("argv", [["--version"], ["-V"], ["--db", "sqlite://", "-V"]])
def test_version_alone_exits_0(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == f"backcheck {__version__}"


def test_version_before_a_command_still_prints_the_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--version", "why"]) == 0
    assert capsys.readouterr().out.strip() == f"backcheck {__version__}"


def test_help_offers_shell_completion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--install-completion" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["why", "import", "plan", "exercises"])
def test_boolean_flags_are_shown_as_flags(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "--json" in text and "--help" in text
    assert not re.search(r"--(json|help)\s+<bool>", text), text
