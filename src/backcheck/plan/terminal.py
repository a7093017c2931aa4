"""The plan in the terminal (Rich): notes, then one table per week."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backcheck.plan.markdown import CAUSE_WORDS
from backcheck.plan.model import Plan
from backcheck.plan.text import item_text, recovery_text, week_title
from backcheck.textsafe import literal, visible

WARM_WORDS = {"cardio": "light cardio", "dynamic": "dynamic stretches", "mobility": "mobility"}


def render_plan(plan: Plan, console: Console) -> None:
    """Print a readable week-by-week plan (a withheld plan prints why)."""
    console.print(
        Text.assemble(
            ("backcheck plan", "bold"), literal(f" - {plan.athlete}, starts {plan.start}")
        )
    )
    if plan.withheld:
        console.print(Panel(literal(plan.withheld), title="Plan withheld", border_style="red"))
        return
    targets = ", ".join(CAUSE_WORDS.get(c, c) for c in plan.addresses) or "none in particular"
    console.print(literal(f"Addresses: {targets}"))
    console.print(Panel(Text("\n".join(f"- {visible(n)}" for n in plan.notes)), title="Notes"))
    for i, week in enumerate(plan.weeks):
        table = Table(title=week_title(plan, i), title_justify="left", expand=True, show_lines=True)
        table.add_column("day", no_wrap=True)
        table.add_column("focus", ratio=2)
        table.add_column("exercises (sets x reps at load)", ratio=5)
        table.add_column("warm-up", ratio=3)
        for s in week.sessions:
            warm = [w for w in s.warmup if w.kind != "ramp"]
            ramps = sum(1 for w in s.warmup if w.kind == "ramp")
            warm_text = "\n".join(
                f"{WARM_WORDS.get(w.kind, w.kind)} {w.minutes or 0:g} min" for w in warm
            )
            if ramps:
                warm_text += f"\n{ramps} ramp sets (40/60/80%)"
            table.add_row(
                f"{s.date:%a} {s.date:%d %b}",
                literal(s.focus),
                Text("\n".join(visible(item_text(e)) for e in s.exercises)),
                Text(warm_text),
            )
        console.print(table)
        rest = ", ".join(f"{d:%a}" for d in week.rest_days)
        extra = [r for r in week.recovery if r.kind != "sleep"]
        sleep = [r for r in week.recovery if r.kind == "sleep"]
        line = f"Rest: {rest}." + (f" {recovery_text(sleep[0]).capitalize()}." if sleep else "")
        if extra:
            line += " Recovery: " + "; ".join(f"{r.date:%a} {recovery_text(r)}" for r in extra)
        console.print(literal(line, "dim"))
    console.print(
        Text("Full details (notes, cues, ramp loads): --md, --html or --json.", style="dim italic")
    )
