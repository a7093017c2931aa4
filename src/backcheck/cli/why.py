"""Commands that analyse: why (the report), triage (red-flag questions), demo."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err, out, print_json
from backcheck.cli.options import AnswersOption, as_of_option, parse_as_of, read_answers
from backcheck.errors import UsageError


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.command("why")(why_cmd)
    app.command("triage")(triage_cmd)
    app.command("demo")(demo_cmd)


def why_cmd(
    ctx: typer.Context,
    as_of: Annotated[str | None, as_of_option("Analyse as on this date (YYYY-MM-DD)")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the backcheck.why/1 JSON document.")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write a self-contained HTML report to this file.",
            show_default=False,
        ),
    ] = None,
    answers: AnswersOption = None,
) -> None:
    """Why does my upper back hurt? Red flags first, then the five causes ranked with the
    evidence from your own data. Exit code 1 when red flags were found."""
    from backcheck.why import why_at

    cfg = settings(ctx)
    given = read_answers(answers)
    report = why_at(cfg.db, athlete=cfg.athlete, tz=cfg.tz, as_of=parse_as_of(as_of), answers=given)
    emit_report(report, as_json=as_json, html=html)
    raise typer.Exit(report.exit_code)


def emit_report(report: object, *, as_json: bool, html: Path | None) -> None:
    """Print a WhyReport (JSON or terminal) and write its HTML file when asked."""
    from backcheck.why import WhyReport

    assert isinstance(report, WhyReport)
    if html is not None:
        from backcheck.report.html import write_html

        write_html(report, html)
    if as_json:
        print_json(report.to_json())
    else:
        from backcheck.report.terminal import render

        render(report, out)
        if html is not None:
            out.print(f"HTML report written to {html}")


def triage_cmd(
    ctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answers JSON instead of asking (keys from --list-keys; a missing key is 'not asked').",
            show_default=False,
        ),
    ] = None,
    list_keys: Annotated[
        bool,
        typer.Option(
            "--list-keys",
            help="Print each question's key and text (tab-separated, key first), one a line, and "
            "exit; with --json a list of {key, question}.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the assessment as JSON.")] = False,
) -> None:
    """The red-flag questions to answer before anything else (some upper-back pain needs a
    doctor, not a training change). Answers are stored with their date. Exit code 1 on red flags."""
    from backcheck.analysis.triage import QUESTIONS
    from backcheck.triage_answers import record_answers

    if list_keys:  # key TAB question, one a line (`cut -f1` gives the keys); --json: a list
        if as_json:
            print_json([{"key": q.key, "question": q.text} for q in QUESTIONS])
        else:
            typer.echo("".join(f"{q.key}\t{q.text}\n" for q in QUESTIONS), nl=False)
        return
    given = read_answers(answers)
    if given is None:
        if not err.is_terminal:
            raise UsageError("--answers", "no terminal to ask on: give the answers as a JSON file")
        out.print(
            "[bold]Red-flag check[/]: answer yes or no. If any answer is yes, get checked before training."
        )
        from rich.prompt import Confirm

        given = {q.key: Confirm.ask(q.text, default=False, console=out) for q in QUESTIONS}
    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        recorded = record_answers(
            store, athlete=cfg.athlete, tz=cfg.tz, answers=given, create_athlete=True
        )
    if as_json:
        print_json(recorded.to_json())
    else:
        from backcheck.report.terminal import flags_panel

        out.print(flags_panel(recorded.flags))
    raise typer.Exit(1 if recorded.flags.found else 0)


def demo_cmd(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON instead.")
    ] = False,
    html: Annotated[Path, typer.Option("--html", help="Where to write the HTML report.")] = Path(
        "backcheck-demo.html"
    ),
) -> None:
    """Run backcheck on the bundled sample athlete (simulated; see docs/simulator.md) in a
    temporary database: prints the `why` report and writes backcheck-demo.html."""
    from backcheck.demo import run_demo

    with tempfile.TemporaryDirectory(prefix="backcheck-demo-") as folder:
        report = run_demo(Path(folder) / "demo.db")
    emit_report(report, as_json=as_json, html=html)
    if not as_json:
        err.print(
            f"demo data: {report.data['sessions']} sessions, {report.data['pain_entries']} pain entries"
        )
