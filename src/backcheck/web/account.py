"""All my data: export it (JSON + CSV in one zip) or delete it, account included.

The zip holds `account.json` (the account, tokens by name, coaches) and, per owned athlete,
a folder with `sets.csv` (canonical sets), `pain.csv` and `recovery.csv` (backcheck's own
diary formats, ready to import again), `triage.json`, `videos.json`, `imports.json`,
`why.json` (the report today) and `README.txt`. Text cells of the CSV files that a spreadsheet
would run as a formula (starting with `= + - @`, tab or carriage return) get a leading `'`
(textsafe.spreadsheet_safe). Deleting removes the account, every
athlete it owns with all their data, their cached files, uploads and annotated videos.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

from backcheck.errors import NotFoundError
from backcheck.store import webdata, webstore
from backcheck.store.webjobs import get_job, user_job_ids
from backcheck.textsafe import spreadsheet_safe
from backcheck.web.deps import AppState, User
from backcheck.web.problems import HttpProblem

README = """Everything backcheck stores for your account, exported {stamp}.

account.json          your account, API tokens (names only) and coaches
<athlete>/sets.csv    every workout set as imported (kg, seconds, UTC times)
<athlete>/pain.csv    the pain diary (date,level,region,note): `backcheck pain import` reads it
<athlete>/recovery.csv  sleep and recovery (date,kind,value): `backcheck recovery import` reads it
<athlete>/triage.json   red-flag answers with the time they were given
<athlete>/videos.json   form-check results (backcheck.video/1)
<athlete>/imports.json  the files you imported and the rows that were skipped
<athlete>/why.json      the why report as of the export (backcheck.why/1)

In the CSV files, a text cell that starts with = + - @, a tab or a carriage return has a ' put
in front, so that a spreadsheet shows it as text and never runs it as a formula.
"""


def _json(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def export_zip(state: AppState, user: User) -> bytes:
    """The zip of everything stored for the user (see the module docstring)."""
    from backcheck.store.diary import load_pain, load_recovery, load_videos
    from backcheck.store.workouts import load_sets
    from backcheck.why import why

    buf = io.BytesIO()
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    with state.store.transaction() as conn:
        account = webstore.user_by_id(conn, user.id)
        owned = [a for a in webstore.visible_athletes(conn, user.id) if a.role == "owner"]
        coached = [a for a in webstore.visible_athletes(conn, user.id) if a.role == "coach"]
        tokens = webstore.list_tokens(conn, user.id)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", README.format(stamp=stamp))
        zf.writestr(
            "account.json",
            _json(
                {
                    "exported_at": stamp,
                    "account": account,
                    "api_tokens": [
                        {k: t[k] for k in ("name", "prefix", "created_at", "last_used_at")}
                        for t in tokens
                    ],
                    "athletes": [{"athlete": a.athlete, "name": a.display_name} for a in owned],
                    "coaching": [{"athlete": a.athlete, "name": a.display_name} for a in coached],
                }
            ),
        )
        for who in owned:
            folder = who.athlete
            with state.store.transaction() as conn:
                sets = load_sets(conn, who.athlete)
                pain = load_pain(conn, who.athlete)
                recovery = load_recovery(conn, who.athlete)
                extra = {
                    "triage.json": [
                        {"answered_at": t["answered_at"], "answers": json.loads(t["answers_json"])}
                        for t in webdata.triage_history(conn, who.athlete_id)
                    ],
                    "videos.json": load_videos(conn, who.athlete),
                    "imports.json": [
                        {
                            **{k: v for k, v in i.items() if k != "skipped_json"},
                            "skipped": json.loads(i["skipped_json"]),
                        }
                        for i in webdata.import_log(conn, who.athlete_id)
                    ],
                    "coaches.json": webstore.coach_history(conn, who.athlete_id),
                }
            zf.writestr(f"{folder}/sets.csv", spreadsheet_safe(sets).write_csv())
            pain_rows = pain.select(
                pain["at"].dt.convert_time_zone(who.tz).dt.strftime("%Y-%m-%dT%H:%M").alias("date"),
                "level",
                "region",
                "note",
            )
            zf.writestr(f"{folder}/pain.csv", spreadsheet_safe(pain_rows).write_csv())
            zf.writestr(
                f"{folder}/recovery.csv",
                spreadsheet_safe(
                    recovery.select(recovery["day"].cast(str).alias("date"), "kind", "value")
                ).write_csv(),
            )
            for name, doc in extra.items():
                zf.writestr(f"{folder}/{name}", _json(doc))
            try:
                report = why(state.store, athlete=who.athlete, tz=who.tz)
                zf.writestr(f"{folder}/why.json", _json(report.to_json()))
            except NotFoundError:
                pass
    return buf.getvalue()


def delete_everything(state: AppState, user: User) -> list[str]:
    """Delete the account and all its data (store rows, cache files, uploads, annotated
    videos); returns the store names of the athletes deleted. 409 while a job of the user is
    still queued or running (it would write after the deletion)."""
    from backcheck.store.erase import flush_deleted
    from backcheck.undo import remove_job_files

    with state.store.transaction() as conn:
        jobs = [j for j in (get_job(conn, i) for i in user_job_ids(conn, user.id)) if j]
        busy = [j for j in jobs if j["state"] in ("queued", "running")]
        if busy:
            raise HttpProblem(
                409,
                "jobs_running",
                f"{len(busy)} upload(s) are still being processed: wait until they finish, "
                "then delete",
                {"jobs": [j["id"] for j in busy]},
            )
        owned = [
            a.athlete_id for a in webstore.visible_athletes(conn, user.id) if a.role == "owner"
        ]
        names = webdata.delete_account(conn, user.id)  # their snapshot files go on commit
    flush_deleted(state.store.engine)
    for athlete_id in owned:
        state.cache.forget(athlete_id)
    remove_job_files(jobs, state.worker.videos)
    return names
