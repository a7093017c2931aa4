"""Migration 2: the web app's tables (accounts, sign-in sessions, API tokens, athlete owners,
coach invitations, background jobs, the app's signing secret)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

from backcheck.store.coltypes import UTCDateTime

NAME = "web"
revision = "0002"
down_revision: str | None = "0001"


def upgrade(meta: MetaData, conn: Connection | None) -> None:
    """Declare the version-2 tables in `meta`; create them when a connection is given."""
    users = Table(
        "users",
        meta,
        Column("id", Integer, primary_key=True),
        Column("email", String(320), nullable=False, unique=True),  # stored lower-case
        Column("name", String(200), nullable=False),
        Column("password_hash", Text, nullable=False),  # Argon2id, PHC string
        Column("tz", String(64), nullable=False),  # IANA zone of the user's local times
        Column("created_at", UTCDateTime, nullable=False),
    )
    Table(
        "auth_sessions",
        meta,
        Column("id", Integer, primary_key=True),
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
        Column("created_at", UTCDateTime, nullable=False),
        Column("expires_at", UTCDateTime, nullable=False),
    )
    Table(
        "api_tokens",
        meta,
        Column("id", Integer, primary_key=True),
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("name", String(100), nullable=False),
        Column("prefix", String(16), nullable=False),  # shown to tell tokens apart
        Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
        Column("created_at", UTCDateTime, nullable=False),
        Column("last_used_at", UTCDateTime),
    )
    Table(
        "athlete_owners",
        meta,
        Column(
            "athlete_id",
            Integer,
            ForeignKey("athletes.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        Column("user_id", Integer, ForeignKey(users.c.id, ondelete="CASCADE"), nullable=False),
        Column("display_name", String(200), nullable=False),
        Index("ix_athlete_owners_user", "user_id"),
    )
    Table(
        "coach_links",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("coach_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("removed_at", UTCDateTime),  # null while the coach may see the athlete
        Index("ix_coach_links_coach", "coach_id"),
        Index("ix_coach_links_athlete", "athlete_id"),
    )
    Table(
        "jobs",
        meta,
        Column("id", String(32), primary_key=True),  # random hex
        Column("kind", String(20), nullable=False),  # import, recovery, video
        Column("state", String(10), nullable=False),  # queued, running, done, failed
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE")),
        Column("progress", Float, nullable=False),  # 0-1
        Column("message", Text),
        Column("payload_json", Text, nullable=False),
        Column("result_json", Text),
        Column("error_json", Text),
        Column("attempts", Integer, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("started_at", UTCDateTime),
        Column("finished_at", UTCDateTime),
        Index("ix_jobs_state_created", "state", "created_at"),
        Index("ix_jobs_athlete", "athlete_id"),
    )
    Table(
        "web_secrets",
        meta,
        Column("name", String(40), primary_key=True),
        Column("value", Text, nullable=False),
    )
    if conn is not None:
        for name in (
            "users",
            "auth_sessions",
            "api_tokens",
            "athlete_owners",
            "coach_links",
            "jobs",
            "web_secrets",
        ):
            meta.tables[name].create(conn)
