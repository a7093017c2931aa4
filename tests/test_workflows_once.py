"""Each workflow the CLI, the web app and batch share is one core call: the same input gives the
same stored result through every client, and the old copies of each workflow are gone."""

from __future__ import annotations

import ast
import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from backcheck.analysis.triage import QUESTIONS
from backcheck.batch.athlete import read_folder
from backcheck.cli import main
from backcheck.errors import NotFoundError
from backcheck.formchecks import recorded_day
from backcheck.store import open_store
from backcheck.store.diary import latest_triage, load_videos
from backcheck.store.workouts import load_sets
from backcheck.triage_answers import record_answers
from webtools import (  # noqa: F401 - fixtures
    STRONG,
    Web,
    WebSettings,
    pushup_csv,
    settings_fixture,
    web_fixture,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SRC = Path(__file__).resolve().parents[1] / "src" / "backcheck"
TZ = "Europe/Berlin"
#: 2026-03-01 12:00 UTC: the modification time given to the files, the day batch dates by.
FILMED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def stored(url: str, read: Any, athlete: str) -> Any:
    """What `read(conn, athlete)` finds in the store at `url`."""
    store = open_store(url)
    try:
        with store.transaction() as conn:
            return read(conn, athlete)
    finally:
        store.close()


def cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, Any]:
    """`backcheck --db URL --athlete ana --tz Europe/Berlin ARGS --json`: exit code and JSON."""
    code = main(["--db", url, "--athlete", "ana", "--tz", TZ, *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


# ------------------------------------------------------------------ red-flag answers


def test_same_answers_same_stored_answers_and_verdict(
    web: Web, settings: WebSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doctor = next(q.key for q in QUESTIONS if q.level == "see-doctor")
    answers = {q.key: q.key == doctor for q in QUESTIONS}
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    code, by_cli = cli(capsys, url, "triage", "--answers", str(folder / "answers.json"))
    r = web.client.post(
        f"/api/athletes/{web.athlete}/triage", json=answers, headers=web.api_token()
    )
    assert r.status_code == 200, r.text
    by_web = r.json()

    assert code == 1 and by_cli == by_web
    assert by_cli["level"] == "see-doctor" and by_cli["found"] is True
    assert stored(url, latest_triage, "ana")[1] == answers
    web_db = settings.db
    assert stored(web_db, latest_triage, web.athlete)[1] == answers
    assert read_folder(folder, tz=TZ).answers == answers


def test_record_answers_creates_the_athlete_only_when_asked(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with pytest.raises(NotFoundError):
            record_answers(store, athlete="ana", tz=TZ, answers={})
        done = record_answers(store, athlete="ana", tz=TZ, answers={}, create_athlete=True)
        assert done.flags.level == "not-asked" and done.to_json()["found"] is False
    finally:
        store.close()


# ------------------------------------------------------------------ form checks


def test_same_video_same_recorded_day_and_stored_check(
    web: Web, settings: WebSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ana"
    folder.mkdir()
    clip = pushup_csv(folder / "pushups.csv", reps=3)
    os.utime(clip, (FILMED.timestamp(), FILMED.timestamp()))
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    # The file's modification time dates it for the CLI and for batch alike ...
    code, doc = cli(capsys, url, "video", str(clip))
    assert code == 0 and doc["recorded_on"] == "2026-03-01"
    assert doc["recorded_on_from"] == "file modification time"
    by_cli = stored(url, load_videos, "ana")
    by_batch = read_folder(folder, tz=TZ).videos
    assert by_cli == by_batch and by_cli[0]["recorded_on"] == date(2026, 3, 1)

    # ... and a web upload (whose copy has a new modification time) given that day stores
    # the very same check.
    h = web.api_token()
    base = f"/api/athletes/{web.athlete}"
    files = [("files", (clip.name, clip.read_bytes(), "text/csv"))]
    r = web.client.post(
        f"{base}/videos",
        files=files,
        data={"exercise": "auto", "recorded_on": "2026-03-01"},
        headers=h,
    )
    assert r.status_code == 202, r.text
    job = web.wait(r.json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    web_db = settings.db
    assert stored(web_db, load_videos, web.athlete) == by_cli


@pytest.mark.parametrize(
    ("given", "created", "exists", "day", "source"),
    [
        (date(2026, 1, 2), FILMED, True, date(2026, 1, 2), "given"),
        (date(2026, 1, 2), None, False, date(2026, 1, 2), "given"),
        (
            None,
            datetime(2026, 2, 3, 23, 30, tzinfo=UTC),
            True,
            date(2026, 2, 4),
            "video creation time",
        ),
        (None, None, True, date(2026, 3, 1), "file modification time"),
        (None, None, False, None, "today"),
    ],
)
def test_recorded_day_precedence(
    tmp_path: Path,
    given: date | None,
    created: datetime | None,
    exists: bool,
    day: date | None,
    source: str,
) -> None:
    """Given day, else the video's creation time, else the file's modification time, else
    today; local days in the zone (23:30 UTC is the next day in Berlin)."""
    from backcheck.clock import local_today

    path = tmp_path / "clip.mp4"
    if exists:
        path.write_bytes(b"")
        os.utime(path, (FILMED.timestamp(), FILMED.timestamp()))
    found = recorded_day(path, given, created=created, tz=TZ)
    assert found.source == source
    assert found.day == (day or local_today(TZ))


# ------------------------------------------------------------------ set de-duplication


def test_same_exports_same_distinct_sets_in_store_and_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ana"
    folder.mkdir()
    shutil.copy(STRONG, folder / "a.csv")
    shutil.copy(STRONG, folder / "b.csv")  # the same sets twice: stored once
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    code, _ = cli(capsys, url, "import", str(folder / "a.csv"), str(folder / "b.csv"))
    assert code == 0
    columns = ["session_id", "session_start", "exercise", "set_index", "weight_kg", "reps"]
    by_store = stored(url, load_sets, "ana").select(columns).sort(columns)
    by_batch = read_folder(folder, tz=TZ).sets.select(columns).sort(columns)
    assert by_store.height > 0 and by_store.equals(by_batch)


# ------------------------------------------------------------------ the old copies are gone


def modules() -> dict[str, ast.Module]:
    """Every module of the package, by its path under src/backcheck."""
    return {
        p.relative_to(SRC).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(SRC.rglob("*.py"))
    }


def defined(tree: ast.Module) -> set[str]:
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def called(tree: ast.Module) -> set[str]:
    names = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            f = n.func
            names.add(
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
    return names


def test_cli_is_a_package() -> None:
    assert (SRC / "cli" / "__init__.py").is_file() and (SRC / "cli" / "__main__.py").is_file()
    assert not list(SRC.glob("cli*.py"))


@pytest.mark.parametrize(
    ("function", "home"),
    [
        ("read_answers_file", {"triage_answers.py"}),
        ("record_answers", {"triage_answers.py"}),
        ("recorded_day", {"formchecks.py"}),
        ("store_form_check", {"formchecks.py"}),
        ("local_today", {"clock.py"}),
        ("distinct_sets", {"keys.py"}),
        ("recorded_on", set()),  # the CLI's and batch's own date rules
    ],
)
def test_each_workflow_is_defined_once(function: str, home: set[str]) -> None:
    assert {path for path, tree in modules().items() if function in defined(tree)} == home


@pytest.mark.parametrize(
    ("step", "callers"),
    [
        ("save_triage", {"triage_answers.py", "demo.py"}),  # the demo seeds its own answers
        ("save_video", {"formchecks.py"}),
        ("validate_answers", {"triage_answers.py"}),
        ("set_keys", {"keys.py", "store/importlog.py"}),  # importlog: keys of an undo, no rows
    ],
)
def test_the_steps_of_a_workflow_are_called_from_its_core_call_only(
    step: str, callers: set[str]
) -> None:
    assert {path for path, tree in modules().items() if step in called(tree)} == callers


def test_no_client_works_out_today_itself() -> None:
    """`datetime.now(...).date()` and `date.today()` are clock.local_today's alone: no other
    module (clients, shared workflows, importers) works out today itself."""
    for path, tree in modules().items():
        if path == "clock.py":
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
                inner = n.func.value
                if n.func.attr == "date" and isinstance(inner, ast.Call):
                    assert ast.unparse(inner.func) != "datetime.now", path
                assert ast.unparse(n.func) != "date.today", path


def test_the_red_flag_decision_is_red_flags_found() -> None:
    """No template or client lists the levels that count as red flags found."""
    levels = ("emergency", "see-doctor")
    for path in sorted((SRC / "web" / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8").replace('"', "'")
        assert f"in ('{levels[0]}', '{levels[1]}')" not in text, path
    for path, tree in modules().items():
        if path == "analysis/triage.py":
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Tuple) and all(isinstance(e, ast.Constant) for e in n.elts):
                assert tuple(e.value for e in n.elts) != levels, path  # type: ignore[attr-defined]
