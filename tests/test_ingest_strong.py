"""The Strong importer over real exports (tests/data/logs/strong) and hand-written variants
(tests/data/strong_variants, synthetic); every expectation is worked out by hand or with csv.
Broken input and property tests: test_ingest_strong_bad_input.py."""

from __future__ import annotations

import csv
import gc
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from backcheck.errors import InputError
from backcheck.ingest import csvtext, strong
from backcheck.model import SET_SCHEMA
from strong_helpers import DATA, HEADER12, ROW, VARIANTS, read, write

LB = 0.45359237
STRONG_EXPORTS = [
    e for e in json.loads((DATA / "index.json").read_text())["exports"] if e["format"] == "strong"
]


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- real exports ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", STRONG_EXPORTS, ids=lambda e: e["path"])
def test_real_export_counts(entry: dict[str, object]) -> None:
    parsed = read(DATA / str(entry["path"]))
    assert parsed.format == "strong"
    assert parsed.rows == entry["rows"]
    assert parsed.sets.height + len(parsed.skipped) == parsed.rows
    assert all(s.why for s in parsed.skipped)
    assert parsed.sets["session_start"].n_unique() == entry["sessions"] == parsed.sessions
    assert parsed.sets.schema == pl.Schema(SET_SCHEMA)


#: The Chinese header of a real export (dericmei_strong_zh.csv), as the English one.
CHINESE = {
    "运动名称": "Exercise Name",
    "重量": "Weight",
    "次": "Reps",
    "秒": "Seconds",
    "设置顺序": "Set Order",
}


@pytest.mark.parametrize("entry", STRONG_EXPORTS, ids=lambda e: e["path"])
def test_real_export_values_match_the_csv_module(entry: dict[str, object]) -> None:
    path = DATA / str(entry["path"])
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [{CHINESE.get(k, k): v for k, v in r.items()} for r in csv.DictReader(fh)]
    sets = read(path).sets
    assert sets["exercise"].to_list() == [r["Exercise Name"] for r in rows]
    assert sets["weight_kg"].to_list() == [float(r["Weight"]) for r in rows]
    assert sets["reps"].to_list() == [int(float(r["Reps"])) for r in rows]
    assert sets["seconds"].to_list() == [float(r["Seconds"]) for r in rows]
    # Each exercise appears once per workout in these files, numbered 1, 2, 3 ...
    assert sets["set_index"].to_list() == [int(r["Set Order"]) for r in rows]
    assert set(sets["set_type"]) == {"working"}
    assert sets["source_line"].to_list() == list(range(2, len(rows) + 2))


def test_breinsp_first_row_by_hand() -> None:
    parsed = read(DATA / "logs/strong/breinsp_strong.csv")
    first = parsed.sets.row(0, named=True)
    # 2021-02-10 16:46:13 in Berlin (CET, UTC+1); "2h 18m" = 8280 s.
    assert first["session_start"] == utc(2021, 2, 10, 15, 46, 13)
    assert first["session_name"] == "Mittwoch"
    assert first["duration_s"] == 2 * 3600 + 18 * 60
    assert first["exercise"] == "Bench Press (Barbell)"
    assert (first["set_index"], first["weight_kg"], first["reps"]) == (1, 75.0, 8)
    assert first["rpe"] is None and first["notes"] is None
    assert first["source_file"] == "breinsp_strong.csv" and first["source_line"] == 2
    assert "weights read as kg; pass --unit lb if this export is in pounds" in parsed.notes
    # Plank sets: weight 0, reps 0, timed; they are kept (6 rows with Seconds > 0).
    assert parsed.sets.filter(pl.col("seconds") > 0).height == 6


def test_real_exports_are_recognised_and_other_apps_are_not() -> None:
    for name in ("breinsp_strong.csv", "dakheera47_sample_strong.csv"):
        assert strong.matches(csvtext.read_table(DATA / "logs/strong" / name))
    for other in (
        "logs/hevy/dakheera47_sample_hevy.csv",
        "logs/fitnotes/kaiserlift_fitnotes_example.csv",
        "pose/exercise_correction_plank_test.csv",
    ):
        assert not strong.matches(csvtext.read_table(DATA / other))


# --- variants (hand-written, see tests/data/strong_variants/README.md) ----------------------


def test_english_12_by_hand() -> None:
    parsed = read(VARIANTS / "english_12.csv")
    s = parsed.sets
    assert parsed.rows == 5 and not parsed.skipped
    # 18:01:12 CET -> 17:01:12 UTC; 07:30 CEST (July) -> 05:30 UTC.
    assert (
        s["session_start"].to_list()
        == [utc(2024, 3, 5, 17, 1, 12)] * 3 + [utc(2024, 7, 7, 5, 30)] * 2
    )
    assert s["duration_s"].to_list() == [4260.0] * 3 + [2700.0] * 2
    assert s["set_type"].to_list() == ["warmup", "working", "working", "working", "working"]
    assert s["set_index"].to_list() == [1, 2, 3, 1, 1]
    assert s["rpe"].to_list() == [None, 8.0, 9.5, None, None]
    assert s["rir"].to_list() == [None, 2.0, 0.5, None, None]
    assert s["session_notes"].to_list() == ["Felt fine"] * 3 + [None, None]
    assert s["notes"].to_list() == [None, None, "slow", None, None]
    running = s.row(4, named=True)  # cardio: weight 0, 2.5 km in 900 s
    assert (running["weight_kg"], running["distance_m"], running["seconds"]) == (0.0, 2500.0, 900.0)


def test_chinese_header_gives_the_same_sets_as_english() -> None:
    english = read(VARIANTS / "english_12.csv").sets.drop("source_file")
    chinese = read(VARIANTS / "chinese_12.csv").sets.drop("source_file")
    assert chinese.equals(english)


@pytest.mark.parametrize(
    ("name", "shift", "why"),
    [("no_header_12.csv", 1, "no header"), ("unknown_language_12.csv", 0, "not recognised")],
)
def test_positional_12_columns_give_the_same_sets(name: str, shift: int, why: str) -> None:
    english = read(VARIANTS / "english_12.csv").sets.drop("source_file")
    parsed = read(VARIANTS / name)
    got = parsed.sets.drop("source_file").with_columns(pl.col("source_line") + shift)
    assert got.equals(english)
    assert any(why in note and "12-column" in note for note in parsed.notes)


def test_no_header_10_columns() -> None:
    parsed = read(VARIANTS / "no_header_10.csv", tz=ZoneInfo("UTC"))
    s = parsed.sets
    assert parsed.rows == 3 and s["source_line"].to_list() == [1, 2, 3]
    assert s["reps"].to_list() == [13, 16, 5] and s["weight_kg"].to_list() == [10.0, 10.0, 60.0]
    assert s["rpe"].to_list() == [None, None, 9.0] and s["rir"].to_list() == [None, None, 1.0]
    assert s["duration_s"].to_list() == [2100.0, 2100.0, 2400.0]
    assert s["session_start"].to_list() == [utc(2024, 11, 28, 17, 36, 8)] * 2 + [
        utc(2024, 11, 29, 10, 15)
    ]


def test_semicolons_and_decimal_commas() -> None:
    s = read(VARIANTS / "semicolon_decimal_comma.csv").sets
    assert s["weight_kg"].to_list() == [72.5, 72.5, 0.0]
    assert s["rpe"].to_list() == [8.5, None, None] and s["rir"].to_list() == [1.5, None, None]
    assert s["distance_m"].to_list() == [0.0, 0.0, 5250.0]  # 5,25 km
    assert s["seconds"].to_list() == [0.0, 0.0, 1800.5]
    assert s["notes"].to_list() == [None, "a; b", None]


def test_legacy_header_kg_km_set_order_from_zero() -> None:
    parsed = read(VARIANTS / "legacy_kg.csv")
    s = parsed.sets
    assert s["set_index"].to_list() == [1, 2, 1]  # Strong's 0, 1 / 0
    assert s["weight_kg"].to_list() == [100.0, 100.0, 0.0]
    assert s["distance_m"].to_list() == [0.0, 0.0, 3500.0]
    assert s["duration_s"].to_list() == [None] * 3  # the legacy export has no Duration
    assert s["notes"].to_list() == [None, None, "easy"]
    assert not any("--unit" in n for n in parsed.notes)  # the header says kg


def test_legacy_header_lbs_miles() -> None:
    parsed = read(VARIANTS / "legacy_lbs_miles.csv", unit="kg")
    s = parsed.sets
    assert s["weight_kg"].to_list() == pytest.approx([225 * LB, 0.0])
    assert s["distance_m"].to_list() == pytest.approx([0.0, 2 * 1609.344])
    assert s["set_index"].to_list() == [1, 1]
    assert any("--unit kg ignored" in n for n in parsed.notes)


def test_weight_and_distance_unit_columns() -> None:
    s = read(VARIANTS / "unit_columns.csv", unit="lb").sets
    # lbs, kg, kg, blank (the --unit default: lb) ; mi, km, mi., blank (km).
    assert s["weight_kg"].to_list() == pytest.approx([105.8 * LB, 50.0, 0.0, 0.0])
    assert s["distance_m"].to_list() == pytest.approx([0.0, 0.0, 1.5 * 1609.344, 4000.0])
    assert s["duration_s"].to_list() == [62 * 60.0] * 4
    assert s["rpe"].to_list() == [None, 9.0, None, None]


def test_set_order_letters_and_rest_timers() -> None:
    parsed = read(VARIANTS / "workout_number_13.csv", tz=ZoneInfo("UTC"))
    s = parsed.sets
    assert parsed.rows == 9 and s.height == 7
    assert [(k.line, k.why) for k in parsed.skipped] == [
        (4, strong.REST_TIMER),
        (8, strong.REST_TIMER),
    ]
    assert s["exercise"].to_list() == ["Bench Press (Barbell)"] * 5 + ["Dips", "Running"]
    assert s["set_type"].to_list() == [
        "warmup",
        "working",
        "working",
        "drop",
        "failure",
        "warmup",
        "working",
    ]
    assert s["set_index"].to_list() == [1, 2, 3, 4, 5, 1, 1]
    assert s["source_line"].to_list() == [2, 3, 5, 6, 7, 9, 10]
    assert s["duration_s"].to_list() == [3600.0] * 6 + [1800.0]
    assert s["distance_m"][6] == 5000.0  # "Distance (meters)"
    assert s["rpe"].to_list() == [None, 8.0, 8.5, None, 10.0, None, None]
    assert parsed.sessions == 2
    assert not any("Workout #" in n for n in parsed.notes)


@pytest.mark.parametrize("spelling", ["Rest Timer", "rest timer", "REST-TIMER", "RestTimer"])
def test_rest_timer_spellings(tmp_path: Path, spelling: str) -> None:
    text = "\n".join(
        [
            HEADER12,
            ROW,
            f'2024-03-05 18:01:12,"Push",35m,"Bench Press (Barbell)",{spelling},,,,90,,,',
            f'2024-03-05 18:01:12,"Push",35m,"{spelling}",1,,,,90,,,',
        ]
    )
    parsed = read(write(tmp_path, text))
    assert parsed.sets.height == 1
    assert [(k.line, k.why) for k in parsed.skipped] == [
        (3, strong.REST_TIMER),
        (4, strong.REST_TIMER),
    ]


def test_multiline_notes_keep_the_first_line() -> None:
    s = read(VARIANTS / "multiline_notes.csv").sets
    assert s["source_line"].to_list() == [2, 6, 8]
    assert s["notes"][0] == "left shoulder\npinched on rep 6\nstopped"
    assert s["session_notes"].to_list() == ['Gym was "busy"\ntoday'] * 2 + [None]


def test_durations_and_date_forms() -> None:
    s = read(VARIANTS / "durations_dates.csv").sets
    assert s["duration_s"].to_list() == [4260, 2100, 1260, 7200, 45, 4380, 3900, 0, None]
    # 10:00 in Berlin in January = 09:00 UTC, on days 1 to 9.
    assert s["session_start"].to_list() == [utc(2024, 1, d, 9) for d in range(1, 10)]


def test_lb_converted_floats_are_kept_unless_unit_lb(tmp_path: Path) -> None:
    path = VARIANTS / "lb_floats_cardio_gaps.csv"
    as_kg = read(path)
    assert as_kg.sets["weight_kg"].to_list()[:2] == [44.09245243697551, 22.679618500000003]
    assert as_kg.skipped == [strong.Skipped(4, strong.NO_EXERCISE)]
    assert as_kg.sets.height + len(as_kg.skipped) == as_kg.rows == 5
    cycling, plank = as_kg.sets.row(2, named=True), as_kg.sets.row(3, named=True)
    assert (cycling["weight_kg"], cycling["distance_m"], cycling["seconds"]) == (
        0.0,
        12400.0,
        1500.0,
    )
    assert (plank["exercise"], plank["seconds"]) == ("Plank", 90.0)
    as_lb = read(path, unit="lb")
    assert as_lb.sets["weight_kg"].to_list()[:2] == pytest.approx(
        [44.09245243697551 * LB, 22.679618500000003 * LB]
    )
    assert "weights read as lb (--unit lb)" in as_lb.notes
    assert not any("--unit" in n for n in read(path, unit="kg").notes if "ignored" in n)


def test_time_zone_is_applied(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER12 + "\n" + ROW.replace("2024-03-05", "2024-07-05"))
    # 18:01:12 EDT (UTC-4) in July.
    assert read(path, tz=ZoneInfo("America/New_York")).sets["session_start"][0] == utc(
        2024, 7, 5, 22, 1, 12
    )


def test_garbage_collector_is_left_as_it_was(tmp_path: Path) -> None:
    assert gc.isenabled()
    read(VARIANTS / "english_12.csv")
    assert gc.isenabled()
    with pytest.raises(InputError):
        read(write(tmp_path, HEADER12 + "\n" + ROW.replace("80.0", "x")))
    assert gc.isenabled()
    gc.disable()
    try:
        read(VARIANTS / "english_12.csv")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_header_only_file_has_no_sets(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, HEADER12 + "\n"))
    assert (parsed.rows, parsed.sets.height, parsed.skipped) == (0, 0, [])
    assert parsed.sets.schema == pl.Schema(SET_SCHEMA)


def test_variants_are_recognised() -> None:
    for path in sorted(VARIANTS.glob("*.csv")):
        assert strong.matches(csvtext.read_table(path)), path.name
