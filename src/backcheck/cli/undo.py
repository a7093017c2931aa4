"""Commands that show and undo what is stored: `imports [delete]`, `pain list` / `pain delete`,
`athletes [delete]` (registered by cli/data.py, which owns the `pain` and `athletes` groups)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err, out, print_json
from backcheck.errors import UsageError
from backcheck.textsafe import literal

imports_app = typer.Typer(
    help="Your imported files: list them, or undo one (`imports delete ID`).",
    invoke_without_command=True,
)
athletes_app = typer.Typer(
    help="Athletes in the store, with how much data each has; `athletes delete NAME` deletes one.",
    invoke_without_command=True,
)


def register(app: typer.Typer, *, pain_app: typer.Typer) -> None:
    """Attach `imports` and `athletes` to the main app and `list` / `delete` to `pain`."""
    app.add_typer(imports_app, name="imports")
    app.add_typer(athletes_app, name="athletes")
    pain_app.command("list")(pain_list_cmd)
    pain_app.command("delete")(pain_delete_cmd)


@imports_app.callback()
def imports_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Your imports: id, file, format, unit (--unit as given; -: as the file says, else kg),
    and the sessions and sets of each stored now (--json: the full path)."""
    if ctx.invoked_subcommand is not None:
        return
    from backcheck.undo import list_imports

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        rows = list_imports(store, athlete=cfg.athlete)
    if as_json:
        print_json(rows)
        return
    table = Table(title=literal(f"Imports of {cfg.athlete}"))
    for col in ("id", "file", "format", "unit", "sessions", "sets", "imported (UTC)"):
        table.add_column(col, justify="right" if col in ("id", "sessions", "sets") else "left")
    for r in rows:
        table.add_row(
            str(r["id"]),
            literal(Path(r["path"]).name),
            r["format"],
            r["unit"] or "-",
            str(r["sessions"]),
            str(r["sets"]),
            r["imported_at"][:16].replace("T", " "),
        )
    out.print(table)
    if not rows:
        out.print("no imports yet")


@imports_app.command("delete")
def imports_delete_cmd(
    ctx: typer.Context,
    import_id: Annotated[
        int, typer.Argument(metavar="ID", help="The import's id (`backcheck imports` lists them).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was deleted as JSON.")
    ] = False,
) -> None:
    """Undo one import: its sets go (those no other import also holds), and sessions left
    empty. Import the file again to have them back."""
    from backcheck.undo import delete_import

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        done = delete_import(store, athlete=cfg.athlete, import_id=import_id)
    if as_json:
        print_json({"import": import_id, **done})
        return
    out.print(f"import {import_id} deleted: {done['sets']} sets, {done['sessions']} sessions")


def pain_list_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The pain diary, oldest first: date, level (0-10), region, note."""
    from backcheck.undo import list_pain

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        rows = list_pain(store, athlete=cfg.athlete, tz=cfg.zone())
    if as_json:
        print_json(rows)
        return
    table = Table(title=literal(f"Pain diary of {cfg.athlete}"))
    for col in ("date", "level", "where", "note"):
        table.add_column(col, justify="right" if col == "level" else "left")
    for r in rows:
        table.add_row(r["date"], str(r["level"]), r["region"] or "-", literal(r["note"] or ""))
    out.print(table)
    if not rows:
        out.print("no pain entries yet")


def pain_delete_cmd(
    ctx: typer.Context,
    day: Annotated[
        str, typer.Argument(metavar="DATE", help="The day (YYYY-MM-DD) whose entries go.")
    ],
) -> None:
    """Delete every pain diary entry of one day."""
    from backcheck.undo import delete_pain_day

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        gone = delete_pain_day(store, athlete=cfg.athlete, day=day, tz=cfg.zone())
    out.print(f"{gone} pain {'entry' if gone == 1 else 'entries'} of {day.strip()} deleted")


@athletes_app.callback()
def athletes_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Athletes in the store, with how much data each has."""
    if ctx.invoked_subcommand is not None:
        return
    from backcheck.queries import athletes_overview

    with open_cli_store(settings(ctx)) as store:
        rows = athletes_overview(store)
    if as_json:
        print_json(rows)
        return
    table = Table(title="Athletes")
    for col in ("athlete", "sessions", "sets", "pain entries", "recovery entries"):
        table.add_column(col, justify="left" if col == "athlete" else "right")
    for r in rows:
        table.add_row(*(literal(str(v)) for v in r.values()))
    out.print(table)


@athletes_app.command("delete")
def athletes_delete_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The athlete to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Delete without asking.")] = False,
) -> None:
    """Delete an athlete and every row and file of theirs: sets, sessions, pain diary,
    recovery, red-flag answers, form checks, imports, web uploads and jobs, cached files.
    Asks first unless --yes. There is no undo."""
    from backcheck.undo import delete_athlete
    from backcheck.web.config import web_settings

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError("--yes", f"deleting {name!r} cannot be undone: pass --yes")
            err.print(
                literal(f"Delete athlete {name!r} and all their data for good?"), soft_wrap=True
            )
            if not typer.confirm("Delete", default=False, err=True):
                out.print("nothing deleted")
                raise typer.Exit(0)
        counts = delete_athlete(store, athlete=name, videos=web_settings(cfg).data_dir / "videos")
    rows = sum(n for t, n in counts.items() if t != "athletes")
    out.print(literal(f"athlete {name!r} deleted with {rows} rows of data"), soft_wrap=True)
