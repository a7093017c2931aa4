"""Fuzzing the importers through `backcheck import` (hypothesis, bounded): real exports of every
format, mutated the way files get damaged (a cell replaced by junk, rows repeated or dropped, the
file cut short, bytes flipped, another encoding). Whatever the input: exit code 0 or 2, never a
traceback, nothing stored on a refusal, every row either kept or listed as skipped."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer_props import check_cli_import
from testdata import DATA

#: Small real or hand-written exports of every format (the first 60 lines of the bigger ones).
BASES = [
    DATA / "logs/strong/dakheera47_sample_strong.csv",
    DATA / "logs/strong/dericmei_strong_zh.csv",
    DATA / "logs/fitnotes/kaiserlift_fitnotes_example.csv",
    DATA / "logs/hevy/dakheera47_sample_hevy.csv",
    DATA / "strong_variants/no_header_semicolon_units_14.csv",
    DATA / "strong_variants/workout_number_13.csv",
    DATA / "variants/fitbod_sample.csv",
    DATA / "variants/backcheck_sets.csv",
    DATA / "variants/fitnotes_plank_units_commas.csv",
]
FIT = DATA / "logs/fit/20748058539_ACTIVITY.fit"
JUNK = st.sampled_from(
    [
        "",
        " ",
        "1e308",
        "-1e308",
        "nan",
        "inf",
        "-0",
        "0001-01-01",
        "9999-12-31 23:59:59",
        "kg",
        "lbs",
        "stone",
        "W",
        "Rest Timer",
        '"',
        '""',
        ",",
        ";",
        "\n",
        "\t",
        "\x00",
        "🏋️",
        "[/]",
        "=cmd|' /C calc'!A0",
        "1,5",
        "99999999999999999999",
        "2024-02-30",
        "x" * 300,
    ]
)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:60]


@st.composite
def damaged_csv(draw: st.DrawFn) -> bytes:
    lines = _lines(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cell", "repeat", "drop", "insert"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "cell":
            sep = ";" if lines[i].count(";") > lines[i].count(",") else ","
            cells = lines[i].split(sep)
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(JUNK)
            lines[i] = sep.join(cells)
        elif kind == "repeat":
            lines.insert(i, lines[i])
        elif kind == "drop" and len(lines) > 1:
            del lines[i]
        elif kind == "insert":
            lines.insert(i, draw(st.text(max_size=40)))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), "replace")
    cut = draw(st.integers(0, len(data)))
    return data[: max(cut, len(data) - draw(st.integers(0, 200)))]


@st.composite
def damaged_fit(draw: st.DrawFn) -> bytes:
    data = bytearray(FIT.read_bytes())
    for _ in range(draw(st.integers(0, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(12, len(data)))])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=damaged_csv(), strict=st.booleans())
def test_damaged_csv_exports_exit_0_or_2_and_store_all_or_nothing(
    data: bytes, strict: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(data)
        check_cli_import(path, f"sqlite:///{tmp}/b.db", *(["--strict"] if strict else []))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=damaged_fit())
def test_damaged_fit_files_exit_0_or_2(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activity.fit"
        path.write_bytes(data)
        check_cli_import(path, f"sqlite:///{tmp}/b.db")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.fit", "x.txt"]))
def test_random_bytes_exit_0_or_2(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        check_cli_import(path, f"sqlite:///{tmp}/b.db")


def test_a_good_export_imports_through_the_same_check(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    for base in BASES:
        assert check_cli_import(base, db) == 0, base
