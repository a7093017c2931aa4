"""Reading a delimited text export safely: sniffing, decoding, records with their line numbers.

Nothing here knows an app's columns; importers get a `Table` of strings and the physical line
each record started on, so every error can say `PATH:LINE: what is wrong`.
"""

from __future__ import annotations

import csv
import gc
import io
from dataclasses import dataclass
from pathlib import Path

from backcheck.errors import InputError

SNIFF_BYTES = 64 * 1024
FIT_MAGIC = b".FIT"


@dataclass(slots=True)
class Table:
    """Records of a delimited file: `header` (None when the file has none) and data rows.

    `lines[i]` is the 1-based physical line on which `rows[i]` starts (multi-line quoted
    fields make it differ from the record number). Blank lines are not records.
    """

    path: str
    header: list[str] | None
    rows: list[list[str]]
    lines: list[int]
    delimiter: str

    @property
    def header_line(self) -> int:
        """Line number of the header (1), or 0 when there is none."""
        return 1 if self.header is not None else 0


def head_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first `size` bytes of `path`; InputError when it is missing, a folder or empty."""
    if not path.exists():
        raise InputError(path, None, "no such file")
    if path.is_dir():
        raise InputError(path, None, "is a folder, not a file")
    with path.open("rb") as fh:
        head = fh.read(size)
    if not head.strip():
        raise InputError(path, None, "empty file: nothing to import")
    return head


def is_fit(head: bytes) -> bool:
    """True for a Garmin FIT file (".FIT" signature at byte 8 of the header)."""
    return len(head) >= 12 and head[8:12] == FIT_MAGIC


def check_text(path: Path, head: bytes) -> None:
    """Refuse binary data early (before reading a possibly huge file whole)."""
    if is_fit(head):
        raise InputError(path, None, "this is a Garmin FIT file, not a CSV (use --format fit)")
    if b"\x00" in head:
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, line, "binary data (NUL bytes): not a text export")


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of `data` (a BOM is dropped); InputError with the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            line,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); export the file again as UTF-8",
        ) from None


def sniff_delimiter(first_line: str) -> str:
    """`,` `;` or tab: whichever occurs most outside quotes in the first line (default `,`)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def read_table(path: str | Path, *, has_header: bool | None = None) -> Table:
    """Read a delimited export. `has_header=None` lets `looks_like_header` decide.

    Raises InputError for a missing/empty/binary/non-UTF-8 file, or broken quoting (a
    truncated file ends inside a quoted field).
    """
    p = Path(path)
    check_text(p, head_bytes(p))
    return parse_text(str(p), decode(p, p.read_bytes()), has_header=has_header)


def read_prefix(path: str | Path, head: bytes) -> Table:
    """A Table of the complete lines in `head` (the file's first bytes), for format detection."""
    cut = head.rfind(b"\n")
    sample = head[:cut] if cut > 0 and len(head) >= SNIFF_BYTES else head
    text = sample.decode("utf-8-sig", errors="replace")
    try:
        return parse_text(str(path), text, has_header=None)
    except InputError:
        # A quoted field cut at the sniff boundary: detection needs the header only.
        return parse_text(str(path), text.split("\n", 1)[0], has_header=None)


def parse_text(path: str, text: str, *, has_header: bool | None) -> Table:
    """Records of `text` (already decoded); see `read_table`."""
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    collecting = gc.isenabled()
    gc.disable()  # millions of small lists: the collector would rescan them over and over
    try:
        for record in reader:
            if "".join(record).strip():
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, start, f"broken CSV ({exc}); is the file truncated?") from None
    finally:
        if collecting:
            gc.enable()
    if not rows:
        raise InputError(path, None, "empty file: nothing to import")
    header_present = looks_like_header(rows[0]) if has_header is None else has_header
    header = [h.strip() for h in rows[0]] if header_present else None
    if header_present:
        rows, lines = rows[1:], lines[1:]
    return Table(path=path, header=header, rows=rows, lines=lines, delimiter=delimiter)


def looks_like_header(record: list[str]) -> bool:
    """True when no cell of `record` starts with a digit (data rows start with a date)."""
    return not any(cell.strip()[:1].isdigit() for cell in record)


def check_widths(table: Table, width: int) -> None:
    """Every row must have `width` fields (trailing empty extras are allowed)."""
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) != width:
            extra = row[width:]
            if len(row) > width and not any(c.strip() for c in extra):
                continue
            raise InputError(
                table.path,
                line,
                f"expected {width} fields, found {len(row)} (truncated or wrong file?)",
            )


def columns(table: Table, names: list[str]) -> dict[str, list[str]]:
    """Transpose rows into named string columns (rows must already pass `check_widths`)."""
    width = len(names)
    cols = (
        list(zip(*(row[:width] for row in table.rows), strict=True)) if table.rows else [()] * width
    )
    return {name: list(col) for name, col in zip(names, cols, strict=True)}
