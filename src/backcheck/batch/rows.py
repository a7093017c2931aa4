"""One result row per athlete: the columns of the `backcheck batch` output (docs/interface.md).

Contract columns, in this order: `athlete`, `red_flags` (emergency | see-doctor | none |
not-asked), `top_cause` (the highest-ranked cause when it is `likely` or `possible`, else
null), `score_<cause>` (0-1) and `level_<cause>` (likely | possible | unlikely | unknown) for
each of model.CAUSES, `error` (null, or why the athlete could not be analysed). Extras:
`as_of`, `red_flag_reasons` (joined with "; "), `sessions`, `sets`, `first`, `last`,
`pain_entries`, `recovery_entries`, `videos`, `notes` (joined with "; ").
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from backcheck.model import CAUSES

if TYPE_CHECKING:
    from backcheck.why import WhyReport

ROW_SCHEMA: Final[dict[str, pl.DataType]] = {
    "athlete": pl.String(),
    "red_flags": pl.String(),
    "top_cause": pl.String(),
    **{
        name: dtype
        for cause in CAUSES
        for name, dtype in ((f"score_{cause}", pl.Float64()), (f"level_{cause}", pl.String()))
    },
    "error": pl.String(),
    "as_of": pl.Date(),
    "red_flag_reasons": pl.String(),
    "sessions": pl.Int64(),
    "sets": pl.Int64(),
    "first": pl.Date(),
    "last": pl.Date(),
    "pain_entries": pl.Int64(),
    "recovery_entries": pl.Int64(),
    "videos": pl.Int64(),
    "notes": pl.String(),
}
TOP_LEVELS: Final = ("likely", "possible")
SEP: Final = "; "


def _joined(items: list[str]) -> str | None:
    return SEP.join(items) if items else None


def _day(text: object) -> date | None:
    return None if text is None else date.fromisoformat(str(text))


def result_row(report: WhyReport, *, notes: list[str] | None = None) -> dict[str, Any]:
    """The output row of one analysed athlete."""
    row: dict[str, Any] = dict.fromkeys(ROW_SCHEMA)
    top = report.causes[0] if report.causes else None
    data = report.data
    row.update(
        athlete=report.athlete,
        red_flags=report.red_flags.level,
        top_cause=top.cause if top is not None and top.level in TOP_LEVELS else None,
        as_of=report.as_of,
        red_flag_reasons=_joined(list(report.red_flags.reasons)),
        sessions=data["sessions"],
        sets=data["sets"],
        first=_day(data["first"]),
        last=_day(data["last"]),
        pain_entries=data["pain_entries"],
        recovery_entries=data["recovery_entries"],
        videos=data["videos"],
        notes=_joined(notes or []),
    )
    for finding in report.causes:
        row[f"score_{finding.cause}"] = float(finding.score)
        row[f"level_{finding.cause}"] = finding.level
    return row


def error_row(athlete: str, why: str, *, as_of: date | None = None) -> dict[str, Any]:
    """The output row of an athlete who could not be analysed: `error` says why."""
    row: dict[str, Any] = dict.fromkeys(ROW_SCHEMA)
    row.update(athlete=athlete, error=why or "unknown error", as_of=as_of)
    return row


def rows_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Result rows as a frame of ROW_SCHEMA (columns in contract order)."""
    return pl.DataFrame(rows, schema=ROW_SCHEMA)
