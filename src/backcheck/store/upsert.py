"""INSERT ... ON CONFLICT DO NOTHING for SQLite and PostgreSQL: idempotent, race-free writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection


def insert_ignore(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, unique: Sequence[str]
) -> None:
    """Insert `rows` (dicts, processed by the column types), keeping the stored row wherever
    the `unique` columns already match."""
    if not rows:
        return
    # The dialect modules load on first write: PostgreSQL's alone costs a read-only
    # command (`why`) tens of milliseconds of start-up.
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects import sqlite as dialect
    else:
        from sqlalchemy.dialects import postgresql as dialect  # type: ignore[no-redef]
    stmt = dialect.insert(table).on_conflict_do_nothing(index_elements=list(unique))
    conn.execute(stmt, list(rows))


def bulk_insert_ignore(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[str | int | float | None, ...]],
    *,
    unique: Sequence[str],
) -> None:
    """Fast path of `insert_ignore` for many rows of plain values (str, int, float, None) in
    the order of `columns`: one prepared statement, executemany on the driver."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)}) "
        f"ON CONFLICT ({', '.join(unique)}) DO NOTHING"
    )
    conn.exec_driver_sql(sql, list(rows))
