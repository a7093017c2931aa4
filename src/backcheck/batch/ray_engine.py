"""The Ray engine: the same `worker.analyse_task`, run as Ray tasks (the `cluster` extra).

`address` None starts a local Ray instance on this machine (`workers` CPUs, default all) and
stops it afterwards; an address ("auto", "ray://head:10001", "head:6379") joins an existing
cluster, where every node needs backcheck installed and INPUT at the same path (docs/batch.md).
A Ray instance already started by the caller (`ray.init` before the batch) is used as it is.

At most `IN_FLIGHT_PER_CPU` tasks per cluster CPU are in flight, so the driver's memory stays
flat. Videos of an athlete folder (when `backcheck.video` can analyse them) are Ray tasks of
their own, each given `video_cpus()` CPUs so that one fits a node; the athlete's task waits
for their results (passed as object references). Landmarks CSVs are cheap and stay in the
athlete's task.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from backcheck.batch.inputs import AthleteTask
from backcheck.batch.media import VIDEO_SUFFIXES, analyse_one, video_api
from backcheck.batch.rows import error_row
from backcheck.batch.worker import analyse_task
from backcheck.errors import MissingExtraError, UsageError

IN_FLIGHT_PER_CPU = 4
VIDEO_CPUS = 4  # at most; MediaPipe pose uses a few threads


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MissingExtraError("cluster", "ray") from None
    return ray


def video_cpus(ray: Any) -> int:
    """CPUs given to one video task: VIDEO_CPUS, or fewer where the largest node has fewer."""
    biggest = max(
        (float(n.get("Resources", {}).get("CPU", 0)) for n in ray.nodes() if n.get("Alive")),
        default=1.0,
    )
    return max(1, min(VIDEO_CPUS, int(biggest)))


def _video_task(path: str, tz: str) -> dict[str, Any]:
    """A form check made on a Ray worker; errors come back as {"error": note}."""
    try:
        return analyse_one(path, tz=tz)
    except Exception as exc:  # one bad clip gives a note on the athlete's row
        return {"error": f"{Path(path).name}: form check failed ({exc})"}


def _videos_of(task: AthleteTask) -> list[str]:
    if task.kind != "folder":
        return []
    folder = Path(task.path)
    try:
        return sorted(
            str(p)
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES and not p.name.startswith(".")
        )
    except OSError:
        return []  # the athlete's task reports the unreadable folder


def _analyse_with_media(
    task: AthleteTask, tz: str, as_of: date | None, today: date | None, *media: dict[str, Any]
) -> dict[str, Any]:
    """`analyse_task` given the results of the athlete's video tasks (Ray resolves the
    references passed as arguments before this runs)."""
    return analyse_task(task, tz=tz, as_of=as_of, today=today, media=list(media))


def ray_results(
    tasks: Iterable[AthleteTask],
    *,
    tz: str,
    as_of: date | None,
    today: date | None = None,
    workers: int | None = None,
    address: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Result rows of `tasks` as they finish (any order), computed by Ray tasks; `as_of`
    and `today` as in worker.analyse_task."""
    ray = _ray()
    started = False
    if not ray.is_initialized():
        env = {"env_vars": {"POLARS_MAX_THREADS": "1"}}
        try:
            if address:
                ray.init(address=address, runtime_env=env, log_to_driver=False)
            else:
                ray.init(
                    num_cpus=workers,
                    include_dashboard=False,
                    runtime_env=env,
                    log_to_driver=False,
                )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            if address:
                raise UsageError("--address", f"cannot join the Ray cluster ({exc})") from None
            raise UsageError("--engine", f"cannot start a local Ray instance ({exc})") from None
        started = True
    try:
        yield from _run(ray, tasks, tz=tz, as_of=as_of, today=today)
    finally:
        if started:
            ray.shutdown()


def _run(
    ray: Any, tasks: Iterable[AthleteTask], *, tz: str, as_of: date | None, today: date | None
) -> Iterator[dict[str, Any]]:
    athlete_fn = ray.remote(num_cpus=1, max_retries=2)(analyse_task)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    limit = cpus * IN_FLIGHT_PER_CPU
    videos_on = video_api() is not None
    video_fn = ray.remote(num_cpus=video_cpus(ray), max_retries=1)(_video_task)
    with_media_fn = ray.remote(num_cpus=1, max_retries=2)(_analyse_with_media)
    source = iter(tasks)
    pending: dict[Any, AthleteTask] = {}
    while True:
        while len(pending) < limit:
            task = next(source, None)
            if task is None:
                break
            videos = _videos_of(task) if videos_on else []
            if videos:
                media = [video_fn.remote(v, tz) for v in videos]
                ref = with_media_fn.remote(task, tz, as_of, today, *media)
            else:
                ref = athlete_fn.remote(task, tz=tz, as_of=as_of, today=today)
            pending[ref] = task
        if not pending:
            return
        ready, _ = ray.wait(list(pending), num_returns=1)
        for ref in ready:
            task = pending.pop(ref)
            try:
                yield ray.get(ref)
            except Exception as exc:  # the task's worker died, or Ray lost it
                why = f"Ray task failed ({type(exc).__name__}: {str(exc).splitlines()[0]})"
                yield error_row(task.athlete, why, as_of=as_of)
