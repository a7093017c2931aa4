"""Opening the store: engine, SQLite pragmas, migrations, and one transaction per command."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import MetaData, create_engine, event, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)

from backcheck.errors import StoreError
from backcheck.store import migrations, schema
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
    """SQLAlchemy engine for `url`; a new SQLite file is made private (create_private).
    StoreError on a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"--db: not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            create_private(Path(parsed.database).expanduser())
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(
            f"--db: no driver for {parsed.drivername}: pip install 'backcheck[postgres]'"
        ) from exc


def create_private(path: Path) -> None:
    """Make a new SQLite file readable and writable by its owner only (0600; a folder made
    for it: 0700): it holds health data, and the machine may have other users. SQLite gives its
    -wal and -shm files the database file's mode. An existing file keeps the mode it has."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        return
    with suppress(FileExistsError):  # made by a concurrent opener: just as private
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def open_store(url: str, **kwargs: Any) -> Store:
    """Open (and create or upgrade) the store at `url`."""
    store = Store(make_engine(url, **kwargs))
    try:
        with store.engine.connect() as conn:
            with conn.begin():
                applied = migrate(conn)
            if applied and store.dialect == "sqlite":  # a table rebuild turned them off
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    except DatabaseError as exc:  # OperationalError, or a file that is not a database
        store.close()
        shown = make_url(url).render_as_string(hide_password=True)  # never echo a password
        raise StoreError(f"cannot open the database {shown!r}: {exc.orig}") from exc
    return store


def current_version(conn: Connection) -> int:
    """Newest applied migration (0 for an empty database)."""
    return max(applied_versions(conn), default=0)


def applied_versions(conn: Connection) -> set[int]:
    """Every migration recorded as applied in schema_migrations (empty for an empty database)."""
    if not inspect(conn).has_table("schema_migrations"):
        return set()
    return set(conn.execute(select(schema_migrations.c.version)).scalars().all())


#: Alembic's table of the newest revision applied.
VERSION_TABLE = "alembic_version"


def alembic_revision(conn: Connection) -> str | None:
    """The revision in Alembic's alembic_version (None: a new store, or one made before
    backcheck used Alembic)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars().all()
    if len(found) != 1:
        raise StoreError(f"{VERSION_TABLE} holds {len(found)} revisions, not one: {found}")
    return str(found[0])


def migrate(conn: Connection) -> list[int]:
    """Bring the store to the newest schema with Alembic, in the caller's transaction;
    returns the versions applied (empty when it was there already).

    A store made before backcheck used Alembic (versions in schema_migrations, no
    alembic_version) is first completed the old way (a version not recorded there but below
    the newest recorded one is applied) and stamped with its newest version; then every newer
    revision runs. Each applied version is also recorded in schema_migrations.

    On PostgreSQL an advisory lock, on SQLite the write lock (BEGIN IMMEDIATE), makes
    concurrent openers wait for one another.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
    elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # The driver runs DDL outside any transaction: without the write lock, commands opening
        # a new file at once each saw no schema and created the same tables (the loser failed).
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    known = max(migrations.MIGRATIONS)
    done = applied_versions(conn)
    stamped = alembic_revision(conn)
    newer = max(done, default=0) > known or (
        stamped is not None and stamped not in map(migrations.revision_of, migrations.MIGRATIONS)
    )
    if newer:
        at = f"revision {stamped}" if max(done, default=0) <= known else f"version {max(done)}"
        raise StoreError(
            f"the database is at schema {at}, newer than this backcheck knows ({known}): "
            "upgrade backcheck"
        )
    if stamped == migrations.revision_of(known):
        return []  # at the newest: Alembic (a slow import) is not needed
    if stamped is None and not done and not inspect(conn).get_table_names():
        return _create_new(conn)
    return _upgrade(conn, done=done, stamped=stamped)


def _create_new(conn: Connection) -> list[int]:
    """An empty database: the newest schema (store.schema, replayed from the migrations) is
    created at once (no table rebuilt), and it is stamped at the newest revision, every version
    recorded, as if each had run. The schema is the same as the migrations' (tested)."""
    steps = migrations.modules()
    schema.metadata.create_all(conn)
    head = migrations.revision_of(max(migrations.MIGRATIONS))
    conn.exec_driver_sql(
        f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL, "
        f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))"
    )
    conn.exec_driver_sql(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ('{head}')")
    return [_record(conn, steps, version) for version, _module in steps]


def _upgrade(conn: Connection, *, done: set[int], stamped: str | None) -> list[int]:
    """Run Alembic from `stamped` (or from the legacy versions `done`) to the newest revision."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext, MigrationInfo
    from alembic.script import ScriptDirectory

    where = str(migrations.LOCATION)
    script = ScriptDirectory(where, version_locations=[where])
    head = migrations.revision_of(max(migrations.MIGRATIONS))
    steps = migrations.modules()
    applied: list[int] = []

    def record(*, step: MigrationInfo, **_: Any) -> None:
        applied.append(_record(conn, steps, int(step.up_revision_id or 0)))

    context = MigrationContext.configure(
        conn,
        opts={
            "script": script,
            "fn": lambda heads, _context: script._upgrade_revs(head, heads),
            "on_version_apply": [record],
        },
    )
    meta = MetaData()  # each migration declares its change here, applied now or before
    start = int(stamped) if stamped is not None else max(done, default=0)
    try:
        with Operations.context(context):
            for version, module in steps:
                if version > start:
                    break
                if stamped is not None or version in done:
                    module.upgrade(meta, None)
                else:  # made before backcheck used Alembic, and this one was never applied
                    module.upgrade(meta, conn)
                    applied.append(_record(conn, steps, version))
            if stamped is None and start:
                context.stamp(script, migrations.revision_of(start))
            context.run_migrations(meta=meta, conn=conn)
    except SQLAlchemyError as exc:
        failed = min(set(migrations.MIGRATIONS) - done - set(applied), default=start + 1)
        name = dict(steps)[failed].NAME if failed in migrations.MIGRATIONS else "?"
        raise StoreError(f"migration {failed} ({name}) failed: {exc}") from exc
    return applied


def _record(conn: Connection, steps: list[tuple[int, ModuleType]], version: int) -> int:
    """Record `version` as applied in schema_migrations (as before Alembic); returns it."""
    name = dict(steps)[version].NAME
    conn.execute(
        schema_migrations.insert().values(version=version, name=name, applied_at=datetime.now(UTC))
    )
    return version
