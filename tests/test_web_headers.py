"""Security headers on every answer, errors included; health data never cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from webtools import TestClient, Web, create_app, make_settings, settings_fixture, web_fixture  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_an_unhandled_error_page_carries_the_security_headers(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, worker=False))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug no route handles")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("a bug no route handles")

    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        for url in ("/boom", "/api/boom"):
            r = c.get(url)
            assert r.status_code == 500, url
            assert r.headers["x-frame-options"] == "DENY"
            assert "default-src 'self'" in r.headers["content-security-policy"]
            assert r.headers["cache-control"] == "no-store"
            assert "a bug no route handles" not in r.text
        assert c.get("/api/boom").json()["error"]["code"]


def test_signed_in_pages_and_api_answers_are_not_stored(web: Web) -> None:
    base = f"/a/{web.athlete}"
    assert web.client.get(base).headers["cache-control"] == "no-store"
    headers = web.api_token()
    r = web.client.get(f"/api/athletes/{web.athlete}/why", headers=headers)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    css = web.client.get("/static/app.css")
    assert css.status_code == 200 and css.headers.get("cache-control") != "no-store"
