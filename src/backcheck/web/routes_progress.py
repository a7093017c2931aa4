"""Following the plan through, in the web app: "Start this plan" (the Plan page's button), the
Progress page, the printable Summary; and the same in the REST API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from backcheck.errors import UsageError
from backcheck.web import followthrough
from backcheck.web.deps import (
    ApiAthlete,
    ApiOwner,
    PageAthlete,
    PageForm,
    PageOwner,
    PageUser,
    State,
    app_state,
)
from backcheck.web.pages import render
from backcheck.web.problems import HttpProblem
from backcheck.web.routes_api import check_day
from backcheck.web.routes_pages import page_day
from backcheck.web.schemas import ERROR_RESPONSES

pages = APIRouter(prefix="/a/{athlete}", include_in_schema=False)
api = APIRouter(
    prefix="/api/athletes/{athlete}", tags=["follow-through"], responses=ERROR_RESPONSES
)


def _weeks(value: str | None) -> int:
    if not value or not value.isdigit() or not 1 <= int(value) <= 16:
        raise UsageError("weeks", "must be a whole number of weeks, 1-16")
    return int(value)


@pages.post("/plan/start")
def start_plan_page(
    state: State,
    who: PageOwner,
    form: PageForm,
) -> Response:
    """Keep the plan shown on the Plan page as the current plan, then show Progress."""
    weeks = _weeks(form.get("weeks", "4"))
    followthrough.start_plan(state, who, weeks=weeks, start=page_day(form.get("start"), "start"))
    return RedirectResponse(f"/a/{who.athlete}/progress?started=1", status_code=303)


@pages.get("/progress", response_class=HTMLResponse)
def progress_page(
    request: Request,
    user: PageUser,
    who: PageAthlete,
    as_of: str | None = None,
    started: str = "",
) -> Response:
    """Did the plan help? Planned against done, week by week, and pain before against since."""
    from backcheck.report.progress import chart_svg, pain_sentence

    report = followthrough.progress(app_state(request), who, as_of=page_day(as_of, "as_of"))
    context: dict[str, Any] = {"report": report, "started": bool(started)}
    if report is not None:
        context |= {
            "chart": Markup(chart_svg(report)),
            "pain": pain_sentence(report),
            "adherence": None if report.adherence is None else f"{report.adherence:.0%}",
        }
    return render(request, "progress.html", context, user=user, who=who, tab="progress")


@pages.get("/summary", response_class=HTMLResponse)
def summary_page(
    state: State,
    _user: PageUser,
    who: PageAthlete,
    as_of: str | None = None,
) -> HTMLResponse:
    """The printable summary for a physiotherapist or coach (`backcheck summary --html`)."""
    return HTMLResponse(followthrough.summary_html(state, who, as_of=page_day(as_of, "as_of")))


@api.post("/plan/save", summary="Start the plan: keep it as the current plan")
def save_plan_api(
    state: State,
    who: ApiOwner,
    weeks: Annotated[int, Query(ge=1, le=16)] = 4,
    start: date | None = None,
) -> JSONResponse:
    """Builds the plan as `GET .../plan` does and keeps it as the athlete's current plan (a
    later save replaces it from its own start). 400 when the plan is withheld (red flags)."""
    plan = followthrough.start_plan(state, who, weeks=weeks, start=check_day(start, "start"))
    return JSONResponse(plan.to_json(), status_code=201)


@api.get("/progress", summary="Progress against the saved plan (backcheck.progress/1)")
def progress_api(
    state: State,
    who: ApiAthlete,
    as_of: date | None = None,
) -> JSONResponse:
    """Planned against done week by week, pain before the plan against since. 404 when no
    plan was saved."""
    report = followthrough.progress(state, who, as_of=check_day(as_of, "as_of"))
    if report is None:
        raise HttpProblem(404, "not_found", "no saved plan yet: POST .../plan/save first")
    return JSONResponse(report.to_json())


@api.get(
    "/summary",
    summary="The printable summary for a professional (HTML)",
    response_class=HTMLResponse,
)
def summary_api(
    state: State,
    who: ApiAthlete,
    as_of: date | None = None,
) -> HTMLResponse:
    """One self-contained HTML page (prints on A4 and US Letter)."""
    return HTMLResponse(followthrough.summary_html(state, who, as_of=check_day(as_of, "as_of")))
