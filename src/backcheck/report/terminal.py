"""The `why` report in the terminal (Rich): the verdict first, then a table per cause."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backcheck.analysis.triage import RedFlags
from backcheck.report.numbers import fmt_number
from backcheck.textsafe import literal, visible
from backcheck.why import CauseFinding, WhyReport

LEVEL_STYLE = {"likely": "bold red", "possible": "yellow", "unlikely": "green", "unknown": "dim"}
CAUSE_TITLE = {
    "posture": "Posture and form",
    "overexertion": "Overexertion (sudden jumps in load)",
    "warmup": "Warm-up",
    "imbalance": "Push / pull balance",
    "recovery": "Rest, sleep and recovery",
}
DISCLAIMER = (
    "backcheck is not a diagnosis. If in doubt, or if pain persists, get checked by a professional."
)


def red_flag_panel(report: WhyReport) -> RenderableType:
    """The red-flag block that leads every report."""
    return flags_panel(report.red_flags)


def flags_panel(flags: RedFlags) -> RenderableType:
    """A red-flag assessment as a panel: what to do now, and why."""
    if flags.level == "emergency":
        body = Text("Get help now.\n", style="bold")
        for action in flags.actions:
            body.append(f"- {visible(action)}\n")
        body.append("\nWhy:\n")
        for reason in flags.reasons:
            body.append(f"- {visible(reason)}\n")
        body.append("\nNo training plan is given until a professional has checked you.")
        return Panel(body, title="EMERGENCY: RED FLAGS", border_style="bold red")
    if flags.level == "see-doctor":
        body = Text("Get checked by a doctor soon.\n", style="bold")
        for reason in flags.reasons:
            body.append(f"- {visible(reason)}\n")
        for action in flags.actions:
            body.append(f"- {visible(action)}\n")
        body.append(
            "\nThe causes below are shown for your doctor; no training plan is given until a professional has checked you."
        )
        return Panel(body, title="See a doctor", border_style="red")
    if flags.level == "not-asked":
        return Panel(
            Text(
                "Red flags not checked yet: run `backcheck triage` (2 minutes) - some upper-back "
                "pain needs a doctor, not a training change."
            ),
            title="Red flags",
            border_style="yellow",
        )
    return Panel(
        Text("No red flags in your answers or your pain diary."),
        title="Red flags",
        border_style="green",
    )


def verdict_text(report: WhyReport) -> Text:
    """One or two lines: which causes are likely or possible."""
    likely = [CAUSE_TITLE[c.cause] for c in report.causes if c.level == "likely"]
    possible = [CAUSE_TITLE[c.cause] for c in report.causes if c.level == "possible"]
    text = Text()
    if likely:
        text.append("Most likely: ", style="bold")
        text.append(", ".join(likely) + "\n", style="bold red")
    if possible:
        text.append("Possible: ", style="bold")
        text.append(", ".join(possible) + "\n", style="yellow")
    if not likely and not possible:
        text.append(
            "Nothing in your data points clearly at one of the five causes.\n", style="bold green"
        )
    if report.undecided is not None:
        names = [CAUSE_TITLE[c] for c in report.undecided.causes]
        both = " and ".join([", ".join(names[:-1]), names[-1]])
        text.append(
            f"Your pain diary cannot yet tell {both} apart: your data is outside the usual "
            "range for each, and your pain does not clearly follow one more than the other. "
            "To find out, change one thing at a time:\n"
        )
        for i, step in enumerate(report.undecided.steps, start=1):
            text.append(f"  {i}. {step}\n")
    if report.data.get("pain_entries", 0) == 0:
        text.append(
            "No pain diary yet: log pain (and pain-free days) with `backcheck pain log` so "
            "backcheck can see what your pain follows.\n",
            style="italic",
        )
    return text


def cause_table(finding: CauseFinding) -> RenderableType:
    """One cause: level and score, evidence rows (with grade), advice and sources."""
    title = Text(f"{CAUSE_TITLE[finding.cause]}: ")
    title.append(f"{finding.level} ({finding.score:.2f})", style=LEVEL_STYLE[finding.level])
    table = Table(show_header=True, header_style="bold", expand=True, box=None, pad_edge=False)
    table.add_column("evidence from your data", ratio=6)
    table.add_column("value", justify="right", ratio=1)
    table.add_column("grade", justify="center", ratio=1)
    for e in finding.evidence:
        value = "-" if e.value is None else fmt_number(float(e.value), e.unit)
        table.add_row(literal(e.text), literal(value), literal(e.grade))
    parts: list[RenderableType] = [table]
    if finding.explanation:
        lines = "\n".join(f"* {visible(line)}" for line in finding.explanation)
        parts.append(Text(lines, style="cyan"))
    if finding.advice:
        parts.append(Text("What to do:\n" + "\n".join(f"- {visible(a)}" for a in finding.advice)))
    if finding.sources:
        parts.append(literal("Sources: " + "; ".join(finding.sources), "dim"))
    return Panel(
        Group(*parts),
        title=title,
        title_align="left",
        border_style=LEVEL_STYLE[finding.level].split()[-1],
    )


def render(report: WhyReport, console: Console) -> None:
    """Print the whole report: red flags, verdict, then every cause."""
    d = report.data
    console.print(
        Text.assemble(
            ("backcheck why", "bold"),
            literal(
                f" - {report.athlete}, as of {report.as_of}: {d['sessions']} sessions, "
                f"{d['sets']} sets ({d['first']} to {d['last']}), {d['pain_entries']} pain "
                f"entries, {d['recovery_entries']} recovery entries, {d['videos']} form checks"
            ),
        )
    )
    for note in report.notes:
        console.print(literal(f"Note: {note}", "yellow"))
    console.print(red_flag_panel(report))
    console.print(verdict_text(report))
    for finding in report.causes:
        console.print(cause_table(finding))
    console.print(Text(DISCLAIMER, style="dim italic"))
