"""Hevy importer over the real sample export and small variants written here.

Expectations come from reading the same file with Python's csv module, or by hand.
"""

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
from backcheck.ingest import hevy, read_export
from backcheck.ingest.columns import LB_TO_KG, MILE_TO_M
from backcheck.ingest.dates import month_number, parse_datetime
from backcheck.model import ParsedFile
from importer_props import check_random_text

DATA = Path(__file__).parent / "data"
REAL = DATA / "logs" / "hevy" / "dakheera47_sample_hevy.csv"
VARIANT = DATA / "variants" / "hevy_lbs_miles_de.csv"
LONDON = ZoneInfo("Europe/London")
HEADER = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,"
    "set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe"
)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(tmp: Path, body: str, header: str = HEADER) -> Path:
    path = tmp / "hevy.csv"
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def _row(**cells: str) -> str:
    base = {
        "title": "Push",
        "start_time": "15 Sep 2025, 07:48",
        "end_time": "15 Sep 2025, 09:13",
        "description": "",
        "exercise_title": "Bench Press",
        "superset_id": "",
        "exercise_notes": "",
        "set_index": "0",
        "set_type": "normal",
        "weight_kg": "60",
        "reps": "5",
        "distance_km": "",
        "duration_seconds": "0",
        "rpe": "8",
    }
    base.update(cells)
    return ",".join(f'"{v}"' for v in base.values()) + "\n"


# ------------------------------------------------------------------ the real export


@pytest.fixture(scope="module")
def real() -> ParsedFile:
    return hevy.read(REAL, unit=None, tz=LONDON)


def test_real_file_every_row_accounted_for(real: ParsedFile) -> None:
    rows = _csv_rows(REAL)
    assert real.rows == len(rows)
    assert real.sets.height + len(real.skipped) == real.rows
    assert real.sets.height == len(rows)  # every row has an exercise name
    assert real.sessions == len({(r["title"], r["start_time"]) for r in rows})


def test_real_file_values_match_csv(real: ParsedFile) -> None:
    rows = _csv_rows(REAL)
    sets = real.sets
    expected_types = [
        {"warmup": "warmup", "normal": "working", "failure": "failure", "dropset": "drop"}[
            r["set_type"]
        ]
        for r in rows
    ]
    assert sets["set_type"].to_list() == expected_types
    assert sets["set_index"].to_list() == [int(r["set_index"]) + 1 for r in rows]
    assert sets["weight_kg"].to_list() == [
        float(r["weight_kg"]) if r["weight_kg"] else None for r in rows
    ]
    assert sets["reps"].to_list() == [int(r["reps"]) if r["reps"] else None for r in rows]
    assert sets["rpe"].to_list() == [float(r["rpe"]) if r["rpe"] else None for r in rows]
    assert sets["exercise"].to_list() == [r["exercise_title"] for r in rows]
    assert sets["session_name"].to_list() == [r["title"] for r in rows]
    # rir = 10 - rpe where RPE is logged
    both = sets.filter(pl.col("rpe").is_not_null())
    assert (both["rir"] + both["rpe"] - 10).abs().max() == 0
    # Data starts on line 2; no multi-line cells in this file
    assert sets["source_line"].to_list() == list(range(2, len(rows) + 2))
    assert set(sets["source_file"].to_list()) == {REAL.name}


def test_real_file_times_and_durations(real: ParsedFile) -> None:
    rows = _csv_rows(REAL)
    first = real.sets.row(0, named=True)
    # "15 Sep 2025, 07:48" is British Summer Time (UTC+1): 06:48 UTC; ended 09:13 -> 85 min.
    assert rows[0]["start_time"] == "15 Sep 2025, 07:48"
    assert first["session_start"] == datetime(2025, 9, 15, 6, 48, tzinfo=UTC)
    assert first["duration_s"] == 85 * 60
    fmt = "%d %b %Y, %H:%M"
    for row, got in zip(rows, real.sets.iter_rows(named=True), strict=True):
        start = datetime.strptime(row["start_time"], fmt).replace(tzinfo=LONDON)
        end = datetime.strptime(row["end_time"], fmt).replace(tzinfo=LONDON)
        assert got["session_start"] == start.astimezone(UTC)
        assert got["duration_s"] == (end - start).total_seconds()


def test_real_file_warm_up_timer_rows(real: ParsedFile) -> None:
    """Hevy writes duration_seconds 0 on lifting sets (null here) and 300 on a timed warm-up."""
    rows = _csv_rows(REAL)
    timed = sum(1 for r in rows if r["duration_seconds"] not in ("", "0"))
    assert real.sets["seconds"].is_not_null().sum() == timed
    assert set(real.sets["seconds"].drop_nulls().to_list()) <= {300.0, 5.0}


def test_emoji_title_kept(real: ParsedFile) -> None:
    assert "EZing 🔙 in2 it" in real.sets["session_name"].to_list()


# ------------------------------------------------------------------ variants


def test_lbs_miles_german_dates_variant() -> None:
    parsed = hevy.read(VARIANT, unit=None, tz=ZoneInfo("Europe/Berlin"))
    sets = parsed.sets
    assert parsed.rows == 7
    assert [(s.line, s.why) for s in parsed.skipped] == [(6, "no exercise name")]
    assert sets.height == 6
    bench = sets.filter(pl.col("exercise") == "Bench Press (Barbell)")
    assert bench["weight_kg"].to_list() == pytest.approx(
        [95 * LB_TO_KG, 185 * LB_TO_KG, 185 * LB_TO_KG, 135 * LB_TO_KG]
    )
    assert bench["set_type"].to_list() == ["warmup", "working", "failure", "drop"]
    assert bench["set_index"].to_list() == [1, 2, 3, 4]
    # 15 Sep 2025 07:48 in Berlin (CEST, UTC+2) = 05:48 UTC
    assert bench["session_start"][0] == datetime(2025, 9, 15, 5, 48, tzinfo=UTC)
    assert bench["session_name"][0] == "Oberkörper 💪 A"
    assert bench["session_notes"][0] == "Schulter zwickt, links"
    row = sets.filter(pl.col("exercise") == "Seated Cable Row").row(0, named=True)
    assert row["notes"] == "zwei\nZeilen"
    assert row["source_line"] == 7
    assert row["rir"] == pytest.approx(2.5)
    run = sets.filter(pl.col("exercise") == "Running").row(0, named=True)
    assert run["distance_m"] == pytest.approx(3.1 * MILE_TO_M)
    assert run["seconds"] == 1800
    # 3 March 2025 18:05 in Berlin (CET, UTC+1) = 17:05 UTC; 35 minutes
    assert run["session_start"] == datetime(2025, 3, 3, 17, 5, tzinfo=UTC)
    assert run["duration_s"] == 35 * 60
    assert run["source_line"] == 9
    assert parsed.sessions == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 Sep 2025, 07:48", datetime(2025, 9, 15, 7, 48)),
        ("15 sept. 2025, 07:48", datetime(2025, 9, 15, 7, 48)),  # French
        ("15. Sep. 2025, 07:48", datetime(2025, 9, 15, 7, 48)),  # German
        ("15 mar 2025, 7:48", datetime(2025, 3, 15, 7, 48)),  # Spanish / Italian
        ("2025-09-15 07:48:00", datetime(2025, 9, 15, 7, 48)),
        ("3. März 2025, 18:00", datetime(2025, 3, 3, 18, 0)),
        ("1 févr. 2025, 18:00", datetime(2025, 2, 1, 18, 0)),
        ("1 juil. 2025, 18:00", datetime(2025, 7, 1, 18, 0)),
        ("15 dic 2025, 7:48", datetime(2025, 12, 15, 7, 48)),  # Spanish / Italian December
        ("15 de set. de 2025 07:48", datetime(2025, 9, 15, 7, 48)),  # Portuguese
        ("15 out. 2025, 07:48", datetime(2025, 10, 15, 7, 48)),  # Portuguese October
        ("15 mrt. 2025 07:48", datetime(2025, 3, 15, 7, 48)),  # Dutch
        ("15 mei 2025, 07:48", datetime(2025, 5, 15, 7, 48)),  # Dutch May
        ("4 gen 2025, 07:48", datetime(2025, 1, 4, 7, 48)),  # Italian January
        ("4 okt 2025, 07:48", datetime(2025, 10, 4, 7, 48)),
        ("Sep 15, 2025, 7:48 PM", datetime(2025, 9, 15, 19, 48)),
    ],
)
def test_localised_dates(tmp_path: Path, text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected
    path = _write(tmp_path, _row(start_time=text, end_time=text))
    parsed = hevy.read(path, unit=None, tz=ZoneInfo("UTC"))
    assert parsed.sets["session_start"][0] == expected.replace(tzinfo=UTC)
    assert parsed.sets["duration_s"][0] == 0


def test_month_names_that_would_clash_are_refused() -> None:
    # "jui" could be juin (June) or juillet (July): refused rather than guessed.
    assert month_number("jui") is None
    assert month_number("Juin") == 6
    assert month_number("juil.") == 7
    assert month_number("Mär") == 3


def test_weight_lbs_and_distance_km(tmp_path: Path) -> None:
    header = HEADER.replace("weight_kg", "weight_lbs")
    path = _write(tmp_path, _row(weight_kg="100", distance_km="2.5"), header)
    row = hevy.read(path, unit=None, tz=LONDON).sets.row(0, named=True)
    assert row["weight_kg"] == pytest.approx(45.359237)
    assert row["distance_m"] == pytest.approx(2500)


# ------------------------------------------------------------------ errors


def test_garbage_number_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _row() + _row(weight_kg="sixty"))
    with pytest.raises(InputError) as err:
        read_export(path, fmt="hevy", tz=LONDON)
    assert err.value.line == 3
    assert "sixty" in str(err.value)


def test_missing_columns_named_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("title,start_time,exercise_title\nPush,15 Sep 2025,Bench\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        hevy.read(path, unit=None, tz=LONDON)
    assert err.value.line == 1
    for name in ("set_type", "reps", "weight_kg or weight_lbs"):
        assert name in err.value.reason


def test_unknown_set_type(tmp_path: Path) -> None:
    path = _write(tmp_path, _row() + _row() + _row(set_type="superset"))
    with pytest.raises(InputError) as err:
        read_export(path, fmt="hevy", tz=LONDON)
    assert err.value.line == 4
    assert "superset" in err.value.reason


def test_bad_date(tmp_path: Path) -> None:
    path = _write(tmp_path, _row(start_time="31 Feb 2025, 07:48"))
    with pytest.raises(InputError) as err:
        read_export(path, fmt="hevy", tz=LONDON)
    assert err.value.line == 2


def test_row_without_exercise_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, _row() + _row(exercise_title="  ", weight_kg="junk"))
    parsed = hevy.read(path, unit=None, tz=LONDON)
    assert parsed.sets.height == 1
    assert [(s.line, s.why) for s in parsed.skipped] == [(3, "no exercise name")]
    assert parsed.rows == 2


_CELL = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-3",
            "1e9",
            "nan",
            "12.5",
            "normal",
            "warmup",
            "Bench",
            "15 Sep 2025, 07:48",
            "2025-09-15 07:48:00",
            '"',
            "\n",
            ",",
            "9" * 30,
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, min_size=12, max_size=15), max_size=5), raw=st.booleans())
def test_random_text_parses_or_raises_input_error(rows: list[list[str]], raw: bool) -> None:
    # raw: cells joined without quoting (broken quotes, wrong widths); else every cell quoted.
    check_random_text(
        lambda path: hevy.read(path, unit=None, tz=LONDON),
        header=HEADER,
        rows=rows,
        raw=raw,
        name="h.csv",
    )


# ------------------------------------------------------------------ scale (speed is measured in benchmarks/)


def test_200k_rows_parse_completely(tmp_path: Path) -> None:
    lines = REAL.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    path = tmp_path / "big.csv"
    copies = 200_000 // len(body) + 1
    path.write_text("\n".join([header, *(body * copies)[:200_000]]) + "\n", encoding="utf-8")
    parsed = hevy.read(path, unit=None, tz=LONDON)
    assert parsed.sets.height == 200_000
    assert parsed.rows == 200_000
    assert parsed.sets["source_line"].max() == 200_001


@pytest.mark.parametrize(
    "text",
    [
        "1 jui 2025, 10:00",
        "2025-13-01 10:00",
        "0001-01-01 00:00",
        "15 Sep 2025, 25:00",
        "13:00 PM",
        "Sep 15 2025 7:48 XM",
        "15/09/2025 07:48",
        "2025-09-15 07:48 +2500",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_datetime(text) is None
