"""An account's data as a whole: the import log and triage history (for the export), deleting
an account with everything it owns, and the stamp that tells when an athlete's data changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from backcheck.store.schema import (
    athletes,
    imports,
    pain,
    recovery,
    sessions,
    sets,
    triage,
    videos,
)
from backcheck.store.webstore import (
    api_tokens,
    athlete_owners,
    auth_sessions,
    coach_links,
    jobs,
    users,
)

#: Every table with an athlete's own data, children before parents.
ATHLETE_TABLES = (sets, sessions, imports, pain, recovery, triage, videos, jobs, coach_links)


def delete_account(conn: Connection, user_id: int) -> list[str]:
    """Delete the account and every athlete it owns, with all their data; returns the
    deleted athletes' store names (their cache files and uploads are the caller's to remove)."""
    owned = conn.execute(
        select(athletes.c.id, athletes.c.name)
        .join(athlete_owners, athlete_owners.c.athlete_id == athletes.c.id)
        .where(athlete_owners.c.user_id == user_id)
    ).all()
    ids = [r.id for r in owned]
    if ids:
        for table in ATHLETE_TABLES:
            conn.execute(delete(table).where(table.c.athlete_id.in_(ids)))
        conn.execute(delete(athlete_owners).where(athlete_owners.c.athlete_id.in_(ids)))
        conn.execute(delete(athletes).where(athletes.c.id.in_(ids)))
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
    """Imported files, newest first: imported_at, file_name, format, rows, sets, new_sets,
    skipped_json."""
    query = (
        select(
            imports.c.imported_at,
            imports.c.file_name,
            imports.c.format,
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


def data_stamp(conn: Connection, athlete_id: int) -> tuple[Any, ...]:
    """Changes whenever data that the `why` report reads changes for this athlete.

    Sets are only ever added (or deleted with the whole athlete), so the store's newest set id
    stands for them (one index look-up, however many sets); the small diary tables are counted.
    The athlete's own exercise-name meanings (a few rows that change in place) are included
    whole.
    """
    from backcheck.store.exercise_map import load_map

    columns = [select(func.max(sets.c.id)).scalar_subquery()]
    for table in (pain, recovery, triage, videos):
        mine = table.c.athlete_id == athlete_id
        columns.append(select(func.count()).where(mine).scalar_subquery())
        columns.append(select(func.max(table.c.id)).where(mine).scalar_subquery())
    own = tuple(load_map(conn, athlete_id).items())
    return (*conn.execute(select(*columns)).one(), own)
