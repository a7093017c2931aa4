"""Commands that analyse: why (the report), triage (red-flag questions), demo."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from backcheck.cli import err, open_cli_store, out, print_json, settings
from backcheck.errors import InputError, UsageError


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.command("why")(why_cmd)
    app.command("triage")(triage_cmd)
    app.command("demo")(demo_cmd)


#: `--answers FILE` of `why` and `plan`: red-flag answers instead of the stored ones.
AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Red-flag answers JSON (instead of the stored ones).",
        show_default=False,
    ),
]


#: Days a command may be asked about (--as-of, --start, --date): the analysis looks years back
#: and plans weeks ahead, which must stay within the calendar Python and Polars can count.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def check_day(option: str, day: date) -> date:
    """`day` when it lies between FIRST_DAY and LAST_DAY; UsageError names the option."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(option, f"{day} is out of range ({FIRST_DAY} to {LAST_DAY})")
    return day


def parse_day(option: str, value: str | None) -> date | None:
    """A date option (YYYY-MM-DD, 1900-2999) as a date, None when not given; UsageError names
    the option."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(option, f"not a date (YYYY-MM-DD): {value!r}") from None
    return check_day(option, day)


def parse_as_of(value: str | None) -> date | None:
    """--as-of as a date (see parse_day)."""
    return parse_day("--as-of", value)


def read_answers(path: Path | None) -> dict[str, bool] | None:
    """Red-flag answers from a JSON file (keys of `backcheck triage --list-keys`)."""
    if path is None:
        return None
    from backcheck.analysis.triage import validate_answers

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, f"not valid JSON ({exc.msg})") from None
    return validate_answers(doc, path=str(path))


def why_cmd(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Analyse as on this date (YYYY-MM-DD); default: today, or the last logged day of a log that ended more than 14 days ago.",
            show_default=False,
        ),
    ] = None,
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
    from backcheck.analysis.triage import QUESTIONS, assess
    from backcheck.store.athletes import athlete_id
    from backcheck.store.diary import load_pain, save_triage
    from backcheck.why import local_today

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
    today = local_today(cfg.tz)
    with open_cli_store(cfg) as store, store.transaction() as conn:
        who = athlete_id(conn, cfg.athlete, create=True)
        save_triage(conn, who, given)
        pain = load_pain(conn, cfg.athlete)
    import polars as pl

    pain = pain.with_columns(pl.col("at").dt.convert_time_zone(cfg.tz).dt.date().alias("day"))
    flags = assess(given, pain, as_of=today)
    if as_json:
        print_json({**flags.to_json(), "actions": flags.actions, "answers": given})
    else:
        from backcheck.report.terminal import flags_panel

        out.print(flags_panel(flags))
    raise typer.Exit(1 if flags.found else 0)


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
