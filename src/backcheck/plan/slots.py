"""The plan's exercises ("slots") and how many working sets each gets in a week.

Exercises: the athlete's most used exercises per (pattern, session kind) group of the
reference period (PER_GROUP at most), sharing the whole group's weekly sets; a horizontal (vertical) pull
from the catalog where they press but never pull in that plane; and, when the plan
addresses imbalance, face pulls, rear-delt flyes and band pull-aparts.

Sets per week are whole numbers per slot. Every change keeps pull >= push in each plane:
pressing is cut to the pulling level (pulling itself only grows ~10% a week, since a jump in
rows is a load spike of its own), growth adds pulling first, and trimming takes pressing
first. Band pull-aparts are activation (mobility): 2 x 15 in every A session, never counted
as volume.

Main lifts and accessories (plan.measure.is_main_lift; the rule is plan.rules.check_sets): a
main lift that is planned at all gets MAIN_SETS (3-5) working sets in each session it is in
(2 in a light week), an accessory at most ACCESSORY_MAX (3; 2 in a light week). `consolidate`
makes a week's sets fit that: a main lift short of its sets is raised when the week's limits
allow it, else left out that week (its sets go to the other lifts).

Hosts: the upper-back and upper-body exercises go to "A" sessions; legs and core work to "B"
sessions only when none of its hard muscle regions (plan.measure.hard_regions) is also worked
in the A sessions (`b_keys`): an A day and a B day may be back to back, so they must not share
a muscle group (a deadlift, which loads the upper traps, keeps the legs on A days).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from backcheck.catalog import load_catalog
from backcheck.plan.basis import NOT_VOLUME, Basis, ExerciseStats, loads_upper_back
from backcheck.plan.measure import hard_regions, is_main_lift
from backcheck.plan.rules import ACCESSORY_MAX, LIGHT_MAIN_MIN, MAIN_SETS

PUSH_PULL: Final = {
    "horizontal-push": ("h", "push"),
    "horizontal-pull": ("h", "pull"),
    "vertical-push": ("v", "push"),
    "vertical-pull": ("v", "pull"),
}
#: Catalog exercises the plan adds where the athlete has none of their own.
DEFAULT_PULL: Final = {"h": "seated-row-cable", "v": "lat-pulldown-cable"}
FACE_PULL: Final = "face-pull-cable"
REAR_DELT: Final = "reverse-fly-dumbbell"
PULL_APART: Final = "band-pull-apart"
#: An athlete with no mapped lifts at all starts from these (bodyweight or light loads).
STARTER: Final = ("push-up", "seated-row-cable", "goblet-squat", "dead-bug")
#: Order within a session (pull first), accessories after the main lifts.
ORDER: Final = {
    "horizontal-pull": 0,
    "horizontal-push": 1,
    "vertical-pull": 2,
    "vertical-push": 3,
    "squat": 4,
    "hinge": 5,
    "lunge": 6,
    "carry": 7,
    "isolation": 9,
    "core": 10,
}
MAX_SETS_PER_SESSION: Final = MAIN_SETS[1]
#: Exercises kept per (pattern, session kind) group: the most used, and the next one when it
#: holds at least SECOND of the group's sets; the group's weekly sets are shared between them.
PER_GROUP: Final = 2
SECOND: Final = 0.25
ACTIVATION_SETS: Final = 2


@dataclass(frozen=True, slots=True)
class Slot:
    """One exercise of the weekly plan.

    host: "A" (upper-back sessions) or "B" (legs and core days); role: "main", "accessory"
    or "activation" (not volume); stats: the athlete's history of it (None: new to them);
    sets: base weekly working sets; order: position within a session.
    """

    key: str
    name: str
    pattern: str
    host: str
    upper_back: bool
    role: str
    reps: int
    stats: ExerciseStats | None
    sets: int
    order: float

    @property
    def counted(self) -> bool:
        return self.role != "activation" and self.pattern not in NOT_VOLUME

    @property
    def main(self) -> bool:
        """A main lift (plan.measure.is_main_lift), not an accessory or activation."""
        return self.role == "main" and is_main_lift(self.name, self.pattern)

    @property
    def side(self) -> tuple[str, str] | None:
        """(plane, "push" | "pull") for push/pull patterns, else None."""
        return PUSH_PULL.get(self.pattern)


Alloc = list[int]  # weekly working sets per slot, aligned with the slot list


def session_bounds(slot: Slot, *, light: bool) -> tuple[int, int]:
    """(fewest, most) working sets of `slot` in one session it is in: a main lift 3-5 (2-5 in
    a light week), an accessory 1-3 (1-2 in a light week; plan.rules.check_sets)."""
    if slot.main:
        return (LIGHT_MAIN_MIN if light else MAIN_SETS[0]), MAIN_SETS[1]
    return 1, (LIGHT_MAIN_MIN if light else ACCESSORY_MAX)


def weekly_cap(slot: Slot, hosts: dict[str, int], *, light: bool = False) -> int:
    """Most weekly working sets of `slot`: its per-session most times its sessions a week."""
    return session_bounds(slot, light=light)[1] * hosts.get(slot.host, 0)


def _slot(
    stats: ExerciseStats | None, key: str, *, host: str, role: str, sets: int, reps: int | None
) -> Slot:
    ex = load_catalog().get(key)
    name = stats.name if stats else ex.name
    if reps is None:
        reps = 12 if stats is None else stats.reps
        reps = max(5, min(20 if not (stats and stats.max_load) else 12, reps))
    order = float(ORDER.get(ex.pattern, 8)) if role == "main" else 8.0
    order += 0.5 if role == "activation" else 0.0
    return Slot(key, name, ex.pattern, host, loads_upper_back(key), role, reps, stats, sets, order)


def b_keys(basis: Basis) -> frozenset[str]:
    """Catalog keys of the athlete's exercises that may go to B sessions (module docstring)."""
    used = [e for e in basis.exercises if e.weekly_sets > 0 and e.pattern not in NOT_VOLUME]
    a_side = [e for e in used if e.upper_back or e.upper_body]
    rest = [e for e in used if not (e.upper_back or e.upper_body)]
    taken = {r for e in a_side for r in hard_regions(load_catalog().get(e.key).name)}
    moved = True
    while moved:  # whatever shares a muscle region with the A side joins it
        moved = False
        for e in list(rest):
            regions = set(hard_regions(load_catalog().get(e.key).name))
            if regions & taken:
                rest.remove(e)
                taken |= regions
                moved = True
    return frozenset(e.key for e in rest)


def has_b_work(basis: Basis) -> bool:
    """Whether the athlete logs legs or core work, with a main lift among it, that can go to
    B sessions (b_keys)."""
    keys = b_keys(basis)
    return any(
        e.key in keys and is_main_lift(load_catalog().get(e.key).name, e.pattern)
        for e in basis.exercises
    )


def _host(key: str, *, b: frozenset[str]) -> str:
    return "B" if key in b else "A"


def choose_slots(basis: Basis, *, imbalance: bool, n_a: int, b_days: bool) -> list[Slot]:
    """The plan's exercises with their base weekly sets (before limits; see module docstring)."""
    groups: dict[tuple[str, str], list[ExerciseStats]] = {}
    b = b_keys(basis) if b_days else frozenset()
    for e in basis.exercises:  # most used first
        if e.pattern not in NOT_VOLUME and e.weekly_sets > 0:
            groups.setdefault((e.pattern, _host(e.key, b=b)), []).append(e)
    slots = []
    for (_, host), group in groups.items():
        members = sorted(group, key=lambda e: (-e.weekly_sets, -e.sets, e.name))
        weekly = sum(e.weekly_sets for e in members)
        kept = [
            e
            for i, e in enumerate(members[:PER_GROUP])
            if i == 0 or e.weekly_sets >= SECOND * weekly
        ]
        share = sum(e.weekly_sets for e in kept)
        for e in kept:
            sets = max(1, round(weekly * e.weekly_sets / share))
            slots.append(_slot(e, e.key, host=host, role="main", sets=sets, reps=None))
    if not slots:
        for key in STARTER:
            slots.append(_slot(None, key, host="A", role="main", sets=2 * max(1, n_a), reps=12))
    by_key = {e.key: e for e in basis.exercises}
    for plane in ("h", "v"):
        push = sum(s.sets for s in slots if s.side == (plane, "push"))
        pulls = [s for s in slots if s.side == (plane, "pull")]
        if push and not pulls:
            own = [e for e in basis.exercises if PUSH_PULL.get(e.pattern) == (plane, "pull")]
            key = own[0].key if own else DEFAULT_PULL[plane]
            pulls = [_slot(by_key.get(key), key, host="A", role="main", sets=0, reps=None)]
            slots.append(pulls[0])
        if push and pulls:
            main = max(pulls, key=lambda s: s.sets)
            need = min(push, 2 * max(1, n_a))
            if main.sets < need:
                slots[slots.index(main)] = replace(main, sets=need)
    if imbalance:
        have = {s.key: i for i, s in enumerate(slots)}
        for key, prefix, per in ((FACE_PULL, "face-pull", 2), (REAR_DELT, "reverse-fly", 1)):
            own = [e for e in basis.exercises if e.key.startswith(prefix)]
            pick = own[0].key if own else key
            sets = per * max(1, n_a)
            if pick in have:  # already one of their main lifts: now an accessory (kept)
                old = slots[have[pick]]
                slots[have[pick]] = replace(
                    old, role="accessory", order=8.0, sets=max(old.sets, sets)
                )
            else:
                slots.append(
                    _slot(by_key.get(pick), pick, host="A", role="accessory", sets=sets, reps=15)
                )
        slots.append(_slot(None, PULL_APART, host="A", role="activation", sets=0, reps=15))
    base = [s.sets for s in slots]
    rebalance(slots, base)
    return [replace(s, sets=n) for s, n in zip(slots, base, strict=True)]


def totals(slots: list[Slot], alloc: Alloc) -> tuple[int, int]:
    """(working sets, upper-back working sets) of an allocation."""
    t = sum(n for s, n in zip(slots, alloc, strict=True) if s.counted)
    u = sum(n for s, n in zip(slots, alloc, strict=True) if s.counted and s.upper_back)
    return t, u


def _plane(slots: list[Slot], alloc: Alloc, plane: str, side: str) -> int:
    return sum(n for s, n in zip(slots, alloc, strict=True) if s.side == (plane, side))


def rebalance(slots: list[Slot], alloc: Alloc) -> None:
    """Cut pressing (most sets first) until pull >= push in both planes (in place)."""
    for plane in ("h", "v"):
        while _plane(slots, alloc, plane, "push") > _plane(slots, alloc, plane, "pull"):
            i = max(
                (i for i, s in enumerate(slots) if s.side == (plane, "push") and alloc[i] > 0),
                key=lambda i: alloc[i],
            )
            alloc[i] -= 1


def _rank(s: Slot) -> int:
    side = s.side[1] if s.side else None
    return 0 if side == "push" else 3 if side == "pull" else 2 if s.role == "accessory" else 1


def trim(slots: list[Slot], alloc: Alloc, *, total: int, upper_back: int) -> None:
    """Take sets away (in place) until the allocation fits both limits, keeping pull >= push:
    pressing first, then the slot with most sets; every exercise keeps one set while that
    suffices (accessories always do). Stops when nothing more can be taken."""
    for keep in (1, 0):
        while True:
            t, u = totals(slots, alloc)
            if t <= total and u <= upper_back:
                return
            need_ub = u > upper_back
            options = []
            for i, s in enumerate(slots):
                floor = max(keep, 1) if s.role == "accessory" else keep  # never dropped
                if not s.counted or alloc[i] <= floor or (need_ub and not s.upper_back):
                    continue
                if s.side and s.side[1] == "pull":
                    plane = s.side[0]
                    if _plane(slots, alloc, plane, "pull") - 1 < _plane(
                        slots, alloc, plane, "push"
                    ):
                        continue
                options.append((_rank(s), -alloc[i], s.order, i))
            if not options and need_ub:  # a pull held up by pressing: cut that pressing
                for i, s in enumerate(slots):
                    if s.side and s.side[1] == "push" and alloc[i] > keep:
                        options.append((0, -alloc[i], s.order, i))
            if not options:
                break
            alloc[min(options)[3]] -= 1


def grow(
    slots: list[Slot],
    alloc: Alloc,
    *,
    total: int,
    upper_back: int,
    hosts: dict[str, int],
    light: bool = False,
) -> None:
    """Add sets (in place) one at a time, pulling first, then accessories, pressing (only up
    to the pulling), the rest; up to the limits and each slot's weekly_cap."""
    order = sorted(
        (i for i, s in enumerate(slots) if s.counted and alloc[i] > 0),
        key=lambda i: ({3: 0, 2: 1, 0: 2, 1: 3}[_rank(slots[i])], slots[i].order),
    )
    progress = True
    while progress:
        progress = False
        for i in order:
            s = slots[i]
            t, u = totals(slots, alloc)
            if t + 1 > total or (s.upper_back and u + 1 > upper_back):
                continue
            if alloc[i] + 1 > weekly_cap(s, hosts, light=light):
                continue
            if s.side and s.side[1] == "push":
                plane = s.side[0]
                if _plane(slots, alloc, plane, "push") + 1 > _plane(slots, alloc, plane, "pull"):
                    continue
            alloc[i] += 1
            progress = True


def scaled(slots: list[Slot], alloc: Alloc, factor: float) -> Alloc:
    """Each slot's sets x factor, rounded, at least 1 where it had any; pull >= push kept."""
    out = [max(1, round(n * factor)) if n > 0 else 0 for n in alloc]
    rebalance(slots, out)
    return out


#: Which exercises give way first when the weekly sets are too few for all of them.
KEEP_FIRST: Final = (
    "horizontal-pull",
    "vertical-pull",
    "horizontal-push",
    "vertical-push",
    "squat",
    "hinge",
    "lunge",
    "core",
    "carry",
    "isolation",
)
MIN_SETS_PER_EXERCISE: Final = 2


def prune(slots: list[Slot], alloc: Alloc, *, total: int, upper_back: int) -> None:
    """Drop whole exercises (in place, sets to 0) while the weekly sets (`total`, and
    `upper_back` for the exercises that train the upper back) cannot give each remaining
    exercise its sets (a main lift MAIN_SETS[0], others MIN_SETS_PER_EXERCISE): isolation first, then core, lower body, pressing, pulling
    last; the less used of two exercises of a pattern first. Accessories stay; at least one
    main exercise stays. Pull >= push is kept (pressing goes before pulling)."""

    def importance(i: int) -> tuple[int, int]:
        s = slots[i]
        rank = KEEP_FIRST.index(s.pattern) if s.pattern in KEEP_FIRST else len(KEEP_FIRST)
        return (-rank, -i)

    def need(i: int) -> int:
        return MAIN_SETS[0] if slots[i].main else MIN_SETS_PER_EXERCISE

    while True:
        live = [i for i, s in enumerate(slots) if s.counted and alloc[i] > 0]
        mains = [i for i in live if slots[i].role == "main"]
        ub_live = [i for i in live if slots[i].upper_back]
        ub_mains = [i for i in mains if slots[i].upper_back]
        if total < sum(need(i) for i in live) and len(mains) > 1:
            alloc[min(mains, key=importance)] = 0
        elif upper_back < sum(need(i) for i in ub_live) and len(ub_mains) > 1:
            alloc[min(ub_mains, key=importance)] = 0
        else:
            return
        rebalance(slots, alloc)


def cap_per_session(slots: list[Slot], alloc: Alloc, hosts: dict[str, int]) -> None:
    """No slot above its weekly_cap (in place), pull >= push."""
    for i, s in enumerate(slots):
        alloc[i] = min(alloc[i], weekly_cap(s, hosts))
    rebalance(slots, alloc)


def consolidate(
    slots: list[Slot],
    alloc: Alloc,
    *,
    total: int,
    upper_back: int,
    hosts: dict[str, int],
    light: bool,
) -> None:
    """Make a week's allocation one a coach would sign (in place; module docstring): every
    slot at most its weekly_cap; a main lift with fewer sets than one session's worth is
    raised to it when the week's limits (`total`, `upper_back`) and pull >= push allow it,
    else left out this week, most important lifts first (KEEP_FIRST); the freed sets then
    go to the other lifts (grow)."""
    for i, s in enumerate(slots):
        alloc[i] = min(alloc[i], weekly_cap(s, hosts, light=light))
    rebalance(slots, alloc)

    def importance(i: int) -> tuple[int, int]:
        p = slots[i].pattern
        return (KEEP_FIRST.index(p) if p in KEEP_FIRST else len(KEEP_FIRST), i)

    while True:
        short = sorted(
            (
                i
                for i, s in enumerate(slots)
                if s.counted and s.main and 0 < alloc[i] < session_bounds(s, light=light)[0]
            ),
            key=importance,
        )
        if not short:
            break
        i, s = short[0], slots[short[0]]
        need = session_bounds(s, light=light)[0] - alloc[i]
        t, u = totals(slots, alloc)
        fits = t + need <= total and (not s.upper_back or u + need <= upper_back)
        if fits and s.side and s.side[1] == "push":
            plane = s.side[0]
            fits = _plane(slots, alloc, plane, "push") + need <= _plane(slots, alloc, plane, "pull")
        if not fits:  # make room: the main lift before the accessories' extra sets
            fits = _room_from_accessories(
                slots, alloc, i, need=need, total=total, upper_back=upper_back
            )
        if fits:
            alloc[i] += need
        else:
            alloc[i] = 0
        rebalance(slots, alloc)
    grow(slots, alloc, total=total, upper_back=upper_back, hosts=hosts, light=light)


def _room_from_accessories(
    slots: list[Slot], alloc: Alloc, i: int, *, need: int, total: int, upper_back: int
) -> bool:
    """Take accessory sets (down to one each for the upper-back accessories, else none) so
    that main lift `i` can get `need` more sets within `total` / `upper_back`; True (sets
    taken) when that makes room and keeps pull >= push, else False (nothing changed)."""
    s = slots[i]
    if s.side and s.side[1] == "push":
        plane = s.side[0]
        if _plane(slots, alloc, plane, "push") + need > _plane(slots, alloc, plane, "pull"):
            return False
    trial = list(alloc)
    donors = sorted(
        (j for j, d in enumerate(slots) if d.counted and not d.main and trial[j] > 0),
        key=lambda j: (-trial[j], slots[j].order),
    )
    for j in donors:
        while True:
            t, u = totals(slots, trial)
            over_t = t + need > total
            over_u = s.upper_back and u + need > upper_back
            if not (over_t or over_u):
                break
            d = slots[j]
            floor = 1 if d.role == "accessory" else 0
            if trial[j] <= floor or (over_u and not over_t and not d.upper_back):
                break
            if d.side and d.side[1] == "pull":
                plane = d.side[0]
                if _plane(slots, trial, plane, "pull") - 1 < _plane(slots, trial, plane, "push"):
                    break
            trial[j] -= 1
    t, u = totals(slots, trial)
    if t + need > total or (s.upper_back and u + need > upper_back):
        return False
    alloc[:] = trial
    return True
