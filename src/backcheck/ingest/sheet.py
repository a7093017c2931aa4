"""The small table helpers the CSV importers share (native, Hevy, FitNotes, Fitbod).

`load_sheet` reads an export with a header into a `Sheet`: one String column per header name,
folded to lower case without surrounding spaces (the first of duplicates), plus `_line`
(LINE), the 1-based physical line each record starts on, so that every error can name its
line. The others check the header, skip unnamed rows, map an app's set-type words, number
sets within a session and exercise, turn "0 = not logged" into null, and wrap the result in
the importer's `ParsedFile`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from backcheck.errors import InputError
from backcheck.ingest.columns import blank_to_null
from backcheck.ingest.csvtext import (
    Table,
    check_text,
    decode,
    fit_widths,
    head_bytes,
    parse_text,
    sniff_delimiter,
)
from backcheck.ingest.limits import MAX_REPS, MAX_SET_NUMBER
from backcheck.ingest.rowerrors import RowErrors, report
from backcheck.model import ParsedFile, Skipped, conform_sets

LINE = "_line"
#: Largest reps or set number read as a number (beyond it the cell is garbage, not a set); the
#: limits on plausible sets are `limits.MAX_REPS` and `limits.MAX_SET_NUMBER`.
MAX_COUNT = max(MAX_REPS, MAX_SET_NUMBER)


def fold(names: Sequence[str]) -> list[str]:
    """Header names in lower case without surrounding spaces (how importers look them up)."""
    return [name.strip().lower() for name in names]


def header_index(table: Table) -> dict[str, int]:
    """Folded header names -> column position (first of duplicates)."""
    index: dict[str, int] = {}
    for i, name in enumerate(fold(table.header or [])):
        index.setdefault(name, i)
    return index


@dataclass(frozen=True, slots=True)
class Sheet:
    """A delimited export with a header, as one String column per folded header name (the
    first of duplicates) plus `_line`, the 1-based physical line each record starts on."""

    path: str
    header: list[str]
    frame: pl.DataFrame
    #: Records that could not be read (broken quoting, a wrong number of fields); not in frame.
    skipped: list[Skipped] = field(default_factory=list)
    #: Records whose unquoted comma in a name was rejoined (`csvtext.fit_widths`).
    rejoined: int = 0

    def select(self, wanted: Sequence[str]) -> pl.DataFrame:
        """The `wanted` columns the file has (absent ones left out), plus `_line`."""
        names = [n for n in dict.fromkeys(wanted) if n in self.frame.columns and n != LINE]
        return self.frame.select([*names, LINE])


def load_sheet(
    path: str | Path,
    *,
    fast: bool = True,
    rejoin: Sequence[str] = (),
    numeric: Sequence[str] = (),
) -> Sheet:
    """Read an export whose first line is a header, one record a row as wide as the header.

    Fast path: Polars parses the file, and the result is used only when it provably agrees
    with a strict CSV reading (every physical line and every delimiter accounted for), which
    gives each record's physical line. Anything else (blank lines, ragged rows, odd quoting)
    goes through `csvtext.read_table` and `csvtext.fit_widths` (always, with `fast=False`):
    a row with too many fields is rejoined at the first of the `rejoin` columns (folded header
    names) that leaves the `numeric` columns numbers; a row that still does not fit, or with
    broken quoting, goes to `Sheet.skipped` as unreadable.
    """
    p = Path(path)
    head = head_bytes(p)
    check_text(p, head)
    text = decode(p, p.read_bytes())
    quick = _fast_sheet(str(p), text) if fast else None
    if quick is not None:
        return _without_header_again(quick)
    table = parse_text(str(p), text, has_header=True, lenient=True)
    header = table.header or []
    index = header_index(table)
    table = fit_widths(
        table,
        len(header),
        rejoin=[index[n] for n in rejoin if n in index],
        numeric=[index[n] for n in numeric if n in index],
    )
    columns = list(zip(*(row[: len(header)] for row in table.rows), strict=True))
    data = {
        name: pl.Series(name, columns[i] if columns else [], dtype=pl.String)
        for name, i in header_index(table).items()
    }
    data[LINE] = pl.Series(LINE, table.lines, dtype=pl.Int32)
    sheet = Sheet(table.path, fold(header), pl.DataFrame(data), table.skipped, table.rejoined)
    return _without_header_again(sheet)


HEADER_AGAIN = "the header line again (two exports joined together?)"


def _without_header_again(sheet: Sheet) -> Sheet:
    """`sheet` without rows that repeat the header (files joined with `cat`), which go to
    `skipped` (not as unreadable rows)."""
    names = [c for c in sheet.frame.columns if c != LINE]
    if not names or sheet.frame.height == 0:
        return sheet
    again = sheet.frame.select(
        pl.all_horizontal([pl.col(n).str.strip_chars().str.to_lowercase() == n for n in names])
    ).to_series()
    if not again.any():
        return sheet
    skipped = [Skipped(int(n), HEADER_AGAIN) for n in sheet.frame.filter(again)[LINE].to_list()]
    return Sheet(
        sheet.path,
        sheet.header,
        sheet.frame.filter(~again),
        sorted([*sheet.skipped, *skipped], key=lambda s: s.line),
        sheet.rejoined,
    )


def _fast_sheet(path: str, text: str) -> Sheet | None:
    """`load_sheet` by Polars, or None when the result cannot be trusted."""
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    if "\r" in text.replace("\r\n", ""):
        return None
    try:
        raw = pl.read_csv(
            text.encode("utf-8"),
            has_header=True,
            infer_schema=False,
            separator=delimiter,
            truncate_ragged_lines=False,
            raise_if_empty=True,
        )
    except Exception:  # any complaint from Polars: the strict reader will name the line
        return None
    names = raw.columns
    try:
        header = next(csv.reader([first], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        return None
    if header != names or any(delimiter in name for name in names):
        return None
    cells = raw.select(
        pl.sum_horizontal(pl.all().fill_null("").str.count_matches("\n", literal=True)).alias("nl"),
        pl.sum_horizontal(pl.all().fill_null("").str.count_matches(delimiter, literal=True)).alias(
            "dl"
        ),
    )
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    embedded = int(cells["nl"].sum())
    if physical != 1 + raw.height + embedded:
        return None
    if text.count(delimiter) != (len(names) - 1) * (raw.height + 1) + int(cells["dl"].sum()):
        return None
    lines = pl.int_range(raw.height, eager=True) + 2 + cells["nl"].cum_sum() - cells["nl"]
    frame = raw.with_columns(lines.cast(pl.Int32).alias(LINE))
    blank = frame.select(
        pl.all_horizontal(pl.exclude(LINE).fill_null("").str.strip_chars() == "")
    ).to_series()
    frame = frame.filter(~blank)
    index: dict[str, str] = {}
    for name, folded in zip(names, fold(names), strict=True):
        index.setdefault(folded, name)
    frame = frame.select(
        [pl.col(name).fill_null("").alias(folded) for folded, name in index.items()] + [LINE]
    )
    return Sheet(path, fold(names), frame)


def require_columns(sheet: Sheet, required: Sequence[str | tuple[str, ...]]) -> None:
    """InputError at line 1 naming every required column the header lacks.

    An item that is a tuple is satisfied by any one of its names ("weight_kg or weight_lbs").
    Names are compared case-insensitively.
    """
    have = set(sheet.header)
    missing = [
        " or ".join(need) if isinstance(need, tuple) else need
        for need in required
        if not any(n.lower() in have for n in (need if isinstance(need, tuple) else (need,)))
    ]
    if missing:
        raise InputError(sheet.path, 1, f"missing column(s): {', '.join(missing)}")


def split_unnamed(frame: pl.DataFrame, column: str) -> tuple[pl.DataFrame, list[Skipped]]:
    """Rows whose exercise name (`column`) is blank are skipped with a reason."""
    blank = blank_to_null(frame[column]).is_null()
    skipped = [Skipped(int(n), "no exercise name") for n in frame.filter(blank)[LINE].to_list()]
    return frame.filter(~blank), skipped


def set_types(
    values: pl.Series,
    *,
    path: str,
    lines: Sequence[int],
    label: str,
    mapping: dict[str, str],
    errors: RowErrors | None = None,
) -> pl.Series:
    """An app's set-type words (case-insensitive; keys of `mapping`) -> canonical SET_TYPES.

    A blank cell is a working set. Any other word raises InputError at its line (with
    `errors`: is recorded there).
    """
    s = blank_to_null(values).str.to_lowercase()
    unknown = s.is_not_null() & ~s.is_in(list(mapping))
    known = ", ".join(sorted(mapping))
    report(
        errors,
        path=path,
        lines=lines,
        bad=unknown,
        why=lambda i: f"{label} {values[i]!r} is not a known set type ({known})",
    )
    return s.replace_strict(mapping, default=None, return_dtype=pl.String).fill_null("working")


def order_within(frame: pl.DataFrame, keys: Sequence[str]) -> pl.Series:
    """1-based position of each row among the rows sharing `keys`, in frame order (Int32)."""
    return frame.select(
        (pl.int_range(pl.len()).over(list(keys)) + 1).cast(pl.Int32).alias("set_index")
    ).to_series()


def nonzero(values: pl.Series) -> pl.Series:
    """0 -> null: apps write 0 for "no timer / no distance logged" on lifting sets."""
    return pl.select(pl.when(values != 0).then(values)).to_series().alias(values.name)


def parsed_file(
    sheet: Sheet,
    sets: pl.DataFrame,
    *,
    format: str,
    skipped: list[Skipped],
    notes: list[str],
) -> ParsedFile:
    """What an importer read from `sheet`: `sets` cast and ordered to SET_SCHEMA, the rows it
    skipped with the sheet's own unreadable records, and `notes`; `rows` counts every data
    record of the sheet (sets + skipped)."""
    all_skipped = [*skipped, *sheet.skipped]
    notes = list(notes)
    if sheet.rejoined:
        notes.append(
            f"{sheet.rejoined} row(s) had a comma inside a name without quotes; the name was "
            "joined back together"
        )
    return ParsedFile(
        path=sheet.path,
        format=format,
        sets=conform_sets(sets),
        skipped=sorted(all_skipped, key=lambda s: s.line),
        rows=sheet.frame.height + len(sheet.skipped),
        notes=notes,
    )
