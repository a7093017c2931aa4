"""The `backcheck` command: parse options, make one core call, turn domain errors into exit codes.

Exit codes: 0 success; 1 the analysis ran and found red flags; 2 bad input or usage.
Global options (--db, --athlete, --tz) may stand before or after the command name.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from backcheck import __version__
from backcheck.cli.console import report_error
from backcheck.errors import BackcheckError
from backcheck.settings import Settings

if TYPE_CHECKING:
    from backcheck.store import Store

app = typer.Typer(
    name="backcheck",
    help="Why does my upper back hurt after working out? Finds the causes in your own training "
    "data (workout exports, pain diary, sleep, videos) and plans the fix. Not a diagnosis.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


GLOBAL_OPTIONS = ("--db", "--athlete", "--tz")


def print_version(value: bool) -> None:
    """`--version` / `-V`: print the version and exit 0, with or without a command."""
    if value:
        sys.stdout.write(f"backcheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="BACKCHECK_DB",
            help="SQLAlchemy URL of the store (default: backcheck.db in the user data folder).",
            show_default=False,
        ),
    ] = None,
    athlete: Annotated[
        str | None,
        typer.Option(
            "--athlete",
            envvar="BACKCHECK_ATHLETE",
            help="Whose data (default: me).",
            show_default=False,
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            envvar="BACKCHECK_TZ",
            help="IANA time zone of exports that log local times (default: this machine's).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print the version and exit.",
            is_eager=True,
            callback=print_version,
        ),
    ] = False,
) -> None:
    """Global options shared by every command."""
    given = {k: v for k, v in {"db": db, "athlete": athlete, "tz": tz}.items() if v is not None}
    ctx.obj = Settings(**given)
    if tz is not None:  # a zone named on purpose is checked before any work (UsageError)
        ctx.obj.zone()


def settings(ctx: typer.Context) -> Settings:
    """The Settings built by the global options."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


@contextmanager
def open_cli_store(cfg: Settings) -> Iterator[Store]:
    """The store named by --db, closed when the command ends."""
    from backcheck.store import open_store

    store = open_store(cfg.db)
    try:
        yield store
    finally:
        store.close()


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move --db/--athlete/--tz (and --opt=value forms) to the front so they work anywhere."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front.extend(argv[i : i + 2])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


#: The module that registers each command, so that one command imports only what it needs.
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("import", "pain", "recovery", "athletes", "sessions", "imports"), "data"),
    "exercises": "exercises",
    **dict.fromkeys(("why", "triage", "demo"), "why"),
    **dict.fromkeys(("plan", "progress"), "plan"),
    "summary": "summary",
    "video": "video",
    "serve": "web",
    **dict.fromkeys(("batch", "export"), "batch"),
}
_REGISTERED: set[str] = set()


def register(command: str | None = None) -> None:
    """Attach the command groups: only `command`'s module when it names a known command (so
    `why` starts without the video, web and batch code), else every one (help, or an unknown
    name that Typer then reports with the full list)."""
    module = COMMAND_MODULES.get(command or "")
    names = [module] if module else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in names:
        if name not in _REGISTERED:
            _REGISTERED.add(name)
            importlib.import_module(f"backcheck.cli.{name}").register(app)


def command_name(args: list[str]) -> str | None:
    """The command in `args` after hoist_global_options (None: an option comes first)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in GLOBAL_OPTIONS:
            i += 2
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            i += 1
        else:
            return None if arg.startswith("-") else arg
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `backcheck` script; returns the exit code."""
    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    register(command_name(args))
    try:
        app(args=args, prog_name="backcheck")  # standalone: ends with SystemExit
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except BackcheckError as exc:
        report_error(exc.message)
        return exc.exit_code
    except OSError as exc:  # a file to write or read that the system refuses (a folder, no access)
        where = f"{exc.filename}: " if exc.filename else ""
        report_error(f"{where}{exc.strerror or exc}")
        return 2
    except Exception as exc:  # never a traceback, never exit 1 (which means red flags)
        if os.environ.get("BACKCHECK_DEBUG"):
            raise
        report_error(
            f"unexpected error ({type(exc).__name__}: {exc}); nothing more was done. Please "
            "report it with the command you ran (BACKCHECK_DEBUG=1 shows the traceback)."
        )
        return 2
    return 0
