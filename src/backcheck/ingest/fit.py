"""Garmin FIT activities -> canonical sets, from the watch's strength-training `set` messages.

A FIT file holds one activity, which may have several sessions (a multisport activity: ten
minutes on the bike, then lifting). backcheck makes the whole activity one workout:

- `session_start` is the start of the activity (the earliest session start; FIT times are UTC)
  and `duration_s` runs from there to the end of the last session (its `total_elapsed_time`).
- Each `set` message of set_type `active` is one working set: repetitions -> reps, weight (kg;
  watches often log 0 or nothing: 0 stays 0.0, nothing stays null, and a note counts them),
  duration -> seconds, the first exercise category the watch guessed -> exercise (a FIT profile
  name such as "bench_press"; "unknown" when the watch did not know). The specific Garmin
  exercise (category_subtype, e.g. "lat_pulldown") goes into the set's notes.
  `set` messages of set_type `rest` are skipped ("rest period, not a set").
- A non-strength session inside a strength activity (the bike warm-up, a run between blocks)
  is kept as one cardio row: exercise = its sub-sport or sport ("indoor_cycling"), seconds =
  timer time, distance in metres; set_type `warmup` when it ends before the first lifting set,
  else `working`. It is not a `set` message, so its source_line is null.
- An activity without an active set (indoor cycling, say, or a strength activity whose sets
  were not logged) imports nothing; the file's notes say what it was. That is not an error.

FIT has no lines: `source_line` is the 1-based ordinal of the `set` message among the file's
`set` messages, and `rows` counts the `set` messages. Average / maximum heart rate and the
session RPE (Borg CR-10, stored x10 in FIT) of the strength sessions go into `session_notes`.

The file is decoded as a stream (fitdecode), keeping only set and session messages. A file
that is truncated or corrupt (bad CRC, undefined messages, garbage) raises InputError
"corrupt FIT file: ...", never a traceback.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import fitdecode
import polars as pl
from fitdecode import profile as fit_profile

from backcheck.errors import InputError
from backcheck.ingest.csvtext import head_bytes, is_fit
from backcheck.model import SET_SCHEMA, ParsedFile, Skipped, conform_sets, empty_sets

FORMAT = "fit"

#: What fitdecode raises on damaged input: its own errors, and (seen when fuzzing real files)
#: ValueError, TypeError and AssertionError from deep inside its decoder.
_DECODE_ERRORS: tuple[type[BaseException], ...] = (
    fitdecode.FitError,
    ValueError,
    TypeError,
    AssertionError,
    IndexError,
    KeyError,
    OverflowError,
    struct.error,
)
_STRENGTH = ("training", "strength_training")
_UNKNOWN_CATEGORY = 65534  # FIT exercise_category "unknown"


@dataclass(slots=True)
class SetMessage:
    """The fields of one FIT `set` message that backcheck uses (ordinal is 1-based)."""

    ordinal: int
    set_type: str | None
    start: datetime | None
    reps: int | None
    weight_kg: float | None
    seconds: float | None
    exercise: str
    garmin_name: str | None


@dataclass(slots=True)
class SessionMessage:
    """One FIT `session` message: a part of the activity in one sport (times UTC, seconds)."""

    start: datetime | None
    elapsed_s: float | None
    timer_s: float | None
    sport: str
    sub_sport: str
    name: str | None
    distance_m: float | None
    avg_hr: int | None
    max_hr: int | None
    rpe: float | None  # Borg CR-10

    @property
    def strength(self) -> bool:
        """True for a strength-training session (sport training / strength_training)."""
        return (self.sport, self.sub_sport) == _STRENGTH

    @property
    def label(self) -> str:
        """ "cycling/indoor_cycling": sport and sub-sport as FIT names them."""
        return f"{self.sport}/{self.sub_sport}"


@dataclass(slots=True)
class Activity:
    """The messages of one FIT activity file that backcheck reads."""

    file_type: str | None
    created: datetime | None
    sets: list[SetMessage]
    sessions: list[SessionMessage]


def _enum_name(value: object, type_name: str) -> str | None:
    """Name of an enum value of FIT type `type_name` (fitdecode leaves array values raw)."""
    if value is None or isinstance(value, str):
        return value
    field_type = fit_profile.FIELD_TYPES.get(type_name)
    enum = field_type.enum if field_type is not None else None
    if isinstance(value, int) and enum:
        return str(enum.get(value, value))
    return str(value)


def exercise_names(category: object, subtype: object) -> tuple[str, str | None]:
    """(category name, specific Garmin exercise name or None) from a set's category fields.

    `category` is a FIT exercise_category, or an array of guesses (the first non-null one is
    taken); "unknown" when missing. `subtype` is the matching `<category>_exercise_name`.
    """
    cats = list(category) if isinstance(category, tuple | list) else [category]
    subs = list(subtype) if isinstance(subtype, tuple | list) else [subtype]
    for i, cat in enumerate(cats):
        if cat is None:
            continue
        if cat == _UNKNOWN_CATEGORY:
            return "unknown", None
        name = _enum_name(cat, "exercise_category") or "unknown"
        sub = subs[i] if i < len(subs) else None
        return name, _enum_name(sub, f"{name}_exercise_name") if sub is not None else None
    return "unknown", None


def _messages(path: Path) -> Iterator[fitdecode.FitDataMessage]:
    """Data messages of the FIT file, streamed; InputError when the file is damaged."""
    count = 0
    try:
        with fitdecode.FitReader(
            str(path),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    count += 1
                    # The caller's own errors happen in its frame, outside this try block.
                    yield frame
    except _DECODE_ERRORS as exc:
        detail = str(exc) or type(exc).__name__
        raise InputError(
            path,
            None,
            f"corrupt FIT file: {detail} (after {count} messages); "
            "is the file truncated? export it again from Garmin Connect",
        ) from None


def _value(msg: fitdecode.FitDataMessage, name: str) -> object:
    return msg.get_value(name, fallback=None)


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _time(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def scan(path: str | Path) -> Activity:
    """The set and session messages of a FIT file (InputError when it is not FIT or damaged)."""
    p = Path(path)
    if not is_fit(head_bytes(p)):
        raise InputError(p, None, "not a Garmin FIT file (no .FIT signature in its header)")
    activity = Activity(file_type=None, created=None, sets=[], sessions=[])
    for msg in _messages(p):
        if msg.name == "set":
            exercise, garmin = exercise_names(
                _value(msg, "category"), _value(msg, "category_subtype")
            )
            set_type = _value(msg, "set_type")
            activity.sets.append(
                SetMessage(
                    ordinal=len(activity.sets) + 1,
                    set_type=_enum_name(set_type, "set_type"),
                    start=_time(_value(msg, "start_time")),
                    reps=_int(_value(msg, "repetitions")),
                    weight_kg=_float(_value(msg, "weight")),
                    seconds=_float(_value(msg, "duration")),
                    exercise=exercise,
                    garmin_name=garmin,
                )
            )
        elif msg.name == "session":
            rpe = _float(_value(msg, "workout_rpe"))
            activity.sessions.append(
                SessionMessage(
                    start=_time(_value(msg, "start_time")),
                    elapsed_s=_float(_value(msg, "total_elapsed_time")),
                    timer_s=_float(_value(msg, "total_timer_time")),
                    sport=str(_value(msg, "sport") or "generic"),
                    sub_sport=str(_value(msg, "sub_sport") or "generic"),
                    name=_value_str(msg, "sport_profile_name"),
                    distance_m=_float(_value(msg, "total_distance")),
                    avg_hr=_int(_value(msg, "avg_heart_rate")),
                    max_hr=_int(_value(msg, "max_heart_rate")),
                    rpe=rpe / 10.0 if rpe is not None else None,
                )
            )
        elif msg.name == "file_id":
            activity.file_type = _value_str(msg, "type")
            activity.created = _time(_value(msg, "time_created"))
    return activity


def _value_str(msg: fitdecode.FitDataMessage, name: str) -> str | None:
    value = _value(msg, name)
    return str(value) if value is not None else None


def _session_notes(strength: list[SessionMessage]) -> str | None:
    """ "avg HR 112, max HR 150, session RPE 4" over the strength sessions (time-weighted)."""
    parts = []
    timed = [(s.avg_hr, s.timer_s or s.elapsed_s or 0.0) for s in strength if s.avg_hr]
    if timed:
        total = sum(w for _, w in timed)
        avg = sum(hr * w for hr, w in timed) / total if total else timed[0][0]
        parts.append(f"avg HR {round(avg)}")
    maxima = [s.max_hr for s in strength if s.max_hr]
    if maxima:
        parts.append(f"max HR {max(maxima)}")
    rpes = [s.rpe for s in strength if s.rpe]
    if rpes:
        parts.append(f"session RPE {sum(rpes) / len(rpes):g}")
    return ", ".join(parts) or None


def _span(sessions: list[SessionMessage], start: datetime) -> float | None:
    """Seconds from `start` to the end of the last session, or None when no end is known."""
    ends = [
        (s.start - start).total_seconds() + s.elapsed_s
        for s in sessions
        if s.start is not None and s.elapsed_s is not None
    ]
    return max(ends) if ends else None


def _what_it_was(activity: Activity) -> str:
    if activity.sessions:
        kinds = dict.fromkeys(s.label for s in activity.sessions)
        return f"{', '.join(kinds)} activity"
    return f"FIT {activity.file_type or 'unknown-type'} file"


def _cardio_rows(
    others: list[SessionMessage], first_lift: datetime | None
) -> list[tuple[datetime | None, dict[str, object]]]:
    rows: list[tuple[datetime | None, dict[str, object]]] = []
    for s in others:
        end_before = (
            s.start is not None
            and first_lift is not None
            and (s.start.timestamp() + (s.elapsed_s or 0.0)) <= first_lift.timestamp() + 1.0
        )
        rows.append(
            (
                s.start,
                {
                    "exercise": s.sub_sport if s.sub_sport != "generic" else s.sport,
                    "set_type": "warmup" if end_before else "working",
                    "seconds": s.timer_s if s.timer_s is not None else s.elapsed_s,
                    "distance_m": s.distance_m or None,
                    "notes": f"FIT {s.label} session"
                    + (f", avg HR {s.avg_hr}" if s.avg_hr else ""),
                    "source_line": None,
                },
            )
        )
    return rows


def read(path: str | Path, *, unit: str | None = None, tz: ZoneInfo | None = None) -> ParsedFile:
    """Read one Garmin FIT activity. `unit` and `tz` are ignored: FIT stores kg and UTC."""
    p = Path(path)
    return to_sets(scan(p), path=p, unit=unit)


def to_sets(activity: Activity, *, path: Path, unit: str | None = None) -> ParsedFile:
    """The canonical sets of a scanned activity (see the module docstring); `path` names it."""
    p = path
    notes: list[str] = []
    if unit == "lb":
        notes.append("--unit lb ignored: FIT files store weights in kg")
    skipped = [
        Skipped(
            s.ordinal,
            "rest period, not a set"
            if s.set_type == "rest"
            else f"set message of type {s.set_type or 'none'}, not an active set",
        )
        for s in activity.sets
        if s.set_type != "active"
    ]
    lifts = [s for s in activity.sets if s.set_type == "active"]
    strength = [s for s in activity.sessions if s.strength]
    rows = len(activity.sets)
    if not lifts:
        what = "no sets logged" if strength else "not strength training"
        notes.append(f"{_what_it_was(activity)}, {what}: nothing imported")
        return ParsedFile(str(p), FORMAT, empty_sets(), skipped, rows, notes)

    starts = [s.start for s in activity.sessions if s.start is not None]
    fallback = [s.start for s in activity.sets if s.start is not None] + [activity.created]
    session_start = min(starts) if starts else min((t for t in fallback if t), default=None)
    if session_start is None:
        raise InputError(
            p, None, "FIT activity has no start time (no session, set or file_id time)"
        )

    entries: list[tuple[datetime | None, dict[str, object]]] = [
        (
            s.start,
            {
                "exercise": s.exercise,
                "set_type": "working",
                "weight_kg": s.weight_kg,
                "reps": s.reps,
                "seconds": s.seconds,
                "notes": f"Garmin exercise: {s.garmin_name}" if s.garmin_name else None,
                "source_line": s.ordinal,
            },
        )
        for s in lifts
    ]
    first_lift = next((s.start for s in lifts if s.start is not None), None)
    # Without a strength session (sets logged under another sport), every session holds lifts.
    lifting = strength or list(activity.sessions)
    others = [s for s in activity.sessions if not s.strength] if strength else []
    for start, row in _cardio_rows(others, first_lift):
        # Place each cardio row before the first set that started after it (sets stay in order).
        at = next(
            (i for i, (t, _) in enumerate(entries) if start and t and t >= start), len(entries)
        )
        entries.insert(at, (start, row))

    counts: dict[str, int] = {}
    records = []
    for _, row in entries:
        name = str(row["exercise"])
        counts[name] = counts.get(name, 0) + 1
        records.append({**row, "set_index": counts[name]})
    no_weight = sum(1 for s in lifts if not s.weight_kg)
    if no_weight:
        notes.append(f"{no_weight} of {len(lifts)} sets have no weight logged (0 kg or missing)")
    unknown = sum(1 for s in lifts if s.exercise == "unknown")
    if unknown:
        notes.append(
            f"{unknown} of {len(lifts)} sets have no exercise name (imported as 'unknown')"
        )
    if others:
        labels = ", ".join(s.label for s in others)
        notes.append(f"kept as cardio rows: {labels} within this strength activity")

    columns = (
        "exercise",
        "set_index",
        "set_type",
        "weight_kg",
        "reps",
        "seconds",
        "distance_m",
        "notes",
        "source_line",
    )
    frame = pl.DataFrame(records, schema={c: SET_SCHEMA[c] for c in columns}).with_columns(
        pl.lit(session_start).cast(pl.Datetime("us", "UTC")).alias("session_start"),
        pl.lit(lifting[0].name if lifting and lifting[0].name else "Strength").alias(
            "session_name"
        ),
        pl.lit(_session_notes(lifting)).alias("session_notes"),
        pl.lit(_span(activity.sessions, session_start)).alias("duration_s"),
        pl.lit(p.name).alias("source_file"),
    )
    return ParsedFile(str(p), FORMAT, conform_sets(frame), skipped, rows, notes)
