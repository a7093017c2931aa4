"""Makes the stores in this folder with the migration runner of backcheck before Alembic
(commit 1d554da, `store/engine.py` applying m0001..m0006 by the versions recorded in
schema_migrations). Kept for the record: it does not run with the current code (the old runner
is gone). Run from the repository root at that commit:

    PYTHONPATH=src python tests/data/stores/make_stores.py

- v6.db: a store made by that backcheck (schema version 6), one athlete with two imported
  sets, a pain entry and a deleted athlete (its id must never be given again).
- v3.db: a store made by an older backcheck that knew migrations 1-3 only, with the same rows.
- schema-v6.sql: `sqlite_master` of a new store made by that backcheck (type, name, sql).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from backcheck.store import migrations, open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.diary import add_pain

HERE = Path(__file__).parent


def rows(url: str) -> None:
    store = open_store(url)
    with store.transaction() as conn:
        gone = athlete_id(conn, "gone", create=True)
        me = athlete_id(conn, "me", create=True)
        conn.exec_driver_sql(
            "INSERT INTO sessions (athlete_id, key, started_at) VALUES (?, 11, '2026-01-02 17:00:00')",
            (me,),
        )
        conn.exec_driver_sql(
            "INSERT INTO sets (athlete_id, session_id, key, exercise, set_type, weight_kg, reps, "
            "source_file, source_line) VALUES (?, 1, 21, 'Bent Over Row (Barbell)', 'working', 60, 8,"
            " 'a.csv', 2), (?, 1, 22, 'Bent Over Row (Barbell)', 'working', 60, 7, 'a.csv', 3)",
            (me, me),
        )
        conn.exec_driver_sql(
            "INSERT INTO imports (athlete_id, imported_at, file_name, format, rows, sets, new_sets, "
            "skipped_json) VALUES (?, '2026-01-02 18:00:00', 'a.csv', 'strong', 2, 2, 2, '[]')",
            (me,),
        )
        pain = pl.DataFrame(
            {
                "at": [datetime(2026, 1, 3, 8, tzinfo=UTC)],
                "level": [4],
                "region": ["upper back"],
                "note": [None],
            },
            schema_overrides={"note": pl.String},
        )
        add_pain(conn, me, pain)
        conn.exec_driver_sql("DELETE FROM athletes WHERE id = ?", (gone,))
    store.close()


def small(path: Path) -> None:
    """Leave one file (no -wal), in small pages."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA page_size=1024")
    db.execute("VACUUM")
    db.close()


def main() -> None:
    for name in ("v6.db", "v3.db", "fresh.db"):
        for suffix in ("", "-wal", "-shm"):
            (HERE / (name + suffix)).unlink(missing_ok=True)
    rows(f"sqlite:///{HERE / 'v6.db'}")
    small(HERE / "v6.db")
    everything = dict(migrations.MIGRATIONS)
    migrations.MIGRATIONS.clear()
    migrations.MIGRATIONS.update({v: n for v, n in everything.items() if v <= 3})
    rows(f"sqlite:///{HERE / 'v3.db'}")
    small(HERE / "v3.db")
    migrations.MIGRATIONS.update(everything)
    open_store(f"sqlite:///{HERE / 'fresh.db'}").close()
    db = sqlite3.connect(HERE / "fresh.db")
    found = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
    ).fetchall()
    db.close()
    for suffix in ("", "-wal", "-shm"):
        (HERE / ("fresh.db" + suffix)).unlink(missing_ok=True)
    (HERE / "schema-v6.sql").write_text(
        "".join(f"-- {kind} {name}\n{sql};\n" for kind, name, sql in found)
    )


if __name__ == "__main__":
    main()
