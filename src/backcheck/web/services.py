"""The web app's calls into the core, shared by the pages and the REST API (routes stay thin).

Each function takes the app state and an `Access` (whose athlete, as whom) and makes the same
core call the CLI makes: imports.import_files (via a job), diary.log_pain / import_recovery,
why.why, plan.make_plan, triage_answers.record_answers, video.analyse_video and
formchecks.store_form_check (via a job).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from backcheck.store.webstore import Access
from backcheck.web.deps import AppState, User
from backcheck.web.problems import HttpProblem, not_found
from backcheck.web.uploads import Form, require_kinds

#: Job kind -> (accepted file kinds, what was expected, what to upload instead).
ACCEPT: dict[str, tuple[tuple[str, ...], str, str]] = {
    "import": (
        ("text", "fit"),
        "a workout export",
        "Upload the CSV export from Strong, Hevy, FitNotes or Fitbod, or a Garmin .fit file.",
    ),
    "pain": (
        ("text",),
        "a pain diary CSV",
        "Upload a CSV with the columns date,level,region,note.",
    ),
    "recovery": (
        ("text", "xml", "zip"),
        "a recovery log",
        "Upload a CSV with the columns date,kind,value, or Apple Health's export.xml "
        "or export.zip.",
    ),
    "video": (
        ("video", "text"),
        "a video or landmarks CSV",
        "Upload an mp4, mov, webm or avi video of one set, or a landmarks CSV.",
    ),
}
EXERCISES = ("auto", "bench-press", "push-up", "row", "overhead-press")


def today(who: Access) -> date:
    """Today in the athlete's time zone (clock.local_today)."""
    from backcheck.clock import local_today

    return local_today(who.tz)


def athlete_doc(who: Access) -> dict[str, Any]:
    """How an athlete is shown: store name (used in URLs), display name, the caller's role."""
    return {"athlete": who.athlete, "name": who.display_name, "role": who.role, "tz": who.tz}


def athlete_detail(state: AppState, who: Access) -> dict[str, Any]:
    """An athlete with counts of what is stored (and, for the owner, their coaches)."""
    from backcheck.store import webstore
    from backcheck.store.athletes import count_for
    from backcheck.store.schema import pain, recovery, sessions, sets, videos

    with state.store.transaction() as conn:
        counts = {
            label: count_for(conn, table, who.athlete_id)
            for label, table in (
                ("sessions", sessions),
                ("sets", sets),
                ("pain_entries", pain),
                ("recovery_entries", recovery),
                ("videos", videos),
            )
        }
        coaches = webstore.coaches_of(conn, who.athlete_id) if who.role == "owner" else None
    doc = {**athlete_doc(who), **counts}
    if coaches is not None:
        doc["coaches"] = [
            {"id": c["id"], "name": c["name"], "email": c["email"], "since": c["since"]}
            for c in coaches
        ]
    return doc


def visible(state: AppState, user: User) -> list[Access]:
    """The athletes the user owns or coaches."""
    from backcheck.store import webstore

    with state.store.transaction() as conn:
        return webstore.visible_athletes(conn, user.id)


# ------------------------------------------------------------------ analysis


def why_report(state: AppState, who: Access, *, as_of: date | None = None) -> Any:
    """The `why` report as of `as_of` (None: the analysis day `backcheck why` chooses:
    today, or the last logged day of a log that ended more than 14 days ago), cached while
    the athlete's data is unchanged under today's date and the day asked for."""
    from backcheck.why import why

    now = today(who)
    return state.cache.get(
        "why",
        who,
        day=now,
        extra=(as_of,),
        compute=lambda: why(state.store, athlete=who.athlete, tz=who.tz, as_of=as_of, today=now),
    )


def web_notes(report: Any) -> Any:
    """A copy of the report whose notes point to the page's day picker, not to --as-of."""
    from dataclasses import replace

    from backcheck.analysis.asof import CLI_HINT, WEB_HINT

    return replace(report, notes=[n.replace(CLI_HINT, WEB_HINT) for n in report.notes])


#: The dashboard's weekly charts show this many recent weeks (the full report shows all).
CHART_WEEKS = 104


def recent_charts(report: Any, *, weeks: int = CHART_WEEKS) -> Any:
    """A copy of the report whose chart data keep only the last `weeks` weeks before as_of
    (ten years of weekly bars are unreadable on a phone, and heavy); findings unchanged."""
    from dataclasses import replace

    cutoff = (report.as_of - timedelta(weeks=weeks)).isoformat()

    def keep(row: Any) -> bool:
        if not isinstance(row, dict):
            return True
        when = next((row[k] for k in ("week", "week_start", "date", "day") if row.get(k)), None)
        return when is None or str(when)[:10] >= cutoff

    causes = [
        replace(
            c,
            charts={
                k: [r for r in v if keep(r)] if isinstance(v, list) else v
                for k, v in c.charts.items()
            },
        )
        for c in report.causes
    ]
    return replace(report, causes=causes)


def dashboard(state: AppState, who: Access, *, as_of: date | None = None) -> dict[str, Any]:
    """What the dashboard shows: the report model as the HTML report renders it (charts of
    the last CHART_WEEKS weeks), cached with the report (as of `as_of`: see why_report)."""

    def build() -> dict[str, Any]:
        from backcheck.report.html import context

        report = why_report(state, who, as_of=as_of)
        view = context(recent_charts(web_notes(report)))
        return {"report": report, "view": view, "weeks": CHART_WEEKS}

    return cast(
        dict[str, Any],
        state.cache.get("dashboard", who, day=today(who), extra=(as_of,), compute=build),
    )


def full_report(state: AppState, who: Access, *, as_of: date | None = None) -> str:
    """The whole HTML report (every year), as `backcheck why --html` writes it."""
    from backcheck.report.html import render_html

    def build() -> str:
        report = web_notes(why_report(state, who, as_of=as_of))
        return render_html(report, name=who.display_name, web_base=f"/a/{who.athlete}")

    return str(state.cache.get("report-html", who, day=today(who), extra=(as_of,), compute=build))


def plan(
    state: AppState,
    who: Access,
    *,
    weeks: int = 4,
    start: date | None = None,
    as_of: date | None = None,
) -> Any:
    """The corrective plan (`make_plan`) from the data as of `as_of` (None: the analysis day
    of why_report), starting on `start` (None: the Monday after as_of, or after today);
    cached while the data is unchanged."""
    from backcheck.plan import make_plan

    now = today(who)
    return state.cache.get(
        "plan",
        who,
        day=now,
        extra=(weeks, start, as_of),
        compute=lambda: make_plan(
            state.store,
            athlete=who.athlete,
            tz=who.tz,
            weeks=weeks,
            start=start,
            as_of=as_of,
            today=now,
        ),
    )


def plan_ics(plan_obj: Any) -> bytes:
    """The plan as an RFC 5545 calendar."""
    from backcheck.plan.ics import to_ics

    return to_ics(plan_obj)


# ------------------------------------------------------------------ diary and triage


def log_pain(
    state: AppState,
    who: Access,
    *,
    day: str | None,
    level: int | str,
    region: str | None,
    note: str | None,
) -> bool:
    """One pain diary entry (`diary.log_pain`); False when it was already stored."""
    from backcheck.diary import log_pain as core_log_pain

    new = core_log_pain(
        state.store,
        athlete=who.athlete,
        day=day or today(who).isoformat(),
        level=cast(int, level),  # a form's text too: the core validates it (0-10, names --level)
        where=region or None,
        note=note or None,
        tz=ZoneInfo(who.tz),
    )
    state.cache.invalidate(who.athlete_id)
    return bool(new)


def log_recovery(state: AppState, who: Access, *, rows: list[tuple[str, str, str]]) -> int:
    """Recovery entries (date, kind, value) through the same reader as a recovery CSV
    (`diary.import_recovery`); returns how many were new."""
    from backcheck.diary import import_recovery
    from backcheck.ingest.future import check_not_future

    for day, _kind, _value in rows:  # the same rule as the pain diary's (--date / the date field)
        try:
            when = date.fromisoformat(day[:10])
        except ValueError:
            continue  # the reader says what is wrong with it
        check_not_future(when, today=today(who), parameter="date")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["date", "kind", "value"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory(prefix="backcheck-recovery-") as folder:
        path = Path(folder) / "form"
        path.write_text(text.getvalue(), encoding="utf-8")
        summary = import_recovery(state.store, athlete=who.athlete, path=path, tz=ZoneInfo(who.tz))
    state.cache.invalidate(who.athlete_id)
    return int(summary["new"])


def pain_entries(state: AppState, who: Access, *, last: int | None = None) -> list[dict[str, Any]]:
    """The pain diary, newest first: at (UTC ISO), day (local), level, region, note."""
    from backcheck.store.diary import load_pain

    with state.store.transaction() as conn:
        frame = load_pain(conn, who.athlete)
    rows = frame.reverse().to_dicts()[:last] if last else frame.reverse().to_dicts()
    zone = ZoneInfo(who.tz)
    return [
        {**r, "day": r["at"].astimezone(zone).date().isoformat(), "at": r["at"].isoformat()}
        for r in rows
    ]


def recovery_entries(
    state: AppState, who: Access, *, last: int | None = None
) -> list[dict[str, Any]]:
    """The recovery log, newest first: day, kind, value (sleep hours, else minutes), source."""
    from backcheck.store.diary import load_recovery

    with state.store.transaction() as conn:
        frame = load_recovery(conn, who.athlete)
    rows = frame.reverse().to_dicts()
    return [{**r, "day": r["day"].isoformat()} for r in (rows[:last] if last else rows)]


def triage_state(state: AppState, who: Access) -> dict[str, Any]:
    """The red-flag questions and the latest stored answers (null when never answered)."""
    from backcheck.analysis.triage import QUESTIONS
    from backcheck.store.diary import latest_triage

    with state.store.transaction() as conn:
        latest = latest_triage(conn, who.athlete)
    return {
        "questions": [{"key": q.key, "text": q.text, "level": q.level} for q in QUESTIONS],
        "latest": None
        if latest is None
        else {"answered_at": latest[0].isoformat(), "answers": latest[1]},
    }


def record_triage(state: AppState, who: Access, answers: object) -> dict[str, Any]:
    """Check and store red-flag answers, then assess them with the diary (as `backcheck
    triage` does: triage_answers.record_answers): level, reasons, actions, answers."""
    from backcheck.triage_answers import record_answers

    recorded = record_answers(state.store, athlete=who.athlete, tz=who.tz, answers=answers)
    state.cache.invalidate(who.athlete_id)
    return recorded.to_json()


# ------------------------------------------------------------------ uploads and jobs


def upload_folder(state: AppState) -> Path:
    """A new, not yet created folder for one upload."""
    return state.settings.data_dir / "uploads" / secrets.token_hex(16)


def queue_upload(
    state: AppState,
    user: User,
    who: Access,
    form: Form,
    *,
    kind: str,
    options: dict[str, Any] | None = None,
) -> str:
    """Check the uploaded files' types (415 naming the file) and queue the job that reads them."""
    accept, expected, hint = ACCEPT[kind]
    try:
        if not form.files:
            raise HttpProblem(422, "no_file", f"choose {expected} to upload", {"field": "files"})
        if kind == "video" and len(form.files) > 1:
            raise HttpProblem(
                422, "too_many_files", "upload one video (or landmarks CSV) at a time"
            )
        require_kinds(form, accept=accept, expected=expected, hint=hint)
        payload = {
            "athlete": who.athlete,
            "tz": who.tz,
            "folder": str(form.folder),
            "files": [str(f.path) for f in form.files],
            "kind": form.files[0].kind,
            **(options or {}),
        }
        return state.worker.submit(
            kind=kind, user_id=user.id, athlete_id=who.athlete_id, payload=payload
        )
    except BaseException:
        form.discard()
        raise


def job_for(state: AppState, user: User, job_id: str) -> dict[str, Any]:
    """A job the user started or whose athlete they may see (else 404)."""
    job = state.worker.status(job_id) if len(job_id) <= 64 else None
    if job is None:
        raise not_found("job")
    if job["user_id"] != user.id and job["athlete_id"] not in {
        a.athlete_id for a in visible(state, user)
    }:
        raise not_found("job")
    return job


def job_doc(job: dict[str, Any], *, athlete: str | None = None) -> dict[str, Any]:
    """A job as the API shows it (no server paths)."""
    return {
        "id": job["id"],
        "kind": job["kind"],
        "state": job["state"],
        "progress": round(float(job["progress"]), 3),
        "message": job["message"],
        "athlete": athlete or job["payload"].get("athlete"),
        "result": job["result"],
        "error": job["error"],
        "created_at": job["created_at"].isoformat(),
        "finished_at": job["finished_at"].isoformat() if job["finished_at"] else None,
    }


def videos(state: AppState, who: Access) -> list[dict[str, Any]]:
    """Stored form checks, newest first, each with the job whose annotated video it has."""
    from backcheck.store.diary import load_videos
    from backcheck.store.webjobs import athlete_jobs
    from backcheck.web.tasks import annotated_path

    with state.store.transaction() as conn:
        stored = load_videos(conn, who.athlete)
        done = [j for j in athlete_jobs(conn, who.athlete_id, kind="video") if j["state"] == "done"]
    by_source: dict[tuple[str, str], str] = {}
    for job in reversed(done):
        res = job["result"] or {}
        if res.get("annotated") and annotated_path(state.worker.videos, job["id"]).exists():
            by_source[(res.get("source", ""), res.get("recorded_on", ""))] = job["id"]
    out = []
    for v in reversed(stored):
        key = (v["source_name"], v["recorded_on"].isoformat())
        out.append(
            {
                "recorded_on": key[1],
                "exercise": v["exercise"],
                "source_name": key[0],
                "result": v["result"],
                "annotated_job": by_source.get(key),
            }
        )
    return out


# ------------------------------------------------------------------ exercise names


def exercise_names(state: AppState, who: Access) -> list[dict[str, Any]]:
    """The athlete's logged names (queries.exercise_usage: key, pattern, sets, mapped_by);
    names not understood carry `suggestions`: catalog keys with name and pattern, likeliest
    first (the page's one-click choice)."""
    from backcheck.catalog import load_catalog
    from backcheck.exercises import suggestions
    from backcheck.queries import exercise_usage

    catalog = load_catalog()
    rows = exercise_usage(state.store, athlete=who.athlete)
    for row in rows:
        if row["key"] is None:
            row["suggestions"] = [
                {"key": k, "name": catalog.get(k).name, "pattern": catalog.get(k).pattern}
                for k in suggestions(row["exercise"])
            ]
    return rows


def map_exercise(state: AppState, who: Access, *, name: str, key: str) -> dict[str, Any]:
    """`exercises map NAME --as KEY` (exercises.map_exercise) for this athlete."""
    from backcheck.exercises import map_exercise as core_map

    done = core_map(state.store, athlete=who.athlete, name=name, key=key)
    state.cache.invalidate(who.athlete_id)
    return done


# ------------------------------------------------------------------ undo


def import_log(state: AppState, who: Access, *, last: int | None = None) -> list[dict[str, Any]]:
    """The athlete's imported files, newest first (`last`: only that many): id, file name,
    format, unit, rows, sets kept and new, `skipped` (each skipped row's line and reason)."""
    from backcheck.store.webdata import import_log as stored_log

    with state.store.transaction() as conn:
        rows = stored_log(conn, who.athlete_id, last=last)
    for row in rows:
        row["skipped"] = json.loads(row.pop("skipped_json"))
    return rows


def imports(state: AppState, who: Access) -> list[dict[str, Any]]:
    """The athlete's imports, oldest first (`undo.list_imports`), named by file name only
    (never the server's upload path)."""
    from backcheck.undo import list_imports

    return [
        {**i, "path": Path(i["path"]).name} for i in list_imports(state.store, athlete=who.athlete)
    ]


def delete_import(state: AppState, who: Access, import_id: int) -> dict[str, int]:
    """Undo one import (`undo.delete_import`): {"sets", "sessions"} deleted; 404 if unknown."""
    from backcheck.undo import delete_import as core_delete_import

    done = core_delete_import(state.store, athlete=who.athlete, import_id=import_id)
    state.cache.invalidate(who.athlete_id)
    return done


def unmap_exercise(state: AppState, who: Access, *, name: str) -> None:
    """`exercises unmap NAME` (exercises.unmap_exercise) for this athlete."""
    from backcheck.exercises import unmap_exercise as core_unmap

    core_unmap(state.store, athlete=who.athlete, name=name)
    state.cache.invalidate(who.athlete_id)


def exercise_map(state: AppState, who: Access) -> list[dict[str, Any]]:
    """The athlete's own meanings: exercise, key, pattern (exercises.own_map)."""
    from backcheck.exercises import own_map

    return own_map(state.store, athlete=who.athlete)


def exercise_catalog() -> list[dict[str, Any]]:
    """Every catalog key with its name and pattern (exercises.catalog_listing)."""
    from backcheck.exercises import catalog_listing

    return catalog_listing()


def delete_pain_day(state: AppState, who: Access, day: str) -> int:
    """Delete the pain entries of one local day (`undo.delete_pain_day`); how many went."""
    from backcheck.undo import delete_pain_day as core_delete_pain_day

    gone = core_delete_pain_day(state.store, athlete=who.athlete, day=day, tz=ZoneInfo(who.tz))
    state.cache.invalidate(who.athlete_id)
    return gone


def delete_athlete(state: AppState, who: Access) -> dict[str, int]:
    """Delete the athlete with all their data and files (`undo.delete_athlete`, as `backcheck
    athletes delete`); 409 while one of their uploads is still being processed."""
    from backcheck.store.webjobs import athlete_jobs
    from backcheck.undo import delete_athlete as core_delete_athlete

    with state.store.transaction() as conn:
        busy = [
            j["id"]
            for j in athlete_jobs(conn, who.athlete_id)
            if j["state"] in ("queued", "running")
        ]
    if busy:
        raise HttpProblem(
            409,
            "jobs_running",
            f"{len(busy)} upload(s) are still being processed: wait until they finish, then delete",
            {"jobs": busy},
        )
    counts = core_delete_athlete(state.store, athlete=who.athlete, videos=state.worker.videos)
    state.cache.forget(who.athlete_id)
    return counts
