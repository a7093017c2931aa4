"""Hostile names in the web app: an export's exercise names and an account's display name are
escaped on every page that shows them (Jinja autoescape), never run as HTML (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_literal_output import hostile_export
from test_web_pages import finished, page_upload
from webtools import TestClient, Web, WebSettings, create_app, settings_fixture  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

NAME = "Ann <img src=x onerror=alert(1)> [/]"
ESCAPED_BENCH = "Bench Press (Barbell) [/] &lt;&#39;&gt;"


def test_names_are_escaped_on_the_pages(settings: WebSettings, tmp_path: Path) -> None:
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        check_pages(Web(client).signup(name=NAME), tmp_path)


def check_pages(web: Web, tmp_path: Path) -> None:
    base = f"/a/{web.athlete}"
    job = page_upload(web, f"{base}/import", [hostile_export(tmp_path)])
    assert job.status_code == 303
    assert "Done." in finished(web, job.headers["location"])
    keys = re.findall(r'name="([a-z_0-9]+)" value="no"', web.client.get(f"{base}/triage").text)
    web.form(f"{base}/triage", {k: "no" for k in keys})
    pages = {
        url: web.client.get(url)
        for url in (f"{base}/", f"{base}/plan?weeks=2", f"{base}/import", "/account")
    }
    for url, page in pages.items():
        assert page.status_code == 200, url
        assert "<img src=x" not in page.text and "<'>" not in page.text, url
    assert "Ann &lt;img src=x onerror=alert(1)&gt; [/]" in pages["/account"].text
    assert ESCAPED_BENCH in pages[f"{base}/"].text
    assert ESCAPED_BENCH in pages[f"{base}/plan?weeks=2"].text
