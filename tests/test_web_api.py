"""The REST API in-process: every resource of docs/interface.md with real exports, and who may see what."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from webtools import (  # noqa: F401 - fixtures
    HEVY,
    PASSWORD,
    STRONG,
    Web,
    data_rows,
    other_client,
    pushup_csv,
    settings_fixture,
    web_fixture,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def upload(web: Web, url: str, paths: list[Path], headers: dict[str, str], **fields: str):
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]
    return web.client.post(url, files=files, data=fields, headers=headers)


def test_anonymous_gets_401_everywhere(web: Web) -> None:
    anon = other_client(web.client.app)
    for path in ("/api/athletes", f"/api/athletes/{web.athlete}/why", "/api/jobs/x", "/api/me"):
        r = anon.get(path)
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unauthorized"
    assert anon.get("/api/me", headers={"Authorization": "Bearer bc_wrong"}).status_code == 401
    assert anon.get("/api/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_import_job_matches_the_file(web: Web) -> None:
    h = web.api_token()
    r = upload(web, f"/api/athletes/{web.athlete}/imports", [STRONG, HEVY], h)
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/api/jobs/{r.json()['job']['id']}"
    job = web.wait(r.json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    files = {f["path"]: f for f in job["result"]["files"]}
    for path in (STRONG, HEVY):
        f = files[path.name]  # the user's file name, never the server's temporary path
        assert f["rows"] == data_rows(path)
        assert f["sets"] + len(f["skipped"]) == f["rows"]
        assert all(s["why"] for s in f["skipped"])
    assert job["result"]["new_sets"] == sum(f["sets"] for f in files.values())
    log = web.client.get(f"/api/athletes/{web.athlete}/imports", headers=h).json()["imports"]
    assert {i["file_name"] for i in log} == {STRONG.name, HEVY.name}
    again = upload(web, f"/api/athletes/{web.athlete}/imports", [STRONG], h)
    job = web.wait(again.json()["job"]["id"], h)
    assert job["result"]["new_sets"] == 0
    assert job["result"]["already_there"] == data_rows(STRONG)


def test_bad_export_fails_the_job_with_file_and_line(web: Web, tmp_path: Path) -> None:
    h = web.api_token()
    bad = tmp_path / "broken.csv"
    lines = STRONG.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("Weight")] = "heavy"
    bad.write_text("\n".join([*lines[:3], ",".join(cells), *lines[4:]]) + "\n", encoding="utf-8")
    url = f"/api/athletes/{web.athlete}/imports"
    r = upload(web, url, [bad], h, format="strong", strict="true")
    job = web.wait(r.json()["job"]["id"], h)
    assert job["state"] == "failed"
    assert job["error"]["message"].startswith("broken.csv:4:")
    assert job["error"]["details"]["line"] == 4
    assert web.client.get(f"/api/athletes/{web.athlete}", headers=h).json()["sets"] == 0
    # Without --strict the one odd row is skipped and listed, and the rest is imported.
    job = web.wait(upload(web, url, [bad], h, format="strong").json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    (f,) = job["result"]["files"]
    assert [s["line"] for s in f["skipped"]] == [4] and "heavy" in f["skipped"][0]["why"]
    assert f["sets"] == data_rows(bad) - 1
    assert upload(web, url, [bad], h, strict="perhaps").status_code == 400


def test_pain_and_recovery(web: Web) -> None:
    h = web.api_token()
    base = f"/api/athletes/{web.athlete}"
    entry = {"date": "2026-03-02", "level": 6, "region": "between-shoulder-blades", "note": "rows"}
    r = web.client.post(f"{base}/pain", json=entry, headers=h)
    assert (r.status_code, r.json()) == (201, {"new": True})
    assert web.client.post(f"{base}/pain", json=entry, headers=h).json() == {"new": False}
    r = web.client.post(f"{base}/pain", json={**entry, "region": "knee"}, headers=h)
    assert r.status_code == 400
    assert r.json()["error"]["details"]["parameter"] == "where"
    assert (
        web.client.post(f"{base}/pain", json={**entry, "level": 11}, headers=h).status_code == 422
    )
    got = web.client.get(f"{base}/pain", headers=h).json()["entries"]
    assert [(e["day"], e["level"], e["region"], e["note"]) for e in got] == [
        ("2026-03-02", 6, "between-shoulder-blades", "rows")
    ]
    r = web.client.post(
        f"{base}/recovery", json={"date": "2026-03-02", "kind": "sleep", "value": 6.5}, headers=h
    )
    assert (r.status_code, r.json()) == (201, {"new": 1})
    r = web.client.post(
        f"{base}/recovery", json={"date": "2026-03-02", "kind": "sleep", "value": 30}, headers=h
    )
    assert r.status_code == 422 and "24" in r.json()["error"]["message"]
    rec = web.client.get(f"{base}/recovery", headers=h).json()["entries"]
    assert [(e["day"], e["kind"], e["value"]) for e in rec] == [("2026-03-02", "sleep", 6.5)]


def test_diary_files_are_imported_by_jobs(web: Web) -> None:
    h = web.api_token()
    base = f"/api/athletes/{web.athlete}"
    pain_csv = Path(__file__).parent / "data" / "variants_health" / "pain_diary.csv"
    job = web.wait(upload(web, f"{base}/pain/files", [pain_csv], h).json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    assert job["result"]["new"] == data_rows(pain_csv) - len(job["result"]["files"][0]["skipped"])
    xml = Path(__file__).parent / "data" / "variants_health" / "export.xml"
    files = [("files", ("export.xml", xml.read_bytes(), "application/xml"))]
    r = web.client.post(f"{base}/recovery/files", files=files, headers=h)
    job = web.wait(r.json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    stored = web.client.get(f"{base}/recovery", headers=h).json()["entries"]
    assert len(stored) == job["result"]["new"] > 0
    assert {e["source"] for e in stored} == {"apple-health"}


def test_triage_why_plan(web: Web) -> None:
    h = web.api_token()
    base = f"/api/athletes/{web.athlete}"
    state = web.client.get(f"{base}/triage", headers=h).json()
    assert state["latest"] is None and any(q["key"] == "chest_pain" for q in state["questions"])
    r = web.client.post(f"{base}/triage", json={"chest_pan": False}, headers=h)
    assert r.status_code == 422 and "chest_pain" in r.json()["error"]["message"]
    answers = {q["key"]: False for q in state["questions"]}
    r = web.client.post(f"{base}/triage", json=answers, headers=h)
    assert r.status_code == 200 and r.json()["level"] == "none"
    why = web.client.get(f"{base}/why", headers=h).json()
    assert why["schema"] == "backcheck.why/1" and why["athlete"] == web.athlete
    assert len(why["causes"]) == 5 and why["red_flags"]["level"] == "none"
    old = web.client.get(f"{base}/why", params={"as_of": "1800-01-01"}, headers=h)
    assert old.status_code == 400
    web.client.post(f"{base}/triage", json={**answers, "chest_pain": True}, headers=h)
    assert web.client.get(f"{base}/why", headers=h).json()["red_flags"]["level"] == "emergency"
    plan = web.client.get(f"{base}/plan", params={"weeks": 2}, headers=h).json()
    assert plan["schema"] == "backcheck.plan/1" and plan["withheld"]
    web.client.post(f"{base}/triage", json=answers, headers=h)
    web.wait(upload(web, f"{base}/imports", [STRONG], h).json()["job"]["id"], h)
    plan = web.client.get(f"{base}/plan", params={"weeks": 2}, headers=h).json()
    assert plan["withheld"] is None and len(plan["weeks"]) == 2
    ics = web.client.get(f"{base}/plan", params={"format": "ics"}, headers=h)
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR")
    weeks = web.client.get(f"{base}/plan", headers=h).json()["weeks"]
    n_sessions = sum(len(w["sessions"]) for w in weeks)
    assert ics.text.count("BEGIN:VEVENT") == n_sessions + 1  # and the weekly check-in
    assert web.client.get(f"{base}/plan", params={"weeks": 40}, headers=h).status_code == 422


def test_video_landmarks_job(web: Web, tmp_path: Path) -> None:
    h = web.api_token()
    base = f"/api/athletes/{web.athlete}"
    csv_path = pushup_csv(tmp_path / "pushups.csv", reps=3)
    files = [("files", (csv_path.name, csv_path.read_bytes(), "text/csv"))]
    r = web.client.post(
        f"{base}/videos",
        files=files,
        data={"exercise": "push-up", "recorded_on": "2026-03-01"},
        headers=h,
    )
    assert r.status_code == 202, r.text
    job = web.wait(r.json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    assert job["result"]["video"]["schema"] == "backcheck.video/1"
    assert len(job["result"]["video"]["reps"]) == 3
    videos = web.client.get(f"{base}/videos", headers=h).json()["videos"]
    assert [(v["recorded_on"], v["exercise"], len(v["result"]["reps"])) for v in videos] == [
        ("2026-03-01", "push-up", 3)
    ]
    assert videos[0]["annotated_url"] is None  # a landmarks CSV has no pixels to draw on
    r = web.client.post(f"{base}/videos", files=files, data={"exercise": "squat"}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["details"]["parameter"] == "exercise"


def test_coach_sees_only_when_invited(web: Web) -> None:
    owner = web.api_token()
    coach = Web(other_client(web.client.app)).signup("Cora", "cora@example.com")
    ch = coach.api_token()
    base = f"/api/athletes/{web.athlete}"
    assert coach.client.get(f"{base}/why", headers=ch).status_code == 404
    assert coach.client.get("/api/athletes/u999/why", headers=ch).status_code == 404
    r = web.client.post(f"{base}/coaches", json={"email": "CORA@example.com"}, headers=owner)
    assert r.status_code == 201 and r.json()["added"] is True
    assert [
        a["athlete"] for a in coach.client.get("/api/athletes", headers=ch).json()["athletes"]
    ] == [coach.athlete, web.athlete]
    assert coach.client.get(f"{base}/why", headers=ch).status_code == 200
    r = coach.client.post(f"{base}/pain", json={"level": 0}, headers=ch)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert coach.client.get(f"{base}/coaches", headers=ch).status_code == 403
    coach_id = r = web.client.get(f"{base}/coaches", headers=owner).json()["coaches"][0]["id"]
    assert web.client.delete(f"{base}/coaches/{coach_id}", headers=owner).status_code == 204
    assert coach.client.get(f"{base}/why", headers=ch).status_code == 404
    r = web.client.post(f"{base}/coaches", json={"email": "nobody@example.com"}, headers=owner)
    assert r.status_code == 404


def test_jobs_are_private(web: Web) -> None:
    h = web.api_token()
    r = upload(web, f"/api/athletes/{web.athlete}/imports", [STRONG], h)
    job_id = r.json()["job"]["id"]
    other = Web(other_client(web.client.app)).signup("Bo", "bo@example.com")
    assert other.client.get(f"/api/jobs/{job_id}", headers=other.api_token()).status_code == 404
    assert web.client.get(f"/api/jobs/{job_id}", headers=h).status_code == 200


def test_tokens_me_export_and_delete(web: Web) -> None:
    h = web.api_token()
    me = web.client.get("/api/me", headers=h).json()
    assert me["email"] == "ann@example.com" and me["athletes"][0]["role"] == "owner"
    made = web.client.post("/api/tokens", json={"name": "cron"}, headers=h).json()
    listed = web.client.get("/api/tokens", headers=h).json()["tokens"]
    assert {t["name"] for t in listed} == {"tests", "cron"}
    assert all("token" not in t for t in listed)
    cron = {"Authorization": f"Bearer {made['token']}"}
    assert web.client.get("/api/me", headers=cron).status_code == 200
    assert web.client.delete(f"/api/tokens/{made['id']}", headers=h).status_code == 204
    assert web.client.get("/api/me", headers=cron).status_code == 401
    base = f"/api/athletes/{web.athlete}"
    web.client.post(
        f"{base}/pain", json={"date": "2026-03-02", "level": 4, "region": "neck"}, headers=h
    )
    web.wait(upload(web, f"{base}/imports", [STRONG], h).json()["job"]["id"], h)
    z = zipfile.ZipFile(io.BytesIO(web.client.get("/api/me/export", headers=h).content))
    names = set(z.namelist())
    assert {
        "README.txt",
        "account.json",
        f"{web.athlete}/sets.csv",
        f"{web.athlete}/pain.csv",
        f"{web.athlete}/why.json",
    } <= names
    sets_csv = z.read(f"{web.athlete}/sets.csv").decode()
    assert sets_csv.count("\n") - 1 == data_rows(STRONG)
    assert "neck" in z.read(f"{web.athlete}/pain.csv").decode()
    assert json.loads(z.read("account.json"))["account"]["email"] == "ann@example.com"
    r = web.client.post("/api/me/delete", json={"password": "wrong password!"}, headers=h)
    assert r.status_code == 403
    r = web.client.post("/api/me/delete", json={"password": PASSWORD}, headers=h)
    assert r.json() == {"deleted": True, "athletes": 1}
    assert web.client.get("/api/me", headers=h).status_code == 401


def test_openapi_lists_the_resources(web: Web) -> None:
    doc = web.client.get("/openapi.json").json()
    paths = doc["paths"]
    for resource in ("imports", "pain", "recovery", "triage", "why", "videos", "plan"):
        assert f"/api/athletes/{{athlete}}/{resource}" in paths
    assert "/api/athletes" in paths and "/api/jobs/{job_id}" in paths
    assert (
        "multipart/form-data"
        in paths["/api/athletes/{athlete}/imports"]["post"]["requestBody"]["content"]
    )
    assert not any(p.startswith("/a/") or p in ("/signin", "/signup") for p in paths)
