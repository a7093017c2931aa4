"""API fuzzing: schemathesis generates requests from /openapi.json (valid and invalid ones)
and sends them, with a valid API token, to the app in-process. No answer may be a 5xx.

Schemathesis' own pytest plugin does not run on this pytest, so each operation is one
parametrized test that draws cases from the operation's Hypothesis strategy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from webtools import STRONG, TestClient, Web, create_app, make_settings

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed (dev extra)"
)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]
EXAMPLES = int(os.environ.get("BACKCHECK_FUZZ_EXAMPLES", "25"))


def operations() -> list[tuple[str, str]]:
    """(method, path) of every API operation, read from the app's OpenAPI document."""
    doc = create_app(make_settings(Path("unused"))).openapi()
    return [(m.upper(), p) for p, ops in doc["paths"].items() for m in ops if p.startswith("/api/")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "operation" in metafunc.fixturenames:
        ops = operations()
        metafunc.parametrize("operation", ops, ids=[f"{m} {p}" for m, p in ops])


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The running app (worker on) with one user, a token and an imported export."""
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    app = create_app(make_settings(tmp, max_upload_mb=2, max_video_mb=2))
    with TestClient(app, base_url="https://testserver") as client:
        web = Web(client).signup()
        headers = web.api_token()
        files = [("files", (STRONG.name, STRONG.read_bytes(), "text/csv"))]
        job = client.post(f"/api/athletes/{web.athlete}/imports", files=files, headers=headers)
        web.wait(job.json()["job"]["id"], headers)
        token_id = client.get("/api/tokens", headers=headers).json()["tokens"][0]["id"]
        yield {
            "schema": schemathesis.openapi.from_asgi("/openapi.json", app),
            "athlete": web.athlete,
            "headers": headers,
            "token_id": token_id,
        }


def test_no_server_errors(api: dict[str, Any], operation: tuple[str, str]) -> None:
    method, path = operation
    op = api["schema"][path][method]

    @given(case=op.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def check(case: Any) -> None:
        params = case.path_parameters or {}
        if "athlete" in params and (method, path) != ("DELETE", "/api/athletes/{athlete}"):
            params["athlete"] = api["athlete"]  # reach the handlers, not only the 404
            # (but never delete the athlete every other operation uses)
        if params.get("token_id") == api["token_id"]:
            params["token_id"] = api["token_id"] + 1000  # keep the token the run uses
        case.call_and_validate(headers=api["headers"], checks=[not_a_server_error])

    check()
