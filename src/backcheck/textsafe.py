"""User text on a terminal or in a spreadsheet: shown literally, never obeyed.

Exercise names, workout titles, notes, athlete names and file names come from files and forms
that anyone may have written. On a terminal they must not be read as Rich markup (`[/]` would
crash the print, `[bold red]` would style it) nor reach the terminal as control sequences (an ESC
can move the cursor, clear the screen, retitle the window or hide text). `visible` makes every
control character visible as a Python-style escape (`\\x1b`); `literal` wraps the result in a
Rich `Text`, which is never parsed as markup. HTML is escaped by Jinja's autoescape instead.

In a CSV opened by a spreadsheet, a cell that starts with `=` is a formula (`=HYPERLINK(...)`,
`=cmd|...` DDE): `spreadsheet_safe` neutralises text cells as OWASP advises before CSV is written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl
    from rich.text import Text

#: DEL and the C1 controls (0x80-0x9f, CSI 0x9b among them), and the Unicode bidirectional
#: marks, overrides and isolates that reorder what is shown ("Trojan Source").
_WIDE = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Those and the C0 controls (NUL..US: ESC, newline, tab, carriage return, backspace ...).
_CONTROL = re.compile(f"[\x00-\x1f{_WIDE}]")
#: The same without newline and tab, for text that may span lines (notes, messages).
_CONTROL_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_WIDE}]")
#: What json.dumps leaves raw (it escapes C0 itself; newlines outside strings are layout).
_CONTROL_JSON = re.compile(f"[{_WIDE}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object, *, multiline: bool = False) -> str:
    """`str(value)` with every control character shown as an escape: ESC as `\\x1b`, NUL as
    `\\x00`, a right-to-left override as `\\u202e`. Newlines and tabs are escaped too unless
    `multiline` (then they are kept: a note may span lines). Printable text is unchanged."""
    text = str(value)
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    return pattern.sub(_escape, text)


def literal(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """`visible(value)` as a Rich Text in `style`: printed as it is, brackets and all."""
    from rich.text import Text

    return Text(visible(value, multiline=multiline), style=style)


def json_safe(document: str) -> str:
    """A JSON text with the C1 controls and bidirectional overrides that `json.dumps(...,
    ensure_ascii=False)` leaves raw written as `\\uXXXX` escapes (C0 controls are escaped by
    json already). Valid JSON stays valid and means the same: these characters can only stand
    inside strings."""
    return _CONTROL_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that starts with `= + - @`, a tab or a
    carriage return gets a leading single quote (OWASP CSV Injection); others are unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with `spreadsheet_cell` applied to every text (String) column, for writing CSV.
    Numbers, dates and times keep their types: a weight of -2.5 stays a number."""
    import polars as pl

    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    first = r"^([=+\-@\t\r])"  # FORMULA_START as a (Rust) regex
    return frame.with_columns(pl.col(name).str.replace(first, "'$1") for name in text)
