"""REST API for the account: who am I, API tokens, coaches, export and deletion of my data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse

from backcheck.web import account, accounts, services
from backcheck.web.deps import API_SIGNED_IN, ApiOwner, ApiUser, ClientAddress, State
from backcheck.web.problems import HttpProblem
from backcheck.web.schemas import ERROR_RESPONSES, CoachIn, DeleteIn, TokenIn

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the store
#: A store id in a path: 1 to MAX_ID.
StoreId = Annotated[int, Path(ge=1, le=MAX_ID)]
router = APIRouter(prefix="/api", responses=ERROR_RESPONSES, dependencies=API_SIGNED_IN)


@router.get("/me", tags=["account"], summary="Who am I")
def get_me(state: State, user: ApiUser) -> dict[str, Any]:
    """The signed-in account and the athletes it may see."""
    athletes = services.visible(state, user)
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "tz": user.tz,
        "athletes": [services.athlete_doc(a) for a in athletes],
    }


@router.get("/tokens", tags=["account"], summary="API tokens")
def list_tokens(state: State, user: ApiUser) -> dict[str, Any]:
    """Your API tokens (their first characters only; a token is shown once, when made)."""
    return {"tokens": accounts.tokens(state, user)}


@router.post("/tokens", tags=["account"], status_code=201, summary="Make an API token")
def post_token(state: State, body: TokenIn, user: ApiUser) -> dict[str, Any]:
    """A new token for scripts: send it as `Authorization: Bearer <token>`. Shown once."""
    return accounts.make_token(state, user, name=body.name)


@router.delete("/tokens/{token_id}", tags=["account"], status_code=204, summary="Revoke a token")
def delete_token(state: State, token_id: StoreId, user: ApiUser) -> Response:
    """The token stops working at once."""
    accounts.revoke_token(state, user, token_id)
    return Response(status_code=204)


@router.get("/athletes/{athlete}/coaches", tags=["athletes"], summary="Your coaches")
def list_coaches(state: State, who: ApiOwner) -> dict[str, Any]:
    """Coaches who may see this athlete's data."""
    return {"coaches": accounts.coaches(state, who)}


@router.post(
    "/athletes/{athlete}/coaches", tags=["athletes"], status_code=201, summary="Invite a coach"
)
def post_coach(state: State, body: CoachIn, who: ApiOwner) -> dict[str, Any]:
    """Let the coach with this email see the athlete's data (they need an account)."""
    return accounts.invite_coach(state, who, body.email)


@router.delete(
    "/athletes/{athlete}/coaches/{coach_id}",
    tags=["athletes"],
    status_code=204,
    summary="Remove a coach",
)
def delete_coach(state: State, coach_id: StoreId, who: ApiOwner) -> Response:
    """The coach can no longer see this athlete."""
    accounts.remove_coach(state, who, coach_id)
    return Response(status_code=204)


@router.get(
    "/me/export",
    tags=["account"],
    summary="Export all my data",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export(state: State, user: ApiUser) -> Response:
    """Everything stored for your account: JSON and CSV files in one zip."""
    data = account.export_zip(state, user)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="backcheck-my-data.zip"'},
    )


@router.post("/me/delete", tags=["account"], summary="Delete my account and all my data")
def delete_me(state: State, body: DeleteIn, user: ApiUser, where: ClientAddress) -> JSONResponse:
    """Deletes the account, your athlete(s) with every entry, uploads and videos. Needs the
    password. Cannot be undone: export first."""
    names = accounts.delete_account(state, user, password=body.password, address=where)
    if names is None:
        raise HttpProblem(403, "wrong_password", "the password is wrong: nothing was deleted")
    return JSONResponse({"deleted": True, "athletes": len(names)})
