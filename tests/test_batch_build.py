"""batch.athlete builds, without a database, the same AthleteData that importing the folder
into a store and calling why.load_data gives (simulated athletes and real exports)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from backcheck.analysis.context import AthleteData
from backcheck.batch.athlete import athlete_data_from_files, classify, read_folder
from backcheck.batch.rows import ROW_SCHEMA, result_row
from backcheck.diary import import_pain, import_recovery
from backcheck.errors import InputError
from backcheck.imports import import_files
from backcheck.model import CAUSES
from backcheck.settings import zone_from_name
from backcheck.sim import Profile, simulate
from backcheck.sim.writers import write_athlete_folder, write_hevy_csv
from backcheck.store import open_store
from backcheck.why import analyse, load_data

TZ = "Europe/Berlin"


def through_store(folder: Path, tmp: Path, *, tz: str, as_of: date) -> AthleteData:
    """Import the folder the way a user would (import, pain import, recovery import) into a
    fresh SQLite store and load it back; answers.json as `why --answers`."""
    zone = zone_from_name(tz)
    files = classify(folder)
    store = open_store(f"sqlite:///{tmp / 'store.db'}")
    try:
        if files.workouts:
            import_files(store, athlete="x", paths=files.workouts, tz=zone)
        for p in files.pain:
            import_pain(store, athlete="x", path=p, tz=zone)
        for p in files.recovery:
            import_recovery(store, athlete="x", path=p, tz=zone)
        answers = None
        if files.answers:
            answers = json.loads(files.answers.read_text(encoding="utf-8"))
        return load_data(store, athlete="x", tz=tz, as_of=as_of, answers=answers)
    finally:
        store.close()


def assert_same(built: AthleteData, stored: AthleteData) -> None:
    assert built.as_of == stored.as_of
    assert built.tz == stored.tz
    assert built.answers == stored.answers
    assert built.answers_at == stored.answers_at
    assert built.videos == stored.videos
    assert_frame_equal(built.sets, stored.sets)
    # the store orders diary entries by time / day only: entries of the same day come in
    # whatever order the database scans them (on SQLite, that of the content-key index)
    assert_frame_equal(built.pain, stored.pain.sort("at", "level", "region", maintain_order=True))
    assert built.pain["at"].is_sorted()
    assert_frame_equal(
        built.recovery.sort(pl.all(), maintain_order=True),
        stored.recovery.sort(pl.all(), maintain_order=True),
    )
    assert built.recovery["day"].is_sorted()


def sim_folder(tmp: Path, *, seed: int, causes: frozenset[str]) -> tuple[Path, date]:
    sim = simulate(Profile(name="x", weeks=12, seed=seed, causes=causes, tz=TZ))
    folder = tmp / "x"
    write_athlete_folder(sim, folder)
    # a second export of the last sessions (as from another app): the sessions repeat
    last = sim.sets.filter(
        pl.col("session_start") >= pl.col("session_start").max() - timedelta(days=10)
    )
    write_hevy_csv(last, folder / "zz-hevy.csv", tz=TZ)
    # diary rows logged twice: one entry each in a store
    with (folder / "pain.csv").open("a", encoding="utf-8") as fh:
        fh.write((folder / "pain.csv").read_text(encoding="utf-8").splitlines()[-1] + "\n")
    with (folder / "recovery.csv").open("a", encoding="utf-8") as fh:
        fh.write((folder / "recovery.csv").read_text(encoding="utf-8").splitlines()[1] + "\n")
    end = sim.sets["session_start"].max()
    assert end is not None
    return folder, end.date() - timedelta(days=5)


@pytest.mark.parametrize(("seed", "causes"), [(0, {"warmup"}), (3, {"imbalance", "recovery"})])
def test_simulated_athlete_equals_store_path(tmp_path: Path, seed: int, causes: set[str]) -> None:
    folder, as_of = sim_folder(tmp_path, seed=seed, causes=frozenset(causes))
    built = athlete_data_from_files(folder, tz=TZ, as_of=as_of)
    stored = through_store(folder, tmp_path, tz=TZ, as_of=as_of)
    assert built.sets.height > 100 and built.pain.height > 10 and built.recovery.height > 10
    assert_same(built, stored)
    # the repeated diary rows are one entry each (counted with the csv module)
    with (folder / "pain.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    distinct = {(r["date"], r["level"], r["region"]) for r in rows}
    assert len(distinct) == len(rows) - 1
    assert read_folder(folder, tz=TZ).pain.height == len(distinct)
    assert analyse(built).to_json() == analyse(stored).to_json()


def test_real_exports_equal_store_path(tmp_path: Path, data_dir: Path) -> None:
    """Two real exports of different apps in one folder (the Hevy sample repeats rows)."""
    folder = tmp_path / "x"
    folder.mkdir()
    shutil.copy(data_dir / "logs/hevy/dakheera47_sample_hevy.csv", folder / "a-hevy.csv")
    shutil.copy(data_dir / "logs/strong/dakheera47_sample_strong.csv", folder / "b-strong.csv")
    as_of = date(2030, 1, 1)
    built = athlete_data_from_files(folder, tz=TZ, as_of=as_of)
    stored = through_store(folder, tmp_path, tz=TZ, as_of=as_of)
    assert built.sets.height > 7000
    assert_same(built, stored)


def test_classify_sorts_files_by_kind(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    for name in (
        "workouts.csv",
        "Pain.csv",
        "recovery.csv",
        "answers.json",
        "clip.MP4",
        "notes.txt",
    ):
        (folder / name).write_text("date,level,region\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00")
    shutil.copy(data_dir / "pose/exercise_correction_plank_test.csv", folder / "plank.csv")
    found = classify(folder)
    assert [p.name for p in found.workouts] == ["workouts.csv"]
    assert [p.name for p in found.pain] == ["Pain.csv"]
    assert [p.name for p in found.recovery] == ["recovery.csv"]
    assert found.answers is not None and found.answers.name == "answers.json"
    assert [p.name for p in found.videos] == ["clip.MP4"]
    assert [p.name for p in found.landmarks] == ["plank.csv"]
    assert [p.name for p in found.ignored] == ["notes.txt"]


def test_landmarks_videos_and_ignored_files_become_notes(tmp_path: Path, data_dir: Path) -> None:
    folder, _ = sim_folder(tmp_path, seed=1, causes=frozenset({"warmup"}))
    shutil.copy(data_dir / "pose/exercise_correction_plank_test.csv", folder / "plank.csv")
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")  # not a real video
    (folder / "truth.json").write_text("{}", encoding="utf-8")
    inp = read_folder(folder, tz=TZ)
    from backcheck.batch.media import video_api

    assert "ignored truth.json (not a file backcheck reads)" in inp.notes
    if video_api() is None:
        assert "1 landmarks CSV and 1 video not analysed" in " ".join(inp.notes)
        assert inp.videos == []
    else:
        assert any(n.startswith("clip.mp4: form check failed") for n in inp.notes)
        assert [v["source_name"] for v in inp.videos] == ["plank.csv"]
    assert inp.sets.height > 0  # the rest of the folder is analysed all the same


def test_empty_folder_and_bad_answers_raise(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no workout export"):
        read_folder(empty, tz=TZ)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "answers.json").write_text('{"chest_pian": false}', encoding="utf-8")
    with pytest.raises(InputError, match="chest_pain"):
        read_folder(bad, tz=TZ)


def test_result_row_has_the_contract_columns(tmp_path: Path) -> None:
    folder, as_of = sim_folder(tmp_path, seed=0, causes=frozenset({"warmup"}))
    report = analyse(athlete_data_from_files(folder, tz=TZ, as_of=as_of))
    row = result_row(report)
    contract = ["athlete", "red_flags", "top_cause"]
    contract += [f"{kind}_{c}" for c in CAUSES for kind in ("score", "level")]
    assert list(ROW_SCHEMA)[: len(contract) + 1] == [*contract, "error"]
    assert set(row) == set(ROW_SCHEMA)
    by_cause = {c.cause: c for c in report.causes}
    for cause in CAUSES:
        assert row[f"score_{cause}"] == by_cause[cause].score
        assert row[f"level_{cause}"] == by_cause[cause].level
    best = max(report.causes, key=lambda c: c.score)
    assert row["top_cause"] == (best.cause if best.level in ("likely", "possible") else None)
    assert row["error"] is None and row["red_flags"] == report.red_flags.level
    assert row["sets"] == report.data["sets"]
