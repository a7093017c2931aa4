"""The per-athlete function every engine runs: one task in, one result row out, never raises.

It is a plain module-level function of picklable arguments, so a process pool and Ray run
the very same code (identical results whichever engine). Bad data - a file that cannot be
read, an empty folder, a bug met by one athlete's data - becomes that athlete's `error` row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from backcheck.batch.inputs import AthleteTask
from backcheck.batch.rows import error_row, result_row
from backcheck.errors import BackcheckError


def load_task(task: AthleteTask, *, tz: str, media: list[dict[str, Any]] | None = None) -> Any:
    """The AthleteInput of `task`. `media`: results of the folder's videos made elsewhere
    (Ray video tasks; {"error": note} for a failed one); None analyses them here."""
    from backcheck.batch.athlete import from_sets, read_folder
    from backcheck.batch.inputs import read_athlete_sets

    if task.kind == "parquet":
        return from_sets(task.athlete, read_athlete_sets(task.path, task.athlete), source=task.path)
    inp = read_folder(task.path, tz=tz, athlete=task.athlete, videos=media is None)
    if media is not None:
        inp.videos = sorted(
            [*inp.videos, *(m for m in media if "error" not in m)],
            key=lambda r: (r["recorded_on"], r["source_name"]),
        )
        inp.notes.extend(m["error"] for m in media if "error" in m)
    return inp


def analyse_task(
    task: AthleteTask,
    *,
    tz: str,
    as_of: date | None,
    today: date | None = None,
    media: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The output row of one athlete (batch.rows): their `why` analysis in time zone `tz`
    as of `as_of` (None: the day why.prepare_data chooses from `today`, as `backcheck why`
    does), or an error row saying why it could not be made. Never raises."""
    try:
        from backcheck.batch.athlete import prepare
        from backcheck.why import analyse

        inp = load_task(task, tz=tz, media=media)
        report = analyse(prepare(inp, tz=tz, as_of=as_of, today=today))
        return result_row(report, notes=[*inp.notes, *report.notes])
    except BackcheckError as exc:
        return error_row(task.athlete, exc.message, as_of=as_of)
    except Exception as exc:  # one athlete's failure never stops the batch
        return error_row(task.athlete, f"{type(exc).__name__}: {exc}", as_of=as_of)


def analyse_many(
    tasks: list[AthleteTask], *, tz: str, as_of: date | None, today: date | None = None
) -> list[dict[str, Any]]:
    """`analyse_task` of each task in turn (a chunk sent to one worker at once)."""
    return [analyse_task(t, tz=tz, as_of=as_of, today=today) for t in tasks]
