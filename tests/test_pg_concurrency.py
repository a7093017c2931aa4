"""The PostgreSQL store under concurrent writers: several real OS processes import the same
file for the same athlete at the same moment; nothing is lost, nothing is stored twice, each
set is counted new exactly once and no process fails (INSERT ... ON CONFLICT DO NOTHING, the
migration advisory lock, store.workouts.lock_athlete)."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from backcheck.sim import Profile, simulate
from backcheck.sim.writers import write_strong_csv
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.schema import athletes, sessions, sets

TZ = "Europe/Berlin"
PROCESSES = 3


def strong_file(folder: Path) -> tuple[Path, int, int]:
    """A Strong export of a simulated year; its data rows and distinct workout starts,
    counted with the csv module."""
    sim = simulate(Profile(name="c", weeks=20, days_per_week=5, seed=11, volume=1.5))
    path = write_strong_csv(sim.sets, folder / "strong.csv", tz=TZ)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return path, len(rows), len({r["Date"] for r in rows})


def counts(url: str) -> tuple[int, int, int]:
    store = open_store(url)
    try:
        with store.transaction() as conn:
            return (
                conn.execute(select(func.count()).select_from(athletes)).scalar_one(),
                conn.execute(select(func.count()).select_from(sessions)).scalar_one(),
                conn.execute(select(func.count()).select_from(sets)).scalar_one(),
            )
    finally:
        store.close()


def import_at_once(
    url: str, path: str, barrier: Any, results: Any
) -> None:  # runs in a spawned process
    from backcheck.imports import import_files
    from backcheck.settings import zone_from_name

    store = open_store(url)
    try:
        barrier.wait(timeout=60)  # every process has its store open: go together
        start = time.time()
        summary = import_files(store, athlete="club", paths=[path], tz=zone_from_name(TZ))
        results.put((os.getpid(), start, time.time(), summary.new_sets, summary.already_there))
    except BaseException as exc:
        results.put((os.getpid(), None, None, repr(exc), None))
        raise
    finally:
        store.close()


def test_spawned_processes_import_the_same_file_at_once(db_url: str, tmp_path: Path) -> None:
    """The athlete exists already, so nothing but the sets themselves orders the writers
    (PostgreSQL, and an SQLite file for comparison)."""
    path, rows, workouts = strong_file(tmp_path)
    store = open_store(db_url)
    with store.transaction() as conn:
        athlete_id(conn, "club", create=True)
    store.close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=import_at_once, args=(db_url, str(path), barrier, results))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * PROCESSES, got
    assert all(start is not None for _, start, _, _, _ in got), got
    # the imports really ran at the same time: every one started before any had finished
    assert max(start for _, start, _, _, _ in got) < min(end for _, _, end, _, _ in got)
    assert counts(db_url) == (1, workouts, rows)
    # each set is counted new by exactly one import, already there by all the others
    assert sorted(new for *_, new, _ in got) == [0] * (PROCESSES - 1) + [rows]
    assert sum(there for *_, there in got) == rows * (PROCESSES - 1)


@pytest.mark.postgres
def test_cli_imports_into_a_new_database_at_once(pg_url: str, tmp_path: Path) -> None:
    """`backcheck import` processes started together on an empty database: they also race
    to create the schema (migrations wait on an advisory lock)."""
    path, rows, workouts = strong_file(tmp_path)
    cmd = [str(Path(sys.executable).parent / "backcheck"), "import", str(path), "--json"]
    env = {
        **os.environ,
        "BACKCHECK_DB": pg_url,
        "BACKCHECK_ATHLETE": "club",
        "BACKCHECK_TZ": TZ,
    }
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * PROCESSES, [e for _, e in outs]
    docs = [json.loads(o) for o, _ in outs]
    assert sorted(d["new_sets"] for d in docs) == [0] * (PROCESSES - 1) + [rows]
    assert counts(pg_url) == (1, workouts, rows)


def open_at_once(url: str, barrier: Any, results: Any) -> None:  # runs in a spawned process
    try:
        barrier.wait(timeout=60)  # every process is ready: open the new file together
        open_store(url).close()
        results.put(None)
    except BaseException as exc:
        results.put(repr(exc))
        raise


def test_processes_create_a_new_sqlite_file_at_once(tmp_path: Path) -> None:
    """Four processes open one new SQLite file at the same moment: the schema is created
    once (the migration takes the write lock; the driver would run each CREATE on its own,
    and the losers failed on "table schema_migrations already exists")."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=open_at_once, args=(url, barrier, results)) for _ in range(4)]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert got == [None] * 4 and [p.exitcode for p in procs] == [0] * 4, got
    assert counts(url) == (0, 0, 0)


def test_cli_imports_into_a_new_sqlite_file_at_once(tmp_path: Path) -> None:
    """Four `backcheck import` processes on one new SQLite file: the schema is created once
    (the migration takes the write lock; the driver would run each CREATE on its own), no
    process fails, each set is counted new once."""
    path, rows, workouts = strong_file(tmp_path)
    url = f"sqlite:///{tmp_path / 'new.db'}"
    cmd = [str(Path(sys.executable).parent / "backcheck"), "import", str(path), "--json"]
    env = {**os.environ, "BACKCHECK_DB": url, "BACKCHECK_ATHLETE": "club", "BACKCHECK_TZ": TZ}
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e for _, e in outs]
    docs = [json.loads(o) for o, _ in outs]
    assert sorted(d["new_sets"] for d in docs) == [0, 0, 0, rows]
    assert counts(url) == (1, workouts, rows)
