"""Duration and local date-time parsing (backcheck.ingest.timeparse); expectations by hand."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcheck.errors import InputError
from backcheck.ingest.timeparse import (
    looks_like_datetime,
    parse_duration_seconds,
    parse_local_datetime,
)


def durations(values: list[str | None], short_clock: str = "h:m") -> list[float | None]:
    series = pl.Series("Duration", values, dtype=pl.String)
    lines = list(range(2, len(values) + 2))
    out = parse_duration_seconds(
        series,
        "f.csv",
        lines,
        label="Duration",
        short_clock=short_clock,  # type: ignore[arg-type]
    )
    return out.to_list()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 11m", 1 * 3600 + 11 * 60),
        ("35m", 35 * 60),
        ("21min", 21 * 60),
        ("2h", 2 * 3600),
        ("45s", 45),
        ("1小时13分钟", 3600 + 13 * 60),
        ("45分钟", 45 * 60),
        ("1:05:00", 3600 + 5 * 60),
        ("0:00:30", 30),
        ("0", 0),
        ("3600", 3600),
        ("1h 2m 3s", 3600 + 120 + 3),
        ("1 H 11 MIN", 3600 + 11 * 60),
        ("1.5h", 90 * 60),
        ("1 Std. 5 Min.", 3600 + 5 * 60),
        ("  62m ", 62 * 60),
    ],
)
def test_duration_formats(text: str, seconds: float) -> None:
    assert durations([text]) == [seconds]


def test_blank_duration_is_null_and_order_is_kept() -> None:
    assert durations(["", "35m", None, "  ", "35m", "2h"]) == [None, 2100, None, None, 2100, 7200]


def test_two_part_clock_is_hours_minutes_unless_asked() -> None:
    assert durations(["1:05"]) == [3900]
    assert durations(["1:05"], short_clock="m:s") == [65]


@pytest.mark.parametrize("bad", ["abc", "1h 1h", "5ms", "1:75", "m", "11m 1h", "-5m", "1,2,3"])
def test_unreadable_duration_names_line_and_value(bad: str) -> None:
    with pytest.raises(InputError) as err:
        durations(["35m", "", bad])
    assert err.value.line == 4  # third value, lines start at 2
    assert repr(bad) in str(err.value)
    assert "Duration" in str(err.value)


def dates(values: list[str | None]) -> list[datetime | None]:
    series = pl.Series("Date", values, dtype=pl.String)
    return parse_local_datetime(series, "f.csv", list(range(2, len(values) + 2))).to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-28 17:36:08", datetime(2024, 11, 28, 17, 36, 8)),
        ("2024-11-28 17:36", datetime(2024, 11, 28, 17, 36)),
        ("2024/11/28 17:36:08", datetime(2024, 11, 28, 17, 36, 8)),
        ("2024/1/5 7:05", datetime(2024, 1, 5, 7, 5)),
        ("2024-11-28T17:36:08", datetime(2024, 11, 28, 17, 36, 8)),
        ("2024-11-28 5:36:08\u202fPM", datetime(2024, 11, 28, 17, 36, 8)),
        ("2024-11-28 12:10:00 AM", datetime(2024, 11, 28, 0, 10)),
        ("2024-11-28 12:10:00 pm", datetime(2024, 11, 28, 12, 10)),
        ("2024-11-28", datetime(2024, 11, 28)),
        ("28.11.2024 17:36", datetime(2024, 11, 28, 17, 36)),
        ("2024-02-29 23:59:59", datetime(2024, 2, 29, 23, 59, 59)),
    ],
)
def test_date_formats(text: str, expected: datetime) -> None:
    assert dates([text]) == [expected]


def test_dates_keep_order_with_repeats_and_blanks() -> None:
    got = dates(["2024-01-02 10:00:00", "", "2024-01-01 10:00:00", "2024-01-02 10:00:00"])
    assert got == [
        datetime(2024, 1, 2, 10),
        None,
        datetime(2024, 1, 1, 10),
        datetime(2024, 1, 2, 10),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "2023-02-29 10:00:00",
        "2024-13-01",
        "2024-01-01 24:00",
        "2024-01-01 13:00 PM",
        "yesterday",
        "2024-01-01 10:00:00 xyz",
        "01/02/2024 10:00",
    ],
)
def test_unreadable_date_names_line(bad: str) -> None:
    with pytest.raises(InputError) as err:
        dates(["2024-01-01 10:00:00", bad])
    assert err.value.line == 3
    assert repr(bad) in str(err.value)


def test_looks_like_datetime() -> None:
    assert looks_like_datetime("2021-02-10 16:46:13")
    assert not looks_like_datetime("Date")
    assert not looks_like_datetime("")
    assert not looks_like_datetime("12")


@given(st.text(max_size=30))
def test_any_text_is_a_duration_or_an_input_error(text: str) -> None:
    try:
        out = durations([text])
    except InputError as err:
        assert err.line == 2
    else:
        assert out[0] is None or out[0] >= 0


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_an_input_error(text: str) -> None:
    try:
        dates([text])
    except InputError as err:
        assert err.line == 2


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59))
def test_unit_and_clock_forms_agree(h: int, m: int, s: int) -> None:
    total = h * 3600 + m * 60 + s
    assert (
        durations([f"{h}h {m}m {s}s", f"{h}:{m:02d}:{s:02d}", f"{h}小时{m}分钟{s}秒"])
        == [total] * 3
    )
