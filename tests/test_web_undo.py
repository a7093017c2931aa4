"""A deleted account leaves nothing behind (issue 16 point 1), and undo in the web app and the
REST API: DELETE an import, a pain day, an athlete; the undo buttons of the pages."""

from __future__ import annotations

import pytest

from test_web_api import upload
from test_web_pages import finished, page_upload
from webtools import (  # noqa: F401 - fixtures
    HEVY,
    PASSWORD,
    STRONG,
    Web,
    data_rows,
    other_client,
    settings_fixture,
    web_fixture,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def athlete_ids(web: Web) -> dict[str, int]:
    from sqlalchemy import select

    from backcheck.store.schema import athletes

    with web.client.app.state.backcheck.store.transaction() as conn:
        return {r.name: r.id for r in conn.execute(select(athletes.c.name, athletes.c.id))}


def test_a_new_account_sees_nothing_of_a_deleted_one(web: Web) -> None:
    """A and D import, D views and deletes, A imports, E signs up: E sees nothing of D (E was
    given D's athlete id and shown D's cached report)."""
    a = web  # Ann
    a_h = a.api_token()
    a.wait(upload(a, f"/api/athletes/{a.athlete}/imports", [HEVY], a_h).json()["job"]["id"], a_h)
    d = Web(other_client(a.client.app)).signup("Dee", "dee@example.com")
    d_h = d.api_token()
    d.wait(upload(d, f"/api/athletes/{d.athlete}/imports", [STRONG], d_h).json()["job"]["id"], d_h)
    d_base = f"/a/{d.athlete}"
    d_home = d.client.get(f"{d_base}/").text
    assert "No workouts yet" not in d_home  # D's report computed and cached
    assert d.client.get(f"{d_base}/report").status_code == 200
    d_why = d.client.get(f"/api/athletes/{d.athlete}/why", headers=d_h).json()
    assert d_why["data"]["sets"] == data_rows(STRONG)
    d_id = athlete_ids(a)[d.athlete]
    r = d.form("/account", {"action": "delete", "password": PASSWORD, "confirm": "DELETE"})
    assert r.headers["location"] == "/signup?deleted=1"
    a.wait(upload(a, f"/api/athletes/{a.athlete}/imports", [STRONG], a_h).json()["job"]["id"], a_h)
    e = Web(other_client(a.client.app)).signup("Eve", "eve@example.com")
    e_h = e.api_token()
    home = e.client.get(f"/a/{e.athlete}/").text
    assert "No workouts yet" in home
    ids = athlete_ids(a)
    assert d.athlete not in ids and ids[e.athlete] > d_id  # never given again
    assert e.athlete != d.athlete
    doc = e.client.get(f"/api/athletes/{e.athlete}", headers=e_h).json()
    assert (doc["sets"], doc["sessions"], doc["pain_entries"]) == (0, 0, 0)
    why = e.client.get(f"/api/athletes/{e.athlete}/why", headers=e_h)
    assert why.status_code == 404 or why.json()["data"]["sets"] == 0
    assert e.client.get(f"/api/athletes/{e.athlete}/imports", headers=e_h).json()["imports"] == []
    for path in ("/", "/report", "/import", "/pain"):  # D's pages are gone for everyone
        assert e.client.get(f"{d_base}{path}", follow_redirects=False).status_code == 404
    cache = a.client.app.state.backcheck.cache
    assert not [k for k in cache._items if k[1] == d_id]  # forgotten, not just unreachable


def test_api_undo_import_pain_day_and_athlete(web: Web, settings: object) -> None:
    h = web.api_token()
    base = f"/api/athletes/{web.athlete}"
    web.wait(upload(web, f"{base}/imports", [STRONG], h).json()["job"]["id"], h)
    [imp] = web.client.get(f"{base}/imports", headers=h).json()["imports"]
    assert imp["sets"] == data_rows(STRONG) and "id" in imp
    for day, level in (("2026-03-01", 4), ("2026-03-02", 0)):
        web.client.post(
            f"{base}/pain",
            json={"date": day, "level": level, "region": "neck" if level else None},
            headers=h,
        )
    before = web.client.get(f"{base}/why", headers=h).json()["data"]
    assert before["sets"] == data_rows(STRONG) and before["pain_entries"] == 2

    other = Web(other_client(web.client.app)).signup("Bo", "bo@example.com")
    o_h = other.api_token()
    assert other.client.delete(f"{base}/imports/{imp['id']}", headers=o_h).status_code == 404
    assert other.client.delete(f"{base}/pain/2026-03-01", headers=o_h).status_code == 404
    assert other.client.delete(base, headers=o_h).status_code == 404

    r = web.client.delete(f"{base}/pain/2026-03-01", headers=h)
    assert r.status_code == 200 and r.json() == {"deleted": 1}
    assert web.client.delete(f"{base}/pain/2026-03-01", headers=h).status_code == 404
    assert web.client.delete(f"{base}/pain/yesterday", headers=h).status_code in (400, 422)
    assert [e["day"] for e in web.client.get(f"{base}/pain", headers=h).json()["entries"]] == [
        "2026-03-02"
    ]
    r = web.client.delete(f"{base}/imports/{imp['id']}", headers=h)
    assert r.status_code == 200 and r.json()["deleted"]["sets"] == data_rows(STRONG)
    assert web.client.delete(f"{base}/imports/{imp['id']}", headers=h).status_code == 404
    after = web.client.get(f"{base}/why", headers=h)  # the cached report is not served
    assert after.status_code == 404 or after.json()["data"]["sets"] == 0

    r = web.client.delete(base, headers=h)
    assert r.status_code == 200 and r.json()["deleted"]["athletes"] == 1
    assert web.client.get(base, headers=h).status_code == 404
    assert web.client.get("/api/athletes", headers=h).json()["athletes"] == []


def test_pages_undo_an_import_and_a_pain_day(web: Web) -> None:
    base = f"/a/{web.athlete}"
    finished(web, page_upload(web, f"{base}/import", [STRONG]).headers["location"])
    page = web.client.get(f"{base}/import").text
    assert f'action="{base}/imports/' in page and "Delete" in page
    import_id = page.split(f'action="{base}/imports/')[1].split("/")[0]
    r = web.form(f"{base}/imports/{import_id}/delete", {})
    assert r.status_code == 200 and f"{data_rows(STRONG):,} sets" in r.text
    assert "No workouts yet" in web.client.get(f"{base}/").text
    web.form(
        f"{base}/pain", {"date": "2026-02-03", "level": "7", "region": "neck", "note": "after rows"}
    )
    assert "after rows" in web.client.get(f"{base}/pain").text
    web.form(f"{base}/pain", {"date": "2026-02-04", "level": "3", "region": "neck", "note": "kept"})
    for other_site in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        forged = web.client.post(
            f"{base}/pain/2026-02-03/delete", headers=other_site, follow_redirects=False
        )
        assert forged.status_code == 403  # a delete from another site is refused
    assert "after rows" in web.client.get(f"{base}/pain").text
    r = web.form(f"{base}/pain/2026-02-03/delete", {})
    assert r.status_code == 200 and "Deleted 1 entry" in r.text and "after rows" not in r.text
    assert "kept" in r.text  # the other day stays
