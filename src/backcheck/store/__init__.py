"""The store: the only part of backcheck that speaks SQL (SQLAlchemy Core).

`open_store(url)` gives a migrated Store; the query modules (athletes, workouts, diary) take an
explicit Connection so that one command is one transaction. SQLAlchemy is imported on first
use of Store or open_store, so store.inputs can serve a read from a snapshot without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backcheck.store.engine import Store, open_store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from backcheck.store import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'backcheck.store' has no attribute {name!r}")
