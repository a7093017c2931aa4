"""Migration 4: each athlete's own meaning for a logged exercise name (`exercises map`).

(Version 3 is the imports-table migration of another change; versions are applied in order
and a missing one is applied when it arrives only on a fresh database.)
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, UniqueConstraint
from sqlalchemy.engine import Connection

from backcheck.store.coltypes import UTCDateTime

NAME = "exercise_map"
revision = "0004"
down_revision: str | None = "0003"


def upgrade(meta: MetaData, conn: Connection | None) -> None:
    """Declare the `exercise_map` table in `meta`; create it when a connection is given.

    One row per athlete and logged name (as the athlete logs it, trimmed): the catalog key
    that name means for them. Deleting the athlete deletes their rows (ON DELETE CASCADE).
    """
    Table(
        "exercise_map",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("name", String(200), nullable=False),
        Column("key", String(100), nullable=False),
        Column("mapped_at", UTCDateTime, nullable=False),
        UniqueConstraint("athlete_id", "name", name="uq_exercise_map_athlete_name"),
    )
    if conn is not None:
        meta.tables["exercise_map"].create(conn)
