"""The athlete simulator: deterministic, its truth matches its data, its files parse.

Expectations are recomputed here from the generated rows (by exercise name, with Python's csv
module and zoneinfo), never taken from the simulator's own bookkeeping.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from backcheck.analysis import diaryflags, triage
from backcheck.errors import UsageError
from backcheck.model import SET_SCHEMA
from backcheck.sim import FACTORS, Profile, simulate
from backcheck.sim.demo_data import write_demo
from backcheck.sim.pain import PainRow
from backcheck.sim.writers import (
    big_strong_csv,
    write_athlete_folder,
    write_hevy_csv,
    write_pain_csv,
    write_recovery_csv,
    write_strong_csv,
)

STRONG_HEADER = [
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
]
HEVY_HEADER = [
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "superset_id",
    "exercise_notes",
    "set_index",
    "set_type",
    "weight_kg",
    "reps",
    "distance_km",
    "duration_seconds",
    "rpe",
]
CARDIO = {"Cycling (Indoor)", "Rowing (Machine)"}
BERLIN = ZoneInfo("Europe/Berlin")
DEMO = Path(__file__).resolve().parent.parent / "src" / "backcheck" / "data" / "demo"


def is_hpush(name: str) -> bool:
    return "Bench Press" in name or name == "Push Up"


def is_hpull(name: str) -> bool:
    return ("Row" in name and name not in CARDIO) or name.startswith("Face Pull")


def is_upper_back(name: str) -> bool:
    return is_hpull(name) or name.startswith(("Lat Pulldown", "Pull Up", "Shrug"))


def is_upper_body(name: str) -> bool:
    arms = ("Overhead Press", "Triceps", "Bicep Curl")
    return is_hpush(name) or is_upper_back(name) or name.startswith(arms)


def working(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("set_type").is_in(["working", "failure"]))


def local_day(at: datetime) -> date:
    return at.astimezone(BERLIN).date()


def per_session(frame: pl.DataFrame) -> dict[datetime, list[dict[str, object]]]:
    out: dict[datetime, list[dict[str, object]]] = defaultdict(list)
    for row in frame.iter_rows(named=True):
        out[row["session_start"]].append(row)
    return out


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_athletes() -> None:
    p = Profile(seed=3, causes=frozenset({"warmup", "overexertion"}))
    a, b = simulate(p), simulate(p)
    assert a.sets.equals(b.sets)
    assert a.pain == b.pain
    assert a.recovery == b.recovery
    assert a.truth.exposures == b.truth.exposures


def test_different_seed_gives_different_athletes() -> None:
    a, b = simulate(Profile(seed=1)), simulate(Profile(seed=2))
    assert not a.sets.equals(b.sets)
    assert a.pain != b.pain
    assert a.recovery != b.recovery


def test_sets_follow_the_canonical_schema_in_utc() -> None:
    sim = simulate(Profile(weeks=4))
    assert sim.sets.schema == pl.Schema(SET_SCHEMA)
    assert sim.sets["session_start"].dtype == pl.Datetime("us", "UTC")
    assert set(sim.sets["set_type"].unique()) <= {"warmup", "working", "drop", "failure"}
    # 4 training days a week for 4 weeks, one workout a day.
    assert sim.sets["session_start"].n_unique() == 16
    sizes = sim.sets.group_by("session_start").agg(pl.col("exercise").n_unique())["exercise"]
    assert min(sizes.to_list()) >= 4
    assert max(sizes.to_list()) <= 9  # 4-8 lifts, plus a cardio warm-up


# --- the truth matches the data ----------------------------------------------------------------


def push_pull(frame: pl.DataFrame) -> tuple[int, int]:
    names = working(frame)["exercise"].to_list()
    return sum(map(is_hpush, names)), sum(map(is_hpull, names))


def test_imbalance_athlete_pushes_much_more_than_it_pulls() -> None:
    push, pull = push_pull(simulate(Profile(causes=frozenset({"imbalance"}))).sets)
    assert push > 1.5 * pull
    push, pull = push_pull(simulate(Profile()).sets)
    assert 0.75 * pull < push < 1.33 * pull


def test_push_dominant_exposure_matches_each_session() -> None:
    sim = simulate(Profile(causes=frozenset({"imbalance"}), mild=frozenset({"imbalance"})))
    seen = 0
    for start, rows in per_session(working(sim.sets)).items():
        names = [str(r["exercise"]) for r in rows]
        push, pull = sum(map(is_hpush, names)), sum(map(is_hpull, names))
        expected = push > 1.5 * pull
        assert ("push_dominant" in sim.truth.exposures[local_day(start)]) == expected
        seen += expected
    assert seen > 0


def warmed_up(rows: list[dict[str, object]]) -> bool:
    """Cardio first, or a warm-up set before the first lift's first working set."""
    return rows[0]["exercise"] in CARDIO or rows[0]["set_type"] == "warmup"


def upper_body_warmed_up(rows: list[dict[str, object]]) -> bool | None:
    """The analysis rule (docs/science.md section 2): cardio, or an upper-body warm-up set, before
    the first working set of the first upper-body lift; None without an upper-body lift."""
    first = next((i for i, r in enumerate(rows) if is_upper_body(str(r["exercise"]))), None)
    if first is None:
        return None
    name = rows[first]["exercise"]
    start = next(
        i for i, r in enumerate(rows) if r["exercise"] == name and r["set_type"] != "warmup"
    )
    before = rows[:start]
    return any(r["exercise"] in CARDIO for r in before) or any(
        r["set_type"] == "warmup" and is_upper_body(str(r["exercise"])) for r in before
    )


@pytest.mark.parametrize(("causes", "low", "high"), [((), 0.9, 1.0), (("warmup",), 0.0, 0.3)])
def test_warmup_share(causes: tuple[str, ...], low: float, high: float) -> None:
    sim = simulate(Profile(causes=frozenset(causes), seed=5))
    sessions = per_session(sim.sets)
    flags = [warmed_up(rows) for rows in sessions.values()]
    assert low <= sum(flags) / len(flags) <= high
    judged = 0
    for start, rows in sessions.items():
        upper = upper_body_warmed_up(rows)
        on = "no_warmup" in sim.truth.exposures[local_day(start)]
        if upper is None:
            assert not on  # no upper-body lift: nothing to warm up
        else:
            judged += 1
            assert on == (not warmed_up(rows)) == (not upper)
    assert judged > 0.7 * len(sessions)


def weekly_upper_back_sets(sim_sets: pl.DataFrame, start: date) -> list[int]:
    weeks: Counter[int] = Counter()
    for row in working(sim_sets).iter_rows(named=True):
        if is_upper_back(row["exercise"]):
            weeks[(local_day(row["session_start"]) - start).days // 7] += 1
    return [weeks[w] for w in range(max(weeks) + 1)]


def test_overexertion_spikes_upper_back_volume() -> None:
    p = Profile(causes=frozenset({"overexertion"}), seed=2, weeks=20)
    sim = simulate(p)
    weekly = weekly_upper_back_sets(sim.sets, p.start)
    spike_weeks = {(d - p.start).days // 7 for d in sim.truth.spike_weeks}
    assert len(spike_weeks) >= 2
    for w in spike_weeks:
        assert weekly[w] >= 1.5 * sum(weekly[w - 4 : w]) / 4
    spike_days = {d for d, f in sim.truth.exposures.items() if "load_spike" in f}
    assert {(d - p.start).days // 7 for d in spike_days} == spike_weeks
    healthy = weekly_upper_back_sets(simulate(Profile(seed=2, weeks=20)).sets, p.start)
    assert all(healthy[w] < 1.5 * sum(healthy[w - 4 : w]) / 4 for w in range(4, 20))


def test_recovery_athlete_rests_little_and_sleeps_short() -> None:
    p = Profile(causes=frozenset({"recovery"}))
    sim = simulate(p)
    days = {local_day(s) for s in sim.sets["session_start"].unique()}
    for week in range(p.weeks):
        week_days = {p.start + timedelta(days=7 * week + i) for i in range(7)}
        assert len(week_days - days) <= 1  # 0-1 rest days
    sleep = [float(r["value"]) for r in sim.recovery if r["kind"] == "sleep"]
    assert sum(sleep) / len(sleep) < 6.5
    healthy = simulate(Profile())
    hdays = {local_day(s) for s in healthy.sets["session_start"].unique()}
    assert len(hdays) == 4 * 16
    hsleep = [float(r["value"]) for r in healthy.recovery if r["kind"] == "sleep"]
    assert sum(hsleep) / len(hsleep) > 7.0


@pytest.mark.parametrize("causes", [(), ("recovery",)])
def test_recovery_exposures_match_sleep_rows_and_session_gaps(causes: tuple[str, ...]) -> None:
    sim = simulate(Profile(causes=frozenset(causes), seed=4))
    sleep = {r["date"]: float(r["value"]) for r in sim.recovery if r["kind"] == "sleep"}
    last_upper: datetime | None = None
    short_gaps = 0
    for start, rows in sorted(per_session(sim.sets).items()):
        day = local_day(start)
        on = sim.truth.exposures[day]
        if day in sleep:  # the truth also knows nights that were not logged
            assert ("short_sleep" in on) == (sleep[day] < 7.0)
        if any(is_upper_back(str(r["exercise"])) for r in rows):
            gap = last_upper is not None and start - last_upper < timedelta(hours=48)
            assert ("short_gap" in on) == gap
            short_gaps += gap
            last_upper = start
        else:
            assert "short_gap" not in on
    assert (short_gaps > 10) == bool(causes)


# --- pain ---------------------------------------------------------------------------------------


def test_pain_false_logs_only_pain_free_days() -> None:
    sim = simulate(Profile(pain=False, causes=frozenset({"warmup", "imbalance"})))
    assert sim.pain
    assert all(r["level"] == 0 and r["region"] is None for r in sim.pain)


def test_diary_has_control_days_and_unknown_days() -> None:
    p = Profile(weeks=26, seed=9)
    sim = simulate(p)
    logged = {r["date"] for r in sim.pain}
    zero = [r for r in sim.pain if r["level"] == 0]
    span = 7 * p.weeks + 2
    assert 0.6 * span <= len(zero) <= 0.8 * span
    assert len(logged) < span  # some days are unknown
    hurt = [r for r in sim.pain if int(r["level"]) >= 3]
    assert 0 < len(hurt) < 0.1 * span  # a healthy athlete: rare random pain
    sites = {"between-shoulder-blades", "upper-trapezius", "mid-back"}
    assert all(r["region"] in sites for r in sim.pain if r["level"])


def pain_after(sim_pain: list[PainRow], day: date) -> bool:
    hurt = {r["date"] for r in sim_pain if int(r["level"]) >= 3}
    return day in hurt or day + timedelta(days=1) in hurt


def test_pain_follows_the_built_in_cause_not_other_factors() -> None:
    # Long histories with half the sessions warmed up: pain follows skipped warm-ups.
    groups: dict[bool, list[bool]] = {True: [], False: []}
    sleep_groups: dict[bool, list[bool]] = {True: [], False: []}
    for seed in range(5):
        p = Profile(causes=frozenset({"warmup"}), warmup_rate=0.5, weeks=52, seed=seed)
        sim = simulate(p)
        for day, on in sim.truth.exposures.items():
            groups["no_warmup" in on].append(pain_after(sim.pain, day))
            sleep_groups["short_sleep" in on].append(pain_after(sim.pain, day))
    rate = {k: sum(v) / len(v) for k, v in groups.items()}
    assert rate[True] > 1.8 * rate[False]
    sleep_rate = {k: sum(v) / len(v) for k, v in sleep_groups.items()}
    assert sleep_rate[True] < 1.5 * sleep_rate[False]  # short sleep is not this athlete's cause


def test_healthy_pain_chance_ignores_exposures() -> None:
    sim = simulate(Profile(seed=6, base_pain=0.05))
    assert all(v == pytest.approx(0.05) for v in sim.truth.pain_prob.values())
    frame = sim.truth.exposure_frame()
    assert frame.columns == ["date", *FACTORS, "pain_prob"]
    assert frame.height == len(sim.truth.exposures)


@pytest.mark.parametrize(
    "causes",
    [(), ("warmup",), ("imbalance",), ("overexertion",), ("recovery",), ("warmup", "imbalance")],
)
def test_simulated_diaries_raise_no_red_flags(causes: tuple[str, ...]) -> None:
    # The causes are training causes: the diary itself must not look like a red flag at any
    # point (pain > 5 days in a row, getting worse, level 9-10, alarming notes).
    for seed in range(3):
        sim = simulate(Profile(causes=frozenset(causes), seed=seed))
        diary = sim.pain_frame().rename({"date": "day"})
        last = max(r["date"] for r in sim.pain)
        day = sim.profile.start + timedelta(days=6)
        while day <= last:
            found = diaryflags.diary_reasons(diary, as_of=day)
            assert not found.emergency and not found.see_doctor, (seed, day, found)
            day += timedelta(days=2)


def test_profile_rejects_what_it_cannot_simulate() -> None:
    with pytest.raises(UsageError, match="causes"):
        Profile(causes=frozenset({"posture"}))
    with pytest.raises(UsageError, match="mild"):
        Profile(causes=frozenset({"warmup"}), mild=frozenset({"imbalance"}))
    with pytest.raises(UsageError, match="warmup_rate"):
        Profile(warmup_rate=1.5)
    with pytest.raises(UsageError, match="tz"):
        Profile(tz="Mars/Olympus")


# --- writers ------------------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_strong_csv_has_the_real_header_and_one_row_per_set(tmp_path: Path) -> None:
    sim = simulate(Profile(causes=frozenset({"overexertion"}), seed=8))
    path = write_strong_csv(sim.sets, tmp_path / "strong.csv", tz="Europe/Berlin")
    header, rows = read_csv(path)
    assert header == STRONG_HEADER
    assert len(rows) == sim.sets.height
    assert all(len(r) == 12 for r in rows)
    # Local wall-clock dates: the first row's date in Berlin is the first set's start in UTC.
    first = datetime.strptime(rows[0][0], "%Y-%m-%d %H:%M:%S").replace(tzinfo=BERLIN)
    assert first.astimezone(UTC) == sim.sets["session_start"][0]
    assert all(re.fullmatch(r"(\d+h)?( ?\d+m)?", r[2]) and r[2] for r in rows)
    types = Counter(sim.sets["set_type"].to_list())
    orders = Counter(r[4] for r in rows)
    assert orders["W"] == types["warmup"]
    assert orders["D"] == types["drop"]
    assert orders["F"] == types["failure"]
    # Numbered sets run 1..n within each workout and exercise.
    numbered: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in rows:
        if r[4].isdigit():
            numbered[(r[0], r[3])].append(int(r[4]))
    assert all(v == list(range(1, len(v) + 1)) for v in numbered.values())
    assert [float(r[5]) for r in rows] == sim.sets["weight_kg"].to_list()
    assert [int(r[6]) for r in rows] == sim.sets["reps"].to_list()
    rpe = [float(r[11]) if r[11] else None for r in rows]
    assert rpe == sim.sets["rpe"].to_list()
    assert sum(x is not None for x in rpe) > 0.6 * len(rows)


def test_strong_variants(tmp_path: Path) -> None:
    sim = simulate(Profile(weeks=2))
    header, rows = read_csv(
        write_strong_csv(sim.sets, tmp_path / "r.csv", tz=BERLIN, variant="rest-timer")
    )
    blocks = sim.sets.select(
        pl.struct("session_start", "exercise").rle_id().n_unique()
    ).item()  # exercises in a row within a workout
    assert header == STRONG_HEADER
    assert sum(r[4] == "Rest Timer" for r in rows) == blocks
    assert len(rows) == sim.sets.height + blocks
    header, rows = read_csv(
        write_strong_csv(sim.sets, tmp_path / "u.csv", tz=BERLIN, variant="units")
    )
    assert header[6] == "Weight Unit" and header[9] == "Distance Unit"
    assert len(rows) == sim.sets.height and all(len(r) == 14 for r in rows)
    with pytest.raises(UsageError, match="variant"):
        write_strong_csv(sim.sets, tmp_path / "x.csv", tz=BERLIN, variant="fancy")


def test_hevy_csv_matches_the_real_layout(tmp_path: Path) -> None:
    sim = simulate(Profile(seed=3))
    header, rows = read_csv(write_hevy_csv(sim.sets, tmp_path / "hevy.csv", tz="Europe/Berlin"))
    assert header == HEVY_HEADER
    assert len(rows) == sim.sets.height
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", r[1]) for r in rows)
    assert {r[8] for r in rows} <= {"warmup", "normal", "failure", "dropset"}
    assert sum(r[8] == "warmup" for r in rows) == sim.sets["set_type"].eq("warmup").sum()
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in rows:
        index[(r[1], r[4])].append(int(r[7]))
    assert all(v == list(range(len(v))) for v in index.values())
    first_local = sim.sets["session_start"][0].astimezone(BERLIN)
    assert rows[0][1] == f"{first_local.day} {first_local:%b %Y, %H:%M}"


def test_pain_and_recovery_csvs(tmp_path: Path) -> None:
    sim = simulate(Profile(causes=frozenset({"warmup"})))
    header, rows = read_csv(write_pain_csv(sim.pain, tmp_path / "pain.csv"))
    assert header == ["date", "level", "region", "note"]
    assert len(rows) == len(sim.pain)
    assert all(date.fromisoformat(r[0]) for r in rows)
    assert all((r[2] == "") == (r[1] == "0") for r in rows)
    header, rows = read_csv(write_recovery_csv(sim.recovery, tmp_path / "rec.csv"))
    assert header == ["date", "kind", "value"]
    assert len(rows) == len(sim.recovery)
    assert {r[1] for r in rows} <= {
        "sleep",
        "yoga",
        "foam-rolling",
        "massage",
        "stretching",
        "meditation",
    }


@pytest.mark.parametrize("fmt", ["strong", "hevy"])
def test_athlete_folder_layout(tmp_path: Path, fmt: str) -> None:
    sim = simulate(Profile(weeks=3))
    folder = write_athlete_folder(sim, tmp_path / "ann", fmt=fmt)
    assert sorted(p.name for p in folder.iterdir()) == [
        "answers.json",
        "pain.csv",
        "recovery.csv",
        "workouts.csv",
    ]
    answers = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    assert answers and not any(answers.values())
    assert set(answers) == set(triage.list_keys())
    assert triage.validate_answers(answers) == answers
    header, rows = read_csv(folder / "workouts.csv")
    assert header == (STRONG_HEADER if fmt == "strong" else HEVY_HEADER)
    assert len(rows) == sim.sets.height


@pytest.mark.parametrize("n_sets", [0, 1, 7_321])
def test_big_strong_csv_writes_exactly_n_rows(tmp_path: Path, n_sets: int) -> None:
    header, rows = read_csv(big_strong_csv(tmp_path / "big.csv", n_sets=n_sets, seed=2))
    assert header == STRONG_HEADER
    assert len(rows) == n_sets
    assert all(len(r) == 12 for r in rows)


def test_ten_years_of_daily_training_is_big() -> None:
    # Speed is measured in benchmarks (docs/simulator.md), not asserted here.
    big = simulate(Profile(weeks=522, days_per_week=7, volume=2.2))  # 10 years daily
    assert big.sets.height > 140_000


def test_packaged_demo_is_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_demo(tmp_path)
    assert [p.name for p in written] == sorted(p.name for p in DEMO.iterdir())
    for path in written:
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    assert set(truth["causes"]) == {"warmup", "imbalance", "recovery"}


def test_strong_round_trip_through_the_importer(tmp_path: Path) -> None:
    strong = pytest.importorskip("backcheck.ingest.strong")
    sim = simulate(Profile(seed=11))
    path = write_strong_csv(sim.sets, tmp_path / "s.csv", tz="Europe/Berlin")
    parsed = strong.read(path, unit="kg", tz=BERLIN)
    got = parsed.sets
    assert got.height == sim.sets.height
    assert got["session_start"].to_list() == sim.sets["session_start"].to_list()
    assert got["weight_kg"].to_list() == sim.sets["weight_kg"].to_list()
    assert got["set_type"].to_list() == sim.sets["set_type"].to_list()


def test_hevy_round_trip_through_the_importer(tmp_path: Path) -> None:
    hevy = pytest.importorskip("backcheck.ingest.hevy")
    sim = simulate(Profile(seed=12, causes=frozenset({"overexertion"})))
    got = hevy.read(
        write_hevy_csv(sim.sets, tmp_path / "h.csv", tz=BERLIN), unit=None, tz=BERLIN
    ).sets
    assert got.height == sim.sets.height
    # Hevy keeps minutes only.
    minutes = sim.sets["session_start"].dt.truncate("1m")
    assert got["session_start"].to_list() == minutes.to_list()
    assert got["set_type"].to_list() == sim.sets["set_type"].to_list()
    assert got["weight_kg"].fill_null(0.0).to_list() == sim.sets["weight_kg"].to_list()
    assert got["reps"].to_list() == sim.sets["reps"].to_list()


def test_diary_round_trip_through_the_importers(tmp_path: Path) -> None:
    pain_mod = pytest.importorskip("backcheck.ingest.pain")
    recovery_mod = pytest.importorskip("backcheck.ingest.recovery")
    sim = simulate(Profile(seed=13, causes=frozenset({"recovery"})))
    pain = pain_mod.read_pain(write_pain_csv(sim.pain, tmp_path / "pain.csv"), tz=BERLIN).frame
    assert pain["level"].to_list() == [r["level"] for r in sim.pain]
    assert pain["region"].to_list() == [r["region"] for r in sim.pain]
    noon = [datetime.combine(r["date"], time(12), BERLIN).astimezone(UTC) for r in sim.pain]
    assert pain["at"].to_list() == noon
    rec = recovery_mod.read_recovery_csv(
        write_recovery_csv(sim.recovery, tmp_path / "recovery.csv"), tz=BERLIN
    ).frame
    assert rec["day"].to_list() == [r["date"] for r in sim.recovery]
    assert rec["kind"].to_list() == [r["kind"] for r in sim.recovery]
    assert rec["value"].to_list() == [r["value"] for r in sim.recovery]
