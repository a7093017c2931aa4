"""Pain diary CSV and `backcheck pain log` entries."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcheck.errors import InputError, UsageError
from backcheck.ingest.diarycsv import parse_when
from backcheck.ingest.pain import (
    PAIN_FRAME_SCHEMA,
    entries_frame,
    normalise_region,
    pain_entry_frame,
    read_pain,
    validate_pain_entry,
)
from backcheck.model import PAIN_REGIONS

DATA = Path(__file__).parent / "data" / "variants_health"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def write(tmp_path: Path, text: str, name: str = "pain.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_diary_against_the_csv_module() -> None:
    path = DATA / "pain_diary.csv"
    parsed = read_pain(path, tz=BERLIN)
    with path.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    filled = [r for r in records if r["Level"].strip()]
    assert parsed.rows == len(records)
    assert parsed.frame.height == len(filled)
    assert parsed.frame.schema == PAIN_FRAME_SCHEMA
    assert parsed.frame["level"].to_list() == [int(r["Level"]) for r in filled]
    assert parsed.frame["note"].to_list() == [r["Notes"] or None for r in filled]
    # Level-0 days are kept (they are the controls), with no region.
    zero = parsed.frame.filter(parsed.frame["level"] == 0)
    assert zero.height == sum(1 for r in filled if r["Level"] == "0") == 3
    assert zero["region"].null_count() == 3
    # The blank day (line 8 of the file) is skipped with a reason, not dropped.
    assert [s.line for s in parsed.skipped] == [8]
    assert "unknown" in parsed.skipped[0].why


def test_sample_diary_regions_times_and_lines() -> None:
    frame = read_pain(DATA / "pain_diary.csv", tz=BERLIN).frame
    assert frame["region"].to_list() == [
        None,
        "between-shoulder-blades",
        "upper-trapezius",
        "shoulder-blade-left",
        "neck",
        None,
        "shoulder-blade-right",
        None,
    ]
    at = frame["at"].to_list()
    # 2024-01-02 date only: 12:00 in Berlin (UTC+1 in winter) = 11:00 UTC.
    assert at[1] == datetime(2024, 1, 2, 11, 0, tzinfo=UTC)
    # 2024-01-04T21:15 has no offset: Berlin wall-clock time -> 20:15 UTC.
    assert at[3] == datetime(2024, 1, 4, 20, 15, tzinfo=UTC)
    # 2024-01-05T07:30:00+00:00 has an offset: kept exactly.
    assert at[4] == datetime(2024, 1, 5, 7, 30, tzinfo=UTC)
    # The multi-line note starts on line 9; the next row is on line 11.
    assert frame["source_line"].to_list() == [2, 3, 4, 5, 6, 7, 9, 11]


def test_date_only_is_noon_in_the_given_zone_across_dst(tmp_path: Path) -> None:
    path = write(tmp_path, "date,level,region,note\n2024-07-01,2,neck,\n2024-03-10T02:30,2,neck,\n")
    frame = read_pain(path, tz=NEW_YORK).frame
    # New York in July is UTC-4: 12:00 local = 16:00 UTC.
    assert frame["at"][0] == datetime(2024, 7, 1, 16, 0, tzinfo=UTC)
    # 02:30 on 2024-03-10 does not exist in New York (clocks jump 02:00 -> 03:00): it is moved
    # forward by the gap, to 03:30 EDT = 07:30 UTC.
    assert frame["at"][1] == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)


def test_headerless_file_and_missing_note_column(tmp_path: Path) -> None:
    frame = read_pain(write(tmp_path, "2024-01-01,0,\n2024-01-02,6,Mid Back\n"), tz=BERLIN).frame
    assert frame["level"].to_list() == [0, 6]
    assert frame["region"].to_list() == [None, "mid-back"]
    frame = read_pain(write(tmp_path, "date,level,region\n2024-01-02,1,chest\n"), tz=BERLIN).frame
    assert frame["note"].to_list() == [None]


def test_level_zero_with_a_region_keeps_the_row_and_drops_the_region(tmp_path: Path) -> None:
    parsed = read_pain(
        write(tmp_path, "date,level,region,note\n2024-01-01,0,neck,fine\n"), tz=BERLIN
    )
    assert parsed.frame["level"].to_list() == [0]
    assert parsed.frame["region"].to_list() == [None]
    assert any("level 0" in n for n in parsed.notes)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("between shoulder blades", "between-shoulder-blades"),
        ("Between the Shoulder Blades", "between-shoulder-blades"),
        ("upper traps", "upper-trapezius"),
        ("Upper_Trapezius", "upper-trapezius"),
        ("left shoulder blade", "shoulder-blade-left"),
        ("shoulder blade right", "shoulder-blade-right"),
        ("right scapula", "shoulder-blade-right"),
        ("Lower Back", "lower-back"),
        ("lumbar", "lower-back"),
        ("left shoulder", "shoulder-left"),
        ("OTHER", "other"),
        ("", ""),
        ("none", ""),
        ("knee", None),
        ("shoulder", None),  # which one? not guessed
    ],
)
def test_region_synonyms(text: str, region: str | None) -> None:
    assert normalise_region(text) == region


def test_every_canonical_region_maps_to_itself() -> None:
    for region in PAIN_REGIONS:
        assert normalise_region(region) == region
        assert normalise_region(region.upper().replace("-", " ")) == region


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024-01-02,11,neck,", "level '11' is not a whole number 0-10"),
        ("2024-01-02,-1,neck,", "level '-1' is not a whole number 0-10"),
        ("2024-01-02,2.5,neck,", "level '2.5' is not a whole number 0-10"),
        ("2024-01-02,bad,neck,", "level 'bad' is not a whole number 0-10"),
        ("2024-01-02,nan,neck,", "level 'nan' is not a whole number 0-10"),
        ("2024-01-02,3,knee,", "unknown region 'knee'; use one of neck, upper-trapezius"),
        ("2024-01-02,3,,", "region is needed when level > 0"),
        ("02/01/2024,3,neck,", "date '02/01/2024' is not a date"),
        ("2024-02-30,3,neck,", "date '2024-02-30' is not a date"),
        (",3,neck,", "date missing"),
        ("2024-01-02,,neck,", "level is empty"),
        ("2024-01-02,3,neck,sore, after bench", "expected 4 fields, found 5"),
    ],
)
def test_bad_rows_raise_at_their_line(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, f"date,level,region,note\n2024-01-01,0,,\n{row}\n")
    with pytest.raises(InputError) as err:
        read_pain(path, tz=BERLIN)
    assert err.value.line == 3
    assert message in err.value.reason
    assert str(err.value).startswith(f"{path}:3: ")


def test_missing_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing column region") as err:
        read_pain(write(tmp_path, "date,level,note\n2024-01-01,0,\n"), tz=BERLIN)
    assert err.value.line == 1


def test_not_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "pain.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary"):
        read_pain(path, tz=BERLIN)


def test_extra_columns_are_reported(tmp_path: Path) -> None:
    parsed = read_pain(
        write(tmp_path, "date,level,region,note,mood\n2024-01-01,0,,,ok\n"), tz=BERLIN
    )
    assert parsed.frame.height == 1
    assert parsed.notes == ["columns ignored: mood"]


# ------------------------------------------------------------------ one entry (`pain log`)


def test_validate_entry_date_only_is_noon_local() -> None:
    entry = validate_pain_entry(
        date="2024-01-02", level=4, region="upper traps", note=" after rows ", tz=BERLIN
    )
    assert entry.at == datetime(2024, 1, 2, 11, 0, tzinfo=UTC)
    assert (entry.level, entry.region, entry.note) == (4, "upper-trapezius", "after rows")


def test_validate_entry_accepts_date_objects_and_level_zero_without_region() -> None:
    entry = validate_pain_entry(date=date(2024, 7, 1), level="0", region=None, tz=NEW_YORK)
    assert entry.at == datetime(2024, 7, 1, 16, 0, tzinfo=UTC)
    assert (entry.level, entry.region, entry.note) == (0, None, None)
    frame = entries_frame([entry])
    assert frame.schema == PAIN_FRAME_SCHEMA
    assert frame["source_line"].to_list() == [None]


def test_validate_entry_without_date_is_today() -> None:
    entry = validate_pain_entry(date=None, level=1, region="neck", tz=BERLIN)
    assert entry.at.astimezone(BERLIN).date() == datetime.now(BERLIN).date()


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"date": "yesterday", "level": 3, "region": "neck"}, "--date"),
        ({"date": "2024-13-01", "level": 3, "region": "neck"}, "--date"),
        ({"date": "2024-01-01", "level": 11, "region": "neck"}, "--level"),
        ({"date": "2024-01-01", "level": "2.5", "region": "neck"}, "--level"),
        ({"date": "2024-01-01", "level": True, "region": "neck"}, "--level"),
        ({"date": "2024-01-01", "level": 3, "region": "knee"}, "--where"),
        ({"date": "2024-01-01", "level": 3, "region": None}, "--where"),
        ({"date": "2024-01-01", "level": 3, "region": ""}, "--where"),
    ],
)
def test_validate_entry_errors_name_the_option(kwargs: dict, parameter: str) -> None:
    with pytest.raises(UsageError) as err:
        validate_pain_entry(**kwargs, tz=BERLIN)
    assert err.value.parameter == parameter
    assert str(err.value).startswith(f"{parameter}: ")


def test_where_is_needed_message() -> None:
    with pytest.raises(UsageError, match="--where is needed when level > 0"):
        validate_pain_entry(date="2024-01-01", level=2, region=None, tz=BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02", date(2024, 1, 2)),
        ("2024/1/2", date(2024, 1, 2)),
        ("2024-01-02 18:30", datetime(2024, 1, 2, 18, 30)),
        ("2024-01-02T18:30:15.5", datetime(2024, 1, 2, 18, 30, 15, 500000)),
        ("2024-01-02T18:30Z", datetime(2024, 1, 2, 18, 30, tzinfo=UTC)),
        ("2024-01-02", date(2024, 1, 2)),
        ("2 Jan 2024", None),
        ("2024-02-30", None),
        ("", None),
    ],
)
def test_parse_when(text: str, expected: date | datetime | None) -> None:
    assert parse_when(text) == expected


def test_parse_when_offset() -> None:
    moment = parse_when("2024-01-02 18:30:00 -05:30")
    assert isinstance(moment, datetime)
    assert moment.astimezone(UTC) == datetime(2024, 1, 3, 0, 0, tzinfo=UTC)


def test_pain_entry_frame_is_one_validated_row() -> None:
    frame = pain_entry_frame(day="2024-01-02T08:00", level=2, region="Neck", note=None, tz=BERLIN)
    assert frame.schema == PAIN_FRAME_SCHEMA
    assert frame.rows() == [(datetime(2024, 1, 2, 7, 0, tzinfo=UTC), 2, "neck", None, None)]
    with pytest.raises(UsageError, match="--where"):
        pain_entry_frame(day="2024-01-02", level=2, region=None, tz=BERLIN)


def _diary(path: Path, rows: list[str]) -> Path:
    path.write_text("date,level,region,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _days(n: int) -> list[str]:
    start = date(2026, 1, 1)
    return [f"{start + timedelta(days=i)},{i % 4},{'mid-back' if i % 4 else ''}," for i in range(n)]


def test_one_bad_row_in_a_long_diary_is_skipped_and_listed(tmp_path: Path) -> None:
    """The row policy of exports holds for the diary too: one typo never costs the history."""
    rows = _days(40)
    rows[10] = "2026-01-11,seven,mid-back,"
    parsed = read_pain(_diary(tmp_path / "pain.csv", rows), tz=BERLIN)
    assert parsed.frame.height == 39
    bad = [s for s in parsed.skipped if s.unreadable]
    assert [s.line for s in bad] == [12]  # header is line 1
    assert "'seven' is not a whole number 0-10" in bad[0].why
    assert 12 not in parsed.frame["source_line"].to_list()


def test_a_future_dated_row_is_skipped(tmp_path: Path) -> None:
    rows = _days(40)
    future = date.today() + timedelta(days=30)
    rows.append(f"{future},5,mid-back,typo in the year")
    parsed = read_pain(_diary(tmp_path / "pain.csv", rows), tz=BERLIN)
    assert parsed.frame.height == 40
    [bad] = [s for s in parsed.skipped if s.unreadable]
    assert bad.line == 42 and f"{future} is after today" in bad.why


def test_too_many_bad_rows_refuse_the_diary_whole(tmp_path: Path) -> None:
    rows = _days(40)
    for i in (3, 9, 27):  # 3 of 40 = 7.5%, over the 5% of the row policy
        rows[i] = (
            rows[i].replace("mid-back", "elbow") if "mid-back" in rows[i] else rows[i][:10] + ",x,,"
        )
    path = _diary(tmp_path / "pain.csv", rows)
    with pytest.raises(InputError) as err:
        read_pain(path, tz=BERLIN)
    assert err.value.line == 5 and "3 of 40 rows cannot be read" in str(err.value)
