"""Recovery log CSV, and `read_recovery` choosing between the CSV and an Apple Health export."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcheck.errors import InputError
from backcheck.ingest.recovery import (
    RECOVERY_FRAME_SCHEMA,
    normalise_kind,
    parse_value,
    read_recovery,
    read_recovery_csv,
)
from backcheck.model import RECOVERY_KINDS

DATA = Path(__file__).parent / "data" / "variants_health"
BERLIN = ZoneInfo("Europe/Berlin")


def write(tmp_path: Path, text: str, name: str = "recovery.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_log_against_the_csv_module() -> None:
    path = DATA / "recovery.csv"
    parsed = read_recovery(path, tz=BERLIN)
    with path.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    assert parsed.source == parsed.format == "csv"
    assert parsed.rows == len(records)
    assert parsed.frame.schema == RECOVERY_FRAME_SCHEMA
    kept = [r for r in records if r["value"].strip()]
    assert parsed.frame["day"].to_list() == [date.fromisoformat(r["date"]) for r in kept]
    assert parsed.frame["kind"].to_list() == [
        "sleep",
        "foam-rolling",
        "sleep",
        "stretching",
        "foam-rolling",
        "sleep",
        "meditation",
        "massage",
    ]
    # By hand: 7.5 h; 10 min; 6:45 = 6.75 h; 15 min; 0.5 h = 30 min; 420 min = 7 h; 12; 60.
    assert parsed.frame["value"].to_list() == [7.5, 10.0, 6.75, 15.0, 30.0, 7.0, 12.0, 60.0]
    assert [s.line for s in parsed.skipped] == [7]  # "2024-01-04,yoga," has no value
    assert parsed.frame.height + len(parsed.skipped) == parsed.rows
    assert parsed.frame["source_line"].to_list() == [2, 3, 4, 5, 6, 8, 9, 10]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("foam rolling", "foam-rolling"),
        ("Foam-Rolling", "foam-rolling"),
        ("FOAM_ROLLING", "foam-rolling"),
        ("stretch", "stretching"),
        ("Stretching", "stretching"),
        ("Sleep", "sleep"),
        ("hours slept", "sleep"),
        ("meditate", "meditation"),
        ("sports massage", "massage"),
        ("Yoga ", "yoga"),
        ("running", None),
        ("", None),
    ],
)
def test_kind_synonyms(text: str, kind: str | None) -> None:
    assert normalise_kind(text) == kind


def test_every_canonical_kind_maps_to_itself() -> None:
    for kind in RECOVERY_KINDS:
        assert normalise_kind(kind) == kind


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("7.5", "sleep", 7.5),
        ("7,5", "sleep", 7.5),
        ("7:30", "sleep", 7.5),
        ("450 min", "sleep", 7.5),
        ("7.5h", "sleep", 7.5),
        ("20", "yoga", 20.0),
        ("1:30", "yoga", 90.0),
        ("1.5 hours", "yoga", 90.0),
        ("45 mins", "massage", 45.0),
        ("-5", "yoga", None),
        ("lots", "yoga", None),
        ("7:75", "sleep", None),
    ],
)
def test_parse_value(text: str, kind: str, value: float | None) -> None:
    assert parse_value(text, kind) == value


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024-01-02,sleep,25", "over 24 hours a day; sleep is in hours, not minutes"),
        ("2024-01-02,sleep,450", "over 24 hours"),
        ("2024-01-02,yoga,1500", "over 1440 minutes"),
        ("2024-01-02,yoga,-5", "is not a number of minutes"),
        ("2024-01-02,sleep,lots", "is not a number of hours"),
        ("2024-01-02,running,30", "kind 'running' is not known: use one of sleep, yoga"),
        ("2024-01-02,,30", "kind missing"),
        ("2024-13-02,yoga,30", "date '2024-13-02' is not a date"),
        ("2024-01-02,yoga,30,extra", "expected 3 fields, found 4"),
    ],
)
def test_bad_rows_raise_at_their_line(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, f"date,kind,value\n2024-01-01,sleep,8\n\n{row}\n")
    with pytest.raises(InputError) as err:
        read_recovery(path, tz=BERLIN)
    assert err.value.line == 4  # the blank line 3 still counts
    assert message in err.value.reason


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing column value") as err:
        read_recovery(write(tmp_path, "date,kind\n2024-01-01,sleep\n"), tz=BERLIN)
    assert err.value.line == 1


def test_friendly_header_and_headerless(tmp_path: Path) -> None:
    parsed = read_recovery(write(tmp_path, "Day,Activity,Amount\n2024-01-01,Yoga,30\n"), tz=BERLIN)
    assert parsed.frame.rows() == [(date(2024, 1, 1), "yoga", 30.0, 2)]
    parsed = read_recovery(write(tmp_path, "2024-01-01,sleep,8\n"), tz=BERLIN)
    assert parsed.frame.rows() == [(date(2024, 1, 1), "sleep", 8.0, 1)]


def test_datetime_counts_on_its_local_date(tmp_path: Path) -> None:
    text = "date,kind,value\n2024-01-02T23:30:00+00:00,yoga,20\n2024-01-02T23:30,yoga,10\n"
    frame = read_recovery(write(tmp_path, text), tz=BERLIN).frame
    # 23:30 UTC is 00:30 the next day in Berlin; the naive time is already local.
    assert frame["day"].to_list() == [date(2024, 1, 3), date(2024, 1, 2)]


def test_zero_is_kept(tmp_path: Path) -> None:
    frame = read_recovery_csv(write(tmp_path, "date,kind,value\n2024-01-02,yoga,0\n"), tz=BERLIN)
    assert frame.frame["value"].to_list() == [0.0]


# ------------------------------------------------------------------ dispatch


def test_xml_goes_to_apple_health() -> None:
    parsed = read_recovery(DATA / "export.xml", tz=BERLIN)
    assert parsed.source == parsed.format == "apple-health"
    assert parsed.frame.schema == RECOVERY_FRAME_SCHEMA
    assert set(parsed.frame["kind"].to_list()) == {"sleep"}


def test_xml_content_is_recognised_whatever_the_name(tmp_path: Path) -> None:
    renamed = tmp_path / "health.txt"
    renamed.write_bytes((DATA / "export.xml").read_bytes())
    parsed = read_recovery(renamed, tz=BERLIN)
    assert parsed.source == "apple-health"
    assert parsed.frame.height == 4


def test_export_zip_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(DATA / "export.xml", "apple_health_export/export.xml")
        zf.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    parsed = read_recovery(archive, tz=BERLIN)
    direct = read_recovery(DATA / "export.xml", tz=BERLIN)
    assert parsed.source == "apple-health"
    assert parsed.frame.equals(direct.frame)


def test_zip_without_export_xml(tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match=r"no export\.xml"):
        read_recovery(archive, tz=BERLIN)


def _nights(n: int) -> list[str]:
    start = date(2026, 1, 1)
    return [f"{start + timedelta(days=i)},sleep,{6 + i % 3}" for i in range(n)]


def test_one_bad_row_in_a_long_log_is_skipped_and_listed(tmp_path: Path) -> None:
    rows = _nights(50)
    rows[5] = "2026-01-06,sleep,480"  # minutes where hours belong
    future = date.today() + timedelta(days=3)
    rows.append(f"{future},yoga,20")
    path = write(tmp_path, "date,kind,value\n" + "\n".join(rows) + "\n")
    parsed = read_recovery(path, tz=BERLIN)
    assert parsed.frame.height == 49
    bad = {s.line: s.why for s in parsed.skipped if s.unreadable}
    assert set(bad) == {7, 52}
    assert "sleep is in hours, not minutes" in bad[7]
    assert f"{future} is after today" in bad[52]


def test_too_many_bad_rows_refuse_the_log_whole(tmp_path: Path) -> None:
    rows = _nights(30)
    rows[1] = rows[2] = "2026-01-02,nap,20"
    path = write(tmp_path, "date,kind,value\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError) as err:
        read_recovery(path, tz=BERLIN)
    assert err.value.line == 3 and "2 of 30 rows cannot be read" in str(err.value)
