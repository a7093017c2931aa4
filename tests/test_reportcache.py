"""ReportCache: one computation per athlete, day and data; invalidated by every change.

A real SQLite store: the stamp is read from the athletes table, and changes are made the way
the store makes them (store.athletes.bump_revision, deleting the athlete).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete

from backcheck.store import Store, open_store
from backcheck.store.athletes import athlete_id, bump_revision
from backcheck.store.schema import athletes
from backcheck.store.webstore import Access
from backcheck.web.reportcache import ReportCache

DAY = date(2026, 3, 1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'cache.db'}")
    yield s
    s.close()


def access(store: Store, name: str, tz: str = "UTC") -> Access:
    with store.transaction() as conn:
        ident = athlete_id(conn, name, create=True)
    return Access(
        athlete_id=ident, athlete=name, display_name=name, role="owner", owner_id=1, tz=tz
    )


class Counter:
    """A compute function that counts its calls and returns the call number."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self) -> int:
        with self.lock:
            self.calls += 1
            return self.calls


def test_a_value_is_computed_once_while_the_data_is_unchanged(store: Store) -> None:
    cache, who, compute = ReportCache(store, recheck_s=0.0), access(store, "ann"), Counter()
    assert cache.peek("why", who, day=DAY) is None
    assert cache.get("why", who, day=DAY, compute=compute) == 1
    assert cache.get("why", who, day=DAY, compute=compute) == 1
    assert cache.peek("why", who, day=DAY) == 1
    assert compute.calls == 1
    # another day, kind, zone or extra is another value
    assert cache.get("why", who, day=date(2026, 3, 2), compute=compute) == 2
    assert cache.get("plan", who, day=DAY, compute=compute) == 3
    assert cache.get("why", who, day=DAY, extra=(4,), compute=compute) == 4
    berlin = replace(who, tz="Europe/Berlin")
    assert cache.get("why", berlin, day=DAY, compute=compute) == 5


def test_a_change_in_the_store_is_seen_and_the_old_value_dropped(store: Store) -> None:
    cache, who, compute = ReportCache(store, recheck_s=0.0), access(store, "ann"), Counter()
    assert cache.get("why", who, day=DAY, compute=compute) == 1
    with store.transaction() as conn:
        bump_revision(conn, who.athlete_id)
    assert cache.peek("why", who, day=DAY) is None
    assert cache.get("why", who, day=DAY, compute=compute) == 2
    # the value under the old stamp is gone (no stale entries pile up)
    assert len([k for k in cache._items if k[1] == who.athlete_id]) == 1


def test_recheck_window_and_invalidate(store: Store) -> None:
    """Within recheck_s the stamp is not re-read (a change by another process shows later);
    `invalidate`, which the web app calls on its own writes, shows the change at once."""
    cache, who, compute = ReportCache(store, recheck_s=3600.0), access(store, "ann"), Counter()
    assert cache.get("why", who, day=DAY, compute=compute) == 1
    with store.transaction() as conn:
        bump_revision(conn, who.athlete_id)
    assert cache.get("why", who, day=DAY, compute=compute) == 1  # stamp not re-read yet
    cache.invalidate(who.athlete_id)
    assert cache.get("why", who, day=DAY, compute=compute) == 2


def test_athletes_are_kept_apart_and_forget_drops_one(store: Store) -> None:
    cache = ReportCache(store, recheck_s=0.0)
    ann, bob = access(store, "ann"), access(store, "bob")
    assert cache.get("why", ann, day=DAY, compute=lambda: "ann's") == "ann's"
    assert cache.get("why", bob, day=DAY, compute=lambda: "bob's") == "bob's"
    cache.forget(ann.athlete_id)
    assert cache.peek("why", ann, day=DAY) is None
    assert cache.peek("why", bob, day=DAY) == "bob's"


def test_a_deleted_athlete_never_gets_a_value_back(store: Store) -> None:
    """After the athlete row goes, a new athlete with the same name gets a new id and stamp;
    the old id's stamp is None, never equal to a stamp it had."""
    cache, ann, compute = ReportCache(store, recheck_s=0.0), access(store, "ann"), Counter()
    assert cache.get("why", ann, day=DAY, compute=compute) == 1
    with store.transaction() as conn:
        conn.execute(delete(athletes).where(athletes.c.id == ann.athlete_id))
    assert cache.peek("why", ann, day=DAY) is None
    again = access(store, "ann")
    assert again.athlete_id != ann.athlete_id
    assert cache.peek("why", again, day=DAY) is None
    assert cache.get("why", again, day=DAY, compute=compute) == 2


def test_lru_size_bound(store: Store) -> None:
    cache, who = ReportCache(store, size=3, recheck_s=0.0), access(store, "ann")
    for n in range(5):
        cache.get("why", who, day=DAY, extra=(n,), compute=lambda n=n: n)
    assert len(cache._items) == 3
    assert cache.peek("why", who, day=DAY, extra=(0,)) is None  # the oldest went first
    assert cache.peek("why", who, day=DAY, extra=(4,)) == 4


def test_concurrent_requests_wait_for_one_computation(store: Store) -> None:
    cache, who = ReportCache(store, recheck_s=3600.0), access(store, "ann")
    cache.stamp(who)  # read once, so every thread uses the same key
    started, release = threading.Event(), threading.Event()
    calls = Counter()

    def slow() -> int:
        n = calls()
        started.set()
        release.wait(10)
        return n

    got: list[int] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get("why", who, day=DAY, compute=slow)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    assert started.wait(10)
    time.sleep(0.05)  # let the other threads reach the gate (ordering, not a timing assert)
    release.set()
    for t in threads:
        t.join(10)
    assert got == [1] * 8
    assert calls.calls == 1


def test_a_compute_that_raises_is_not_cached(store: Store) -> None:
    cache, who = ReportCache(store, recheck_s=3600.0), access(store, "ann")

    def broken() -> int:
        raise RuntimeError("no report today")

    with pytest.raises(RuntimeError, match="no report today"):
        cache.get("why", who, day=DAY, compute=broken)
    assert cache.peek("why", who, day=DAY) is None
    assert not cache._computing  # no gate left behind
    assert cache.get("why", who, day=DAY, compute=lambda: 7) == 7


def test_waiters_on_a_compute_that_raises_compute_themselves(store: Store) -> None:
    """The first request's error reaches only that request; those waiting behind it compute
    again (one at a time) and get a value."""
    cache, who = ReportCache(store, recheck_s=3600.0), access(store, "ann")
    cache.stamp(who)
    first, release = threading.Event(), threading.Event()
    calls = Counter()

    def flaky() -> int:
        n = calls()
        if n == 1:
            first.set()
            release.wait(10)
            raise RuntimeError("first try fails")
        return n

    results: list[object] = []

    def request() -> None:
        try:
            results.append(cache.get("why", who, day=DAY, compute=flaky))
        except RuntimeError as exc:
            results.append(str(exc))

    lead = threading.Thread(target=request)
    lead.start()
    assert first.wait(10)
    others = [threading.Thread(target=request) for _ in range(4)]
    for t in others:
        t.start()
    time.sleep(0.05)
    release.set()
    for t in [lead, *others]:
        t.join(10)
    assert results.count("first try fails") == 1
    assert sorted(r for r in results if isinstance(r, int)) == [2, 2, 2, 2]
    assert calls.calls == 2
