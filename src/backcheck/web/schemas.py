"""Request bodies and the error document of the REST API (they appear in /openapi.json)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backcheck.model import PAIN_REGIONS

RecoveryKind = Literal["sleep", "yoga", "foam-rolling", "massage", "stretching", "meditation"]


class ErrorBody(BaseModel):
    """What went wrong: a stable code, a message for people, details for programs."""

    code: str = Field(examples=["not_found"])
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorDoc(BaseModel):
    """Every API error: {"error": {"code", "message", "details"}}."""

    error: ErrorBody


class PainIn(BaseModel):
    """One pain diary entry (as `backcheck pain log`)."""

    model_config = ConfigDict(extra="forbid")
    date: str | None = Field(
        None,
        max_length=40,
        description="ISO date or date-time, local time (default today).",
        examples=["2026-11-20"],
    )
    level: int = Field(ge=0, le=10, description="Pain 0-10 (NRS); 0 = a pain-free day.")
    region: str | None = Field(
        None, max_length=60, description=f"Where: one of {', '.join(PAIN_REGIONS)} (empty for 0)."
    )
    note: str | None = Field(None, max_length=2000)


class RecoveryIn(BaseModel):
    """One recovery entry: sleep in hours (the night ending that morning), else minutes."""

    model_config = ConfigDict(extra="forbid")
    date: str = Field(max_length=40, description="ISO date.", examples=["2026-11-20"])
    kind: RecoveryKind
    value: float = Field(ge=0, le=1440, description="Sleep: hours 0-24; others: minutes.")


class TokenIn(BaseModel):
    """A new API token's label."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field("script", min_length=1, max_length=100)


class CoachIn(BaseModel):
    """Invite a coach (they need an account with this email)."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=320)


class DeleteIn(BaseModel):
    """Confirm deleting the account and all its data with the password."""

    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=1, max_length=1024)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorDoc, "description": "Bad parameter"},
    401: {"model": ErrorDoc, "description": "Not signed in (no or bad token)"},
    403: {"model": ErrorDoc, "description": "Coaches may only look; or sent from another site"},
    404: {"model": ErrorDoc, "description": "Not found (or not shared with you)"},
    422: {"model": ErrorDoc, "description": "Invalid request or bad input file"},
}
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    413: {"model": ErrorDoc, "description": "Upload larger than the limit"},
    415: {"model": ErrorDoc, "description": "Not a file of the accepted type"},
}


def multipart(description: str, **fields: dict[str, Any]) -> dict[str, Any]:
    """openapi_extra for an upload route whose body is read as a stream (files + fields)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["files"],
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": description,
                            },
                            **fields,
                        },
                    }
                }
            },
        }
    }


class ExerciseMapIn(BaseModel):
    """The athlete's own meaning of a logged exercise name (as `backcheck exercises map`)."""

    model_config = ConfigDict(extra="forbid")
    exercise: str = Field(
        min_length=1,
        max_length=200,
        description="The name as logged.",
        examples=["Lat Pulldown (Gym 2)"],
    )
    key: str = Field(
        min_length=1,
        max_length=100,
        description="A catalog key (GET /api/exercise-catalog).",
        examples=["lat-pulldown-machine"],
    )
