"""The pain diary: CSV `date,level,region,note` (docs/interface.md) and one entry from the command line.

- `date`: ISO date ("2026-03-02", read as 12:00 local time in the athlete's zone) or date-time
  ("2026-03-02T18:30" is local wall-clock time; "2026-03-02T18:30+01:00" or "...Z" is exact).
- `level`: whole number 0-10 (numeric rating scale; 0 = no pain). A level-0 row is a pain-free
  day, a control for the analysis: it is always kept. A day with no row is unknown.
- `region`: one of model.PAIN_REGIONS; friendly spellings are accepted ("between shoulder blades",
  "upper traps", "left shoulder blade", "Lower_Back"). Empty when level is 0 (a region on a
  level-0 row is dropped, with a note). Required when level > 0.
- `note`: free text, optional.

The header may be left out (then the columns are in this order), the note column may be missing,
and column names are case-insensitive ("Date", "Level", "Where" for region, "Notes" for note).
A row with a date but neither level nor region is a day left blank: skipped with a reason.
Anything else that cannot be read raises InputError at its line.

The CSV helpers it shares with the recovery log (`diary_table`, `parse_when`) are in `diarycsv`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.clock import local_today
from backcheck.errors import InputError, UsageError
from backcheck.ingest.columns import localize
from backcheck.ingest.diarycsv import diary_table, parse_when, row_when
from backcheck.ingest.future import check_row_day
from backcheck.ingest.rowerrors import refuse_if_unreadable
from backcheck.model import PAIN_REGIONS, PainEntry, Skipped

__all__ = [
    "NOON",
    "PAIN_FRAME_SCHEMA",
    "PainFrame",
    "entries_frame",
    "normalise_region",
    "pain_entry_frame",
    "read_pain",
    "to_utc_instants",
    "validate_pain_entry",
]

#: The frame `read_pain` returns, in this column order.
PAIN_FRAME_SCHEMA: dict[str, pl.DataType] = {
    "at": pl.Datetime("us", "UTC"),  # when; a date-only entry is 12:00 local time
    "level": pl.Int32(),  # 0-10 NRS
    "region": pl.String(),  # one of PAIN_REGIONS; null when level is 0
    "note": pl.String(),
    "source_line": pl.Int32(),  # 1-based physical line
}
NOON = time(12, 0)
_Day = date  # `validate_pain_entry` has a parameter named `date`

# ----------------------------------------------------------------- times


def to_utc_instants(values: Sequence[date | datetime], tz: ZoneInfo) -> pl.Series:
    """Dates (-> 12:00 local), naive (local) and aware date-times -> UTC microseconds."""
    naive = [
        datetime.combine(v, NOON)
        if not isinstance(v, datetime)
        else (v if v.tzinfo is None else None)
        for v in values
    ]
    exact = [
        v.astimezone(UTC).replace(tzinfo=None)
        if isinstance(v, datetime) and v.tzinfo is not None
        else None
        for v in values
    ]
    local = localize(pl.Series("at", naive, dtype=pl.Datetime("us")), tz.key)
    fixed = pl.Series("at", exact, dtype=pl.Datetime("us")).dt.replace_time_zone("UTC")
    return pl.select(pl.coalesce(local, fixed)).to_series().alias("at")


# ----------------------------------------------------------------- regions


def _fold(text: str) -> str:
    words = re.sub(r"[\s_\-/]+", " ", text.strip().lower()).split()
    return " ".join(w for w in words if w not in ("the", "my", "of", "in"))


def _region_table() -> dict[str, str]:
    table = {_fold(r): r for r in PAIN_REGIONS}
    synonyms = {
        "upper-trapezius": (
            "upper traps",
            "upper trap",
            "traps",
            "trap",
            "trapezius",
            "upper trapezius",
            "upper trapezium",
        ),
        "between-shoulder-blades": (
            "between shoulder blades",
            "between shoulderblades",
            "between blades",
            "interscapular",
            "rhomboids",
            "rhomboid",
        ),
        "neck": ("cervical", "neck back", "back neck"),
        "mid-back": ("mid back", "middle back", "midback", "thoracic", "thoracic spine", "t spine"),
        "lower-back": ("low back", "lower back", "lumbar", "lower spine", "lumbar spine"),
        "chest": ("pec", "pecs", "pectoral", "pectorals", "sternum"),
        "other": ("elsewhere", "somewhere else"),
    }
    for side in ("left", "right"):
        synonyms[f"shoulder-blade-{side}"] = tuple(
            f"{a} {b}".strip()
            for a, b in (
                (side, "shoulder blade"),
                ("shoulder blade", side),
                (side, "shoulderblade"),
                (side, "scapula"),
                ("scapula", side),
                (side, "shoulder blade area"),
            )
        )
        synonyms[f"shoulder-{side}"] = (f"{side} shoulder", f"shoulder {side}")
    for region, words in synonyms.items():
        for w in words:
            table[_fold(w)] = region
    return table


def normalise_region(text: str) -> str | None:
    """The PAIN_REGIONS name for `text` (any friendly spelling), "" for none, None if unknown."""
    folded = _fold(text)
    if folded in ("", "none", "no pain", "n/a", "na", "-", "nowhere"):
        return ""
    return _region_table().get(folded)


def _valid_regions() -> str:
    return ", ".join(PAIN_REGIONS)


# ----------------------------------------------------------------- the diary CSV


@dataclass(slots=True)
class PainFrame:
    """A read pain diary: `frame` (PAIN_FRAME_SCHEMA), skipped rows, data rows, notes."""

    path: str
    frame: pl.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)


def _level(text: str) -> int | None:
    """0-10 from "3" or "3.0"; None when not a whole number in range."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value != round(value) or not 0 <= value <= 10:
        return None
    return int(value)


def _level_and_region(raw_level: str, raw_region: str, *, path: str, line: int) -> tuple[int, str]:
    """The row's level (0-10) and region (one of PAIN_REGIONS, "" for none), or InputError."""
    level = _level(raw_level)
    if level is None:
        raise InputError(
            path,
            line,
            f"level {raw_level!r} is not a whole number 0-10 (0 = no pain, 10 = worst imaginable)",
        )
    region = normalise_region(raw_region)
    if region is None:
        raise InputError(
            path, line, f"unknown region {raw_region!r}; use one of {_valid_regions()}"
        )
    if level > 0 and not region:
        raise InputError(path, line, f"region is needed when level > 0: one of {_valid_regions()}")
    return level, region


def read_pain(path: str | Path, *, tz: ZoneInfo) -> PainFrame:
    """Read a pain diary CSV (see the module docstring); `tz` is the zone of local times."""
    table = diary_table(
        path,
        names=("date", "level", "region", "note"),
        required=("date", "level", "region"),
        aliases={
            "day": "date",
            "when": "date",
            "pain": "level",
            "nrs": "level",
            "where": "region",
            "location": "region",
            "notes": "note",
            "comment": "note",
        },
    )
    p, cols = table.path, table.columns
    when: list[date | datetime] = []
    levels: list[int] = []
    regions: list[str | None] = []
    notes: list[str | None] = []
    lines: list[int] = []
    skipped: list[Skipped] = []
    region_on_zero = 0
    today = local_today(tz)
    for i, line in enumerate(table.lines):
        raw_date, raw_level, raw_region = cols["date"][i], cols["level"][i], cols["region"][i]
        try:
            moment = row_when(
                raw_date,
                path=p,
                line=line,
                hint="use ISO dates like 2026-03-02 (or 2026-03-02T18:30)",
            )
            check_row_day(moment, today=today, path=p, line=line)
            if not raw_level:
                if raw_region:
                    raise InputError(
                        p, line, "level is empty: give a pain level 0-10 (0 = no pain)"
                    )
                skipped.append(
                    Skipped(line, "no level given: the day stays unknown (not pain-free)")
                )
                continue
            level, region = _level_and_region(raw_level, raw_region, path=p, line=line)
        except InputError as exc:  # the row policy: skipped and listed, the rest imported
            skipped.append(Skipped(line, exc.reason, unreadable=True))
            continue
        if level == 0 and region:
            region_on_zero += 1
        when.append(moment)
        levels.append(level)
        regions.append(region if level > 0 else None)
        notes.append(cols["note"][i] or None)
        lines.append(line)
    out_notes = list(table.notes)
    if region_on_zero:
        out_notes.append(
            f"{region_on_zero} rows with level 0 named a region: a pain-free day has "
            "no region, so it was left empty"
        )
    refuse_if_unreadable(p, rows=len(table.lines), skipped=skipped)
    frame = pl.DataFrame(
        {
            "at": to_utc_instants(when, tz),
            "level": pl.Series(levels, dtype=pl.Int32),
            "region": pl.Series(regions, dtype=pl.String),
            "note": pl.Series(notes, dtype=pl.String),
            "source_line": pl.Series(lines, dtype=pl.Int32),
        },
        schema=PAIN_FRAME_SCHEMA,
    )
    return PainFrame(p, frame, skipped, len(table.lines), out_notes)


# ----------------------------------------------------------------- `backcheck pain log`


def validate_pain_entry(
    *,
    date: str | date | datetime | None,
    level: int | str,
    region: str | None,
    note: str | None = None,
    tz: ZoneInfo,
) -> PainEntry:
    """One diary entry from the command line; UsageError names --date, --level or --where.

    `date` None means today (12:00 local, like any date-only entry).
    """
    moment: _Day | datetime | None
    if date is None:
        moment = local_today(tz)
    elif isinstance(date, str):
        moment = parse_when(date)
        if moment is None:
            raise UsageError(
                "--date", f"{date!r} is not a date: use ISO like 2026-03-02 or 2026-03-02T18:30"
            )
    else:
        moment = date
    from backcheck.ingest.future import check_not_future

    local = moment.astimezone(tz) if isinstance(moment, datetime) and moment.tzinfo else moment
    check_not_future(local, today=local_today(tz))
    value = level if isinstance(level, int) and not isinstance(level, bool) else _level(str(level))
    if value is None or not 0 <= value <= 10:
        raise UsageError("--level", f"{level!r} is not a whole number 0-10 (0 = no pain)")
    where = normalise_region(region or "")
    if where is None:
        raise UsageError("--where", f"unknown region {region!r}; use one of {_valid_regions()}")
    if value > 0 and not where:
        raise UsageError("--where", f"--where is needed when level > 0: one of {_valid_regions()}")
    at = to_utc_instants([moment], tz)[0]
    return PainEntry(at=at, level=value, region=where or None, note=(note or "").strip() or None)


def entries_frame(entries: Sequence[PainEntry]) -> pl.DataFrame:
    """PAIN_FRAME_SCHEMA frame of entries given on the command line (source_line null)."""
    return pl.DataFrame(
        {
            "at": [e.at for e in entries],
            "level": [e.level for e in entries],
            "region": [e.region for e in entries],
            "note": [e.note for e in entries],
            "source_line": [None] * len(entries),
        },
        schema=PAIN_FRAME_SCHEMA,
    )


def pain_entry_frame(
    *,
    day: str | date | datetime | None,
    level: int | str,
    region: str | None,
    note: str | None = None,
    tz: ZoneInfo,
) -> pl.DataFrame:
    """`backcheck pain log` in one call: the validated entry as a one-row PAIN_FRAME_SCHEMA frame.

    `day` is the --date value (None = today); UsageError names --date, --level or --where.
    """
    entry = validate_pain_entry(date=day, level=level, region=region, note=note, tz=tz)
    return entries_frame([entry])
