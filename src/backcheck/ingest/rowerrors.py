"""Rows that cannot be read, collected while an importer parses a file column by column.

The row policy (docs/interface.md, "Exit codes"): a row that cannot be read is skipped and listed
(`PATH:LINE: what is wrong`) and the rest is imported; a file where more than
`limits.MAX_UNREADABLE_SHARE` of the rows cannot be read, or any row with `strict`, is refused
whole (`apply_row_policy`).

The column parsers (`columns`, `timeparse`, `dates`, `sheet.set_types`) take an optional
`errors: RowErrors`. Without one they raise InputError at the first bad value (the diary
importers read row by row and turn that into a skipped row themselves); with one they record every bad row here, with the first reason found for
it, and return null for its value, and the importer then drops those rows (`keep`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from backcheck.errors import InputError
from backcheck.ingest.limits import MAX_UNREADABLE_SHARE
from backcheck.model import ParsedFile, Skipped


class RowErrors:
    """Why rows of one parsed block cannot be read: row position -> the first reason found.

    `lines[i]` is the physical line of row i (for `PATH:LINE`). Positions refer to the rows of
    the frame being parsed, in order.
    """

    def __init__(self, path: str, lines: Sequence[int]) -> None:
        self.path = path
        self.lines = list(lines)
        self.reasons: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.reasons)

    def flag(self, bad: pl.Series, why: Callable[[int], str]) -> None:
        """Record `why(i)` for every row i where `bad` is true (nulls count as false), unless
        that row already has a reason."""
        for i in bad.fill_null(False).arg_true().to_list():
            if i not in self.reasons:
                self.reasons[i] = why(i)

    def flag_reasons(self, why: pl.Series) -> None:
        """Record the non-null entries of a per-row reason column (String, one per row)."""
        for i in why.is_not_null().arg_true().to_list():
            if i not in self.reasons:
                self.reasons[i] = str(why[i])

    def keep(self) -> pl.Series:
        """True for the rows with no reason recorded (Boolean, one per row)."""
        bad = pl.Series(list(self.reasons), dtype=pl.Int64)
        return ~pl.int_range(len(self.lines), eager=True).is_in(bad.implode())

    def skipped(self) -> list[Skipped]:
        """The recorded rows as unreadable `Skipped` entries, in line order."""
        return sorted(
            (Skipped(int(self.lines[i]), why, unreadable=True) for i, why in self.reasons.items()),
            key=lambda s: s.line,
        )


def report(
    errors: RowErrors | None,
    *,
    path: str,
    lines: Sequence[int],
    bad: pl.Series,
    why: Callable[[int], str],
) -> None:
    """Bad values: recorded in `errors`, or, without it, InputError at the first bad row."""
    if errors is not None:
        errors.flag(bad, why)
        return
    idx = bad.fill_null(False).arg_true()
    if idx.len():
        i = int(idx[0])
        raise InputError(path, int(lines[i]), why(i))


def apply_row_policy(parsed: ParsedFile, *, strict: bool = False) -> ParsedFile:
    """`parsed` as it is, or InputError refusing the whole file: with `strict` on any
    unreadable row; otherwise when more than MAX_UNREADABLE_SHARE of its rows are unreadable.
    The error names the first unreadable row (`PATH:LINE: why`) and how many there are."""
    refuse_if_unreadable(parsed.path, rows=parsed.rows, skipped=parsed.skipped, strict=strict)
    return parsed


def refuse_if_unreadable(
    path: str, *, rows: int, skipped: Sequence[Skipped], strict: bool = False
) -> None:
    """The row policy for any file of `rows` rows: InputError refusing it whole, naming the
    first unreadable row of `skipped` (`PATH:LINE: why`) and how many there are, with
    `strict` on any unreadable row, otherwise when more than MAX_UNREADABLE_SHARE are."""
    bad = [s for s in skipped if s.unreadable]
    if not bad:
        return
    first = bad[0]
    rows = max(rows, len(bad))
    count = f"{len(bad):,} of {rows:,} rows cannot be read"
    if strict:
        raise InputError(path, first.line, f"{first.why} ({count}; --strict refuses them)")
    if len(bad) > MAX_UNREADABLE_SHARE * rows:
        raise InputError(
            path,
            first.line,
            f"{first.why} ({count}, more than {MAX_UNREADABLE_SHARE:.0%}: is this the right "
            "file and format? nothing was imported)",
        )
