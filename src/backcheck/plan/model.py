"""The corrective plan as data: Plan > Week > Session > warm-up items and exercises.

`Plan.to_json()` is the `backcheck.plan/1` document of docs/interface.md; `Plan.from_json` reads it
back (the rules can then be checked on what was written, not only on what was built). On top
of the CONTRACT keys the document adds `as_of`, `notes` and `basis` (top level) and `kind`
(per week); CONTRACT allows additions.

Warm-up and cool-down items keep the CONTRACT shape `{"name", "minutes" | "sets"}`; what a
rule needs to know about them is in the name, which always starts with a fixed prefix
(`ITEM_PREFIXES`). A ramp set's name also carries its percentage, reps and load:
"Ramp set 40% of Bench Press (Barbell): 8 reps at 30 kg" (`ramp_name`, `parse_ramp`).
Units: loads in kg (null: bodyweight, or an exercise new to the athlete), minutes, dates
as ISO strings in JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from backcheck.analysis.triage import RedFlags

SCHEMA: Final = "backcheck.plan/1"
#: Week kinds: a normal training week, a lighter week (every 4th), the reduced first week
#: that follows pain of 7/10 or more.
WEEK_KINDS: Final = ("build", "deload", "reduced")
#: Name prefix -> item kind (warm-up: cardio, dynamic, mobility, ramp; cool-down: stretch,
#: foam-rolling). Checked in this order; a name with none of them is kind "other".
ITEM_PREFIXES: Final = (
    ("Light cardio", "cardio"),
    ("Dynamic stretches", "dynamic"),
    ("Mobility for", "mobility"),
    ("Ramp set", "ramp"),
    ("Stretches", "stretch"),
    ("Foam rolling", "foam-rolling"),
)
_RAMP = re.compile(r"^Ramp set (\d+)% of (.+?): (\d+) (?:easy )?reps(?: at ([0-9.]+) kg)?")


def item_kind(name: str) -> str:
    """The kind of a warm-up or cool-down item, from its name's prefix (see ITEM_PREFIXES)."""
    for prefix, kind in ITEM_PREFIXES:
        if name.startswith(prefix):
            return kind
    return "other"


def ramp_name(*, exercise: str, percent: int, reps: int, load_kg: float | None) -> str:
    """The name of a ramp set: "Ramp set 40% of Bench Press (Barbell): 8 reps at 30 kg".

    Without a load (bodyweight or a new exercise): "...: 8 easy reps (an easier variant)".
    """
    head = f"Ramp set {percent}% of {exercise}: "
    if load_kg is None:
        return head + f"{reps} easy reps (an easier variant, or less range)"
    return head + f"{reps} reps at {load_kg:g} kg"


def parse_ramp(name: str) -> tuple[str, int, int, float | None] | None:
    """(exercise, percent, reps, load_kg or None) of a ramp set name; None for other names."""
    m = _RAMP.match(name)
    if m is None:
        return None
    load = float(m.group(4)) if m.group(4) else None
    return m.group(2), int(m.group(1)), int(m.group(3)), load


@dataclass(frozen=True, slots=True)
class WarmupItem:
    """A warm-up or cool-down item: `minutes` (a timed block) or `sets` (a ramp set).

    kind: from the name (item_kind); for ramp sets `exercise`, `percent` (of the working
    load), `reps` and `load_kg` (kg, None without a load) come from the name too.
    """

    name: str
    minutes: float | None = None
    sets: int | None = None

    @property
    def kind(self) -> str:
        return item_kind(self.name)

    @property
    def ramp(self) -> tuple[str, int, int, float | None] | None:
        """(exercise, percent, reps, load_kg) for a ramp set, else None."""
        return parse_ramp(self.name)

    def to_json(self) -> dict[str, Any]:
        if self.minutes is not None:
            return {"name": self.name, "minutes": self.minutes}
        return {"name": self.name, "sets": self.sets}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> WarmupItem:
        return cls(name=doc["name"], minutes=doc.get("minutes"), sets=doc.get("sets"))


@dataclass(frozen=True, slots=True)
class Item:
    """One exercise of a session: working sets x reps at load_kg (kg; None = bodyweight or
    pick a light load: the athlete has no history of it). `pattern` is a model.PATTERNS value."""

    name: str
    pattern: str
    sets: int
    reps: int
    load_kg: float | None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pattern": self.pattern,
            "sets": self.sets,
            "reps": self.reps,
            "load_kg": self.load_kg,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Item:
        load = doc.get("load_kg")
        return cls(
            name=doc["name"],
            pattern=doc["pattern"],
            sets=int(doc["sets"]),
            reps=int(doc["reps"]),
            load_kg=None if load is None else float(load),
            note=doc.get("note"),
        )


@dataclass(frozen=True, slots=True)
class Session:
    """One training day: warm-up, then the exercises in order, then the cool-down."""

    date: date
    focus: str
    warmup: tuple[WarmupItem, ...]
    exercises: tuple[Item, ...]
    cooldown: tuple[WarmupItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "focus": self.focus,
            "warmup": [w.to_json() for w in self.warmup],
            "exercises": [e.to_json() for e in self.exercises],
            "cooldown": [c.to_json() for c in self.cooldown],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Session:
        return cls(
            date=date.fromisoformat(doc["date"]),
            focus=doc["focus"],
            warmup=tuple(WarmupItem.from_json(w) for w in doc["warmup"]),
            exercises=tuple(Item.from_json(e) for e in doc["exercises"]),
            cooldown=tuple(WarmupItem.from_json(c) for c in doc.get("cooldown", [])),
        )


@dataclass(frozen=True, slots=True)
class Recovery:
    """A recovery slot: kind from model.RECOVERY_KINDS; minutes (sleep: the night's target,
    the night that ends on the morning of `date`, as in the recovery CSV)."""

    date: date
    kind: str
    minutes: float

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "kind": self.kind, "minutes": self.minutes}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Recovery:
        return cls(date.fromisoformat(doc["date"]), doc["kind"], float(doc["minutes"]))


@dataclass(frozen=True, slots=True)
class Week:
    """Week `week` (1-based): the 7 days from plan start + 7 * (week - 1)."""

    week: int
    kind: str  # one of WEEK_KINDS
    sessions: tuple[Session, ...]
    rest_days: tuple[date, ...]
    recovery: tuple[Recovery, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "kind": self.kind,
            "sessions": [s.to_json() for s in self.sessions],
            "rest_days": [d.isoformat() for d in self.rest_days],
            "recovery": [r.to_json() for r in self.recovery],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Week:
        return cls(
            week=int(doc["week"]),
            kind=doc.get("kind", "build"),
            sessions=tuple(Session.from_json(s) for s in doc["sessions"]),
            rest_days=tuple(date.fromisoformat(d) for d in doc["rest_days"]),
            recovery=tuple(Recovery.from_json(r) for r in doc["recovery"]),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """A corrective plan (`backcheck.plan/1`), or a withheld one (red flags: no weeks).

    addresses: causes the plan targets, most likely first. notes: what the athlete must know
    (see a professional, why week 1 is reduced, the sleep target ...). basis: the figures
    from the athlete's own log the plan was built from. red_flags: the assessment behind a
    withheld plan (not part of the JSON document; the CLI shows it).
    """

    athlete: str
    start: date
    as_of: date
    weeks: tuple[Week, ...]
    addresses: tuple[str, ...]
    withheld: str | None = None
    notes: tuple[str, ...] = ()
    basis: dict[str, Any] = field(default_factory=dict)
    red_flags: RedFlags | None = field(default=None, compare=False)

    @property
    def sessions(self) -> list[Session]:
        """Every session of the plan, in date order."""
        return [s for w in self.weeks for s in w.sessions]

    def to_json(self) -> dict[str, Any]:
        """The `backcheck.plan/1` document (docs/interface.md)."""
        return {
            "schema": SCHEMA,
            "athlete": self.athlete,
            "start": self.start.isoformat(),
            "as_of": self.as_of.isoformat(),
            "weeks": [w.to_json() for w in self.weeks],
            "addresses": list(self.addresses),
            "withheld": self.withheld,
            "notes": list(self.notes),
            "basis": dict(self.basis),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Plan:
        """A Plan from its `backcheck.plan/1` document (KeyError for a missing CONTRACT key)."""
        start = date.fromisoformat(doc["start"])
        return cls(
            athlete=doc["athlete"],
            start=start,
            as_of=date.fromisoformat(doc["as_of"]) if doc.get("as_of") else start,
            weeks=tuple(Week.from_json(w) for w in doc["weeks"]),
            addresses=tuple(doc["addresses"]),
            withheld=doc["withheld"],
            notes=tuple(doc.get("notes", ())),
            basis=dict(doc.get("basis", {})),
        )
