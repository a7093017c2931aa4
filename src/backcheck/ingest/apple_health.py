"""Sleep from an Apple Health export (`export.xml`, or the `export.zip` the Health app writes).

The export is often over 1 GB, so it is streamed through expat, element by element, and no
tree is ever built: memory stays flat whatever the file size. Only `Record` elements of type
HKCategoryTypeIdentifierSleepAnalysis are read. Their values Asleep, AsleepCore, AsleepDeep,
AsleepREM and AsleepUnspecified count as sleep; InBed and Awake do not (those records are
skipped, each with its reason).

Times look like "2024-01-02 06:30:00 +0100". Watch and phone often record the same night:
intervals from all sources are merged (their union is counted, never the sum), so overlaps
are not double counted. Each merged stretch of sleep goes to a *sleep day*: the local date
of its end, where a sleep day D runs from 18:00 on D-1 to 18:00 on D (local time written on
the record, i.e. the phone's clock at the time). So the night that ends on the morning of D,
including a stretch that ended before midnight, counts on D, as do naps before 18:00.

`source_line` of a night is the line of its first sleep record in the file.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import polars as pl

from backcheck.errors import InputError
from backcheck.model import Skipped

SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_PREFIX = "HKCategoryValueSleepAnalysis"
ASLEEP = frozenset(
    f"{_PREFIX}{v}"
    for v in ("Asleep", "AsleepCore", "AsleepDeep", "AsleepREM", "AsleepUnspecified")
)
NOT_ASLEEP = {f"{_PREFIX}InBed": "in bed, not asleep", f"{_PREFIX}Awake": "awake, not asleep"}
DAY_STARTS = timedelta(hours=18)  # a sleep day D runs from 18:00 on D-1 to 18:00 on D
MAX_STRETCH = timedelta(hours=24)
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"
_CHUNK = 1 << 20
#: Bounds on what an export may make us read (OWASP "File Upload" / zip bombs). Real exports
#: of years of watch data unpack to a few GB at about 10-20:1, with well under a million sleep
#: records (about 50 a night for 20 years is 365,000).
MAX_XML_BYTES = 8 * 1024**3  # export.xml unpacked, bytes
MAX_RATIO = 100  # unpacked / packed size of export.xml inside a ZIP
RATIO_FROM_BYTES = 16 * 1024**2  # the ratio is judged only above this unpacked size
MAX_SLEEP_RECORDS = 2_000_000

#: The frame `read_sleep` returns.
SLEEP_FRAME_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),  # the sleep day (the morning the night ends on)
    "hours": pl.Float64(),  # time asleep, all sources merged, 0-24
    "source_line": pl.Int32(),
}


@dataclass(frozen=True, slots=True)
class Interval:
    """A stretch asleep: start and end (aware), and the line of its first record."""

    start: datetime
    end: datetime
    line: int


@dataclass(slots=True)
class SleepNights:
    """Sleep per sleep day from one export, with every skipped sleep record and why."""

    path: str
    frame: pl.DataFrame  # SLEEP_FRAME_SCHEMA
    skipped: list[Skipped] = field(default_factory=list)
    rows: int = 0  # sleep-analysis records in the file
    notes: list[str] = field(default_factory=list)


def is_apple_health(path: Path) -> bool:
    """True for an XML file (by name or by its first bytes) or a ZIP (export.zip)."""
    if path.suffix.lower() in (".xml", ".zip"):
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith((b"<?xml", b"<HealthData", b"<!DOCTYPE HealthData")) or head.startswith(
        b"PK\x03\x04"
    )


def check_packed(path: Path, info: zipfile.ZipInfo) -> None:
    """InputError, before anything is unpacked, when export.xml inside a ZIP would unpack to
    more than MAX_XML_BYTES or is packed far tighter than any real export (MAX_RATIO). The
    unpacking itself never goes past the size the ZIP declares (zipfile stops there)."""
    size, packed = info.file_size, max(info.compress_size, 1)
    if size > MAX_XML_BYTES:
        raise InputError(
            path,
            None,
            f"export.xml would unpack to {size / 1024**3:.1f} GB, over the "
            f"{MAX_XML_BYTES / 1024**3:.0f} GB backcheck reads: refused",
        )
    if size > RATIO_FROM_BYTES and size / packed > MAX_RATIO:
        raise InputError(
            path,
            None,
            f"export.xml is packed {size / packed:.0f}:1 (real exports are about "
            f"10-20:1, at most {MAX_RATIO}:1 is read): refused as a possible ZIP bomb",
        )


@contextmanager
def _open_export(path: Path) -> Iterator[IO[bytes]]:
    """The export's XML bytes: the file itself, or export.xml inside a ZIP."""
    if not path.exists():
        raise InputError(path, None, "no such file")
    if path.is_dir():
        raise InputError(path, None, "is a folder, not a file")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as fh:
            yield fh
        return
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "export.xml"]
            if not names:
                raise InputError(
                    path, None, "no export.xml in this ZIP: not an Apple Health export"
                )
            check_packed(path, archive.getinfo(names[0]))
            with archive.open(names[0]) as fh:
                yield fh
    except (zipfile.BadZipFile, EOFError) as exc:
        raise InputError(path, None, f"damaged ZIP file ({exc})") from None


def _parse_time(path: Path, line: int, name: str, text: str | None) -> datetime:
    try:
        return datetime.strptime(text or "", _TIME_FORMAT)
    except ValueError:
        raise InputError(
            path, line, f"{name} {text!r} is not a time like 2024-01-02 06:30:00 +0100"
        ) from None


@dataclass(slots=True)
class SleepScan:
    """What streaming an export found: asleep intervals, skipped sleep records, counts."""

    asleep: list[Interval] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    rows: int = 0
    sources: set[str] = field(default_factory=set)
    root: str | None = None


def scan_sleep(path: str | Path) -> SleepScan:
    """Stream the export: the asleep intervals, skipped sleep records and the record count."""
    p = Path(path)
    scan = SleepScan()
    parser = expat.ParserCreate()

    def start(name: str, attrs: dict[str, str]) -> None:
        if scan.root is None:
            scan.root = name
            if name != "HealthData":
                raise InputError(
                    p,
                    parser.CurrentLineNumber,
                    f"not an Apple Health export (its root element is <{name}>, not <HealthData>)",
                )
        if name != "Record" or attrs.get("type") != SLEEP_TYPE:
            return
        line = parser.CurrentLineNumber
        scan.rows += 1
        if scan.rows > MAX_SLEEP_RECORDS:
            raise InputError(
                p,
                line,
                f"more than {MAX_SLEEP_RECORDS:,} sleep records: far more than any "
                "real export holds (refused)",
            )
        value = attrs.get("value", "")
        if value not in ASLEEP:
            why = NOT_ASLEEP.get(value, f"sleep value {value!r} is not one backcheck knows")
            scan.skipped.append(Skipped(line, why))
            return
        begin = _parse_time(p, line, "startDate", attrs.get("startDate"))
        end = _parse_time(p, line, "endDate", attrs.get("endDate"))
        if end <= begin:
            scan.skipped.append(Skipped(line, "ends before it starts (no time asleep)"))
            return
        scan.sources.add(attrs.get("sourceName", "?"))
        scan.asleep.append(Interval(begin, end, line))

    def forbid_entities(name: str, *_: Any) -> None:
        raise InputError(
            p,
            parser.CurrentLineNumber,
            f"XML entity declaration {name!r}: Apple Health exports have none (refused)",
        )

    parser.StartElementHandler = start
    parser.EntityDeclHandler = forbid_entities
    with _open_export(p) as fh:
        try:
            while chunk := fh.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise InputError(
                p,
                exc.lineno,
                f"broken XML ({expat.ErrorString(exc.code)}, column "
                f"{exc.offset + 1}); is the export truncated?",
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise InputError(p, None, f"cannot read the export ({exc})") from None
    if scan.root is None:
        raise InputError(p, None, "empty file: no XML elements")
    return scan


def merge(intervals: list[Interval]) -> list[Interval]:
    """Union of `intervals` (overlapping or touching ones joined), in time order.

    The end keeps the UTC offset of the record that ends the stretch; the line is the
    earliest line among the merged records.
    """
    out: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: (i.start, i.end)):
        if out and iv.start <= out[-1].end:
            last = out[-1]
            end = iv.end if iv.end > last.end else last.end
            out[-1] = Interval(last.start, end, min(last.line, iv.line))
        else:
            out.append(iv)
    return out


def sleep_day(end: datetime) -> date:
    """The sleep day a stretch ending at `end` (aware; local offset as recorded) belongs to."""
    return (end.replace(tzinfo=None) + (timedelta(days=1) - DAY_STARTS)).date()


def read_sleep(path: str | Path) -> SleepNights:
    """Sleep hours per sleep day from an Apple Health export (see the module docstring)."""
    p = Path(path)
    scan = scan_sleep(p)
    merged = merge(scan.asleep)
    totals: dict[date, float] = {}
    first_line: dict[date, int] = {}
    skipped = list(scan.skipped)
    for iv in merged:
        if iv.end - iv.start > MAX_STRETCH:
            skipped.append(Skipped(iv.line, "asleep for more than 24 hours: a recording error"))
            continue
        day = sleep_day(iv.end)
        totals[day] = totals.get(day, 0.0) + (iv.end - iv.start).total_seconds() / 3600.0
        first_line[day] = min(first_line.get(day, iv.line), iv.line)
    days = sorted(totals)
    frame = pl.DataFrame(
        {
            "day": days,
            "hours": [totals[d] for d in days],
            "source_line": [first_line[d] for d in days],
        },
        schema=SLEEP_FRAME_SCHEMA,
    )
    notes = []
    if scan.rows == 0:
        notes.append("no sleep records in this export (nothing imported)")
    else:
        raw = sum((iv.end - iv.start).total_seconds() for iv in scan.asleep) / 3600.0
        kept = sum((iv.end - iv.start).total_seconds() for iv in merged) / 3600.0
        notes.append(
            f"{len(scan.asleep)} asleep records from {len(scan.sources)} source(s) "
            f"({', '.join(sorted(scan.sources))}) -> {len(days)} nights"
        )
        if raw - kept > 1e-9:
            notes.append(f"{raw - kept:.1f} h of overlapping records counted once")
    reasons = Counter(s.why for s in skipped)
    if reasons:
        notes.append("skipped: " + "; ".join(f"{n} {why}" for why, n in reasons.most_common()))
    return SleepNights(str(p), frame, skipped, scan.rows, notes)
