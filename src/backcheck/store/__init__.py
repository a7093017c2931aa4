"""The store: the only part of backcheck that speaks SQL (SQLAlchemy Core).

`open_store(url)` gives a migrated Store; the query modules (athletes, workouts, diary) take an
explicit Connection so that one command is one transaction.
"""

from backcheck.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
