"""From an athlete's data and their `why` report to a Plan (pure: no store, no clock).

1. Red flags withhold the plan (`withheld` says why; nothing else is planned).
2. `addresses`: the causes the report rates likely or possible, most likely first.
3. Days: the athlete's weekday habit over their last 8 weeks of training, capped at 5 days
   (>= 2 rest days), upper-back sessions >= 48 h apart (plan.schedule), the first one also
   >= 48 h after the last upper-back day in the log.
4. Exercises and base weekly sets: plan.slots (their own exercises by pattern, pulls added
   where missing, upper-back accessories for imbalance; pressing cut to the pulling level).
5. Volume by week: week 1 at the chronic level (after a spike: the pre-spike level; a
   reduced half week when pain reached 7/10 in the last 7 days); then about +10% a week
   (pulling first), up to 1.3x the start; every 4th week a deload at ~65%.
   Each week is then made one a coach would sign (plan.slots.consolidate): main lifts 3-5
   sets in each session they are in, accessories fewer; a lift with few weekly sets comes
   in fewer sessions, never as one set in each.
6. Loads: from the athlete's e1RM at 2 reps in reserve (3 in a deload, 4 in the reduced
   week), never above their heaviest working load of the last 8 weeks (plan.basis).
7. Warm-up, cool-down, recovery slots, posture cues and notes (plan.content).
The finished plan is checked against every rule (plan.rules); a broken rule raises
PlanRuleError: it is a bug in the builder, never a plan to hand out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from backcheck.analysis.context import AthleteData
from backcheck.errors import UsageError
from backcheck.plan import content, detraining, schedule
from backcheck.plan.basis import Basis, basis_of, planned_load
from backcheck.plan.model import Item, Plan, Session, Week
from backcheck.plan.rules import (
    FLOOR_SETS,
    FLOOR_UPPER_BACK_SETS,
    Limits,
    Violation,
    check_plan,
    rise_limit,
)
from backcheck.plan.slots import (
    ACTIVATION_SETS,
    Alloc,
    Slot,
    cap_per_session,
    choose_slots,
    consolidate,
    grow,
    has_b_work,
    prune,
    scaled,
    session_bounds,
    totals,
    trim,
)
from backcheck.why import WhyReport

MAX_WEEKS: Final = 16
ADDRESSED: Final = ("likely", "possible")
GROWTH_CAP: Final = 1.3
DELOAD: Final = 0.65
REDUCED: Final = 0.5
RETURN_AFTER_BREAK: Final = detraining.RETURN_VOLUME  # start volume after a break
BREAK_DAYS: Final = detraining.BREAK_DAYS
RIR: Final = {"build": 2.0, "deload": 3.0, "reduced": 4.0}
ACCESSORY_RIR: Final = 3.0
NOT_ASKED: Final = (
    "The red-flag questions have not been answered: run `backcheck triage` before you start "
    "(some upper-back pain needs a doctor, not a training change)."
)


class PlanRuleError(AssertionError):
    """The builder made a plan that breaks one of its own rules (a bug)."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        super().__init__("plan breaks its rules:\n" + "\n".join(map(str, violations)))


def limits_of(basis: Basis, *, addresses: Sequence[str]) -> Limits:
    """The Limits a plan built from `basis` must keep."""
    return Limits(
        chronic_total=basis.chronic_total,
        chronic_upper_back=basis.chronic_upper_back,
        pre_spike_total=basis.pre_spike_total,
        pre_spike_upper_back=basis.pre_spike_upper_back,
        spike=basis.spike or "overexertion" in addresses,
        max_loads=basis.max_loads,
        cues=content.form_cues(basis.videos),
        severe_pain=basis.severe_pain,
        last_upper_back=basis.last_upper_back,
        load_scale=detraining.load_factor(basis.break_days),
    )


def withheld_plan(report: WhyReport, *, start: date) -> Plan:
    """The plan given when red flags are found: no weeks, and why."""
    flags = report.red_flags
    reasons = "; ".join(flags.reasons) or "red flags were found"
    what = "Call your emergency number now" if flags.level == "emergency" else "See a doctor"
    text = (
        f"Red flags ({flags.level}): {reasons}. {what}; no training plan is given until a "
        "professional has checked you and says training is safe."
    )
    return Plan(
        athlete=report.athlete,
        start=start,
        as_of=report.as_of,
        weeks=(),
        addresses=(),
        withheld=text,
        notes=tuple(flags.actions),
        red_flags=flags,
    )


def _days(basis: Basis, *, start_total: float, b_work: bool, start: date) -> list[tuple[int, str]]:
    n = round(basis.days_per_week) if basis.reference else 3
    n = max(1, min(schedule.MAX_SESSIONS, n))
    if basis.reference:  # a session holds at least FLOOR_SETS: fewer days when volume is tiny
        n = min(n, max(1, math.floor(start_total / FLOOR_SETS)))
    n_a, n_b = schedule.split(n, has_b_work=b_work)
    counts = basis.weekday_counts if any(basis.weekday_counts) else (1, 0, 1, 0, 1, 0, 0)
    # No upper-back session within 48 h of the last one logged: those weekdays of the first
    # week hold no A session (the weekly pattern keeps them free every week).
    blocked = frozenset(
        day.weekday()
        for day in schedule.week_dates(start, 1)
        if basis.last_upper_back is not None
        and 0 <= (day - basis.last_upper_back).days < schedule.MIN_GAP_DAYS
    )
    return schedule.choose_days(counts, n_a=n_a, n_b=n_b, no_a=blocked)


def _week_kinds(weeks: int, *, reduced: bool) -> list[str]:
    kinds = ["deload" if w % 4 == 0 else "build" for w in range(1, weeks + 1)]
    if reduced:
        kinds[0] = "reduced"
    return kinds


def allocate(
    slots: list[Slot],
    kinds: Sequence[str],
    *,
    limits: Limits,
    hosts: dict[str, int],
    after_break: bool,
) -> list[Alloc]:
    """Weekly working sets per slot for each week kind (see the module docstring)."""
    floor_t = FLOOR_SETS * sum(hosts.values())
    floor_u = FLOOR_UPPER_BACK_SETS * hosts.get("A", 0)
    chronic = (
        (limits.pre_spike_total, limits.pre_spike_upper_back)
        if limits.spike
        else (limits.chronic_total, limits.chronic_upper_back)
    )
    first_t = math.floor(max(chronic[0], floor_t) + 1e-9)
    first_u = math.floor(max(chronic[1], floor_u) + 1e-9)
    if after_break:  # back after a break: start lower, but not below the restart floors
        first_t = max(math.floor(first_t * RETURN_AFTER_BREAK), floor_t)
        first_u = max(math.floor(first_u * RETURN_AFTER_BREAK), floor_u)
    base = [s.sets for s in slots]
    cap_per_session(slots, base, hosts)
    prune(slots, base, total=first_t, upper_back=first_u)
    trim(slots, base, total=first_t, upper_back=first_u)
    consolidate(slots, base, total=first_t, upper_back=first_u, hosts=hosts, light=False)
    cap_t, cap_u = math.floor(GROWTH_CAP * first_t), math.floor(GROWTH_CAP * first_u)
    out: list[Alloc] = []
    normal: Alloc | None = None
    for kind in kinds:
        if kind in ("reduced", "deload"):
            factor = REDUCED if kind == "reduced" else DELOAD
            ref = base if kind == "reduced" or normal is None else normal
            t, u = totals(slots, ref)
            alloc = scaled(slots, ref, factor)
            cap_t1, cap_u1 = math.floor(factor * t), math.floor(factor * u)
            trim(slots, alloc, total=cap_t1, upper_back=cap_u1)
            consolidate(slots, alloc, total=cap_t1, upper_back=cap_u1, hosts=hosts, light=True)
        elif normal is None:
            alloc = list(base)
            normal = alloc
        else:
            t, u = totals(slots, normal)
            alloc = list(normal)
            cap_t1, cap_u1 = min(rise_limit(t), max(cap_t, t)), min(rise_limit(u), max(cap_u, u))
            grow(slots, alloc, total=cap_t1, upper_back=cap_u1, hosts=hosts)
            consolidate(slots, alloc, total=cap_t1, upper_back=cap_u1, hosts=hosts, light=False)
            normal = alloc
        out.append(alloc)
    return out


def _spread(total: int, sizes: list[int], *, bounds: tuple[int, int] = (1, 1)) -> list[int]:
    """`total` sets over sessions whose current sizes are `sizes`: in as many sessions as
    hold at least `bounds[0]` sets each (never more than `bounds[1]` in one, as far as
    `total` allows), as evenly as possible, the lightest sessions first."""
    count = len(sizes)
    if total <= 0 or count == 0:
        return [0] * count
    fewest, most = max(2, bounds[0]), bounds[1]  # two sets at least, where there are two
    k = max(1, min(count, total // max(1, fewest)))
    k = max(k, min(count, -(-total // max(1, most))))
    lightest = sorted(range(count), key=lambda i: (sizes[i], i))[:k]
    out = [0] * count
    for j, i in enumerate(lightest):
        out[i] = total // k + (1 if j < total % k else 0)
    return out


def _focus(kind: str, *, host: str, n_b: int, has_lower: bool, imbalance: bool) -> str:
    if host == "B":
        text = "Legs and core"
    elif n_b == 0 and has_lower:
        text = "Full body, pulling first"
    else:
        text = "Upper body, pulling first"
    if imbalance and host == "A":
        text += " (rebalance push and pull)"
    prefix = {"deload": "Deload: ", "reduced": "Reduced: "}.get(kind, "")
    return prefix + text


def _item(
    slot: Slot, sets: int, *, kind: str, cues: Mapping[str, Sequence[str]], scale: float = 1.0
) -> Item:
    rir = max(RIR[kind], ACCESSORY_RIR) if slot.role == "accessory" else RIR[kind]
    load = planned_load(slot.stats, reps=slot.reps, rir=rir, scale=scale) if slot.stats else None
    notes: list[str] = []
    if slot.role == "activation":
        notes.append("Activation: a light band, straight arms, squeeze the shoulder blades.")
    if slot.role == "accessory":
        notes.append("Upper-back accessory: light and slow, squeeze the shoulder blades.")
    if slot.stats is None and slot.role != "activation":
        notes.append("New for you: pick a load you could lift about 15 times.")
    elif load is None and slot.role != "activation":
        notes.append("Bodyweight: use band assistance or an easier variant when needed.")
    if slot.role != "activation":
        notes.append(f"Stop about {rir:g} reps short of failure.")
    if kind == "reduced":
        notes.append("Reduced week: stop if it brings the pain on.")
    notes += cues.get(slot.pattern, [])
    return Item(slot.name, slot.pattern, sets, slot.reps, load, " ".join(notes) or None)


def _sessions(
    slots: list[Slot],
    alloc: Alloc,
    dates: list[tuple[date, str]],
    *,
    kind: str,
    basis: Basis,
    addresses: Sequence[str],
    cues: Mapping[str, Sequence[str]],
    n_b: int,
    scale: float = 1.0,
) -> list[Session]:
    per: dict[date, list[tuple[float, Item]]] = {d: [] for d, _ in dates}
    for slot, weekly in zip(slots, alloc, strict=True):
        hosts = [d for d, h in dates if h == slot.host]
        if slot.role == "activation":
            for d in hosts:
                item = _item(slot, ACTIVATION_SETS, kind=kind, cues=cues, scale=scale)
                per[d].append((slot.order, item))
            continue
        sizes = [sum(i.sets for _, i in per[d] if i.pattern != "mobility") for d in hosts]
        bounds = session_bounds(slot, light=kind != "build")
        for d, n in zip(hosts, _spread(weekly, sizes, bounds=bounds), strict=True):
            if n:
                per[d].append((slot.order, _item(slot, n, kind=kind, cues=cues, scale=scale)))
    has_lower = any(s.host == "A" and s.pattern in ("squat", "hinge", "lunge") for s in slots)
    out = []
    for d, host in dates:
        items = tuple(i for _, i in sorted(per[d], key=lambda p: p[0]))
        if not any(i.pattern not in ("cardio", "mobility") for i in items):
            continue
        focus = _focus(
            kind, host=host, n_b=n_b, has_lower=has_lower, imbalance="imbalance" in addresses
        )
        draft = Session(d, focus, (), items)
        warm = content.general_warmup(basis, addresses=addresses) + content.ramps(draft)
        out.append(
            Session(d, focus, tuple(warm), items, tuple(content.cooldown(addresses=addresses)))
        )
    return out


def build_plan(data: AthleteData, report: WhyReport, *, weeks: int, start: date) -> Plan:
    """The corrective plan for `data` and its report, `weeks` weeks (1-16) from `start`.

    Pure and deterministic. The break before the plan (and so how much lighter it starts:
    plan.detraining) is counted from the last logged training day to `start`, not to the
    analysis day. Raises UsageError("weeks") outside 1-16 and PlanRuleError if the result
    broke a rule (a bug).
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise UsageError("weeks", f"must be 1-{MAX_WEEKS}, got {weeks}")
    if report.has_red_flags:
        return withheld_plan(report, start=start)
    addresses = tuple(c.cause for c in report.causes if c.level in ADDRESSED)
    basis = basis_of(data, start=start)
    limits = limits_of(basis, addresses=addresses)
    start_total = limits.pre_spike_total if limits.spike else limits.chronic_total
    b_work = has_b_work(basis)
    days = _days(basis, start_total=start_total, b_work=b_work, start=start)
    n_a = sum(1 for _, k in days if k == "A")
    n_b = len(days) - n_a
    slots = choose_slots(basis, imbalance="imbalance" in addresses, n_a=n_a, b_days=n_b > 0)
    kinds = _week_kinds(weeks, reduced=basis.severe_pain)
    hosts = {"A": n_a, "B": n_b}
    allocs = allocate(
        slots,
        kinds,
        limits=limits,
        hosts=hosts,
        after_break=detraining.after_break(basis.break_days),
    )
    out_weeks = []
    for w, (kind, alloc) in enumerate(zip(kinds, allocs, strict=True), start=1):
        dates = schedule.session_dates(start, w, days)
        sessions = _sessions(
            slots,
            alloc,
            dates,
            kind=kind,
            basis=basis,
            addresses=addresses,
            cues=limits.cues,
            n_b=n_b,
            scale=limits.load_scale,
        )
        all_days = schedule.week_dates(start, w)
        trained = {s.date for s in sessions}
        rest = [d for d in all_days if d not in trained]
        a_days = [d for d, h in dates if h == "A" and d in trained]
        recovery = content.recovery_slots(all_days, rest=rest, a_days=a_days, addresses=addresses)
        out_weeks.append(Week(w, kind, tuple(sessions), tuple(rest), tuple(recovery)))
    notes = content.plan_notes(
        basis, addresses=addresses, spike=limits.spike, cues=limits.cues, days=len(days)
    )
    if report.red_flags.level == "not-asked":
        notes.insert(0, NOT_ASKED)
    plan = Plan(
        athlete=data.athlete,
        start=start,
        as_of=data.as_of,
        weeks=tuple(out_weeks),
        addresses=addresses,
        notes=tuple(notes),
        basis=basis.to_json(),
        red_flags=report.red_flags,
    )
    broken = check_plan(plan, limits)
    if broken:
        raise PlanRuleError(broken)
    return plan


def default_start(as_of: date) -> date:
    """The first Monday after `as_of`."""
    return schedule.next_monday(as_of)


__all__ = ["PlanRuleError", "build_plan", "default_start", "limits_of"]
