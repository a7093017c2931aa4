"""Pages for the account: sign up, sign in, sign out, settings, tokens, coaches, my data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcheck.errors import BackcheckError, UsageError
from backcheck.web import account, accounts, auth, services
from backcheck.web.deps import (
    AppState,
    ClientAddress,
    MaybeUser,
    PageForm,
    PageUser,
    State,
    User,
)
from backcheck.web.pages import render, safe_next, signed_in, signed_out
from backcheck.web.problems import HttpProblem

router = APIRouter(include_in_schema=False)


def home_of(state: AppState, user: User) -> str:
    """The user's own dashboard (or the athlete list when they own none)."""
    own = [a for a in services.visible(state, user) if a.role == "owner"]
    return f"/a/{own[0].athlete}/" if own else "/athletes"


@router.get("/")
def index(state: State, user: MaybeUser) -> RedirectResponse:
    """Signed in: your dashboard; else the sign-in page."""
    return RedirectResponse(home_of(state, user) if user else "/signin", status_code=303)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, state: State, user: MaybeUser) -> Response:
    """The sign-up form."""
    context = {"form": {"tz": state.settings.tz}, "error": None}
    return render(request, "signup.html", context, user=user)


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, state: State, form: PageForm) -> Response:
    """Create the account and its athlete, sign in, then go to the import page."""
    try:
        token, athlete = accounts.sign_up(
            state,
            email=form.get("email", ""),
            name=form.get("name", ""),
            password=form.get("password", ""),
            tz=form.get("tz") or state.settings.tz,
        )
    except UsageError as exc:
        shown = {k: v for k, v in form.items() if k != "password"}
        return render(request, "signup.html", {"form": shown, "error": exc}, user=None, status=400)
    return signed_in(request, token, f"/a/{athlete}/import?welcome=1")


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, user: MaybeUser, next: str = "") -> Response:
    """The sign-in form."""
    return render(
        request, "signin.html", {"next": safe_next(next, ""), "error": None, "email": ""}, user=user
    )


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, state: State, form: PageForm, where: ClientAddress) -> Response:
    """Check the password (rate-limited per email and address), start a session."""
    email = form.get("email", "").strip().lower()[:320]
    context: dict[str, Any] = {"next": safe_next(form.get("next"), ""), "email": email}
    try:
        done = accounts.sign_in(
            state, email=email, password=form.get("password", ""), address=where
        )
    except auth.TooManyAttempts as exc:
        response = render(
            request, "signin.html", {**context, "error": exc.message}, user=None, status=429
        )
        response.headers.update(exc.headers)
        return response
    if done is None:
        return render(
            request,
            "signin.html",
            {**context, "error": "Wrong email or password."},
            user=None,
            status=400,
        )
    user, token = done
    return signed_in(request, token, safe_next(form.get("next"), home_of(state, user)))


@router.post("/signout")
def signout(request: Request, state: State, _form: PageForm) -> RedirectResponse:
    """End this session."""
    accounts.sign_out(state, request.cookies.get(auth.SESSION_COOKIE))
    return signed_out()


@router.get("/athletes", response_class=HTMLResponse)
def athletes_page(request: Request, state: State, user: PageUser) -> Response:
    """Your athlete and those you coach."""
    rows = [services.athlete_detail(state, a) for a in services.visible(state, user)]
    return render(request, "athletes.html", {"rows": rows}, user=user, tab="athletes")


def _account(request: Request, state: AppState, user: User, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    context = {
        **accounts.overview(state, user),
        "new_token": None,
        "message": None,
        "error": None,
        **extra,
    }
    return render(request, "account.html", context, user=user, status=status, tab="account")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, state: State, user: PageUser) -> Response:
    """Profile, password, API tokens, coaches, export and deletion."""
    return _account(request, state, user)


@router.post("/account", response_class=HTMLResponse)
def account_action(
    request: Request, state: State, user: PageUser, form: PageForm, where: ClientAddress
) -> Response:
    """One account action, named by the form's `action` field."""
    action = form.get("action", "")
    try:
        if action == "profile":
            changed = accounts.update_profile(
                state, user, name=form.get("name", ""), tz=form.get("tz", "")
            )
            return _account(request, state, changed, message="Saved.")
        if action == "password":
            accounts.change_password(
                state,
                user,
                current=form.get("current", ""),
                password=form.get("password", ""),
                address=where,
            )
            return signed_out("/signin?changed=1")
        if action == "token":
            made = accounts.make_token(state, user, name=form.get("name", "script"))
            return _account(request, state, user, new_token=made)
        if action == "revoke":
            accounts.revoke_token(state, user, _int(form.get("token_id")))
            return _account(request, state, user, message="Token revoked.")
        if action == "invite":
            who = accounts.owned(state, user, form.get("athlete", ""))
            accounts.invite_coach(state, who, form.get("email", ""))
            return _account(request, state, user, message="Coach added.")
        if action == "remove":
            who = accounts.owned(state, user, form.get("athlete", ""))
            accounts.remove_coach(state, who, _int(form.get("coach_id")))
            return _account(request, state, user, message="Coach removed.")
        if action == "delete":
            if form.get("confirm", "").strip().upper() != "DELETE":
                raise UsageError("confirm", "type DELETE to confirm")
            gone = accounts.delete_account(
                state, user, password=form.get("password", ""), address=where
            )
            if gone is None:
                raise UsageError("password", "the password is wrong: nothing was deleted")
            return signed_out("/signup?deleted=1")
    except (BackcheckError, HttpProblem) as exc:
        return _account(request, state, user, error=exc.message, status=400)
    raise HttpProblem(400, "bad_request", f"unknown action {action!r}")


def _int(value: str | None) -> int:
    if not value or not value.isdigit() or len(value) > 9:
        raise UsageError("id", "missing or not a number")
    return int(value)


@router.get("/account/export.zip")
def export_page(state: State, user: PageUser) -> Response:
    """Download all my data (JSON + CSV in a zip)."""
    return Response(
        account.export_zip(state, user),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="backcheck-my-data.zip"'},
    )
