"""The store keeps health data private on a shared machine (docs/security.md): a new SQLite file
and the folder made for it are the owner's only, and an error never echoes a database password."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from backcheck.errors import StoreError
from backcheck.store import open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_store_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new folder" / "backcheck.db"
    store = open_store(f"sqlite:///{path}")
    try:
        with store.transaction() as conn:
            conn.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or mode(wal) == 0o600
    finally:
        store.close()


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    open_store(f"sqlite:///{path}").close()
    assert mode(path) == 0o640


def test_a_failed_connection_does_not_show_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://ann:s3cret-pass@127.0.0.1:1/backcheck")
    assert "s3cret-pass" not in caught.value.message and "ann:***@" in caught.value.message
