"""The background worker: one thread that runs queued jobs from the store, oldest first.

Jobs live in the `jobs` table (store.webjobs), so a restart loses none: at start-up the jobs
a stopped server left running are queued again. Progress of the running job is kept in
memory (the import writes inside one long transaction, so progress is not written to the
store while it runs) and merged into what `/api/jobs/{id}` shows.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from backcheck.store import Store
from backcheck.store.webjobs import (
    add_job,
    claim_next,
    fail_job,
    finish_job,
    get_job,
    requeue_running,
)
from backcheck.web.problems import problem
from backcheck.web.tasks import TASKS

log = logging.getLogger("backcheck.web.jobs")


class Worker:
    """Runs jobs in a daemon thread; `run_once` runs one in the caller's thread (tests)."""

    def __init__(
        self,
        store: Store,
        *,
        data_dir: Path,
        poll_s: float = 1.0,
        on_done: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """`on_done(job)` is called after each job ends (the app forgets cached reports)."""
        self.store = store
        self.on_done = on_done
        self.videos = data_dir / "videos"
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    # -------------------------------------------------------------- queue side

    def submit(
        self, *, kind: str, user_id: int, athlete_id: int | None, payload: dict[str, Any]
    ) -> str:
        """Queue a job and wake the worker; returns the job id."""
        if kind not in TASKS:
            raise ValueError(f"unknown job kind {kind!r}")
        with self.store.transaction() as conn:
            job_id = add_job(
                conn, kind=kind, user_id=user_id, athlete_id=athlete_id, payload=payload
            )
        self._wake.set()
        return job_id

    def status(self, job_id: str) -> dict[str, Any] | None:
        """The job as stored, with the live progress of a running job."""
        with self.store.transaction() as conn:
            job = get_job(conn, job_id)
        if job is not None and job["state"] == "running":
            with self._lock:
                live = self._live.get(job_id)
            if live is not None:
                job["progress"], job["message"] = live
        return job

    # -------------------------------------------------------------- worker side

    def start(self, *, server_started: datetime | None = None) -> None:
        """Queue again what a stopped server left running (jobs begun before
        `server_started`, when given), then start the thread."""
        with self.store.transaction() as conn:
            again = requeue_running(conn, started_before=server_started)
        if again:
            log.info("queued %d interrupted job(s) again", again)
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="backcheck-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop after its current job and wait up to `timeout` seconds
        (a job still running then is queued again at the next start)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:
                log.exception("worker could not read the job queue")
                ran = False
            if not ran:
                self._wake.wait(self.poll_s)
                self._wake.clear()

    def run_once(self) -> bool:
        """Claim the oldest queued job and run it; False when none was queued."""
        with self.store.transaction() as conn:
            job = claim_next(conn)
        if job is None:
            return False
        self._run(job)
        return True

    def _run(self, job: dict[str, Any]) -> None:
        job_id = job["id"]

        def progress(fraction: float, message: str) -> None:
            with self._lock:
                self._live[job_id] = (max(0.0, min(1.0, fraction)), message)

        progress(0.0, "started")
        try:
            result = TASKS[job["kind"]](self.store, job, progress, self.videos)
        except Exception as exc:
            status, error, _ = problem(exc)
            error["details"] = {**error.get("details", {}), "status": status}
            with self.store.transaction() as conn:
                fail_job(conn, job_id, error)
        else:
            with self.store.transaction() as conn:
                finish_job(conn, job_id, result)
        finally:
            if self.on_done is not None:
                self.on_done(job)
            with self._lock:
                self._live.pop(job_id, None)
            folder = job["payload"].get("folder")
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
