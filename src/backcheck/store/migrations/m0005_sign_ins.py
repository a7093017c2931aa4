"""Migration 5: sign-in attempts, so the sign-in throttle is shared by every worker process
and forgets (rows older than its window are deleted as new ones are written)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection

from backcheck.store.coltypes import UTCDateTime

NAME = "sign_ins"
revision = "0005"
down_revision: str | None = "0004"


def upgrade(meta: MetaData, conn: Connection | None) -> None:
    """Declare the sign_in_attempts table in `meta`; create it when a connection is given."""
    Table(
        "sign_in_attempts",
        meta,
        Column("id", Integer, primary_key=True),
        Column("email_digest", String(64), nullable=False),  # sha256 hex of the lower-case email
        Column("address", String(64), nullable=False),  # the client's address
        Column("ok", Boolean, nullable=False),  # True: the password was right
        Column("at", UTCDateTime, nullable=False),
        Index("ix_sign_in_attempts_email", "email_digest", "at"),
        Index("ix_sign_in_attempts_address", "address", "at"),
        sqlite_autoincrement=True,
    )
    if conn is not None:
        meta.tables["sign_in_attempts"].create(conn)
