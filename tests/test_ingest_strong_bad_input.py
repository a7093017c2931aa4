"""The Strong importer on broken input (each error names its file and line) and property tests
over random bytes, CSV-ish text and Strong-shaped rows. Real exports and hand-written variants:
test_ingest_strong.py."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.errors import InputError
from backcheck.ingest import csvtext, strong
from backcheck.model import SET_SCHEMA
from strong_helpers import HEADER12, ROW, VARIANTS, read, write

# --- broken input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line3", "line", "words"),
    [
        (ROW.replace("80.0", "eighty"), 3, "'eighty' is not a number"),
        (ROW.replace(",8,0,0", ",8x,0,0"), 3, "Reps"),
        (ROW.replace(",8,0,0", ",-8,0,0"), 3, "Reps"),
        (ROW.replace(",1,80.0", ",X,80.0"), 3, "Set Order"),
        (ROW.replace("35m", "soon"), 3, "Duration"),
        (ROW.replace("2024-03-05 18:01:12", "2024-02-30 18:01:12"), 3, "Date"),
        (ROW.replace("2024-03-05 18:01:12", ""), 3, "Date"),
        (ROW + "11", 3, "RPE"),
        (ROW + ",extra", 3, "expected 12 fields, found 13"),
    ],
)
def test_bad_value_names_its_line(tmp_path: Path, line3: str, line: int, words: str) -> None:
    path = write(tmp_path, "\n".join([HEADER12, ROW, line3, ROW]) + "\n")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == line
    assert words in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (
            '2024-03-05 18:01:12,"Push",35m,"Bench Press (Barbell)",1,80',
            "expected 12 fields, found 6",
        ),
        ('2024-03-05 18:01:12,"Push",35m,"Ben', "truncated"),
    ],
)
def test_truncated_last_row(tmp_path: Path, cut: str, words: str) -> None:
    path = write(tmp_path, "\n".join([HEADER12, ROW, ROW, cut]))
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 4 and words in str(err.value)


def test_unclosed_quote_names_the_row_start(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER12, ROW, ROW[:-3] + '"never closed\nmore text\n']))
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 3


def test_empty_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read(write(tmp_path, "", "empty.csv"))
    with pytest.raises(InputError, match="empty"):
        read(write(tmp_path, "\n\n  \n", "blank.csv"))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(HEADER12.encode() + b"\n\x00\x01\x02garbage")
    with pytest.raises(InputError) as err:
        read(binary)
    assert err.value.line == 2


def test_not_a_strong_export(tmp_path: Path) -> None:
    path = write(tmp_path, "name,age\nalice,30\n")
    assert not strong.matches(csvtext.read_table(path))
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 1 and "not a Strong export" in str(err.value)


def test_unknown_weight_unit(tmp_path: Path) -> None:
    text = (VARIANTS / "unit_columns.csv").read_text().replace(";50;kg;", ";50;stone;")
    with pytest.raises(InputError) as err:
        read(write(tmp_path, text))
    assert err.value.line == 3 and "stone" in str(err.value)


# --- properties -----------------------------------------------------------------------------

CELLS = st.sampled_from(
    [
        "2024-03-05 18:01:12",
        "2024/03/05 18:01",
        "Push",
        "35m",
        "1h 11m",
        "1小时13分钟",
        "Bench",
        "Rest Timer",
        "W",
        "D",
        "F",
        "1",
        "0",
        "80.0",
        "72,5",
        "8",
        "",
        " ",
        "x",
        '"',
        '""',
        "\n",
        "日期",
        "Date",
        "Set Order",
        "-1",
        "1e400",
        "nan",
    ]
)


def check_outcome(path: Path) -> None:
    try:
        parsed = read(path)
    except InputError:
        return
    assert parsed.sets.height + len(parsed.skipped) == parsed.rows
    assert parsed.sets.schema == pl.Schema(SET_SCHEMA)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_random_bytes_parse_or_raise_input_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "random.csv"
    path.write_bytes(data)
    check_outcome(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.booleans(),
    sep=st.sampled_from([",", ";"]),
    rows=st.lists(st.lists(CELLS, min_size=8, max_size=13), max_size=6),
)
def test_random_csvish_text_parses_or_raises_input_error(
    tmp_path_factory: pytest.TempPathFactory, header: bool, sep: str, rows: list[list[str]]
) -> None:
    lines = ([HEADER12.replace(",", sep)] if header else []) + [sep.join(r) for r in rows]
    path = tmp_path_factory.mktemp("text") / "random.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    check_outcome(path)


#: One strategy per column of the 12-column layout: mostly good values, some bad ones.
FIELDS = [
    st.sampled_from(["2024-03-05 18:01:12", "2024/03/06 07:00", "2024-03-07", "2024-13-01", ""]),
    st.sampled_from(["Push", "", '"Pull, heavy"']),
    st.sampled_from(["35m", "1h 11m", "1小时13分钟", "0", "", "1:05:00", "later"]),
    st.sampled_from(["Bench", "Rest Timer", "", '"Row\nCable"', "Plank"]),
    st.sampled_from(["1", "2", "W", "D", "F", "0", "Rest Timer", "", "Z"]),
    st.sampled_from(["80.0", "0", "", "44.09245243697551", "-20", "heavy"]),
    st.sampled_from(["8", "0", "", "8.0", "8.5"]),
    st.sampled_from(["0", "2.5", "", "-1"]),
    st.sampled_from(["0", "90", "", "x"]),
    st.sampled_from(["", "note", '"two\nlines"']),
    st.sampled_from(["", "workout note"]),
    st.sampled_from(["", "8", "9.5", "10", "0", "12"]),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.booleans(), rows=st.lists(st.tuples(*FIELDS), min_size=1, max_size=8))
def test_random_strong_shaped_rows_parse_or_raise_input_error(
    tmp_path_factory: pytest.TempPathFactory, header: bool, rows: list[tuple[str, ...]]
) -> None:
    lines = ([HEADER12] if header else []) + [",".join(r) for r in rows]
    path = tmp_path_factory.mktemp("shaped") / "shaped.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    check_outcome(path)


@settings(max_examples=60, deadline=None)
@given(
    orders=st.lists(
        st.sampled_from(["W", "1", "2", "D", "F", "Rest Timer"]), min_size=1, max_size=12
    )
)
def test_set_index_counts_kept_sets(
    tmp_path_factory: pytest.TempPathFactory, orders: list[str]
) -> None:
    body = [ROW.replace(",1,80.0", f",{o},80.0") for o in orders]
    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    path.write_text("\n".join([HEADER12, *body]), encoding="utf-8")
    parsed = read(path)
    # A numbered row equal to the row just before it is a repeated row (a copy), not a set.
    copies = [o.isdigit() and i > 0 and orders[i - 1] == o for i, o in enumerate(orders)]
    kept = [o for o, copy in zip(orders, copies, strict=True) if o != "Rest Timer" and not copy]
    assert parsed.sets["set_index"].to_list() == list(range(1, len(kept) + 1))
    kinds = {"W": "warmup", "D": "drop", "F": "failure"}
    assert parsed.sets["set_type"].to_list() == [kinds.get(o, "working") for o in kept]
    assert len(parsed.skipped) == len(orders) - len(kept)
