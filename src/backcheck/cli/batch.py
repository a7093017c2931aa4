"""Commands for many athletes: batch (the `why` analysis for everyone) and export."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err, out, print_json, progress_bar
from backcheck.cli.options import as_of_option, parse_as_of
from backcheck.textsafe import literal


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.command("batch")(batch_cmd)
    app.command("export")(export_cmd)


@contextmanager
def counting_progress(enabled: bool, label: str) -> Iterator[object]:
    """A Rich progress bar on stderr (only on a terminal): done/total, errors, elapsed, ETA.
    Yields update(done, total, errors) or None."""
    if not enabled:
        yield None
        return
    from rich.progress import TextColumn, TimeElapsedColumn

    errors = TextColumn("[red]{task.fields[errors]} errors")
    with progress_bar(errors, TimeElapsedColumn(), TextColumn("ETA")) as bar:
        task = bar.add_task(label, total=None, errors=0)

        def update(done: int, total: int, errors: int = 0) -> None:
            bar.update(task, completed=done, total=total, errors=errors)

        yield update


def batch_cmd(
    ctx: typer.Context,
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="A folder with one sub-folder per athlete (workout exports, pain.csv, "
            "recovery.csv, answers.json, landmarks CSVs, videos), or a Parquet data set of "
            "canonical sets with an `athlete` column.",
            show_default=False,
        ),
    ],
    out_path: Annotated[
        Path,
        typer.Option("--out", help="Output Parquet file: one row per athlete.", show_default=False),
    ],
    engine: Annotated[
        str,
        typer.Option("--engine", help="local (a process pool over this machine's cores) or ray."),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help="Ray cluster to join (with --engine ray), e.g. auto or ray://head:10001; "
            "default: start a local Ray instance.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Processes (local) or CPUs of the local Ray instance (default: every core).",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Skip athletes already in the output (after a stopped run)."),
    ] = False,
    as_of: Annotated[
        str | None,
        as_of_option("Analyse as on this date (YYYY-MM-DD), the same for everyone"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """The `why` analysis for many athletes at once: one output row per athlete (red flags,
    top cause, score and level of each cause). An athlete whose data cannot be read gets an
    error row; the batch goes on. Stopped runs continue with --resume."""
    from backcheck.batch import run_batch

    cfg = settings(ctx)
    with counting_progress(err.is_terminal and not as_json, "athletes") as progress:
        summary = run_batch(
            input_path,
            out=out_path,
            engine=engine,
            address=address,
            workers=workers,
            resume=resume,
            tz=cfg.tz,
            as_of=parse_as_of(as_of),
            progress=progress,  # type: ignore[arg-type]
        )
    if as_json:
        print_json(summary.to_json())
        return
    skipped = f", {summary.skipped} already done" if summary.skipped else ""
    out.print(
        literal(
            f"{summary.analysed} athletes analysed ({summary.errors} errors{skipped}) in "
            f"{summary.seconds:.1f} s, {summary.per_second:.1f} a second: {summary.out}"
        )
    )
    for note in summary.notes:
        out.print(literal(f"note: {note}"))


def export_cmd(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Option("--out", help="File to write.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    what: Annotated[
        str,
        typer.Option(
            "--what",
            help="sets (every stored set) or results (one `why` row per athlete).",
        ),
    ] = "sets",
    as_of: Annotated[
        str | None, as_of_option("For results: analyse as on this date (YYYY-MM-DD)")
    ] = None,
    all_athletes: Annotated[
        bool,
        typer.Option(
            "--all-athletes", help="Export every athlete in the store (default: only --athlete)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Export for analysts (DuckDB, Polars, Spark): canonical sets or `why` results, as
    Parquet or CSV, of the --athlete only, or of everyone with --all-athletes."""
    from backcheck.export import export_data

    cfg = settings(ctx)
    with (
        open_cli_store(cfg) as store,
        counting_progress(err.is_terminal and not as_json, "athletes") as progress,
    ):
        summary = export_data(
            store,
            what=what,
            fmt=fmt,
            out=out_path,
            tz=cfg.tz,
            as_of=parse_as_of(as_of),
            athletes=None if all_athletes else [cfg.athlete],
            progress=progress,  # type: ignore[arg-type]
        )
    if as_json:
        print_json(summary.to_json())
        return
    errors = f" ({summary.errors} could not be analysed)" if summary.errors else ""
    out.print(
        literal(
            f"{summary.rows} rows of {summary.what} for {summary.athletes} athletes{errors} "
            f"written to {summary.out}"
        )
    )
