"""Shared property check for the CSV importers: random cells under a real header either parse
with every data row accounted for, or raise InputError (never another exception).

Each importer's test keeps its own cell strategy, header and `read` call; only the writing of
the file and the assertions live here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from backcheck.errors import InputError
from backcheck.model import ParsedFile


def csv_body(rows: Sequence[Sequence[str]], *, raw: bool) -> str:
    """Rows joined with commas and newlines. `raw`: cells as they are (broken quotes, wrong
    widths); otherwise every cell quoted, with inner quotes doubled."""
    if raw:
        return "\n".join(",".join(r) for r in rows)
    return "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in r) for r in rows)


def check_random_text(
    read: Callable[[Path], ParsedFile],
    *,
    header: str,
    rows: Sequence[Sequence[str]],
    raw: bool,
    name: str = "f.csv",
    set_types: Collection[str] | None = None,
) -> None:
    """Write `header` and `rows` (see `csv_body`) to a fresh temporary file called `name` and
    read it with `read`. An InputError is a pass; otherwise every row must be a set or a
    skipped row, and, when `set_types` is given, every set_type must be one of them."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(header + "\n" + csv_body(rows, raw=raw), encoding="utf-8")
        try:
            parsed = read(path)
        except InputError:
            return
        assert parsed.sets.height + len(parsed.skipped) == parsed.rows
        if set_types is not None:
            assert set(parsed.sets["set_type"].to_list()) <= set(set_types)
