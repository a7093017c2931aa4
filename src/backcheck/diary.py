"""Pain diary and recovery log: the core calls behind `pain log`, `pain import`, `recovery import`."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from backcheck.store import Store
from backcheck.store.athletes import athlete_id
from backcheck.store.diary import add_pain, add_recovery


def log_pain(
    store: Store,
    *,
    athlete: str,
    day: str,
    level: int,
    where: str | None,
    note: str | None,
    tz: ZoneInfo,
) -> bool:
    """Store one diary entry given on the command line; False when it was already stored."""
    from backcheck.ingest.pain import pain_entry_frame

    frame = pain_entry_frame(day=day, level=level, region=where, note=note, tz=tz)
    with store.transaction() as conn:
        return add_pain(conn, athlete_id(conn, athlete, create=True), frame) > 0


def _summary(path: Path, parsed: Any, new: int) -> dict[str, Any]:
    return {
        "path": str(path),
        "entries": parsed.frame.height,
        "rows": parsed.rows,
        "new": new,
        "skipped": [{"line": s.line, "why": s.why} for s in parsed.skipped],
        "notes": list(parsed.notes),
    }


def import_pain(store: Store, *, athlete: str, path: Path, tz: ZoneInfo) -> dict[str, Any]:
    """Read a pain diary CSV whole (errors name the line), then store it in one transaction."""
    from backcheck.ingest.pain import read_pain

    parsed = read_pain(path, tz=tz)
    with store.transaction() as conn:
        new = add_pain(conn, athlete_id(conn, athlete, create=True), parsed.frame)
    return _summary(path, parsed, new)


def import_recovery(store: Store, *, athlete: str, path: Path, tz: ZoneInfo) -> dict[str, Any]:
    """Read a recovery CSV or Apple Health export.xml, then store it in one transaction."""
    from backcheck.ingest.recovery import read_recovery

    parsed = read_recovery(path, tz=tz)
    source = "apple-health" if parsed.format == "apple-health" else "csv"
    with store.transaction() as conn:
        new = add_recovery(
            conn, athlete_id(conn, athlete, create=True), parsed.frame, source=source
        )
    return _summary(path, parsed, new)
