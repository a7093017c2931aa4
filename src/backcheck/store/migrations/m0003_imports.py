"""Migration 3: undo and ids that never come back.

- `imports` learns the file's content hash, its path as given, and the weight unit it was read
  in; `import_sets` links each import to the sets it held (by set key), so one import can be
  deleted (store.importlog) even where two imports share sets.
- `athletes` gets two change counters, `revision` (any of the athlete's rows) and
  `sets_revision` (their sets): every write and delete bumps them, and the read snapshot
  (store.snapshot) and the web report cache are keyed on them (row counts came back to an
  earlier value after a delete).
- On SQLite every table with an integer id (NEVER_REUSED) is rebuilt with AUTOINCREMENT
  (Alembic's batch mode), so a deleted row's id is never given again (a new sign-up was given
  a deleted account's athlete id, and was shown that account's cached report). PostgreSQL ids
  come from sequences (SERIAL), which never hand a value out twice, so they need no change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

from backcheck.errors import StoreError

NAME = "imports"
revision = "0003"
down_revision: str | None = "0002"

#: Tables with integer ids, which must never be reused (SQLite: rebuilt with AUTOINCREMENT).
NEVER_REUSED = (
    "athletes",
    "sessions",
    "sets",
    "imports",
    "pain",
    "recovery",
    "triage",
    "videos",
    "users",
    "auth_sessions",
    "api_tokens",
    "coach_links",
)


def upgrade(meta: MetaData, conn: Connection | None) -> None:
    """Declare the version-3 changes in `meta`; apply them when a connection is given."""
    added: dict[str, list[Column[Any]]] = {
        "imports": [
            Column("content_hash", String(64)),  # sha256 hex of the file's bytes
            Column("path", Text),  # as given on the command line (web: the file name)
            Column("unit", String(2)),  # kg or lb: --unit as given; null when not given
        ],
        "athletes": [
            Column("revision", BigInteger, nullable=False, server_default="0"),
            Column("sets_revision", BigInteger, nullable=False, server_default="0"),
        ],
    }
    for table, columns in added.items():
        for column in columns:
            meta.tables[table].append_column(column)
    for name in NEVER_REUSED:
        meta.tables[name].dialect_options["sqlite"]["autoincrement"] = True
    links = Table(
        "import_sets",
        meta,
        Column("import_id", Integer, ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
        Column(
            "athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False
        ),
        Column("key", BigInteger, nullable=False),  # sets.key of a set the import held
        PrimaryKeyConstraint("import_id", "key", name="pk_import_sets"),
        Index("ix_import_sets_athlete_key", "athlete_id", "key"),
    )
    if conn is None:
        return
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        _begin_without_foreign_keys(conn)
    for table, columns in added.items():
        for column in columns:
            ddl = column.type.compile(dialect=conn.dialect)
            default = "" if column.nullable else " NOT NULL DEFAULT 0"  # the counters
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column.name} {ddl}{default}")
    if sqlite:
        for name in NEVER_REUSED:
            _rebuild(conn, meta.tables[name])
    links.create(conn)
    # Sets stored before this version: linked to the imports of the file they came from.
    conn.exec_driver_sql(
        "INSERT INTO import_sets (import_id, athlete_id, key) "
        "SELECT max(i.id), s.athlete_id, s.key FROM sets AS s JOIN imports AS i "
        "ON i.athlete_id = s.athlete_id AND i.file_name = s.source_file "
        "GROUP BY s.athlete_id, s.key"
    )
    if sqlite:
        bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise RuntimeError(f"foreign keys broken by the rebuild: {bad[:5]}")


def _begin_without_foreign_keys(conn: Connection) -> None:
    """Turn SQLite's foreign keys off and start a write transaction: dropping a table while
    they are on would first delete every row, cascading to the children. Earlier migrations
    of this run are committed first (PRAGMA foreign_keys does nothing inside a transaction),
    which lets the write lock go for a moment (store.engine.migrate took it).
    store.engine.open_store turns them on again once the migrations have committed. A new,
    empty store needs none of this (nothing to cascade): its migrations stay one transaction."""
    parents = ("athletes", "users")
    if not any(conn.exec_driver_sql(f"SELECT 1 FROM {t} LIMIT 1").first() for t in parents):
        return
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and dbapi.in_transaction:
        dbapi.commit()
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if dbapi is not None and not dbapi.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    # The write lock was let go for a moment: another process may have upgraded meanwhile.
    if conn.exec_driver_sql("SELECT 1 FROM schema_migrations WHERE version = 3").first():
        raise StoreError(
            "another backcheck upgraded this store at the same moment: run the command again"
        )


def _rebuild(conn: Connection, table: Table) -> None:
    """Recreate SQLite table `table` as `meta` now declares it (AUTOINCREMENT), rows and
    indexes kept: Alembic's batch mode (SQLite's documented table change: a new table, the
    rows copied, the old one dropped, the new one renamed), with foreign keys off. The new
    table has the same columns, in order, and the same constraints (Alembic may write the table
    constraints of its CREATE TABLE in another order)."""
    from alembic import op  # Alembic's operations of the migration running now

    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
    ).scalar()
    if sql is None or "AUTOINCREMENT" in str(sql).upper():
        return
    with op.batch_alter_table(
        table.name,
        recreate="always",
        copy_from=table,  # the declared table, not one reflected from the file
        table_kwargs={"sqlite_autoincrement": True},
    ):
        pass  # no change but the rebuild itself (recreate="always")
