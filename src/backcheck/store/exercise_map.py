"""Each athlete's own meaning for logged exercise names (table `exercise_map`).

`why` and `plan` read the map with the rest of the athlete's inputs (store.inputs). Every
change bumps the athlete's `revision` (store.athletes.bump_revision), so the stamp every cache
is keyed on (store.stamp) changes with it and the next command sees the new meaning.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from backcheck.store.athletes import bump_revision
from backcheck.store.schema import athletes, exercise_map
from backcheck.store.upsert import insert_ignore


def load_map(conn: Connection, athlete_id: int) -> dict[str, str]:
    """Logged name -> catalog key, as athlete id `athlete_id` mapped them (name order)."""
    rows = conn.execute(
        select(exercise_map.c.name, exercise_map.c.key)
        .where(exercise_map.c.athlete_id == athlete_id)
        .order_by(exercise_map.c.name)
    ).all()
    return {str(name): str(key) for name, key in rows}


def map_of(conn: Connection, athlete: str) -> dict[str, str]:
    """`load_map` for the athlete named `athlete` (empty when there is no such athlete)."""
    rows = conn.execute(
        select(exercise_map.c.name, exercise_map.c.key)
        .join(athletes, athletes.c.id == exercise_map.c.athlete_id)
        .where(athletes.c.name == athlete)
        .order_by(exercise_map.c.name)
    ).all()
    return {str(name): str(key) for name, key in rows}


def set_mapping(conn: Connection, athlete_id: int, *, name: str, key: str) -> None:
    """Logged name `name` means catalog key `key` for this athlete (replaces an earlier one)."""
    remove_mapping(conn, athlete_id, name=name)
    insert_ignore(
        conn,
        exercise_map,
        [{"athlete_id": athlete_id, "name": name, "key": key, "mapped_at": datetime.now(UTC)}],
        unique=["athlete_id", "name"],
    )
    bump_revision(conn, athlete_id)


def remove_mapping(conn: Connection, athlete_id: int, *, name: str) -> bool:
    """Forget the athlete's meaning of `name`; False when there was none."""
    done = conn.execute(
        delete(exercise_map).where(
            exercise_map.c.athlete_id == athlete_id, exercise_map.c.name == name
        )
    )
    if done.rowcount:
        bump_revision(conn, athlete_id)
    return bool(done.rowcount)
