"""Shared fixtures: test data index, a store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from glob import glob
from pathlib import Path

import pytest

from testdata import DATA


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _no_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A developer's own ~/.config/backcheck/config.toml must not change any test (CLI
    subprocesses inherit the variable too)."""
    monkeypatch.setenv("BACKCHECK_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A real PostgreSQL server on a free loopback port for this test session.

    Yields a SQLAlchemy URL of its maintenance database. Skips (with the reason) where the
    Debian package is not installed: scripts/system-deps.sh installs it.
    """
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server not installed (scripts/system-deps.sh installs Debian's postgresql)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed (the 'postgres' extra)")
    root = Path(tempfile.mkdtemp(prefix="backcheck-pg-"))
    datadir, sockdir = root / "data", root / "sock"
    sockdir.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root: use Debian's postgres user
        pw = pwd.getpwnam("postgres")
        for p in (root, sockdir):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = root / "server.log"
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(
        str(bindir / "initdb"),
        "-D",
        str(datadir),
        "-A",
        "trust",
        "-U",
        "backcheck",
        "-E",
        "UTF8",
        "--no-sync",
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(datadir),
        "-l",
        str(log),
        "-w",
        "start",
        "-o",
        f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=100",
    )
    try:
        yield f"postgresql+psycopg://backcheck@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against an SQLite file and against a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'backcheck.db'}"
    return str(request.getfixturevalue("pg_url"))
