"""The words and fixed blocks of a plan: warm-up, cool-down, recovery slots, posture cues, notes.

Warm-up (docs/science.md 2): RAMP (Jeffreys 2007, grade C convention): Raise with 5-10 min of
light cardio, Activate and Mobilise with dynamic stretches for the upper back and shoulders
and thoracic and shoulder mobility, Potentiate with ramp sets at about 40, 60 and 80% of
the working load (convention, grade C; ~40% and ~80% worked best before bench press,
IJERPH 2020, grade B). Warm-up cut injuries in 3 of 5 trials in other sports (Fradkin et al.
2006, grade B). Sleep: 7+ h is the general advice for adults; < 8 h went with 1.7x injuries
in adolescent athletes (Milewski et al. 2014, grade B); 8 h is the target here. Recovery
practices (yoga, foam rolling, stretching) have no outcome source here: advice only (C).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from backcheck.catalog import load_catalog
from backcheck.plan import detraining
from backcheck.plan.basis import Basis
from backcheck.plan.measure import ramped_lifts
from backcheck.plan.model import Item, Recovery, Session, WarmupItem, ramp_name
from backcheck.plan.rules import RAMP_PERCENTS, SEE_A_PROFESSIONAL

RAMP_REPS: Final = {40: 8, 60: 5, 80: 3}
SLEEP_MINUTES: Final = 480
#: What `backcheck video --exercise` names, and the plan pattern its cues belong to.
VIDEO_PATTERNS: Final = {
    "bench-press": "horizontal-push",
    "push-up": "horizontal-push",
    "row": "horizontal-pull",
    "overhead-press": "vertical-push",
}
GRADE_WORDS: Final = {
    "A": "form fault",
    "B": "form fault",
    "C": "technique note (coaching convention)",
}


def cardio_item(basis: Basis, *, longer: bool) -> WarmupItem:
    """5-10 minutes of light cardio, on the athlete's own cardio machine when they log one."""
    what = basis.cardio or "bike, rower or brisk walk"
    return WarmupItem(
        f"Light cardio: {what}, easy pace (you can talk)", minutes=10 if longer else 8
    )


def general_warmup(basis: Basis, *, addresses: Sequence[str]) -> list[WarmupItem]:
    """Cardio, dynamic stretches and mobility (the same in every session)."""
    longer = "warmup" in addresses
    extra = "posture" in addresses or longer
    return [
        cardio_item(basis, longer=longer),
        WarmupItem(
            "Dynamic stretches for the upper back and shoulders: arm circles, band pull-aparts, "
            "cat-cow, 10 each",
            minutes=3,
        ),
        WarmupItem(
            "Mobility for the thoracic spine and shoulders: open books (thoracic rotation), "
            "wall slides, shoulder dislocates with a band, 8 each",
            minutes=4 if extra else 3,
        ),
    ]


def ramp_round(load: float) -> float:
    """A ramp load rounded to the nearest 0.5 kg."""
    return round(load * 2) / 2


def ramps(session: Session) -> list[WarmupItem]:
    """Ramp sets (one set each at 40, 60 and 80%) for the session's first lifts."""
    loads = {e.name: e.load_kg for e in session.exercises}
    out = []
    for name in ramped_lifts(session):
        work = loads[name]
        for pct in RAMP_PERCENTS:
            load = None
            if work is not None:
                load = ramp_round(work * pct / 100)
                if load >= work:  # tiny loads: stay below the working load
                    load = max(0.5, work - 0.5)
            out.append(
                WarmupItem(
                    ramp_name(exercise=name, percent=pct, reps=RAMP_REPS[pct], load_kg=load), sets=1
                )
            )
    return out


def cooldown(*, addresses: Sequence[str]) -> list[WarmupItem]:
    """Easy stretches after every session; foam rolling too when recovery or posture is addressed."""
    out = [
        WarmupItem("Stretches: chest in a doorway, lats, upper traps, 30 s each side", minutes=5)
    ]
    if "recovery" in addresses or "posture" in addresses:
        out.append(WarmupItem("Foam rolling: thoracic spine and lats, slowly", minutes=5))
    return out


def recovery_slots(
    days: Sequence[date], *, rest: Sequence[date], a_days: Sequence[date], addresses: Sequence[str]
) -> list[Recovery]:
    """A sleep target every night; yoga, stretching and foam rolling when recovery is addressed
    (else one stretching slot a week)."""
    out = [Recovery(d, "sleep", SLEEP_MINUTES) for d in days]
    if "recovery" in addresses:
        if rest:
            out.append(Recovery(rest[0], "yoga", 30))
        out += [Recovery(d, "stretching", 15) for d in (rest[1:] or rest[:1])]
        out += [Recovery(d, "foam-rolling", 10) for d in (a_days or days[:1])]
    elif rest:
        out.append(Recovery(rest[0], "stretching", 10))
    return sorted(out, key=lambda r: (r.date, r.kind))


def form_cues(videos: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Pattern -> cue texts from the latest stored form check of each exercise.

    A fault's cue is its `cue` (else its `text`, else its name), prefixed with the check's
    date and whether it is a form fault (grade A/B) or a technique note (grade C).
    """
    latest: dict[str, dict[str, Any]] = {}
    for v in videos:  # oldest first
        latest[str(v.get("exercise") or v.get("result", {}).get("exercise"))] = v
    cues: dict[str, list[str]] = {}
    for exercise, v in latest.items():
        result = v.get("result") or {}
        name = str(result.get("exercise") or exercise)
        pattern = VIDEO_PATTERNS.get(name) or VIDEO_PATTERNS.get(exercise)
        if pattern is None:
            found = load_catalog().lookup(name.replace("-", " "))
            pattern = found.pattern if found else None
        if pattern is None:
            continue
        for f in result.get("faults", []):
            text = str(f.get("cue") or f.get("text") or f.get("fault") or "").strip()
            if not text:
                continue
            word = GRADE_WORDS.get(str(f.get("grade", "C")), GRADE_WORDS["C"])
            cue = f"Form check {v.get('recorded_on')} ({word}): {text}"
            if cue not in cues.setdefault(pattern, []):
                cues[pattern].append(cue)
    return cues


def with_note(item: Item, *parts: str | None) -> Item:
    """`item` with `parts` appended to its note."""
    text = " ".join(p for p in (item.note, *parts) if p)
    return Item(item.name, item.pattern, item.sets, item.reps, item.load_kg, text or None)


def plan_notes(
    basis: Basis,
    *,
    addresses: Sequence[str],
    spike: bool,
    cues: Mapping[str, Sequence[str]],
    days: int,
) -> list[str]:
    """What the athlete must know, most important first."""
    out = []
    if basis.severe_pain:
        out.append(
            f"Your pain reached {basis.pain_max_7d}/10 on {basis.pain_day}: week 1 is a reduced "
            "week (about half the sets, lighter loads). Stop any exercise that brings the pain "
            f"on. {SEE_A_PROFESSIONAL}"
        )
    if basis.reference is None:
        out.append(
            "No lifts from your log could be used, so this is a light starter plan: choose loads "
            "you could lift about 15 times and stop 2-3 reps short of failure."
        )
    else:
        a, b = basis.reference
        out.append(
            f"Built from your training {a} to {b}: about {basis.days_per_week:.1f} training days "
            f"and {basis.chronic_total:.0f} working sets a week; the plan trains {days} days a "
            "week with at least 2 rest days, and 48 h between hard sessions for the same muscles "
            "(ACSM 2009). Main lifts get 3-5 working sets, accessories fewer."
        )
    if detraining.after_break(basis.break_days):
        factor = detraining.load_factor(basis.break_days)
        out.append(
            f"Your last logged session was {basis.break_days} days before this plan, so it "
            f"restarts lighter: loads at {factor:.0%} of your last 8 weeks of training and "
            f"about {detraining.RETURN_VOLUME:.0%} of the sets, then building back up. Why: "
            f"{detraining.SOURCE_TEXT}. Add weight only when every set feels easy."
        )
    if spike and not detraining.after_break(basis.break_days):  # a break ends any jump
        out.append(
            "Your recent training jumped above your usual level, so the plan first returns to "
            f"your usual volume (about {basis.pre_spike_total:.0f} working sets a week) and "
            "then rises by about 10% a week at most, with a lighter week every 4th week."
        )
    else:
        out.append(
            "Volume rises by about 10% a week at most, with a lighter week every 4th week "
            "(the 10% is gentle progression, not a proven injury limit)."
        )
    if "imbalance" in addresses:
        out.append(
            "Pressing is capped at your pulling every week (horizontal and overhead), and face "
            "pulls, rear-delt flyes and band pull-aparts are added for the upper back. Pulling "
            "grows gradually: a sudden jump in rows would be a load spike of its own."
        )
    else:
        out.append("Every week keeps at least as many pulling sets as pressing sets.")
    if cues:
        out.append("Cues from your form checks are attached to the exercises they concern.")
    out.append(
        f"Sleep: aim for {SLEEP_MINUTES // 60} hours a night (7+ h is the general advice for "
        "adults; under 8 h went with more injuries in young athletes, Milewski et al. 2014)."
    )
    out.append(
        "Loads never exceed your heaviest working set of your last 8 weeks of training; "
        "exercises without a load are bodyweight or new to you: pick a load you could lift "
        "about 15 times. Stop any exercise that causes sharp pain. backcheck is not a diagnosis."
    )
    return out
