"""Athletes: names are how users and coaches refer to whose data it is."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Label, Table, func, select, update
from sqlalchemy.engine import Connection

from backcheck.errors import NotFoundError, UsageError
from backcheck.store.schema import athletes, pain, recovery, sessions, sets
from backcheck.store.upsert import insert_ignore

MAX_NAME = 200


def check_name(name: str) -> str:
    """A valid athlete name: 1-200 printable characters, trimmed."""
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME or not clean.isprintable():
        raise UsageError(
            "--athlete", f"athlete name must be 1-{MAX_NAME} printable characters, got {name!r}"
        )
    return clean


def athlete_id(conn: Connection, name: str, *, create: bool = False) -> int:
    """Id of athlete `name`; created when `create`, else NotFoundError."""
    name = check_name(name)
    found = conn.execute(select(athletes.c.id).where(athletes.c.name == name)).scalar()
    if found is not None:
        return int(found)
    if not create:
        raise NotFoundError(f"no data stored for athlete {name!r} (import something first)")
    insert_ignore(
        conn, athletes, [{"name": name, "created_at": datetime.now(UTC)}], unique=["name"]
    )
    return int(conn.execute(select(athletes.c.id).where(athletes.c.name == name)).scalar_one())


def bump_revision(conn: Connection, athlete: int, *, sets: bool = False) -> None:
    """Record that athlete id `athlete`'s rows changed in this transaction: `revision` (and,
    when `sets`, `sets_revision`) go up by one. Every write and delete that changes what is
    stored calls it; the one stamp of an athlete's data (store.stamp), which the read
    snapshot and the web report cache are keyed on, holds these counters with the athlete's
    never-reused id and creation time, so no key can come back after a delete (row counts
    could)."""
    values = {"revision": athletes.c.revision + 1}
    if sets:
        values["sets_revision"] = athletes.c.sets_revision + 1
    conn.execute(update(athletes).where(athletes.c.id == athlete).values(values))


def count_for(conn: Connection, table: Table, athlete: int) -> int:
    """Rows of `table` that belong to athlete id `athlete`."""
    return int(conn.execute(select(func.count()).where(table.c.athlete_id == athlete)).scalar_one())


def list_athletes(conn: Connection) -> list[dict[str, object]]:
    """Every athlete with counts of sessions, sets, pain and recovery entries, by name."""

    def count(table: Table, label: str) -> Label[int]:
        return (
            select(func.count())
            .where(table.c.athlete_id == athletes.c.id)
            .scalar_subquery()
            .label(label)
        )

    rows = conn.execute(
        select(
            athletes.c.name,
            count(sessions, "sessions"),
            count(sets, "sets"),
            count(pain, "pain_entries"),
            count(recovery, "recovery_entries"),
        ).order_by(athletes.c.name)
    ).mappings()
    return [dict(r) for r in rows]
