"""The CLI registers only the module of the command it runs, and every command is known."""

from __future__ import annotations

import importlib

import pytest
import typer

from backcheck.cli import COMMAND_MODULES, command_name, hoist_global_options


def names(app: typer.Typer) -> set[str]:
    commands = {c.name for c in app.registered_commands}
    groups = {g.name for g in app.registered_groups}
    return {n for n in commands | groups if n}


@pytest.mark.parametrize("module", sorted(set(COMMAND_MODULES.values())))
def test_command_modules_name_what_each_module_registers(module: str) -> None:
    app = typer.Typer()
    importlib.import_module(f"backcheck.cli.{module}").register(app)
    assert names(app) == {c for c, m in COMMAND_MODULES.items() if m == module}


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["why", "--json"], "why"),
        (["--db", "sqlite:///x.db", "why"], "why"),
        (["pain", "log", "--db=sqlite:///x.db", "3"], "pain"),
        (["import", "a.csv", "--athlete", "ana", "--tz", "UTC"], "import"),
        (["--version"], None),
        (["--help"], None),
        ([], None),
        (["--db", "x"], None),
        (["wyh"], "wyh"),  # unknown: every module is registered, Typer reports it
    ],
)
def test_command_name(argv: list[str], command: str | None) -> None:
    assert command_name(hoist_global_options(argv)) == command
