"""Spike weeks (analysis.spikes) on hand-built weekly series: a true jump, a return after a
deload, exercise rotation, a restart, a jump from a tiny base, the athlete's own range; and
the vectorised fixed point against a plain week-by-week scan of the documented rules."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl
import pytest

from backcheck.analysis.spikes import (
    DEFAULT_FENCE,
    in_spike_weeks,
    judge_weeks,
    mark_spike_weeks,
    spike_days,
    spike_weeks,
)
from backcheck.model import UPPER_BACK_REGIONS

MONDAY = date(2025, 1, 6)


def daily(
    weeks: Sequence[float | dict[str, float]], *, first: date = MONDAY, day: int = 0
) -> pl.DataFrame:
    """A daily region frame (as from load.daily_region_load) from weekly loads: a number is
    that many kg of lats; a dict gives kg per upper-back region. Each week's load falls on
    weekday `day` (0 = Monday); every calendar day from `first` has a row per region."""
    monday = first - timedelta(days=first.weekday())
    last = monday + timedelta(days=7 * len(weeks) - 1)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    rows: dict[tuple[date, str], float] = {}
    for k, week in enumerate(weeks):
        per = week if isinstance(week, dict) else {"lats": float(week)}
        on = monday + timedelta(days=7 * k + day)
        for region, kg in per.items():
            rows[(on, region)] = kg
    frame = {"date": [], "region": [], "volume_load": []}  # type: ignore[var-annotated]
    for d in days:
        for region in UPPER_BACK_REGIONS:
            frame["date"].append(d)
            frame["region"].append(region)
            frame["volume_load"].append(rows.get((d, region), 0.0))
        frame["date"].append(d)
        frame["region"].append("upper_back")
        frame["volume_load"].append(sum(rows.get((d, r), 0.0) for r in UPPER_BACK_REGIONS))
    return pl.DataFrame(
        frame, schema={"date": pl.Date, "region": pl.String, "volume_load": pl.Float64}
    )


def sunday(k: int) -> date:
    """The Sunday ending week k (counted from MONDAY)."""
    return MONDAY + timedelta(days=7 * k + 6)


def ends(weeks: Sequence[float | dict[str, float]], **kw: object) -> list[date]:
    return spike_weeks(daily(weeks, **kw))["week_end"].to_list()  # type: ignore[arg-type]


def test_a_true_jump_is_a_spike_and_names_the_regions_that_took_it() -> None:
    steady = {"lats": 600.0, "mid_traps_rhomboids": 400.0}
    jump = {"lats": 1400.0, "mid_traps_rhomboids": 500.0, "rear_delts": 100.0}
    found = spike_weeks(daily([steady] * 14 + [jump, steady]))
    assert found["week_end"].to_list() == [sunday(14)]
    row = found.row(0, named=True)
    assert row["week"] == MONDAY + timedelta(weeks=14) and row["week_end"].weekday() == 6
    assert (row["load"], row["chronic"], row["carried"]) == (2000.0, 1000.0, 1000.0)
    assert row["ratio"] == pytest.approx(2.0) and row["jump"] == pytest.approx(1000.0)
    assert row["grade"] == "B"  # 2.0 >= 1.5 (Hulin 2016)
    # Lats rose 800 of the 1000 kg (over two thirds): they alone are named.
    assert row["regions"] == ["lats"] and row["rises"] == pytest.approx([800.0])
    # Every week before was the same: the usual range is 1.0x, so 1.3x is the bar.
    assert row["fence_rule"] == "own" and row["fence"] == pytest.approx(1.0)


def test_two_regions_share_a_jump() -> None:
    steady = {"lats": 500.0, "upper_traps": 500.0}
    jump = {"lats": 1100.0, "upper_traps": 900.0, "rear_delts": 100.0}
    row = spike_weeks(daily([steady] * 10 + [jump])).row(0, named=True)
    # Rises 600, 400, 100: lats hold 600/1100 < 2/3, so upper traps are named too.
    assert row["regions"] == ["lats", "upper_traps"]
    assert row["rises"] == pytest.approx([600.0, 400.0])


def test_a_return_after_a_deload_is_no_spike_but_the_same_rise_from_a_lower_level_is() -> None:
    # Both weeks are 1000 kg against a 4-week mean of 700 kg (1.43x).
    deload = [1000.0] * 12 + [400.0, 400.0, 1000.0]
    weeks = judge_weeks(daily(deload))
    back = weeks.row(14, named=True)
    assert back["ratio"] == pytest.approx(1000 / 700) and back["carried"] == 1000.0
    assert not back["spike"] and ends(deload) == []  # back to a level carried
    fresh = [700.0] * 14 + [1000.0]
    found = spike_weeks(daily(fresh))
    assert found["week_end"].to_list() == [sunday(14)]
    assert found["ratio"][0] == pytest.approx(1000 / 700)
    assert found["grade"][0] == "C"  # 1.43 < 1.5: the personal-range convention


def test_exercise_rotation_within_a_steady_upper_back_is_no_spike() -> None:
    a = {"lats": 800.0, "mid_traps_rhomboids": 200.0}
    b = {"lats": 200.0, "mid_traps_rhomboids": 800.0}
    weeks = [a, b] * 10
    region = judge_weeks(daily(weeks))
    assert region.height == 20 and region["load"].to_list() == [1000.0] * 20
    # Each region quadruples every other week (a per-region "> 30%" rule fires on half the
    # weeks), yet the upper back as a whole never moves.
    assert 800 / 200 - 1 > 0.30
    assert ends(weeks) == []


def test_a_restart_is_not_judged_but_doubling_right_after_it_is() -> None:
    weeks = [1000.0] * 6 + [0.0] * 5 + [1000.0, 2000.0]
    judged = judge_weeks(daily(weeks))
    restart = judged.row(11, named=True)
    assert restart["chronic"] == 0.0 and not restart["judged"] and restart["ratio"] is None
    second = judged.row(12, named=True)
    assert second["chronic"] == 250.0 and second["carried"] == 1000.0
    assert second["fence_rule"] == "default" and second["fence"] == DEFAULT_FENCE  # 7 ratios
    assert ends(weeks) == [sunday(12)]


def test_a_jump_from_a_tiny_base_is_not_material() -> None:
    # Typical week 1000 kg; after nine weeks at 100 kg, 250 kg is 2.5x but only 150 kg more
    # (under 30% of a typical week); 500 kg (400 more) is a spike.
    base = [1000.0] * 20 + [100.0] * 9
    small = judge_weeks(daily([*base, 250.0])).row(29, named=True)
    assert small["typical"] == 1000.0 and small["reference"] == 100.0
    assert small["ratio"] == pytest.approx(2.5) and not small["spike"]
    assert ends([*base, 500.0]) == [sunday(29)]


def test_the_first_four_weeks_are_never_judged() -> None:
    assert ends([100.0, 1000.0, 3000.0, 9000.0]) == []
    # A log starting on a Wednesday: week 4 starts 26 days in, so week 5 is the first judged.
    weeks = judge_weeks(daily([500.0] * 7, first=MONDAY + timedelta(days=2), day=3))
    assert weeks["judged"].to_list() == [False] * 5 + [True] * 2


def test_a_jump_inside_the_athletes_own_range_is_no_spike() -> None:
    # Weeks of 1000, 700, 400 and 1000 kg (sessions often missed): a full week is 1.29x the
    # 4-week mean (775 kg), a short one 0.52x. Ratios of weeks 4-16 below the median
    # spread from 0.90 to 1.29, so the athlete's own range reaches 1.29 + 4 x 0.39 = 2.85x,
    # and 1500 kg (1.94x) is inside it...
    cycle = [1000.0, 700.0, 400.0, 1000.0]
    usual = judge_weeks(daily([*cycle * 4, 1500.0])).row(16, named=True)
    assert usual["fence_rule"] == "own" and usual["ratio"] == pytest.approx(1500 / 775)
    assert usual["fence"] == pytest.approx(1000 / 775 + 4 * (1000 / 775 - 700 / 775))
    assert usual["load"] > 1.3 * usual["reference"]  # rule 2 alone would flag it
    assert usual["ratio"] < usual["fence"] and not usual["spike"]
    # ...while 2500 kg (3.2x) is beyond it.
    assert ends([*cycle * 4, 2500.0]) == [sunday(16)]


def scan(loads: Sequence[float], *, offset: int = 0) -> list[bool]:
    """The rules of analysis.spikes week by week (no Polars): `loads` per week from the log's
    first week; the log starts `offset` days after that week's Monday."""
    n = len(loads)
    chronic: list[float | None] = [None] * n
    ratio: list[float | None] = [None] * n
    for k in range(4, n):
        c = sum(loads[k - 4 : k]) / 4
        if 7 * k - offset >= 28 and c > 0:
            chronic[k], ratio[k] = c, loads[k] / c
    ratios = [r for r in ratio if r is not None]
    if len(ratios) >= 8:
        q1 = statistics.quantiles(ratios, n=4, method="inclusive")[0]
        mid = statistics.median(ratios)
        fence = mid + 4 * (mid - q1)
    else:
        fence = 1.3  # the floor alone: the range is not known yet
    loaded = [x for x in loads if x > 0]
    typical = statistics.median(loaded) if loaded else 0.0
    spike = [False] * n
    for k in range(n):
        c, r = chronic[k], ratio[k]
        if c is None or r is None:
            continue
        before = sorted((loads[j] for j in range(max(0, k - 8), k) if not spike[j]), reverse=True)
        carried = before[min(len(before), 2) - 1] if before else 0.0
        reference = max(c, carried)
        spike[k] = (
            r > max(fence, 1.3)
            and loads[k] > 1.3 * reference
            and loads[k] - reference >= 0.3 * typical
        )
    return spike


@pytest.mark.parametrize("seed", range(12))
def test_vectorised_rules_equal_a_week_by_week_scan(seed: int) -> None:
    rnd = random.Random(seed)
    n = rnd.randint(5, 70)
    level = rnd.uniform(500, 5000)
    loads = []
    for _ in range(n):
        roll = rnd.random()
        if roll < 0.08:
            loads.append(0.0)  # a week off
        elif roll < 0.2:
            loads.append(round(level * rnd.uniform(1.5, 3.0)))  # a jump
        else:
            level *= rnd.uniform(0.9, 1.1)
            loads.append(round(level * rnd.uniform(0.6, 1.3)))
    offset = rnd.randint(0, 6)
    # The log starts on the first day of week 0 that has load (or `offset` into it).
    weeks = judge_weeks(daily(loads, first=MONDAY + timedelta(days=offset), day=6))
    assert weeks["load"].to_list() == loads
    assert weeks["spike"].to_list() == scan(loads, offset=offset)


def test_spike_days_are_the_days_that_carried_the_jump() -> None:
    # Spike week 10: 1600 kg on Monday, 1500 on Thursday, 100 on Saturday (shrugs on leg
    # day: under half of the week's mean training day, 1066 kg); week 3 is no spike.
    frame = daily([1000.0] * 11)
    week10 = MONDAY + timedelta(weeks=10)
    bumps = {week10: 1600.0, week10 + timedelta(days=3): 1500.0, week10 + timedelta(days=5): 100.0}
    is_ub, is_lats = pl.col("region") == "upper_back", pl.col("region") == "lats"
    for d, kg in bumps.items():
        on = pl.col("date") == d
        frame = frame.with_columns(
            pl.when(on & (is_ub | is_lats))
            .then(kg)
            .otherwise(pl.col("volume_load"))
            .alias("volume_load")
        )
    found = spike_weeks(frame)
    assert found["week"].to_list() == [week10]
    assert spike_days(frame, found).to_list() == [week10, week10 + timedelta(days=3)]
    assert spike_days(frame, found.clear()).len() == 0


def test_days_and_sessions_are_marked_by_their_week() -> None:
    found = spike_weeks(daily([1000.0] * 10 + [2000.0]))
    monday, sunday10 = MONDAY + timedelta(weeks=10), sunday(10)
    days = pl.Series("day", [monday - timedelta(days=1), monday, sunday10, None], dtype=pl.Date)
    assert in_spike_weeks(days, found).to_list() == [False, True, True, False]
    sessions = pl.DataFrame({"day": days, "sets": [3, 4, 5, 6]})
    marked = mark_spike_weeks(sessions, found)
    assert marked.columns == ["day", "sets", "spike_week"]
    assert marked["spike_week"].to_list() == [False, True, True, False]
    assert mark_spike_weeks(sessions, found.clear())["spike_week"].sum() == 0


def test_empty_input_gives_no_weeks() -> None:
    empty = pl.DataFrame(schema={"date": pl.Date, "region": pl.String, "volume_load": pl.Float64})
    assert judge_weeks(empty).height == 0 and spike_weeks(empty).height == 0
    assert judge_weeks(empty).schema == judge_weeks(daily([1.0] * 3)).schema
