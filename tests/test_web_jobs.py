"""The background worker: jobs persist in the store, so a restart loses none."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from backcheck.store import open_store
from backcheck.store.webjobs import MAX_ATTEMPTS, add_job, claim_next, get_job, requeue_running
from backcheck.store.webstore import jobs
from webtools import STRONG, TestClient, Web, create_app, data_rows, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def queue_import(web: Web, headers: dict[str, str]) -> str:
    files = [("files", (STRONG.name, STRONG.read_bytes(), "text/csv"))]
    r = web.client.post(f"/api/athletes/{web.athlete}/imports", files=files, headers=headers)
    assert r.status_code == 202
    return str(r.json()["job"]["id"])


def test_queued_job_survives_a_restart(tmp_path: Path) -> None:
    stopped = make_settings(tmp_path, worker=False)
    with TestClient(create_app(stopped), base_url="https://testserver") as client:
        web = Web(client).signup()
        h = web.api_token()
        job_id = queue_import(web, h)
        assert client.get(f"/api/jobs/{job_id}", headers=h).json()["state"] == "queued"
        athlete = web.athlete
    # the upload waits on disk, the job in the store; a new server picks it up
    assert any((stopped.data_dir / "uploads").iterdir())
    with TestClient(create_app(make_settings(tmp_path)), base_url="https://testserver") as client:
        web = Web(client)
        web.athlete = athlete
        job = web.wait(job_id, h)
        assert job["state"] == "done"
        assert job["result"]["files"][0]["rows"] == data_rows(STRONG)
    assert not any((stopped.data_dir / "uploads").iterdir())  # removed once read


def test_job_left_running_is_queued_again(tmp_path: Path) -> None:
    cfg = make_settings(tmp_path, worker=False)
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        web = Web(client).signup()
        h = web.api_token()
        job_id = queue_import(web, h)
        state = client.app.state.backcheck
        with state.store.transaction() as conn:
            assert claim_next(conn)["id"] == job_id  # a worker took it, then the server died
        assert client.get(f"/api/jobs/{job_id}", headers=h).json()["state"] == "running"
        state.worker.start()  # what the next start does: requeue, then run
        job = web.wait(job_id, h)
        state.worker.stop()
    assert job["state"] == "done" and job["result"]["new_sets"] == data_rows(STRONG)


def test_requeue_gives_up_after_max_attempts(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        from backcheck.store.webstore import create_user

        with store.transaction() as conn:
            uid = create_user(conn, email="a@example.com", name="A", password_hash="x", tz="UTC")
            first = add_job(conn, kind="import", user_id=uid, athlete_id=None, payload={})
            second = add_job(conn, kind="import", user_id=uid, athlete_id=None, payload={})
            assert claim_next(conn)["id"] == first  # oldest first
            assert claim_next(conn)["id"] == second
            assert claim_next(conn) is None
            conn.execute(update(jobs).where(jobs.c.id == first).values(attempts=MAX_ATTEMPTS))
            assert requeue_running(conn) == 1
            assert get_job(conn, first)["state"] == "failed"
            assert get_job(conn, first)["error"]["code"] == "interrupted"
            assert get_job(conn, second)["state"] == "queued"
    finally:
        store.close()


def test_worker_runs_jobs_in_order_in_the_callers_thread(tmp_path: Path) -> None:
    cfg = make_settings(tmp_path, worker=False)
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        web = Web(client).signup()
        h = web.api_token()
        ids = [queue_import(web, h), queue_import(web, h)]
        worker = client.app.state.backcheck.worker
        assert worker.run_once() and worker.run_once() and not worker.run_once()
        done = [client.get(f"/api/jobs/{i}", headers=h).json() for i in ids]
    assert [d["result"]["new_sets"] for d in done] == [data_rows(STRONG), 0]


def test_sibling_worker_never_requeues_a_job_claimed_after_the_server_started(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime, timedelta

    from backcheck.store.webstore import create_user

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        with store.transaction() as conn:
            uid = create_user(conn, email="b@example.com", name="B", password_hash="x", tz="UTC")
            stale = add_job(conn, kind="import", user_id=uid, athlete_id=None, payload={})
            fresh = add_job(conn, kind="import", user_id=uid, athlete_id=None, payload={})
            assert claim_next(conn)["id"] == stale
            assert claim_next(conn)["id"] == fresh
            started = datetime.now(UTC)
            # `stale` began before this server started (a crash left it running).
            conn.execute(
                update(jobs)
                .where(jobs.c.id == stale)
                .values(started_at=started - timedelta(minutes=5))
            )
            conn.execute(
                update(jobs)
                .where(jobs.c.id == fresh)
                .values(started_at=started + timedelta(seconds=1))
            )
            assert requeue_running(conn, started_before=started) == 1
            assert get_job(conn, stale)["state"] == "queued"
            assert get_job(conn, fresh)["state"] == "running"
    finally:
        store.close()
