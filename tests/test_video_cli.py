"""`backcheck video` end to end through the CLI: stored for `why`, bad input refused (exit 2,
nothing stored)."""

from __future__ import annotations

import json
import wave
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from backcheck.cli import main
from backcheck.formchecks import RecordedDay, recorded_day
from backcheck.store import open_store
from backcheck.store.diary import load_videos
from backcheck.video.landmarks import write_csv
from test_video_synthetic import pushups, sag_for
from testdata import DATA

PLANK = DATA / "pose" / "exercise_correction_plank_test.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def stored(db: str, athlete: str = "me") -> list[dict]:
    store = open_store(db)
    try:
        with store.transaction() as conn:
            return load_videos(conn, athlete)
    finally:
        store.close()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'b.db'}"


@pytest.fixture
def sagging(tmp_path: Path) -> Path:
    """Landmarks CSV of 4 push-ups whose hips sag 30 deg below the shoulder-ankle line."""
    path = tmp_path / "sag.csv"
    write_csv(pushups(4, sag=sag_for(30), noise=0.002), path)
    return path


def test_json_document_and_storage(
    db: str, sagging: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "--db",
        db,
        "video",
        str(sagging),
        "--exercise",
        "push-up",
        "--json",
        "--date",
        "2026-11-10",
    ]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    doc = json.loads(out)
    for key in ("schema", "exercise", "view", "fps", "frames", "reps", "faults", "quality"):
        assert key in doc
    assert doc["schema"] == "backcheck.video/1" and doc["exercise"] == "push-up"
    assert doc["view"] == "side" and len(doc["reps"]) == 4
    rep = doc["reps"][0]
    assert {"index", "start_s", "end_s", "metrics", "faults", "confidence"} <= set(rep)
    assert 0 < rep["confidence"] <= 1
    sag = next(f for f in doc["faults"] if f["fault"] == "hip_sag")
    # -30 deg: past the -20 deg "severe" limit by more than the 7.4 deg noise margin
    assert sag["reps"] == [1, 2, 3, 4] and sag["severity"] == "severe" and sag["grade"] == "C"
    assert sag["rule"] in sag["text"] and "-7.4" not in sag["rule"]
    assert "below 0 deg by more than the 7.4 deg landmark-noise margin" in sag["rule"]
    assert "Technique note" not in sag["text"]  # the reader adds the label once
    assert rep["checks"]["hip_sag"]["holds"] is True and rep["checks"]["hip_sag"]["share"] > 0.5
    assert rep["checks"]["hips_high"]["holds"] is False
    assert doc["quality"]["verdict"] == "ok" and doc["quality"]["dropped"]["bone_jump"] == 0
    assert (
        sag["cue"]
        == "keep your hips in line with your shoulders: brace your stomach and squeeze your glutes"
    )
    assert {"visible_fraction", "warnings"} <= set(doc["quality"])
    assert doc["stored"] is True and doc["recorded_on"] == "2026-11-10"
    videos = stored(db)
    assert len(videos) == 1
    assert videos[0]["recorded_on"] == date(2026, 11, 10)
    assert videos[0]["exercise"] == "push-up"
    assert videos[0]["result"]["faults"][0]["fault"] == "hip_sag"
    # the same file again adds nothing
    code, out, _ = run(capsys, *args)
    assert code == 0 and json.loads(out)["stored"] is False
    assert len(stored(db)) == 1


def test_terminal_table(db: str, sagging: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--db", db, "video", str(sagging), "-e", "push-up", "--date", "2026-11-10"
    )
    assert code == 0, err
    assert "push-up: 4 reps, side view" in out
    assert "hip sag" in out and "Technique note" in out
    assert "Technique note: Technique note" not in out
    assert "stored for `backcheck why`" in out


def test_why_uses_the_stored_result(
    db: str, sagging: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--db", db, "video", str(sagging), "-e", "push-up", "--date", "2026-11-10")
    for day, level in (("2026-11-10", 5), ("2026-11-12", 0)):
        code, _, err = run(
            capsys,
            "--db",
            db,
            "pain",
            "log",
            "--date",
            day,
            "--level",
            str(level),
            "--where",
            "mid-back",
        )
        assert code == 0, err
    code, out, err = run(capsys, "--db", db, "why", "--json", "--as-of", "2026-11-20")
    assert code in (0, 1), err
    doc = json.loads(out)
    posture = next(c for c in doc["causes"] if c["cause"] == "posture")
    assert posture["level"] != "unknown"
    assert any(e["metric"] == "fault_hip_sag" for e in posture["evidence"])
    assert doc["data"]["videos"] == 1


def test_plank_file_zero_reps_is_stored(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", db, "video", str(PLANK), "--exercise", "push-up", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["reps"] == [] and doc["frames"] == 710
    assert any("30 frames per second assumed" in w for w in doc["quality"]["warnings"])
    assert len(stored(db)) == 1


def _truncated(tmp_path: Path) -> Path:
    from backcheck.video.synth import write_clip

    whole = write_clip(tmp_path / "whole.mp4", seconds=1)
    data = whole.read_bytes()
    cut = tmp_path / "truncated.mp4"
    cut.write_bytes(data[: len(data) // 2])
    return cut


def _audio_only(tmp_path: Path) -> Path:
    path = tmp_path / "voice.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 8000)
    return path


def _missing_columns(tmp_path: Path) -> Path:
    lines = PLANK.read_text().splitlines()[:20]
    header = lines[0].split(",")
    keep = [i for i, h in enumerate(header) if not h.startswith(("left_hip", "right_hip"))]
    path = tmp_path / "nohips.csv"
    path.write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in lines) + "\n")
    return path


def _zero_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    return path


def _corrupt(tmp_path: Path) -> Path:
    path = tmp_path / "noise.mp4"
    path.write_bytes(bytes(range(256)) * 64)
    return path


def _no_person(tmp_path: Path) -> Path:
    pytest.importorskip("mediapipe")
    import numpy as np

    from backcheck.video.synth import write_clip

    wall = np.full((240, 320, 3), 128, dtype=np.uint8)
    wall[60:180, 100:220] = (30, 90, 200)
    return write_clip(tmp_path / "wall.mp4", seconds=1, width=320, height=240, photo=wall)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_zero_bytes, "empty file (0 bytes)"),
        (_corrupt, "not a readable video"),
        (_truncated, "not a readable video"),
        (_audio_only, "no video stream in this file (it holds audio)"),
        (_missing_columns, "missing columns left_hip_x/left_hip_y or right_hip_x/right_hip_y"),
        (lambda d: d / "nowhere.mp4", "no such file"),
        (_no_person, "no person found"),
    ],
    ids=[
        "zero-bytes",
        "corrupt",
        "truncated",
        "audio-only",
        "csv-missing-columns",
        "missing",
        "no-person",
    ],
)
def test_bad_input_exit_2_nothing_stored(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    message: str,
) -> None:
    if make in (_truncated, _audio_only):
        pytest.importorskip("av")
    path = make(tmp_path)
    code, _out, err = run(capsys, "--db", db, "video", str(path), "--exercise", "push-up")
    assert code == 2
    assert err.startswith(str(path)) and message in err
    assert stored(db) == []


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["--exercise", "squat"], "--exercise"),
        (["--exercise", "push-up", "--date", "10/11/2026"], "--date"),
        (["--exercise", "push-up", "--out", "x.mp4"], "--out"),
    ],
)
def test_bad_options_exit_2(
    db: str, args: list[str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", db, "video", str(PLANK), *args)
    assert code == 2 and err.startswith(name)
    assert stored(db) == []


def test_recorded_date_sources(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("x\n")
    created = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    assert recorded_day(f, date(2026, 1, 2), created=created, tz="Europe/Berlin") == RecordedDay(
        date(2026, 1, 2), "given"
    )
    # 23:30 UTC is already the next day in Berlin
    assert recorded_day(f, None, created=created, tz="Europe/Berlin") == RecordedDay(
        date(2026, 3, 5), "video creation time"
    )
    assert recorded_day(f, None, created=created, tz="America/New_York").day == date(2026, 3, 4)
    import os

    stamp = datetime(2025, 7, 1, 12, 0, tzinfo=UTC).timestamp()
    os.utime(f, (stamp, stamp))
    assert recorded_day(f, None, created=None, tz="UTC") == RecordedDay(
        date(2025, 7, 1), "file modification time"
    )
    assert recorded_day(tmp_path / "gone", None, created=None, tz="UTC").source == "today"


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "video", "--help")
    assert code == 0
    for option in ("--exercise", "--out", "--json", "--landmarks-out", "--date"):
        assert option in out


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_web_result_styles_severity_in_order(tmp_path: Path) -> None:
    """Severe faults come first and look most important (darkest badge); mild least."""
    import re

    from backcheck.video.analyse import analyse_landmarks
    from backcheck.web.app import HERE, templates

    result = analyse_landmarks(pushups(3, sag=sag_for(35), head_deg=-35.0), exercise="push-up")
    doc = result.to_json()
    sev = {f["fault"]: f["severity"] for f in doc["faults"]}
    assert sev == {"hip_sag": "severe", "head_drop": "mild"}
    html = templates().get_template("_video_result.html").render(v=doc, annotated=None, who=None)
    order = re.findall(r'<li class="fault sev-(\w+)">', html)
    assert order == ["severe", "mild"]
    assert "3 reps" in html and "Technique note: Technique note" not in html
    css = (HERE / "static" / "app.css").read_text()
    colour = {
        s: re.search(rf"\.sev-{s}\.badge \{{ background: (#[0-9a-f]{{6}})", css).group(1)  # type: ignore[union-attr]
        for s in ("mild", "moderate", "severe")
    }
    lum = {s: _luminance(c) for s, c in colour.items()}
    assert lum["severe"] < lum["moderate"] < lum["mild"]


def test_one_rep_is_singular(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.csv"
    write_csv(pushups(1), path)
    code, out, err = run(capsys, "--db", db, "video", str(path), "-e", "push-up")
    assert code == 0, err
    assert "push-up: 1 rep, side view" in out and "1 reps" not in out


def test_web_result_lists_faults_seen_in_some_reps_only() -> None:
    import numpy as np

    from backcheck.video.analyse import analyse_landmarks
    from backcheck.video.landmarks import Landmarks
    from backcheck.web.app import templates

    bad, good = pushups(1, sag=sag_for(35)), pushups(3)
    pts = np.concatenate([bad.points, good.points])
    lm = Landmarks(points=pts, time_s=np.arange(len(pts)) / 30.0, width=1280, height=720)
    doc = analyse_landmarks(lm, exercise="push-up").to_json()
    html = templates().get_template("_video_result.html").render(v=doc, annotated=None, who=None)
    assert "Seen in some reps only, so not called: hip sag (rep 1 of 4)." in html
    assert "No form faults found in these reps." in html
