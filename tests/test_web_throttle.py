"""The password-check throttle: shared by worker processes (it lives in the store), forgets,
cannot lock everyone out, and guards every password check; tokens die with the password."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from backcheck.store import open_store, signins, webstore
from webtools import PASSWORD, TestClient, Web, create_app, make_settings

pytest.importorskip("argon2")
from backcheck.web.auth import Throttle, TooManyAttempts, sign_up

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(name="store")
def store_fixture(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    with store.transaction() as conn:
        for who in ("ann", "bob"):
            sign_up(conn, email=f"{who}@example.com", name=who, password=PASSWORD, tz="UTC")
    yield store
    store.close()


def test_guessing_one_account_from_one_address_is_stopped(store) -> None:
    t = Throttle(store, max_fails=3, window_s=600)
    for _ in range(3):
        assert t.check(email="ann@example.com", password="wrong", address="1.1.1.1") is None
    with pytest.raises(TooManyAttempts) as refused:
        t.check(email="ann@example.com", password=PASSWORD, address="1.1.1.1")
    assert 500 < refused.value.wait <= 601 and refused.value.status == 429
    # The owner at another address, and another account at the same address, are not blocked.
    assert t.check(email="ann@example.com", password=PASSWORD, address="2.2.2.2") is not None
    assert t.check(email="bob@example.com", password=PASSWORD, address="1.1.1.1") is not None


def test_a_second_process_sees_the_same_failures(store, tmp_path: Path) -> None:
    other = open_store(f"sqlite:///{tmp_path / 't.db'}")
    try:
        a = Throttle(store, max_fails=2, window_s=600)
        b = Throttle(other, max_fails=2, window_s=600)
        a.check(email="ann@example.com", password="wrong", address="1.1.1.1")
        b.check(email="ann@example.com", password="wrong", address="1.1.1.1")
        assert a.retry_after(email="ann@example.com", address="1.1.1.1") > 0
        assert b.retry_after(email="ann@example.com", address="1.1.1.1") > 0
    finally:
        other.close()


def test_failures_are_forgotten_after_the_window(store) -> None:
    t = Throttle(store, max_fails=2, window_s=60)
    now = webstore.now()
    with store.transaction() as conn:
        for _ in range(5):
            signins.record(
                conn,
                email="ann@example.com",
                address="1.1.1.1",
                ok=False,
                at=now - timedelta(seconds=120),
                window=t.window,
            )
    assert t.retry_after(email="ann@example.com", address="1.1.1.1") == 0
    assert t.check(email="ann@example.com", password="wrong", address="1.1.1.1") is None
    with store.transaction() as conn:  # writing the new failure deleted the old ones
        left = conn.execute(signins.attempts.select()).all()
    assert len(left) == 1 and left[0].at > now - timedelta(seconds=5)


def test_one_shared_address_cannot_lock_out_everyone(store) -> None:
    """Behind a proxy every user has one address: a guesser there spraying many accounts
    stops further guesses from that address, but not the users known to sign in there."""
    t = Throttle(store, max_fails=1, window_s=600)
    assert t.check(email="bob@example.com", password=PASSWORD, address="10.0.0.1") is not None
    for i in range(20):
        t.check(email=f"victim{i}@example.com", password="guess", address="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        t.check(email="victim99@example.com", password="guess", address="10.0.0.1")
    assert t.check(email="bob@example.com", password=PASSWORD, address="10.0.0.1") is not None


def test_guessing_from_many_addresses_cannot_lock_the_owner_out(store) -> None:
    t = Throttle(store, max_fails=1, window_s=600)
    for i in range(4):
        t.check(email="ann@example.com", password="guess", address=f"6.6.6.{i}")
    with pytest.raises(TooManyAttempts):  # an address that already failed for ann
        t.check(email="ann@example.com", password="guess", address="6.6.6.0")
    assert t.check(email="ann@example.com", password=PASSWORD, address="1.1.1.1") is not None


def test_emails_are_kept_only_as_digests(store) -> None:
    t = Throttle(store, max_fails=3, window_s=600)
    t.check(email="Ann@Example.com", password="wrong", address="1.1.1.1")
    with store.transaction() as conn:
        row = conn.execute(signins.attempts.select()).one()
    assert "ann" not in row.email_digest and row.email_digest == signins.email_digest(
        "ann@example.com"
    )


def test_password_change_and_account_deletion_are_throttled(tmp_path: Path) -> None:
    cfg = make_settings(tmp_path, login_attempts=2, login_window_s=600, worker=False)
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        w = Web(client).signup()
        for _ in range(2):
            r = w.form(
                "/account",
                {"action": "password", "current": "wrong guess", "password": "a new password 123"},
            )
            assert r.status_code == 400 and "current password is wrong" in r.text
        r = w.form(
            "/account",
            {"action": "password", "current": PASSWORD, "password": "a new password 123"},
        )
        assert "Too many failed password checks" in r.text
        r = w.form("/account", {"action": "delete", "confirm": "DELETE", "password": PASSWORD})
        assert "Too many failed password checks" in r.text
        headers = w.api_token()
        r = client.post("/api/me/delete", json={"password": PASSWORD}, headers=headers)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 500
        assert r.json()["error"]["code"] == "too_many_attempts"


def test_a_password_change_revokes_api_tokens(tmp_path: Path) -> None:
    cfg = make_settings(tmp_path, worker=False)
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        w = Web(client).signup()
        headers = w.api_token()
        assert client.get("/api/athletes", headers=headers).status_code == 200
        r = w.form(
            "/account",
            {"action": "password", "current": PASSWORD, "password": "a new password 123"},
        )
        assert r.status_code == 303
        assert client.get("/api/athletes", headers=headers).status_code == 401


def test_failures_made_by_another_process_count_here(store, tmp_path: Path) -> None:
    """A real second process (another `serve` worker) records failures in the same store:
    this process refuses the next check, then forgets them once they are past the window."""
    import os
    import subprocess
    import sys

    import backcheck

    url = f"sqlite:///{tmp_path / 't.db'}"
    child = (
        "from backcheck.store import open_store\n"
        "from backcheck.web.auth import Throttle\n"
        f"store = open_store({url!r})\n"
        "t = Throttle(store, max_fails=2, window_s=600)\n"
        "for _ in range(2):\n"
        "    assert t.check(email='ann@example.com', password='wrong', address='1.1.1.1') is None\n"
        "store.close()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(backcheck.__file__).parents[1])}
    subprocess.run([sys.executable, "-c", child], check=True, env=env, timeout=120)
    here = Throttle(store, max_fails=2, window_s=600)
    with pytest.raises(TooManyAttempts):
        here.check(email="ann@example.com", password=PASSWORD, address="1.1.1.1")
    # The same failures seen with a window that has passed them: forgotten, and deleted by
    # the next attempt written.
    later = Throttle(store, max_fails=2, window_s=0.001)
    assert later.retry_after(email="ann@example.com", address="1.1.1.1") == 0
    assert later.check(email="bob@example.com", password=PASSWORD, address="2.2.2.2") is not None
    with store.transaction() as conn:
        left = conn.execute(signins.attempts.select()).all()
    assert [(row.ok, row.address) for row in left] == [(True, "2.2.2.2")]


def test_two_app_workers_share_the_sign_in_throttle(tmp_path: Path) -> None:
    """Two app instances on one store (as `serve --workers 2`): failures at one are refused at
    the other."""
    cfg = make_settings(tmp_path, login_attempts=2, login_window_s=600, worker=False)
    with TestClient(create_app(cfg), base_url="https://testserver") as one:
        Web(one).signup()
        with TestClient(create_app(cfg), base_url="https://testserver") as two:
            for _ in range(2):
                r = Web(one).form("/signin", {"email": "ann@example.com", "password": "nope 123"})
                assert r.status_code == 400
            r = Web(two).form("/signin", {"email": "ann@example.com", "password": PASSWORD})
            assert r.status_code == 429 and "Too many" in r.text
