"""Fitbod importer over synthetic files written from Fitbod's documented export header
(tests/data/variants/README.md: no real Fitbod export is available to the project)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.errors import InputError
from backcheck.ingest import fitbod, read_export
from backcheck.ingest.columns import LB_TO_KG
from importer_props import check_random_text

VARIANTS = Path(__file__).parent / "data" / "variants"
SAMPLE = VARIANTS / "fitbod_sample.csv"
OWN_TIMES = VARIANTS / "fitbod_lbs_own_times.csv"
HEADER = (
    "Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,"
    "multiplier"
)
NEW_YORK = ZoneInfo("America/New_York")


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(tmp: Path, *rows: str) -> Path:
    path = tmp / "fitbod.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_sample_sessions_share_the_workout_stamp() -> None:
    # The offset is given, so the zone passed does not matter.
    parsed = fitbod.read(SAMPLE, unit=None, tz=NEW_YORK)
    rows = _csv_rows(SAMPLE)
    assert parsed.rows == len(rows) == 10
    assert parsed.sets.height + len(parsed.skipped) == parsed.rows
    assert parsed.sessions == 2
    starts = sorted(set(parsed.sets["session_start"].to_list()))
    assert starts == [
        datetime(2021, 3, 1, 17, 34, tzinfo=UTC),
        datetime(2021, 3, 4, 6, 10, tzinfo=UTC),
    ]
    expected = ["warmup" if r["isWarmup"].lower() == "true" else "working" for r in rows]
    assert parsed.sets["set_type"].to_list() == expected
    assert parsed.sets["weight_kg"].to_list() == [float(r["Weight(kg)"]) for r in rows]
    assert parsed.sets["set_index"].to_list() == [1, 2, 3, 4, 1, 2, 1, 1, 2, 1]
    assert parsed.sets["session_name"].null_count() == parsed.sets.height


def test_sample_values() -> None:
    parsed = fitbod.read(SAMPLE, unit=None, tz=NEW_YORK)
    sets = parsed.sets
    assert len(parsed.notes) == 1 and parsed.notes[0].startswith("2 set(s)")
    bench = sets.filter(pl.col("exercise") == "Barbell Bench Press")
    assert bench["notes"].to_list() == [None, None, None, "last rep slow, shoulder ok"]
    assert bench["seconds"].null_count() == 4  # Duration 0 = not logged
    row = sets.filter(pl.col("exercise") == "Dumbbell Row")
    assert row["weight_kg"].to_list() == [22.5, 22.5]  # per dumbbell: multiplier 2 not applied
    run = sets.filter(pl.col("exercise") == "Running").row(0, named=True)
    assert run["seconds"] == 1200
    assert run["distance_m"] == 3000
    assert run["source_line"] == 8


def test_own_time_stamps_group_by_day_and_gaps() -> None:
    """Every row has its own stamp: 09:02-09:20 is one session, 18:30-18:32 (9 h later) a
    second, the next morning a third. Local time in Denver (MDT, UTC-6)."""
    denver = ZoneInfo("America/Denver")
    parsed = fitbod.read(OWN_TIMES, unit=None, tz=denver)
    sets = parsed.sets
    assert parsed.sessions == 3
    morning = datetime(2021, 6, 5, 15, 2, 10, tzinfo=UTC)
    evening = datetime(2021, 6, 6, 0, 30, tzinfo=UTC)
    next_day = datetime(2021, 6, 6, 13, 0, tzinfo=UTC)
    assert sets["session_start"].to_list() == [morning] * 4 + [evening] * 2 + [next_day]
    assert sets["weight_kg"].to_list() == pytest.approx(
        [w * LB_TO_KG for w in (135, 225, 225, 100, 0, 0, 245)]
    )
    assert sets["set_index"].to_list() == [1, 2, 3, 1, 1, 2, 1]
    assert sets["set_type"].to_list() == ["warmup"] + ["working"] * 6
    assert sets["seconds"].to_list()[4:6] == [60, 60]


def test_own_time_stamps_out_of_order_are_sorted_for_set_index(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "2024-01-02 10:06:00 +0000,Squat,5,100,0,0,0,0,false,,1",
        "2024-01-02 10:00:00 +0000,Squat,5,60,0,0,0,0,true,,1",
        "2024-01-02 10:03:00 +0000,Squat,5,80,0,0,0,0,true,,1",
    )
    sets = fitbod.read(path, unit=None, tz=NEW_YORK).sets
    assert sets["set_index"].to_list() == [3, 1, 2]
    assert sets["session_start"].n_unique() == 1
    assert sets["session_start"][0] == datetime(2024, 1, 2, 10, 0, tzinfo=UTC)


def test_two_hour_gap_splits_a_day(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "2024-01-02 10:00:00,Squat,5,60,0,0,0,0,false,,1",
        "2024-01-02 11:59:00,Squat,5,60,0,0,0,0,false,,1",
        "2024-01-02 13:59:00,Squat,5,60,0,0,0,0,false,,1",
    )
    parsed = fitbod.read(path, unit=None, tz=ZoneInfo("UTC"))
    assert parsed.sessions == 2  # 1 h 59 min joins; exactly 2 h splits


@pytest.mark.parametrize(
    ("row", "word"),
    [
        ("2024-01-02 10:00:00 +0000,Squat,5,sixty,0,0,0,0,false,,1", "sixty"),
        ("2024-01-02 10:00:00 +0000,Squat,five,60,0,0,0,0,false,,1", "five"),
        ("2024-01-02 10:00:00 +0000,Squat,5,60,0,0,0,0,maybe,,1", "maybe"),
        ("02/01/2024 10:00,Squat,5,60,0,0,0,0,false,,1", "02/01/2024"),
        ("2024-01-02 10:00:00 +0000,Squat,5,60,-3,0,0,0,false,,1", "-3"),
    ],
)
def test_bad_values_name_the_line(tmp_path: Path, row: str, word: str) -> None:
    path = _write(tmp_path, "2024-01-02 10:00:00 +0000,Squat,5,60,0,0,0,0,false,,1", row)
    with pytest.raises(InputError) as err:
        read_export(path, fmt="fitbod", tz=NEW_YORK)
    assert err.value.line == 3
    assert word in err.value.reason


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "Date,Exercise,Reps,isWarmup\n2024-01-02 10:00:00,Squat,5,false\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        fitbod.read(path, unit=None, tz=NEW_YORK)
    assert err.value.line == 1
    assert "Weight(kg) or Weight(lbs)" in err.value.reason


def test_row_without_exercise_is_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "2024-01-02 10:00:00 +0000,Squat,5,60,0,0,0,0,false,,1",
        "2024-01-02 10:00:00 +0000,,5,60,0,0,0,0,false,,1",
    )
    parsed = fitbod.read(path, unit=None, tz=NEW_YORK)
    assert [(s.line, s.why) for s in parsed.skipped] == [(3, "no exercise name")]
    assert parsed.sets.height == 1


_CELL = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "",
            "2024-01-02 10:00:00 +0000",
            "2024-01-02 10:00:00",
            "Squat",
            "true",
            "false",
            "5",
            "1e400",
            "-0",
            "nan",
            '"',
            "\n",
            "+9999",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, min_size=10, max_size=12), max_size=5), raw=st.booleans())
def test_random_text_parses_or_raises_input_error(rows: list[list[str]], raw: bool) -> None:
    check_random_text(
        lambda path: fitbod.read(path, unit=None, tz=NEW_YORK), header=HEADER, rows=rows, raw=raw
    )
