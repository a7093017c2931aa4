"""Garmin FIT importer over the real watch files in tests/data/logs/fit (see fit_index.json)."""

from __future__ import annotations

import json
import random
import struct
from datetime import UTC as UTC_TZ
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fitdecode
import polars as pl
import pytest
from fitdecode import profile as fit_profile
from fitdecode.utils import compute_crc

from backcheck.errors import InputError
from backcheck.ingest import fit, read_export
from backcheck.model import SET_SCHEMA, ParsedFile

DATA = Path(__file__).parent / "data"
INDEX = json.loads((DATA / "fit_index.json").read_text())["exports"]
UTC = ZoneInfo("UTC")
CYCLING = DATA / "logs/fit/20747700969_ACTIVITY.fit"
MULTISPORT = DATA / "logs/fit/20744294788_ACTIVITY.fit"  # indoor bike, then strength


@cache
def messages(path: Path, name: str) -> list[dict[str, Any]]:
    """Every data message called `name`, as {field: value}, read with fitdecode alone."""
    out = []
    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == name:
                out.append({f.name: f.value for f in frame.fields})
    return out


@pytest.fixture(scope="module", params=INDEX, ids=[Path(e["path"]).name for e in INDEX])
def case(request: pytest.FixtureRequest) -> tuple[dict, ParsedFile]:
    entry = request.param
    return entry, fit.read(DATA / entry["path"], unit=None, tz=UTC)


def test_rows_are_the_set_messages_and_every_one_is_kept_or_skipped(case) -> None:
    entry, parsed = case
    sets = messages(DATA / entry["path"], "set")
    assert parsed.rows == len(sets) == entry["rows"]
    from_sets = parsed.sets.filter(pl.col("source_line").is_not_null())
    assert from_sets.height + len(parsed.skipped) == parsed.rows
    active = [i + 1 for i, s in enumerate(sets) if s["set_type"] == "active"]
    rest = [i + 1 for i, s in enumerate(sets) if s["set_type"] == "rest"]
    assert from_sets["source_line"].to_list() == active
    assert [s.line for s in parsed.skipped] == rest
    assert {s.why for s in parsed.skipped} <= {"rest period, not a set"}
    assert len(active) == entry["active_sets"]


def test_sessions_per_file(case) -> None:
    entry, parsed = case
    assert parsed.format == "fit"
    assert parsed.sessions == entry["sessions"]


def test_set_values_come_from_the_set_messages(case) -> None:
    entry, parsed = case
    sets = messages(DATA / entry["path"], "set")
    by_line = {r["source_line"]: r for r in parsed.sets.to_dicts() if r["source_line"]}
    for ordinal, msg in enumerate(sets, start=1):
        if msg["set_type"] != "active":
            continue
        row = by_line[ordinal]
        assert row["set_type"] == "working"
        assert row["reps"] == msg["repetitions"]
        assert row["weight_kg"] == msg["weight"]  # 0.0 stays 0.0, None stays null
        assert row["seconds"] == pytest.approx(msg["duration"])
        first = next((c for c in msg["category"] if c is not None), None)
        if first is None or first == 65534:
            assert row["exercise"] == "unknown"
        else:
            assert row["exercise"] == fit_profile.FIELD_TYPES["exercise_category"].enum[first]


def test_session_start_duration_and_heart_rate(case) -> None:
    entry, parsed = case
    if not entry["sessions"]:
        return
    sessions = messages(DATA / entry["path"], "session")
    start = min(s["start_time"] for s in sessions)
    end = max(s["start_time"].timestamp() + s["total_elapsed_time"] for s in sessions)
    row = parsed.sets.row(0, named=True)
    assert row["session_start"] == start
    assert row["duration_s"] == pytest.approx(end - start.timestamp())
    assert row["source_file"] == Path(entry["path"]).name
    strength = [s for s in sessions if s["sub_sport"] == "strength_training"]
    assert f"max HR {max(s['max_heart_rate'] for s in strength)}" in row["session_notes"]
    if len(strength) == 1:
        assert f"avg HR {strength[0]['avg_heart_rate']}" in row["session_notes"]


def test_set_index_counts_sets_of_each_exercise_in_order(case) -> None:
    _, parsed = case
    seen: dict[str, int] = {}
    for row in parsed.sets.iter_rows(named=True):
        seen[row["exercise"]] = seen.get(row["exercise"], 0) + 1
        assert row["set_index"] == seen[row["exercise"]]


def test_sets_without_weight_are_counted_in_a_note(case) -> None:
    entry, parsed = case
    active = [s for s in messages(DATA / entry["path"], "set") if s["set_type"] == "active"]
    no_weight = sum(1 for s in active if not s["weight"])
    if no_weight:
        assert f"{no_weight} of {len(active)} sets have no weight logged" in " ".join(parsed.notes)


def test_single_strength_session_has_its_elapsed_time() -> None:
    path = DATA / "logs/fit/20474406937_ACTIVITY.fit"
    (session,) = messages(path, "session")
    parsed = fit.read(path, unit=None, tz=UTC)
    assert parsed.sets["duration_s"].unique().to_list() == [session["total_elapsed_time"]]
    assert parsed.sets["session_notes"][0] == f"avg HR {session['avg_heart_rate']}, max HR 158"


def test_cycling_activity_imports_nothing_and_says_why() -> None:
    parsed = fit.read(CYCLING, unit=None, tz=UTC)
    assert parsed.sets.height == 0
    assert parsed.sets.columns == list(SET_SCHEMA)
    assert parsed.skipped == []
    assert any(
        "cycling/indoor_cycling" in n and "not strength training" in n and "nothing imported" in n
        for n in parsed.notes
    )


def test_bike_before_lifting_is_a_cardio_warmup_row() -> None:
    bike = next(s for s in messages(MULTISPORT, "session") if s["sport"] == "cycling")
    parsed = fit.read(MULTISPORT, unit=None, tz=UTC)
    first = parsed.sets.row(0, named=True)
    assert first["exercise"] == "indoor_cycling"
    assert first["set_type"] == "warmup"
    assert first["seconds"] == pytest.approx(bike["total_timer_time"])
    assert first["distance_m"] == pytest.approx(bike["total_distance"])
    assert first["source_line"] is None
    assert parsed.sets.filter(pl.col("source_line").is_null()).height == 1


def test_run_between_blocks_is_a_working_cardio_row_in_time_order() -> None:
    path = DATA / "logs/fit/20555050352_ACTIVITY.fit"
    run = next(s for s in messages(path, "session") if s["sport"] == "running")
    sets = messages(path, "set")
    parsed = fit.read(path, unit=None, tz=UTC)
    rows = parsed.sets.to_dicts()
    i = next(i for i, r in enumerate(rows) if r["exercise"] == "running")
    assert rows[i]["set_type"] == "working"
    # The set before the run started before it; the set after started after it.
    assert sets[rows[i - 1]["source_line"] - 1]["start_time"] < run["start_time"]
    assert sets[rows[i + 1]["source_line"] - 1]["start_time"] >= run["start_time"]


def test_read_export_detects_fit_by_its_magic(tmp_path: Path) -> None:
    renamed = tmp_path / "workout.csv"  # the name must not matter
    renamed.write_bytes((DATA / INDEX[0]["path"]).read_bytes())
    parsed = read_export(renamed, tz=UTC)
    assert parsed.format == "fit"
    assert parsed.rows == INDEX[0]["rows"]


def test_exercise_names_from_category_arrays() -> None:
    cats = fit_profile.FIELD_TYPES["exercise_category"].enum
    pull_up = next(k for k, v in cats.items() if v == "pull_up")
    lat = next(
        k
        for k, v in fit_profile.FIELD_TYPES["pull_up_exercise_name"].enum.items()
        if v == "lat_pulldown"
    )
    assert fit.exercise_names((pull_up, 0, 0), (lat, None, None)) == ("pull_up", "lat_pulldown")
    assert fit.exercise_names((None, pull_up), (None, None)) == ("pull_up", None)
    assert fit.exercise_names((65534, pull_up), (None, None)) == ("unknown", None)
    assert fit.exercise_names((None, None, None), (None, None, None)) == ("unknown", None)
    assert fit.exercise_names(None, None) == ("unknown", None)
    assert fit.exercise_names("bench_press", None) == ("bench_press", None)


def test_lb_unit_is_ignored_with_a_note() -> None:
    parsed = fit.read(DATA / INDEX[0]["path"], unit="lb", tz=UTC)
    assert any("--unit lb ignored" in n for n in parsed.notes)
    assert parsed.sets["weight_kg"].max() == max(
        s["weight"] or 0 for s in messages(DATA / INDEX[0]["path"], "set")
    )


# ------------------------------------------------------------------ damaged files


def _fit_header(data_size: int) -> bytes:
    """A valid 14-byte FIT header (protocol 1.0, profile 21.80) with a correct header CRC."""
    head = struct.pack("<BBHI4s", 14, 0x10, 2180, data_size, b".FIT")
    return head + struct.pack("<H", compute_crc(head))


def test_truncated_file_is_an_input_error(tmp_path: Path) -> None:
    data = (DATA / INDEX[0]["path"]).read_bytes()
    cut = tmp_path / "half.fit"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="corrupt FIT file") as err:
        fit.read(cut, unit=None, tz=UTC)
    assert err.value.path == str(cut)
    assert err.value.line is None


@pytest.mark.parametrize("seed", range(6))
def test_random_body_behind_a_valid_header_is_an_input_error(tmp_path: Path, seed: int) -> None:
    body = random.Random(seed).randbytes(4000)
    bad = tmp_path / "random.fit"
    bad.write_bytes(_fit_header(len(body)) + body + b"\x00\x00")
    with pytest.raises(InputError, match="corrupt FIT file"):
        fit.read(bad, unit=None, tz=UTC)


def test_flipped_bytes_fail_the_crc(tmp_path: Path) -> None:
    data = bytearray((DATA / INDEX[-1]["path"]).read_bytes())
    for i in range(2000, 2010):
        data[i] ^= 0x5A
    bad = tmp_path / "flipped.fit"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="corrupt FIT file"):
        fit.read(bad, unit=None, tz=UTC)


def test_header_only_and_not_fit(tmp_path: Path) -> None:
    header = tmp_path / "header.fit"
    header.write_bytes(_fit_header(100))
    with pytest.raises(InputError, match="corrupt FIT file"):
        fit.read(header, unit=None, tz=UTC)
    text = tmp_path / "notes.fit"
    text.write_text("date,exercise\n2024-01-01,bench\n")
    with pytest.raises(InputError, match="not a Garmin FIT file"):
        fit.read(text, unit=None, tz=UTC)


# ------------------------------------------------------------------ hand-made activities


def _session(sport: str, sub: str, start: datetime, minutes: float) -> fit.SessionMessage:
    return fit.SessionMessage(
        start=start,
        elapsed_s=minutes * 60,
        timer_s=minutes * 60,
        sport=sport,
        sub_sport=sub,
        name=None,
        distance_m=None,
        avg_hr=None,
        max_hr=None,
        rpe=None,
    )


def _set(ordinal: int, start: datetime, set_type: str = "active") -> fit.SetMessage:
    return fit.SetMessage(
        ordinal=ordinal,
        set_type=set_type,
        start=start,
        reps=8,
        weight_kg=60.0,
        seconds=30.0,
        exercise="row",
        garmin_name="bent_over_row",
    )


T0 = datetime(2025, 1, 6, 17, 0, tzinfo=UTC_TZ)


def test_sets_logged_under_another_sport_are_one_workout_without_cardio_rows() -> None:
    activity = fit.Activity(
        file_type="activity",
        created=T0,
        sets=[
            _set(1, T0),
            _set(2, T0 + timedelta(minutes=1), "rest"),
            _set(3, T0 + timedelta(minutes=2)),
        ],
        sessions=[_session("training", "cardio_training", T0, 20)],
    )
    parsed = fit.to_sets(activity, path=Path("hiit.fit"))
    assert parsed.sets["source_line"].to_list() == [1, 3]
    assert parsed.sets["set_index"].to_list() == [1, 2]
    assert parsed.sets["weight_kg"].to_list() == [60.0, 60.0]
    assert parsed.sets["notes"].to_list() == ["Garmin exercise: bent_over_row"] * 2
    assert parsed.sets["duration_s"].to_list() == [1200.0, 1200.0]
    assert [s.line for s in parsed.skipped] == [2]


def test_strength_session_without_sets_imports_nothing() -> None:
    activity = fit.Activity(
        file_type="activity",
        created=T0,
        sets=[],
        sessions=[_session("training", "strength_training", T0, 45)],
    )
    parsed = fit.to_sets(activity, path=Path("empty.fit"))
    assert parsed.sets.height == 0
    assert parsed.notes == ["training/strength_training activity, no sets logged: nothing imported"]


def test_cardio_after_lifting_is_working_and_last() -> None:
    activity = fit.Activity(
        file_type="activity",
        created=T0,
        sets=[_set(1, T0 + timedelta(minutes=1))],
        sessions=[
            _session("training", "strength_training", T0, 30),
            _session("running", "treadmill", T0 + timedelta(minutes=31), 15),
        ],
    )
    parsed = fit.to_sets(activity, path=Path("a.fit"))
    assert parsed.sets["exercise"].to_list() == ["row", "treadmill"]
    assert parsed.sets["set_type"].to_list() == ["working", "working"]
    # 17:00 to the end of the run at 17:46.
    assert parsed.sets["duration_s"].to_list() == [46 * 60.0] * 2
