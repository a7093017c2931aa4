"""Named, recorded, forward-only migrations; the same steps on SQLite and PostgreSQL.

Each migration module has NAME and `upgrade(meta, conn)`: it declares its change in `meta` (so
`backcheck.store.schema` can replay every step without a database and queries always see the
current tables) and, when `conn` is given, applies it. Never edit a released migration: add one.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Version -> module name, in order. Append only.
MIGRATIONS: dict[int, str] = {
    1: "m0001_initial",
    2: "m0002_web",
    3: "m0003_imports",
    4: "m0004_exercise_map",
    5: "m0005_sign_ins",
    6: "m0006_saved_plans",
}


def modules() -> list[tuple[int, ModuleType]]:
    """Every migration module with its version, oldest first."""
    return [
        (version, importlib.import_module(f"backcheck.store.migrations.{name}"))
        for version, name in sorted(MIGRATIONS.items())
    ]
