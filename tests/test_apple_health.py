"""Apple Health export.xml sleep: streaming, merging sources, sleep days, bad XML."""

from __future__ import annotations

import tracemalloc
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcheck.errors import InputError
from backcheck.ingest.apple_health import (
    SLEEP_FRAME_SCHEMA,
    SLEEP_TYPE,
    Interval,
    merge,
    read_sleep,
    sleep_day,
)

DATA = Path(__file__).parent / "data" / "variants_health"
EXPORT = DATA / "export.xml"
CET = timezone(timedelta(hours=1))
V = "HKCategoryValueSleepAnalysis"


def test_fixture_nights_worked_out_by_hand() -> None:
    nights = read_sleep(EXPORT)
    assert nights.frame.schema == SLEEP_FRAME_SCHEMA
    got = dict(zip(nights.frame["day"].to_list(), nights.frame["hours"].to_list(), strict=True))
    # See tests/data/variants_health/README.md for each night's arithmetic.
    expected = {
        date(2024, 1, 2): 7 + 40 / 60,  # union 23:00-06:40 of watch and phone
        date(2024, 1, 3): 3.5 + 1 + 1.5,  # awake 04:00-04:30 not counted
        date(2024, 1, 4): (1 + 50 / 60) + 5.5 + 0.5,  # before midnight, after, and a nap
        date(2024, 1, 5): 6.5,  # phone and watch record the same stretch: once
    }
    assert got.keys() == expected.keys()
    for day, hours in expected.items():
        assert got[day] == pytest.approx(hours, abs=1e-9)


def test_rows_and_skipped_records_counted_independently() -> None:
    records = [r for r in ET.parse(EXPORT).getroot().iter("Record") if r.get("type") == SLEEP_TYPE]
    not_asleep = [r for r in records if r.get("value") in (f"{V}InBed", f"{V}Awake")]
    nights = read_sleep(EXPORT)
    assert nights.rows == len(records) == 18
    assert len(nights.skipped) == len(not_asleep) == 5
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    for skip in nights.skipped:
        text = lines[skip.line - 1]
        assert SLEEP_TYPE in text
        assert ("InBed" in text) == (skip.why == "in bed, not asleep")
        assert ("Awake" in text) == (skip.why == "awake, not asleep")
    # Each night points at a line holding an asleep record.
    for line in nights.frame["source_line"].to_list():
        assert SLEEP_TYPE in lines[line - 1]
        assert (
            "AsleepCore" in lines[line - 1]
            or "Unspecified" in lines[line - 1]
            or ('SleepAnalysisAsleep"' in lines[line - 1])
        )


def at(day: int, hour: int, minute: int = 0, tz: timezone = CET) -> datetime:
    return datetime(2024, 1, day, hour, minute, tzinfo=tz)


def test_merge_overlapping_touching_and_separate() -> None:
    merged = merge(
        [
            Interval(at(2, 1), at(2, 3), 20),
            Interval(at(1, 23), at(2, 2), 10),  # overlaps the first
            Interval(at(2, 3), at(2, 4), 30),  # touches it
            Interval(at(2, 5), at(2, 6), 40),  # separate
            Interval(at(2, 5, 15), at(2, 5, 45), 50),  # inside the previous one
        ]
    )
    assert merged == [Interval(at(1, 23), at(2, 4), 10), Interval(at(2, 5), at(2, 6), 40)]


def test_merge_compares_instants_across_offsets() -> None:
    utc = UTC
    # 06:00 +0100 is 05:00 UTC: the second record overlaps the first by an hour.
    merged = merge(
        [Interval(at(2, 0), at(2, 6), 1), Interval(at(2, 4, tz=utc), at(2, 7, tz=utc), 2)]
    )
    assert len(merged) == 1
    assert merged[0].end - merged[0].start == timedelta(hours=8)


@pytest.mark.parametrize(
    ("end", "day"),
    [
        (at(2, 7), date(2024, 1, 2)),  # the morning
        (at(1, 23, 50), date(2024, 1, 2)),  # before midnight: still that night
        (at(2, 17, 59), date(2024, 1, 2)),  # an afternoon nap
        (at(2, 18), date(2024, 1, 3)),  # from 18:00 on, the next sleep day
        (at(2, 7, tz=timezone(timedelta(hours=9))), date(2024, 1, 2)),  # local clock of record
    ],
)
def test_sleep_day(end: datetime, day: date) -> None:
    assert sleep_day(end) == day


def _record(start: str, end: str, value: str, source: str = "Watch") -> str:
    return (
        f'<Record type="{SLEEP_TYPE}" sourceName="{source}" startDate="{start}" '
        f'endDate="{end}" value="{V}{value}"/>\n'
    )


def _export(tmp_path: Path, body: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
        f'<ExportDate value="2024-02-01 08:00:00 -0500"/>\n{body}</HealthData>\n',
        encoding="utf-8",
    )
    return path


def test_bad_intervals_are_skipped_with_reasons(tmp_path: Path) -> None:
    body = (
        _record("2024-01-02 07:00:00 -0500", "2024-01-02 06:00:00 -0500", "AsleepCore")
        + _record("2024-01-01 06:00:00 -0500", "2024-01-02 07:00:00 -0500", "AsleepCore")
        + _record("2024-01-03 00:00:00 -0500", "2024-01-03 06:00:00 -0500", "AsleepSomething")
        + _record("2024-01-04 00:00:00 -0500", "2024-01-04 06:00:00 -0500", "AsleepDeep")
    )
    nights = read_sleep(_export(tmp_path, body))
    assert nights.rows == 4
    assert [(s.line, s.why.split(" ")[0]) for s in nights.skipped] == [
        (4, "ends"),
        (6, "sleep"),
        (5, "asleep"),
    ]
    assert nights.frame.rows() == [(date(2024, 1, 4), 6.0, 7)]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("<Record type='x' startDate='a'>\n</Recrd>\n", 5),  # mismatched tag
        ("<Record type='x' startDate='a' \n\n", 4),  # cut inside this tag (truncated file)
    ],
)
def test_broken_xml_gives_the_line(tmp_path: Path, body: str, line: int) -> None:
    path = _export(tmp_path, body)
    text = path.read_text()
    if "Recrd" not in body:  # truncate: drop the closing root element
        path.write_text(text.rsplit("</HealthData>", 1)[0])
    with pytest.raises(InputError, match="broken XML") as err:
        read_sleep(path)
    assert err.value.line == line


def test_truncated_real_layout_export(tmp_path: Path) -> None:
    data = EXPORT.read_bytes()
    cut = tmp_path / "export.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputError, match="broken XML") as err:
        read_sleep(cut)
    assert err.value.line == data[: len(data) * 2 // 3].count(b"\n") + 1


def test_bad_date_gives_the_line(tmp_path: Path) -> None:
    path = _export(tmp_path, _record("02/01/2024 23:00", "2024-01-02 06:00:00 -0500", "AsleepREM"))
    with pytest.raises(InputError, match="startDate '02/01/2024 23:00' is not a time") as err:
        read_sleep(path)
    assert err.value.line == 4


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<HealthData>&b;</HealthData>\n'
    )
    with pytest.raises(InputError, match="entity declaration") as err:
        read_sleep(path)
    assert err.value.line == 3


def test_other_xml_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "export_cda.xml"
    path.write_text('<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>\n')
    with pytest.raises(InputError, match="not an Apple Health export") as err:
        read_sleep(path)
    assert err.value.line == 2


def test_export_without_sleep(tmp_path: Path) -> None:
    nights = read_sleep(_export(tmp_path, ""))
    assert nights.frame.height == 0
    assert nights.rows == 0
    assert any("no sleep records" in n for n in nights.notes)


@pytest.mark.slow
def test_large_export_streams_in_small_memory(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    n = 200_000
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n')
        fh.write('<ExportDate value="2024-02-01 08:00:00 -0500"/>\n')
        for i in range(n):
            minute = i % 60
            fh.write(
                '<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" '
                'unit="count/min" creationDate="2024-01-10 10:00:00 -0500" '
                f'startDate="2024-01-10 10:{minute:02d}:00 -0500" '
                f'endDate="2024-01-10 10:{minute:02d}:00 -0500" value="{60 + i % 50}">\n'
                ' <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
                "</Record>\n"
            )
            if i % 20_000 == 0:  # ten nights of 7 h, scattered through the file
                night = 1 + i // 20_000
                fh.write(
                    _record(
                        f"2024-01-{night:02d} 00:00:00 -0500",
                        f"2024-01-{night:02d} 07:00:00 -0500",
                        "AsleepCore",
                    )
                )
        fh.write("</HealthData>\n")
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    try:
        nights = read_sleep(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert nights.frame["hours"].to_list() == [7.0] * 10
    assert nights.frame["day"].to_list() == [date(2024, 1, d) for d in range(1, 11)]


def test_a_zip_export_reads_like_the_xml(tmp_path: Path) -> None:
    import zipfile

    packed = tmp_path / "export.zip"
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(EXPORT, "apple_health_export/export.xml")
    assert read_sleep(packed).frame.equals(read_sleep(EXPORT).frame)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """20 MiB of blanks pack to a few KB (over 1000:1): refused from the ZIP's directory,
    before a byte is unpacked (a 1.1 MB upload took 26 s and 240 MB before)."""
    import zipfile

    bomb = tmp_path / "export.zip"
    body = b"<HealthData>" + b" " * (20 * 1024 * 1024) + b"</HealthData>"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("apple_health_export/export.xml", body)
    assert bomb.stat().st_size < 200_000
    tracemalloc.start()
    with pytest.raises(InputError, match="possible ZIP bomb"):
        read_sleep(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_too_many_sleep_records_are_refused_early(tmp_path: Path, monkeypatch) -> None:
    from backcheck.ingest import apple_health

    monkeypatch.setattr(apple_health, "MAX_SLEEP_RECORDS", 3)
    record = (
        f'<Record type="{SLEEP_TYPE}" sourceName="Watch" value="{V}AsleepCore" '
        'startDate="2024-01-02 01:00:00 +0100" endDate="2024-01-02 02:00:00 +0100"/>\n'
    )
    path = tmp_path / "export.xml"
    path.write_text("<HealthData>\n" + record * 5 + "</HealthData>\n")
    with pytest.raises(InputError, match="more than 3 sleep records") as refused:
        read_sleep(path)
    assert refused.value.line == 5
