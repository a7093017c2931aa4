"""Sign-in attempts, kept so the sign-in throttle (backcheck.web.auth.Throttle) is shared by
every worker process of one store and forgets: failures older than the window and successes
older than KNOWN_DAYS are deleted whenever an attempt is written.

Emails are kept only as SHA-256 digests of their lower-case form (an attempt at an unknown
address leaves no readable email behind).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, and_, delete, func, or_, select
from sqlalchemy.engine import Connection

from backcheck.store.schema import metadata

attempts: Table = metadata.tables["sign_in_attempts"]

#: An address where an email signed in within this many days is "known" for that email.
KNOWN_DAYS = 30


def email_digest(email: str) -> str:
    """SHA-256 hex of the trimmed, lower-case email."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Failures:
    """Failed attempts within the window: (count, oldest time) by pair, email and address,
    and whether the address is known for the email (a success there within KNOWN_DAYS)."""

    pair: tuple[int, datetime | None]
    email: tuple[int, datetime | None]
    address: tuple[int, datetime | None]
    known: bool


def failures(conn: Connection, *, email: str, address: str, since: datetime) -> Failures:
    """Failed attempts since `since` for this email, this address and the two together."""
    digest = email_digest(email)
    failed = and_(attempts.c.ok.is_(False), attempts.c.at >= since)

    def count(*where: object) -> tuple[int, datetime | None]:
        row = conn.execute(
            select(func.count(), func.min(attempts.c.at)).where(failed, *where)  # type: ignore[arg-type]
        ).one()
        return int(row[0]), row[1]

    known = conn.execute(
        select(func.count()).where(
            attempts.c.ok.is_(True),
            attempts.c.email_digest == digest,
            attempts.c.address == address,
            attempts.c.at >= since - timedelta(days=KNOWN_DAYS),
        )
    ).scalar_one()
    return Failures(
        pair=count(attempts.c.email_digest == digest, attempts.c.address == address),
        email=count(attempts.c.email_digest == digest),
        address=count(attempts.c.address == address),
        known=bool(known),
    )


def record(
    conn: Connection, *, email: str, address: str, ok: bool, at: datetime, window: timedelta
) -> None:
    """Write one attempt and forget what is past: failures older than `window`, successes
    older than KNOWN_DAYS; a success also clears that pair's failures."""
    digest = email_digest(email)
    conn.execute(
        delete(attempts).where(
            or_(
                and_(attempts.c.ok.is_(False), attempts.c.at < at - window),
                attempts.c.at < at - timedelta(days=KNOWN_DAYS),
            )
        )
    )
    if ok:
        conn.execute(
            delete(attempts).where(attempts.c.email_digest == digest, attempts.c.address == address)
        )
    conn.execute(attempts.insert().values(email_digest=digest, address=address[:64], ok=ok, at=at))
