"""Reading a delimited text export safely: sniffing, decoding, records with their line numbers.

Nothing here knows an app's columns; importers get a `Table` of strings and the physical line
each record started on, so every error can say `PATH:LINE: what is wrong`.

Text encodings read: UTF-8 with or without a BOM, UTF-16 (with a BOM, or without one when the
NUL bytes show it), and, for bytes that are not UTF-8, Windows-1252 (a superset of Latin-1 for
text; what spreadsheet programs on Windows save).
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from backcheck.errors import InputError
from backcheck.model import Skipped

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
    #: Records that could not be read at all (broken quoting, a wrong number of fields), read
    #: leniently (`lenient=True`) instead of refusing the file; not in `rows`.
    skipped: list[Skipped] = field(default_factory=list)
    #: Rows whose unquoted delimiter inside a name was rejoined (`fit_widths`).
    rejoined: int = 0

    @property
    def header_line(self) -> int:
        """Line number of the header (1), or 0 when there is none."""
        return 1 if self.header is not None else 0


def head_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first `size` bytes of `path`; InputError when it is missing, a folder, not a
    regular file (a FIFO, a device: reading one could wait forever) or empty."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise InputError(path, None, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputError(
            path, None, "is not a regular file (a pipe, device or socket): give the export file"
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(size)
    except OSError as exc:
        raise InputError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    if not head.strip() or not head.decode(text_encoding(head), errors="replace").strip(
        "\ufeff \t\r\n"
    ):
        raise InputError(path, None, "empty file: nothing to import")
    return head


def is_fit(head: bytes) -> bool:
    """True for a Garmin FIT file (".FIT" signature at byte 8 of the header)."""
    return len(head) >= 12 and head[8:12] == FIT_MAGIC


def text_encoding(head: bytes) -> str:
    """The codec to read a text file that starts with `head`: "utf-16" for a UTF-16 byte order
    mark, "utf-16-le"/"utf-16-be" for UTF-16 without one (ASCII text with every other byte
    NUL), else "utf-8-sig" (decode falls back to Windows-1252 when it is not UTF-8)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.4 * len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) >= 0.4 * len(even) and odd.count(0) == 0:
            return "utf-16-be"
    return "utf-8-sig"


def check_text(path: Path, head: bytes) -> None:
    """Refuse binary data early (before reading a possibly huge file whole)."""
    if is_fit(head):
        raise InputError(path, None, "this is a Garmin FIT file, not a CSV (use --format fit)")
    if text_encoding(head).startswith("utf-16"):
        return
    if b"\x00" in head:
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, line, "binary data (NUL bytes): not a text export")


def decode(path: Path, data: bytes) -> str:
    """The text of `data`: UTF-8 (a BOM is dropped), UTF-16 (`text_encoding`), or Windows-1252
    when the bytes are not UTF-8 (Latin-1 for the few bytes Windows-1252 leaves undefined).
    InputError for UTF-16 that does not decode, or NUL characters in the text."""
    encoding = text_encoding(data[:SNIFF_BYTES])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding.startswith("utf-16"):
            raise InputError(path, None, f"broken UTF-16 text ({exc.reason})") from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(path, line, "binary data (NUL characters): not a text export")
    return text


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


def read_table(path: str | Path, *, has_header: bool | None = None, lenient: bool = False) -> Table:
    """Read a delimited export. `has_header=None` lets `looks_like_header` decide.

    Raises InputError for a missing/empty/binary file or undecodable text. Broken quoting
    raises too, unless `lenient`: then the broken record goes to `Table.skipped` (except a
    quote left open over more than `_OPEN_QUOTE_LINES` lines to the end: that is refused).
    """
    p = Path(path)
    check_text(p, head_bytes(p))
    return parse_text(str(p), decode(p, p.read_bytes()), has_header=has_header, lenient=lenient)


def read_prefix(path: str | Path, head: bytes) -> Table:
    """A Table of the complete lines in `head` (the file's first bytes), for format detection."""
    encoding = text_encoding(head)
    cut = head.rfind(b"\n")
    sample = head[:cut] if cut > 0 and len(head) >= SNIFF_BYTES else head
    if encoding.startswith("utf-16") and len(sample) % 2:
        sample = sample[:-1]
    text = sample.decode(encoding, errors="replace").removeprefix("\ufeff")
    if encoding == "utf-8-sig" and "\ufffd" in text:
        text = sample.decode("cp1252", errors="replace")
    try:
        return parse_text(str(path), text, has_header=None, lenient=True)
    except InputError:
        # A quoted field cut at the sniff boundary: detection needs the header only.
        return parse_text(str(path), text.split("\n", 1)[0], has_header=None, lenient=True)


#: A quote left open to the end of the file over more physical lines than this is refused
#: whole (the rest of the file would be lost in one field); over fewer, it is one truncated row.
_OPEN_QUOTE_LINES = 3


def parse_text(path: str, text: str, *, has_header: bool | None, lenient: bool = False) -> Table:
    """Records of `text` (already decoded); see `read_table`."""
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    broken: list[Skipped] = []
    start = 1
    collecting = gc.isenabled()
    gc.disable()  # millions of small lists: the collector would rescan them over and over
    try:
        done = False
        while not done:
            try:
                for record in reader:  # the fast loop; a broken record breaks out of it
                    if "".join(record).strip():
                        rows.append(record)
                        lines.append(start)
                    start = reader.line_num + 1
                done = True
            except csv.Error as exc:
                at_end = reader.line_num - start + 1
                hint = "; is the file truncated?" if "end of data" in str(exc) else ""
                why = f"broken CSV ({exc}){hint}"
                if not lenient or ("end of data" in str(exc) and at_end > _OPEN_QUOTE_LINES):
                    raise InputError(path, start, why) from None
                broken.append(Skipped(start, why, unreadable=True))
                start = reader.line_num + 1
    finally:
        if collecting:
            gc.enable()
    if not rows:
        if broken:
            raise InputError(path, broken[0].line, broken[0].why)
        raise InputError(path, None, "empty file: nothing to import")
    header_present = looks_like_header(rows[0]) if has_header is None else has_header
    header = [h.strip() for h in rows[0]] if header_present else None
    if header_present:
        rows, lines = rows[1:], lines[1:]
    return Table(
        path=path, header=header, rows=rows, lines=lines, delimiter=delimiter, skipped=broken
    )


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


def _numberish(cell: str) -> bool:
    """Blank, or a number (decimal point or comma)."""
    text = cell.strip()
    if not text:
        return True
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def fit_widths(
    table: Table,
    width: int,
    *,
    rejoin: Sequence[int] = (),
    numeric: Sequence[int] = (),
    valid: Callable[[list[str]], bool] | None = None,
) -> Table:
    """Make every row `width` fields wide, moving rows that cannot be to `table.skipped`.

    A row with k extra fields is taken to hold an unquoted delimiter in a name (FitNotes writes
    "Overhead Press (Each Side, Dumbbells)" without quotes) unless the extras are empty and the
    row reads well without them (trailing empty fields are dropped): the fields at the first
    position in `rejoin` (column indexes, in order of preference) where joining k + 1 fields
    leaves every `numeric` column blank or a number (and `valid(row)` true, when given) are
    joined back with the delimiter (`table.rejoined` counts them). Any other width is skipped as unreadable: "expected N
    fields, found M".
    """
    if set(map(len, table.rows)) <= {width}:
        return table  # the usual case: every row fits
    rows: list[list[str]] = []
    lines: list[int] = []
    skipped = list(table.skipped)
    rejoined = table.rejoined
    for row, line in zip(table.rows, table.lines, strict=True):
        n = len(row)
        if n == width:
            rows.append(row)
            lines.append(line)
            continue
        trimmed = row[:width] if n > width and not any(c.strip() for c in row[width:]) else None
        if trimmed is not None and _reads(trimmed, numeric, valid):
            rows.append(trimmed)
            lines.append(line)
            continue
        fixed = (
            _rejoined(row, width, table.delimiter, rejoin, numeric, valid) if n > width else None
        )
        if fixed is not None:
            rows.append(fixed)
            lines.append(line)
            rejoined += 1
        elif trimmed is not None:  # reads badly either way: the column parsers will say why
            rows.append(trimmed)
            lines.append(line)
        else:
            why = f"expected {width} fields, found {n} (a delimiter inside an unquoted value?)"
            skipped.append(Skipped(line, why, unreadable=True))
    skipped.sort(key=lambda s: s.line)
    return Table(
        path=table.path,
        header=table.header,
        rows=rows,
        lines=lines,
        delimiter=table.delimiter,
        skipped=skipped,
        rejoined=rejoined,
    )


def _reads(
    row: list[str], numeric: Sequence[int], valid: Callable[[list[str]], bool] | None
) -> bool:
    """True when every `numeric` column of `row` is blank or a number, and `valid` agrees."""
    numbers = all(_numberish(row[i]) for i in numeric if i < len(row))
    return numbers and (valid is None or valid(row))


def _rejoined(
    row: list[str],
    width: int,
    delimiter: str,
    rejoin: Sequence[int],
    numeric: Sequence[int],
    valid: Callable[[list[str]], bool] | None,
) -> list[str] | None:
    extra = len(row) - width
    for at in rejoin:
        if at >= width:
            continue
        candidate = [*row[:at], delimiter.join(row[at : at + extra + 1]), *row[at + extra + 1 :]]
        if _reads(candidate, numeric, valid):
            return candidate
    return None


def columns(table: Table, names: list[str]) -> dict[str, list[str]]:
    """Transpose rows into named string columns (rows must already pass `check_widths`)."""
    width = len(names)
    cols = (
        list(zip(*(row[:width] for row in table.rows), strict=True)) if table.rows else [()] * width
    )
    return {name: list(col) for name, col in zip(names, cols, strict=True)}
