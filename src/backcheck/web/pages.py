"""Rendering pages: the template context every page has, and the session cookie."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from backcheck.store.webstore import Access
from backcheck.web import services
from backcheck.web.auth import SESSION_COOKIE
from backcheck.web.deps import User, app_state
from backcheck.web.security import secure_cookies


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None,
    who: Access | None = None,
    status: int = 200,
    tab: str = "",
) -> HTMLResponse:
    """Render a page template with the signed-in user and their athletes."""
    state = app_state(request)
    athletes = services.visible(state, user) if user is not None else []
    return state.templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "who": who,
            "athletes": athletes,
            "tab": tab,
            "unencrypted": unencrypted(request),
            **(context or {}),
        },
        status_code=status,
    )


LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")


def unencrypted(request: Request) -> bool:
    """True when the page travels as plain http to another machine (a LAN address): anyone
    on that network could read it, so the page says so."""
    host = (request.url.hostname or "").lower()
    return request.url.scheme == "http" and host not in LOOPBACK and not host.startswith("127.")


def signed_in(request: Request, token: str, target: str) -> RedirectResponse:
    """Redirect after sign-in/up with the session cookie set."""
    cfg = app_state(request).settings
    secure = secure_cookies(cfg.cookie_secure, request.scope)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=cfg.session_days * 86400,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )
    return response


def signed_out(target: str = "/signin") -> RedirectResponse:
    """Redirect with the session cookie removed."""
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def safe_next(target: str | None, default: str) -> str:
    """A local path to go to after sign-in (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
