"""`backcheck plan`: the corrective plan built from the findings (docs/interface.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err, out, print_json
from backcheck.cli.options import (
    AnswersOption,
    as_of_option,
    parse_as_of,
    parse_day,
    read_answers,
)
from backcheck.errors import UsageError
from backcheck.textsafe import literal

WITHHELD_ADVICE = (
    "What to do instead: follow the advice above and get checked first. When a professional "
    "says training is safe, answer the questions again with `backcheck triage`, then run "
    "`backcheck plan`."
)


def register(app: typer.Typer) -> None:
    """Attach the `plan` and `progress` commands to the main app."""
    app.command("plan")(plan_cmd)
    app.command("progress")(progress_cmd)


def parse_start(value: str | None) -> date | None:
    """--start as a date (see options.parse_day)."""
    return parse_day("--start", value)


def plan_cmd(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option("--weeks", help="How many weeks to plan (1-16).")] = 4,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics", help="Also write the sessions as a calendar file (.ics).", show_default=False
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a printable HTML page.", show_default=False),
    ] = None,
    md: Annotated[
        Path | None,
        typer.Option("--md", help="Also write the plan as Markdown.", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the backcheck.plan/1 JSON document.")
    ] = False,
    answers: AnswersOption = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="First day of the plan (YYYY-MM-DD; default: the Monday after --as-of, or after today).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None, as_of_option("Plan from the data as on this date (YYYY-MM-DD)")
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Keep this plan as your current plan (for `backcheck progress`); a later "
            "save replaces it from its own start.",
        ),
    ] = False,
) -> None:
    """A corrective plan from your findings: balanced pushing and pulling, a warm-up in every
    session, gradual volume with a lighter 4th week, rest days, sleep and recovery, and the cues
    from your form checks. Withheld (exit code 1) when red flags are found."""
    from backcheck.plan import make_plan
    from backcheck.plan.build import MAX_WEEKS

    if not 1 <= weeks <= MAX_WEEKS:
        raise UsageError("--weeks", f"must be 1-{MAX_WEEKS}, got {weeks}")
    cfg = settings(ctx)
    given = read_answers(answers)
    first, day = parse_start(start), parse_as_of(as_of)
    plan = make_plan(
        cfg.db,
        athlete=cfg.athlete,
        tz=cfg.tz,
        weeks=weeks,
        start=first,
        as_of=day,
        answers=given,
    )
    written = []
    if ics is not None:
        from backcheck.plan.ics import write_ics

        written.append(write_ics(plan, ics))
    if html is not None:
        from backcheck.plan.html import write_html

        written.append(write_html(plan, html))
    if md is not None:
        from backcheck.plan.markdown import write_markdown

        written.append(write_markdown(plan, md))
    if as_json:
        print_json(plan.to_json())
    elif plan.withheld:
        from backcheck.report.terminal import flags_panel

        if plan.red_flags is not None:
            out.print(flags_panel(plan.red_flags))
        out.print(Text.assemble(("No plan: ", "bold red"), literal(plan.withheld)))
        out.print(WITHHELD_ADVICE)
    else:
        from backcheck.plan.terminal import render_plan

        render_plan(plan, out)
    for path in written:
        err.print(f"written: {path}", markup=False, soft_wrap=True)
    if save and not plan.withheld:
        from backcheck.progress import save_plan

        with open_cli_store(cfg) as store:
            save_plan(store, plan)
        err.print(
            f"saved as your current plan from {plan.start}: see how it goes with "
            "`backcheck progress`",
            markup=False,
        )
    elif save:
        err.print("not saved: a withheld plan cannot be followed", markup=False)
    raise typer.Exit(1 if plan.withheld else 0)


def progress_cmd(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Judge as on this date (YYYY-MM-DD; default today).", show_default=False
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the backcheck.progress/1 JSON document.")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a printable HTML page.", show_default=False),
    ] = None,
    answers: AnswersOption = None,
) -> None:
    """Did the plan help? Your saved plan week by week against what you logged (sessions,
    warm-ups, sets, pulling, rest, sleep) and your pain before the plan against your pain
    since. Exit code 1 when red flags are found."""
    from backcheck.progress import progress

    cfg = settings(ctx)
    given = read_answers(answers)
    with open_cli_store(cfg) as store:
        report = progress(
            store, athlete=cfg.athlete, tz=cfg.tz, as_of=parse_as_of(as_of), answers=given
        )
    if html is not None:
        from backcheck.report.progress import write_progress_html

        write_progress_html(report, html)
    if as_json:
        print_json(report.to_json())
    else:
        from backcheck.report.progress import render_progress

        render_progress(report, out)
    if html is not None:
        err.print(f"written: {html}", markup=False)
    raise typer.Exit(report.exit_code)
