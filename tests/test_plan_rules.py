"""The plan rules (backcheck.plan.rules) on hand-made plans: a plan that keeps every rule
passes, and breaking each rule is caught by that rule's check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from backcheck.plan.model import Item, Plan, Recovery, Session, WarmupItem, Week, parse_ramp
from backcheck.plan.rules import (
    SEE_A_PROFESSIONAL,
    Limits,
    Violation,
    check_plan,
    rise_limit,
    week_volume,
)

START = date(2026, 1, 5)  # a Monday
ROW, BENCH, SQUAT = "Seated Row (Cable)", "Bench Press (Barbell)", "Squat (Barbell)"
PULLDOWN, OHP, PUSHUP = "Lat Pulldown (Cable)", "Overhead Press (Barbell)", "Push Up"
MAX = {ROW: 55.0, BENCH: 62.5, SQUAT: 85.0, PULLDOWN: 50.0, OHP: 32.5}
# Hand count of the week below: 21 working sets; upper back (catalog weight >= 0.5 for an
# upper-back region): rows 3 + 3, pulldowns 3, overhead press 3 = 12.
LIMITS = Limits(
    chronic_total=20,
    chronic_upper_back=12,
    pre_spike_total=20,
    pre_spike_upper_back=12,
    spike=False,
    max_loads=MAX,
)

CARDIO = WarmupItem("Light cardio: bike, easy pace", minutes=8)
DYNAMIC = WarmupItem("Dynamic stretches for the upper back and shoulders: arm circles", minutes=3)
MOBILITY = WarmupItem("Mobility for the thoracic spine and shoulders: open books", minutes=3)


def ramp(name: str, pct: int, load: float | None) -> WarmupItem:
    tail = f"5 reps at {load:g} kg" if load is not None else "5 easy reps"
    return WarmupItem(f"Ramp set {pct}% of {name}: {tail}", sets=1)


def ramps(name: str, work: float | None) -> list[WarmupItem]:
    # 40, 60 and 80% worked out by hand for each working load used below.
    by_hand = {50.0: (20, 30, 40), 60.0: (24, 36, 48), 45.0: (18, 27, 36), 30.0: (12, 18, 24)}
    loads = by_hand[work] if work is not None else (None, None, None)
    return [ramp(name, p, x) for p, x in zip((40, 60, 80), loads, strict=True)]


def session(day: date, items: list[Item], ramped: list[str]) -> Session:
    loads = {i.name: i.load_kg for i in items}
    warm = [CARDIO, DYNAMIC, MOBILITY] + [w for n in ramped for w in ramps(n, loads[n])]
    cool = (WarmupItem("Stretches: chest, lats", minutes=5),)
    return Session(day, "Full body", tuple(warm), tuple(items), cool)


def week(n: int, *, rows: int = 0, bench: int = 0, kind: str = "build") -> Week:
    """Mon / Wed / Fri full-body week (21 sets); `rows` / `bench` add sets on Monday."""
    d = START + timedelta(days=7 * (n - 1))
    mon = session(
        d,
        [
            Item(ROW, "horizontal-pull", 3 + rows, 10, 50.0),
            Item(BENCH, "horizontal-push", 3 + bench, 8, 60.0),
            Item(SQUAT, "squat", 3, 5, 80.0),
        ],
        [ROW, BENCH],
    )
    wed = session(
        d + timedelta(days=2),
        [Item(PULLDOWN, "vertical-pull", 3, 10, 45.0), Item(OHP, "vertical-push", 3, 8, 30.0)],
        [PULLDOWN, OHP],
    )
    fri = session(
        d + timedelta(days=4),
        [Item(ROW, "horizontal-pull", 3, 10, 50.0), Item(PUSHUP, "horizontal-push", 3, 15, None)],
        [ROW, PUSHUP],
    )
    days = [d + timedelta(days=i) for i in range(7)]
    rest = tuple(x for x in days if x not in (mon.date, wed.date, fri.date))
    sleep = tuple(Recovery(x, "sleep", 480) for x in days)
    return Week(n, kind, (mon, wed, fri), rest, sleep)


def plan(*weeks: Week, **kw: Any) -> Plan:
    base = Plan(
        athlete="me",
        start=START,
        as_of=START - timedelta(days=1),
        weeks=weeks or (week(1),),
        addresses=(),
    )
    return replace(base, **kw)


def rules_of(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


def with_session(p: Plan, index: int, new: Session, w: int = 0) -> Plan:
    wk = p.weeks[w]
    sessions = list(wk.sessions)
    sessions[index] = new
    weeks = list(p.weeks)
    weeks[w] = replace(wk, sessions=tuple(sessions))
    return replace(p, weeks=tuple(weeks))


def test_the_hand_made_plan_keeps_every_rule() -> None:
    assert week_volume(week(1)) == (21, 12)
    assert check_plan(plan(), LIMITS) == []


def test_json_round_trip_keeps_everything_the_rules_read() -> None:
    p = plan(addresses=("imbalance",), notes=("a note",))
    again = Plan.from_json(p.to_json())
    assert again == p
    assert rules_of(check_plan(again, LIMITS)) == rules_of(check_plan(p, LIMITS))


def test_ramp_names_parse() -> None:
    assert parse_ramp("Ramp set 60% of Bench Press (Barbell): 5 reps at 36 kg") == (
        BENCH,
        60,
        5,
        36.0,
    )
    assert parse_ramp("Ramp set 40% of Push Up: 8 easy reps (an easier variant)") == (
        PUSHUP,
        40,
        8,
        None,
    )
    assert parse_ramp("Light cardio: bike") is None


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.warmup[1:],  # no cardio
        lambda s: (replace(CARDIO, minutes=12), *s.warmup[1:]),  # too long
        lambda s: (replace(CARDIO, minutes=3), *s.warmup[1:]),  # too short
        lambda s: tuple(w for w in s.warmup if w.kind != "dynamic"),
        lambda s: tuple(w for w in s.warmup if w.kind != "mobility"),
        lambda s: (
            s.warmup[0],
            replace(DYNAMIC, name="Dynamic stretches for the hips"),
            *s.warmup[2:],
        ),
        lambda s: tuple(w for w in s.warmup if BENCH not in w.name),  # bench not ramped
        lambda s: tuple(w for w in s.warmup if "80%" not in w.name),  # no 80% ramp
        lambda s: (*s.warmup[3:], *s.warmup[:3]),  # ramp sets before the cardio
        lambda s: tuple(
            ramp(BENCH, 80, 60.0) if w.name.startswith(f"Ramp set 80% of {BENCH}") else w
            for w in s.warmup
        ),  # the 80% ramp at the working load
        lambda s: tuple(
            ramp(ROW, 40, 35.0) if w.name.startswith(f"Ramp set 40% of {ROW}") else w
            for w in s.warmup
        ),  # 70% labelled 40%
    ],
)
def test_warmup_rule_catches(change) -> None:
    p = plan()
    mon = p.weeks[0].sessions[0]
    broken = with_session(p, 0, replace(mon, warmup=tuple(change(mon))))
    assert "warmup" in rules_of(check_plan(broken, LIMITS))


def test_balance_rule_catches_more_pressing_than_pulling() -> None:
    p = plan()
    mon = p.weeks[0].sessions[0]
    more = tuple(replace(e, sets=5) if e.name == BENCH else e for e in mon.exercises)
    # horizontal: 5 + 2 push > 3 + 3 pull (max load rule unaffected)
    assert "balance" in rules_of(
        check_plan(with_session(p, 0, replace(mon, exercises=more)), LIMITS)
    )
    wed = p.weeks[0].sessions[1]
    more = tuple(replace(e, sets=4) if e.name == OHP else e for e in wed.exercises)
    assert "balance" in rules_of(
        check_plan(with_session(p, 1, replace(wed, exercises=more)), LIMITS)
    )


def test_accessories_are_required_when_imbalance_is_addressed() -> None:
    p = plan(addresses=("imbalance",))
    found = [v for v in check_plan(p, LIMITS) if v.rule == "accessories"]
    assert len(found) == 3  # face pull, rear-delt work, band pull-apart all missing
    fri = p.weeks[0].sessions[2]
    extra = (
        Item("Face Pull (Cable)", "horizontal-pull", 2, 15, None),
        Item("Reverse Fly (Dumbbell)", "horizontal-pull", 1, 15, None),
        Item("Band Pull Apart", "mobility", 2, 15, None),
    )
    fixed = with_session(p, 2, replace(fri, exercises=fri.exercises + extra))
    limits = replace(LIMITS, chronic_total=22, chronic_upper_back=15)  # + 3 accessory sets
    assert check_plan(fixed, limits) == []


def test_volume_rule_accepts_gradual_rises_and_a_deload() -> None:
    # by hand: 19 + max(1, 1.9) = 20.9 -> 20; 30 + 3 = 33; 5 + max(1, 0.5) = 6
    assert rise_limit(19) == 20 and rise_limit(30) == 33 and rise_limit(5) == 6
    deload = week(4, kind="deload")
    deload = replace(
        deload,
        sessions=deload.sessions[:1] + deload.sessions[2:],
        rest_days=tuple(sorted((*deload.rest_days, deload.sessions[1].date))),
    )
    # weeks: 21, 22 (+1 row), 22, then 15 <= 0.75 x 22 = 16.5
    p = plan(week(1), week(2, rows=1), week(3, rows=1), deload)
    assert [week_volume(w)[0] for w in p.weeks] == [21, 22, 22, 15]
    assert check_plan(p, LIMITS) == []
    heavy_deload = plan(week(1), week(2, rows=1), week(3, rows=1), week(4, kind="deload"))
    assert any(
        v.rule == "volume" and v.where == "week 4" for v in check_plan(heavy_deload, LIMITS)
    )  # 21 > 16.5


def test_volume_rule_catches_a_jump_of_more_than_ten_percent() -> None:
    p = plan(week(1), week(2, rows=2, bench=1))  # 21 -> 24 sets: more than 10% (or one set)
    assert any(v.rule == "volume" and v.where == "week 2" for v in check_plan(p, LIMITS))


def test_volume_rule_needs_a_deload_every_fourth_week() -> None:
    p = plan(week(1), week(2), week(3), week(4))
    assert any(v.rule == "volume" and v.where == "week 4" for v in check_plan(p, LIMITS))


def test_first_week_returns_to_the_pre_spike_level_after_a_spike() -> None:
    spiked = replace(LIMITS, chronic_total=24, pre_spike_total=15, spike=True)
    assert any(v.rule == "volume" and v.where == "week 1" for v in check_plan(plan(), spiked))
    assert check_plan(plan(), replace(spiked, spike=False)) == []


def test_first_week_above_the_chronic_level_is_caught() -> None:
    low = replace(LIMITS, chronic_total=15, pre_spike_total=15)  # 21 > 15 * 1.1
    assert any(v.rule == "volume" for v in check_plan(plan(), low))


def test_rest_rule_catches_too_few_rest_days_and_wrong_rest_days() -> None:
    p = plan()
    wk = p.weeks[0]
    extra = [replace(wk.sessions[2], date=START + timedelta(days=i)) for i in (5, 6, 1)]
    crowded = replace(
        wk,
        sessions=tuple(sorted((*wk.sessions, *extra), key=lambda s: s.date)),
        rest_days=(START + timedelta(days=3),),
    )
    assert "rest" in rules_of(check_plan(replace(p, weeks=(crowded,)), LIMITS))
    wrong = replace(wk, rest_days=wk.rest_days[1:])
    assert "rest" in rules_of(check_plan(replace(p, weeks=(wrong,)), LIMITS))


def test_spacing_rule_catches_the_same_region_within_48_hours() -> None:
    p = plan()
    wk = p.weeks[0]
    tue = replace(wk.sessions[1], date=START + timedelta(days=1))  # pulldowns the day after rows
    days = [START + timedelta(days=i) for i in range(7)]
    moved = replace(
        wk,
        sessions=(wk.sessions[0], tue, wk.sessions[2]),
        rest_days=tuple(d for d in days if d.weekday() not in (0, 1, 4)),
    )
    found = [v for v in check_plan(replace(p, weeks=(moved,)), LIMITS) if v.rule == "spacing"]
    assert found and "mid_traps_rhomboids" in found[0].message


def test_spacing_counts_across_the_week_boundary() -> None:
    # week 1 ends with rows on Sunday, week 2 starts with rows on Monday
    w1 = week(1)
    sun = replace(w1.sessions[2], date=START + timedelta(days=6))
    days = [START + timedelta(days=i) for i in range(7)]
    w1 = replace(
        w1,
        sessions=(w1.sessions[0], w1.sessions[1], sun),
        rest_days=tuple(d for d in days if d.weekday() not in (0, 2, 6)),
    )
    assert "spacing" in rules_of(check_plan(plan(w1, week(2)), LIMITS))


def test_recovery_rule_catches_a_missing_sleep_target_and_practices() -> None:
    p = plan()
    wk = p.weeks[0]
    short = replace(wk, recovery=wk.recovery[:-1])
    assert "recovery" in rules_of(check_plan(replace(p, weeks=(short,)), LIMITS))
    six_hours = replace(wk, recovery=(*wk.recovery[:-1], replace(wk.recovery[-1], minutes=360)))
    assert "recovery" in rules_of(check_plan(replace(p, weeks=(six_hours,)), LIMITS))
    addressed = replace(p, addresses=("recovery",))
    missing = {v.message for v in check_plan(addressed, LIMITS) if v.rule == "recovery"}
    assert missing == {
        "no foam-rolling slot this week",
        "no stretching slot this week",
        "no yoga slot this week",
    }
    rest = wk.rest_days
    slots = (
        Recovery(rest[0], "yoga", 30),
        Recovery(rest[1], "stretching", 15),
        Recovery(START, "foam-rolling", 10),
    )
    done = replace(addressed, weeks=(replace(wk, recovery=wk.recovery + slots),))
    assert check_plan(done, LIMITS) == []


def test_cue_rule_needs_the_cue_on_every_exercise_of_that_pattern() -> None:
    cue = "Form check 2026-01-02 (form fault): keep the shoulder blades back"
    limits = replace(LIMITS, cues={"horizontal-push": [cue]})
    found = [v for v in check_plan(plan(), limits) if v.rule == "cues"]
    assert {v.message.split(" lacks")[0] for v in found} == {BENCH, PUSHUP}
    p = plan()
    for i in (0, 2):
        s = p.weeks[0].sessions[i]
        noted = tuple(
            replace(e, note=cue) if e.pattern == "horizontal-push" else e for e in s.exercises
        )
        p = with_session(p, i, replace(s, exercises=noted))
    assert check_plan(p, limits) == []


def test_load_rule_catches_loads_above_recent_working_loads() -> None:
    p = plan()
    mon = p.weeks[0].sessions[0]
    heavy = tuple(replace(e, load_kg=65.0) if e.name == BENCH else e for e in mon.exercises)
    # keep the ramps right for 65 kg so only the load rule fires
    warm = tuple(w for w in mon.warmup if BENCH not in w.name) + tuple(
        ramp(BENCH, p_, x) for p_, x in ((40, 26.0), (60, 39.0), (80, 52.0))
    )
    found = check_plan(with_session(p, 0, replace(mon, exercises=heavy, warmup=warm)), LIMITS)
    assert rules_of(found) == {"loads"}
    unknown = replace(LIMITS, max_loads={k: v for k, v in MAX.items() if k != SQUAT})
    assert any(v.rule == "loads" and SQUAT in v.message for v in check_plan(p, unknown))


def test_pain_rule_needs_a_reduced_first_week_and_the_professional_note() -> None:
    limits = replace(LIMITS, severe_pain=True)
    found = {v.message for v in check_plan(plan(), limits) if v.rule == "pain"}
    assert len(found) == 2
    reduced = replace(week(1, rows=-1, bench=-1), kind="reduced")  # 19 sets: too many still
    p = plan(reduced, notes=(f"Pain 7/10. {SEE_A_PROFESSIONAL}",))
    assert rules_of(check_plan(p, limits)) == {"volume"}  # 19 > 0.6 * 20
    light = replace(reduced, sessions=reduced.sessions[:1])
    days = [START + timedelta(days=i) for i in range(7)]
    light = replace(light, rest_days=tuple(days[1:]))
    assert (
        check_plan(replace(p, weeks=(light,)), limits) == []
    )  # 7 sets: rows and bench 2 each, squats 3


def test_shape_rule() -> None:
    withheld = plan(withheld="red flags", weeks=(week(1),))
    assert "shape" in rules_of(check_plan(withheld, LIMITS))
    assert check_plan(plan(withheld="red flags", weeks=()), LIMITS) == []
    p = plan()
    mon = p.weeks[0].sessions[0]
    odd = (Item("Zorbing", "horizontal-pull", 3, 10, None), *mon.exercises)
    assert "shape" in rules_of(check_plan(with_session(p, 0, replace(mon, exercises=odd)), LIMITS))
    bad = tuple(replace(e, pattern="pushing") if e.name == SQUAT else e for e in mon.exercises)
    assert "shape" in rules_of(check_plan(with_session(p, 0, replace(mon, exercises=bad)), LIMITS))
    misnumbered = plan(week(2))
    assert "shape" in rules_of(check_plan(misnumbered, LIMITS))


DEADLIFT, SLDL, CURL = (
    "Deadlift (Barbell)",
    "Stiff Leg Deadlift (Barbell)",
    "Preacher Curl (Barbell)",
)


def test_sets_rule_wants_main_lifts_at_3_to_5_sets_and_accessories_fewer() -> None:
    p = plan()
    mon = p.weeks[0].sessions[0]
    # the plan: one set of bench press, five sets of preacher curls
    bad = replace(
        mon,
        exercises=(
            mon.exercises[0],
            replace(mon.exercises[1], sets=1),
            mon.exercises[2],
            Item(CURL, "isolation", 5, 10, None),
        ),
    )
    found = [v for v in check_plan(with_session(p, 0, bad), LIMITS) if v.rule == "sets"]
    assert {v.message.split(":")[0] for v in found} == {BENCH, CURL}
    six = replace(mon, exercises=(replace(mon.exercises[0], sets=6), *mon.exercises[1:]))
    assert "sets" in rules_of(check_plan(with_session(p, 0, six), LIMITS))
    # a 3-set accessory next to 3-set main lifts is fine; a 3-set one next to a 2-set main
    # lift in a deload week is not (accessories never outnumber the main lifts)
    ok = replace(mon, exercises=(*mon.exercises, Item(CURL, "isolation", 3, 10, None)))
    assert "sets" not in rules_of(check_plan(with_session(p, 0, ok), LIMITS))
    light = replace(ok, exercises=(replace(ok.exercises[0], sets=2), *ok.exercises[1:]))
    deload = with_session(p, 0, light)
    deload = replace(deload, weeks=(replace(deload.weeks[0], kind="deload"),))
    assert [v.message for v in check_plan(deload, LIMITS) if v.rule == "sets"] == [
        f"{CURL}: 3 sets of an accessory, more than 2"
    ]


def test_spacing_rule_covers_every_muscle_group_not_only_the_upper_back() -> None:
    # the plan: a deadlift on Saturday and stiff-leg deadlifts on Sunday
    p = plan()
    wk = p.weeks[0]
    sat = session(START + timedelta(days=5), [Item(DEADLIFT, "hinge", 3, 5, None)], [DEADLIFT])
    sun = session(START + timedelta(days=6), [Item(SLDL, "hinge", 3, 8, None)], [SLDL])
    days = [START + timedelta(days=i) for i in range(7)]
    crowded = replace(
        wk,
        sessions=(*wk.sessions[:2], sat, sun),
        rest_days=tuple(d for d in days if d.weekday() not in (0, 2, 5, 6)),
    )
    found = [
        v.message for v in check_plan(replace(p, weeks=(crowded,)), LIMITS) if v.rule == "spacing"
    ]
    # stiff-leg deadlifts load no upper-back region at 0.5 or more: legs and erectors clash
    assert {m.split()[0] for m in found} == {"legs", "erectors"}
    apart = replace(
        crowded,
        sessions=(*wk.sessions[:2], replace(sat, date=days[4]), sun),
        rest_days=tuple(d for d in days if d.weekday() not in (0, 2, 4, 6)),
    )
    assert "spacing" not in rules_of(check_plan(replace(p, weeks=(apart,)), LIMITS))
    # a squat's core bracing (weight 0.5) is no hard core session: squats the day after
    # planks are fine for the core, as long as the legs rest
    plank = session(days[5], [Item("Plank", "core", 3, 1, None)], [])
    squat = session(days[6], [Item(SQUAT, "squat", 3, 5, None)], [SQUAT])
    core = replace(
        wk,
        sessions=(*wk.sessions[:2], plank, squat),
        rest_days=tuple(d for d in days if d.weekday() not in (0, 2, 5, 6)),
    )
    assert "spacing" not in rules_of(check_plan(replace(p, weeks=(core,)), LIMITS))
