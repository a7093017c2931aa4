"""Shared pieces of the Strong importer tests (test_ingest_strong.py: real exports and
hand-written variants; test_ingest_strong_bad_input.py: broken input and properties)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from backcheck.ingest import read_export
from backcheck.model import ParsedFile

DATA = Path(__file__).parent / "data"
VARIANTS = DATA / "strong_variants"
BERLIN = ZoneInfo("Europe/Berlin")  # CET = UTC+1 in winter, CEST = UTC+2 in summer
HEADER12 = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)
ROW = '2024-03-05 18:01:12,"Push",35m,"Bench Press (Barbell)",1,80.0,8,0,0,"",,'


def read(
    path: Path, unit: str | None = None, tz: ZoneInfo = BERLIN, *, strict: bool = False
) -> ParsedFile:
    """The Strong importer under the row policy (read_export with --format strong)."""
    return read_export(path, fmt="strong", unit=unit, tz=tz, strict=strict)


def write(tmp_path: Path, text: str, name: str = "strong.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
