"""Opening the store: engine, SQLite pragmas, migrations, and one transaction per command."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from backcheck.errors import StoreError
from backcheck.store import migrations
from backcheck.store.schema import schema_migrations


class Store:
    """A backcheck database (SQLite file or PostgreSQL server) at its newest schema.

    Use `with store.transaction() as conn:` for everything one command does: it commits at
    the end and rolls back on any error, so a failed command changes nothing.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: commit on success, roll back on any exception. Actions given to
        `after_commit` run once it has committed (never after a rollback)."""
        actions: dict[object, Callable[[], None]] = {}
        try:
            with self.engine.begin() as conn:
                try:
                    yield conn
                finally:  # the pooled connection must not carry them to its next user
                    actions = conn.info.pop(AFTER_COMMIT, {})
        except OperationalError as exc:
            raise StoreError(f"database error: {exc.orig}") from exc
        for action in actions.values():
            action()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


AFTER_COMMIT = "backcheck.after_commit"


def after_commit(conn: Connection, key: object, action: Callable[[], None]) -> None:
    """Run `action` once the Store.transaction of `conn` has committed; one action per `key`
    (the first given), so many writes can ask for the same follow-up once."""
    conn.info.setdefault(AFTER_COMMIT, {}).setdefault(key, action)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: the next pragmas may wait for a lock
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(
        "PRAGMA secure_delete=ON"
    )  # deleted health data is overwritten, not left in free pages
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB: bulk inserts into the key indexes
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """SQLAlchemy engine for `url`; an SQLite file's folder is created. StoreError on a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"--db: not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(
            f"--db: no driver for {parsed.drivername}: pip install 'backcheck[postgres]'"
        ) from exc


def open_store(url: str, **kwargs: Any) -> Store:
    """Open (and create or upgrade) the store at `url`."""
    store = Store(make_engine(url, **kwargs))
    try:
        with store.engine.connect() as conn:
            with conn.begin():
                applied = migrate(conn)
            if applied and store.dialect == "sqlite":  # a table rebuild turned them off
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    except OperationalError as exc:
        store.close()
        raise StoreError(f"cannot open the database {url!r}: {exc.orig}") from exc
    return store


def current_version(conn: Connection) -> int:
    """Newest applied migration (0 for an empty database)."""
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    versions = conn.execute(select(schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def applied_versions(conn: Connection) -> set[int]:
    """Every migration recorded as applied (empty for an empty database)."""
    if not inspect(conn).has_table("schema_migrations"):
        return set()
    return set(conn.execute(select(schema_migrations.c.version)).scalars().all())


def migrate(conn: Connection) -> list[int]:
    """Apply every migration not yet recorded, in order; returns the versions applied. A
    version is applied by whether it is recorded (not by the newest one), so a migration
    numbered below one already applied still runs.

    On PostgreSQL an advisory lock, on SQLite the write lock (BEGIN IMMEDIATE), makes
    concurrent openers wait for one another.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
    elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # The driver runs DDL outside any transaction: without the write lock, commands opening
        # a new file at once each saw no schema and created the same tables (the loser failed).
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    have = current_version(conn)
    done = applied_versions(conn)
    known = max(migrations.MIGRATIONS)
    if have > known:
        raise StoreError(
            f"the database is at schema version {have}, newer than this backcheck knows ({known}): "
            "upgrade backcheck"
        )
    meta = MetaData()
    applied: list[int] = []
    for version, module in migrations.modules():
        if version in done:
            module.upgrade(meta, None)
            continue
        try:
            module.upgrade(meta, conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"migration {version} ({module.NAME}) failed: {exc}") from exc
        conn.execute(
            schema_migrations.insert().values(
                version=version, name=module.NAME, applied_at=datetime.now(UTC)
            )
        )
        applied.append(version)
    return applied
