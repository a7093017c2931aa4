"""Migration 1: the first schema (athletes, sessions, sets, imports, diary, triage, videos)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Connection

from backcheck.store.coltypes import UTCDateTime

NAME = "initial"
revision = "0001"
down_revision: str | None = None

#: 64-bit ids on PostgreSQL; SQLite needs INTEGER for its rowid alias.
BIGID = BigInteger().with_variant(Integer(), "sqlite")


def upgrade(meta: MetaData, conn: Connection | None) -> None:
    """Declare the version-1 tables in `meta`; create them when a connection is given."""
    Table(
        "schema_migrations",
        meta,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("name", String(200), nullable=False),
        Column("applied_at", UTCDateTime, nullable=False),
    )

    Table(
        "athletes",
        meta,
        Column("id", Integer, primary_key=True),
        Column("name", String(200), nullable=False, unique=True),
        Column("created_at", UTCDateTime, nullable=False),
    )

    Table(
        "sessions",
        meta,
        Column("id", BIGID, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("key", BigInteger, nullable=False),  # content hash of the start time
        Column("started_at", UTCDateTime, nullable=False),
        Column("name", Text),
        Column("notes", Text),
        Column("duration_s", Float),
        Column("source_format", String(20)),
        UniqueConstraint("athlete_id", "key", name="uq_sessions_athlete_key"),
    )

    Table(
        "sets",
        meta,
        Column("id", BIGID, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("session_id", BIGID, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        Column("key", BigInteger, nullable=False),  # content hash (see store.workouts.set_keys)
        Column("exercise", Text, nullable=False),
        Column("exercise_key", String(100)),
        Column("set_index", Integer),
        Column("set_type", String(10), nullable=False),
        Column("weight_kg", Float),
        Column("reps", Integer),
        Column("rpe", Float),
        Column("rir", Float),
        Column("distance_m", Float),
        Column("seconds", Float),
        Column("notes", Text),
        Column("source_file", Text),
        Column("source_line", Integer),
        UniqueConstraint("athlete_id", "key", name="uq_sets_athlete_key"),
        Index("ix_sets_athlete_session", "athlete_id", "session_id"),
    )

    Table(
        "imports",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("imported_at", UTCDateTime, nullable=False),
        Column("file_name", Text, nullable=False),
        Column("format", String(20), nullable=False),
        Column("rows", Integer, nullable=False),
        Column("sets", Integer, nullable=False),
        Column("new_sets", Integer, nullable=False),
        Column("skipped_json", Text, nullable=False),
    )

    Table(
        "pain",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("key", BigInteger, nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("level", Integer, nullable=False),
        Column("region", String(40)),
        Column("note", Text),
        UniqueConstraint("athlete_id", "key", name="uq_pain_athlete_key"),
    )

    Table(
        "recovery",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("key", BigInteger, nullable=False),
        Column("day", Date, nullable=False),
        Column("kind", String(20), nullable=False),
        Column("value", Float, nullable=False),
        Column("source", String(20), nullable=False),
        UniqueConstraint("athlete_id", "key", name="uq_recovery_athlete_key"),
    )

    Table(
        "triage",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("answered_at", UTCDateTime, nullable=False),
        Column("answers_json", Text, nullable=False),
    )

    Table(
        "videos",
        meta,
        Column("id", Integer, primary_key=True),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("key", BigInteger, nullable=False),
        Column("recorded_on", Date, nullable=False),
        Column("exercise", String(40), nullable=False),
        Column("source_name", Text, nullable=False),
        Column("result_json", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        UniqueConstraint("athlete_id", "key", name="uq_videos_athlete_key"),
    )

    if conn is not None:
        meta.create_all(conn)
