"""The web app: `create_app(settings)` builds it; nothing happens at import time.

    app = create_app(WebSettings(db="sqlite:///backcheck.db"))

The store is opened and the background worker started when the app starts (lifespan) and
closed when it stops. Every error, page or API, goes through one handler (`handle_error`):
JSON `{"error": {"code", "message", "details"}}` under /api/, the error page elsewhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from backcheck import __version__
from backcheck.errors import BackcheckError
from backcheck.settings import Settings
from backcheck.store import open_store
from backcheck.web.auth import Throttle
from backcheck.web.config import WebSettings, web_settings
from backcheck.web.deps import AppState, SignInRedirect, app_state, optional_user
from backcheck.web.jobs import Worker
from backcheck.web.problems import HttpProblem, problem
from backcheck.web.reportcache import ReportCache
from backcheck.web.security import CsrfError, SecurityMiddleware
from backcheck.web.uploads import BodyLimitMiddleware

HERE = Path(__file__).parent
FORM_LIMIT = 1024 * 1024


def wants_json(request: Request) -> bool:
    """API paths answer JSON; pages answer HTML."""
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


async def handle_error(request: Request, exc: Exception) -> Response:
    """The one error handler: any exception -> JSON error document or the error page."""
    if isinstance(exc, SignInRedirect):
        return RedirectResponse(f"/signin?next={quote(exc.next_url, safe='/')}", status_code=303)
    status, error, headers = problem(exc)
    if wants_json(request):
        return JSONResponse({"error": error}, status_code=status, headers=headers)
    if status == 401:
        return RedirectResponse(f"/signin?next={quote(request.url.path)}", status_code=303)
    try:
        state = app_state(request)
        user = optional_user(request) if status != 500 else None
    except Exception:
        return JSONResponse({"error": error}, status_code=status, headers=headers)
    return state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "error": error, "user": user, "athletes": []},
        status_code=status,
        headers={k: v for k, v in headers.items() if k.lower() != "www-authenticate"},
    )


def whole(value: float) -> str:
    """A measurement rounded to a whole number, never "-0"."""
    return f"{round(value) + 0:d}"


def templates() -> Jinja2Templates:
    """The page templates (autoescaped), with the static files' version for cache busting."""
    from backcheck.report.commands import web_text
    from backcheck.report.html import code_spans
    from backcheck.report.terminal import CAUSE_TITLE
    from backcheck.web.planview import week_view

    found = Jinja2Templates(directory=str(HERE / "templates"))
    found.env.globals["version"] = __version__
    found.env.globals["cause_title"] = CAUSE_TITLE
    found.env.filters["code"] = code_spans
    found.env.filters["say"] = web_text  # core text with CLI commands as links to pages
    found.env.globals["week_view"] = week_view
    found.env.filters["whole"] = whole
    return found


def create_app(settings: Settings | None = None) -> FastAPI:
    """The backcheck web app for these settings (WebSettings, or core Settings + defaults)."""
    cfg: WebSettings = web_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(cfg.db)
        cache = ReportCache(store)
        worker = Worker(
            store,
            data_dir=cfg.data_dir,
            poll_s=cfg.poll_s,
            on_done=lambda job: cache.invalidate(job["athlete_id"]),
        )
        app.state.backcheck = AppState(
            settings=cfg,
            store=store,
            worker=worker,
            cache=cache,
            throttle=Throttle(store, max_fails=cfg.login_attempts, window_s=cfg.login_window_s),
            templates=templates(),
        )
        if cfg.worker:
            worker.start(server_started=cfg.serve_started)
        try:
            yield
        finally:
            worker.stop()
            store.close()

    app = FastAPI(
        title="backcheck",
        version=__version__,
        description="Why does my upper back hurt after training? The REST API of `backcheck "
        "serve`: sign in with an API token (`Authorization: Bearer bc_...`, made on the "
        'account page). Errors are `{"error": {"code", "message", "details"}}`.',
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.add_middleware(
        BodyLimitMiddleware,
        form_limit=FORM_LIMIT,
        upload_limit=max(cfg.max_upload_bytes, cfg.max_video_bytes),
    )
    app.add_middleware(SecurityMiddleware, on_error=handle_error)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for exc_type in (
        HttpProblem,
        BackcheckError,
        CsrfError,
        SignInRedirect,
        RequestValidationError,
        StarletteHTTPException,
        Exception,
    ):
        app.add_exception_handler(exc_type, handle_error)

    from backcheck.web import (
        routes_account,
        routes_api,
        routes_api_account,
        routes_pages,
        routes_progress,
    )

    app.include_router(routes_api.router)
    app.include_router(routes_api_account.router)
    app.include_router(routes_account.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_progress.pages)
    app.include_router(routes_progress.api)
    return app
