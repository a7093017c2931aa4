"""Pages of one athlete: dashboard (why), import, pain diary, recovery, exercise names, triage,
videos, plan.

Each route makes one call in web.services and renders a template. Uploads from the pages
are streamed like API uploads and queued for the worker; the job page polls its progress.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from backcheck.errors import BackcheckError
from backcheck.model import IMPORT_FORMATS, PAIN_REGIONS, RECOVERY_KINDS
from backcheck.store.webstore import Access
from backcheck.web import services
from backcheck.web.deps import (
    PageAthlete,
    PageForm,
    PageOwner,
    PageUser,
    User,
    app_state,
)
from backcheck.web.pages import render
from backcheck.web.problems import HttpProblem, not_found
from backcheck.web.routes_api import annotated_response
from backcheck.web.uploads import receive_form

router = APIRouter(prefix="/a/{athlete}", include_in_schema=False)
RECOVERY_PRACTICES = tuple(k for k in RECOVERY_KINDS if k != "sleep")


def page_day(value: str | None, name: str = "as_of") -> date | None:
    """A day from a page's query (the date picker's YYYY-MM-DD; empty: none); 400 naming
    the parameter otherwise."""
    from backcheck.web.routes_api import check_day

    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise HttpProblem(
            400, "bad_parameter", f"{name} must be a date (YYYY-MM-DD)", {"parameter": name}
        ) from None
    try:
        return check_day(day, name)
    except BackcheckError as exc:
        raise HttpProblem(400, "bad_parameter", exc.message, {"parameter": name}) from None


@router.get("/", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    user: PageUser,
    who: PageAthlete,
    as_of: str | None = None,
) -> Response:
    """Why does my upper back hurt: red flags first, then the causes with evidence and charts;
    `?as_of=YYYY-MM-DD` (the day picker) analyses as on that day.

    The hot path stays on the event loop (a few index look-ups); only a report that is not
    cached yet is computed in a worker thread. The page body is rendered once per report."""
    state = app_state(request)
    day = page_day(as_of)
    board = state.cache.peek("dashboard", who, day=services.today(who), extra=(day,))
    if board is None:
        board = await run_in_threadpool(services.dashboard, state, who, as_of=day)
    key = ("html", who.role, who.display_name)
    body = board.get(key)
    if body is None:
        template = state.templates.get_template("_dashboard_body.html")
        body = board[key] = Markup(
            template.render(
                report=board["report"],
                view=board["view"],
                weeks=board["weeks"],
                who=who,
                asked=day,
            )
        )
    context = {"body": body, "as_of": board["report"].as_of, "asked": day}
    return render(request, "dashboard.html", context, user=user, who=who, tab="why")


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    _user: PageUser,
    who: PageAthlete,
    as_of: str | None = None,
) -> HTMLResponse:
    """The full `why` report, every year (the same page `backcheck why --html` writes);
    `?as_of=YYYY-MM-DD` as on the dashboard."""
    return HTMLResponse(services.full_report(app_state(request), who, as_of=page_day(as_of)))


# ------------------------------------------------------------------ uploads and jobs


async def _upload(
    request: Request,
    user: User,
    who: Access,
    *,
    kind: str,
    options: tuple[str, ...] = (),
) -> Response:
    """Stream a page upload, check the files, queue the job, go to the job page."""
    state = app_state(request)
    limit = state.settings.max_video_bytes if kind == "video" else state.settings.max_upload_bytes
    form = await receive_form(request, folder=services.upload_folder(state), limit=limit)
    try:
        opts: dict[str, Any] = {k: form.value(k) for k in options}
        if "strict" in opts:
            from backcheck.web.routes_api import _flag

            opts["strict"] = _flag("strict")(opts["strict"])
        if kind == "video" and opts.get("recorded_on"):
            from backcheck.web.routes_api import _day

            opts["recorded_on"] = _day(opts["recorded_on"])
    except BaseException:
        form.discard()
        raise
    job_id = await run_in_threadpool(
        services.queue_upload, state, user, who, form, kind=kind, options=opts
    )
    target = f"/a/{who.athlete}/jobs/{job_id}"
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"job": job_id, "url": target}, status_code=202)
    return RedirectResponse(target, status_code=303)


@router.get("/import", response_class=HTMLResponse)
def import_page(
    request: Request,
    user: PageUser,
    who: PageAthlete,
    welcome: str = "",
) -> Response:
    """Drag and drop exports; the files imported so far."""
    return _import(request, user, who, welcome=bool(welcome))


def _import(request: Request, user: User, who: Access, **extra: Any) -> Response:
    log = services.import_log(app_state(request), who, last=20)
    for entry in log:
        entry["skipped_count"] = len(entry.pop("skipped"))
    context = {
        "log": log,
        "formats": IMPORT_FORMATS,
        "welcome": False,
        "message": None,
        "limit_mb": app_state(request).settings.max_upload_mb,
        **extra,
    }
    return render(request, "import.html", context, user=user, who=who, tab="import")


@router.post("/imports/{import_id}/delete", response_class=HTMLResponse)
def import_delete(
    request: Request,
    import_id: int,
    user: PageUser,
    who: PageOwner,
    _form: PageForm,
) -> Response:
    """Undo one import (its sets that no other import holds, sessions left empty)."""
    done = services.delete_import(app_state(request), who, import_id)
    message = (
        f"Import {import_id} undone: {done['sets']:,} sets and {done['sessions']:,} "
        "sessions deleted. Import the file again to have them back."
    )
    return _import(request, user, who, message=message)


@router.post("/import")
async def import_upload(request: Request, user: PageUser, who: PageOwner) -> Response:
    """Queue the dropped exports for import."""
    return await _upload(request, user, who, kind="import", options=("format", "unit", "strict"))


@router.post("/pain/files")
async def pain_upload(request: Request, user: PageUser, who: PageOwner) -> Response:
    """Queue pain diary CSVs for import."""
    return await _upload(request, user, who, kind="pain")


@router.post("/recovery/files")
async def recovery_upload(request: Request, user: PageUser, who: PageOwner) -> Response:
    """Queue recovery CSVs or an Apple Health export for import."""
    return await _upload(request, user, who, kind="recovery")


@router.post("/videos")
async def video_upload(request: Request, user: PageUser, who: PageOwner) -> Response:
    """Queue a video (or landmarks CSV) for the form check."""
    return await _upload(request, user, who, kind="video", options=("exercise", "recorded_on"))


def _job(request: Request, user: User, who: Access, job_id: str) -> dict[str, Any]:
    job = services.job_for(app_state(request), user, job_id)
    if job["athlete_id"] != who.athlete_id:
        raise not_found("job")
    return job


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request,
    job_id: str,
    user: PageUser,
    who: PageAthlete,
) -> Response:
    """Progress of an upload, then its result (import summary, or the form check)."""
    job = _job(request, user, who, job_id)
    return render(request, "job.html", {"job": job}, user=user, who=who, tab=_tab(job))


@router.get("/jobs/{job_id}/status", response_class=HTMLResponse)
def job_status(
    request: Request,
    job_id: str,
    user: PageUser,
    who: PageAthlete,
) -> Response:
    """The job's progress fragment (polled by the job page until the job ends)."""
    job = _job(request, user, who, job_id)
    return render(request, "_job_status.html", {"job": job}, user=user, who=who)


def _tab(job: dict[str, Any]) -> str:
    kind = str(job["kind"])
    return {"import": "import", "video": "videos"}.get(kind, kind)


# ------------------------------------------------------------------ diary and triage


@router.get("/pain", response_class=HTMLResponse)
def pain_page(request: Request, user: PageUser, who: PageAthlete) -> Response:
    """The body map, the 0-10 slider and the diary so far."""
    return _pain(request, user, who)


def _pain(request: Request, user: User, who: Access, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    entries = services.pain_entries(app_state(request), who, last=30)
    context = {
        "entries": entries,
        "regions": PAIN_REGIONS,
        "today": services.today(who),
        "message": None,
        "error": None,
        "form": {},
        **extra,
    }
    return render(request, "pain.html", context, user=user, who=who, tab="pain", status=status)


@router.post("/pain", response_class=HTMLResponse)
def pain_log(
    request: Request,
    user: PageUser,
    who: PageOwner,
    form: PageForm,
) -> Response:
    """Store one diary entry."""
    try:
        new = services.log_pain(
            app_state(request),
            who,
            day=form.get("date") or None,
            level=form.get("level", ""),
            region=form.get("region") or None,
            note=form.get("note") or None,
        )
    except BackcheckError as exc:
        return _pain(request, user, who, error=exc.message, form=form, status=400)
    done = "Saved." if new else "That entry was already in your diary."
    return _pain(request, user, who, message=done)


@router.post("/pain/{day}/delete", response_class=HTMLResponse)
def pain_delete(
    request: Request,
    day: str,
    user: PageUser,
    who: PageOwner,
    _form: PageForm,
) -> Response:
    """Delete the diary entries of one day."""
    try:
        gone = services.delete_pain_day(app_state(request), who, day)
    except BackcheckError as exc:
        return _pain(request, user, who, error=exc.message, status=404)
    return _pain(
        request, user, who, message=f"Deleted {gone} entr{'y' if gone == 1 else 'ies'} of {day}."
    )


@router.get("/recovery", response_class=HTMLResponse)
def recovery_page(request: Request, user: PageUser, who: PageAthlete) -> Response:
    """Sleep and recovery practices for a day; the log so far."""
    return _recovery(request, user, who)


def _recovery(request: Request, user: User, who: Access, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    context = {
        "entries": services.recovery_entries(app_state(request), who, last=30),
        "practices": RECOVERY_PRACTICES,
        "today": services.today(who),
        "message": None,
        "error": None,
        **extra,
    }
    return render(
        request, "recovery.html", context, user=user, who=who, tab="recovery", status=status
    )


@router.post("/recovery", response_class=HTMLResponse)
def recovery_log(
    request: Request,
    user: PageUser,
    who: PageOwner,
    form: PageForm,
) -> Response:
    """Store the night's sleep and the day's practices."""
    day = form.get("date") or services.today(who).isoformat()
    rows = [(day, "sleep", form["sleep"])] if form.get("sleep", "").strip() else []
    rows += [
        (day, k, form[k]) for k in RECOVERY_PRACTICES if form.get(k, "").strip() not in ("", "0")
    ]
    if not rows:
        return _recovery(
            request, user, who, error="Enter hours of sleep or minutes of a practice.", status=400
        )
    try:
        new = services.log_recovery(app_state(request), who, rows=rows)
    except BackcheckError as exc:
        message = exc.reason if hasattr(exc, "reason") else exc.message
        return _recovery(request, user, who, error=message, status=400)
    return _recovery(request, user, who, message=f"Saved ({new} new).")


@router.get("/exercises", response_class=HTMLResponse)
def exercises_page(request: Request, user: PageUser, who: PageAthlete) -> Response:
    """Logged exercise names and how each is understood; names not understood first, each
    with a choice of likely catalog exercises (one click to save)."""
    return _exercises(request, user, who)


def _exercises(request: Request, user: User, who: Access, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    rows = services.exercise_names(app_state(request), who)
    unknown = [r for r in rows if r["key"] is None]
    context = {
        "unknown": unknown,
        "known": [r for r in rows if r["key"] is not None],
        "catalog": services.exercise_catalog() if unknown else [],
        "message": None,
        "error": None,
        **extra,
    }
    return render(
        request, "exercises.html", context, user=user, who=who, tab="exercises", status=status
    )


@router.post("/exercises", response_class=HTMLResponse)
def exercises_save(
    request: Request,
    user: PageUser,
    who: PageOwner,
    form: PageForm,
) -> Response:
    """Save the athlete's meaning of one name (`map`), or forget it (`unmap`)."""
    state, name = app_state(request), form.get("exercise", "")
    try:
        if form.get("action") == "unmap":
            services.unmap_exercise(state, who, name=name)
            return _exercises(request, user, who, message=f"{name}: back to the catalog's reading.")
        done = services.map_exercise(state, who, name=name, key=form.get("key", ""))
    except BackcheckError as exc:
        return _exercises(request, user, who, error=exc.message, status=400)
    return _exercises(
        request,
        user,
        who,
        message=f"{done['exercise']} now counts as {done['key']} ({done['pattern']}).",
    )


@router.get("/triage", response_class=HTMLResponse)
def triage_page(request: Request, user: PageUser, who: PageAthlete) -> Response:
    """The red-flag questions, with the latest answers filled in."""
    state = services.triage_state(app_state(request), who)
    return render(
        request, "triage.html", {**state, "result": None}, user=user, who=who, tab="triage"
    )


@router.post("/triage", response_class=HTMLResponse)
def triage_answer(
    request: Request,
    user: PageUser,
    who: PageOwner,
    form: PageForm,
) -> Response:
    """Store the answers and show what they mean."""
    state = app_state(request)
    questions = services.triage_state(state, who)["questions"]
    answers = {
        q["key"]: form[q["key"]] == "yes" for q in questions if form.get(q["key"]) in ("yes", "no")
    }
    result = services.record_triage(state, who, answers)
    context = {**services.triage_state(state, who), "result": result}
    return render(request, "triage.html", context, user=user, who=who, tab="triage")


# ------------------------------------------------------------------ videos and plan


@router.get("/videos", response_class=HTMLResponse)
def videos_page(request: Request, user: PageUser, who: PageAthlete) -> Response:
    """Upload a video of one set; the form checks so far with their per-rep tables."""
    state = app_state(request)
    context = {
        "videos": services.videos(state, who),
        "exercises": services.EXERCISES,
        "today": services.today(who),
        "limit_mb": state.settings.max_video_mb,
    }
    return render(request, "videos.html", context, user=user, who=who, tab="videos")


@router.get("/videos/{job_id}/annotated.mp4")
def annotated(
    request: Request,
    job_id: str,
    _user: PageUser,
    who: PageAthlete,
) -> FileResponse:
    """The annotated video of a form check."""
    return annotated_response(app_state(request), who, job_id)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    user: PageUser,
    who: PageAthlete,
    weeks: int = 4,
    as_of: str | None = None,
) -> Response:
    """The corrective plan, week by week, with the calendar download; `?as_of=YYYY-MM-DD`
    (the day picker) plans from the data as on that day."""
    if not 1 <= weeks <= 16:
        raise HttpProblem(400, "bad_parameter", "weeks must be 1 to 16", {"parameter": "weeks"})
    day = page_day(as_of)
    doc = services.plan(app_state(request), who, weeks=weeks, as_of=day).to_json()
    context = {"plan": doc, "weeks": weeks, "asked": day}
    return render(request, "plan.html", context, user=user, who=who, tab="plan")


@router.get("/plan.ics")
def plan_calendar(
    request: Request,
    _user: PageUser,
    who: PageAthlete,
    weeks: int = 4,
    as_of: str | None = None,
) -> Response:
    """The plan as a calendar file (one event per session)."""
    if not 1 <= weeks <= 16:
        raise HttpProblem(400, "bad_parameter", "weeks must be 1 to 16", {"parameter": "weeks"})
    plan = services.plan(app_state(request), who, weeks=weeks, as_of=page_day(as_of))
    return Response(
        services.plan_ics(plan),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="backcheck-plan.ics"'},
    )
