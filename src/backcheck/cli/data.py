"""Commands that put data in and show what is stored: import, pain, recovery, sessions
(`exercises` is in cli/exercises.py; imports, pain list / delete and athletes in cli/undo.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err, out, print_json, progress_bar
from backcheck.model import IMPORT_FORMATS, PAIN_REGIONS, Skipped
from backcheck.textsafe import literal

if TYPE_CHECKING:
    from rich.progress import TaskID

pain_app = typer.Typer(
    help="The pain diary: where it hurts and how much (0-10), day by day.", no_args_is_help=True
)
recovery_app = typer.Typer(
    help="Sleep and recovery practices (yoga, foam rolling, massage...).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.command("import")(import_cmd)
    app.add_typer(pain_app, name="pain")
    app.add_typer(recovery_app, name="recovery")
    app.command("sessions")(sessions_cmd)
    from backcheck.cli import undo  # imports, pain list / delete, athletes [delete]

    undo.register(app, pain_app=pain_app)


@contextmanager
def import_progress(enabled: bool) -> Iterator[object]:
    """A Rich progress bar on stderr (only on a terminal): files read, then sets stored."""
    if not enabled:
        yield None
        return
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "reading files" if stage == "read" else "storing sets"
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def import_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Workout exports: Strong, Hevy, FitNotes, Fitbod CSV, Garmin .fit, or backcheck CSV.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"auto, or one of: {', '.join(IMPORT_FORMATS)}.")
    ] = "auto",
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", help="kg or lb, for exports that do not say their unit.", show_default=False
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the import summary as JSON.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Refuse a file with any row that cannot be read (default: skip it)."
        ),
    ] = False,
) -> None:
    """Import workout logs. Each set is stored once: importing the same file again adds nothing.
    A row that cannot be read is skipped and listed (PATH:LINE: why); a file that is no known
    export, or with more than 5% unreadable rows (any, with --strict), is refused with PATH:LINE
    and nothing is stored."""
    from backcheck.imports import import_files

    cfg = settings(ctx)
    with open_cli_store(cfg) as store, import_progress(err.is_terminal and not as_json) as progress:
        summary = import_files(
            store,
            athlete=cfg.athlete,
            paths=paths,
            fmt=fmt,
            unit=unit,
            tz=cfg.zone(),
            strict=strict,
            progress=progress,  # type: ignore[arg-type]
        )
    if as_json:
        print_json(summary.to_json())
        return
    for f in summary.files:
        p = f.parsed
        out.print(
            Text.assemble(
                literal(p.path, "bold"),
                f" ({p.format}): {p.sessions} sessions, {p.sets.height} sets, "
                f"{len(p.skipped)} rows skipped{_unreadable(p.skipped)}, {f.new_sets} new",
            ),
            soft_wrap=True,
        )
        for s in p.skipped[:10]:
            out.print(literal(f"  {p.path}:{s.line}: skipped, {s.why}"), soft_wrap=True)
        if len(p.skipped) > 10:
            out.print(f"  ... and {len(p.skipped) - 10} more skipped rows (see --json)")
        for note in p.notes:
            out.print(literal(f"  note: {note}"), soft_wrap=True)
    out.print(
        f"{summary.new_sessions} new sessions, {summary.new_sets} new sets, "
        f"{summary.already_there} already there"
        + (f", {summary.reread} re-read in {unit} (no copy)" if summary.reread else "")
    )


def _unreadable(skipped: list[Skipped]) -> str:
    """ " (N could not be read)" when some skipped rows were unreadable, else ""."""
    n = sum(1 for s in skipped if s.unreadable)
    return f" ({n} could not be read)" if n else ""


def sessions_cmd(
    ctx: typer.Context,
    last: Annotated[
        int, typer.Option("--last", "-n", min=1, help="Show the most recent N sessions.")
    ] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Your stored workouts: date, name, duration, exercises, sets and volume load."""
    from backcheck.queries import session_overview

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        rows = session_overview(store, athlete=cfg.athlete, last=last, tz=cfg.tz)
    if as_json:
        print_json(rows)
        return
    from rich import box

    # fits 80 columns: dates never wrap, a long workout name is cut with an ellipsis
    table = Table(title=literal(f"Last {len(rows)} sessions of {cfg.athlete}"), box=box.SIMPLE_HEAD)
    table.add_column("date", no_wrap=True)
    table.add_column("workout", no_wrap=True, overflow="ellipsis", min_width=7, ratio=1)
    for col in ("min", "exercises", "sets", "warm-up", "volume kg"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in rows:
        minutes = "-" if r["duration_min"] is None else f"{r['duration_min']:.0f}"
        table.add_row(
            r["date"],
            literal(r["workout"] or "-"),
            minutes,
            str(r["exercises"]),
            str(r["sets"]),
            str(r["warmup_sets"]),
            f"{r['volume_kg']:,.0f}",
        )
    out.print(table)


@pain_app.command("log")
def pain_log_cmd(
    ctx: typer.Context,
    day: Annotated[
        str, typer.Option("--date", help="ISO date or date-time of the entry.", show_default=False)
    ],
    level: Annotated[
        int,
        typer.Option(
            "--level",
            help="Pain 0-10 (0 = none: log pain-free days too, they matter).",
            show_default=False,
        ),
    ],
    where: Annotated[
        str | None,
        typer.Option(
            "--where", help=f"Where it hurts: {', '.join(PAIN_REGIONS)}.", show_default=False
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Anything worth remembering.", show_default=False)
    ] = None,
) -> None:
    """Add one pain diary entry."""
    from backcheck.diary import log_pain

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        added = log_pain(
            store, athlete=cfg.athlete, day=day, level=level, where=where, note=note, tz=cfg.zone()
        )
    out.print("pain entry stored" if added else "that entry was already stored")


@pain_app.command("import")
def pain_import_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="CSV with columns date,level,region,note.", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import a pain diary CSV (date,level,region,note; level 0 rows are pain-free days)."""
    from backcheck.diary import import_pain

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        summary = import_pain(store, athlete=cfg.athlete, path=path, tz=cfg.zone())
    _print_diary_summary(summary, as_json)


@recovery_app.command("import")
def recovery_import_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV date,kind,value (sleep hours; yoga, foam-rolling, massage, stretching, meditation minutes), or Apple Health export.xml.",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import sleep and recovery: a CSV, or the sleep records of an Apple Health export.xml."""
    from backcheck.diary import import_recovery

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        summary = import_recovery(store, athlete=cfg.athlete, path=path, tz=cfg.zone())
    _print_diary_summary(summary, as_json)


def _print_diary_summary(summary: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(summary)
        return
    out.print(
        Text.assemble(
            literal(summary["path"], "bold"),
            f": {summary['entries']} entries read, {summary['new']} new, "
            f"{len(summary['skipped'])} skipped",  # type: ignore[arg-type]
        ),
        soft_wrap=True,
    )
    for s in summary["skipped"]:  # type: ignore[attr-defined]
        out.print(literal(f"  {summary['path']}:{s['line']}: skipped, {s['why']}"), soft_wrap=True)
    for note in summary.get("notes", []):  # type: ignore[attr-defined]
        out.print(literal(f"  note: {note}"))
