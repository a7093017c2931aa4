"""Push vs pull balance (docs/science.md section 3) on hand-built set frames with worked numbers."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from backcheck.analysis.balance import (
    analyze,
    day_push_pull,
    push_pull,
    window_abnormality,
)
from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.strength_ratio import e1rm_ratio
from backcheck.errors import UsageError
from backcheck.model import REGIONS, STORED_SET_SCHEMA

PATTERN = {
    "Bench Press (Barbell)": "horizontal-push",
    "Bench Press (Dumbbell)": "horizontal-push",
    "Incline Bench Press (Barbell)": "horizontal-push",
    "Push Up": "horizontal-push",
    "Bent Over Row (Barbell)": "horizontal-pull",
    "Dumbbell Row": "horizontal-pull",
    "Seated Cable Row": "horizontal-pull",
    "Overhead Press (Barbell)": "vertical-push",
    "Pull Up": "vertical-pull",
    "Squat (Barbell)": "squat",
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

Row = tuple[date, str, str, float, int, float | None]  # day, exercise, set_type, kg, reps, rpe


def build(rows: list[Row]) -> pl.DataFrame:
    """AthleteData.sets: one session per day (17:00 UTC), catalog columns from PATTERN."""
    days = sorted({r[0] for r in rows})
    data = [
        {
            "athlete": "me",
            "session_id": days.index(day) + 1,
            "session_start": datetime(day.year, day.month, day.day, 17, tzinfo=UTC),
            "exercise": ex,
            "set_index": i + 1,
            "set_type": st,
            "weight_kg": kg,
            "reps": reps,
            "rpe": rpe,
            "source_line": i + 2,
            "day": day,
            "pattern": PATTERN.get(ex),
            "upper_body": PATTERN.get(ex) not in (None, "squat"),
        }
        for i, (day, ex, st, kg, reps, rpe) in enumerate(rows)
    ]
    frame = pl.DataFrame(data)
    schema = {**STORED_SET_SCHEMA, **EXTRA}
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
        for c, t in schema.items()
    ).with_columns(pl.lit(0.0).alias(f"w_{r}") for r in REGIONS)


def sets_of(
    day: date, exercise: str, n: int, kg: float, reps: int, rpe: float | None = None
) -> list[Row]:
    return [(day, exercise, "working", kg, reps, rpe)] * n


BENCH, ROW, OHP, PULLUP = (
    "Bench Press (Barbell)",
    "Bent Over Row (Barbell)",
    "Overhead Press (Barbell)",
    "Pull Up",
)
END = date(2025, 3, 30)


def _weekly_rows() -> list[Row]:
    return [
        *sets_of(date(2025, 2, 1), BENCH, 1, 100, 5),  # 57 days before END: bin 8
        *sets_of(date(2025, 3, 20), ROW, 2, 80, 10),  # 10 days: bin 1
        *sets_of(date(2025, 3, 20), ROW, 1, 60, 10, rpe=5.0),  # RIR 5: volume, not hard
        *sets_of(date(2025, 3, 20), PULLUP, 2, 0, 8),
        (date(2025, 3, 20), BENCH, "warmup", 40, 10, None),  # warm-up: neither sets nor kg
        *sets_of(date(2025, 3, 25), BENCH, 2, 100, 5),  # bin 0
        *sets_of(END, BENCH, 3, 100, 5),
        *sets_of(END, ROW, 1, 80, 10),
        *sets_of(END, OHP, 2, 50, 5),
    ]


def test_push_pull_weekly_and_rolling() -> None:
    pp = push_pull(build(_weekly_rows()), tz="UTC", end=END)
    # 2025-02-01 is 57 days before END: bins 0..8, 9 weeks.
    assert pp.height == 9
    assert pp["week_end"].to_list() == [END - timedelta(weeks=k) for k in range(8, -1, -1)]
    assert (pp["week_end"] - pp["week_start"]).dt.total_days().to_list() == [6] * 9
    first, last, prev = pp.row(0, named=True), pp.row(8, named=True), pp.row(7, named=True)
    assert (first["h_push_sets"], first["h_push_volume"], first["weeks_4w"]) == (1, 500, 1)
    assert first["h_no_pull_sets_4w"] and first["h_ratio_sets_4w"] is None
    # The first week's bench stays in the rolling window 3 more weeks, then drops out.
    assert pp["h_push_sets_4w"].to_list()[:5] == [1, 1, 1, 1, 0]
    assert pp["h_no_pull_sets_4w"].to_list()[:5] == [True] * 4 + [False]
    # Week before END: 2 hard rows (the RPE 5 row is not hard) = 1600 + 600 kg; pull-ups 0 kg.
    assert (prev["h_pull_sets"], prev["h_pull_volume"]) == (2, 2200)
    assert (prev["v_pull_sets"], prev["v_pull_volume"]) == (2, 0)
    assert prev["h_push_sets"] == 0 and prev["h_ratio_sets"] == 0.0
    # Last week: bench 5 sets x 500 kg, rows 1 x 800 kg, OHP 2 x 250 kg.
    assert (last["h_push_sets"], last["h_pull_sets"], last["h_ratio_sets"]) == (5, 1, 5.0)
    assert last["h_ratio_volume"] == pytest.approx(2500 / 800)
    assert (last["h_push_sets_4w"], last["h_pull_sets_4w"]) == (5, 3)
    assert last["h_ratio_sets_4w"] == pytest.approx(5 / 3)
    assert last["h_ratio_volume_4w"] == pytest.approx(2500 / 3000)
    assert last["v_ratio_sets_4w"] == 1.0
    assert last["v_ratio_volume_4w"] is None and last["v_no_pull_volume_4w"]
    assert last["weeks_4w"] == 4


def test_push_pull_uses_tz_without_day_column() -> None:
    frame = build(sets_of(END, BENCH, 1, 100, 5)).drop("day")
    late = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # 01:30 on 31 March in Berlin (CEST)
    frame = frame.with_columns(
        pl.lit(late).cast(STORED_SET_SCHEMA["session_start"]).alias("session_start")
    )
    assert push_pull(frame, tz="Europe/Berlin")["week_end"].to_list() == [date(2025, 3, 31)]
    with pytest.raises(UsageError, match="tz"):
        push_pull(frame, tz="Mars/Olympus")


def test_push_pull_empty() -> None:
    assert push_pull(build([]).head(0), tz="UTC").height == 0


def test_e1rm_ratio_compares_like_with_like() -> None:
    d = END
    rows: list[Row] = [
        *sets_of(d, BENCH, 1, 100, 5),  # Epley 100 * (1 + 5/30) = 116.67
        *sets_of(d, BENCH, 1, 110, 1),  # 113.67
        *sets_of(d, BENCH, 1, 130, 12),  # 12 reps: not trusted
        (d, BENCH, "warmup", 140, 1, None),  # warm-up: ignored
        *sets_of(d, "Incline Bench Press (Barbell)", 1, 120, 5),  # not bench-type
        *sets_of(d, ROW, 1, 80, 8),  # 80 * (1 + 8/30) = 101.33
        *sets_of(d, "Seated Cable Row", 1, 150, 10),  # not row-type
        *sets_of(d, "Bench Press (Dumbbell)", 1, 40, 8),  # 50.67
        *sets_of(d, "Dumbbell Row", 1, 45, 10),  # 60
        *sets_of(d - timedelta(days=100), ROW, 1, 120, 5),  # 140, old
    ]
    out = e1rm_ratio(build(rows), since=d - timedelta(days=55))
    assert out["equipment"].to_list() == ["barbell", "dumbbell"]
    bb, db = out.row(0, named=True), out.row(1, named=True)
    assert (bb["bench_exercise"], bb["row_exercise"]) == (BENCH, ROW)
    assert bb["bench_e1rm"] == pytest.approx(100 * 35 / 30)
    assert bb["row_e1rm"] == pytest.approx(80 * 38 / 30)
    assert bb["ratio"] == pytest.approx((100 * 35 / 30) / (80 * 38 / 30))
    assert db["ratio"] == pytest.approx((40 * 38 / 30) / 60)
    everything = e1rm_ratio(build(rows))
    assert everything.row(0, named=True)["row_e1rm"] == pytest.approx(140)


@pytest.mark.parametrize(
    ("ratio", "no_pull", "expected"),
    [
        (None, False, 0.0),
        (1.0, False, 0.0),
        (1.5, False, 0.0),
        (1.5 * math.sqrt(2), False, 0.5),
        (3.0, False, 1.0),
        (5.0, False, 1.0),
        (None, True, 1.0),
    ],
)
def test_window_abnormality(ratio: float | None, no_pull: bool, expected: float) -> None:
    assert window_abnormality(ratio, no_pull=no_pull) == pytest.approx(expected)


def test_day_push_pull() -> None:
    d = END
    rows = [
        *sets_of(d, BENCH, 3, 100, 5),
        *sets_of(d, ROW, 2, 80, 8),  # 3 vs 1.5 x 2 = 3: no
        *sets_of(d + timedelta(1), BENCH, 4, 100, 5),
        *sets_of(d + timedelta(1), ROW, 2, 80, 8),
        *sets_of(d + timedelta(2), "Push Up", 2, 0, 20),  # push, no pull: yes
        *sets_of(d + timedelta(3), "Squat (Barbell)", 5, 100, 5),  # neither: no
    ]
    out = day_push_pull(build(rows), tz="UTC")
    assert out["push"].to_list() == [3, 4, 2, 0]
    assert out["pull"].to_list() == [2, 2, 0, 0]
    assert out["push_dominant"].to_list() == [False, True, True, False]


def _athlete(bench_sets: int, row_sets: int, *, weeks: int = 10, row_kg: float = 80) -> AthleteData:
    """`weeks` weeks before as_of: Monday and Thursday bench + rows, Saturday squats."""
    as_of = date(2025, 6, 29)  # a Sunday
    rows: list[Row] = []
    for w in range(weeks):
        monday = as_of - timedelta(days=6 + 7 * w)
        for day in (monday, monday + timedelta(3)):
            rows += sets_of(day, BENCH, bench_sets, 100, 5) + sets_of(day, ROW, row_sets, row_kg, 8)
        rows += sets_of(monday + timedelta(5), "Squat (Barbell)", 5, 120, 5)
    pain, rec = pl.DataFrame(schema=PAIN), pl.DataFrame(schema=RECOVERY)
    return AthleteData("me", as_of, "UTC", build(rows), pain, rec)


def _check_shape(result: FactorResult) -> None:
    assert result.cause == "imbalance" and 0 <= result.abnormality <= 1
    assert result.exposures.schema == pl.Schema(EXPOSURE_SCHEMA)
    assert set(result.exposures["factor"]) == {"push_dominant_day", "push_heavy_week"}
    for ev in result.evidence:
        assert ev.grade in ("A", "B", "C") and ev.text
        assert re.fullmatch(r"\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d", ev.period)


def test_analyze_clearly_bad_athlete() -> None:
    # 6 bench sets and 1 row set twice a week: 6 to 1 by sets (>= 3: 1), 600*6*... by kg:
    # 6 x 500 kg vs 1 x 640 kg = 4.7 (>= 3: 1). Every window, so abnormality 1 and chronic.
    result = analyze(_athlete(6, 1))
    _check_shape(result)
    assert result.known and result.abnormality > 0.6 and result.chronic
    ev = {e.metric: e for e in result.evidence}
    sets = ev["push_pull_ratio_sets"]
    assert (sets.value, sets.threshold, sets.unit) == (6.0, 1.5, "ratio")
    assert sets.period == "2025-06-02..2025-06-29"
    assert (
        "48 hard sets of horizontal pressing" in sets.text
        and "8 of horizontal pulling" in sets.text
    )
    assert ev["push_pull_ratio_volume"].value == pytest.approx(round(6 * 500 / 640, 2))
    assert ev["imbalanced_windows"].value == 5
    assert ev["bench_row_e1rm_ratio"].value == pytest.approx(
        round((100 * 35 / 30) / (80 * 38 / 30), 2)
    )
    exp = result.exposures.filter(pl.col("factor") == "push_dominant_day")
    assert exp.height == 30  # 3 training days a week, 10 weeks
    assert int(exp["exposed"].sum()) == 20  # the pressing days; squat days are not
    weeks = result.exposures.filter(pl.col("factor") == "push_heavy_week")
    assert weeks.height == 30 and weeks["exposed"].all()  # every week is push-heavy
    chart = result.charts["weekly_push_pull"]
    assert chart[-1] == {
        "week_start": "2025-06-23",
        "week_end": "2025-06-29",
        "push_sets": 12,
        "pull_sets": 2,
        "vertical_push_sets": 0,
        "vertical_pull_sets": 0,
    }


def test_analyze_clearly_fine_athlete() -> None:
    result = analyze(_athlete(4, 4))
    _check_shape(result)
    assert result.abnormality < 0.2 and not result.chronic
    ev = {e.metric: e for e in result.evidence}
    # 4 x 500 kg bench vs 4 x 640 kg rows: 0.78 by kg, 1.0 by sets.
    assert ev["push_pull_ratio_sets"].value == 1.0
    assert not result.exposures["exposed"].any()
    assert "worst_push_pull_window_sets" not in ev


def test_analyze_hard_sets_lead_over_volume_load() -> None:
    # 3 bench sets (1,500 kg) and 1 heavy row set (200 x 8 = 1,600 kg) per day: 3.0 to 1 by
    # sets (part 1), 0.94 by kg (part 0): max(1, (1 + 0) / 2) = 1 in every window.
    result = analyze(_athlete(3, 1, row_kg=200))
    ev = {e.metric: e for e in result.evidence}
    assert ev["push_pull_ratio_sets"].value == 3.0
    assert ev["push_pull_ratio_volume"].value == pytest.approx(round(1500 / 1600, 2))
    assert result.abnormality == pytest.approx(1.0)
    # The other way round: 1:1 by sets, 4 x 500 vs 4 x 160 kg = 3.1 by kg: (0 + 1) / 2.
    assert analyze(_athlete(4, 4, row_kg=20)).abnormality == pytest.approx(0.5)


def test_analyze_no_pulling_is_maximal_but_has_no_value() -> None:
    result = analyze(_athlete(3, 0, weeks=3))
    assert result.abnormality == 1.0
    sets = next(e for e in result.evidence if e.metric == "push_pull_ratio_sets")
    assert sets.value is None and "no horizontal pulling" in sets.text
    assert not result.chronic  # 3 weeks of log: not 4+ weeks of imbalance


def test_analyze_unknown_without_push_or_pull() -> None:
    data = _athlete(4, 4)
    legs = data.sets.filter(pl.col("pattern") == "squat")
    result = analyze(AthleteData("me", data.as_of, "UTC", legs, data.pain, data.recovery))
    assert not result.known and result.abnormality == 0.0
    assert result.evidence[0].metric == "push_pull_ratio_sets"


def test_an_imbalance_phase_that_ended_still_counts() -> None:
    # 14 weeks up to as_of: 4 bench sets and 4 rows twice a week, but only 1 row set in weeks
    # 11-14 back (4 to 1): that phase ended 10 weeks ago, before the last 8 weeks.
    as_of = date(2025, 6, 29)
    rows: list[Row] = []
    for w in range(14):
        monday = as_of - timedelta(days=6 + 7 * w)
        for day in (monday, monday + timedelta(3)):
            rows += sets_of(day, BENCH, 4, 100, 5) + sets_of(day, ROW, 1 if w >= 10 else 4, 80, 8)
    data = AthleteData(
        "me", as_of, "UTC", build(rows), pl.DataFrame(schema=PAIN), pl.DataFrame(schema=RECOVERY)
    )
    result = analyze(data)
    _check_shape(result)
    assert result.abnormality > 0.6 and not result.chronic
    worst = next(e for e in result.evidence if e.metric == "worst_push_pull_window_sets")
    assert (worst.value, worst.grade) == (4.0, "C")
    weeks = result.exposures.filter(pl.col("factor") == "push_heavy_week")
    exposed = weeks.filter(pl.col("exposed"))["day"]
    assert exposed.len() == 8 and exposed.max() < as_of - timedelta(weeks=10)
