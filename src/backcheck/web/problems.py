"""Errors at the web edge: one mapping from any exception to (status, error document).

Every API error is `{"error": {"code", "message", "details"}}`; pages show the same message
in the error page. Domain errors (backcheck.errors) keep their wording; an InputError names
the uploaded file by its own name (never the server's temporary path).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from backcheck.errors import (
    BackcheckError,
    InputError,
    MissingExtraError,
    NotFoundError,
    StoreError,
    UsageError,
)
from backcheck.web.security import CsrfError

log = logging.getLogger("backcheck.web")

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_type",
    422: "invalid_request",
    429: "too_many_requests",
}


class HttpProblem(Exception):  # noqa: N818 - an HTTP problem document (RFC 9457 style)
    """An HTTP error with a machine-readable code, a message for people and details."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class Unauthorized(HttpProblem):
    """No valid session cookie or API token (pages redirect to sign-in instead)."""

    def __init__(self) -> None:
        super().__init__(
            401,
            "unauthorized",
            "sign in first (or send an API token: Authorization: Bearer bc_...)",
            headers={"WWW-Authenticate": "Bearer"},
        )


def not_found(what: str) -> HttpProblem:
    """404 that does not reveal whether the thing exists for someone else."""
    return HttpProblem(404, "not_found", f"no {what} here (or it is not shared with you)")


def input_problem(exc: InputError) -> tuple[int, dict[str, Any]]:
    """422 for a bad file: `NAME:LINE: what is wrong`, with the file's own name."""
    name = Path(exc.path).name
    where = f"{name}:{exc.line}" if exc.line is not None else name
    return 422, {
        "code": "bad_input",
        "message": f"{where}: {exc.reason}",
        "details": {"file": name, "line": exc.line, "reason": exc.reason},
    }


def problem(exc: BaseException) -> tuple[int, dict[str, Any], dict[str, str]]:
    """HTTP status, the `error` object and extra headers for any exception."""
    if isinstance(exc, HttpProblem):
        return (
            exc.status,
            {"code": exc.code, "message": exc.message, "details": exc.details},
            exc.headers,
        )
    if isinstance(exc, CsrfError):
        return 403, {"code": "csrf", "message": str(exc), "details": {}}, {}
    if isinstance(exc, InputError):
        status, doc = input_problem(exc)
        return status, doc, {}
    if isinstance(exc, UsageError):
        return (
            400,
            {
                "code": "bad_parameter",
                "message": exc.message,
                "details": {"parameter": exc.parameter.lstrip("-")},
            },
            {},
        )
    if isinstance(exc, NotFoundError):
        return 404, {"code": "not_found", "message": exc.message, "details": {}}, {}
    if isinstance(exc, MissingExtraError):
        return (
            501,
            {"code": "missing_extra", "message": exc.message, "details": {"extra": exc.extra}},
            {},
        )
    if isinstance(exc, StoreError):
        log.error("store error: %s", exc.message)
        return 503, {"code": "store_unavailable", "message": exc.message, "details": {}}, {}
    if isinstance(exc, BackcheckError):
        return 400, {"code": "bad_request", "message": exc.message, "details": {}}, {}
    if isinstance(exc, RequestValidationError):
        errors = jsonable_encoder(exc.errors(), custom_encoder={bytes: lambda b: repr(b)[:80]})
        for e in errors:
            e.pop("input", None)
            e.pop("ctx", None)
            e.pop("url", None)
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", []))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        return (
            422,
            {"code": "invalid_request", "message": message, "details": {"errors": errors}},
            {},
        )
    if isinstance(exc, StarletteHTTPException):
        code = HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return (
            exc.status_code,
            {"code": code, "message": message, "details": {}},
            dict(exc.headers or {}),
        )
    log.exception("unexpected error", exc_info=exc)
    return (
        500,
        {"code": "internal", "message": "something went wrong on our side", "details": {}},
        {},
    )
