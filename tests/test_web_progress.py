"""Follow-through in the web app: Start this plan, the Progress page, the Summary, the API."""

from __future__ import annotations

import re

import pytest

from test_web_pages import finished, page_upload
from webtools import STRONG, Web, other_client, settings_fixture, web_fixture  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_start_a_plan_then_follow_it(web: Web) -> None:
    base = f"/a/{web.athlete}"
    r = page_upload(web, f"{base}/import", [STRONG])
    assert "Done." in finished(web, r.headers["location"])
    empty = web.client.get(f"{base}/progress").text
    assert "No plan started yet" in empty and 'aria-current="page">Progress' in empty
    plan = web.client.get(f"{base}/plan?weeks=2").text
    assert "Start this plan" in plan
    start = re.search(r'name="start" value="([0-9-]+)"', plan).group(1)
    r = web.form(f"{base}/plan/start", {"weeks": "2", "start": start})
    assert r.status_code == 303 and r.headers["location"] == f"{base}/progress?started=1"
    page = web.client.get(r.headers["location"]).text
    assert "Plan started." in page and f"Plan from {start}, 2 weeks" in page
    assert 'id="chart-progress"' in page or "has not started yet" in page
    headers = web.api_token()
    doc = web.client.get(f"/api/athletes/{web.athlete}/progress", headers=headers).json()
    assert doc["schema"] == "backcheck.progress/1" and doc["plan"]["start"] == start
    later = web.client.get(
        f"/api/athletes/{web.athlete}/progress", params={"as_of": "2030-01-31"}, headers=headers
    ).json()
    assert later["as_of"] == "2030-01-31" and len(later["weeks"]) >= 2
    summary = web.client.get(f"{base}/summary")
    assert summary.status_code == 200 and "summary for a professional" in summary.text
    assert f"From {start}" in summary.text


def test_the_api_saves_a_plan_and_guards_it(web: Web) -> None:
    headers = web.api_token()
    url = f"/api/athletes/{web.athlete}"
    assert web.client.get(f"{url}/progress", headers=headers).status_code == 404
    files = [("files", (STRONG.name, STRONG.read_bytes(), "text/csv"))]
    job = web.client.post(f"{url}/imports", files=files, headers=headers).json()["job"]
    assert web.wait(job["id"], headers)["state"] == "done"
    r = web.client.post(f"{url}/plan/save", params={"weeks": 3}, headers=headers)
    assert r.status_code == 201 and len(r.json()["weeks"]) == 3
    doc = web.client.get(f"{url}/progress", headers=headers).json()
    assert doc["plan"]["start"] == r.json()["start"] and doc["plan"]["weeks"] == 3
    stranger = Web(other_client(web.client.app)).signup(name="Eve", email="eve@example.com")
    h2 = stranger.api_token()
    assert web.client.get(f"{url}/progress", headers=h2).status_code == 404
    assert web.client.post(f"{url}/plan/save", headers=h2).status_code == 404
    assert web.client.get(f"{url}/summary", headers=h2).status_code == 404
