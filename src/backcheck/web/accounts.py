"""Account actions, shared by the account pages and the REST API: sign up, sign in and out, the
profile, the password, API tokens, coaches, deleting the account.

Each function owns its transaction; routes parse, call one of these, render. Every password
check goes through the store-backed throttle (web.auth.Throttle), so a wrong password counts
the same whichever page or route sent it. Export and deletion of the data: web.account.
"""

from __future__ import annotations

from typing import Any

from backcheck.errors import UsageError
from backcheck.store import webstore
from backcheck.store.webstore import Access
from backcheck.web import account, auth
from backcheck.web.deps import AppState, User
from backcheck.web.problems import HttpProblem


def user_of(found: dict[str, Any]) -> User:
    """A cookie-signed-in User from an account row (id, email, name, tz)."""
    return User(found["id"], found["email"], found["name"], found["tz"], "cookie")


def sign_up(state: AppState, *, email: str, name: str, password: str, tz: str) -> tuple[str, str]:
    """Create the account and its own athlete and sign in: (session cookie value, the
    athlete's store name). UsageError names the field that is wrong."""
    with state.store.transaction() as conn:
        user_id = auth.sign_up(conn, email=email, name=name, password=password, tz=tz)
        token = auth.new_session(conn, user_id, days=state.settings.session_days)
        athlete = webstore.visible_athletes(conn, user_id)[0].athlete
    return token, athlete


def sign_in(state: AppState, *, email: str, password: str, address: str) -> tuple[User, str] | None:
    """(the user, a new session cookie value) when the password is right, None when wrong;
    auth.TooManyAttempts while checks for this email from this address are refused."""
    found = state.throttle.check(email=email, password=password, address=address)
    if found is None:
        return None
    with state.store.transaction() as conn:
        token = auth.new_session(conn, found["id"], days=state.settings.session_days)
    return user_of(found), token


def sign_out(state: AppState, cookie: str | None) -> None:
    """End the session of this cookie value (nothing when there is none)."""
    if cookie:
        with state.store.transaction() as conn:
            webstore.drop_session(conn, auth.digest(cookie))


def overview(state: AppState, user: User) -> dict[str, Any]:
    """What the account page lists: API tokens, the athletes the user owns, their coaches."""
    with state.store.transaction() as conn:
        tokens = webstore.list_tokens(conn, user.id)
        mine = [a for a in webstore.visible_athletes(conn, user.id) if a.role == "owner"]
        coaches = {a.athlete: webstore.coaches_of(conn, a.athlete_id) for a in mine}
    return {"tokens": tokens, "mine": mine, "coaches": coaches}


def update_profile(state: AppState, user: User, *, name: str, tz: str) -> User:
    """Set the display name (1-100 characters) and IANA time zone; the updated user."""
    clean_name, clean_tz = auth.check_name(name), auth.check_tz(tz)
    with state.store.transaction() as conn:
        webstore.update_user(conn, user.id, name=clean_name, tz=clean_tz)
    return User(user.id, user.email, clean_name, clean_tz, user.via)


def password_ok(state: AppState, user: User, *, password: str, address: str) -> bool:
    """Whether `password` is the user's (a throttled, counted check)."""
    return state.throttle.check(email=user.email, password=password, address=address) is not None


def change_password(
    state: AppState, user: User, *, current: str, password: str, address: str
) -> None:
    """Set a new password after checking the current one (UsageError('current') if wrong);
    every session ends and every API token is revoked (auth.change_password)."""
    if not password_ok(state, user, password=current, address=address):
        raise UsageError("current", "the current password is wrong")
    with state.store.transaction() as conn:
        auth.change_password(conn, user.id, password=password)


def tokens(state: AppState, user: User) -> list[dict[str, Any]]:
    """The user's API tokens (their first characters only)."""
    with state.store.transaction() as conn:
        return webstore.list_tokens(conn, user.id)


def make_token(state: AppState, user: User, *, name: str) -> dict[str, Any]:
    """A new API token (shown once: `token`), labelled `name` (<= 100 characters)."""
    with state.store.transaction() as conn:
        return auth.new_token(conn, user.id, name=name)


def revoke_token(state: AppState, user: User, token_id: int) -> None:
    """The user's token `token_id` stops working at once."""
    with state.store.transaction() as conn:
        webstore.drop_token(conn, user.id, token_id)


def owned(state: AppState, user: User, athlete: str) -> Access:
    """The user's own athlete of this store name (404 otherwise)."""
    with state.store.transaction() as conn:
        who = webstore.access(conn, user.id, athlete)
    if who is None or who.role != "owner":
        raise HttpProblem(404, "not_found", "no such athlete of yours")
    return who


def coaches(state: AppState, who: Access) -> list[dict[str, Any]]:
    """The coaches who may see this athlete."""
    with state.store.transaction() as conn:
        return webstore.coaches_of(conn, who.athlete_id)


def invite_coach(state: AppState, who: Access, email: str) -> dict[str, Any]:
    """Let the account with this email see the athlete (404 when no account has it; 400 for
    the owner themself): {"coach": {id, name, email}, "added": bool}."""
    clean = auth.check_email(email)
    with state.store.transaction() as conn:
        coach = webstore.user_by_email(conn, clean)
        if coach is None:
            raise HttpProblem(
                404,
                "not_found",
                f"no account with the email {clean}: ask your coach to sign up first",
            )
        if coach["id"] == who.owner_id:
            raise HttpProblem(
                400, "bad_parameter", "you cannot be your own coach", {"parameter": "email"}
            )
        added = webstore.add_coach(conn, who.athlete_id, coach["id"])
    return {
        "coach": {"id": coach["id"], "name": coach["name"], "email": coach["email"]},
        "added": added,
    }


def remove_coach(state: AppState, who: Access, coach_id: int) -> None:
    """The coach `coach_id` can no longer see this athlete."""
    with state.store.transaction() as conn:
        webstore.remove_coach(conn, who.athlete_id, coach_id)


def delete_account(state: AppState, user: User, *, password: str, address: str) -> list[str] | None:
    """Check the password, then delete the account and all its data (account.delete_everything);
    the store names of the athletes deleted, or None when the password is wrong (nothing
    deleted)."""
    if not password_ok(state, user, password=password, address=address):
        return None
    return account.delete_everything(state, user)
