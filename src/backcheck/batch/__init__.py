"""`why` for many athletes: the core call behind `backcheck batch`.

    summary = run_batch("athletes/", out="results.parquet", tz="Europe/Berlin")

INPUT is a folder of athlete folders or a Parquet data set of canonical sets (batch.inputs);
the output is one Parquet file with a row per athlete (batch.rows, docs/interface.md). The engine
is a local process pool (batch.local) or Ray (batch.ray_engine); both run the same
per-athlete function (batch.worker), so the output is the same whichever runs it. One bad
athlete gives an error row and never stops the batch; results are written as they arrive
(batch.output) so a killed run can go on with `resume=True`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from backcheck.errors import UsageError

ENGINES = ("local", "ray")

#: progress(done, total, errors): athletes finished this run, to do this run, error rows.
Progress = Callable[[int, int, int], None]


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did. `total`: athletes in INPUT; `skipped`: already in the output
    (resume); `analysed`: rows written this run, `errors` of them error rows."""

    out: Path
    engine: str
    as_of: date | None  # None: each athlete's own analysis day (why.prepare_data)
    today: date | None = None
    total: int = 0
    skipped: int = 0
    analysed: int = 0
    errors: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        """Athletes analysed per second of wall-clock time this run."""
        return self.analysed / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "engine": self.engine,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "today": None if self.today is None else self.today.isoformat(),
            "total": self.total,
            "skipped": self.skipped,
            "analysed": self.analysed,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "athletes_per_second": round(self.per_second, 2),
            "notes": list(self.notes),
        }


def _check(engine: str, address: str | None, workers: int | None) -> None:
    if engine not in ENGINES:
        raise UsageError("--engine", f"must be local or ray, not {engine!r}")
    if address and engine != "ray":
        raise UsageError("--address", "is for --engine ray (the address of a Ray cluster)")
    if workers is not None and workers < 1:
        raise UsageError("--workers", f"must be 1 or more, not {workers}")


def run_batch(
    input: str | Path,
    *,
    out: str | Path,
    engine: str = "local",
    address: str | None = None,
    workers: int | None = None,
    resume: bool = False,
    tz: str,
    as_of: date | None = None,
    progress: Progress | None = None,
    flush_every: int | None = None,
) -> BatchSummary:
    """Analyse every athlete of `input` into the Parquet file `out`.

    engine: "local" (process pool, `workers` processes, default every core) or "ray" (a
    local Ray instance with `workers` CPUs, or the cluster at `address`); resume: skip the
    athletes already in `out` (or in the parts a killed run left); tz: IANA zone of the
    athletes' local times and days; as_of: the day analysed, the same for every athlete
    (default: each athlete's own analysis day, today or the end of a log that ended more
    than 14 days ago, exactly as `backcheck why` chooses it; "today" is read once, in
    `tz`, for the whole run); flush_every: rows per part file (default output.FLUSH_EVERY).
    """
    from backcheck.batch.inputs import open_input
    from backcheck.batch.output import FLUSH_EVERY, ResultWriter
    from backcheck.clock import local_today
    from backcheck.settings import zone_from_name

    _check(engine, address, workers)
    zone_from_name(tz)
    today = local_today(tz)
    source = open_input(input)
    summary = BatchSummary(
        out=Path(out), engine=engine, as_of=as_of, today=today, notes=list(source.notes)
    )
    summary.total = len(source.athletes)
    started = time.perf_counter()
    with ResultWriter(out, resume=resume, flush_every=flush_every or FLUSH_EVERY) as writer:
        todo = [a for a in source.athletes if a not in writer.done]
        summary.skipped = summary.total - len(todo)
        if progress:
            progress(0, len(todo), 0)
        rows = _results(source.tasks(writer.done), engine, tz, as_of, today, workers, address)
        for row in rows:
            writer.add(row)
            summary.analysed += 1
            summary.errors += row["error"] is not None
            if progress:
                progress(summary.analysed, len(todo), summary.errors)
    summary.seconds = time.perf_counter() - started
    return summary


def _results(
    tasks: Iterator[Any],
    engine: str,
    tz: str,
    as_of: date | None,
    today: date,
    workers: int | None,
    address: str | None,
) -> Iterator[dict[str, Any]]:
    if engine == "ray":
        from backcheck.batch.ray_engine import ray_results

        return ray_results(tasks, tz=tz, as_of=as_of, today=today, workers=workers, address=address)
    from backcheck.batch.local import local_results

    return local_results(tasks, tz=tz, as_of=as_of, today=today, workers=workers)


__all__ = ["ENGINES", "BatchSummary", "Progress", "run_batch"]
