"""An account's data as a whole: the import log and triage history (for the export), and
deleting an account with everything it owns. (When an athlete's data changed: store.stamp.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from backcheck.store.erase import delete_athletes
from backcheck.store.schema import athletes, imports, triage
from backcheck.store.webstore import (
    api_tokens,
    athlete_owners,
    auth_sessions,
    coach_links,
    jobs,
    users,
)


def delete_account(conn: Connection, user_id: int) -> list[str]:
    """Delete the account and every athlete it owns, with all their data; returns the
    deleted athletes' store names (their snapshot files go once committed, store.erase; their
    uploads are the caller's to remove)."""
    owned = conn.execute(
        select(athletes.c.id, athletes.c.name)
        .join(athlete_owners, athlete_owners.c.athlete_id == athletes.c.id)
        .where(athlete_owners.c.user_id == user_id)
    ).all()
    delete_athletes(conn, [r.id for r in owned])
    for table, column in (
        (coach_links, coach_links.c.coach_id),
        (jobs, jobs.c.user_id),
        (api_tokens, api_tokens.c.user_id),
        (auth_sessions, auth_sessions.c.user_id),
    ):
        conn.execute(delete(table).where(column == user_id))
    conn.execute(delete(users).where(users.c.id == user_id))
    return [r.name for r in owned]


def triage_history(conn: Connection, athlete_id: int) -> list[dict[str, Any]]:
    """Every stored set of red-flag answers, oldest first: answered_at, answers_json."""
    rows = conn.execute(
        select(triage.c.answered_at, triage.c.answers_json)
        .where(triage.c.athlete_id == athlete_id)
        .order_by(triage.c.answered_at, triage.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def import_log(
    conn: Connection, athlete_id: int, *, last: int | None = None
) -> list[dict[str, Any]]:
    """Imported files, newest first: id, imported_at, file_name, format, unit, rows, sets,
    new_sets, skipped_json."""
    query = (
        select(
            imports.c.id,
            imports.c.imported_at,
            imports.c.file_name,
            imports.c.format,
            imports.c.unit,
            imports.c.rows,
            imports.c.sets,
            imports.c.new_sets,
            imports.c.skipped_json,
        )
        .where(imports.c.athlete_id == athlete_id)
        .order_by(imports.c.id.desc())
    )
    if last is not None:
        query = query.limit(last)
    return [dict(r) for r in conn.execute(query).mappings()]
