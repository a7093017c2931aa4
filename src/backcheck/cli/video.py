"""The `video` command: form check of one filmed set (or of a landmarks CSV), stored for `why`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import err, out, print_json, progress_bar
from backcheck.cli.options import parse_day
from backcheck.textsafe import literal

if TYPE_CHECKING:
    from backcheck.video.result import VideoResult

EXERCISE_HELP = "bench-press, push-up, row, overhead-press, or auto (recognised from the pose)."


def register(app: typer.Typer) -> None:
    """Attach the `video` command to the main app."""
    app.command("video")(video_cmd)


def parse_date(value: str | None) -> date | None:
    """--date as a date (see options.parse_day)."""
    return parse_day("--date", value)


@contextmanager
def pose_progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A Rich progress bar on stderr while frames are posed (only on a terminal)."""
    if not enabled:
        yield None
        return
    with progress_bar() as bar:
        task = bar.add_task("finding the pose", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def video_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="The video of one set (mp4, mov, webm, avi), or a landmarks CSV (MediaPipe "
            "names, normalised; or OpenPose COCO-18 in pixels with image_width and image_height "
            "columns).",
            show_default=False,
        ),
    ],
    exercise: Annotated[str, typer.Option("--exercise", "-e", help=EXERCISE_HELP)] = "auto",
    out_video: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write an annotated video (mp4): skeleton, rep counter, angle, faults.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the backcheck.video/1 JSON document.")
    ] = False,
    landmarks_out: Annotated[
        Path | None,
        typer.Option(
            "--landmarks-out",
            help="Write the pose landmarks as CSV (re-analyse it later without the video).",
            show_default=False,
        ),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date the set was filmed (YYYY-MM-DD; default: the video's creation time, "
            "else the file's date).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Form check from a video of one set: reps, angles, faults with their evidence grade, and
    camera advice. The result is stored for `why` (posture). Film from the side, whole body in
    frame."""
    from backcheck.formchecks import form_check, store_form_check
    from backcheck.video import analyse_video

    cfg = settings(ctx)
    given = parse_date(when)
    cfg.zone()
    with pose_progress(err.is_terminal and not as_json) as progress:
        result = analyse_video(
            path,
            exercise=exercise.strip().lower(),
            out=out_video,
            landmarks_out=landmarks_out,
            progress=progress,
        )
    check = form_check(path, result, tz=cfg.tz, given_day=given)
    with open_cli_store(cfg) as store:
        stored = store_form_check(store, athlete=cfg.athlete, check=check, create_athlete=True)
    day = check.recorded.day
    day_from = "--date" if check.recorded.source == "given" else check.recorded.source
    doc = check.result
    if as_json:
        print_json(
            {
                **doc,
                "athlete": cfg.athlete,
                "recorded_on": day.isoformat(),
                "recorded_on_from": day_from,
                "stored": stored,
                "outputs": result.outputs,
            }
        )
        return
    render(result, day=day, day_from=day_from, stored=stored)


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def render(result: VideoResult, *, day: date, day_from: str, stored: bool) -> None:
    """The form check as Rich tables on stdout."""
    from backcheck.report.numbers import plural
    from backcheck.video.exercise import METRICS

    doc = result.to_json()
    q = doc["quality"]
    out.print(
        f"[bold]{result.exercise}[/]{' (recognised)' if result.exercise_detected else ''}: "
        f"{plural(len(result.reps), 'rep')}, {result.view.view} view ({result.view.near_side} side nearer "
        f"the camera), {q['visible_fraction'] * 100:.0f}% of frames with a usable pose, "
        f"filmed {day} ({day_from})"
    )
    metrics = METRICS[result.exercise]
    table = Table(title="Reps")
    for col in ("rep", "time (s)", "confidence"):
        table.add_column(col, justify="right")
    for m in metrics:
        table.add_column(f"{m.name}\n({m.unit})", justify="right")
    table.add_column("faults")
    table.add_column("good frames", justify="right")
    for r in result.reps:
        table.add_row(
            str(r.index),
            f"{r.start_s:.1f}-{r.end_s:.1f}",
            f"{r.confidence:.2f}",
            *(_fmt(r.metrics[m.name].value) for m in metrics),
            ", ".join(f.replace("_", " ") for f in r.faults) or "-",
            f"{r.good_share * 100:.0f}%",
        )
    if result.reps:
        out.print(table)
    nulls = {k: v["null_reason"] for k, v in doc["metrics"].items() if v["null_reason"]}
    for name, why in nulls.items():
        out.print(literal(f"  {name}: not measured, {why}"))
    if result.faults:
        faults = Table(title="Faults")
        for col in ("fault", "reps", "severity", "grade", "what to do"):
            faults.add_column(col)
        for f in result.faults:
            faults.add_row(
                f["fault"].replace("_", " "),
                ", ".join(map(str, f["reps"])),
                f["severity"],
                f["grade"],
                f["cue"],
            )
        out.print(faults)
        for f in result.faults:
            label = "Technique note" if f["grade"] == "C" else "Form fault"
            out.print(literal(f"  {label}: {f['text']}"))
    elif result.reps:
        out.print("No fault found in these reps.")
    for f in result.faults_not_called:
        out.print(
            f"  {f['fault'].replace('_', ' ')}: seen in rep{'s' if len(f['reps']) > 1 else ''} "
            f"{', '.join(map(str, f['reps']))} only ({f['why']}): not called.",
            markup=False,
        )
    if q.get("verdict") == "film again":
        out.print("[bold red]Film again:[/] too few trustworthy frames to judge form.")
    for w in q["warnings"]:
        out.print(Text.assemble(("warning:", "yellow"), " ", literal(w)))
    for a in q["advice"]:
        out.print(Text.assemble(("camera:", "bold"), " ", literal(a)))
    for kind, where in result.outputs.items():
        out.print(literal(f"{kind} written to {where}"))
    out.print("stored for `backcheck why`" if stored else "already stored (same result)")
