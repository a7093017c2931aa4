"""The web app's tables (migration 2) and their queries, on SQLite and PostgreSQL."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import func, inspect, select

from backcheck.errors import NotFoundError, UsageError
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.diary import add_pain
from backcheck.store.schema import athletes, pain
from backcheck.store.stamp import read_stamp
from backcheck.store.webdata import delete_account
from backcheck.store.webstore import (
    access,
    add_coach,
    add_owned_athlete,
    add_token,
    coaches_of,
    create_user,
    remove_coach,
    token_user,
    user_by_email,
    visible_athletes,
)


@pytest.fixture
def store(db_url: str):
    s = open_store(db_url)
    yield s
    s.close()


def test_migration_creates_the_web_tables(store) -> None:
    with store.transaction() as conn:
        tables = set(inspect(conn).get_table_names())
    assert {
        "users",
        "auth_sessions",
        "api_tokens",
        "athlete_owners",
        "coach_links",
        "jobs",
        "web_secrets",
    } <= tables


def test_users_athletes_and_coaches(store) -> None:
    with store.transaction() as conn:
        ann = create_user(conn, email="Ann@Example.com", name="Ann", password_hash="h", tz="UTC")
        bo = create_user(conn, email="bo@example.com", name="Bo", password_hash="h", tz="UTC")
        with pytest.raises(UsageError):
            create_user(conn, email="ANN@example.com", name="X", password_hash="h", tz="UTC")
        assert user_by_email(conn, "ann@EXAMPLE.com")["id"] == ann
        athlete_id(conn, f"u{bo}", create=True)  # a command-line athlete took Bo's usual name
        mine = add_owned_athlete(conn, ann, display_name="Ann")
        theirs = add_owned_athlete(conn, bo, display_name="Bo")
        assert mine == f"u{ann}" and theirs != f"u{bo}" and theirs.startswith(f"u{bo}-")
        assert access(conn, ann, mine).role == "owner"
        assert access(conn, bo, mine) is None
        assert access(conn, ann, "nobody") is None
        a_id = access(conn, ann, mine).athlete_id
        assert add_coach(conn, a_id, bo) is True and add_coach(conn, a_id, bo) is False
        assert access(conn, bo, mine).role == "coach"
        assert [a.athlete for a in visible_athletes(conn, bo)] == [theirs, mine]
        assert [c["email"] for c in coaches_of(conn, a_id)] == ["bo@example.com"]
        remove_coach(conn, a_id, bo)
        assert access(conn, bo, mine) is None
        with pytest.raises(NotFoundError):
            remove_coach(conn, a_id, bo)


def test_tokens(store) -> None:
    with store.transaction() as conn:
        uid = create_user(conn, email="a@example.com", name="A", password_hash="h", tz="UTC")
        add_token(conn, uid, name="t", prefix="bc_x", token_hash="f" * 64)
        assert token_user(conn, "f" * 64)["id"] == uid
        assert token_user(conn, "0" * 64) is None


def test_stamp_changes_and_delete_removes_everything(store) -> None:
    with store.transaction() as conn:
        uid = create_user(conn, email="a@example.com", name="A", password_hash="h", tz="UTC")
        name = add_owned_athlete(conn, uid, display_name="A")
        aid = athlete_id(conn, name)
        before = read_stamp(conn, name)
        frame = pl.select(
            pl.datetime(2026, 1, 1, 12, time_zone="UTC").dt.cast_time_unit("us").alias("at"),
            pl.lit(3, dtype=pl.Int32).alias("level"),
            pl.lit("neck").alias("region"),
            pl.lit(None, dtype=pl.String).alias("note"),
        )
        add_pain(conn, aid, frame)
        assert read_stamp(conn, name) != before
        assert delete_account(conn, uid) == [name]
        assert conn.execute(select(func.count()).select_from(pain)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(athletes)).scalar() == 0
        assert user_by_email(conn, "a@example.com") is None
