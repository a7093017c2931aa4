"""The simulator's hard cases: confounders, weak effects, diaries kept mostly on painful days,
sparse sleep logs, an imbalance phase, and the fixed population `backcheck.sim.cases`.

Expectations are recomputed from the generated rows (exercise names, dates), never taken from
the simulator's own bookkeeping alone.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcheck.errors import UsageError
from backcheck.sim import Profile, simulate
from backcheck.sim.cases import CYCLE, GROUPS, HARD_KINDS, cases

BERLIN = ZoneInfo("Europe/Berlin")
CARDIO = {"Cycling (Indoor)", "Rowing (Machine)"}


def is_hpush(name: str) -> bool:
    return "Bench Press" in name or name == "Push Up"


def is_hpull(name: str) -> bool:
    return ("Row" in name and name not in CARDIO) or name.startswith("Face Pull")


def weekly_push_pull(sim_sets: object, start: date) -> dict[int, tuple[int, int]]:
    """Week index -> (horizontal push, horizontal pull) working sets, from the rows."""
    push: Counter[int] = Counter()
    pull: Counter[int] = Counter()
    for row in sim_sets.iter_rows(named=True):  # type: ignore[attr-defined]
        if row["set_type"] not in ("working", "failure"):
            continue
        at: datetime = row["session_start"]
        week = (at.astimezone(BERLIN).date() - start).days // 7
        push[week] += is_hpush(row["exercise"])
        pull[week] += is_hpull(row["exercise"])
    return {w: (push[w], pull[w]) for w in sorted(set(push) | set(pull))}


def pain_within_48h(sim_pain: list[dict[str, object]], day: date) -> bool:
    hurt = {r["date"] for r in sim_pain if int(r["level"]) >= 3}  # type: ignore[call-overload]
    return day in hurt or day + timedelta(days=1) in hurt


# --- confounders ---------------------------------------------------------------------------------


def test_a_confounder_is_in_the_data_but_drives_no_pain() -> None:
    p = Profile(seed=21, weeks=30, causes=frozenset({"warmup"}), confounders={"imbalance"})
    sim = simulate(p)
    weeks = weekly_push_pull(sim.sets, p.start)
    push = sum(a for a, _ in weeks.values())
    pull = sum(b for _, b in weeks.values())
    assert push > 1.8 * pull  # the abnormality is there, as strong as the cause's
    frame = sim.truth.exposure_frame()
    assert frame["push_dominant"].sum() > 0.3 * frame.height
    # The chance of pain depends on the warm-up only, never on pushing.
    for warm in (True, False):
        rows = frame.filter(frame["no_warmup"] == (not warm))
        assert rows["pain_prob"].n_unique() == 1, warm
    assert "imbalance" not in sim.truth.knobs.odds
    assert sim.truth.knobs.chronic_pain == 0.0
    assert sim.truth.causes == frozenset({"warmup"})


@pytest.mark.parametrize("confounder", ["overexertion", "recovery", "warmup"])
def test_each_confounder_builds_its_abnormality(confounder: str) -> None:
    sim = simulate(Profile(seed=22, weeks=20, confounders={confounder}))
    healthy = simulate(Profile(seed=22, weeks=20))
    factor = {"overexertion": "load_spike", "recovery": "short_sleep", "warmup": "no_warmup"}
    on = sim.truth.exposure_frame()[factor[confounder]].sum()
    assert on > 3 * max(1, healthy.truth.exposure_frame()[factor[confounder]].sum())
    assert all(v == pytest.approx(0.03) for v in sim.truth.pain_prob.values())  # healthy


# --- weak effects --------------------------------------------------------------------------------


def test_pain_with_sets_the_chance_after_one_exposure() -> None:
    p = Profile(
        seed=23,
        weeks=40,
        causes=frozenset({"warmup"}),
        warmup_rate=0.5,
        base_pain=0.12,
        pain_with=0.5,
    )
    sim = simulate(p)
    frame = sim.truth.exposure_frame()
    assert frame.filter(frame["no_warmup"])["pain_prob"].to_list() == pytest.approx(
        [0.5] * int(frame["no_warmup"].sum())
    )
    assert frame.filter(~frame["no_warmup"])["pain_prob"].to_list() == pytest.approx(
        [0.12] * int((~frame["no_warmup"]).sum())
    )
    after = [pain_within_48h(sim.pain, d) for d in frame.filter(frame["no_warmup"])["date"]]  # type: ignore[arg-type]
    assert 0.35 < sum(after) / len(after) < 0.75  # drawn, so near 0.5 plus background


# --- short logs, diaries and sleep logs ---------------------------------------------------------


def test_diary_kept_mostly_on_painful_days() -> None:
    p = Profile(seed=24, weeks=30, causes=frozenset({"warmup"}), diary_rate=0.2)
    sim = simulate(p)
    logged = {r["date"]: r["level"] for r in sim.pain}
    painful = set(sim.truth.pain_days)
    days = [p.start + timedelta(days=i) for i in range(7 * p.weeks + 2)]
    free = [d for d in days if d not in painful]
    share_painful = sum(d in logged for d in painful) / len(painful)
    share_free = sum(d in logged for d in free) / len(free)
    assert share_painful > 0.85
    assert 0.12 < share_free < 0.3
    quiet = simulate(Profile(seed=24, weeks=30, causes=frozenset({"warmup"}), pain_log_rate=0.5))
    hurt_logged = sum(d in {r["date"] for r in quiet.pain} for d in quiet.truth.pain_days)
    assert 0.3 < hurt_logged / len(quiet.truth.pain_days) < 0.7


def test_sleep_logged_on_some_nights_only() -> None:
    p = Profile(seed=25, weeks=20, causes=frozenset({"recovery"}), sleep_log_rate=0.4)
    sim = simulate(p)
    nights = [r for r in sim.recovery if r["kind"] == "sleep"]
    assert 0.3 < len(nights) / (7 * p.weeks + 2) < 0.5
    # Short sleep is still a factor on the nights nobody logged.
    logged = {r["date"] for r in nights}
    unlogged_short = [
        d for d, on in sim.truth.exposures.items() if "short_sleep" in on and d not in logged
    ]
    assert unlogged_short


def test_short_log_has_its_weeks() -> None:
    p = Profile(seed=26, weeks=7, causes=frozenset({"overexertion"}))
    sim = simulate(p)
    last = max(sim.truth.exposures)
    assert (last - p.start).days < 7 * 7
    assert len(sim.truth.spike_weeks) == 1  # one spike fits in weeks 4-6


# --- an imbalance phase --------------------------------------------------------------------------


def test_imbalance_phase_pushes_only_in_its_weeks() -> None:
    p = Profile(seed=27, weeks=20, causes=frozenset({"imbalance"}), imbalance_phase=(8, 5))
    sim = simulate(p)
    weeks = weekly_push_pull(sim.sets, p.start)
    inside = [weeks[w] for w in range(8, 13)]
    outside = [weeks[w] for w in range(20) if not 8 <= w < 13]
    assert sum(a for a, _ in inside) > 1.8 * sum(b for _, b in inside)
    assert 0.75 < sum(a for a, _ in outside) / sum(b for _, b in outside) < 1.33
    dominant = {
        (d - p.start).days // 7 for d, on in sim.truth.exposures.items() if "push_dominant" in on
    }
    assert dominant and dominant <= set(range(8, 13))
    # Background pain from the imbalance only inside the phase: more pain days there.
    per_week = Counter((d - p.start).days // 7 for d in sim.truth.pain_days)
    assert (
        sum(per_week[w] for w in range(8, 13)) / 5
        > sum(per_week[w] for w in range(20) if not 8 <= w < 13) / 15
    )


def test_defaults_make_the_same_athlete_as_before() -> None:
    # The new fields at their defaults change nothing (the packaged demo test checks bytes).
    base = Profile(seed=28, causes=frozenset({"imbalance", "recovery"}))
    same = Profile(
        seed=28,
        causes=frozenset({"imbalance", "recovery"}),
        pain_log_rate=0.95,
        sleep_log_rate=0.9,
        confounders=frozenset(),
        imbalance_phase=None,
    )
    a, b = simulate(base), simulate(same)
    assert a.sets.equals(b.sets) and a.pain == b.pain and a.recovery == b.recovery
    whole = simulate(Profile(seed=28, causes=frozenset({"imbalance"}), imbalance_phase=(0, 16)))
    plain = simulate(Profile(seed=28, causes=frozenset({"imbalance"})))
    assert whole.sets.equals(plain.sets) and whole.pain == plain.pain


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"causes": {"warmup"}, "confounders": {"warmup"}}, "confounders"),
        ({"confounders": {"posture"}}, "confounders"),
        ({"imbalance_phase": (14, 5)}, "imbalance_phase"),
        ({"imbalance_phase": (2, 0)}, "imbalance_phase"),
        ({"base_pain": 0.2, "pain_with": 0.1}, "pain_with"),
        ({"pain_with": 1.0}, "pain_with"),
        ({"sleep_log_rate": 1.5}, "sleep_log_rate"),
        ({"pain_log_rate": -0.1}, "pain_log_rate"),
    ],
)
def test_bad_hard_case_knobs_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(UsageError) as err:
        Profile(**kwargs)  # type: ignore[arg-type]
    assert field in str(err.value)


# --- the population ------------------------------------------------------------------------------


def test_cases_are_deterministic_and_balanced() -> None:
    a = cases(CYCLE, seed=3)
    assert [c.profile for c in a] == [c.profile for c in cases(CYCLE, seed=3)]
    assert [c.profile for c in a[:50]] == [c.profile for c in cases(50, seed=3)]
    assert [c.profile for c in a] != [c.profile for c in cases(CYCLE, seed=4)]
    counts = Counter((c.group, c.hard, c.confounder is not None) for c in a)
    for hard in HARD_KINDS:
        forced = hard in ("sparse-sleep", "phase")  # a healthy athlete's built-in abnormality
        for confounded in (False, True):
            assert counts["single", hard, confounded] == 8
            assert counts["pair", hard, confounded] == 6
        assert counts["healthy", hard, True] == (12 if forced else 6)
    assert {c.group for c in a} == set(GROUPS)
    pairs = Counter((c.causes, c.confounder is not None) for c in a if c.group == "pair")
    assert len(pairs) == 12  # every pair of causes, with and without a confounder


def test_cases_build_what_their_kind_says() -> None:
    for c in cases(CYCLE // 2, seed=1):
        p = c.profile
        assert p.causes == frozenset(c.causes)
        assert len(c.causes) == {"single": 1, "pair": 2, "healthy": 0}[c.group]
        assert (c.confounder is not None) == (p.confounders != frozenset())
        assert c.confounder not in c.causes
        if c.hard == "short":
            assert 7 <= p.weeks <= 13
        else:
            assert 16 <= p.weeks <= 26
        if c.hard == "weak":
            assert p.pain_with == 0.5 and 0.10 <= p.base_pain <= 0.15
        if c.hard == "mnar":
            assert p.diary_rate <= 0.3
        if c.hard == "sparse-sleep":
            assert 0.3 <= p.sleep_log_rate <= 0.5
            assert "recovery" in p.causes | p.confounders
        if c.hard == "phase":
            assert p.imbalance_phase is not None and 3 <= p.imbalance_phase[1] <= 6
            assert "imbalance" in p.causes | p.confounders
        turn = c.index // (10 * len(HARD_KINDS))
        if c.group != "healthy" or c.hard not in ("sparse-sleep", "phase"):
            assert (c.confounder is not None) == (turn % 2 == 1)
