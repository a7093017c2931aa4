"""Saved plans: the athlete's corrective plans as `backcheck.plan/1` documents.

Saving keeps every plan; a plan applies from its own start until the start of the next one
saved (a later save replaces an earlier plan from its own start on; a save starting on or
before an earlier plan's start replaces that one whole).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.engine import Connection

from backcheck.store.athletes import athlete_id, bump_revision
from backcheck.store.schema import metadata

saved_plans: Table = metadata.tables["saved_plans"]


def save_plan(conn: Connection, athlete: str, doc: dict[str, Any]) -> int:
    """Keep `doc` (a backcheck.plan/1 document) as `athlete`'s current plan from its start;
    plans saved earlier that start on or after that day are replaced. Returns the plan's id."""
    who = athlete_id(conn, athlete)
    start = date.fromisoformat(doc["start"])
    conn.execute(
        delete(saved_plans).where(saved_plans.c.athlete_id == who, saved_plans.c.start >= start)
    )
    result = conn.execute(
        saved_plans.insert().values(
            athlete_id=who,
            start=start,
            saved_at=datetime.now(UTC),
            doc_json=json.dumps(doc, ensure_ascii=False),
        )
    )
    bump_revision(conn, who)  # cached reports and snapshot stamps see the change
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def load_plans(conn: Connection, athlete: str) -> list[dict[str, Any]]:
    """`athlete`'s saved plan documents, by start (oldest first); [] when none was saved."""
    who = athlete_id(conn, athlete)
    rows = conn.execute(
        select(saved_plans.c.doc_json)
        .where(saved_plans.c.athlete_id == who)
        .order_by(saved_plans.c.start, saved_plans.c.id)
    ).scalars()
    return [json.loads(r) for r in rows]
