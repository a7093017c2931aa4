"""Format auto-detection over every CSV format: real exports (tests/data/index.json) and the
synthetic variants, and that read_export reads what it detects."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcheck.errors import UnknownFormatError
from backcheck.ingest import detect_format, native, read_export

DATA = Path(__file__).parent / "data"
EXPORTS = json.loads((DATA / "index.json").read_text(encoding="utf-8"))["exports"]
CSV_EXPORTS = [e for e in EXPORTS if e["path"].endswith(".csv")]
VARIANTS = {
    "hevy_lbs_miles_de.csv": "hevy",
    "fitnotes_old_header_kgs.csv": "fitnotes",
    "fitnotes_plank_units_commas.csv": "fitnotes",
    "fitbod_sample.csv": "fitbod",
    "fitbod_lbs_own_times.csv": "fitbod",
    "backcheck_sets.csv": "backcheck",
}
UTC = ZoneInfo("UTC")


def _needs_strong(fmt: str) -> None:
    if fmt == "strong":
        pytest.importorskip("backcheck.ingest.strong")


@pytest.mark.parametrize("export", CSV_EXPORTS, ids=lambda e: e["path"])
def test_real_exports_detected(export: dict[str, object]) -> None:
    fmt = str(export["format"])
    _needs_strong(fmt)
    assert detect_format(DATA / str(export["path"])) == fmt


@pytest.mark.parametrize(
    "export", [e for e in CSV_EXPORTS if e["format"] != "strong"], ids=lambda e: e["path"]
)
def test_real_exports_read_with_counts_from_index(export: dict[str, object]) -> None:
    parsed = read_export(DATA / str(export["path"]), tz=UTC)
    assert parsed.format == export["format"]
    assert parsed.rows == export["rows"]
    assert parsed.sets.height + len(parsed.skipped) == parsed.rows
    assert parsed.sessions == export["sessions"]


def test_every_variant_is_listed_and_detected() -> None:
    on_disk = {p.name for p in (DATA / "variants").glob("*.csv")}
    assert on_disk == set(VARIANTS)
    for name, fmt in VARIANTS.items():
        assert detect_format(DATA / "variants" / name) == fmt, name


def test_written_backcheck_csv_detected(tmp_path: Path) -> None:
    sets = read_export(DATA / "logs" / "hevy" / "dakheera47_sample_hevy.csv", tz=UTC).sets
    out = tmp_path / "mine.csv"
    native.write_csv(sets, out)
    assert detect_format(out) == "backcheck"


def test_crlf_hevy_detected_and_read_alike(tmp_path: Path) -> None:
    original = DATA / "variants" / "hevy_lbs_miles_de.csv"
    text = original.read_text(encoding="utf-8")
    path = tmp_path / original.name
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8", newline="")
    assert detect_format(path) == "hevy"
    lf = read_export(original, tz=UTC).sets
    crlf = read_export(path, tz=UTC).sets
    assert crlf["source_line"].to_list() == lf["source_line"].to_list()
    assert crlf["notes"].to_list() == [n.replace("\n", "\r\n") if n else n for n in lf["notes"]]


def test_not_an_export(tmp_path: Path) -> None:
    pytest.importorskip("backcheck.ingest.strong")  # detection tries every format, Strong last
    path = tmp_path / "shopping.csv"
    path.write_text("item,price\nmilk,1.20\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError):
        detect_format(path)
