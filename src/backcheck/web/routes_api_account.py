"""REST API for the account: who am I, API tokens, coaches, export and deletion of my data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from backcheck.store import webstore
from backcheck.store.webstore import Access
from backcheck.web import account, services
from backcheck.web.auth import check_email, new_token
from backcheck.web.deps import User, api_owner, api_user, app_state, client_address
from backcheck.web.problems import HttpProblem
from backcheck.web.schemas import ERROR_RESPONSES, CoachIn, DeleteIn, TokenIn

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the store
router = APIRouter(prefix="/api", responses=ERROR_RESPONSES, dependencies=[Depends(api_user)])


@router.get("/me", tags=["account"], summary="Who am I")
def get_me(request: Request, user: User = Depends(api_user)) -> dict[str, Any]:
    """The signed-in account and the athletes it may see."""
    athletes = services.visible(app_state(request), user)
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "tz": user.tz,
        "athletes": [services.athlete_doc(a) for a in athletes],
    }


@router.get("/tokens", tags=["account"], summary="API tokens")
def list_tokens(request: Request, user: User = Depends(api_user)) -> dict[str, Any]:
    """Your API tokens (their first characters only; a token is shown once, when made)."""
    with app_state(request).store.transaction() as conn:
        return {"tokens": webstore.list_tokens(conn, user.id)}


@router.post("/tokens", tags=["account"], status_code=201, summary="Make an API token")
def post_token(request: Request, body: TokenIn, user: User = Depends(api_user)) -> dict[str, Any]:
    """A new token for scripts: send it as `Authorization: Bearer <token>`. Shown once."""
    with app_state(request).store.transaction() as conn:
        return new_token(conn, user.id, name=body.name)


@router.delete("/tokens/{token_id}", tags=["account"], status_code=204, summary="Revoke a token")
def delete_token(
    request: Request, token_id: int = Path(ge=1, le=MAX_ID), user: User = Depends(api_user)
) -> Response:
    """The token stops working at once."""
    with app_state(request).store.transaction() as conn:
        webstore.drop_token(conn, user.id, token_id)
    return Response(status_code=204)


@router.get("/athletes/{athlete}/coaches", tags=["athletes"], summary="Your coaches")
def list_coaches(request: Request, who: Access = Depends(api_owner)) -> dict[str, Any]:
    """Coaches who may see this athlete's data."""
    with app_state(request).store.transaction() as conn:
        return {"coaches": webstore.coaches_of(conn, who.athlete_id)}


@router.post(
    "/athletes/{athlete}/coaches", tags=["athletes"], status_code=201, summary="Invite a coach"
)
def post_coach(request: Request, body: CoachIn, who: Access = Depends(api_owner)) -> dict[str, Any]:
    """Let the coach with this email see the athlete's data (they need an account)."""
    return invite_coach(request, who, body.email)


def invite_coach(request: Request, who: Access, email: str) -> dict[str, Any]:
    """Add the coach with this email (404 when no account has it)."""
    clean = check_email(email)
    with app_state(request).store.transaction() as conn:
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


@router.delete(
    "/athletes/{athlete}/coaches/{coach_id}",
    tags=["athletes"],
    status_code=204,
    summary="Remove a coach",
)
def delete_coach(
    request: Request, coach_id: int = Path(ge=1, le=MAX_ID), who: Access = Depends(api_owner)
) -> Response:
    """The coach can no longer see this athlete."""
    with app_state(request).store.transaction() as conn:
        webstore.remove_coach(conn, who.athlete_id, coach_id)
    return Response(status_code=204)


@router.get(
    "/me/export",
    tags=["account"],
    summary="Export all my data",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export(request: Request, user: User = Depends(api_user)) -> Response:
    """Everything stored for your account: JSON and CSV files in one zip."""
    data = account.export_zip(app_state(request), user)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="backcheck-my-data.zip"'},
    )


@router.post("/me/delete", tags=["account"], summary="Delete my account and all my data")
def delete_me(request: Request, body: DeleteIn, user: User = Depends(api_user)) -> JSONResponse:
    """Deletes the account, your athlete(s) with every entry, uploads and videos. Needs the
    password. Cannot be undone: export first."""
    state = app_state(request)
    ok = state.throttle.check(
        email=user.email, password=body.password, address=client_address(request)
    )
    if ok is None:
        raise HttpProblem(403, "wrong_password", "the password is wrong: nothing was deleted")
    names = account.delete_everything(state, user)
    return JSONResponse({"deleted": True, "athletes": len(names)})
