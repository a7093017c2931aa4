"""Every rule a plan keeps, as pure checks: each returns the Violations it finds (none = kept).

The builder runs `check_plan` on every plan it makes (a broken rule is a bug, not a plan);
the tests run the same checks on plans built from many simulated and real athletes, and on
hand-made plans that break each rule. Sources and grades: docs/plan.md and docs/science.md.

How sets, upper-back work and ramped lifts are counted: plan.measure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

from backcheck.catalog import load_catalog
from backcheck.model import PATTERNS, RECOVERY_KINDS
from backcheck.plan.limits import Limits, Violation, place
from backcheck.plan.measure import (
    REGION_LOAD_MIN,
    is_main_lift,
    lifts,
    ramped_lifts,
    session_muscle_load,
    session_region_load,
    trains_upper_back,
    week_volume,
)
from backcheck.plan.model import Plan, Session
from backcheck.plan.schedule import MIN_GAP_DAYS
from backcheck.plan.volume import FLOOR_SETS, FLOOR_UPPER_BACK_SETS, check_volume, rise_limit

# Warm-up (docs/science.md 2: RAMP, Jeffreys 2007; 40-60-80% ramp, convention C).
CARDIO_MINUTES: Final = (5.0, 10.0)
RAMP_PERCENTS: Final = (40, 60, 80)
RAMP_TOLERANCE_PCT: Final = 5.0  # percentage points of the working load
RAMP_TOLERANCE_KG: Final = 2.5  # or this many kg (plates), whichever is larger
# Sets per session (ACSM 2009: 1-3 sets for novices, multiple sets for progression; the
# 3-5 working sets for a main lift and fewer for accessories are coaching convention, grade C).
MAIN_SETS: Final = (3, 5)  # working sets of a main lift in one session, normal weeks
LIGHT_MAIN_MIN: Final = 2  # ... in a deload or reduced week
ACCESSORY_MAX: Final = 3  # working sets of an accessory in one session
LIGHT_WEEKS: Final = ("deload", "reduced")
# Rest (docs/science.md 4: ACSM 2009).
MIN_REST_DAYS: Final = 2
# Recovery (docs/science.md 4: Milewski 2014; adults 7+ h).
MIN_SLEEP_MINUTES: Final = 420
RECOVERY_PRACTICES: Final = ("foam-rolling", "stretching", "yoga")
# Push/pull (docs/science.md 3).
PLANES: Final = (("horizontal-push", "horizontal-pull"), ("vertical-push", "vertical-pull"))
ACCESSORY_KINDS: Final = {
    "face pull": ("face-pull",),
    "rear-delt work": ("reverse-fly", "rear-delt"),
    "band pull-apart": ("band-pull-apart",),
}
#: The sentence every plan that starts with a reduced week carries (pain >= 7 in the last week).
SEE_A_PROFESSIONAL: Final = (
    "See a doctor or physiotherapist if the pain is not clearly easing within a week, lasts "
    "more than 5 days, gets worse, spreads, or wakes you at night."
)


# ----------------------------------------------------------------------------- the rules


def check_warmup(plan: Plan) -> list[Violation]:
    """Every session opens with 5-10 min of light cardio, then dynamic stretches for the upper
    back and shoulders and mobility for the thoracic spine and shoulders, then ramp sets at
    about 40, 60 and 80% of the working load for its first lifts (ramped_lifts)."""
    out: list[Violation] = []
    for week in plan.weeks:
        for s in week.sessions:
            where = place(week, s)
            out += [Violation("warmup", where, m) for m in _warmup_faults(s)]
            out += _check_ramps(s, where)
    return out


def _warmup_faults(s: Session) -> list[str]:
    items = list(s.warmup)
    kinds = [w.kind for w in items]
    bad = []
    if not items or kinds[0] != "cardio":
        bad.append("the warm-up does not open with light cardio")
    lo, hi = CARDIO_MINUTES
    if not any(w.kind == "cardio" and lo <= (w.minutes or 0) <= hi for w in items):
        bad.append(f"no light cardio of {lo:g}-{hi:g} minutes")
    dyn = [w.name.lower() for w in items if w.kind == "dynamic" and (w.minutes or 0) > 0]
    if not any("upper back" in n and "shoulder" in n for n in dyn):
        bad.append("no dynamic stretches for the upper back and shoulders")
    mob = [w.name.lower() for w in items if w.kind == "mobility" and (w.minutes or 0) > 0]
    if not any("thoracic" in n and "shoulder" in n for n in mob):
        bad.append("no mobility for the thoracic spine and shoulders")
    if "ramp" in kinds and any(k != "ramp" for k in kinds[kinds.index("ramp") :]):
        bad.append("ramp sets must come last, after cardio, stretches and mobility")
    return bad


def _check_ramps(s: Session, where: str) -> list[Violation]:
    out: list[Violation] = []
    loads = {e.name: e.load_kg for e in s.exercises}
    ramps = [(w.ramp, w.sets) for w in s.warmup if w.kind == "ramp"]
    for name in ramped_lifts(s):
        mine = [(r, n) for r, n in ramps if r is not None and r[0] == name]
        got = sorted(r[1] for r, _ in mine)
        if len(got) != len(RAMP_PERCENTS) or any(
            abs(g - p) > RAMP_TOLERANCE_PCT for g, p in zip(got, RAMP_PERCENTS, strict=True)
        ):
            out.append(Violation("warmup", where, f"{name}: ramp sets at {got}, want ~40/60/80%"))
            continue
        work = loads[name]
        for (_, pct, reps, load), n in mine:
            if not n or n < 1 or reps < 1:
                out.append(Violation("warmup", where, f"{name}: empty ramp set at {pct}%"))
            if work is None:
                if load is not None:
                    out.append(Violation("warmup", where, f"{name}: ramp load but no working load"))
                continue
            if load is None:
                out.append(Violation("warmup", where, f"{name}: ramp set {pct}% without a load"))
                continue
            slack = max(RAMP_TOLERANCE_KG, RAMP_TOLERANCE_PCT / 100 * work)
            if abs(load - pct / 100 * work) > slack or load >= work:
                out.append(
                    Violation(
                        "warmup", where, f"{name}: ramp {load:g} kg is not {pct}% of {work:g}"
                    )
                )
    return out


def check_balance(plan: Plan) -> list[Violation]:
    """Each week: horizontal pull sets >= horizontal push sets, and vertical likewise."""
    out = []
    for week in plan.weeks:
        sets = {p: 0 for p in PATTERNS}
        for s in week.sessions:
            for e in s.exercises:
                sets[e.pattern] = sets.get(e.pattern, 0) + e.sets
        for push, pull in PLANES:
            if sets[pull] < sets[push]:
                out.append(
                    Violation(
                        "balance", place(week), f"{sets[push]} {push} sets > {sets[pull]} {pull}"
                    )
                )
    return out


def _accessory_kind(name: str) -> str | None:
    key = load_catalog().key_of(name) or ""
    for kind, prefixes in ACCESSORY_KINDS.items():
        if key.startswith(prefixes):
            return kind
    return None


def check_accessories(plan: Plan) -> list[Violation]:
    """When the plan addresses imbalance, every week has face pulls, rear-delt work and band
    pull-aparts."""
    if "imbalance" not in plan.addresses:
        return []
    out = []
    for week in plan.weeks:
        found = {_accessory_kind(e.name) for s in week.sessions for e in s.exercises}
        for kind in ACCESSORY_KINDS:
            if kind not in found:
                out.append(Violation("accessories", place(week), f"no {kind} this week"))
    return out


def check_rest(plan: Plan) -> list[Violation]:
    """At least 2 rest days a week; `rest_days` lists exactly the week's days without a
    session; sessions lie inside their week, one a day, in date order."""
    out = []
    for week in plan.weeks:
        where = place(week)
        first = plan.start + timedelta(days=7 * (week.week - 1))
        days = {first + timedelta(days=i) for i in range(7)}
        trained = [s.date for s in week.sessions]
        if trained != sorted(set(trained)):
            out.append(Violation("rest", where, "sessions are not one a day in date order"))
        if not set(trained) <= days:
            out.append(Violation("rest", where, "a session lies outside its week"))
        if 7 - len(set(trained)) < MIN_REST_DAYS:
            out.append(Violation("rest", where, f"{7 - len(set(trained))} rest days, want >= 2"))
        if sorted(week.rest_days) != sorted(days - set(trained)):
            out.append(Violation("rest", where, "rest_days are not the days without a session"))
    return out


def check_spacing(plan: Plan, *, last_upper_back: date | None = None) -> list[Violation]:
    """At least 48 h (2 calendar days) between sessions that train the same muscle region
    hard (measure.session_muscle_load: every region, not only the upper back; across week
    boundaries too), and from the last logged upper-back day (`last_upper_back`) to the
    plan's sessions that train the upper back (those on or after that day)."""
    out = []
    last: dict[str, Session] = {}
    for week in plan.weeks:
        for s in week.sessions:
            logged = last_upper_back
            trains = any(v >= REGION_LOAD_MIN for v in session_region_load(s).values())
            if logged is not None and trains and 0 <= (s.date - logged).days < MIN_GAP_DAYS:
                out.append(
                    Violation(
                        "spacing",
                        place(week, s),
                        f"upper back trained {logged.isoformat()} (your log) and "
                        f"{s.date.isoformat()}: less than 48 h apart",
                    )
                )
            for region, load in session_muscle_load(s).items():
                if load < REGION_LOAD_MIN:
                    continue
                before = last.get(region)
                if before is not None and (s.date - before.date).days < MIN_GAP_DAYS:
                    out.append(
                        Violation(
                            "spacing",
                            place(week, s),
                            f"{region} trained {before.date.isoformat()} and "
                            f"{s.date.isoformat()}: less than 48 h apart",
                        )
                    )
                last[region] = s
    return out


def check_sets(plan: Plan) -> list[Violation]:
    """Main lifts get the working sets, accessories fewer (measure.is_main_lift): in every
    session each main lift has MAIN_SETS (3-5) working sets (2-5 in a deload or reduced
    week), and each accessory at most ACCESSORY_MAX (3) and never more than the session's
    main lift with the fewest sets. Cardio and mobility (activation) are not counted."""
    out = []
    lo_main, hi_main = MAIN_SETS
    for week in plan.weeks:
        low = LIGHT_MAIN_MIN if week.kind in LIGHT_WEEKS else lo_main
        for s in week.sessions:
            where = place(week, s)
            work = [e for e in s.exercises if e.pattern not in ("cardio", "mobility")]
            mains = [e for e in work if is_main_lift(e.name, e.pattern)]
            for e in mains:
                if not low <= e.sets <= hi_main:
                    out.append(
                        Violation(
                            "sets",
                            where,
                            f"{e.name}: {e.sets} sets, a main lift wants {low}-{hi_main}",
                        )
                    )
            fewest = min((e.sets for e in mains), default=ACCESSORY_MAX)
            for e in work:
                if e in mains:
                    continue
                if e.sets > min(ACCESSORY_MAX, fewest):
                    out.append(
                        Violation(
                            "sets",
                            where,
                            f"{e.name}: {e.sets} sets of an accessory, "
                            f"more than {min(ACCESSORY_MAX, fewest)}",
                        )
                    )
    return out


def check_recovery(plan: Plan) -> list[Violation]:
    """A sleep target (>= 7 h) for every night of every week; when the plan addresses
    recovery, foam rolling, stretching and yoga slots every week. Kinds are model
    RECOVERY_KINDS, minutes > 0, dates inside the week."""
    out = []
    for week in plan.weeks:
        where = place(week)
        first = plan.start + timedelta(days=7 * (week.week - 1))
        days = [first + timedelta(days=i) for i in range(7)]
        for r in week.recovery:
            if r.kind not in RECOVERY_KINDS or r.minutes <= 0 or r.date not in days:
                out.append(Violation("recovery", where, f"bad recovery slot {r}"))
        slept = {
            r.date for r in week.recovery if r.kind == "sleep" and r.minutes >= MIN_SLEEP_MINUTES
        }
        if set(days) - slept:
            out.append(Violation("recovery", where, "a night without a sleep target of 7+ h"))
        if "recovery" in plan.addresses:
            kinds = {r.kind for r in week.recovery}
            for kind in RECOVERY_PRACTICES:
                if kind not in kinds:
                    out.append(Violation("recovery", where, f"no {kind} slot this week"))
    return out


def check_cues(plan: Plan, limits: Limits) -> list[Violation]:
    """Every exercise whose pattern a stored form check concerns carries that check's cues."""
    out = []
    for week in plan.weeks:
        for s in week.sessions:
            for e in s.exercises:
                for cue in limits.cues.get(e.pattern, ()):
                    if cue not in (e.note or ""):
                        out.append(
                            Violation("cues", place(week, s), f"{e.name} lacks the cue {cue!r}")
                        )
    return out


def check_loads(plan: Plan, limits: Limits) -> list[Violation]:
    """No load above the athlete's heaviest working load of the last 8 weeks of training for
    that exercise (times limits.load_scale: lighter after a break); an exercise they have
    never loaded has no load."""
    out = []
    for week in plan.weeks:
        for s in week.sessions:
            where = place(week, s)
            for e in s.exercises:
                if e.load_kg is None:
                    continue
                top = limits.max_loads.get(e.name)
                if top is None:
                    out.append(Violation("loads", where, f"{e.name}: a load without history"))
                    continue
                top = top * limits.load_scale
                if e.load_kg > top + 1e-9 or e.load_kg <= 0:
                    out.append(
                        Violation("loads", where, f"{e.name}: {e.load_kg:g} kg > {top:g} kg")
                    )
    return out


def check_pain(plan: Plan, limits: Limits) -> list[Violation]:
    """Pain >= 7 in the last week: week 1 is a reduced week and the plan says when to see a
    professional."""
    if not limits.severe_pain or plan.withheld:
        return []
    out = []
    if not plan.weeks or plan.weeks[0].kind != "reduced":
        out.append(Violation("pain", "week 1", "pain >= 7 last week but week 1 is not reduced"))
    if not any(SEE_A_PROFESSIONAL in n for n in plan.notes):
        out.append(Violation("pain", "notes", "no advice on when to see a professional"))
    return out


def check_shape(plan: Plan) -> list[Violation]:
    """Weeks numbered 1..n; sessions have exercises with CONTRACT patterns, sets and reps >= 1;
    exercise names are catalog exercises; a withheld plan plans nothing."""
    if plan.withheld:
        if plan.weeks or plan.addresses:
            return [Violation("shape", "plan", "a withheld plan must have no weeks or addresses")]
        return []
    out = []
    if [w.week for w in plan.weeks] != list(range(1, len(plan.weeks) + 1)):
        out.append(Violation("shape", "plan", "weeks are not numbered 1..n"))
    for week in plan.weeks:
        for s in week.sessions:
            where = place(week, s)
            if not s.exercises:
                out.append(Violation("shape", where, "a session without exercises"))
            for e in s.exercises:
                if e.pattern not in PATTERNS:
                    out.append(Violation("shape", where, f"{e.name}: pattern {e.pattern!r}"))
                if e.sets < 1 or e.reps < 1:
                    out.append(Violation("shape", where, f"{e.name}: {e.sets} x {e.reps}"))
                if load_catalog().lookup(e.name) is None:
                    out.append(Violation("shape", where, f"{e.name}: not a catalog exercise"))
    return out


def check_plan(plan: Plan, limits: Limits) -> list[Violation]:
    """Every rule at once; an empty list means the plan keeps them all."""
    checks: Iterable[list[Violation]] = (
        check_shape(plan),
        check_warmup(plan),
        check_balance(plan),
        check_accessories(plan),
        check_volume(plan, limits),
        check_rest(plan),
        check_spacing(plan, last_upper_back=limits.last_upper_back),
        check_sets(plan),
        check_recovery(plan),
        check_cues(plan, limits),
        check_loads(plan, limits),
        check_pain(plan, limits),
    )
    return [v for group in checks for v in group]


__all__ = [
    "FLOOR_SETS",
    "FLOOR_UPPER_BACK_SETS",
    "Limits",
    "Violation",
    "check_plan",
    "check_volume",
    "is_main_lift",
    "lifts",
    "ramped_lifts",
    "rise_limit",
    "session_muscle_load",
    "session_region_load",
    "trains_upper_back",
    "week_volume",
]
