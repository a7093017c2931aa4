"""Accounts and protection: Argon2 hashes, cookie flags, cross-site posts refused by their
browser headers (no tokens), sign-in rate limiting, API tokens, and pages that need a
signed-in user."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webtools import (  # noqa: F401 - fixtures
    PASSWORD,
    TestClient,
    Web,
    WebSettings,
    create_app,
    make_settings,
    other_client,
    settings_fixture,
    web_fixture,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_password_is_stored_as_argon2id(web: Web) -> None:
    from backcheck.store.webstore import users

    store = web.client.app.state.backcheck.store
    with store.transaction() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_session_cookie_flags(settings: WebSettings) -> None:
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        w = Web(client)
        r = w.form(
            "/signup", {"name": "Ann", "email": "a@example.com", "password": PASSWORD, "tz": "UTC"}
        )
        cookies = [v for k, v in r.headers.multi_items() if k == "set-cookie"]
        session = next(c for c in cookies if c.startswith("bc_session="))
        flags = {f.strip().lower() for f in session.split(";")[1:]}
        assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
        assert any(f.startswith("max-age=") for f in flags)
        assert r.headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in r.headers["content-security-policy"]


CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # another subdomain is another site's page too
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # a sandboxed frame or a data: page
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_posts_sent_by_another_site_are_refused(web: Web, headers: dict[str, str]) -> None:
    for url, fields in (
        (f"/a/{web.athlete}/pain", {"level": "3", "region": "neck"}),
        (f"/a/{web.athlete}/recovery", {"sleep": "7"}),
        (f"/a/{web.athlete}/triage", {"chest_pain": "no"}),
        ("/account", {"action": "token"}),
        ("/signout", {}),
    ):
        r = web.client.post(url, data=fields, headers=headers, follow_redirects=False)
        assert r.status_code == 403, url
        assert "another site" in r.text and r.headers["x-frame-options"] == "DENY"
    anon = other_client(web.client.app)
    r = anon.post(
        "/signup",
        data={"name": "X", "email": "x@example.com", "password": PASSWORD},
        headers=headers,
    )
    assert r.status_code == 403
    files = {"files": ("a.csv", b"date,level,region,note\n2026-01-01,0,,\n", "text/csv")}
    r = web.client.post(f"/a/{web.athlete}/pain/files", files=files, headers=headers)
    assert r.status_code == 403
    r = web.client.post(
        f"/api/athletes/{web.athlete}/pain",
        json={"date": "2026-01-05", "level": 0},
        headers=headers,
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    assert web.client.get(f"/api/athletes/{web.athlete}/pain").json()["entries"] == []
    assert web.client.get(f"/a/{web.athlete}/pain", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "https://testserver"},
        {},
    ],
)
def test_posts_from_this_site_pass(web: Web, headers: dict[str, str]) -> None:
    url = f"/api/athletes/{web.athlete}/pain"
    r = web.client.post(url, json={"date": "2026-01-05", "level": 0}, headers=headers)
    assert r.status_code == 201


def test_a_script_with_a_token_needs_no_browser_headers(web: Web) -> None:
    url = f"/api/athletes/{web.athlete}/pain"
    entry = {"date": "2026-01-05", "level": 0}
    h = web.api_token()
    other = other_client(web.client.app)  # no cookies at all: a script
    assert other.post(url, json={**entry, "date": "2026-01-06"}, headers=h).status_code == 201


def test_plain_http_on_a_lan_signs_up_and_says_it_is_unencrypted(tmp_path) -> None:
    """`serve --host 192.168.1.20` over http: the browser keeps cookies without Secure and
    sends its Origin, so sign-up works (it failed with "wrong CSRF token" before); pages
    warn about the network. Another site's page is still refused there."""
    cfg = make_settings(tmp_path, worker=False)
    with TestClient(create_app(cfg), base_url="http://192.168.1.20:8000") as client:
        r = client.get("/signup")
        assert "not encrypted" in r.text
        assert not [c for k, c in r.headers.multi_items() if k == "set-cookie"]
        fields = {"name": "Ann", "email": "ann@example.com", "password": PASSWORD}
        r = client.post(
            "/signup",
            data=fields,
            headers={"Origin": "http://192.168.1.20:8000", "Host": "192.168.1.20:8000"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        session = next(c for k, c in r.headers.multi_items() if k == "set-cookie")
        assert session.startswith("bc_session=") and "secure" not in session.lower()
        athlete = r.headers["location"].split("/")[2]
        assert client.get(f"/a/{athlete}/pain").status_code == 200  # signed in: cookie kept
        for refused in (
            {"Origin": "http://evil.example:8000"},
            {"Origin": "http://192.168.1.21:8000"},
            {"Sec-Fetch-Site": "cross-site", "Origin": "http://192.168.1.20:8000"},
        ):
            r = client.post(
                f"/a/{athlete}/pain", data={"level": "3", "region": "neck"}, headers=refused
            )
            assert r.status_code == 403 and "another site" in r.text, refused
        r = client.post(
            f"/a/{athlete}/pain",
            data={"level": "3", "region": "neck"},
            headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://192.168.1.20:8000"},
        )
        assert r.status_code == 200 and "Saved." in r.text
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        assert "not encrypted" not in client.get("/signup").text
    with TestClient(create_app(cfg), base_url="http://127.0.0.1:8000") as client:
        assert "not encrypted" not in client.get("/signup").text


def test_pages_carry_no_csrf_token_or_cookie(web: Web) -> None:
    """The Origin / Sec-Fetch-Site check needs no token: no page renders one, no response
    sets a cookie but the session's."""
    for page in ("/account", f"/a/{web.athlete}/pain", f"/a/{web.athlete}/import"):
        r = web.client.get(page)
        assert r.status_code == 200 and "csrf" not in r.text.lower(), page
        assert not [c for k, c in r.headers.multi_items() if k == "set-cookie"], page
    anon = other_client(web.client.app)
    for page in ("/signup", "/signin"):
        r = anon.get(page)
        assert "csrf" not in r.text.lower() and "set-cookie" not in r.headers, page


def test_sign_in_out_and_wrong_password(web: Web) -> None:
    r = web.form("/signout", {})
    assert r.status_code == 303
    assert (
        web.client.get("/account", follow_redirects=False).headers["location"]
        == "/signin?next=/account"
    )
    assert (
        web.form("/signin", {"email": "ann@example.com", "password": "nope nope nope"}).status_code
        == 400
    )
    r = web.form("/signin", {"email": "ANN@example.com", "password": PASSWORD, "next": "/account"})
    assert (r.status_code, r.headers["location"]) == (303, "/account")
    r = web.form(
        "/signin",
        {"email": "ann@example.com", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert r.headers["location"] == f"/a/{web.athlete}/"


def test_sign_in_is_rate_limited(tmp_path) -> None:
    cfg = make_settings(tmp_path, login_attempts=3, login_window_s=600)
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        w = Web(client).signup()
        w.form("/signout", {})
        codes = [
            w.form("/signin", {"email": "ann@example.com", "password": f"wrong {i}"}).status_code
            for i in range(3)
        ]
        assert codes == [400, 400, 400]
        r = w.form("/signin", {"email": "ann@example.com", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 500
        assert "Too many" in r.text


def test_signup_checks_input(web: Web) -> None:
    anon = Web(other_client(web.client.app))
    r = anon.form("/signup", {"name": "B", "email": "ann@example.com", "password": PASSWORD})
    assert r.status_code == 400 and "already exists" in r.text
    r = anon.form("/signup", {"name": "B", "email": "b@example.com", "password": "short"})
    assert r.status_code == 400 and "10" in r.text
    r = anon.form("/signup", {"name": "B", "email": "not-an-email", "password": PASSWORD})
    assert r.status_code == 400 and "not an email" in r.text
    r = anon.form(
        "/signup",
        {"name": "B", "email": "b@example.com", "password": PASSWORD, "tz": "Mars/Olympus"},
    )
    assert r.status_code == 400 and "time zone" in r.text
    assert 'value="b@example.com"' in r.text and PASSWORD not in r.text


def test_pages_need_sign_in_and_hide_other_athletes(web: Web) -> None:
    anon = other_client(web.client.app)
    for path in ("/", f"/a/{web.athlete}/", f"/a/{web.athlete}/plan", "/account", "/athletes"):
        r = anon.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith(("/signin", "/signup")), (
            path
        )
    other = Web(other_client(web.client.app)).signup("Bo", "bo@example.com")
    for page in ("", "import", "pain", "recovery", "triage", "videos", "plan", "plan.ics"):
        r = other.client.get(f"/a/{web.athlete}/{page}")
        assert r.status_code == 404, page
        assert "Ann" not in r.text, page
    r = other.client.post(f"/a/{web.athlete}/pain", data={"level": "0"})
    assert r.status_code == 404
    assert re.search(r"not found", other.client.get("/a/nobody/").text, re.I)
