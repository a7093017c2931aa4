"""The row policy of every importer (docs/interface.md, "Exit codes"): an unreadable row is skipped and
listed, the rest imported; more than 5% unreadable rows, or any with --strict, refuses the file.
Also the input quirks around it: unquoted commas in names, units beside empty values, encodings,
non-regular files, repeated rows, and the limits on plausible values (ingest/limits.py)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from backcheck.errors import InputError
from backcheck.ingest import limits, read_export
from strong_helpers import HEADER12, ROW, VARIANTS
from testdata import DATA

UTC_ZONE = ZoneInfo("UTC")
REAL_STRONG = DATA / "logs/strong/breinsp_strong.csv"


def strong_rows(n: int) -> list[str]:
    """`n` distinct Strong rows of one workout (set orders 1..n)."""
    return [ROW.replace(",1,80.0", f",{i},80.0") for i in range(1, n + 1)]


def write(tmp_path: Path, lines: list[str], name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path, **kw: object) -> object:
    return read_export(path, tz=UTC_ZONE, **kw)  # type: ignore[arg-type]


# --- the policy -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [1, 5])
def test_up_to_5_percent_unreadable_rows_are_skipped_and_listed(tmp_path: Path, bad: int) -> None:
    rows = strong_rows(100)
    for i in range(bad):  # data row i + 10 is on line i + 11
        rows[10 + i] = rows[10 + i].replace("80.0", "eighty")
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE)
    assert parsed.rows == 100 and parsed.sets.height == 100 - bad
    assert [(s.line, s.unreadable) for s in parsed.skipped] == [(12 + i, True) for i in range(bad)]
    assert "Weight 'eighty' is not a number" in parsed.skipped[0].why
    with pytest.raises(InputError) as err:
        read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE, strict=True)
    assert err.value.line == 12 and "--strict" in err.value.reason


def test_more_than_5_percent_unreadable_refuses_the_file(tmp_path: Path) -> None:
    rows = strong_rows(100)
    for i in range(6):
        rows[50 + i] = rows[50 + i].replace(",8,0,0", ",8x,0,0")
    path = write(tmp_path, [HEADER12, *rows])
    with pytest.raises(InputError) as err:
        read_export(path, tz=UTC_ZONE)
    assert err.value.line == 52
    assert str(err.value).startswith(f"{path}:52: Reps '8x'")
    assert "6 of 100 rows cannot be read" in err.value.reason


def test_rest_timers_and_repeats_do_not_count_as_unreadable(tmp_path: Path) -> None:
    rest = ROW.replace('"Bench Press (Barbell)",1', '"Rest Timer",1')
    ten = strong_rows(10)
    rows = [*ten, ten[-1], rest, rest]  # line 12 repeats line 11
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE, strict=True)
    assert parsed.sets.height == 10
    assert not any(s.unreadable for s in parsed.skipped) and len(parsed.skipped) == 3


@pytest.mark.parametrize(
    ("fmt", "header", "good", "bad", "words"),
    [
        (
            "hevy",
            "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,"
            "set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe",
            'Push,"15 Sep 2025, 07:48","15 Sep 2025, 08:30",,Bench Press,,,{i},normal,60,8,,,',
            'Push,"15 Sep 2025, 07:48","15 Sep 2025, 08:30",,Bench Press,,,{i},superset,60,8,,,',
            "set_type 'superset'",
        ),
        (
            "fitnotes",
            "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment",
            "2024-05-01,Row,Back,{i},kgs,5,,,,",
            "2024-05-01,Row,Back,{i},stone,5,,,,",
            "Weight Unit 'stone'",
        ),
        (
            "fitbod",
            "Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,"
            "Note,multiplier",
            "2024-01-02 10:00:00 +0000,Squat,5,{i},0,0,0,0,false,,1",
            "2024-01-02 10:00:00 +0000,Squat,5,{i},0,0,0,0,maybe,,1",
            "isWarmup 'maybe'",
        ),
        (
            "backcheck",
            "session_start,exercise,set_type,weight_kg,reps",
            "2026-01-05T17:30:00+00:00,Row,working,{i},5",
            "yesterday,Row,working,{i},5",
            "session_start 'yesterday'",
        ),
    ],
)
def test_every_csv_importer_skips_an_unreadable_row(
    tmp_path: Path, fmt: str, header: str, good: str, bad: str, words: str
) -> None:
    rows = [good.format(i=i) for i in range(1, 41)]
    rows[20] = bad.format(i=21)  # line 22
    path = write(tmp_path, [header, *rows], name=f"{fmt}.csv")
    for given in ("auto", fmt):
        parsed = read_export(path, fmt=given, tz=UTC_ZONE)
        assert parsed.format == fmt
        assert parsed.sets.height == 39 and parsed.rows == 40
        ((line, why, unreadable),) = [(s.line, s.why, s.unreadable) for s in parsed.skipped]
        assert line == 22 and unreadable and words in why
    with pytest.raises(InputError) as err:
        read_export(path, tz=UTC_ZONE, strict=True)
    assert err.value.line == 22


# --- rows with the wrong number of fields ---------------------------------------------------


def test_fitnotes_names_with_unquoted_commas_and_units_beside_no_distance() -> None:
    parsed = read_export(
        DATA / "variants/fitnotes_plank_units_commas.csv", tz=UTC_ZONE, strict=True
    )
    sets = parsed.sets
    assert parsed.skipped == [] and sets.height == parsed.rows == 8
    assert sets["exercise"].to_list()[:2] == ["Overhead Press (Each Side, Dumbbells)"] * 2
    assert sets["exercise"][5] == "Lateral Raise (Cable, Single Arm)"
    assert sets["weight_kg"].to_list()[:2] == [8.0, 10.0]
    assert sets["reps"].to_list()[:2] == [12, 10]
    # "0.0,kg": a weight unit where a distance unit belongs, beside no distance: not an error.
    assert sets["seconds"].to_list()[2:5] == [60.0, 45.0, 90.0]
    assert sets["distance_m"].to_list()[2:4] == [None, None]
    assert sets["notes"][4] == "slow, controlled"  # a quoted comma stays where it is
    assert sets["notes"][5] == "left, then right"
    assert sets["distance_m"][6] == pytest.approx(2500.0)
    assert sets["notes"][7] == "rope, high pulley, pause"
    assert any("joined back together" in n for n in parsed.notes)


def test_a_unit_beside_a_real_distance_still_must_be_known(tmp_path: Path) -> None:
    header = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment"
    rows = [f"2024-05-{d:02d},Row,Back,50,kgs,5,,,," for d in range(1, 29)]
    rows.append("2024-05-29,Run,Cardio,,,,5.0,kg,0:30:00,")
    parsed = read_export(write(tmp_path, [header, *rows]), tz=UTC_ZONE)
    ((line, why),) = [(s.line, s.why) for s in parsed.skipped]
    assert line == 30 and "Distance Unit 'kg' is not a known unit" in why


def test_a_row_too_wide_to_rejoin_is_skipped(tmp_path: Path) -> None:
    rows = strong_rows(60)
    rows[3] = rows[3] + ",surprise,more"  # line 5: two extra non-empty fields at the end
    rows[4] = rows[4].split(',"Bench')[0]  # line 6: truncated to 3 fields
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE)
    assert [s.line for s in parsed.skipped] == [5, 6]
    assert "expected 12 fields, found 14" in parsed.skipped[0].why
    assert parsed.sets.height == 58 and parsed.rows == 60


def test_strong_name_with_unquoted_comma_is_rejoined(tmp_path: Path) -> None:
    rows = strong_rows(20)
    rows[0] = rows[0].replace('"Bench Press (Barbell)"', "Press (Each Side, Dumbbells)")
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE, strict=True)
    assert parsed.sets["exercise"][0] == "Press (Each Side, Dumbbells)"
    assert parsed.sets["weight_kg"][0] == 80.0


def test_broken_quote_mid_file_is_one_skipped_row(tmp_path: Path) -> None:
    rows = strong_rows(30)
    rows[9] = rows[9].replace('"Push"', '"Pu"sh"')  # line 11: text after a closing quote
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE)
    assert [s.line for s in parsed.skipped] == [11]
    assert "broken CSV" in parsed.skipped[0].why
    assert parsed.sets.height == 29


def test_quote_left_open_over_the_rest_of_the_file_is_refused(tmp_path: Path) -> None:
    rows = [r.replace('"', "") for r in strong_rows(30)]
    rows[4] = rows[4][:-3] + ',"never closed,,'  # swallows every later line into one field
    with pytest.raises(InputError) as err:
        read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE)
    assert err.value.line == 6 and "broken CSV" in err.value.reason


# --- Strong variants ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["auto", "strong"])
def test_headerless_semicolon_strong_with_unit_columns(fmt: str) -> None:
    parsed = read_export(
        VARIANTS / "no_header_semicolon_units_14.csv", fmt=fmt, tz=UTC_ZONE, strict=True
    )
    sets = parsed.sets
    assert parsed.format == "strong" and sets.height == 6
    assert sets["weight_kg"].to_list()[:3] == pytest.approx([60.0, 62.5, 50 * 0.45359237])
    assert sets["rpe"][1] == 8.5
    assert sets["distance_m"][3] == pytest.approx(1500.0) and sets["seconds"][3] == 600.0
    assert sets["set_type"][4] == "warmup"
    assert sets["duration_s"].to_list() == [3300.0] * 4 + [3720.0] * 2
    assert sets["exercise"][0] == "Bankdrücken (Langhantel)"
    assert sets["distance_m"][5] == 0.0  # "0,0;kg": a weight unit beside no distance is fine
    small = read_export(
        VARIANTS / "no_header_semicolon_units_13.csv", fmt=fmt, tz=UTC_ZONE, strict=True
    )
    assert small.sets["weight_kg"].to_list() == [20.0, 22.5, None]
    assert small.sets["seconds"][2] == 60.0


def test_repeated_rows_and_a_joined_second_export_are_skipped() -> None:
    parsed = read_export(VARIANTS / "repeated_rows.csv", tz=UTC_ZONE, strict=True)
    assert [(s.line, s.why) for s in parsed.skipped] == [
        (5, "same row as line 4 (repeated row)"),
        (10, "the header line again (two exports joined together?)"),
        (11, "same row as line 4 (repeated row)"),
        (12, "same row as line 7 (repeated row)"),
    ]
    sets = parsed.sets
    # Two identical warm-ups in a row are two sets; the same exercise later in the workout
    # (a second block, set 1 again) is a set too.
    assert sets["set_type"].to_list()[:2] == ["warmup", "warmup"]
    assert sets.height == 7 and parsed.rows == 11


def test_a_doubled_real_export_imports_once(tmp_path: Path) -> None:
    text = REAL_STRONG.read_text(encoding="utf-8")
    doubled = tmp_path / "doubled.csv"
    doubled.write_text(text + text, encoding="utf-8")
    once = read_export(REAL_STRONG, tz=UTC_ZONE)
    twice = read_export(doubled, tz=UTC_ZONE, strict=True)
    assert twice.sets.drop("source_file").equals(once.sets.drop("source_file"))
    assert len(twice.skipped) == once.rows + 1  # every row again, plus the second header


# --- encodings and files that are not files -------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_honest_encodings_read_the_same_sets(tmp_path: Path, encoding: str) -> None:
    text = REAL_STRONG.read_text(encoding="utf-8")
    assert any(ch in text for ch in "äöüß")  # German names: the encoding matters
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    expected = read_export(REAL_STRONG, tz=UTC_ZONE).sets
    got = read_export(path, tz=UTC_ZONE, strict=True).sets
    assert got.drop("source_file").equals(expected.drop("source_file"))


def test_latin1_header_of_another_app_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "fitnotes.csv"
    text = (DATA / "variants/fitnotes_plank_units_commas.csv").read_text(encoding="utf-8")
    path.write_bytes(text.replace("Face Pull", "Élévation").encode("latin-1"))
    parsed = read_export(path, tz=UTC_ZONE)
    assert parsed.format == "fitnotes" and parsed.sets["exercise"][7] == "Élévation"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    db = f"sqlite:///{tmp_path / 'f.db'}"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from backcheck.cli import main; sys.exit(main())",
            "--db",
            db,
            "import",
            str(fifo),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"{fifo}: is not a regular file")
    assert "Traceback" not in done.stderr


# --- limits on plausible values -------------------------------------------------------------


def test_implausible_values_are_skipped_with_the_reason(tmp_path: Path) -> None:
    rows = strong_rows(100)
    rows[30] = rows[30].replace("2024-03-05", "0001-03-05")
    rows[31] = rows[31].replace("2024-03-05", "9999-03-05")
    rows[32] = rows[32].replace("80.0", "5000000")
    rows[33] = rows[33].replace(",8,0,0", ",100000,0,0")
    rows[34] = rows[34].replace(",35,80.0", ",1e308,80.0")
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE)
    why = {s.line: s.why for s in parsed.skipped}
    assert sorted(why) == [32, 33, 34, 35, 36]
    assert all(s.unreadable for s in parsed.skipped)
    assert why[32].startswith("date 0001-03-05:") and str(limits.EARLIEST_YEAR) in why[32]
    assert why[33].startswith("date 9999-03-05:") and "future" in why[33]
    assert why[34].startswith("weight (kg) 5000000") and f"{limits.MAX_WEIGHT_KG:,.0f}" in why[34]
    assert why[35].startswith("reps 100000") and f"{limits.MAX_REPS:,}" in why[35]
    assert why[36].startswith("Set Order (a number or W/D/F) '1e308' is not a number <=")
    assert parsed.sets.height == 95


def test_limits_sit_on_their_boundaries() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    ok = [datetime(limits.EARLIEST_YEAR, 1, 1, tzinfo=UTC), now + limits.LATEST_AHEAD]
    bad = [datetime(limits.EARLIEST_YEAR - 1, 12, 31, tzinfo=UTC), now + timedelta(days=1, hours=1)]
    frame = pl.DataFrame(
        {
            "session_start": ok + bad + [now] * 4,
            "weight_kg": [0.0] * 4 + [limits.MAX_WEIGHT_KG, -limits.MAX_WEIGHT_KG - 1, 1e308, 0],
            "reps": [5] * 7 + [limits.MAX_REPS + 1],
            "distance_m": [None] * 8,
            "seconds": [None] * 8,
        },
        schema_overrides={"session_start": pl.Datetime("us", "UTC"), "reps": pl.Int32},
    )
    why = limits.implausible(frame, now).to_list()
    assert [w is None for w in why] == [True, True, False, False, True, False, False, False]


def test_fit_sets_pass_the_same_limits(tmp_path: Path) -> None:
    fit = next((DATA / "logs/fit").glob("20474406937_ACTIVITY.fit"))
    parsed = read_export(fit, tz=UTC_ZONE)
    assert parsed.sets.height > 0 and not any(s.unreadable for s in parsed.skipped)
    assert limits.implausible(parsed.sets).null_count() == parsed.sets.height


def test_strong_12_hour_clock_with_narrow_no_break_space(tmp_path: Path) -> None:
    rows = [r.replace("2024-03-05 18:01:12", "2024-03-05 6:01:12\u202fPM") for r in strong_rows(3)]
    parsed = read_export(write(tmp_path, [HEADER12, *rows]), tz=UTC_ZONE, strict=True)
    assert (
        parsed.sets["session_start"].to_list() == [datetime(2024, 3, 5, 18, 1, 12, tzinfo=UTC)] * 3
    )


def test_sets_with_nothing_logged_are_skipped_not_stored() -> None:
    path = DATA / "logs/strong/dakheera47_sample_strong_workoutnum.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    empty = [
        i + 2
        for i, r in enumerate(rows)
        if not any(r[k].strip() not in ("", "0") for k in ("Weight (kg)", "Reps", "Seconds"))
        and not r["Distance (meters)"].strip().strip("0.")
    ]
    parsed = read_export(path, tz=UTC_ZONE, strict=True)
    assert len(empty) == 7  # counted with the csv module: weight and reps empty
    assert [s.line for s in parsed.skipped] == empty
    assert all("nothing logged" in s.why and not s.unreadable for s in parsed.skipped)
    assert parsed.sets.height == len(rows) - 7


def test_a_timer_left_running_loses_its_duration_not_its_sets() -> None:
    path = DATA / "logs/strong/placy2_strong.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        runaway = {
            r["Date"]
            for r in csv.DictReader(fh)
            if "h" in r["Duration"]
            and int(r["Duration"].split("h")[0]) >= limits.MAX_WORKOUT_SECONDS / 3600
        }
    parsed = read_export(path, tz=UTC_ZONE, strict=True)
    assert len(runaway) == 2 and parsed.sets.height == parsed.rows
    sets = parsed.sets
    assert sets.filter(pl.col("duration_s").is_null())["session_start"].n_unique() == 2
    assert sets["duration_s"].max() <= limits.MAX_WORKOUT_SECONDS
    assert any("2 workout(s) last more than 6 hours" in n for n in parsed.notes)


def test_headerless_strong_with_an_odd_first_row_is_still_strong(tmp_path: Path) -> None:
    rows = strong_rows(30)  # no header line
    rows[0] = rows[0].replace("2024-03-05 18:01:12", "2024-03-05 18:01:99")
    parsed = read_export(write(tmp_path, rows), tz=UTC_ZONE)
    assert parsed.format == "strong" and parsed.rows == 30
    assert [s.line for s in parsed.skipped] == [1]
    assert "Date '2024-03-05 18:01:99'" in parsed.skipped[0].why


def _all_real_exports() -> list[dict]:
    index = json.loads((DATA / "index.json").read_text(encoding="utf-8"))
    return [e for key, entries in index.items() if key != "_about" for e in entries]


@pytest.mark.parametrize("entry", _all_real_exports(), ids=lambda e: e["path"])
def test_every_real_export_reads_whole_even_strict(entry: dict) -> None:
    parsed = read_export(DATA / entry["path"], tz=UTC_ZONE, strict=True)
    assert parsed.format == entry["format"]
    assert parsed.rows == entry["rows"]
    assert parsed.sets.height + len(parsed.skipped) == parsed.rows
    assert parsed.sessions == entry["sessions"]
    assert all(s.why and not s.unreadable for s in parsed.skipped)


def test_cli_prints_a_file_name_with_brackets_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from backcheck.cli import main

    path = write(tmp_path, [HEADER12, *strong_rows(20), strong_rows(20)[-1]], name="a[bold]b.csv")
    code = main(["--db", f"sqlite:///{tmp_path / 'b.db'}", "import", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{path} (strong): 1 sessions, 20 sets, 1 rows skipped, 20 new" in out
    assert f"{path}:22: skipped, same row as line 21 (repeated row)" in out


@pytest.mark.parametrize(
    "name",
    [
        "logs/fitnotes/kaiserlift_fitnotes_example.csv",
        "logs/hevy/dakheera47_sample_hevy.csv",
        "variants/fitbod_sample.csv",
        "variants/backcheck_sets.csv",
    ],
)
def test_a_doubled_export_of_every_format_imports_once(tmp_path: Path, name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8").rstrip("\n") + "\n"
    doubled = tmp_path / "doubled.csv"
    doubled.write_text(text + text, encoding="utf-8")
    once = read_export(DATA / name, tz=UTC_ZONE)
    twice = read_export(doubled, tz=UTC_ZONE, strict=True)
    assert twice.sets.drop("source_file").equals(once.sets.drop("source_file"))
    assert twice.rows == 2 * once.rows + 1 and len(twice.skipped) == once.rows + 1 + len(
        once.skipped
    )
