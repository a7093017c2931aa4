"""The web app's accounts: users, sign-in sessions, API tokens, athlete owners, coach links.

Who may see an athlete: the user who owns it, and coaches it has invited (until removed).
Secrets (session cookies, API tokens) are stored only as SHA-256 hex digests; passwords only
as Argon2 hashes made by the caller (backcheck.web.auth).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Table, delete, or_, select, update
from sqlalchemy.engine import Connection

from backcheck.errors import NotFoundError, UsageError
from backcheck.store.schema import (
    athletes,
    metadata,
)

users: Table = metadata.tables["users"]
auth_sessions: Table = metadata.tables["auth_sessions"]
api_tokens: Table = metadata.tables["api_tokens"]
athlete_owners: Table = metadata.tables["athlete_owners"]
coach_links: Table = metadata.tables["coach_links"]
jobs: Table = metadata.tables["jobs"]

Role = Literal["owner", "coach"]
USER_COLUMNS = (users.c.id, users.c.email, users.c.name, users.c.tz, users.c.created_at)


def now() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Access:
    """What a user may do with one athlete: `role` owner (everything) or coach (read)."""

    athlete_id: int
    athlete: str  # the store's athlete name (unique; used in URLs)
    display_name: str
    role: Role
    owner_id: int
    tz: str  # the owner's time zone: the athlete's local days


# ------------------------------------------------------------------ users


def create_user(conn: Connection, *, email: str, name: str, password_hash: str, tz: str) -> int:
    """A new account; UsageError('email') when the email already has one."""
    if user_by_email(conn, email) is not None:
        raise UsageError("email", "an account with this email already exists: sign in instead")
    return int(
        conn.execute(
            users.insert().values(
                email=email.lower(),
                name=name,
                password_hash=password_hash,
                tz=tz,
                created_at=now(),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )


def user_by_email(conn: Connection, email: str) -> dict[str, Any] | None:
    """The account with this email (any case), with its password hash; None if none."""
    row = conn.execute(
        select(*USER_COLUMNS, users.c.password_hash).where(users.c.email == email.lower())
    ).first()
    return None if row is None else dict(row._mapping)


def user_by_id(conn: Connection, user_id: int) -> dict[str, Any] | None:
    """The account with this id (no password hash), or None."""
    row = conn.execute(select(*USER_COLUMNS).where(users.c.id == user_id)).first()
    return None if row is None else dict(row._mapping)


def update_user(
    conn: Connection,
    user_id: int,
    *,
    name: str | None = None,
    tz: str | None = None,
    password_hash: str | None = None,
) -> None:
    """Change an account's name, time zone or password hash (None: unchanged)."""
    values = {
        k: v for k, v in {"name": name, "tz": tz, "password_hash": password_hash}.items() if v
    }
    if values:
        conn.execute(update(users).where(users.c.id == user_id).values(**values))
    if name:  # the user's own athletes are shown by the user's name
        conn.execute(
            update(athlete_owners)
            .where(athlete_owners.c.user_id == user_id)
            .values(display_name=name)
        )


# ------------------------------------------------------------------ sessions and tokens


def add_session(conn: Connection, user_id: int, *, token_hash: str, expires_at: datetime) -> None:
    """Store a sign-in session (the cookie's digest) until `expires_at`."""
    conn.execute(
        auth_sessions.insert().values(
            user_id=user_id, token_hash=token_hash, created_at=now(), expires_at=expires_at
        )
    )


def session_user(conn: Connection, token_hash: str) -> dict[str, Any] | None:
    """The account signed in by this session digest, if the session has not expired."""
    row = conn.execute(
        select(*USER_COLUMNS)
        .join(auth_sessions, auth_sessions.c.user_id == users.c.id)
        .where(auth_sessions.c.token_hash == token_hash, auth_sessions.c.expires_at > now())
    ).first()
    return None if row is None else dict(row._mapping)


def drop_session(conn: Connection, token_hash: str) -> None:
    """Sign a session out (and forget sessions that have expired)."""
    conn.execute(
        delete(auth_sessions).where(
            or_(auth_sessions.c.token_hash == token_hash, auth_sessions.c.expires_at <= now())
        )
    )


def drop_user_sessions(conn: Connection, user_id: int) -> None:
    """Sign every session of an account out (after a password change)."""
    conn.execute(delete(auth_sessions).where(auth_sessions.c.user_id == user_id))


def drop_user_tokens(conn: Connection, user_id: int) -> None:
    """Revoke every API token of an account (after a password change)."""
    conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user_id))


def add_token(conn: Connection, user_id: int, *, name: str, prefix: str, token_hash: str) -> int:
    """Store an API token's digest; returns its id."""
    return int(
        conn.execute(
            api_tokens.insert().values(
                user_id=user_id, name=name, prefix=prefix, token_hash=token_hash, created_at=now()
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )


def token_user(conn: Connection, token_hash: str) -> dict[str, Any] | None:
    """The account an API token digest belongs to (its use is recorded at most once a minute)."""
    row = conn.execute(
        select(*USER_COLUMNS, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    found = dict(row._mapping)
    last = found.pop("last_used_at")
    token_id = found.pop("token_id")
    if last is None or (now() - last).total_seconds() > 60:
        conn.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now())
        )
    return found


def list_tokens(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """An account's API tokens (never the token itself), newest first."""
    rows = conn.execute(
        select(
            api_tokens.c.id,
            api_tokens.c.name,
            api_tokens.c.prefix,
            api_tokens.c.created_at,
            api_tokens.c.last_used_at,
        )
        .where(api_tokens.c.user_id == user_id)
        .order_by(api_tokens.c.id.desc())
    ).mappings()
    return [dict(r) for r in rows]


def drop_token(conn: Connection, user_id: int, token_id: int) -> None:
    """Revoke one of the account's tokens; NotFoundError when it has no such token."""
    done = conn.execute(
        delete(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.user_id == user_id)
    )
    if not done.rowcount:
        raise NotFoundError(f"no API token {token_id}")


# ------------------------------------------------------------------ athletes and coaches


def add_owned_athlete(conn: Connection, user_id: int, *, display_name: str) -> str:
    """Create an athlete owned by the user; returns its store name ("u<user id>", made unique
    when a command-line athlete already has that name)."""
    name = f"u{user_id}"
    while conn.execute(select(athletes.c.id).where(athletes.c.name == name)).first():
        name = f"u{user_id}-{secrets.token_hex(3)}"
    athlete_id = int(
        conn.execute(athletes.insert().values(name=name, created_at=now())).inserted_primary_key[0]  # type: ignore[index]
    )
    conn.execute(
        athlete_owners.insert().values(
            athlete_id=athlete_id, user_id=user_id, display_name=display_name
        )
    )
    return name


def _access_query() -> Any:
    return (
        select(
            athletes.c.id,
            athletes.c.name,
            athlete_owners.c.display_name,
            athlete_owners.c.user_id,
            users.c.tz,
        )
        .join(athlete_owners, athlete_owners.c.athlete_id == athletes.c.id)
        .join(users, users.c.id == athlete_owners.c.user_id)
    )


def _coaching(user_id: int) -> Any:
    return select(coach_links.c.athlete_id).where(
        coach_links.c.coach_id == user_id, coach_links.c.removed_at.is_(None)
    )


def access(conn: Connection, user_id: int, athlete: str) -> Access | None:
    """How `user_id` may use athlete `athlete` (store name); None when they may not see it."""
    row = conn.execute(_access_query().where(athletes.c.name == athlete)).first()
    if row is None:
        return None
    if row.user_id == user_id:
        role: Role = "owner"
    elif conn.execute(_coaching(user_id).where(coach_links.c.athlete_id == row.id)).first():
        role = "coach"
    else:
        return None
    return Access(row.id, row.name, row.display_name, role, row.user_id, row.tz)


def visible_athletes(conn: Connection, user_id: int) -> list[Access]:
    """Every athlete the user owns (first) or coaches, by display name."""
    rows = conn.execute(
        _access_query()
        .where(or_(athlete_owners.c.user_id == user_id, athletes.c.id.in_(_coaching(user_id))))
        .order_by((athlete_owners.c.user_id != user_id), athlete_owners.c.display_name)
    ).all()
    return [
        Access(
            r.id,
            r.name,
            r.display_name,
            "owner" if r.user_id == user_id else "coach",
            r.user_id,
            r.tz,
        )
        for r in rows
    ]


def add_coach(conn: Connection, athlete_id: int, coach_id: int) -> bool:
    """Let a coach see an athlete; False when they already may."""
    active = conn.execute(
        select(coach_links.c.id).where(
            coach_links.c.athlete_id == athlete_id,
            coach_links.c.coach_id == coach_id,
            coach_links.c.removed_at.is_(None),
        )
    ).first()
    if active:
        return False
    conn.execute(
        coach_links.insert().values(athlete_id=athlete_id, coach_id=coach_id, created_at=now())
    )
    return True


def remove_coach(conn: Connection, athlete_id: int, coach_id: int) -> None:
    """Stop a coach seeing an athlete (the link is kept as history); NotFoundError if none."""
    done = conn.execute(
        update(coach_links)
        .where(
            coach_links.c.athlete_id == athlete_id,
            coach_links.c.coach_id == coach_id,
            coach_links.c.removed_at.is_(None),
        )
        .values(removed_at=now())
    )
    if not done.rowcount:
        raise NotFoundError(f"no coach {coach_id} for this athlete")


def coaches_of(conn: Connection, athlete_id: int) -> list[dict[str, Any]]:
    """Coaches who may see the athlete now: id, name, email, since."""
    rows = conn.execute(
        select(users.c.id, users.c.name, users.c.email, coach_links.c.created_at.label("since"))
        .join(coach_links, coach_links.c.coach_id == users.c.id)
        .where(coach_links.c.athlete_id == athlete_id, coach_links.c.removed_at.is_(None))
        .order_by(users.c.name)
    ).mappings()
    return [dict(r) for r in rows]


def coach_history(conn: Connection, athlete_id: int) -> list[dict[str, Any]]:
    """Every coach link of the athlete, removed ones too (for the data export)."""
    rows = conn.execute(
        select(users.c.email, coach_links.c.created_at, coach_links.c.removed_at)
        .join(coach_links, coach_links.c.coach_id == users.c.id)
        .where(coach_links.c.athlete_id == athlete_id)
        .order_by(coach_links.c.id)
    ).mappings()
    return [dict(r) for r in rows]
