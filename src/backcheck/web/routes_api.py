"""REST API per athlete (docs/interface.md): imports, pain, recovery, triage, why, videos, plan,
exercise-map.

Thin routes: parse, make one call in web.services (the core calls), return JSON. Uploads go
to the background worker and answer 202 with the job (`Location: /api/jobs/{id}`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from backcheck.errors import UsageError
from backcheck.model import IMPORT_FORMATS, PAIN_REGIONS
from backcheck.store.webstore import Access
from backcheck.web import services
from backcheck.web.deps import (
    API_SIGNED_IN,
    ApiAthlete,
    ApiOwner,
    ApiUser,
    AppState,
    State,
    User,
)
from backcheck.web.problems import not_found
from backcheck.web.schemas import (
    ERROR_RESPONSES,
    UPLOAD_RESPONSES,
    ExerciseMapIn,
    PainIn,
    RecoveryIn,
    multipart,
)
from backcheck.web.tasks import annotated_path
from backcheck.web.uploads import receive_form

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES, dependencies=API_SIGNED_IN)


AS_OF_HELP = (
    "Analyse as on this date (default: today, or the last logged day when the log ended "
    "more than 14 days ago)."
)
#: The `as_of` query parameter of the analyses.
AsOf = Annotated[date | None, Query(description=AS_OF_HELP)]


def check_day(value: date | None, name: str) -> date | None:
    """A date within 1900-2199 (UsageError names the parameter)."""
    if value is not None and not 1900 <= value.year < 2200:
        raise UsageError(name, f"{value} is out of range (years 1900-2199)")
    return value


async def _queue(
    request: Request,
    state: AppState,
    user: User,
    who: Access,
    *,
    kind: str,
    limit: int,
    options: dict[str, Any] | None = None,
) -> JSONResponse:
    form = await receive_form(request, folder=services.upload_folder(state), limit=limit)
    try:
        opts = {k: form.value(k) for k in (options or {})}
        for key, check in (options or {}).items():
            opts[key] = check(opts[key])
    except BaseException:
        form.discard()
        raise
    job_id = await run_in_threadpool(
        services.queue_upload, state, user, who, form, kind=kind, options=opts
    )
    job = await run_in_threadpool(services.job_for, state, user, job_id)
    return JSONResponse(
        {"job": services.job_doc(job, athlete=who.athlete)},
        status_code=202,
        headers={"Location": f"/api/jobs/{job_id}"},
    )


def _choice(name: str, allowed: tuple[str, ...], default: str | None) -> Any:
    def check(value: str | None) -> str | None:
        value = (value or default or "").strip().lower() or None
        if value is not None and value not in allowed:
            raise UsageError(name, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return check


def _flag(name: str) -> Any:
    """A yes/no form field: true/1/yes/on or false/0/no/off/blank (UsageError otherwise)."""

    def check(value: str | None) -> bool:
        text = (value or "").strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("", "false", "0", "no", "off"):
            return False
        raise UsageError(name, f"{value!r} is not true or false")

    return check


def _day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return check_day(date.fromisoformat(value), "recorded_on").isoformat()  # type: ignore[union-attr]
    except ValueError:
        raise UsageError("recorded_on", f"not a date (YYYY-MM-DD): {value!r}") from None


@router.get("/athletes", tags=["athletes"], summary="Athletes you may see")
def list_athletes(state: State, user: ApiUser) -> dict[str, Any]:
    """Your own athlete and those who invited you as their coach."""
    return {"athletes": [services.athlete_doc(a) for a in services.visible(state, user)]}


@router.get("/athletes/{athlete}", tags=["athletes"], summary="One athlete")
def get_athlete(state: State, who: ApiAthlete) -> dict[str, Any]:
    """Counts of what is stored; the owner also sees their coaches."""
    return services.athlete_detail(state, who)


@router.delete("/athletes/{athlete}", tags=["athletes"], summary="Delete an athlete")
def delete_athlete(state: State, who: ApiOwner) -> dict[str, Any]:
    """Deletes the athlete with every entry, upload and cached report (as `backcheck athletes
    delete`); 409 while one of their uploads is still being processed. Cannot be undone."""
    return {"deleted": services.delete_athlete(state, who)}


@router.get("/athletes/{athlete}/imports", tags=["import"], summary="Imported files")
def list_imports(state: State, who: ApiAthlete) -> dict[str, Any]:
    """Every imported file, newest first: id (for DELETE), format, unit, rows, sets kept and
    new, skipped rows with reasons."""
    return {"imports": services.import_log(state, who)}


@router.delete(
    "/athletes/{athlete}/imports/{import_id}",
    tags=["import"],
    summary="Undo an import",
)
def delete_import(state: State, import_id: int, who: ApiOwner) -> dict[str, Any]:
    """Deletes the import's sets that no other import holds, and the sessions left empty (as
    `backcheck imports delete ID`); import the file again to have them back."""
    return {"deleted": services.delete_import(state, who, import_id)}


@router.post(
    "/athletes/{athlete}/imports",
    tags=["import"],
    status_code=202,
    responses=UPLOAD_RESPONSES,
    summary="Import workout exports",
    openapi_extra=multipart(
        "Strong, Hevy, FitNotes, Fitbod CSV exports or Garmin .fit files",
        format={"type": "string", "enum": ["auto", *IMPORT_FORMATS]},
        unit={"type": "string", "enum": ["kg", "lb"]},
        strict={"type": "boolean", "description": "refuse a file with any unreadable row"},
    ),
)
async def post_imports(
    request: Request, state: State, user: ApiUser, who: ApiOwner
) -> JSONResponse:
    """Queue an import of one or more exports; the job's result is the `import --json`
    summary (new sessions and sets, skipped rows with their line and reason)."""
    return await _queue(
        request,
        state,
        user,
        who,
        kind="import",
        limit=state.settings.max_upload_bytes,
        options={
            "format": _choice("format", ("auto", *IMPORT_FORMATS), "auto"),
            "unit": _choice("unit", ("kg", "lb"), None),
            "strict": _flag("strict"),
        },
    )


@router.get("/athletes/{athlete}/pain", tags=["pain"], summary="The pain diary")
def list_pain(state: State, who: ApiAthlete) -> dict[str, Any]:
    """Every entry, newest first (`at` in UTC, `day` in the athlete's time zone)."""
    return {"entries": services.pain_entries(state, who)}


@router.post(
    "/athletes/{athlete}/pain",
    tags=["pain"],
    status_code=201,
    summary="Log pain",
    description="One diary entry (as `backcheck pain log`); `new` is false when it was already "
    f"stored. Regions: {', '.join(PAIN_REGIONS)}.",
)
def post_pain(state: State, entry: PainIn, who: ApiOwner) -> dict[str, Any]:
    new = services.log_pain(
        state,
        who,
        day=entry.date,
        level=entry.level,
        region=entry.region,
        note=entry.note,
    )
    return {"new": new}


@router.delete("/athletes/{athlete}/pain/{day}", tags=["pain"], summary="Delete a day's entries")
def delete_pain(state: State, day: str, who: ApiOwner) -> dict[str, Any]:
    """Deletes every diary entry of that day (YYYY-MM-DD, the athlete's time zone), as
    `backcheck pain delete DATE`; 404 when the day has none."""
    return {"deleted": services.delete_pain_day(state, who, day)}


@router.post(
    "/athletes/{athlete}/pain/files",
    tags=["pain"],
    status_code=202,
    responses=UPLOAD_RESPONSES,
    summary="Import pain diary CSVs",
    openapi_extra=multipart("date,level,region,note CSV files"),
)
async def post_pain_files(
    request: Request, state: State, user: ApiUser, who: ApiOwner
) -> JSONResponse:
    """Queue an import of pain diary CSVs (as `backcheck pain import`)."""
    return await _queue(
        request, state, user, who, kind="pain", limit=state.settings.max_upload_bytes
    )


@router.get("/athletes/{athlete}/recovery", tags=["recovery"], summary="Sleep and recovery")
def list_recovery(state: State, who: ApiAthlete) -> dict[str, Any]:
    """Every entry, newest first (sleep in hours, the rest in minutes)."""
    return {"entries": services.recovery_entries(state, who)}


@router.post(
    "/athletes/{athlete}/recovery",
    tags=["recovery"],
    status_code=201,
    summary="Log sleep or recovery",
)
def post_recovery(state: State, entry: RecoveryIn, who: ApiOwner) -> dict[str, Any]:
    """One entry, read exactly as a row of a recovery CSV; `new` counts stored entries."""
    rows: list[tuple[str, str, str]] = [(entry.date, entry.kind, f"{entry.value:g}")]
    return {"new": services.log_recovery(state, who, rows=rows)}


@router.post(
    "/athletes/{athlete}/recovery/files",
    tags=["recovery"],
    status_code=202,
    responses=UPLOAD_RESPONSES,
    summary="Import recovery logs",
    openapi_extra=multipart("date,kind,value CSV, or Apple Health export.xml / export.zip"),
)
async def post_recovery_files(
    request: Request, state: State, user: ApiUser, who: ApiOwner
) -> JSONResponse:
    """Queue an import of recovery CSVs or an Apple Health export (as `backcheck recovery import`)."""
    return await _queue(
        request, state, user, who, kind="recovery", limit=state.settings.max_upload_bytes
    )


@router.get("/athletes/{athlete}/triage", tags=["triage"], summary="Red-flag questions")
def get_triage(state: State, who: ApiAthlete) -> dict[str, Any]:
    """The questions (key, text, level) and the latest stored answers."""
    return services.triage_state(state, who)


@router.post("/athletes/{athlete}/triage", tags=["triage"], summary="Answer red-flag questions")
def post_triage(
    state: State,
    answers: Annotated[
        dict[str, bool | None],
        Body(
            examples=[{"chest_pain": False, "breathless": False}],
            description="Answers keyed as the questions; a missing key means not asked.",
        ),
    ],
    who: ApiOwner,
) -> dict[str, Any]:
    """Store the answers and assess them with the diary: level, reasons, actions."""
    return services.record_triage(state, who, answers)


@router.get("/athletes/{athlete}/why", tags=["why"], summary="The why report (backcheck.why/1)")
def get_why(
    state: State,
    who: ApiAthlete,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """Red flags, then the five causes ranked with their evidence."""
    report = services.why_report(state, who, as_of=check_day(as_of, "as_of"))
    return dict(report.to_json())


@router.get("/athletes/{athlete}/videos", tags=["video"], summary="Form checks")
def list_videos(state: State, who: ApiAthlete) -> dict[str, Any]:
    """Stored form checks (backcheck.video/1 results), newest first, with the annotated
    video's URL where one was made."""
    out = []
    for v in services.videos(state, who):
        job = v.pop("annotated_job")
        v["annotated_url"] = (
            f"/api/athletes/{who.athlete}/videos/{job}/annotated.mp4" if job else None
        )
        out.append(v)
    return {"videos": out}


@router.post(
    "/athletes/{athlete}/videos",
    tags=["video"],
    status_code=202,
    responses=UPLOAD_RESPONSES,
    summary="Upload a video or landmarks CSV",
    openapi_extra=multipart(
        "One video (mp4, mov, webm, avi) of one set, or a landmarks CSV",
        exercise={"type": "string", "enum": list(services.EXERCISES)},
        recorded_on={"type": "string", "format": "date"},
    ),
)
async def post_video(request: Request, state: State, user: ApiUser, who: ApiOwner) -> JSONResponse:
    """Queue a form check; the job's result holds the backcheck.video/1 document."""
    return await _queue(
        request,
        state,
        user,
        who,
        kind="video",
        limit=state.settings.max_video_bytes,
        options={"exercise": _choice("exercise", services.EXERCISES, "auto"), "recorded_on": _day},
    )


@router.get(
    "/athletes/{athlete}/videos/{job_id}/annotated.mp4",
    tags=["video"],
    response_class=FileResponse,
    summary="Annotated video",
    responses={200: {"content": {"video/mp4": {}}}},
)
def get_annotated(state: State, job_id: str, who: ApiAthlete) -> FileResponse:
    """The video with the skeleton, rep counter and faults drawn on it."""
    return annotated_response(state, who, job_id)


def annotated_response(state: AppState, who: Access, job_id: str) -> FileResponse:
    """The annotated video of one of the athlete's video jobs (404 otherwise)."""
    job = state.worker.status(job_id) if job_id.isalnum() and len(job_id) <= 64 else None
    path = annotated_path(state.worker.videos, job_id)
    if job is None or job["athlete_id"] != who.athlete_id or not path.exists():
        raise not_found("video")
    return FileResponse(path, media_type="video/mp4", filename=f"form-check-{job_id[:8]}.mp4")


@router.get(
    "/athletes/{athlete}/plan",
    tags=["plan"],
    summary="The corrective plan (backcheck.plan/1)",
    responses={200: {"content": {"application/json": {}, "text/calendar": {}}}},
)
def get_plan(
    state: State,
    who: ApiAthlete,
    weeks: Annotated[int, Query(ge=1, le=16, description="How many weeks to plan.")] = 4,
    start: Annotated[
        date | None,
        Query(description="First day (default: the Monday after as_of, or after today)."),
    ] = None,
    as_of: AsOf = None,
    format: Annotated[
        str, Query(pattern="^(json|ics)$", description="json or ics (calendar).")
    ] = "json",
) -> Response:
    """The plan built from the findings; withheld (with the reason) when there are red flags."""
    plan = services.plan(
        state,
        who,
        weeks=weeks,
        start=check_day(start, "start"),
        as_of=check_day(as_of, "as_of"),
    )
    if format == "ics":
        return Response(
            services.plan_ics(plan),
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="backcheck-plan.ics"'},
        )
    return JSONResponse(plan.to_json())


@router.get(
    "/athletes/{athlete}/exercise-map",
    tags=["exercises"],
    summary="Logged exercise names and the athlete's own meanings",
)
def get_exercise_map(state: State, who: ApiAthlete) -> dict[str, Any]:
    """`exercises`: each logged name with `key` (null when not understood), `pattern`, `sets`,
    `mapped_by` (you, catalog or null) and, when not understood, `suggestions`; `map`: the
    athlete's own meanings (as `backcheck exercises map`)."""
    return {
        "exercises": services.exercise_names(state, who),
        "map": services.exercise_map(state, who),
    }


@router.put(
    "/athletes/{athlete}/exercise-map",
    tags=["exercises"],
    summary="Give a logged name the athlete's own meaning",
)
def put_exercise_map(state: State, entry: ExerciseMapIn, who: ApiOwner) -> dict[str, Any]:
    """As `backcheck exercises map NAME --as KEY`: `why` and `plan` use it at once. An unknown
    key is a 400 naming the closest keys."""
    return services.map_exercise(state, who, name=entry.exercise, key=entry.key)


@router.delete(
    "/athletes/{athlete}/exercise-map",
    tags=["exercises"],
    status_code=204,
    summary="Forget the athlete's own meaning of a logged name",
)
def delete_exercise_map(
    state: State,
    who: ApiOwner,
    exercise: Annotated[
        str, Query(min_length=1, max_length=200, description="The name as mapped.")
    ],
) -> Response:
    """As `backcheck exercises unmap NAME`; 404 when the athlete gave that name no meaning."""
    services.unmap_exercise(state, who, name=exercise)
    return Response(status_code=204)


@router.get("/exercise-catalog", tags=["exercises"], summary="Every catalog key")
def get_exercise_catalog() -> dict[str, Any]:
    """Every catalog key with its display name and movement pattern (`exercises --catalog`)."""
    return {"exercises": services.exercise_catalog()}


@router.get("/jobs/{job_id}", tags=["jobs"], summary="A background job")
def get_job(state: State, job_id: str, user: ApiUser) -> dict[str, Any]:
    """State (queued, running, done, failed), progress 0-1, result or error."""
    return services.job_doc(services.job_for(state, user, job_id))
