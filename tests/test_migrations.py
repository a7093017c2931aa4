"""Migrations on Alembic: stores made before backcheck used Alembic open without re-running
anything and are stamped; older ones upgrade from where they are; a new store's schema is the
one the hand-written runner made (tests/data/stores, made by that runner)."""

from __future__ import annotations

import multiprocessing
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect

from backcheck.errors import StoreError
from backcheck.store import migrations, open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.engine import alembic_revision, make_engine, migrate
from backcheck.store.schema import metadata

STORES = Path(__file__).parent / "data" / "stores"
HEAD = migrations.revision_of(max(migrations.MIGRATIONS))


def old_store(name: str, tmp_path: Path) -> Path:
    """A copy of a store made by the runner from before Alembic."""
    path = tmp_path / name
    shutil.copyfile(STORES / name, path)
    return path


CONSTRAINT = re.compile(r"(FOREIGN KEY|UNIQUE|PRIMARY KEY|CONSTRAINT|CHECK)\b")


def normalised(sql: str) -> str:
    """`sql` with its white space normalised and, in a CREATE TABLE, the table constraints
    after the columns in sorted order: Alembic's batch mode writes them in an arbitrary order
    (the same constraints; the columns keep theirs). A table name quoted by a rebuild
    (`CREATE TABLE "sets"`) is the same name unquoted, as a new store writes it."""
    sql = re.sub(r'^CREATE TABLE "(\w+)"', r"CREATE TABLE \1", " ".join(sql.split()))
    head, paren, body = sql.partition("(")
    if not head.startswith("CREATE TABLE") or not body.endswith(")"):
        return sql
    items, depth, start = [], 0, 0
    for at, char in enumerate(body[:-1]):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(body[start:at].strip())
            start = at + 1
    items.append(body[start:-1].strip())
    columns = [i for i in items if not CONSTRAINT.match(i)]
    constraints = sorted(i for i in items if CONSTRAINT.match(i))
    return head + paren + ", ".join(columns + constraints) + ")"


def schema_sql(path: Path) -> dict[tuple[str, str], str]:
    """sqlite_master of `path`, each statement normalised."""
    db = sqlite3.connect(path)
    try:
        found = db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        ).fetchall()
    finally:
        db.close()
    return {(kind, name): normalised(sql) for kind, name, sql in found}


def reference_schema() -> dict[tuple[str, str], str]:
    """schema-v6.sql: a new store's sqlite_master as the runner before Alembic made it."""
    text = (STORES / "schema-v6.sql").read_text()
    parts = re.split(r"^-- (\w+) (\w+)\n", text, flags=re.M)[1:]
    return {
        (kind, name): normalised(sql.strip().removesuffix(";"))
        for kind, name, sql in zip(parts[::3], parts[1::3], parts[2::3], strict=True)
    }


def recorded(path: Path) -> list[tuple[int, str, str]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY 1"
        ).fetchall()
    finally:
        db.close()


def migrate_once(url: str) -> list[int]:
    """What one open applies (store.engine.migrate in its own transaction)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            return migrate(conn)
    finally:
        engine.dispose()


def test_new_store_has_the_schema_the_old_runner_made(tmp_path: Path) -> None:
    """Every table and index as the hand-written runner made them (m0003's rebuild now done
    by Alembic's batch mode), plus Alembic's alembic_version."""
    assert "FOREIGN KEY" in reference_schema()[("table", "sets")]
    db = tmp_path / "new.db"
    assert migrate_once(f"sqlite:///{db}") == sorted(migrations.MIGRATIONS)
    got = schema_sql(db)
    version_table = got.pop(("table", "alembic_version"))
    assert got == reference_schema()
    assert "version_num" in version_table
    assert [v for v, _, _ in recorded(db)] == sorted(migrations.MIGRATIONS)


def test_store_made_before_alembic_is_stamped_and_nothing_runs(tmp_path: Path) -> None:
    """v6.db (schema_migrations 1-6, no alembic_version) opens: stamped at the newest
    revision, no migration run again (the recorded times stay), every row kept."""
    db = old_store("v6.db", tmp_path)
    before_schema, before_recorded = schema_sql(db), recorded(db)
    assert ("table", "alembic_version") not in before_schema
    assert migrate_once(f"sqlite:///{db}") == []
    after = schema_sql(db)
    assert after.pop(("table", "alembic_version"))
    assert after == before_schema
    assert recorded(db) == before_recorded
    store = open_store(f"sqlite:///{db}")
    try:
        with store.transaction() as conn:
            assert alembic_revision(conn) == HEAD
            assert conn.exec_driver_sql("SELECT count(*) FROM sets").scalar() == 2
            assert conn.exec_driver_sql("SELECT level FROM pain").scalar() == 4
            assert athlete_id(conn, "me") == 2
            assert athlete_id(conn, "new", create=True) == 3  # 1 (deleted) never again
    finally:
        store.close()


def test_store_at_version_3_is_upgraded_from_there(tmp_path: Path) -> None:
    """v3.db (made by a backcheck that knew migrations 1-3) gets 4, 5 and 6 only, and ends
    with the schema of a new store."""
    db = old_store("v3.db", tmp_path)
    first = recorded(db)
    assert [v for v, _, _ in first] == [1, 2, 3]
    assert migrate_once(f"sqlite:///{db}") == [4, 5, 6]
    assert recorded(db)[:3] == first
    assert [v for v, _, _ in recorded(db)] == sorted(migrations.MIGRATIONS)
    got = schema_sql(db)
    got.pop(("table", "alembic_version"))
    assert got == reference_schema()
    assert migrate_once(f"sqlite:///{db}") == []  # and the next open has nothing to do
    store = open_store(f"sqlite:///{db}")
    try:
        with store.transaction() as conn:
            assert alembic_revision(conn) == HEAD
            assert conn.exec_driver_sql("SELECT count(*) FROM sets").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()


#: The tables each migration after 3 creates.
CREATED = {4: "exercise_map", 5: "sign_in_attempts", 6: "saved_plans"}


@pytest.mark.parametrize("kept", [3, 6])
def test_old_store_is_upgraded_on_both_databases(db_url: str, kept: int) -> None:
    """A store as the runner before Alembic left it at version `kept` (no alembic_version, no
    tables of later versions), on SQLite and PostgreSQL: the later ones are applied (none for
    6), in one transaction, and it is stamped."""
    open_store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        for version, table in CREATED.items():
            if version > kept:
                conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql(f"DELETE FROM schema_migrations WHERE version > {kept}")
        before = conn.exec_driver_sql("SELECT * FROM schema_migrations ORDER BY 1").all()
    assert migrate_once(db_url) == [v for v in sorted(migrations.MIGRATIONS) if v > kept]
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {*metadata.tables, "alembic_version"}
        assert alembic_revision(conn) == HEAD
        after = conn.exec_driver_sql("SELECT * FROM schema_migrations ORDER BY 1").all()
        assert after[:kept] == before
        assert [v for v, *_ in after] == sorted(migrations.MIGRATIONS)
    engine.dispose()


def test_a_version_missing_below_the_newest_is_applied(tmp_path: Path) -> None:
    """As the runner before Alembic did: a store recording 1-3, 5 and 6 but not 4 gets 4."""
    db = old_store("v6.db", tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE exercise_map")
        conn.execute("DELETE FROM schema_migrations WHERE version = 4")
    conn.close()
    assert migrate_once(f"sqlite:///{db}") == [4]
    assert [v for v, _, _ in recorded(db)] == sorted(migrations.MIGRATIONS)
    got = schema_sql(db)
    got.pop(("table", "alembic_version"))
    assert got == reference_schema()


def test_newer_alembic_revision_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    open_store(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.close()
    with pytest.raises(StoreError, match="newer than this backcheck knows"):
        open_store(f"sqlite:///{db}")


def test_revisions_form_one_line_in_version_order() -> None:
    """Alembic's view of the revision files agrees with MIGRATIONS: one head, each revision
    after the one before, named by its version."""
    from alembic.script import ScriptDirectory

    where = str(migrations.LOCATION)
    script = ScriptDirectory(where, version_locations=[where])
    assert script.get_heads() == [HEAD]
    walked = [rev.revision for rev in script.walk_revisions("base", "heads")][::-1]
    assert walked == [migrations.revision_of(v) for v in sorted(migrations.MIGRATIONS)]
    assert sorted(migrations.MIGRATIONS) == list(range(1, len(migrations.MIGRATIONS) + 1))
    for version, module in migrations.modules():
        assert module.revision == migrations.revision_of(version)
        assert module.down_revision == (
            migrations.revision_of(version - 1) if version > 1 else None
        )


def test_normalised_keeps_column_order_and_sorts_constraints() -> None:
    a = 'CREATE TABLE "t" (\n\tid INTEGER NOT NULL, x NUMERIC(5, 2), UNIQUE (x), FOREIGN KEY(id) REFERENCES u (id)\n)'
    b = 'CREATE TABLE "t" ( id INTEGER NOT NULL, x NUMERIC(5, 2), FOREIGN KEY(id) REFERENCES u (id), UNIQUE (x) )'
    swapped = 'CREATE TABLE "t" (x NUMERIC(5, 2), id INTEGER NOT NULL, UNIQUE (x), FOREIGN KEY(id) REFERENCES u (id))'
    assert normalised(a) == normalised(b)
    assert normalised(a) != normalised(swapped)


def test_a_failed_upgrade_changes_nothing(tmp_path: Path) -> None:
    """Upgrading v3.db, migration 6 fails (its table is in the way): 4 and 5 are rolled back
    with it, nothing is stamped, and the message names the migration."""
    db = old_store("v3.db", tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE saved_plans (id INTEGER PRIMARY KEY)")
    conn.close()
    before = schema_sql(db)
    with pytest.raises(StoreError, match=r"migration 6 \(saved_plans\) failed"):
        migrate_once(f"sqlite:///{db}")
    assert schema_sql(db) == before
    assert [v for v, _, _ in recorded(db)] == [1, 2, 3]


def open_at_once(url: str, barrier: Any, results: Any) -> None:  # runs in a spawned process
    try:
        barrier.wait(timeout=60)
        open_store(url).close()
        results.put(None)
    except BaseException as exc:
        results.put(repr(exc))
        raise


@pytest.mark.parametrize("name", ["v3.db", "v6.db"])
def test_processes_open_an_old_store_at_once(name: str, tmp_path: Path) -> None:
    """Four processes open a store made before Alembic at the same moment: one upgrades and
    stamps it, the others wait and find it done; every version recorded once."""
    db = old_store(name, tmp_path)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    url = f"sqlite:///{db}"
    procs = [ctx.Process(target=open_at_once, args=(url, barrier, results)) for _ in range(4)]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert got == [None] * 4 and [p.exitcode for p in procs] == [0] * 4, got
    assert [v for v, _, _ in recorded(db)] == sorted(migrations.MIGRATIONS)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    conn.close()


def test_opening_a_store_at_the_newest_revision_leaves_alembic_unimported(
    tmp_path: Path,
) -> None:
    """Alembic is imported only when there is something to upgrade (it is slow to import):
    not for a store at the newest revision, and not for a new one (created at once)."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code = (
        "import sys; from backcheck.store import open_store; "
        f"open_store({url!r}).close(); print('alembic' in sys.modules)"
    )
    for _ in ("new", "at the newest"):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "False"
    assert schema_sql(tmp_path / "new.db")[("table", "alembic_version")]
