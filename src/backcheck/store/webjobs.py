"""Background jobs of the web app (imports, video analysis), persisted so none is lost.

States: queued -> running -> done | failed. A job left `running` by a crash or restart is
queued again at start-up (`requeue_running`), up to MAX_ATTEMPTS times in all.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from backcheck.store.webstore import jobs, now

MAX_ATTEMPTS = 3
STATES = ("queued", "running", "done", "failed")


def add_job(
    conn: Connection, *, kind: str, user_id: int, athlete_id: int | None, payload: dict[str, Any]
) -> str:
    """Queue a job; returns its id (32 random hex digits)."""
    job_id = secrets.token_hex(16)
    conn.execute(
        jobs.insert().values(
            id=job_id,
            kind=kind,
            state="queued",
            user_id=user_id,
            athlete_id=athlete_id,
            progress=0.0,
            payload_json=json.dumps(payload),
            attempts=0,
            created_at=now(),
        )
    )
    return job_id


def _row(row: Any) -> dict[str, Any]:
    job = dict(row._mapping)
    for key in ("payload", "result", "error"):
        text = job.pop(f"{key}_json")
        job[key] = None if text is None else json.loads(text)
    return job


def get_job(conn: Connection, job_id: str) -> dict[str, Any] | None:
    """One job with its payload, result and error decoded; None when there is no such job."""
    row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    return None if row is None else _row(row)


def claim_next(conn: Connection) -> dict[str, Any] | None:
    """Mark the oldest queued job running and return it (None when none is queued).

    The update only succeeds while the job is still queued, so two workers never run the
    same job.
    """
    candidates = conn.execute(
        select(jobs.c.id).where(jobs.c.state == "queued").order_by(jobs.c.created_at).limit(5)
    ).scalars()
    for job_id in list(candidates):
        claimed = conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "queued")
            .values(state="running", started_at=now(), attempts=jobs.c.attempts + 1)
        )
        if claimed.rowcount:
            return get_job(conn, job_id)
    return None


def set_progress(conn: Connection, job_id: str, *, progress: float, message: str) -> None:
    """Record how far a running job is (0-1) and what it is doing."""
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(progress=progress, message=message))


def finish_job(conn: Connection, job_id: str, result: dict[str, Any]) -> None:
    """A job that succeeded, with its result document."""
    conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(
            state="done",
            progress=1.0,
            message="done",
            result_json=json.dumps(result, default=str),
            finished_at=now(),
        )
    )


def fail_job(conn: Connection, job_id: str, error: dict[str, Any]) -> None:
    """A job that failed, with the error document ({"code", "message", "details"})."""
    conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(state="failed", message="failed", error_json=json.dumps(error), finished_at=now())
    )


def requeue_running(conn: Connection, *, started_before: datetime | None = None) -> int:
    """At start-up: queue again the jobs a stopped server left running (those already tried
    MAX_ATTEMPTS times fail instead). Returns how many were queued again.

    `started_before`: only jobs that began running before this instant (the server's start):
    with several worker processes, a job a sibling claimed after the start is never queued
    again, so it never runs twice.
    """
    query = select(jobs.c.id, jobs.c.attempts).where(jobs.c.state == "running")
    if started_before is not None:
        query = query.where(jobs.c.started_at < started_before)
    stuck = conn.execute(query).all()
    again = 0
    for job_id, attempts in stuck:
        if attempts >= MAX_ATTEMPTS:
            fail_job(
                conn,
                job_id,
                {
                    "code": "interrupted",
                    "message": f"the server stopped during this job {attempts} times; "
                    "upload the file again",
                    "details": {},
                },
            )
            continue
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(state="queued", message="queued again after a restart")
        )
        again += 1
    return again


def athlete_jobs(
    conn: Connection, athlete_id: int, *, kind: str | None = None
) -> list[dict[str, Any]]:
    """The athlete's jobs, newest first (optionally of one kind)."""
    query = select(jobs).where(jobs.c.athlete_id == athlete_id)
    if kind is not None:
        query = query.where(jobs.c.kind == kind)
    return [_row(r) for r in conn.execute(query.order_by(jobs.c.created_at.desc()))]


def user_job_ids(conn: Connection, user_id: int) -> list[str]:
    """Ids of every job started by the user (to remove their files)."""
    return list(conn.execute(select(jobs.c.id).where(jobs.c.user_id == user_id)).scalars())
