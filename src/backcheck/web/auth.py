"""Accounts: Argon2 passwords, sign-in sessions, API tokens and sign-in rate limiting.

The session cookie and API tokens are random (256 bits); the store keeps only their SHA-256
digests, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from backcheck.errors import UsageError
from backcheck.settings import zone_from_name
from backcheck.store import signins, webstore
from backcheck.web.problems import HttpProblem

if TYPE_CHECKING:
    from backcheck.store import Store

SESSION_COOKIE = "bc_session"
TOKEN_PREFIX = "bc_"
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (64 MiB, t=3, p=4)


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so a wrong email costs as long as a wrong
    password (made on first use)."""
    return _hasher.hash("no such account: constant-time answer")


def digest(token: str) -> str:
    """SHA-256 hex of a session or API token (what the store keeps)."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """Argon2id hash (PHC string) of a password of MIN_PASSWORD-MAX_PASSWORD characters."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UsageError(
            "password", f"use {MIN_PASSWORD} to {MAX_PASSWORD} characters (a few words work well)"
        )
    return _hasher.hash(password)


def check_email(email: str) -> str:
    """A plausible email address, trimmed and lower-cased; UsageError('email') if not."""
    clean = email.strip().lower()
    if not _EMAIL.match(clean) or len(clean) > 320:
        raise UsageError("email", f"not an email address: {email!r}")
    return clean


def check_name(name: str) -> str:
    """A display name: 1-100 printable characters."""
    clean = " ".join(name.split())
    if not clean or len(clean) > 100 or not clean.isprintable():
        raise UsageError("name", "give a name of 1 to 100 characters")
    return clean


def check_tz(tz: str) -> str:
    """An IANA time zone name; UsageError names the field when it is unknown."""
    try:
        zone_from_name(tz)
    except UsageError:
        raise UsageError(
            "tz", f"unknown time zone {tz!r} (use a name like Europe/Berlin)"
        ) from None
    return tz


def sign_up(conn: Connection, *, email: str, name: str, password: str, tz: str) -> int:
    """Create an account and its own athlete (named after the user); returns the user id."""
    user_id = webstore.create_user(
        conn,
        email=check_email(email),
        name=check_name(name),
        password_hash=hash_password(password),
        tz=check_tz(tz),
    )
    webstore.add_owned_athlete(conn, user_id, display_name=check_name(name))
    return user_id


def verify_password(conn: Connection, *, email: str, password: str) -> dict[str, Any] | None:
    """The account when email and password match, else None (same work either way)."""
    user = webstore.user_by_email(conn, email.strip())
    stored = user["password_hash"] if user else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(stored):
        webstore.update_user(conn, user["id"], password_hash=_hasher.hash(password))
    user.pop("password_hash")
    return user


def change_password(conn: Connection, user_id: int, *, password: str) -> None:
    """Set a new password, sign every session out and revoke every API token (a token made
    by whoever knew the old password must not outlive it)."""
    webstore.update_user(conn, user_id, password_hash=hash_password(password))
    webstore.drop_user_sessions(conn, user_id)
    webstore.drop_user_tokens(conn, user_id)


def new_session(conn: Connection, user_id: int, *, days: int) -> str:
    """Start a sign-in session; returns the cookie value (kept only as a digest)."""
    token = secrets.token_urlsafe(32)
    expires = webstore.now() + timedelta(days=days)
    webstore.add_session(conn, user_id, token_hash=digest(token), expires_at=expires)
    return token


def new_token(conn: Connection, user_id: int, *, name: str) -> dict[str, Any]:
    """Make an API token; the returned `token` is shown once and never stored."""
    label = " ".join(name.split())[:100] or "script"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = webstore.add_token(
        conn, user_id, name=label, prefix=token[:10], token_hash=digest(token)
    )
    return {"id": token_id, "name": label, "prefix": token[:10], "token": token}


class TooManyAttempts(HttpProblem):
    """Password checks refused for now (HTTP 429): `wait` seconds until the next try."""

    def __init__(self, wait: int) -> None:
        super().__init__(
            429,
            "too_many_attempts",
            f"Too many failed password checks: try again in {wait // 60 + 1} minutes.",
            {"retry_after_s": wait},
            headers={"Retry-After": str(wait)},
        )
        self.wait = wait


class Throttle:
    """Every password check (sign-in, password change, account deletion) goes through here.

    Failed checks are kept in the store (backcheck.store.signins), so every worker process of
    one store shares them, and they are forgotten after `window_s` seconds. A check is refused
    for `window_s` after the oldest of:
    - `max_fails` failures for this email from this address (the usual guessing);
    - 4 x `max_fails` failures for this email from any address, unless this address has no
      failure for it (so guessing from elsewhere cannot lock the owner out at home);
    - 20 x `max_fails` failures from this address for any email, unless the email signed in
      from here within signins.KNOWN_DAYS (behind a shared proxy every user has one address:
      a guesser there must not lock out everyone else).
    OWASP Authentication Cheat Sheet ("Protect against automated attacks"); ASVS 2.2.1.
    """

    def __init__(self, store: Store, *, max_fails: int, window_s: float) -> None:
        self.store = store
        self.max_fails = max_fails
        self.window = timedelta(seconds=window_s)

    def retry_after(self, *, email: str, address: str) -> int:
        """Seconds until this email may be checked from this address (0: now)."""
        with self.store.transaction() as conn:
            return self._wait(conn, email=email, address=address, at=webstore.now())

    def _wait(self, conn: Connection, *, email: str, address: str, at: datetime) -> int:
        f = signins.failures(conn, email=email, address=address, since=at - self.window)
        blocking = [f.pair[1]] if f.pair[0] >= self.max_fails else []
        if f.email[0] >= 4 * self.max_fails and f.pair[0] > 0:
            blocking.append(f.email[1])
        if f.address[0] >= 20 * self.max_fails and not f.known:
            blocking.append(f.address[1])
        waits = [(t + self.window - at).total_seconds() for t in blocking if t is not None]
        wait = max(waits, default=0.0)
        return int(wait) + 1 if wait > 0 else 0

    def check(self, *, email: str, password: str, address: str) -> dict[str, Any] | None:
        """The account when `password` is right, None when wrong (counted); TooManyAttempts
        when checks for this email from this address are refused for now. One transaction:
        the look at past failures, the check and its record."""
        at = webstore.now()
        with self.store.transaction() as conn:
            wait = self._wait(conn, email=email, address=address, at=at)
            if wait:
                raise TooManyAttempts(wait)
            found = verify_password(conn, email=email, password=password[:MAX_PASSWORD])
            signins.record(
                conn, email=email, address=address, ok=found is not None, at=at, window=self.window
            )
        return found
