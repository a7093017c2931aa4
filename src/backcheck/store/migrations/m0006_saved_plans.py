"""Migration 6: saved plans (`plan --save`): the athlete's current corrective plan, kept as its
`backcheck.plan/1` document so `progress` can compare it with what was done."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, MetaData, Table, Text
from sqlalchemy.engine import Connection

from backcheck.store.coltypes import UTCDateTime

NAME = "saved_plans"
revision = "0006"
down_revision: str | None = "0005"


def upgrade(meta: MetaData, conn: Connection | None) -> None:
    """Declare the saved_plans table in `meta`; create it when a connection is given."""
    Table(
        "saved_plans",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("start", Date, nullable=False),  # the plan's first day (athlete's local date)
        Column("saved_at", UTCDateTime, nullable=False),
        Column("doc_json", Text, nullable=False),  # the backcheck.plan/1 document
        Index("ix_saved_plans_athlete", "athlete_id", "start"),
        sqlite_autoincrement=True,
    )
    if conn is not None:
        meta.tables["saved_plans"].create(conn)
