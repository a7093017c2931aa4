"""Overexertion: spike weeks as evidence (by hand), and the evidence, chart, exposures and
`spike_weeks` of one analysis all showing the same weeks."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import polars as pl
import pytest

from backcheck.analysis import overexertion
from backcheck.analysis.context import AthleteData
from backcheck.analysis.load import daily_region_load
from backcheck.analysis.overexertion import (
    RECENT_DAYS,
    catalog_from_sets,
    spike_evidence,
    spike_threshold,
)
from backcheck.analysis.spikes import spike_weeks
from backcheck.model import STORED_SET_SCHEMA
from backcheck.sim.athlete import simulate
from backcheck.sim.profile import Profile
from backcheck.store.diary import PAIN_SCHEMA, RECOVERY_SCHEMA
from backcheck.why import prepare_data

ROW = {
    "week": date(2025, 3, 3),
    "week_end": date(2025, 3, 9),
    "load": 12300.0,
    "chronic": 6000.0,
    "carried": 7000.0,
    "reference": 7000.0,
    "ratio": 2.05,
    "fence": 1.6,
    "fence_rule": "own",
    "typical": 6500.0,
    "jump": 5300.0,
    "judged": True,
    "spike": True,
    "grade": "B",
    "regions": ["lats", "mid_traps_rhomboids"],
    "rises": [3100.0, 2000.0],
}


def test_spike_evidence_by_hand() -> None:
    e = spike_evidence(ROW)
    assert (e.metric, e.value, e.unit, e.grade) == ("spike_week_upper_back", 2.05, "ratio", "B")
    assert e.period == "2025-03-03..2025-03-09"
    # The bar the ratio had to pass: the higher of the own range (1.6) and 1.3x the level
    # carried as a ratio to the 4-week mean (1.3 x 7000 / 6000 = 1.52).
    assert e.threshold == 1.6 == spike_threshold(ROW)
    assert "week ending 2025-03-09 was 12,300 kg, 2.0x your 4-week average (6,000 kg)" in e.text
    assert "1.8x the level you carried in the 8 weeks before (7,000 kg)" in e.text
    assert "beyond your own usual range (up to 1.6x)" in e.text
    assert "lat (+3,100 kg) and mid-trapezius and rhomboid (+2,000 kg)" in e.text
    assert "grade B" in e.text and "Hulin 2016" in e.text and "not a prediction" in e.text
    low = spike_evidence({**ROW, "ratio": 1.4, "grade": "C", "fence": 1.0, "regions": []})
    assert low.grade == "C" and "grade C" in low.text and "a convention" in low.text
    assert low.threshold == pytest.approx(1.3 * 7000 / 6000, abs=0.005)
    assert "most of the jump" not in low.text
    unknown = spike_evidence({**ROW, "fence_rule": "default", "fence": 1.5})
    assert "above 1.5x (your usual range is not known yet)" in unknown.text
    close = spike_evidence({**ROW, "ratio": 1.43, "fence": 1.42})  # both "1.4" to 1 decimal
    assert "1.43x your 4-week average" in close.text and "(up to 1.42x)" in close.text


def athlete(profile: Profile, *, as_of: date | None = None) -> AthleteData:
    sim = simulate(profile)
    sets = sim.sets.with_columns(
        pl.lit(profile.name).alias("athlete"),
        pl.col("session_start").rank("dense").cast(pl.Int64).alias("session_id"),
        pl.lit(None, pl.String).alias("exercise_key"),
    ).select(list(STORED_SET_SCHEMA))
    last = profile.start + timedelta(weeks=profile.weeks) - timedelta(days=1)
    return prepare_data(
        athlete=profile.name,
        tz=profile.tz,
        as_of=as_of or last,
        sets=sets.cast(STORED_SET_SCHEMA),  # type: ignore[arg-type]
        pain=pl.DataFrame(schema=PAIN_SCHEMA),
        recovery=pl.DataFrame(schema=RECOVERY_SCHEMA),
        videos=[],
        answers=None,
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_evidence_chart_and_exposures_show_the_same_spike_weeks(seed: int) -> None:
    data = athlete(Profile(causes=frozenset({"overexertion"}), seed=seed, weeks=30))
    result = overexertion.analyze(data)
    daily = daily_region_load(data.sets, catalog_from_sets(data.sets), tz=data.tz, end=data.as_of)
    expected = spike_weeks(daily)
    ends = [str(d) for d in expected["week_end"].to_list()]
    assert len(ends) >= 3  # the simulated jumps are found
    assert result.charts["spike_weeks"] == ends
    assert [str(d) for d in overexertion.athlete_spike_weeks(data)["week_end"]] == ends
    assert [s["date"] for s in result.charts["spikes"]] == ends
    # Recent weeks one by one, older ones counted (and the latest named).
    recent_from = data.as_of - timedelta(days=RECENT_DAYS)
    shown = [e.period[-10:] for e in result.evidence if e.metric == "spike_week_upper_back"]
    older = [e for e in result.evidence if e.metric == "older_spike_weeks"]
    assert shown == [d for d in ends if date.fromisoformat(d) >= recent_from]
    n_older = len(ends) - len(shown)
    assert [e.value for e in older] == ([n_older] if n_older else [])
    if older:
        assert older[0].text.startswith(f"{n_older} earlier week")
        assert ends[len(ends) - len(shown) - 1] in older[0].text  # the latest older week
    assert not any("load spikes" in e.text for e in result.evidence)
    # Exposed days are training days inside the spike weeks; every spike week has some.
    exposed = result.exposures.filter("exposed")["day"]
    assert exposed.len() > 0
    mondays = {d - timedelta(days=6) for d in expected["week_end"].to_list()}
    assert {d - timedelta(days=d.weekday()) for d in exposed.to_list()} == mondays
    assert set(result.exposures["day"].to_list()) == set(data.training_days.to_list())


def test_a_steady_athlete_is_told_no_week_was_a_jump() -> None:
    data = athlete(Profile(seed=4, weeks=16))
    result = overexertion.analyze(data)
    assert result.charts["spike_weeks"] == [] and result.abnormality == 0.0
    (none,) = [e for e in result.evidence if e.metric == "spike_weeks"]
    assert none.value == 0 and "no week of your 16-week log was a sudden jump" in none.text
    assert not result.exposures["exposed"].any()
    idle = dataclasses.replace(data, sets=data.sets.clear())
    assert overexertion.athlete_spike_weeks(idle).height == 0
    assert overexertion.analyze(idle).charts["spike_weeks"] == []


def test_older_spike_weeks_count_half() -> None:
    profile = Profile(causes=frozenset({"overexertion"}), seed=2, weeks=30)
    now = overexertion.analyze(athlete(profile))
    later = overexertion.analyze(athlete(profile, as_of=profile.start + timedelta(weeks=60)))
    assert now.abnormality > 0
    # Thirty weeks on with no training every spike week is old, and counts half.
    assert later.charts["spike_weeks"] == now.charts["spike_weeks"]
    assert 0 < later.abnormality <= min(0.5, now.abnormality)
    assert not any(e.metric == "spike_week_upper_back" for e in later.evidence)
