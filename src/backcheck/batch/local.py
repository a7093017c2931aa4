"""The local engine: `worker.analyse_task` in a process pool over this machine's cores.

At most `IN_FLIGHT_PER_WORKER` tasks per worker are submitted at a time, so memory holds a
few athletes per core whatever the size of the batch. Workers are started with `spawn` (no
fork of a multi-threaded parent) and run Polars on one thread each (the pool is the
parallelism). A worker that dies (killed for memory, a crash in native code) breaks the pool:
it is rebuilt and the athletes that were in flight are tried once more; an athlete in flight
at two such deaths gets an error row.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import date
from typing import Any

from backcheck.batch.inputs import AthleteTask
from backcheck.batch.rows import error_row
from backcheck.batch.worker import analyse_task

IN_FLIGHT_PER_WORKER = 4
MAX_TRIES = 2
DIED = "the worker process died while analysing this athlete (out of memory or a crash)"


def default_workers() -> int:
    """Cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def _single_threaded_polars() -> Iterator[None]:
    """POLARS_MAX_THREADS=1 for processes started inside (the parent's Polars is unaffected:
    it read the variable when it was imported)."""
    before = os.environ.get("POLARS_MAX_THREADS")
    if before is None:
        os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("POLARS_MAX_THREADS", None)


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def local_results(
    tasks: Iterable[AthleteTask],
    *,
    tz: str,
    as_of: date | None,
    today: date | None = None,
    workers: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Result rows of `tasks` as they finish (any order), from `workers` processes
    (default: every core); `as_of` and `today` as in worker.analyse_task."""
    n = workers or default_workers()
    limit = n * IN_FLIGHT_PER_WORKER
    source = iter(tasks)
    tries: dict[str, int] = {}
    retry: list[AthleteTask] = []
    with _single_threaded_polars():
        pool = _pool(n)
        pending: dict[Future[dict[str, Any]], AthleteTask] = {}
        try:
            while True:
                while len(pending) < limit:
                    task = retry.pop() if retry else next(source, None)
                    if task is None:
                        break
                    pending[pool.submit(analyse_task, task, tz=tz, as_of=as_of, today=today)] = task
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    task = pending.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        retry.append(task)
                    except Exception as exc:  # a row that could not be sent back
                        yield error_row(task.athlete, f"{type(exc).__name__}: {exc}", as_of=as_of)
                if broken:
                    # every task still pending was lost with the pool
                    retry.extend(pending.values())
                    pending.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(n)
                    for task in list(retry):
                        tries[task.athlete] = tries.get(task.athlete, 0) + 1
                        if tries[task.athlete] >= MAX_TRIES:
                            retry.remove(task)
                            yield error_row(task.athlete, DIED, as_of=as_of)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
