"""Recovery cause (docs/science.md section 4) on hand-built set and recovery frames."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.recovery import (
    analyze,
    combine,
    consecutive_training_days,
    rest_abnormality,
    same_region_gaps,
    share_abnormality,
)
from backcheck.analysis.recovery import rest_days_per_week as rest_days
from backcheck.analysis.sleep import practice_evidence, practices, sleep_nights
from backcheck.model import REGIONS, STORED_SET_SCHEMA

# exercise -> (pattern, region weights); other regions 0.
CATALOG: dict[str, tuple[str, dict[str, float]]] = {
    "Bent Over Row (Barbell)": (
        "horizontal-pull",
        {"mid_traps_rhomboids": 1.0, "lats": 0.5, "rear_delts": 0.3},
    ),
    "Pull Up": ("vertical-pull", {"lats": 1.0, "mid_traps_rhomboids": 0.25}),
    "Bench Press (Barbell)": ("horizontal-push", {"chest": 1.0, "front_delts": 0.5}),
    "Squat (Barbell)": ("squat", {"legs": 1.0, "mid_traps_rhomboids": 0.25}),
}
EXTRA = {"day": pl.Date(), "pattern": pl.String(), "upper_body": pl.Boolean()}
PAIN = {
    "at": pl.Datetime("us", "UTC"),
    "day": pl.Date(),
    "level": pl.Int32(),
    "region": pl.String(),
    "note": pl.String(),
}
RECOVERY = {"day": pl.Date(), "kind": pl.String(), "value": pl.Float64(), "source": pl.String()}
ROW, PULLUP, BENCH = "Bent Over Row (Barbell)", "Pull Up", "Bench Press (Barbell)"

Set = tuple[str, str, int]  # exercise, set_type, count


def build(sessions: list[tuple[datetime, list[Set]]]) -> pl.DataFrame:
    """AthleteData.sets: sessions at UTC start times (day = UTC date), 8 reps at 60 kg."""
    rows: list[dict[str, object]] = []
    for sid, (start, sets) in enumerate(sessions, start=1):
        for exercise, set_type, count in sets:
            pattern, weights = CATALOG[exercise]
            for i in range(count):
                rows.append(
                    {
                        "session_id": sid,
                        "session_start": start,
                        "day": start.date(),
                        "exercise": exercise,
                        "set_index": i + 1,
                        "set_type": set_type,
                        "weight_kg": 60.0,
                        "reps": 8,
                        "pattern": pattern,
                        "upper_body": True,
                        **{f"w_{r}": weights.get(r, 0.0) for r in REGIONS},
                    }
                )
    frame = pl.DataFrame(rows)
    schema = {**STORED_SET_SCHEMA, **EXTRA, **{f"w_{r}": pl.Float64() for r in REGIONS}}
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
        for c, t in schema.items()
    )


def at(d: date, hour: int) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def recovery(rows: Sequence[tuple[date, str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"day": d, "kind": k, "value": v, "source": "test"} for d, k, v in rows], schema=RECOVERY
    )


AS_OF = date(2025, 3, 30)


def test_rest_days_per_week() -> None:
    days = [date(2025, 3, d) for d in (12, 13, 20, 28, 29, 30)]
    frame = build(
        [(at(d, 17), [(BENCH, "working", 1)]) for d in days]
        + [(at(AS_OF, 8), [(ROW, "working", 1)])]
    )
    out = rest_days(frame, as_of=AS_OF)
    # 12 and 13 March are 18 and 17 days before 30 March: bin 2 = 10..16 March, of which
    # 12..16 (5 days) are on or after the first training day.
    assert out["week_start"].to_list() == [date(2025, 3, 10), date(2025, 3, 17), date(2025, 3, 24)]
    assert out["week_end"].to_list() == [date(2025, 3, 16), date(2025, 3, 23), AS_OF]
    assert out["days"].to_list() == [5, 7, 7]
    assert out["training_days"].to_list() == [2, 1, 3]  # two sessions on the 30th: one day
    assert out["rest_days"].to_list() == [3, 6, 4]
    assert rest_days(frame, as_of=date(2025, 3, 1)).height == 0


def test_same_region_gaps() -> None:
    d = date(2025, 3, 10)
    frame = build(
        [
            (at(d, 10), [(ROW, "working", 3)]),  # mid 3, lats 1.5, rear 0.9 (< 1: not loaded)
            (at(d + timedelta(1), 18), [(PULLUP, "working", 2)]),  # lats 2, mid 0.5: lats only
            (at(d + timedelta(3), 10), [(ROW, "warmup", 1), (ROW, "working", 2)]),  # mid 2, lats 1
            (at(d + timedelta(3), 20), [(BENCH, "working", 5)]),  # no upper back
        ]
    )
    out = same_region_gaps(frame)
    got = [
        (r["session_id"], r["region"], r["load"], r["gap_h"], r["short"])
        for r in out.iter_rows(named=True)
    ]
    assert got == [
        (1, "mid_traps_rhomboids", 3.0, None, None),
        (1, "lats", 1.5, None, None),
        (2, "lats", 2.0, 32.0, True),  # 10:00 -> next day 18:00
        (3, "mid_traps_rhomboids", 2.0, 72.0, False),
        (3, "lats", 1.0, 40.0, True),
    ]
    assert out.filter(pl.col("session_id") == 3)["prev_session_start"].to_list() == [
        at(d, 10),
        at(d + timedelta(1), 18),
    ]


def test_same_region_gaps_ignores_stabiliser_roles_by_default() -> None:
    # 8 hard squat sets x 0.25 (stabiliser) = 2 for the mid-traps: counted only with min_weight 0.
    frame = build(
        [
            (at(AS_OF, 10), [("Squat (Barbell)", "working", 8)]),
            (at(AS_OF, 20), [("Squat (Barbell)", "working", 8)]),
        ]
    )
    assert same_region_gaps(frame).height == 0
    loose = same_region_gaps(frame, min_weight=0.0)
    assert loose["load"].to_list() == [2.0, 2.0]
    assert loose["gap_h"].to_list() == [None, 10.0]


def test_same_region_gaps_rpe_makes_sets_easy() -> None:
    frame = build([(at(AS_OF, 10), [(ROW, "working", 2)])]).with_columns(pl.lit(5.0).alias("rpe"))
    assert same_region_gaps(frame).height == 0  # RIR 5 > 4: no hard sets, nothing loaded


def test_consecutive_training_days() -> None:
    days = [date(2025, 3, d) for d in (30, 12, 13, 20, 28, 29)]
    out = consecutive_training_days(build([(at(d, 9), [(BENCH, "working", 1)]) for d in days]))
    assert out.rows() == [
        (date(2025, 3, 12), date(2025, 3, 13), 2),
        (date(2025, 3, 20), date(2025, 3, 20), 1),
        (date(2025, 3, 28), date(2025, 3, 30), 3),
    ]


def test_sleep_nights() -> None:
    d = date(2025, 3, 10)
    rec = recovery(
        [
            (d, "sleep", 6.5),
            (d, "sleep", 7.5),
            (d + timedelta(1), "sleep", 6.0),
            (d + timedelta(2), "sleep", 7.0),
            (d + timedelta(2), "yoga", 30.0),
            (d + timedelta(3), "sleep", None),
        ]
    )
    assert sleep_nights(rec).rows() == [
        (d, 7.5, False),
        (d + timedelta(1), 6.0, True),
        (d + timedelta(2), 7.0, False),
    ]


def test_practices() -> None:
    rec = recovery(
        [
            (AS_OF, "yoga", 30.0),
            (date(2025, 3, 25), "yoga", 20.0),
            (date(2025, 3, 25), "foam-rolling", 10.0),
            (date(2025, 3, 20), "massage", 60.0),
            (date(2025, 4, 2), "stretching", 15.0),
            (AS_OF, "sleep", 8.0),
        ]
    )
    out = practices(rec, end=AS_OF)
    assert out.rows() == [
        (date(2025, 3, 17), date(2025, 3, 23), "massage", 60.0),
        (date(2025, 3, 24), AS_OF, "foam-rolling", 10.0),
        (date(2025, 3, 24), AS_OF, "yoga", 50.0),
    ]
    assert practices(recovery([])).height == 0


def test_parts_and_combine() -> None:
    assert [share_abnormality(x) for x in (0.0, 0.25, 0.5, 0.75, 1.0)] == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert [rest_abnormality(x) for x in (0.0, 1.0, 2.0, 3.5)] == [1.0, 0.5, 0.0, 0.0]
    assert combine([]) == 0.0
    assert combine([1.0, 0.0, 0.0]) == pytest.approx((1 + 1 / 3) / 2)
    assert combine([0.4, 0.4]) == pytest.approx(0.4)


def _athlete(every: int, hours: float | None, *, weeks: int = 10) -> AthleteData:
    """Row sessions at 17:00 every `every` days back from 29 June; nightly sleep of `hours`."""
    as_of = date(2025, 6, 29)
    days = sorted(as_of - timedelta(days=k) for k in range(0, 7 * weeks, every))
    sets = build([(at(d, 17), [(ROW, "working", 3)]) for d in days])
    nights = (
        []
        if hours is None
        else [(as_of - timedelta(days=k), "sleep", hours) for k in range(7 * weeks)]
    )
    return AthleteData("me", as_of, "UTC", sets, pl.DataFrame(schema=PAIN), recovery(nights))


def _check_shape(result: FactorResult) -> None:
    assert result.cause == "recovery" and 0 <= result.abnormality <= 1
    assert result.exposures.schema == pl.Schema(EXPOSURE_SCHEMA)
    for ev in result.evidence:
        assert ev.grade in ("A", "B", "C") and ev.text
        assert ev.period == "" or re.fullmatch(r"\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d", ev.period)
    assert result.advice and result.sources


def test_analyze_clearly_bad_athlete() -> None:
    # Rows every day for 70 days, 5.5 h sleep every night: no rest days, every gap 24 h.
    result = analyze(_athlete(1, 5.5))
    _check_shape(result)
    assert result.known and result.abnormality > 0.6
    ev = {e.metric: e for e in result.evidence}
    assert ev["rest_days_per_week"].value == 0.0
    assert ev["rest_days_per_week"].period == "2025-05-05..2025-06-29"
    # Sessions on each of the last 56 days, each 24 h after the one before it, each loading
    # two regions (3 rows: mid-traps 3, lats 1.5; rear delts 0.9 < 1): 2 x 56 gaps.
    gaps = ev["same_region_gap_under_48h_share"]
    assert gaps.value == 100.0
    assert "112 of 112 times in the last 8 weeks" in gaps.text
    assert "most often your lats: 56 times" in gaps.text  # a tie, broken by region name
    assert ev["short_sleep_share"].value == 100.0
    assert "56 of your 56 logged nights" in ev["short_sleep_share"].text
    assert ev["longest_training_streak"].value == 70
    assert ev["recovery_practice_minutes_per_week"].value == 0.0
    exp = result.exposures
    short_rec = exp.filter(pl.col("factor") == "short_recovery")
    assert short_rec.height == 70 and int(short_rec["exposed"].sum()) == 69  # not the first
    short_sleep = exp.filter(pl.col("factor") == "short_sleep")
    assert short_sleep.height == 70 and short_sleep["exposed"].all()
    assert len(result.charts["sleep"]) == 70 and result.charts["sleep"][0]["hours"] == 5.5
    assert sum(w["rest_days"] for w in result.charts["rest_days"]) == 0


def test_analyze_clearly_fine_athlete() -> None:
    # Every 3rd day (72 h gaps, 2 training days in most weeks: ~4.7 rest days), 8 h sleep.
    result = analyze(_athlete(3, 8.0))
    _check_shape(result)
    assert result.abnormality < 0.2
    ev = {e.metric: e for e in result.evidence}
    assert ev["same_region_gap_under_48h_share"].value == 0.0
    assert ev["short_sleep_share"].value == 0.0
    assert not result.exposures["exposed"].any()


def test_analyze_gap_of_exactly_48h_is_not_short() -> None:
    result = analyze(_athlete(2, 8.0))
    ev = {e.metric: e for e in result.evidence}
    assert ev["same_region_gap_under_48h_share"].value == 0.0
    assert ev["rest_days_per_week"].value == 3.5  # every other day: 28 rest days in 56


def test_analyze_without_sleep_says_unknown() -> None:
    result = analyze(_athlete(3, None))
    assert result.known
    sleep = next(e for e in result.evidence if e.metric == "short_sleep_share")
    assert sleep.value is None and "unknown" in sleep.text
    assert result.exposures.filter(pl.col("factor") == "short_sleep").height == 0
    assert any("Log your sleep" in a for a in result.advice)


def test_analyze_unknown_with_nothing_logged() -> None:
    base = _athlete(3, None)
    data = AthleteData("me", base.as_of, "UTC", base.sets.head(0), base.pain, base.recovery)
    result = analyze(data)
    assert not result.known and result.abnormality == 0.0 and result.exposures.height == 0


def test_practice_minutes_a_week_by_hand() -> None:
    # The 8 weeks (56 days) up to AS_OF, 30 March 2025, start on 3 February; 2 February and
    # 31 March fall outside and sleep is no practice. Inside: massage 64, yoga 30 + 10 and
    # foam rolling 8 minutes = 112 / 8 weeks = 14 a week (massage 8, yoga 5, foam rolling 1).
    rows = [
        (AS_OF, "yoga", 30.0),
        (date(2025, 2, 10), "yoga", 10.0),
        (date(2025, 2, 3), "massage", 64.0),
        (date(2025, 3, 25), "foam-rolling", 8.0),
        (date(2025, 2, 2), "yoga", 500.0),
        (AS_OF + timedelta(days=1), "yoga", 999.0),
        (AS_OF, "sleep", 8.0),
    ]
    ev = practice_evidence(recovery(rows), start=AS_OF - timedelta(days=55), end=AS_OF)
    assert (ev.value, ev.threshold, ev.unit, ev.grade) == (14.0, None, "min/week", "C")
    assert ev.period == "2025-02-03..2025-03-30"
    assert ev.text == (
        "You logged 14 minutes a week of recovery work in the last 8 weeks "
        "(massage 8, yoga 5, foam rolling 1)."
    )
    data = AthleteData("me", AS_OF, "UTC", build([]), pl.DataFrame(schema=PAIN), recovery(rows))
    by_metric = {e.metric: e for e in analyze(data).evidence}
    assert by_metric["recovery_practice_minutes_per_week"] == ev
