"""The `why` report (and what is built from it) per athlete, kept while their data is unchanged.

The dashboard must answer in well under 150 ms for an athlete with ten years of data, but
`why` on 150,000 sets takes about a quarter of a second. The report depends only on the stored
data, the day and the time zone, so it is cached under the stamp of the data (store.stamp,
the same stamp the CLI's read snapshot is keyed on: the athlete's never-reused id, creation
time and change counters, and the schema version; one look-up by the athlete's unique name)
and recomputed when anything changes; no stamp ever comes back, even after a delete. Deleting
an athlete or an account drops their values (`forget`).
The stamp itself is re-read at most every `recheck_s` seconds per athlete; every write the
web app makes calls `invalidate`, so its own changes show at once (a change made by another
process, the CLI say, shows within `recheck_s`). Concurrent requests for the same stale
report wait for one computation; when it raises, the error reaches that request and the
next one computes again (an error is never cached).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from backcheck.store import Store
from backcheck.store.stamp import Stamp, read_stamp
from backcheck.store.webstore import Access

_MISSING = object()


class ReportCache:
    """An LRU of computed values keyed by (kind, athlete, zone, day, extra, data stamp)."""

    def __init__(self, store: Store, *, size: int = 64, recheck_s: float = 1.0) -> None:
        self.store = store
        self.size = size
        self.recheck_s = recheck_s
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._stamps: dict[int, tuple[float, Stamp | None]] = {}
        self._lock = threading.Lock()
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}

    def stamp(self, who: Access) -> Stamp | None:
        """The athlete's data stamp (re-read when older than recheck_s or invalidated; None:
        the athlete was deleted)."""
        now = time.monotonic()
        seen = self._stamps.get(who.athlete_id)
        if seen is not None and now - seen[0] < self.recheck_s:
            return seen[1]
        with self.store.transaction() as conn:
            found = read_stamp(conn, who.athlete)
        if found is not None and found.athlete_id != who.athlete_id:
            found = None  # deleted, and the name taken again by a new athlete
        self._stamps[who.athlete_id] = (now, found)
        return found

    def invalidate(self, athlete_id: int) -> None:
        """The athlete's data changed: read the stamp again on the next request."""
        self._stamps.pop(athlete_id, None)

    def forget(self, athlete_id: int) -> None:
        """The athlete was deleted: drop every value computed for them, and their stamp."""
        with self._lock:
            for key in [k for k in self._items if k[1] == athlete_id]:
                del self._items[key]
            self._stamps.pop(athlete_id, None)

    def _key(self, kind: str, who: Access, day: date, extra: tuple[Any, ...]) -> tuple[Any, ...]:
        return (kind, who.athlete_id, who.tz, day, extra, self.stamp(who))

    def peek(self, kind: str, who: Access, *, day: date, extra: tuple[Any, ...] = ()) -> Any:
        """The cached value, or None when it must be computed (cheap: no computation)."""
        key = self._key(kind, who, day, extra)
        with self._lock:
            found = self._items.get(key, _MISSING)
            if found is not _MISSING:
                self._items.move_to_end(key)
                return found
        return None

    def get(
        self,
        kind: str,
        who: Access,
        *,
        day: date,
        extra: tuple[Any, ...] = (),
        compute: Callable[[], Any],
    ) -> Any:
        """The cached value of `compute()` for this athlete, day and data; computed when the
        data changed (one computation however many requests wait for it)."""
        key = self._key(kind, who, day, extra)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            try:
                value = compute()
            except BaseException:
                with self._lock:  # the next request computes afresh; nothing is kept
                    self._computing.pop(key, None)
                raise
            with self._lock:
                self._items[key] = value
                self._computing.pop(key, None)
                stale = [k for k in self._items if k[:2] == key[:2] and k[5] != key[5]]
                for k in stale:
                    del self._items[k]
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
