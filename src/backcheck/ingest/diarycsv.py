"""The small CSV helpers the pain diary and the recovery log share (docs/interface.md diaries).

`diary_table` reads a short diary CSV (header optional, names case-insensitive, with
aliases) into string columns with each row's physical line; `parse_when` reads its ISO date
or date-time cells, and `row_when` does so for one row, raising InputError at its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from backcheck.errors import InputError
from backcheck.ingest.csvtext import read_table

_ISO = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class DiaryTable:
    """String columns of a diary CSV by canonical name, with each row's physical line."""

    path: str
    columns: dict[str, list[str]]
    lines: list[int]
    notes: list[str] = field(default_factory=list)


def diary_table(
    path: str | Path,
    *,
    names: Sequence[str],
    required: Sequence[str],
    aliases: dict[str, str],
) -> DiaryTable:
    """Read a small diary CSV whose columns are `names` (in this order when there is no header).

    `aliases` maps other header spellings (lower case) to a name. InputError for a missing
    required column, or a row with more fields than columns (an unquoted comma in a value).
    Rows shorter than the header are padded with empty fields.
    """
    table = read_table(path)
    p = table.path
    if table.header is None:
        order = list(names)
        widest = max(len(r) for r in table.rows)
        if widest < len(required):
            raise InputError(
                p, table.lines[0], f"expected the columns {','.join(names)} (no header found)"
            )
    else:
        order = []
        for cell in table.header:
            key = re.sub(r"[\s_\-]+", "_", cell.strip().lower())
            order.append(aliases.get(key, key))
        missing = [n for n in required if n not in order]
        if missing:
            raise InputError(
                p,
                1,
                f"missing column {', '.join(missing)}: the header must name "
                f"{','.join(names)} (found {','.join(table.header)})",
            )
    notes = []
    ignored = [c for c in order if c and c not in names]
    if ignored:
        notes.append(f"columns ignored: {', '.join(ignored)}")
    columns: dict[str, list[str]] = {n: [] for n in names}
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) > len(order) and any(c.strip() for c in row[len(order) :]):
            raise InputError(
                p,
                line,
                f"expected {len(order)} fields, found {len(row)}; "
                "put a value that contains a comma in double quotes",
            )
        cells = dict(zip(order, row, strict=False))
        for n in names:
            columns[n].append(cells.get(n, "").strip())
    return DiaryTable(path=p, columns=columns, lines=list(table.lines), notes=notes)


def parse_when(text: str) -> date | datetime | None:
    """An ISO date -> date; a date-time -> datetime (naive = local wall-clock, aware = exact).

    Accepts "2026-03-02", "2026/3/2", "2026-03-02T18:30", "2026-03-02 18:30:00+01:00",
    "2026-03-02T18:30Z". None for anything else (or an impossible date).
    """
    m = _ISO.match(text.strip())
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, off = m.groups()
    try:
        day = date(int(y), int(mo), int(d))
        if hh is None:
            return day
        tz = None
        if off:
            if off.upper() == "Z":
                tz = UTC
            else:
                sign = -1 if off[0] == "-" else 1
                digits = off[1:].replace(":", "")
                tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        micro = int((frac or "0").ljust(6, "0"))
        return datetime(day.year, day.month, day.day, int(hh), int(mi), int(ss or 0), micro, tz)
    except ValueError:
        return None


def row_when(text: str, *, path: str, line: int, hint: str) -> date | datetime:
    """`parse_when(text)` for the date cell of one row; InputError at `line` when it is empty
    ("date missing: HINT") or no date ("date '...' is not a date: HINT")."""
    moment = parse_when(text)
    if moment is None:
        what = "missing" if not text else f"{text!r} is not a date"
        raise InputError(path, line, f"date {what}: {hint}")
    return moment
