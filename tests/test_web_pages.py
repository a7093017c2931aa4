"""Every page in-process, as a browser without JavaScript uses them (forms, redirects)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from webtools import (  # noqa: F401
    HEVY,
    PASSWORD,
    STRONG,
    Web,
    other_client,
    pushup_csv,
    settings_fixture,
    web_fixture,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def page_upload(web: Web, url: str, paths: list[Path], **fields: str):
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]
    return web.client.post(url, files=files, data=fields, follow_redirects=False)


def finished(web: Web, job_url: str, timeout: float = 90) -> str:
    """The job page once its status fragment no longer polls."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        html = web.client.get(job_url + "/status").text
        if 'data-state="done"' in html or 'data-state="failed"' in html:
            return web.client.get(job_url).text
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_import_page_and_summary_with_skipped_rows(web: Web) -> None:
    base = f"/a/{web.athlete}"
    page = web.client.get(f"{base}/import?welcome=1")
    assert (
        page.status_code == 200
        and "Drop your exports here" in page.text
        and "Welcome, Ann" in page.text
    )
    r = page_upload(web, f"{base}/import", [HEVY])
    assert r.status_code == 303 and r.headers["location"].startswith(f"{base}/jobs/")
    html = finished(web, r.headers["location"])
    assert "Done." in html and HEVY.name in html
    skipped = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td></tr>', html)
    assert len(skipped) == 4 and all(why.strip() for _, why in skipped)
    assert "4 rows skipped" in html
    log = web.client.get(f"{base}/import").text
    assert HEVY.name in log and "hevy" in log


def test_import_page_strict_option(web: Web, tmp_path: Path) -> None:
    base = f"/a/{web.athlete}"
    assert 'name="strict"' in web.client.get(f"{base}/import").text
    # The Hevy export's 4 skipped rows are repeats, not unreadable rows: strict imports it.
    r = page_upload(web, f"{base}/import", [HEVY], strict="true")
    assert "Done." in finished(web, r.headers["location"])
    lines = STRONG.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / STRONG.name
    bad.write_text("\n".join([*lines[:5], lines[5].replace(",", ",,", 1), *lines[6:]]) + "\n")
    r = page_upload(web, f"{base}/import", [bad], strict="true")
    html = finished(web, r.headers["location"])
    assert "Done." not in html and f"{STRONG.name}:6:" in html
    r = page_upload(web, f"{base}/import", [bad])
    assert "Done." in finished(web, r.headers["location"])


def test_xhr_upload_answers_json(web: Web) -> None:
    base = f"/a/{web.athlete}"
    r = web.client.post(
        f"{base}/import",
        files=[("files", (STRONG.name, STRONG.read_bytes(), "text/csv"))],
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 202 and r.json()["url"].startswith(f"{base}/jobs/")
    assert "Done." in finished(web, r.json()["url"])


def test_dashboard_shows_red_flags_first_and_charts(web: Web) -> None:
    base = f"/a/{web.athlete}"
    empty = web.client.get(f"{base}/").text
    assert "Red flags not checked yet" in empty and "No workouts yet" in empty
    finished(web, page_upload(web, f"{base}/import", [STRONG]).headers["location"])
    web.form(f"{base}/triage", {"chest_pain": "yes"})
    html = web.client.get(f"{base}/").text
    assert html.index("Call your emergency number now") < html.index(
        "Why does your upper back hurt?"
    )
    assert html.count("<svg") >= 5  # the pain calendar and the cause charts of the report
    for title in ("Posture", "Warm-up", "Recovery"):
        assert title.lower() in html.lower()


def test_pain_page_logs_an_entry(web: Web) -> None:
    base = f"/a/{web.athlete}"
    html = web.client.get(f"{base}/pain").text
    assert 'type="range" min="0" max="10"' in html
    assert len(re.findall(r'data-region="([a-z-]+)"', html)) == 9
    r = web.form(
        f"{base}/pain",
        {"date": "2026-02-03", "level": "7", "region": "shoulder-blade-left", "note": "after rows"},
    )
    assert r.status_code == 200 and "Saved." in r.text and "after rows" in r.text
    r = web.form(f"{base}/pain", {"date": "2026-02-04", "level": "5", "region": ""})
    assert (r.status_code == 400 and "--where" in r.text) or "where" in r.text
    entries = web.client.get(f"/api/athletes/{web.athlete}/pain", headers=web.api_token()).json()
    assert [(e["day"], e["level"], e["region"]) for e in entries["entries"]] == [
        ("2026-02-03", 7, "shoulder-blade-left")
    ]


def test_recovery_page(web: Web) -> None:
    base = f"/a/{web.athlete}"
    assert "Sleep last night" in web.client.get(f"{base}/recovery").text
    r = web.form(
        f"{base}/recovery", {"date": "2026-02-03", "sleep": "6.5", "yoga": "20", "massage": ""}
    )
    assert r.status_code == 200 and "Saved (2 new)" in r.text
    assert web.form(f"{base}/recovery", {"date": "2026-02-03"}).status_code == 400
    r = web.form(f"{base}/recovery", {"date": "2026-02-03", "sleep": "40"})
    assert r.status_code == 400 and "24" in r.text


def test_triage_page(web: Web) -> None:
    base = f"/a/{web.athlete}"
    html = web.client.get(f"{base}/triage").text
    keys = re.findall(r'name="([a-z_0-9]+)" value="no"', html)
    assert "chest_pain" in keys and len(keys) == len(set(keys)) > 20
    r = web.form(f"{base}/triage", {k: "no" for k in keys})
    assert "No red flags" in r.text
    r = web.form(f"{base}/triage", {**{k: "no" for k in keys}, "fever": "yes"})
    assert "Get checked by a doctor soon" in r.text and 'value="yes" checked' in r.text


def test_plan_page_and_calendar(web: Web) -> None:
    pytest.importorskip("backcheck.plan", reason="backcheck.plan is not written yet")
    base = f"/a/{web.athlete}"
    finished(web, page_upload(web, f"{base}/import", [STRONG]).headers["location"])
    keys = re.findall(r'name="([a-z_0-9]+)" value="no"', web.client.get(f"{base}/triage").text)
    web.form(f"{base}/triage", {k: "no" for k in keys})
    html = web.client.get(f"{base}/plan?weeks=2").text
    assert "Week 1" in html and "Week 2" in html and "Week 3" not in html
    ics = web.client.get(f"{base}/plan.ics?weeks=2")
    assert ics.headers["content-disposition"].startswith("attachment")
    sessions = len(re.findall(r"<article class=\"session\">", html))
    assert ics.text.count("BEGIN:VEVENT") == sessions + 1  # and the weekly check-in
    assert web.client.get(f"{base}/plan?weeks=99").status_code == 400


def test_videos_page_shows_the_per_rep_table(web: Web, tmp_path: Path) -> None:
    pytest.importorskip("backcheck.video", reason="backcheck.video is not written yet")
    base = f"/a/{web.athlete}"
    assert "Check my form" in web.client.get(f"{base}/videos").text
    csv_path = pushup_csv(tmp_path / "pushups.csv", reps=4)
    r = page_upload(web, f"{base}/videos", [csv_path], exercise="push-up")
    html = finished(web, r.headers["location"])
    rows = re.findall(r'<tr><th scope="row" class="num">(\d+)</th>', html)
    assert rows == ["1", "2", "3", "4"]
    listing = web.client.get(f"{base}/videos").text
    assert "pushups.csv" in listing and listing.count('<th scope="row" class="num">') == 4


def test_coach_pages_are_read_only(web: Web) -> None:
    coach = Web(other_client(web.client.app)).signup("Cora", "cora@example.com")
    r = web.form(
        "/account", {"action": "invite", "athlete": web.athlete, "email": "cora@example.com"}
    )
    assert "Coach added." in r.text and "cora@example.com" in r.text
    base = f"/a/{web.athlete}"
    assert "Why does your upper back hurt?" in web.client.get(f"{base}/").text
    board = coach.client.get(f"{base}/").text  # the same cached report, worded for the coach
    assert "Why does Ann&#39;s upper back hurt?" in board and "Answer the red-flag" not in board
    athletes = coach.client.get("/athletes").text
    assert f'href="{base}/"' in athletes and "coach" in athletes
    for page in ("", "import", "pain", "recovery", "triage", "videos"):
        r = coach.client.get(f"{base}/{page}")
        assert r.status_code == 200, page
        assert "Only Ann can" in r.text or page == ""
    r = coach.form(f"{base}/pain", {"level": "0"})
    assert r.status_code == 403
    coach_id = re.search(r'name="coach_id" value="(\d+)"', web.client.get("/account").text).group(1)
    r = web.form("/account", {"action": "remove", "athlete": web.athlete, "coach_id": coach_id})
    assert "Coach removed." in r.text
    assert coach.client.get(f"{base}/").status_code == 404


def test_account_actions(web: Web) -> None:
    r = web.form("/account", {"action": "profile", "name": "Ann B", "tz": "America/New_York"})
    assert "Saved." in r.text and 'value="Ann B"' in r.text
    assert (
        web.form("/account", {"action": "profile", "name": "Ann", "tz": "Nowhere"}).status_code
        == 400
    )
    r = web.form("/account", {"action": "token", "name": "laptop"})
    token = re.search(r"data-token>([^<]+)<", r.text).group(1)
    token_id = re.search(r'name="token_id" value="(\d+)"', r.text).group(1)
    assert (
        web.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert "Token revoked." in web.form("/account", {"action": "revoke", "token_id": token_id}).text
    assert (
        web.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    z = zipfile.ZipFile(io.BytesIO(web.client.get("/account/export.zip").content))
    assert "account.json" in z.namelist()
    r = web.form("/account", {"action": "password", "current": "wrong one!", "password": "x" * 12})
    assert r.status_code == 400 and "current password is wrong" in r.text
    r = web.form(
        "/account", {"action": "password", "current": PASSWORD, "password": "a new passphrase"}
    )
    assert r.headers["location"] == "/signin?changed=1"
    assert web.client.get("/account", follow_redirects=False).status_code == 303  # signed out
    r = web.form("/signin", {"email": "ann@example.com", "password": "a new passphrase"})
    assert r.status_code == 303


def test_delete_everything_from_the_page(web: Web) -> None:
    base = f"/a/{web.athlete}"
    finished(web, page_upload(web, f"{base}/import", [STRONG]).headers["location"])
    assert (
        web.form(
            "/account", {"action": "delete", "password": PASSWORD, "confirm": "no"}
        ).status_code
        == 400
    )
    r = web.form("/account", {"action": "delete", "password": PASSWORD, "confirm": "DELETE"})
    assert r.headers["location"] == "/signup?deleted=1"
    store = web.client.app.state.backcheck.store
    from sqlalchemy import func, select

    from backcheck.store.schema import athletes, sets
    from backcheck.store.webstore import users

    with store.transaction() as conn:
        assert conn.execute(select(func.count()).select_from(sets)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(athletes)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(users)).scalar() == 0
    r = web.form("/signin", {"email": "ann@example.com", "password": PASSWORD})
    assert r.status_code == 400


def test_dashboard_says_which_causes_the_diary_cannot_tell_apart(
    web: Web, settings, tmp_path: Path
) -> None:
    """A simulated athlete (#433 of seed 0: warm-up drives the pain, a push/pull imbalance is
    built in without pain) stored under the signed-up athlete: the dashboard names both
    causes and the first change to try (analysis.tiebreak), as the HTML report does."""
    from backcheck.analysis.tiebreak import CHANGE
    from backcheck.diary import import_pain, import_recovery
    from backcheck.imports import import_files
    from backcheck.settings import zone_from_name
    from backcheck.sim.athlete import simulate
    from backcheck.sim.cases import case
    from backcheck.sim.writers import write_athlete_folder
    from backcheck.store import open_store

    c = case(433)
    folder = tmp_path / "athlete"
    write_athlete_folder(simulate(c.profile), folder, fmt="strong")
    zone = zone_from_name("Europe/Berlin")
    store = open_store(settings.db)
    try:
        import_files(store, athlete=web.athlete, paths=[folder / "workouts.csv"], tz=zone)
        import_pain(store, athlete=web.athlete, path=folder / "pain.csv", tz=zone)
        import_recovery(store, athlete=web.athlete, path=folder / "recovery.csv", tz=zone)
    finally:
        store.close()
    html = web.client.get(f"/a/{web.athlete}/").text
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "pain diary cannot yet tell" in words
    assert "Push / pull balance" in words and "Warm-up" in words
    assert CHANGE["imbalance"] in words or CHANGE["warmup"] in words
