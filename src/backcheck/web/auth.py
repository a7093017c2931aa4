"""Accounts: Argon2 passwords, sign-in sessions, API tokens and sign-in rate limiting.

The session cookie and API tokens are random (256 bits); the store keeps only their SHA-256
digests, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import deque
from datetime import timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from backcheck.errors import UsageError
from backcheck.settings import zone_from_name
from backcheck.store import webstore

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
    """Set a new password and sign every session out."""
    webstore.update_user(conn, user_id, password_hash=hash_password(password))
    webstore.drop_user_sessions(conn, user_id)


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


class LoginLimiter:
    """Failed sign-ins per email and per client address within a sliding window.

    `max_fails` per email and 4x that per address in `window_s` seconds; then sign-in is
    refused (HTTP 429) until the oldest failure leaves the window. In memory, per process.
    """

    def __init__(self, *, max_fails: int, window_s: float) -> None:
        self.max_fails = max_fails
        self.window_s = window_s
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, at: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and q[0] <= at - self.window_s:
            q.popleft()
        return q

    def retry_after(self, *, email: str, address: str) -> int:
        """Seconds until another try is allowed (0: allowed now)."""
        at = time.monotonic()
        wait = 0.0
        with self._lock:
            for key, most in ((f"e:{email.lower()}", self.max_fails),
                              (f"a:{address}", 4 * self.max_fails)):  # fmt: skip
                q = self._recent(key, at)
                if len(q) >= most:
                    wait = max(wait, q[0] + self.window_s - at)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *, email: str, address: str) -> None:
        """Count one failed sign-in."""
        at = time.monotonic()
        with self._lock:
            for key in (f"e:{email.lower()}", f"a:{address}"):
                self._recent(key, at).append(at)

    def succeeded(self, *, email: str) -> None:
        """A correct sign-in clears the email's failures."""
        with self._lock:
            self._fails.pop(f"e:{email.lower()}", None)
