"""FitNotes importer: the real example export, the old header, warm-up inference by hand."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.errors import InputError
from backcheck.ingest import fitnotes, read_export
from backcheck.ingest.columns import LB_TO_KG
from backcheck.model import ParsedFile
from importer_props import check_random_text

DATA = Path(__file__).parent / "data"
REAL = DATA / "logs" / "fitnotes" / "kaiserlift_fitnotes_example.csv"
OLD = DATA / "variants" / "fitnotes_old_header_kgs.csv"
CHICAGO = ZoneInfo("America/Chicago")
HEADER = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _day(tmp: Path, weights: list[float], exercise: str = "Bench Press") -> Path:
    path = tmp / "fitnotes.csv"
    body = "".join(f"2024-05-01,{exercise},Chest,{w},kgs,5,,,,\n" for w in weights)
    path.write_text(HEADER + "\n" + body, encoding="utf-8")
    return path


def _types(path: Path) -> list[str]:
    return fitnotes.read(path, unit=None, tz=CHICAGO).sets["set_type"].to_list()


@pytest.fixture(scope="module")
def real() -> ParsedFile:
    return fitnotes.read(REAL, unit=None, tz=CHICAGO)


def test_real_file_rows_sessions_units(real: ParsedFile) -> None:
    rows = _csv_rows(REAL)
    assert real.rows == len(rows) == 750
    assert real.sets.height + len(real.skipped) == real.rows
    assert real.sessions == len({r["Date"] for r in rows}) == 141
    assert real.sets["weight_kg"].to_list() == pytest.approx(
        [float(r["Weight"]) * LB_TO_KG for r in rows]
    )
    assert real.sets["reps"].to_list() == [int(r["Reps"]) for r in rows]
    assert real.sets["exercise"].to_list() == [r["Exercise"] for r in rows]
    assert real.sets["notes"].to_list() == [r["Comment"] or None for r in rows]
    assert real.notes == []  # every weight has its unit


def test_real_file_set_index_counts_within_day_and_exercise(real: ParsedFile) -> None:
    rows = _csv_rows(REAL)
    seen: dict[tuple[str, str], int] = {}
    expected = []
    for r in rows:
        key = (r["Date"], r["Exercise"])
        seen[key] = seen.get(key, 0) + 1
        expected.append(seen[key])
    assert real.sets["set_index"].to_list() == expected


def test_real_file_sessions_at_local_noon(real: ParsedFile) -> None:
    first = real.sets.row(0, named=True)
    # 2022-09-14 12:00 in Chicago (CDT, UTC-5) = 17:00 UTC
    assert first["session_start"] == datetime(2022, 9, 14, 17, 0, tzinfo=UTC)
    assert first["duration_s"] is None


@pytest.mark.parametrize(
    "zone", ["Pacific/Pago_Pago", "America/Los_Angeles", "Asia/Tokyo", "UTC", "Asia/Kamchatka"]
)
def test_date_stays_the_same_day_in_utc(zone: str) -> None:
    """Noon local is the same calendar date in UTC from UTC-11 (Pago Pago) to UTC+12."""
    parsed = fitnotes.read(REAL, unit=None, tz=ZoneInfo(zone))
    rows = _csv_rows(REAL)
    got = parsed.sets["session_start"].dt.date().to_list()
    assert got == [date.fromisoformat(r["Date"]) for r in rows]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Auckland", "Pacific/Pago_Pago"])
def test_date_is_the_logged_one_at_noon_in_the_athletes_zone(zone: str) -> None:
    parsed = fitnotes.read(REAL, unit=None, tz=ZoneInfo(zone))
    rows = _csv_rows(REAL)
    local = parsed.sets["session_start"].dt.convert_time_zone(zone)
    assert local.dt.date().to_list() == [date.fromisoformat(r["Date"]) for r in rows]
    assert set(local.dt.hour().to_list()) == {12}


def test_real_first_day_warmups_by_hand(real: ParsedFile) -> None:
    """2022-09-14: bench 45, 65, 95, 115, 135, 155x5, 95, 65 lbs. Top 155; 85% = 131.75:
    45-115 ramp below it (warm-ups); 135 (87%) and later sets working, back-offs included.
    Curls 20, 25, 35, 30, 35, 40, 25: 85% of 40 = 34; 20, 25 ramp; 35 ends the run."""
    day = real.sets.filter(pl.col("session_start") == datetime(2022, 9, 14, 17, tzinfo=UTC))
    bench = day.filter(pl.col("exercise") == "Flat Barbell Bench Press")
    assert [round(w / LB_TO_KG) for w in bench["weight_kg"]] == [45, 65, 95, 115, 135, 155, 95, 65]
    assert bench["set_type"].to_list() == ["warmup"] * 4 + ["working"] * 4
    curl = day.filter(pl.col("exercise") == "Dumbbell Curl")
    assert [round(w / LB_TO_KG) for w in curl["weight_kg"]] == [20, 25, 35, 30, 35, 40, 25]
    assert curl["set_type"].to_list() == ["warmup"] * 2 + ["working"] * 5


def test_straight_sets_have_no_warmups(tmp_path: Path) -> None:
    assert _types(_day(tmp_path, [100] * 5)) == ["working"] * 5


def test_ramp_40_60_80_then_top_sets(tmp_path: Path) -> None:
    assert _types(_day(tmp_path, [40, 60, 80, 100, 100, 100])) == ["warmup"] * 3 + ["working"] * 3


def test_back_off_set_after_top_sets_stays_working(tmp_path: Path) -> None:
    got = _types(_day(tmp_path, [50, 100, 100, 70, 60]))
    assert got == ["warmup", "working", "working", "working", "working"]


def test_ramp_must_not_go_down(tmp_path: Path) -> None:
    # 60 then 40: not a ramp; only the first set is a warm-up.
    assert _types(_day(tmp_path, [60, 40, 100])) == ["warmup", "working", "working"]


def test_bodyweight_day_has_no_warmups(tmp_path: Path) -> None:
    assert _types(_day(tmp_path, [0, 0, 0], exercise="Pull Up")) == ["working"] * 3


def test_infer_warmups_function() -> None:
    assert fitnotes.infer_warmups([40, 60, 80, 100, 100, 100]) == [True] * 3 + [False] * 3
    assert fitnotes.infer_warmups([None, 50, 100]) == [False, False, False]
    assert fitnotes.infer_warmups([]) == []


def test_old_header_kgs_with_cardio_and_skipped_row() -> None:
    parsed = fitnotes.read(OLD, unit=None, tz=ZoneInfo("Europe/Paris"))
    assert parsed.rows == 8
    assert [(s.line, s.why) for s in parsed.skipped] == [(6, "no exercise name")]
    sets = parsed.sets
    row = sets.filter(pl.col("exercise") == "Barbell Row")
    assert row["weight_kg"].to_list() == [40.0, 60.0, 70.0, 70.0]
    # 85% of 70 = 59.5: 40 is a warm-up, 60 is not
    assert row["set_type"].to_list() == ["warmup", "working", "working", "working"]
    assert row["notes"][3] == "grip slipped, straps next time"
    rower = sets.filter(pl.col("exercise") == "Rowing Machine").row(0, named=True)
    assert rower["distance_m"] == pytest.approx(5500)
    assert rower["seconds"] == 25 * 60 + 30
    assert rower["weight_kg"] is None
    assert rower["set_type"] == "working"
    assert parsed.sessions == 2
    assert parsed.notes == []


def test_weight_without_unit_uses_unit_option(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "Date,Exercise,Category,Weight,Reps\n2024-05-01,Row,Back,100,5\n", encoding="utf-8"
    )
    as_kg = fitnotes.read(path, unit=None, tz=CHICAGO)
    assert as_kg.sets["weight_kg"][0] == 100
    assert any("kg" in n for n in as_kg.notes)
    as_lb = fitnotes.read(path, unit="lb", tz=CHICAGO)
    assert as_lb.sets["weight_kg"][0] == pytest.approx(45.359237)
    assert as_lb.notes == []


def test_time_as_seconds_and_miles(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n2024-05-01,Run,Cardio,,,,2,mi,95,\n", encoding="utf-8")
    row = fitnotes.read(path, unit=None, tz=CHICAGO).sets.row(0, named=True)
    assert row["seconds"] == 95
    assert row["distance_m"] == pytest.approx(2 * 1609.344)


@pytest.mark.parametrize(
    ("row", "line", "word"),
    [
        ("2024-05-01,Row,Back,heavy,kgs,5,,,,", 3, "heavy"),
        ("2024-05-01,Row,Back,50,stone,5,,,,", 3, "stone"),
        ("2024-05-01,Row,Back,50,kgs,five,,,,", 3, "five"),
        ("2024-05-01,Row,Back,50,kgs,5,,,1:xx,", 3, "1:xx"),
        ("01/05/2024,Row,Back,50,kgs,5,,,,", 3, "01/05/2024"),
        ("2024-05-01 10:00,Row,Back,50,kgs,5,,,,", 3, "10:00"),
    ],
)
def test_bad_values_name_the_line(tmp_path: Path, row: str, line: int, word: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n2024-05-01,Row,Back,50,kgs,5,,,,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_export(path, fmt="fitnotes", tz=CHICAGO)
    assert err.value.line == line
    assert word in err.value.reason


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Date,Exercise,Category\n2024-05-01,Row,Back\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        fitnotes.read(path, unit=None, tz=CHICAGO)
    assert err.value.line == 1
    assert "reps" in err.value.reason and "weight" in err.value.reason


_CELL = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "",
            "2024-05-01",
            "Row",
            "kgs",
            "lbs",
            "km",
            "1:02:03",
            "5",
            "1e12",
            "-1",
            "inf",
            '"',
            "\n",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, min_size=9, max_size=11), max_size=5), raw=st.booleans())
def test_random_text_parses_or_raises_input_error(rows: list[list[str]], raw: bool) -> None:
    check_random_text(
        lambda path: fitnotes.read(path, unit=None, tz=CHICAGO),
        header=HEADER,
        rows=rows,
        raw=raw,
        set_types={"warmup", "working"},
    )
