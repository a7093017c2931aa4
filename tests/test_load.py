"""Daily/weekly region load, week-over-week change, session-RPE load, monotony (spike weeks:
test_spikes.py)."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from backcheck.analysis.load import (
    LOAD_REGIONS,
    daily_region_load,
    has_session_rpe,
    monotony_strain,
    session_rpe_load,
    week_over_week,
    weekly_load,
)
from backcheck.errors import UsageError
from backcheck.model import REGIONS, STORED_SET_SCHEMA, UPPER_BACK_REGIONS

HEVY = Path(__file__).parent / "data" / "logs" / "hevy" / "dakheera47_sample_hevy.csv"


def catalog(weights: dict[str, dict[str, float]]) -> pl.DataFrame:
    """A catalog frame of the shape backcheck.catalog gives: key, name, pattern, w_<region>."""
    return pl.DataFrame(
        {
            "key": list(weights),
            "name": list(weights),
            "pattern": ["isolation"] * len(weights),
            "upper_body": [True] * len(weights),
            **{f"w_{r}": [w.get(r, 0.0) for w in weights.values()] for r in REGIONS},
        },
        schema_overrides={f"w_{r}": pl.Float64 for r in REGIONS},
    )


CATALOG = catalog(
    {
        "row": {"lats": 1.0, "mid_traps_rhomboids": 1.0, "rear_delts": 0.5, "arms": 0.5},
        "bench": {"chest": 1.0, "front_delts": 0.5, "arms": 0.5},
    }
)


def stored(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A stored set frame (model.STORED_SET_SCHEMA) from partial rows; the rest is null."""
    return pl.DataFrame(
        [{name: row.get(name) for name in STORED_SET_SCHEMA} for row in rows],
        schema=STORED_SET_SCHEMA,
        orient="row",
    )


def _set(
    session: int, start: datetime, key: str | None, kind: str, kg: float, reps: int, **extra: Any
) -> dict[str, Any]:
    return {
        "athlete": "me",
        "session_id": session,
        "session_start": start,
        "exercise": key or "?",
        "exercise_key": key,
        "set_type": kind,
        "weight_kg": kg,
        "reps": reps,
        **extra,
    }


A = datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # Monday 17:00 in Berlin
B = datetime(2025, 3, 12, 23, 30, tzinfo=UTC)  # Thursday 00:30 in Berlin, Wednesday in UTC
SETS = stored(
    [
        _set(1, A, "bench", "warmup", 40, 10),
        _set(1, A, "bench", "working", 80, 8, rpe=8.0),
        _set(1, A, "bench", "working", 80, 8, rpe=9.0),
        _set(1, A, "row", "working", 60, 10, rir=5.0),
        _set(1, A, "row", "working", 60, 10, rir=2.0),
        _set(1, A, None, "working", 20, 10),
        _set(2, B, "row", "working", 70, 10),
        _set(2, B, "not-in-catalog", "working", 10, 10),
    ]
)


def _cell(frame: pl.DataFrame, day: date, region: str) -> tuple[float, float]:
    row = frame.filter((pl.col("date") == day) & (pl.col("region") == region))
    assert row.height == 1, (day, region)
    return row["volume_load"][0], row["hard_sets"][0]


def test_daily_region_load_by_hand() -> None:
    daily = daily_region_load(SETS, CATALOG, tz="Europe/Berlin")
    assert daily.columns == ["date", "region", "volume_load", "hard_sets"]
    # Four calendar days (10th..13th March) x 15 rows (12 regions, upper_back, total, unmapped).
    assert daily.height == 4 * 15
    assert set(daily["region"]) == set(LOAD_REGIONS)
    mon, thu = date(2025, 3, 10), date(2025, 3, 13)
    # Monday: bench 2 x 80 x 8 = 1280 kg (warm-up excluded), 2 hard sets (RPE 8, 9);
    # rows 2 x 600 = 1200 kg, 1 hard set (RIR 5 is not hard, RIR 2 is).
    assert _cell(daily, mon, "chest") == (1280.0, 2.0)
    assert _cell(daily, mon, "front_delts") == (640.0, 1.0)
    assert _cell(daily, mon, "arms") == (0.5 * 1280 + 0.5 * 1200, 0.5 * 2 + 0.5 * 1)
    assert _cell(daily, mon, "lats") == (1200.0, 1.0)
    assert _cell(daily, mon, "rear_delts") == (600.0, 0.5)
    # upper back = traps 0 + mid traps 1200 + lats 1200 + rear delts 600 + cuff 0
    assert _cell(daily, mon, "upper_back") == (3000.0, 2.5)
    assert _cell(daily, mon, "total") == (2480.0, 3.0)
    assert _cell(daily, mon, "unmapped") == (200.0, 1.0)  # the set without a catalog key
    # Tuesday, Wednesday: rest days, zeros everywhere.
    rest = daily.filter(pl.col("date").is_in([date(2025, 3, 11), date(2025, 3, 12)]))
    assert rest.height == 30
    assert rest["volume_load"].sum() == 0 and rest["hard_sets"].sum() == 0
    # Session B starts 00:30 Thursday in Berlin: row 700 kg, 1 hard set (nothing logged);
    # the key missing from the catalog counts only as unmapped.
    assert _cell(daily, thu, "upper_back") == (700 + 700 + 350, 2.5)
    assert _cell(daily, thu, "total") == (700.0, 1.0)
    assert _cell(daily, thu, "unmapped") == (100.0, 1.0)
    assert _cell(daily, thu, "chest") == (0.0, 0.0)


def test_daily_days_follow_the_time_zone_and_end() -> None:
    daily = daily_region_load(SETS, CATALOG, tz="UTC", end=date(2025, 3, 16))
    # In UTC session B is on Wednesday the 12th; the frame runs to `end`, Sunday the 16th.
    assert _cell(daily, date(2025, 3, 12), "total") == (700.0, 1.0)
    assert daily["date"].max() == date(2025, 3, 16)
    assert daily["date"].n_unique() == 7


def test_daily_region_load_rejects_bad_input() -> None:
    with pytest.raises(UsageError) as err:
        daily_region_load(SETS, CATALOG, tz="Mars/Olympus")
    assert err.value.parameter == "tz"
    with pytest.raises(UsageError) as err:
        daily_region_load(SETS, CATALOG.drop("w_lats"), tz="UTC")
    assert err.value.parameter == "catalog"
    assert daily_region_load(SETS.clear(), CATALOG, tz="UTC").height == 0


def test_weekly_load_iso_weeks() -> None:
    daily = daily_region_load(SETS, CATALOG, tz="Europe/Berlin", end=date(2025, 3, 17))
    weekly = weekly_load(daily)
    total = weekly.filter(pl.col("region") == "total")
    # 10-16 March is ISO week 2025-W11 (Monday the 10th); the 17th starts W12 (1 day so far).
    assert total["week"].to_list() == [date(2025, 3, 10), date(2025, 3, 17)]
    assert total["iso_week"].to_list() == ["2025-W11", "2025-W12"]
    assert total["volume_load"].to_list() == [2480.0 + 700.0, 0.0]
    assert total["hard_sets"].to_list() == [4.0, 0.0]
    assert total["days"].to_list() == [7, 1]


def _weekly(rows: list[tuple[str, date, float, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["region", "week", "volume_load", "days"], orient="row"
    ).with_columns(pl.lit(0.0).alias("hard_sets"))


def test_week_over_week_by_hand() -> None:
    w = [date(2025, 3, 3) + timedelta(weeks=i) for i in range(5)]
    weekly = _weekly(
        [
            ("total", w[0], 1000.0, 7),
            ("total", w[1], 1100.0, 7),
            ("total", w[2], 1500.0, 7),
            ("total", w[3], 0.0, 7),
            ("total", w[4], 500.0, 7),
            ("lats", w[0], 100.0, 3),  # a partial first week
            ("lats", w[1], 400.0, 7),
            ("lats", w[3], 400.0, 7),  # week 3 has no row at all
        ]
    )
    out = week_over_week(weekly)
    total = out.filter(pl.col("region") == "total")
    # 1100/1000 - 1 = 0.1; 1500/1100 - 1 = 0.364; 0/1500 - 1 = -1; after a 0 week: null
    assert total["change_1w"].to_list() == pytest.approx([None, 0.1, 1500 / 1100 - 1, -1.0, None])
    # two weeks back: 1500/1000 - 1 = 0.5; 0/1100 - 1 = -1; 500/1500 - 1 = -0.667
    assert total["change_2w"].to_list() == pytest.approx([None, None, 0.5, -1.0, 500 / 1500 - 1])
    assert total["prev_2w"].to_list() == [None, None, 1000.0, 1100.0, 1500.0]
    lats = out.filter(pl.col("region") == "lats")
    # the partial week gives no change; the missing week gives no 1-week change either
    assert lats["change_1w"].to_list() == [None, None, None]
    assert lats["change_2w"].to_list() == [None, None, 0.0]


def test_session_rpe_load_by_hand() -> None:
    c = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
    sets = stored(
        [
            _set(1, A, "bench", "warmup", 40, 10, rpe=5.0, duration_s=3600.0),
            _set(1, A, "bench", "working", 80, 8, rpe=8.0, duration_s=3600.0),
            _set(1, A, "bench", "working", 80, 8, rpe=9.0, duration_s=3600.0),
            _set(1, A, "row", "working", 60, 10, rir=2.0, duration_s=3600.0),
            _set(2, B, "row", "working", 70, 10, duration_s=1800.0),
            _set(3, c, "row", "working", 70, 10, rpe=7.0),
        ]
    )
    out = session_rpe_load(sets, tz="Europe/Berlin")
    # 1: mean RPE of the working sets (8 + 9) / 2 = 8.5 (warm-up's 5 ignored) x 60 min = 510
    # 2: no RPE logged -> null; 3: no duration -> null
    assert out["session_id"].to_list() == [1, 2, 3]
    assert out["session_rpe"].to_list() == [8.5, None, 7.0]
    assert out["minutes"].to_list() == [60.0, 30.0, None]
    assert out["srpe_load"].to_list() == [510.0, None, None]
    assert out["date"].to_list() == [date(2025, 3, 10), date(2025, 3, 13), date(2025, 3, 14)]
    # has_session_rpe agrees: only session 1 has both; without it, none has
    assert has_session_rpe(sets)
    assert not has_session_rpe(sets.filter(pl.col("session_id") != 1))
    assert session_rpe_load(sets.filter(pl.col("session_id") != 1))["srpe_load"].null_count() == 2


def test_monotony_known_value() -> None:
    # Foster 1998 with the population SD: loads 50, 0, 100, 50, 0, 150, 0 (zeros not logged):
    # mean 50, variance (0 + 2500 + 2500 + 0 + 2500 + 10000 + 2500) / 7, monotony ~ 0.94.
    start = date(2025, 3, 3)
    loads = [50.0, 0.0, 100.0, 50.0, 0.0, 150.0, 0.0]
    daily = pl.DataFrame(
        {
            "date": [start + timedelta(days=i) for i, v in enumerate(loads) if v],
            "load": [v for v in loads if v],
        }
    )
    row = monotony_strain(daily, end=date(2025, 3, 9)).row(0, named=True)
    sd = math.sqrt(20000 / 7)
    assert row["start"] == start
    assert (row["load"], row["mean"]) == (350.0, 50.0)
    assert row["sd"] == pytest.approx(sd)
    assert row["monotony"] == pytest.approx(50 / sd)
    assert round(row["monotony"], 2) == 0.94
    assert row["strain"] == pytest.approx(350 * 50 / sd)


def test_monotony_null_when_sd_is_zero() -> None:
    start = date(2025, 3, 3)
    daily = pl.DataFrame(
        {"date": [start + timedelta(days=i) for i in range(7)], "load": [80.0] * 7}
    )
    row = monotony_strain(daily, end=date(2025, 3, 9)).row(0, named=True)
    assert (row["sd"], row["monotony"], row["strain"]) == (0.0, None, None)
    # a week with no training at all: load 0, no monotony
    row = monotony_strain(daily, end=date(2026, 1, 1)).row(0, named=True)
    assert (row["load"], row["monotony"]) == (0.0, None)


def test_monotony_of_one_region() -> None:
    daily = daily_region_load(SETS, CATALOG, tz="Europe/Berlin")
    week = monotony_strain(daily, end=date(2025, 3, 16), value="volume_load", region="total")
    row = week.row(0, named=True)
    # week 10-16 March: 2480, 0, 0, 700, 0, 0, 0 -> load 3180
    loads = [2480.0, 0, 0, 700.0, 0, 0, 0]
    mean = sum(loads) / 7
    sd = math.sqrt(sum((v - mean) ** 2 for v in loads) / 7)
    assert row["load"] == 3180.0
    assert row["monotony"] == pytest.approx(mean / sd)


def _hevy_sets() -> tuple[pl.DataFrame, list[dict[str, str]]]:
    """The Hevy sample as a stored set frame, read with the csv module (not the importer).

    Hevy's local times are read as UTC; a few exercises get catalog keys, the rest none.
    """
    keys = {
        "Lat Pulldown (Cable)": "lat-pulldown",
        "Pendlay Row (Barbell)": "pendlay-row",
        "Shrug (Dumbbell)": "shrug",
        "Bench Press (Dumbbell)": "db-bench",
    }
    kinds = {"normal": "working", "warmup": "warmup", "failure": "failure", "dropset": "drop"}
    with HEVY.open(newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    starts = sorted({r["start_time"] for r in raw})
    when = {s: datetime.strptime(s, "%d %b %Y, %H:%M").replace(tzinfo=UTC) for s in starts}
    rows = [
        {
            "athlete": "me",
            "session_id": starts.index(r["start_time"]),
            "session_start": when[r["start_time"]],
            "exercise": r["exercise_title"],
            "exercise_key": keys.get(r["exercise_title"]),
            "set_type": kinds[r["set_type"]],
            "weight_kg": float(r["weight_kg"]) if r["weight_kg"] else None,
            "reps": int(r["reps"]) if r["reps"] else None,
            "rpe": float(r["rpe"]) if r["rpe"] else None,
        }
        for r in raw
    ]
    return stored(rows), raw


HEVY_WEIGHTS = {
    "lat-pulldown": {"lats": 1.0, "mid_traps_rhomboids": 0.5, "arms": 0.5},
    "pendlay-row": {"mid_traps_rhomboids": 1.0, "lats": 0.5, "rear_delts": 0.5, "erectors": 0.5},
    "shrug": {"upper_traps": 1.0},
    "db-bench": {"chest": 1.0, "front_delts": 0.5, "arms": 0.25},
}


def test_daily_region_load_on_a_real_hevy_export() -> None:
    sets, raw = _hevy_sets()
    daily = daily_region_load(sets, catalog(HEVY_WEIGHTS), tz="UTC")
    # Expected with plain Python over the CSV rows: reps x kg of non-warm-up sets, by day.
    key_of = {
        "Lat Pulldown (Cable)": "lat-pulldown",
        "Pendlay Row (Barbell)": "pendlay-row",
        "Shrug (Dumbbell)": "shrug",
        "Bench Press (Dumbbell)": "db-bench",
    }
    want: dict[tuple[date, str], float] = defaultdict(float)
    for r in raw:
        if r["set_type"] == "warmup" or not r["weight_kg"] or not r["reps"]:
            continue
        day = datetime.strptime(r["start_time"], "%d %b %Y, %H:%M").date()
        vol = float(r["weight_kg"]) * int(r["reps"])
        key = key_of.get(r["exercise_title"])
        if key is None:
            want[day, "unmapped"] += vol
            continue
        want[day, "total"] += vol
        for region, w in HEVY_WEIGHTS[key].items():
            want[day, region] += vol * w
            if region in UPPER_BACK_REGIONS:
                want[day, "upper_back"] += vol * w
    got = {(r["date"], r["region"]): r["volume_load"] for r in daily.iter_rows(named=True)}
    first, last = min(d for d, _ in want), max(d for d, _ in want)
    assert daily["date"].min() == first and daily["date"].max() == last
    assert len(got) == ((last - first).days + 1) * len(LOAD_REGIONS)
    assert sum(want.values()) > 1e6
    for cell, value in got.items():
        assert value == pytest.approx(want.get(cell, 0.0)), cell
    # and the weekly sums are the daily sums
    weekly = weekly_load(daily).filter(pl.col("region") == "upper_back")
    assert weekly["volume_load"].sum() == pytest.approx(
        sum(v for (_, region), v in want.items() if region == "upper_back")
    )
    assert set(weekly["days"].to_list()[1:-1]) == {7}
