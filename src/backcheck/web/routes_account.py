"""Pages for the account: sign up, sign in, sign out, settings, tokens, coaches, my data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcheck.errors import BackcheckError, UsageError
from backcheck.store import webstore
from backcheck.web import account, auth, services
from backcheck.web.deps import (
    User,
    app_state,
    client_address,
    optional_user,
    page_form,
    page_user,
)
from backcheck.web.pages import render, safe_next, signed_in, signed_out
from backcheck.web.problems import HttpProblem
from backcheck.web.routes_api_account import invite_coach

router = APIRouter(include_in_schema=False)


def home_of(request: Request, user: User) -> str:
    """The user's own dashboard (or the athlete list when they own none)."""
    own = [a for a in services.visible(app_state(request), user) if a.role == "owner"]
    return f"/a/{own[0].athlete}/" if own else "/athletes"


@router.get("/")
def index(request: Request, user: User | None = Depends(optional_user)) -> RedirectResponse:
    """Signed in: your dashboard; else the sign-in page."""
    return RedirectResponse(home_of(request, user) if user else "/signin", status_code=303)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, user: User | None = Depends(optional_user)) -> Response:
    """The sign-up form."""
    tz = app_state(request).settings.tz
    return render(request, "signup.html", {"form": {"tz": tz}, "error": None}, user=user)


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, form: dict[str, str] = Depends(page_form)) -> Response:
    """Create the account and its athlete, sign in, then go to the import page."""
    state = app_state(request)
    try:
        with state.store.transaction() as conn:
            user_id = auth.sign_up(
                conn,
                email=form.get("email", ""),
                name=form.get("name", ""),
                password=form.get("password", ""),
                tz=form.get("tz") or state.settings.tz,
            )
            token = auth.new_session(conn, user_id, days=state.settings.session_days)
            athlete = webstore.visible_athletes(conn, user_id)[0].athlete
    except UsageError as exc:
        shown = {k: v for k, v in form.items() if k != "password"}
        return render(request, "signup.html", {"form": shown, "error": exc}, user=None, status=400)
    return signed_in(request, token, f"/a/{athlete}/import?welcome=1")


@router.get("/signin", response_class=HTMLResponse)
def signin_page(
    request: Request, next: str = "", user: User | None = Depends(optional_user)
) -> Response:
    """The sign-in form."""
    return render(
        request, "signin.html", {"next": safe_next(next, ""), "error": None, "email": ""}, user=user
    )


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, form: dict[str, str] = Depends(page_form)) -> Response:
    """Check the password (rate-limited per email and address), start a session."""
    state = app_state(request)
    email = form.get("email", "").strip().lower()[:320]
    where = client_address(request)
    context: dict[str, Any] = {"next": safe_next(form.get("next"), ""), "email": email}
    try:
        found = state.throttle.check(email=email, password=form.get("password", ""), address=where)
    except auth.TooManyAttempts as exc:
        response = render(
            request, "signin.html", {**context, "error": exc.message}, user=None, status=429
        )
        response.headers.update(exc.headers)
        return response
    if found is None:
        return render(
            request,
            "signin.html",
            {**context, "error": "Wrong email or password."},
            user=None,
            status=400,
        )
    with state.store.transaction() as conn:
        token = auth.new_session(conn, found["id"], days=state.settings.session_days)
    user = User(found["id"], found["email"], found["name"], found["tz"], "cookie")
    return signed_in(request, token, safe_next(form.get("next"), home_of(request, user)))


@router.post("/signout")
def signout(request: Request, _form: dict[str, str] = Depends(page_form)) -> RedirectResponse:
    """End this session."""
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    if cookie:
        with app_state(request).store.transaction() as conn:
            webstore.drop_session(conn, auth.digest(cookie))
    return signed_out()


@router.get("/athletes", response_class=HTMLResponse)
def athletes_page(request: Request, user: User = Depends(page_user)) -> Response:
    """Your athlete and those you coach."""
    state = app_state(request)
    rows = [services.athlete_detail(state, a) for a in services.visible(state, user)]
    return render(request, "athletes.html", {"rows": rows}, user=user, tab="athletes")


def _account(request: Request, user: User, **extra: Any) -> Response:
    state = app_state(request)
    with state.store.transaction() as conn:
        tokens = webstore.list_tokens(conn, user.id)
        mine = [a for a in webstore.visible_athletes(conn, user.id) if a.role == "owner"]
        coaches = {a.athlete: webstore.coaches_of(conn, a.athlete_id) for a in mine}
    status = extra.pop("status", 200)
    context = {
        "tokens": tokens,
        "mine": mine,
        "coaches": coaches,
        "new_token": None,
        "message": None,
        "error": None,
        **extra,
    }
    return render(request, "account.html", context, user=user, status=status, tab="account")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, user: User = Depends(page_user)) -> Response:
    """Profile, password, API tokens, coaches, export and deletion."""
    return _account(request, user)


@router.post("/account", response_class=HTMLResponse)
def account_action(
    request: Request, user: User = Depends(page_user), form: dict[str, str] = Depends(page_form)
) -> Response:
    """One account action, named by the form's `action` field."""
    state = app_state(request)
    action = form.get("action", "")
    try:
        if action == "profile":
            name, tz = auth.check_name(form.get("name", "")), auth.check_tz(form.get("tz", ""))
            with state.store.transaction() as conn:
                webstore.update_user(conn, user.id, name=name, tz=tz)
            return _account(
                request, User(user.id, user.email, name, tz, user.via), message="Saved."
            )
        if action == "password":
            where = client_address(request)
            current = form.get("current", "")
            if state.throttle.check(email=user.email, password=current, address=where) is None:
                raise UsageError("current", "the current password is wrong")
            with state.store.transaction() as conn:
                auth.change_password(conn, user.id, password=form.get("password", ""))
            return signed_out("/signin?changed=1")
        if action == "token":
            with state.store.transaction() as conn:
                made = auth.new_token(conn, user.id, name=form.get("name", "script"))
            return _account(request, user, new_token=made)
        if action == "revoke":
            with state.store.transaction() as conn:
                webstore.drop_token(conn, user.id, _int(form.get("token_id")))
            return _account(request, user, message="Token revoked.")
        if action in ("invite", "remove"):
            who = _owned(request, user, form.get("athlete", ""))
            if action == "invite":
                invite_coach(request, who, form.get("email", ""))
                return _account(request, user, message="Coach added.")
            with state.store.transaction() as conn:
                webstore.remove_coach(conn, who.athlete_id, _int(form.get("coach_id")))
            return _account(request, user, message="Coach removed.")
        if action == "delete":
            return _delete(request, user, form)
    except (BackcheckError, HttpProblem) as exc:
        message = exc.message
        return _account(request, user, error=message, status=400)
    raise HttpProblem(400, "bad_request", f"unknown action {action!r}")


def _int(value: str | None) -> int:
    if not value or not value.isdigit() or len(value) > 9:
        raise UsageError("id", "missing or not a number")
    return int(value)


def _owned(request: Request, user: User, athlete: str) -> webstore.Access:
    with app_state(request).store.transaction() as conn:
        who = webstore.access(conn, user.id, athlete)
    if who is None or who.role != "owner":
        raise HttpProblem(404, "not_found", "no such athlete of yours")
    return who


def _delete(request: Request, user: User, form: dict[str, str]) -> Response:
    state = app_state(request)
    if form.get("confirm", "").strip().upper() != "DELETE":
        raise UsageError("confirm", "type DELETE to confirm")
    password, where = form.get("password", ""), client_address(request)
    if state.throttle.check(email=user.email, password=password, address=where) is None:
        raise UsageError("password", "the password is wrong: nothing was deleted")
    account.delete_everything(state, user)
    return signed_out("/signup?deleted=1")


@router.get("/account/export.zip")
def export_page(request: Request, user: User = Depends(page_user)) -> Response:
    """Download all my data (JSON + CSV in a zip)."""
    return Response(
        account.export_zip(app_state(request), user),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="backcheck-my-data.zip"'},
    )
