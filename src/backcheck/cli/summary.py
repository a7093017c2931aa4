"""`backcheck summary`: one printable document for a physiotherapist or coach."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err
from backcheck.cli.options import AnswersOption, parse_as_of, read_answers
from backcheck.errors import UsageError


def register(app: typer.Typer) -> None:
    """Attach the `summary` command to the main app."""
    app.command("summary")(summary_cmd)


def summary_cmd(
    ctx: typer.Context,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the summary as an HTML page.", show_default=False),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf", help="Also print it to PDF (needs Chromium or Chrome).", show_default=False
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="As on this date (YYYY-MM-DD).", show_default=False),
    ] = None,
    answers: AnswersOption = None,
) -> None:
    """A summary to bring to a physiotherapist or coach: your red-flag answers and their date,
    your pain history, the causes with their evidence and grades, your plan and how it went.
    Prints well on A4 and US Letter."""
    import tempfile

    from backcheck.report.summary import write_summary
    from backcheck.summary import build_summary, write_pdf

    if html is None and pdf is None:
        raise UsageError("--html", "give --html FILE, --pdf FILE or both")
    cfg = settings(ctx)
    given = read_answers(answers)
    with open_cli_store(cfg) as store:
        doc = build_summary(
            store, athlete=cfg.athlete, tz=cfg.tz, as_of=parse_as_of(as_of), answers=given
        )
    if html is not None:
        write_summary(doc, html)
        err.print(f"written: {html}", markup=False)
    if pdf is not None:
        with tempfile.TemporaryDirectory(prefix="backcheck-summary-") as tmp:
            page = html if html is not None else write_summary(doc, Path(tmp) / "summary.html")
            write_pdf(page, pdf)
        err.print(f"written: {pdf}", markup=False)
