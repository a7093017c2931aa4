"""Write simulated data as the files people feed backcheck: Strong and Hevy exports, and
backcheck's own pain diary, recovery log and red-flag answers (docs/interface.md).

The formatting copies real exports (tests/data/logs): Strong's local "YYYY-MM-DD HH:MM:SS"
dates, "1h 11m" durations, quoted names, W/D/F set orders and kg weights like "62.5";
Hevy's quoted strings, "15 Sep 2025, 07:48" dates and 0-based set_index.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from backcheck.analysis.triage import list_keys
from backcheck.errors import UsageError
from backcheck.model import SET_SCHEMA
from backcheck.sim.athlete import SimAthlete
from backcheck.sim.pain import PainRow, RecoveryRow
from backcheck.sim.profile import Profile, resolve
from backcheck.sim.training import SimSet, sessions

STRONG_HEADER: Final = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)
STRONG_UNITS_HEADER: Final = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Weight Unit,Reps,Distance,"
    "Distance Unit,Seconds,Notes,Workout Notes,RPE"
)
HEVY_COLUMNS: Final = (
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
)
STRONG_VARIANTS: Final = ("standard", "rest-timer", "units")
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_HEVY_TYPES: Final = {
    "warmup": "warmup",
    "working": "normal",
    "drop": "dropset",
    "failure": "failure",
}
_STRONG_LETTERS: Final = {"warmup": "W", "drop": "D", "failure": "F"}


@dataclass(slots=True)
class Workout:
    """One workout to write: local wall-clock start (naive) and its sets in order."""

    local: datetime
    name: str | None
    notes: str | None
    duration_s: float | None
    sets: list[SimSet]


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError("tz", f"unknown time zone {tz!r} (use an IANA name)") from None


def workouts(
    sets: pl.DataFrame | Sequence[dict[str, object]], *, tz: str | ZoneInfo
) -> Iterator[Workout]:
    """Group canonical sets (model.SET_SCHEMA, rows grouped by workout) into Workouts whose
    start is wall-clock time in `tz`."""
    zone = _zone(tz)
    frame = sets if isinstance(sets, pl.DataFrame) else pl.DataFrame(list(sets), schema=SET_SCHEMA)
    cols = (
        "session_start",
        "session_name",
        "session_notes",
        "duration_s",
        "exercise",
        "set_type",
        "weight_kg",
        "reps",
        "rpe",
        "distance_m",
        "seconds",
        "notes",
    )
    current: Workout | None = None
    start: datetime | None = None
    for at, name, wnotes, dur, ex, kind, kg, reps, rpe, dist, secs, notes in frame.select(
        cols
    ).iter_rows():
        if current is None or at != start:
            if current is not None:
                yield current
            if not isinstance(at, datetime):
                raise UsageError("sets", f"session_start must be a datetime, not {at!r}")
            start = at
            aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
            current = Workout(aware.astimezone(zone).replace(tzinfo=None), name, wnotes, dur, [])
        current.sets.append(SimSet(ex, kind, kg, reps, rpe, dist, secs, notes))
    if current is not None:
        yield current


def _q(text: str | None) -> str:
    """A quoted CSV field ("" for None), quotes doubled."""
    return '""' if not text else '"' + text.replace('"', '""') + '"'


def _num(value: float | None) -> str:
    """Shortest plain form of a number: 62.5, 60 (not 60.0), "" for None."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else repr(float(value))


def strong_duration(seconds: float | None) -> str:
    """Strong's duration text: "1h 11m", "52m", "2h" (whole minutes; "0m" when unknown)."""
    minutes = round((seconds or 0.0) / 60.0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h" if not rest else f"{hours}h {rest}m"


def hevy_time(at: datetime) -> str:
    """Hevy's English date-time, e.g. "9 Sep 2025, 06:46" (no zero-padded day, no seconds)."""
    return f"{at.day} {_MONTHS[at.month - 1]} {at.year}, {at.hour:02d}:{at.minute:02d}"


def strong_lines(w: Workout, *, variant: str = "standard") -> Iterator[str]:
    """Strong CSV lines of one workout. Set Order: W/D/F for warm-up/drop/failure sets, else
    1..n over the exercise's other sets; Notes is "" on an exercise's first row, Workout Notes
    "" on the workout's first row, empty elsewhere (as in real exports)."""
    head = f"{w.local:%Y-%m-%d %H:%M:%S},{_q(w.name)},{strong_duration(w.duration_s)},"
    counters: dict[str, int] = {}
    sets = w.sets
    for i, s in enumerate(sets):
        name = s.exercise
        order = _STRONG_LETTERS.get(s.set_type)
        if order is None:
            counters[name] = counters.get(name, 0) + 1
            order = str(counters[name])
        first_of_exercise = i == 0 or sets[i - 1].exercise != name
        notes = _q(s.notes) if (first_of_exercise or s.notes) else ""
        workout_notes = _q(w.notes) if i == 0 else ""
        weight = "0.0" if s.weight_kg is None else repr(float(s.weight_kg))
        distance = _num(None if s.distance_m is None else s.distance_m / 1000.0) or "0"
        reps = _num(s.reps) or "0"
        seconds = _num(s.seconds) or "0"
        if variant == "units":
            yield (
                f"{head}{_q(name)},{order},{weight},kg,{reps},{distance},km,{seconds},"
                f"{notes},{workout_notes},{_num(s.rpe)}\n"
            )
        else:
            yield (
                f"{head}{_q(name)},{order},{weight},{reps},{distance},{seconds},"
                f"{notes},{workout_notes},{_num(s.rpe)}\n"
            )
        if variant == "rest-timer" and (i + 1 == len(sets) or sets[i + 1].exercise != name):
            yield f'{head}{_q(name)},Rest Timer,0,0,0,120,"","",\n'


def write_strong_csv(
    sets: pl.DataFrame | Sequence[dict[str, object]],
    path: str | Path,
    *,
    tz: str | ZoneInfo,
    variant: str = "standard",
) -> Path:
    """Write canonical sets as a Strong export (wall-clock dates in `tz`, weights in kg,
    distances in km). variant: "standard" (12 columns), "rest-timer" (plus a "Rest Timer" row
    after each exercise, as some Strong versions write) or "units" (the newer 14-column header
    with Weight Unit / Distance Unit). Rows must be grouped by workout."""
    if variant not in STRONG_VARIANTS:
        raise UsageError("variant", f"must be one of {', '.join(STRONG_VARIANTS)}, not {variant!r}")
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write((STRONG_UNITS_HEADER if variant == "units" else STRONG_HEADER) + "\n")
        for w in workouts(sets, tz=tz):
            fh.writelines(strong_lines(w, variant=variant))
    return out


def hevy_lines(w: Workout) -> Iterator[str]:
    """Hevy CSV lines of one workout: set_index 0-based over all sets of an exercise, weight
    empty for bodyweight (0 kg), distance in km, duration_seconds 0 unless timed."""
    end = w.local + timedelta(seconds=w.duration_s or 0.0)
    head = f'{_q(w.name)},"{hevy_time(w.local)}","{hevy_time(end)}",{_q(w.notes)},'
    index: dict[str, int] = {}
    for s in w.sets:
        i = index.get(s.exercise, -1) + 1
        index[s.exercise] = i
        weight = _num(s.weight_kg) if s.weight_kg else ""
        distance = "" if s.distance_m is None else _num(s.distance_m / 1000.0)
        yield (
            f'{head}{_q(s.exercise)},,{_q(s.notes)},{i},"{_HEVY_TYPES[s.set_type]}",'
            f"{weight},{_num(s.reps)},{distance},{_num(s.seconds) or '0'},{_num(s.rpe)}\n"
        )


def write_hevy_csv(
    sets: pl.DataFrame | Sequence[dict[str, object]], path: str | Path, *, tz: str | ZoneInfo
) -> Path:
    """Write canonical sets as a Hevy export (English dates in `tz`, minutes only)."""
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(f'"{c}"' for c in HEVY_COLUMNS) + "\n")
        for w in workouts(sets, tz=tz):
            fh.writelines(hevy_lines(w))
    return out


def write_pain_csv(rows: Iterable[PainRow], path: str | Path) -> Path:
    """Pain diary CSV `date,level,region,note` (docs/interface.md); region empty when level is 0."""
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("date", "level", "region", "note"))
        for r in rows:
            w.writerow((r["date"].isoformat(), r["level"], r["region"] or "", r["note"] or ""))
    return out


def write_recovery_csv(rows: Iterable[RecoveryRow], path: str | Path) -> Path:
    """Recovery CSV `date,kind,value` (docs/interface.md): sleep in hours, practices in minutes."""
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("date", "kind", "value"))
        for r in rows:
            w.writerow((r["date"].isoformat(), r["kind"], _num(float(r["value"]))))
    return out


def write_answers_json(path: str | Path, *, keys: Sequence[str] | None = None) -> Path:
    """Red-flag answers JSON with every answer False (no red flag); keys default to every key
    of `backcheck triage --list-keys`."""
    out = Path(path)
    answers = dict.fromkeys(list_keys() if keys is None else keys, False)
    out.write_text(json.dumps(answers, indent=2) + "\n", encoding="utf-8")
    return out


def write_athlete_folder(
    sim: SimAthlete,
    folder: str | Path,
    *,
    fmt: str = "strong",
    answer_keys: Sequence[str] | None = None,
) -> Path:
    """One athlete's folder for `backcheck batch`: workouts.csv (Strong or Hevy, `fmt`),
    pain.csv, recovery.csv and answers.json (all red flags False). Returns the folder."""
    if fmt not in ("strong", "hevy"):
        raise UsageError("fmt", f"must be strong or hevy, not {fmt!r}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "strong":
        write_strong_csv(sim.sets, out / "workouts.csv", tz=sim.profile.tz)
    else:
        write_hevy_csv(sim.sets, out / "workouts.csv", tz=sim.profile.tz)
    write_pain_csv(sim.pain, out / "pain.csv")
    write_recovery_csv(sim.recovery, out / "recovery.csv")
    write_answers_json(out / "answers.json", keys=answer_keys)
    return out


def big_strong_csv(
    path: str | Path,
    *,
    n_sets: int,
    seed: int = 0,
    tz: str = "Europe/Berlin",
    end: date = date(2026, 11, 15),
) -> Path:
    """A large Strong export with exactly `n_sets` data rows (standard 12-column header),
    streamed from a simulated athlete who trains daily at volume 2.2 (~42 sets a workout) with a
    push-dominant habit, starting far enough before `end` that the history ends a few weeks
    before it (10 years for 150,000 sets); the last workout is cut to make the count exact.
    About 0.5 s per 100,000 rows."""
    if n_sets < 0:
        raise UsageError("n_sets", f"must be >= 0, not {n_sets}")
    zone = _zone(tz)

    def profile(start: date) -> Profile:
        return Profile(
            name="big",
            start=start,
            weeks=8,
            days_per_week=7,
            seed=seed,
            volume=2.2,
            causes=frozenset({"imbalance"}),
            mild=frozenset({"imbalance"}),
            tz=zone.key,
        )

    trial = profile(end)
    per_week = sum(len(s.sets) for s in sessions(trial, resolve(trial), weeks=26)) / 26
    weeks = int(1.02 * n_sets / per_week) + 1  # a little early, so it ends before `end`
    start = end - timedelta(days=7 * weeks)
    p = profile(start - timedelta(days=start.weekday()))
    out = Path(path)
    left = n_sets
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(STRONG_HEADER + "\n")
        for s in sessions(p, resolve(p), weeks=10 * weeks + 10):
            if left <= 0:
                break
            rows = s.sets[:left]
            fh.writelines(strong_lines(Workout(s.start_local, s.name, None, s.duration_s, rows)))
            left -= len(rows)
    return out
