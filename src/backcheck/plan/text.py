"""Plain-text pieces of a plan shared by the writers (calendar, Markdown, terminal, HTML)."""

from __future__ import annotations

from backcheck.plan.model import Item, Plan, Recovery, Session, WarmupItem

KIND_TITLE = {"build": "", "deload": "lighter week", "reduced": "reduced week"}
RECOVERY_WORDS = {
    "sleep": "sleep target",
    "yoga": "yoga",
    "foam-rolling": "foam rolling",
    "stretching": "stretching",
    "massage": "massage",
    "meditation": "meditation",
}


def load_text(e: Item) -> str:
    """ "60 kg", or "-" when the plan gives no load (bodyweight, or new: see the note)."""
    return f"{e.load_kg:g} kg" if e.load_kg is not None else "-"


def item_text(e: Item) -> str:
    """ "Bench Press (Barbell): 3 x 8 at 60 kg"."""
    at = f" at {e.load_kg:g} kg" if e.load_kg is not None else ""
    return f"{e.name}: {e.sets} x {e.reps}{at}"


def block_text(w: WarmupItem) -> str:
    """A warm-up or cool-down item: "Light cardio ... (8 min)" or "Ramp set ... (1 set)"."""
    if w.minutes is not None:
        return f"{w.name} ({w.minutes:g} min)"
    n = w.sets or 0
    return f"{w.name} ({n} set{'s' if n != 1 else ''})"


def recovery_text(r: Recovery) -> str:
    """ "sleep target 8 h" / "yoga 30 min"."""
    if r.kind == "sleep":
        return f"{RECOVERY_WORDS['sleep']} {r.minutes / 60:g} h"
    return f"{RECOVERY_WORDS.get(r.kind, r.kind)} {r.minutes:g} min"


def week_title(plan: Plan, index: int) -> str:
    """ "Week 2 (2026-01-12 to 2026-01-18), lighter week"."""
    week = plan.weeks[index]
    from datetime import timedelta

    first = plan.start + timedelta(days=7 * (week.week - 1))
    last = first + timedelta(days=6)
    kind = KIND_TITLE.get(week.kind, week.kind)
    return f"Week {week.week} ({first} to {last})" + (f", {kind}" if kind else "")


def session_text(s: Session) -> str:
    """The whole session as plain text (the calendar event's description)."""
    lines = [f"{s.focus} - {s.date.isoformat()}", "", "Warm-up:"]
    lines += [f"- {block_text(w)}" for w in s.warmup]
    lines += ["", "Exercises:"]
    for e in s.exercises:
        lines.append(f"- {item_text(e)}")
        if e.note:
            lines.append(f"  {e.note}")
    if s.cooldown:
        lines += ["", "Cool-down:"] + [f"- {block_text(c)}" for c in s.cooldown]
    return "\n".join(lines)
