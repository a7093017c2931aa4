"""Cross-site request forgery protection and the security headers of every response.

A state-changing request (POST, PUT, PATCH, DELETE) that a browser sends from another site is
refused with 403, judged from the headers browsers set and pages cannot forge (as Go's
CrossOriginProtection and datasette do): `Sec-Fetch-Site` must be `same-origin` or `none`
(typed or bookmarked); without it, an `Origin` header must name this host. A request with
neither comes from no browser page (a script with an API token, curl) and carries no
ambient authority to abuse. No token and no extra cookie are needed, so the app works over
plain http on a LAN, where browsers drop Secure cookies. Session cookies are also SameSite=Lax.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Renders an exception that escaped every route as the error page or JSON document.
ErrorRenderer = Callable[[Request, Exception], Awaitable[Response]]
log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; media-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", CSP.encode()),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
#: Health data must not stay in shared or proxy caches, nor in the browser's back-forward store.
NO_STORE = (b"cache-control", b"no-store")


class CsrfError(Exception):
    """A state-changing request sent by a page of another site (HTTP 403)."""


def cross_site(scope: Scope) -> str | None:
    """Why a state-changing request must be refused as cross-site, or None to let it pass."""
    if scope.get("method", "GET") in SAFE_METHODS:
        return None
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    site = headers.get("sec-fetch-site", "").strip().lower()
    if site:
        if site in ("same-origin", "none"):
            return None
        return f"refused: sent from another site (Sec-Fetch-Site: {site})"
    origin = headers.get("origin", "").strip()
    if not origin:
        return None
    host = headers.get("host", "").strip().lower()
    if origin == "null" or urlsplit(origin).netloc.lower() != host:
        return f"refused: sent from another site ({origin} is not {host or 'this host'})"
    return None


def secure_cookies(setting: bool | None, scope: Scope) -> bool:
    """Whether cookies get the Secure flag: the setting when given, else (None, the default)
    exactly when this request came over https (plain http on a LAN then works; behind a TLS
    proxy, run uvicorn with --proxy-headers so the scheme is https)."""
    return setting if setting is not None else scope.get("scheme") == "https"


class SecurityMiddleware:
    """Refuse cross-site state-changing requests (`cross_site`) and add the security headers to
    every response.

    Every answer but the static files gets `Cache-Control: no-store`. An exception that no
    route handled is rendered here by `on_error` (the app's one error handler), so a 500 page
    carries the same headers as every other page (Starlette's outermost error middleware
    would answer it without them).
    """

    def __init__(self, app: ASGIApp, *, on_error: ErrorRenderer | None = None) -> None:
        self.app = app
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers: list[Any] = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if not static and NO_STORE[0] not in present:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        try:
            refused = cross_site(scope)
            if refused:
                raise CsrfError(refused)
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started or self.on_error is None:
                raise
            log.exception("unhandled error on %s", scope.get("path"))
            response = await self.on_error(Request(scope, receive), exc)
            await response(scope, receive, send_with_headers)
