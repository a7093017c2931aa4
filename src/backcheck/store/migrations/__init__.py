"""Named, recorded, forward-only migrations: Alembic revisions, the same steps on SQLite and
PostgreSQL (store.engine runs them; no alembic.ini, no env.py).

Each migration is a module `mNNNN_name.py` in this folder with NAME, Alembic's `revision`
("NNNN") and `down_revision` (the one before, None for the first), and `upgrade(meta, conn)`:
it declares its change in `meta` (so `backcheck.store.schema` can replay every step without a
database, and queries always see the current tables) and, when `conn` is given, applies it
(with `alembic.op` where SQL alone will not do: `op.batch_alter_table` rebuilds an SQLite table).
Alembic records the newest applied revision in `alembic_version`; store.engine also records
each version in `schema_migrations`, as before Alembic. Never edit a released migration: add one.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

#: The folder of the revision files (Alembic's script and version location).
LOCATION = Path(__file__).parent

#: Version -> module name, in order: every mNNNN_name.py here.
MIGRATIONS: dict[int, str] = {
    int(m[1]): path.stem
    for path in sorted(LOCATION.glob("m*.py"))
    if (m := re.fullmatch(r"m(\d{4})_\w+", path.stem))
}


def revision_of(version: int) -> str:
    """Alembic revision id of schema version `version` (3 -> "0003")."""
    return f"{version:04d}"


def modules() -> list[tuple[int, ModuleType]]:
    """Every migration module with its version, oldest first."""
    return [
        (version, importlib.import_module(f"backcheck.store.migrations.{name}"))
        for version, name in sorted(MIGRATIONS.items())
    ]
