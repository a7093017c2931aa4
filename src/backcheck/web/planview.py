"""The plan page's week view: the warm-up and cool-down said once a week, each session
referring to it with only its own ramp sets (a phone-length page, not 30,000 px)."""

from __future__ import annotations

from typing import Any

from backcheck.plan.model import parse_ramp


def _same(sessions: list[dict[str, Any]], key: str, *, ramps: bool) -> list[dict[str, Any]]:
    """The `key` items (warm-up or cool-down; ramp sets left out) that every session shares."""
    if not sessions:
        return []
    first = [w for w in sessions[0].get(key, []) if (parse_ramp(w["name"]) is None) or ramps]
    return [w for w in first if all(w in s.get(key, []) for s in sessions[1:])]


def ramp_lines(warmup: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(exercise, "8 × 30 kg · 5 × 45 kg · 3 × 60 kg") per ramped lift, in order."""
    out: dict[str, list[str]] = {}
    for w in warmup:
        found = parse_ramp(w["name"])
        if found is None:
            continue
        exercise, _pct, reps, load = found
        out.setdefault(exercise, []).append(
            f"{reps} × {load:g} kg" if load is not None else f"{reps} easy reps"
        )
    return [(name, " · ".join(sets)) for name, sets in out.items()]


def week_view(week: dict[str, Any]) -> dict[str, Any]:
    """What the plan page shows for one `backcheck.plan/1` week: `warmup` and `cooldown`
    shared by all its sessions (said once), and per session (same order) the items of its
    own (`warmup`, `cooldown`) and its ramp sets as `ramps` (ramp_lines)."""
    sessions = list(week.get("sessions", []))
    warm = _same(sessions, "warmup", ramps=False)
    cool = _same(sessions, "cooldown", ramps=False)
    per = []
    for s in sessions:
        own = [w for w in s.get("warmup", []) if w not in warm and parse_ramp(w["name"]) is None]
        per.append(
            {
                "warmup": own,
                "ramps": ramp_lines(s.get("warmup", [])),
                "cooldown": [c for c in s.get("cooldown", []) if c not in cool],
            }
        )
    return {"warmup": warm, "cooldown": cool, "sessions": per, "recovery": recovery_lines(week)}


def recovery_lines(week: dict[str, Any]) -> list[str]:
    """The week's recovery slots in a few words: a sleep target every night said once, the
    other practices with their days ("stretching 10 min: 2026-12-09")."""
    slots = list(week.get("recovery", []))
    nights = [r for r in slots if r["kind"] == "sleep"]
    out = []
    if nights:
        hours = {float(r["minutes"]) / 60 for r in nights}
        target = f"{min(hours):g} h" if len(hours) == 1 else f"{min(hours):g}-{max(hours):g} h"
        out.append(
            f"sleep {target} every night"
            if len(nights) >= 7
            else f"sleep {target}: " + ", ".join(r["date"] for r in nights)
        )
    kinds: dict[str, list[dict[str, Any]]] = {}
    for r in slots:
        if r["kind"] != "sleep":
            kinds.setdefault(r["kind"], []).append(r)
    for kind, rows in kinds.items():
        minutes = rows[0]["minutes"]
        out.append(
            f"{kind.replace('-', ' ')} {float(minutes):g} min: "
            + ", ".join(r["date"] for r in rows)
        )
    return out


__all__ = ["ramp_lines", "week_view"]
