"""The plan as Markdown: notes, then a section per week and a table per session."""

from __future__ import annotations

from pathlib import Path

from backcheck.plan.model import Plan
from backcheck.plan.text import block_text, load_text, recovery_text, week_title

CAUSE_WORDS = {
    "posture": "posture and form",
    "overexertion": "sudden jumps in load",
    "warmup": "warm-up",
    "imbalance": "push/pull balance",
    "recovery": "rest, sleep and recovery",
}


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: Plan) -> str:
    """The whole plan as a Markdown document."""
    lines = [f"# Corrective plan: {plan.athlete}", ""]
    if plan.withheld:
        lines += ["**Plan withheld.**", "", plan.withheld, ""]
        lines += [f"- {n}" for n in plan.notes]
        return "\n".join(lines) + "\n"
    targets = ", ".join(CAUSE_WORDS.get(c, c) for c in plan.addresses) or "none in particular"
    lines += [
        f"Starts {plan.start} ({len(plan.weeks)} weeks, data as of {plan.as_of}). "
        f"Addresses: {targets}.",
        "",
        "## Notes",
        "",
    ]
    lines += [f"- {n}" for n in plan.notes]
    for i, week in enumerate(plan.weeks):
        lines += ["", f"## {week_title(plan, i)}", ""]
        rest = ", ".join(f"{d:%a} {d}" for d in week.rest_days)
        lines.append(f"Rest days: {rest}.")
        extra = [r for r in week.recovery if r.kind != "sleep"]
        sleep = [r for r in week.recovery if r.kind == "sleep"]
        if sleep:
            lines.append(f"{recovery_text(sleep[0]).capitalize()} every night.")
        if extra:
            lines.append(
                "Recovery: " + "; ".join(f"{r.date:%a} {recovery_text(r)}" for r in extra) + "."
            )
        for s in week.sessions:
            lines += ["", f"### {s.date:%a} {s.date}: {s.focus}", "", "Warm-up:", ""]
            lines += [f"- {block_text(w)}" for w in s.warmup]
            lines += ["", "| Exercise | Sets x reps | Load | Note |", "|---|---|---|---|"]
            for e in s.exercises:
                lines.append(
                    f"| {_cell(e.name)} | {e.sets} x {e.reps} | {load_text(e)} | {_cell(e.note)} |"
                )
            if s.cooldown:
                lines += ["", "Cool-down:", ""] + [f"- {block_text(c)}" for c in s.cooldown]
    return "\n".join(lines) + "\n"


def write_markdown(plan: Plan, path: str | Path) -> Path:
    """Write the Markdown file; returns its path."""
    out = Path(path)
    out.write_text(to_markdown(plan), encoding="utf-8")
    return out
