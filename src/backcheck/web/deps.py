"""What routes depend on: the app's state, who is asking, which athlete, the posted form.

Routes name these through the `Annotated` aliases at the end (`user: PageUser`,
`who: ApiOwner`, `form: PageForm`; the FastAPI full-stack template's style): `Depends` is
written only here.

Callers are signed in by the `bc_session` cookie (pages) or an API token
(`Authorization: Bearer bc_...`, scripts). An athlete is visible to its owner and to the
coaches it invited; anyone else gets 404, as if it did not exist. Coaches may look, not
change (403). Cross-site posts were refused before any of this runs (web.security).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from backcheck.store import Store, webstore
from backcheck.store.webstore import Access
from backcheck.web.auth import SESSION_COOKIE, TOKEN_PREFIX, Throttle, digest
from backcheck.web.config import WebSettings
from backcheck.web.jobs import Worker
from backcheck.web.problems import HttpProblem, Unauthorized, not_found
from backcheck.web.reportcache import ReportCache

MAX_FORM = 256 * 1024


@dataclass(slots=True)
class AppState:
    """Everything one app instance holds (made by create_app, closed at shutdown)."""

    settings: WebSettings
    store: Store
    worker: Worker
    cache: ReportCache
    throttle: Throttle
    templates: Jinja2Templates


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in account and how it signed in."""

    id: int
    email: str
    name: str
    tz: str
    via: Literal["cookie", "token"]


class SignInRedirect(Exception):  # noqa: N818 - a redirect, not an error
    """A page needs a signed-in user: the error handler redirects to /signin."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def app_state(request: Request) -> AppState:
    """The AppState of the app serving this request."""
    found = request.app.state.backcheck
    assert isinstance(found, AppState)
    return found


def _lookup(request: Request) -> User | None:
    if hasattr(request.state, "user"):
        return cast(User | None, request.state.user)
    state = app_state(request)
    found: dict[str, Any] | None = None
    via: Literal["cookie", "token"] = "cookie"
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
            raise Unauthorized()
        with state.store.transaction() as conn:
            found = webstore.token_user(conn, digest(token))
        if found is None:
            raise Unauthorized()
        via = "token"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        with state.store.transaction() as conn:
            found = webstore.session_user(conn, digest(cookie))
    user = (
        None
        if found is None
        else User(found["id"], found["email"], found["name"], found["tz"], via)
    )
    request.state.user = user
    return user


def optional_user(request: Request) -> User | None:
    """The signed-in user, or None (an API token that is not valid is still 401)."""
    return _lookup(request)


def api_user(request: Request) -> User:
    """API callers: 401 without a valid token or session (cross-site requests were refused
    before any route: web.security)."""
    user = _lookup(request)
    if user is None:
        raise Unauthorized()
    return user


async def page_user(request: Request) -> User:
    """Pages: the signed-in user, else a redirect to the sign-in page."""
    user = _lookup(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRedirect(target)
    return user


def _access(request: Request, user: User, athlete: str) -> Access:
    with app_state(request).store.transaction() as conn:
        found = webstore.access(conn, user.id, athlete)
    if found is None:
        raise not_found("athlete")
    return found


def api_athlete(athlete: str, request: Request, user: ApiUser) -> Access:
    """The athlete named in the path, if the API caller may see it (else 404)."""
    return _access(request, user, athlete)


def api_owner(who: ApiAthlete) -> Access:
    """The athlete named in the path, if the API caller owns it (coaches get 403)."""
    return require_owner(who)


async def page_athlete(athlete: str, request: Request, user: PageUser) -> Access:
    """The athlete named in the path, if the signed-in user may see it (else 404)."""
    return _access(request, user, athlete)


async def page_owner(who: PageAthlete) -> Access:
    """The athlete named in the path, if the signed-in user owns it (coaches get 403)."""
    return require_owner(who)


def require_owner(who: Access) -> Access:
    """403 unless the caller owns the athlete."""
    if who.role != "owner":
        raise HttpProblem(
            403,
            "forbidden",
            "coaches can look at an athlete's data but only the athlete can change it",
        )
    return who


async def page_form(request: Request) -> dict[str, str]:
    """A small URL-encoded form (<= 256 KiB; cross-site posts were refused before:
    web.security)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM:
        raise HttpProblem(413, "too_large", "the form is too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise HttpProblem(413, "too_large", "the form is too large")
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def client_address(request: Request) -> str:
    """The peer address (the sign-in throttle). Behind a proxy every user may share one:
    the throttle is built so that this cannot lock everyone out (web.auth.Throttle)."""
    return request.client.host if request.client else "unknown"


# The aliases routes use (and the dependencies above, by name: annotations are read once the
# module is loaded).

#: The app's state (settings, store, worker, cache, throttle, templates).
State = Annotated[AppState, Depends(app_state)]
#: The signed-in user or None.
MaybeUser = Annotated[User | None, Depends(optional_user)]
#: An API caller (else 401).
ApiUser = Annotated[User, Depends(api_user)]
#: A page's signed-in user (else a redirect to /signin).
PageUser = Annotated[User, Depends(page_user)]
#: The path's athlete as the API caller may see it (else 404).
ApiAthlete = Annotated[Access, Depends(api_athlete)]
#: The path's athlete, owned by the API caller (coaches: 403).
ApiOwner = Annotated[Access, Depends(api_owner)]
#: The path's athlete as the page's user may see it (else 404).
PageAthlete = Annotated[Access, Depends(page_athlete)]
#: The path's athlete, owned by the page's user (coaches: 403).
PageOwner = Annotated[Access, Depends(page_owner)]
#: A page's small URL-encoded form.
PageForm = Annotated[dict[str, str], Depends(page_form)]
#: The peer address (the sign-in throttle's key).
ClientAddress = Annotated[str, Depends(client_address)]
#: Router-wide: every route of the REST API needs a signed-in caller.
API_SIGNED_IN = [Depends(api_user)]
