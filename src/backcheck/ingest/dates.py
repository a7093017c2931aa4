"""Date-times as workout apps write them, localised month names included, parsed fast.

Apps write the start of a workout in the phone's language: "15 Sep 2025, 07:48" (English),
"15. Sep. 2025, 07:48" (German), "15 sept. 2025, 07:48" (French), "15 mar 2025, 7:48"
(Spanish/Italian), "15 de set. de 2025 07:48" (Portuguese), "15 mrt. 2025 07:48" (Dutch),
"Sep 15, 2025, 7:48 AM" (US English), or ISO "2025-09-15 07:48:00" with or without an offset
("2021-03-01 17:34:00 +0000", "2026-01-05T17:30:00+00:00").

An export repeats the same few hundred start times over many thousands of rows, so the vectorised
entry `to_utc` parses each distinct string once in Python and maps the results back with Polars.
Times without an offset are local wall-clock time in the athlete's zone and become UTC through
`columns.localize`; times with an offset are converted exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.ingest.columns import blank_to_null, localize
from backcheck.ingest.rowerrors import RowErrors, report

#: Full month names (accents removed, lower case) in the languages apps export in.
_FULL_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "januar", "janvier", "enero", "gennaio", "janeiro", "januari", "janner"),
    2: ("february", "februar", "fevrier", "febrero", "febbraio", "fevereiro", "februari"),
    3: ("march", "marz", "mars", "marzo", "marco", "maart"),
    4: ("april", "avril", "abril", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei"),
    6: ("june", "juni", "juin", "junio", "giugno", "junho"),
    7: ("july", "juli", "juillet", "julio", "luglio", "julho"),
    8: ("august", "aout", "agosto", "augustus"),
    9: ("september", "septembre", "septiembre", "settembre", "setembro"),
    10: ("october", "oktober", "octobre", "octubre", "ottobre", "outubro"),
    11: ("november", "novembre", "noviembre", "novembro"),
    12: ("december", "dezember", "decembre", "diciembre", "dicembre", "dezembro"),
}
#: Years accepted in a workout log (inclusive).
YEARS: Final = (1900, 2200)
#: Abbreviations that are not a prefix of a full name above.
_EXTRA_ABBREVIATIONS: dict[str, int] = {"mrz": 3, "mrt": 3}

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_TIME = r"(\d{1,2})[:.h](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?\s?m\.?)?"
# "15 Sep 2025, 07:48", "15. Sep. 2025 um 07:48", "15 de set. de 2025 07:48"
_DAY_FIRST = re.compile(
    r"^(\d{1,2})\.?\s*(?:de\s+)?([^\W\d_]+)\.?\s*(?:de\s+)?,?\s*(\d{4})"
    r"(?:\s*,?\s*(?:[^\W\d_]+\.?\s+)*" + _TIME + r")?$",
    re.IGNORECASE,
)
# "Sep 15, 2025, 7:48 AM"
_MONTH_FIRST = re.compile(
    r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s*,?\s*(?:[^\W\d_]+\s+)*" + _TIME + r")?$",
    re.IGNORECASE,
)


def _fold(word: str) -> str:
    """Lower case without accents or a trailing dot: "Févr." -> "fevr", "März" -> "marz"."""
    decomposed = unicodedata.normalize("NFKD", word.strip().rstrip(".").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _month_table() -> dict[str, int]:
    """Every unambiguous prefix (3+ letters) of a full month name -> month 1-12."""
    seen: dict[str, set[int]] = {}
    for month, names in _FULL_NAMES.items():
        for name in names:
            for end in range(3, len(name) + 1):
                seen.setdefault(name[:end], set()).add(month)
    table = {prefix: next(iter(months)) for prefix, months in seen.items() if len(months) == 1}
    table.update(_EXTRA_ABBREVIATIONS)
    return table


def month_number(word: str) -> int | None:
    """Month 1-12 of a month name or abbreviation in en/de/fr/es/it/pt/nl; None if unknown."""
    return _month_table().get(_fold(word))


def _clock(
    hour: str | None, minute: str | None, second: str | None, ampm: str | None
) -> tuple[int, int, int] | None:
    if hour is None:
        return (0, 0, 0)
    h, m, s = int(hour), int(minute or 0), int(second or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= h <= 12:
            return None
        h = (h % 12) + (12 if pm else 0)
    return (h, m, s)


def _offset(text: str) -> timezone:
    """ "Z", "+0100", "-05:30" -> a fixed offset (ValueError when out of range)."""
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    return timezone((-1 if text[0] == "-" else 1) * timedelta(minutes=minutes))


def parse_datetime(text: str) -> datetime | None:
    """One date-time string -> datetime (naive = local wall-clock; aware = had an offset).

    A date without a time is midnight. Returns None for anything that is not a date-time,
    and for years outside YEARS (no workout log is from then: the cell is garbage).
    """
    value = _parse(text.strip())
    if value is None or not YEARS[0] <= value.year <= YEARS[1]:
        return None
    return value


def _parse(s: str) -> datetime | None:
    try:
        iso = _ISO.match(s)
        if iso:
            y, mo, d, h, mi, sec, frac, off = iso.groups()
            micro = int((frac or "0")[:6].ljust(6, "0"))
            value = datetime(
                int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0), micro
            )
            if off:
                value = value.replace(tzinfo=_offset(off))
            return value
        parts = _DAY_FIRST.match(s)
        if parts:
            day, month_word, year, *clock = parts.groups()
        else:
            parts = _MONTH_FIRST.match(s)
            if not parts:
                return None
            month_word, day, year, *clock = parts.groups()
        month = month_number(month_word)
        hms = _clock(*clock)
        if month is None or hms is None:
            return None
        return datetime(int(year), month, int(day), *hms)
    except ValueError:  # day 31 of a 30-day month, hour 25 ...
        return None


def _lookup(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    what: str,
    errors: RowErrors | None = None,
) -> pl.DataFrame:
    """Each value of `values` parsed once per distinct string: columns `naive` (local
    wall-clock) and `aware` (already UTC, from an offset), both naive Datetime("us"). A value
    that is not a date-time raises InputError, or with `errors` is recorded there (null)."""
    raw = blank_to_null(values)
    distinct = raw.drop_nulls().unique().to_list()
    parsed = [parse_datetime(v) for v in distinct]
    bad = {v for v, p in zip(distinct, parsed, strict=True) if p is None}
    if bad:
        report(
            errors,
            path=path,
            lines=lines,
            bad=raw.is_in(list(bad)),
            why=lambda i: f"{label} {values[i]!r} is not {what}",
        )
    lookup = pl.DataFrame(
        {
            "raw": pl.Series(distinct, dtype=pl.String),
            "naive": pl.Series(
                [p if p is not None and p.tzinfo is None else None for p in parsed],
                dtype=pl.Datetime("us"),
            ),
            "aware": pl.Series(
                [
                    p.astimezone(UTC).replace(tzinfo=None) if p is not None and p.tzinfo else None
                    for p in parsed
                ],
                dtype=pl.Datetime("us"),
            ),
        }
    )
    return pl.DataFrame({"raw": raw}).join(lookup, on="raw", how="left", maintain_order="left")


def to_utc(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    tz: ZoneInfo,
    errors: RowErrors | None = None,
) -> pl.Series:
    """Date-time strings -> UTC-aware datetimes (microseconds); blanks stay null.

    Strings without an offset are wall-clock time in `tz`. Raises InputError at the line of the
    first value that is not a date-time this module reads, naming `label` (with `errors`:
    records every such row there, null).
    """
    joined = _lookup(
        values,
        path=path,
        lines=lines,
        label=label,
        what="a date and time backcheck can read",
        errors=errors,
    )
    local = localize(joined["naive"], tz.key)
    exact = joined["aware"].dt.replace_time_zone("UTC")
    return local.fill_null(exact).alias(values.name)


def dates_at_noon_utc(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    tz: ZoneInfo,
    errors: RowErrors | None = None,
) -> pl.Series:
    """Date-only strings ("2022-09-14", "14 Sep 2022") -> 12:00 local time in `tz`, as UTC.

    Noon, not midnight: noon local is the same calendar date in UTC for offsets from UTC-11
    to UTC+12, so a date-only workout does not move to the previous day in UTC; back in `tz`
    it is always the date given. Raises
    InputError at the first value that is not a plain date (a time of day is refused too), or
    with `errors` records every such row there (null).
    """
    what = "a date (YYYY-MM-DD)"
    joined = _lookup(values, path=path, lines=lines, label=label, what=what, errors=errors)
    naive = joined["naive"]
    has_time = (joined["aware"].is_not_null()) | (naive.dt.truncate("1d") != naive)
    report(
        errors,
        path=path,
        lines=lines,
        bad=has_time,
        why=lambda i: f"{label} {values[i]!r} is not {what}",
    )
    naive = pl.select(pl.when(~has_time.fill_null(False)).then(naive)).to_series()
    return localize(naive + timedelta(hours=12), tz.key).alias(values.name)
