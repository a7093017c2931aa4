"""An athlete's stored inputs: the one way the rest of backcheck asks the store for them.

`read_inputs(store_or_url, athlete)` answers from the athlete's read snapshot when the store
is an SQLite file named by URL and the snapshot is current (store.snapshot; no SQLAlchemy
import), else reads through the store; `load_inputs(conn, athlete)` reads in the caller's
transaction. Either way the snapshot is the store's to keep current: callers never name it.
This module imports no SQLAlchemy itself, so the snapshot path stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.store.snapshot import read_snapshot
from backcheck.store.stored import StoredInputs

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from backcheck.store.engine import Store


def load_inputs(conn: Connection, athlete: str) -> StoredInputs:
    """`athlete`'s sets, pain diary, recovery log, form checks, newest red-flag answers and own
    exercise-name meanings, read in the transaction of `conn` (store.stored.StoredInputs);
    NotFoundError when nothing was ever stored for them."""
    from backcheck.store.reading import read_through_store  # SQLAlchemy: only on this path

    return read_through_store(conn, athlete)


def read_inputs(store: Store | str, athlete: str) -> StoredInputs:
    """`load_inputs` for `store`, a Store or a store's URL. A URL of an SQLite file is first
    answered from the athlete's snapshot when it is current (without importing SQLAlchemy);
    otherwise the store is opened, read in one transaction (which writes the snapshot) and
    closed. NotFoundError when nothing was ever stored for `athlete`."""
    if not isinstance(store, str):
        with store.transaction() as conn:
            return load_inputs(conn, athlete)
    found = read_snapshot(store, athlete.strip())  # names are stored trimmed
    if found is not None:
        return found
    from backcheck.store.engine import open_store

    opened = open_store(store)
    try:
        with opened.transaction() as conn:
            return load_inputs(conn, athlete)
    finally:
        opened.close()
