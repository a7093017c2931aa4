"""backcheck's own set CSV: reading, the write/read round trip, and the shared sheet loader."""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from backcheck.errors import InputError
from backcheck.ingest import fitnotes, hevy, native, read_export
from backcheck.ingest.sheet import load_sheet
from backcheck.model import SET_SCHEMA, conform_sets

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "variants" / "backcheck_sets.csv"
HEVY = DATA / "logs" / "hevy" / "dakheera47_sample_hevy.csv"
FITNOTES = DATA / "logs" / "fitnotes" / "kaiserlift_fitnotes_example.csv"
LONDON = ZoneInfo("Europe/London")


def test_sample_reads_canonical_columns() -> None:
    parsed = native.read(SAMPLE, unit=None, tz=LONDON)
    sets = parsed.sets
    assert sets.schema == pl.Schema(SET_SCHEMA)
    assert parsed.rows == 4 and sets.height == 4 and parsed.skipped == []
    # 18:30 at +01:00 = 17:30 UTC
    assert set(sets["session_start"].to_list()) == {datetime(2026, 1, 5, 17, 30, tzinfo=UTC)}
    assert sets["set_type"].to_list() == ["warmup", "working", "failure", "working"]
    assert sets["set_index"].to_list() == [1, 2, 3, 1]  # blank set_index: order within exercise
    assert sets["rir"].to_list() == [None, 2.0, 0.0, None]  # 10 - rpe
    assert sets["notes"].to_list() == [None, "felt, fine", None, None]
    assert sets["source_file"].to_list() == [SAMPLE.name] * 4
    assert sets["source_line"].to_list() == [2, 3, 4, 5]
    assert sets["distance_m"].null_count() == 4


@pytest.mark.parametrize(("module", "path"), [(hevy, HEVY), (fitnotes, FITNOTES)])
def test_round_trip_of_real_exports(tmp_path: Path, module: object, path: Path) -> None:
    original = module.read(path, unit=None, tz=LONDON).sets  # type: ignore[attr-defined]
    out = tmp_path / "sets.csv"
    native.write_csv(original, out)
    again = native.read(out, unit=None, tz=ZoneInfo("Asia/Tokyo"))
    assert again.rows == original.height
    assert_frame_equal(again.sets, original)


def test_written_header_and_time_format(tmp_path: Path) -> None:
    frame = conform_sets(
        pl.DataFrame(
            {
                "session_start": [datetime(2026, 1, 5, 17, 30, tzinfo=UTC)],
                "exercise": ["Row"],
                "set_type": ["working"],
                "weight_kg": [44.09245243697551],
            }
        )
    )
    out = tmp_path / "s.csv"
    native.write_csv(frame, out)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(SET_SCHEMA)
    assert rows[1][0] == "2026-01-05T17:30:00+00:00"
    assert float(rows[1][rows[0].index("weight_kg")]) == 44.09245243697551


# Any text a CSV can hold (newlines, quotes and commas included): no NUL (a binary file, refused
# by design) and no lone surrogates (not encodable as UTF-8, so no file has them).
_CHARS = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
_TEXT = st.one_of(st.none(), st.text(_CHARS, min_size=1, max_size=20))
_NAME = st.text(_CHARS, min_size=1, max_size=10).filter(lambda s: s.strip() == s and s != "")
_FLOAT = st.one_of(
    st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e6)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
            _TEXT,
            _NAME,
            st.sampled_from(["warmup", "working", "drop", "failure"]),
            _FLOAT,
            st.one_of(st.none(), st.integers(0, 1000)),
            _TEXT,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_round_trip_property(rows: list[tuple]) -> None:
    frame = conform_sets(
        pl.DataFrame(
            {
                "session_start": [r[0].replace(tzinfo=UTC) for r in rows],
                "session_name": [r[1] for r in rows],
                "exercise": [r[2] for r in rows],
                "set_index": list(range(1, len(rows) + 1)),
                "set_type": [r[3] for r in rows],
                "weight_kg": [r[4] for r in rows],
                "reps": [r[5] for r in rows],
                "notes": [r[6] for r in rows],
                "source_file": ["x.csv"] * len(rows),
                "source_line": list(range(2, len(rows) + 2)),
            },
            schema_overrides={"weight_kg": pl.Float64, "reps": pl.Int32},
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.csv"
        native.write_csv(frame, out)
        again = native.read(out, unit=None, tz=LONDON).sets
    assert_frame_equal(again, frame)


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("exercise,weight_kg\nRow,50\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        native.read(path, unit=None, tz=LONDON)
    assert err.value.line == 1
    assert "session_start" in err.value.reason and "set_type" in err.value.reason


@pytest.mark.parametrize(
    ("row", "word"),
    [
        ("2026-01-05T17:30:00+00:00,Row,working,fifty", "fifty"),
        ("2026-01-05T17:30:00+00:00,Row,hard,50", "hard"),
        ("yesterday,Row,working,50", "yesterday"),
        (",Row,working,50", "blank"),
    ],
)
def test_bad_values_name_the_line(tmp_path: Path, row: str, word: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "session_start,exercise,set_type,weight_kg\n2026-01-05T17:30:00+00:00,Row,working,50\n"
        + row
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_export(path, fmt="backcheck", tz=LONDON)
    assert err.value.line == 3
    assert word in err.value.reason


def test_row_without_exercise_skipped_and_unknown_columns_noted(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "session_start,exercise,set_type,mood\n2026-01-05T17:30:00,Row,working,ok\n"
        "2026-01-05T17:30:00,,working,ok\n",
        encoding="utf-8",
    )
    parsed = native.read(path, unit=None, tz=LONDON)
    assert [(s.line, s.why) for s in parsed.skipped] == [(3, "no exercise name")]
    assert parsed.notes and "mood" in parsed.notes[0]
    # no offset: London wall-clock time (GMT in January)
    assert parsed.sets["session_start"][0] == datetime(2026, 1, 5, 17, 30, tzinfo=UTC)


# ------------------------------------------------------------------ the shared sheet loader


@pytest.mark.parametrize(
    "path",
    [HEVY, FITNOTES, *sorted((DATA / "variants").glob("*.csv"))],
    ids=lambda p: p.name,
)
def test_fast_loader_agrees_with_strict_reader(path: Path) -> None:
    fast = load_sheet(path)
    strict = load_sheet(path, fast=False)
    assert fast.header == strict.header
    assert_frame_equal(fast.frame, strict.frame)


def test_loader_line_numbers_with_blank_and_multiline_records(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n,\r\n3,w', encoding="utf-8")
    for fast in (True, False):
        sheet = load_sheet(path, fast=fast)
        assert sheet.frame["a"].to_list() == ["1", "2", "3"]
        assert sheet.frame["_line"].to_list() == [2, 5, 7]
        assert sheet.frame["b"][0] == "x\r\ny"


@pytest.mark.parametrize(
    ("text", "line"),
    [("a,b\n1,2\n3\n", 3), ("a,b\n1,2\n3,4,5\n", 3), ('a,b\n1,2\n"3,4\n', 3)],
)
def test_loader_sets_ragged_or_broken_rows_aside(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    sheet = load_sheet(path)
    assert sheet.frame["a"].to_list() == ["1"]
    assert [(s.line, s.unreadable) for s in sheet.skipped] == [(line, True)]
