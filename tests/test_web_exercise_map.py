"""The athlete's own meaning of logged names in the web app and the REST API: the exercises
page offers names not understood with a one-click choice; GET/PUT/DELETE
/api/athletes/{athlete}/exercise-map; the `why` report changes at once (in-process app on a
real SQLite file)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from backcheck.catalog import load_catalog
from test_exercise_map import AS_OF, PULL, strong_export
from webtools import Web, other_client, settings_fixture, web_fixture  # noqa: F401 - fixtures

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def imported(web: Web, tmp_path: Path) -> dict[str, str]:
    """The API headers, after importing the export with the unknown pull."""
    h = web.api_token()
    path = strong_export(tmp_path / "workouts.csv")
    files = [("files", (path.name, path.read_bytes(), "text/csv"))]
    r = web.client.post(f"/api/athletes/{web.athlete}/imports", files=files, headers=h)
    assert r.status_code == 202, r.text
    assert web.wait(r.json()["job"]["id"], h)["state"] == "done"
    return h


def ratio(web: Web, h: dict[str, str]) -> float | None:
    doc = web.client.get(f"/api/athletes/{web.athlete}/why?as_of={AS_OF}", headers=h).json()
    imbalance = next(c for c in doc["causes"] if c["cause"] == "imbalance")
    return next(e["value"] for e in imbalance["evidence"] if e["metric"] == "push_pull_ratio_sets")


def names(web: Web, h: dict[str, str]) -> dict[str, dict]:
    r = web.client.get(f"/api/athletes/{web.athlete}/exercise-map", headers=h)
    assert r.status_code == 200, r.text
    return {row["exercise"]: row for row in r.json()["exercises"]}


def test_page_shows_the_unknown_name_and_one_click_saves_it(
    web: Web, imported: dict[str, str]
) -> None:
    url = f"/a/{web.athlete}/exercises"
    page = web.client.get(url)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert PULL in text and "<select" in text and "Save" in text
    offered = names(web, imported)[PULL]["suggestions"]
    assert offered and all(load_catalog().get(s["key"]) for s in offered)
    assert ratio(web, imported) is None  # no pulling seen yet
    r = web.form(url, {"exercise": PULL, "action": "map", "key": "seated-row-cable"})
    assert r.status_code == 200, r.text
    assert "now counts as seated-row-cable" in html.unescape(r.text)
    assert names(web, imported)[PULL]["mapped_by"] == "you"
    assert ratio(web, imported) == pytest.approx(1.0)  # the cached report was dropped
    r = web.form(url, {"exercise": PULL, "action": "unmap"})
    assert r.status_code == 200 and names(web, imported)[PULL]["key"] is None
    bad = web.form(url, {"exercise": PULL, "action": "map", "key": "no-such-key"})
    assert bad.status_code == 400 and "exercises --catalog" in html.unescape(bad.text)


def test_rest_put_get_delete(web: Web, imported: dict[str, str]) -> None:
    url = f"/api/athletes/{web.athlete}/exercise-map"
    r = web.client.put(url, json={"exercise": PULL, "key": "seated-row-cable"}, headers=imported)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "exercise": PULL,
        "key": "seated-row-cable",
        "pattern": "horizontal-pull",
        "sets": 48,
    }
    doc = web.client.get(url, headers=imported).json()
    assert doc["map"] == [
        {"exercise": PULL, "key": "seated-row-cable", "pattern": "horizontal-pull"}
    ]
    assert ratio(web, imported) == pytest.approx(1.0)
    r = web.client.delete(url, params={"exercise": PULL}, headers=imported)
    assert r.status_code == 204
    assert ratio(web, imported) is None
    assert web.client.delete(url, params={"exercise": PULL}, headers=imported).status_code == 404
    r = web.client.put(url, json={"exercise": PULL, "key": "seated-row-cabel"}, headers=imported)
    assert r.status_code == 400 and "seated-row-cable" in r.json()["error"]["message"]
    catalog = web.client.get("/api/exercise-catalog", headers=imported).json()["exercises"]
    assert [c["key"] for c in catalog] == list(load_catalog().keys)


def test_a_coach_sees_the_names_but_cannot_map_and_strangers_get_404(
    web: Web, imported: dict[str, str]
) -> None:
    url = f"/api/athletes/{web.athlete}/exercise-map"
    coach = Web(other_client(web.client.app)).signup("Cora", "cora@example.com")
    ch = coach.api_token()
    assert coach.client.get(url, headers=ch).status_code == 404  # not invited: not revealed
    r = web.client.post(
        f"/api/athletes/{web.athlete}/coaches", json={"email": "cora@example.com"}, headers=imported
    )
    assert r.status_code == 201
    assert PULL in {
        row["exercise"] for row in coach.client.get(url, headers=ch).json()["exercises"]
    }
    put = coach.client.put(url, json={"exercise": PULL, "key": "pull-up"}, headers=ch)
    assert put.status_code == 403
    delete = coach.client.delete(url, params={"exercise": PULL}, headers=ch)
    assert delete.status_code == 403
    assert names(web, imported)[PULL]["key"] is None
