"""One athlete's AthleteData built straight from files or frames, without a database.

    data = athlete_data_from_files("athletes/anna", tz="Europe/Berlin", as_of=date(2026, 5, 1))

The result is the AthleteData that importing the same files into a store (`backcheck import`,
`pain import`, `recovery import`) and calling `why.load_data(..., answers=<answers.json>)` gives:
the same deduplication (a set, session, diary or recovery entry stored once, the first one
read winning), the same column types and the same row order (tests/test_batch_build.py
compares the two on simulated athletes). Parsing is the importers' (`read_export`,
`read_pain`, `read_recovery`); `answers.json` counts like `why --answers FILE`.

Files of an athlete folder, by name (case-insensitive; sorted by name within a kind):
`pain.csv` (pain diary), `recovery.csv`, `export.xml` or `export.zip` (recovery, Apple
Health), `answers.json` (red-flag answers), videos (media.VIDEO_SUFFIXES), landmarks CSVs
(a header naming `left_shoulder_x` or `right_shoulder_x`), every other `.csv` or `.fit` file a
workout export in any supported format. Other files (hidden files, notes, `truth.json`) are
ignored and listed in the notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.analysis.context import AthleteData
from backcheck.batch.media import VIDEO_SUFFIXES, is_landmarks_csv
from backcheck.errors import InputError
from backcheck.keys import SESSION_COLUMNS, distinct_sessions, distinct_sets
from backcheck.model import SET_SCHEMA, SET_TYPES, STORED_SET_SCHEMA, conform_sets
from backcheck.settings import zone_from_name
from backcheck.store.diary import PAIN_SCHEMA, RECOVERY_SCHEMA
from backcheck.triage_answers import read_answers_file

PAIN_NAMES = ("pain.csv",)
RECOVERY_NAMES = ("recovery.csv", "export.xml", "export.zip")
ANSWERS_NAME = "answers.json"
WORKOUT_SUFFIXES = (".csv", ".fit")


@dataclass(slots=True)
class AthleteFiles:
    """The files of one athlete folder by kind, each list sorted by file name."""

    folder: Path
    workouts: list[Path] = field(default_factory=list)
    pain: list[Path] = field(default_factory=list)
    recovery: list[Path] = field(default_factory=list)
    answers: Path | None = None
    landmarks: list[Path] = field(default_factory=list)
    videos: list[Path] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the folder holds nothing backcheck can analyse."""
        return not (
            self.workouts
            or self.pain
            or self.recovery
            or self.answers
            or self.landmarks
            or self.videos
        )


@dataclass(slots=True)
class AthleteInput:
    """One athlete's data as a store would hand it back, before the `as_of` cut.

    sets: model.STORED_SET_SCHEMA (session_id 1, 2, ... in the order sessions were first
    read); pain: store.diary.PAIN_SCHEMA by time; recovery: store.diary.RECOVERY_SCHEMA by day;
    videos: form-check results {"recorded_on", "exercise", "source_name", "result"}; answers:
    red-flag answers (None: not asked); notes: what the user should know (ignored files...).
    """

    athlete: str
    sets: pl.DataFrame
    pain: pl.DataFrame
    recovery: pl.DataFrame
    videos: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, bool] | None = None
    notes: list[str] = field(default_factory=list)


def classify(folder: str | Path) -> AthleteFiles:
    """Sort the files of an athlete folder into kinds (see the module docstring); sub-folders
    and hidden files are ignored."""
    root = Path(folder)
    found = AthleteFiles(root)
    for path in sorted((p for p in root.iterdir() if p.is_file()), key=lambda p: p.name):
        name, suffix = path.name.lower(), path.suffix.lower()
        if name.startswith("."):
            continue
        if name in PAIN_NAMES:
            found.pain.append(path)
        elif name in RECOVERY_NAMES:
            found.recovery.append(path)
        elif name == ANSWERS_NAME:
            found.answers = path
        elif suffix in VIDEO_SUFFIXES:
            found.videos.append(path)
        elif suffix == ".csv" and is_landmarks_csv(path):
            found.landmarks.append(path)
        elif suffix in WORKOUT_SUFFIXES:
            found.workouts.append(path)
        else:
            found.ignored.append(path)
    return found


def stored_sets(athlete: str, frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Canonical set frames (model.SET_SCHEMA, in import order) as `store.workouts.load_sets`
    returns them after importing each in turn: a set (content key) and a session (start)
    stored once, the first read winning; sessions numbered in the order first read."""
    parts = [conform_sets(f) for f in frames if f.height]
    frame = pl.concat(parts) if parts else conform_sets(pl.DataFrame(schema=SET_SCHEMA))
    frame = distinct_sets(frame)
    sessions = (
        distinct_sessions(frame)
        .with_row_index("session_id", offset=1)
        .with_columns(pl.col("session_id").cast(pl.Int64))
    )
    return (
        frame.drop(*SESSION_COLUMNS)
        .join(sessions, on="session_key", how="inner", maintain_order="left")
        .with_columns(
            pl.lit(athlete, dtype=pl.String).alias("athlete"),
            pl.lit(None, dtype=pl.String).alias("exercise_key"),  # mapped again on analysis
        )
        .select(list(STORED_SET_SCHEMA))
        .sort("session_start", "exercise", "set_index", maintain_order=True)
    )


def stored_pain(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Pain frames (ingest.pain PAIN_FRAME_SCHEMA, in import order) as `load_pain` returns
    them: one entry per time, level and region (first read wins), ordered by time."""
    parts = [f.select(list(PAIN_SCHEMA)).cast(PAIN_SCHEMA) for f in frames]  # type: ignore[arg-type]
    frame = pl.concat(parts) if parts else pl.DataFrame(schema=PAIN_SCHEMA)
    return frame.unique(subset=["at", "level", "region"], keep="first", maintain_order=True).sort(
        "at", maintain_order=True
    )


def stored_recovery(frames: Sequence[tuple[pl.DataFrame, str]]) -> pl.DataFrame:
    """Recovery frames with their source ("csv" or "apple-health"), in import order, as
    `load_recovery` returns them: one entry per day, kind and value (to 0.001; first read
    wins), ordered by day."""
    parts = [
        f.select("day", "kind", "value").with_columns(pl.lit(source).alias("source"))
        for f, source in frames
    ]
    frame = (
        pl.concat(parts).cast(RECOVERY_SCHEMA)  # type: ignore[arg-type]
        if parts
        else pl.DataFrame(schema=RECOVERY_SCHEMA)
    )
    return (
        frame.with_columns(pl.col("value").round(3).alias("_v"))
        .unique(subset=["day", "kind", "_v"], keep="first", maintain_order=True)
        .drop("_v")
        .sort("day", maintain_order=True)
    )


def read_folder(
    folder: str | Path, *, tz: str, athlete: str | None = None, videos: bool = True
) -> AthleteInput:
    """Read every file of an athlete folder (InputError at the first bad one). `athlete`
    defaults to the folder's name; `videos` False leaves the videos (not the landmarks CSVs)
    to a caller that analyses them elsewhere (Ray video tasks)."""
    from backcheck.ingest import read_export
    from backcheck.ingest.pain import read_pain
    from backcheck.ingest.recovery import read_recovery

    zone: ZoneInfo = zone_from_name(tz)
    files = classify(folder)
    name = athlete or files.folder.name
    if files.empty:
        raise InputError(
            files.folder, None, "no workout export, pain.csv, recovery.csv or answers.json here"
        )
    sets = [read_export(p, tz=zone).sets for p in files.workouts]
    pain = [read_pain(p, tz=zone).frame for p in files.pain]
    recovery = []
    for p in files.recovery:
        parsed = read_recovery(p, tz=zone)
        recovery.append((parsed.frame, parsed.source))
    answers = read_answers_file(files.answers) if files.answers else None
    notes = [f"ignored {p.name} (not a file backcheck reads)" for p in files.ignored]
    from backcheck.batch.media import analyse_media

    checks, media_notes = analyse_media(
        [*files.landmarks, *(files.videos if videos else [])], tz=tz
    )
    notes.extend(media_notes)
    return AthleteInput(
        athlete=name,
        sets=stored_sets(name, sets),
        pain=stored_pain(pain),
        recovery=stored_recovery(recovery),
        videos=checks,
        answers=answers,
        notes=notes,
    )


def check_sets(athlete: str, sets: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """Canonical sets of `athlete` from a data set (`source`), conformed to model.SET_SCHEMA;
    InputError when a row has no session start or exercise, or an unknown set type."""
    try:
        frame = conform_sets(sets)
    except pl.exceptions.PolarsError as exc:
        raise InputError(source, None, f"athlete {athlete!r}: not canonical sets ({exc})") from None
    for column in ("session_start", "exercise", "set_type"):
        nulls = frame[column].null_count()
        if nulls:
            raise InputError(source, None, f"athlete {athlete!r}: {nulls} sets without {column}")
    unknown = frame.filter(~pl.col("set_type").is_in(list(SET_TYPES)))["set_type"].unique()
    if unknown.len():
        raise InputError(
            source,
            None,
            f"athlete {athlete!r}: unknown set_type {unknown.sort().to_list()[:3]} "
            f"(use {', '.join(SET_TYPES)})",
        )
    return frame


def from_sets(athlete: str, sets: pl.DataFrame, *, source: str = "sets") -> AthleteInput:
    """An athlete known only by canonical sets (a Parquet data set): no diary, no answers."""
    return AthleteInput(
        athlete=athlete,
        sets=stored_sets(athlete, [check_sets(athlete, sets, source=source)]),
        pain=pl.DataFrame(schema=PAIN_SCHEMA),
        recovery=pl.DataFrame(schema=RECOVERY_SCHEMA),
    )


def prepare(
    inp: AthleteInput, *, tz: str, as_of: date | None, today: date | None = None
) -> AthleteData:
    """AthleteData up to `as_of` (inclusive; None: the analysis day why.prepare_data
    chooses from `today`) from an AthleteInput, the very call `why.load_data` makes after
    its store reads: local `day` columns in `tz`, the catalog mapping, and the time order of
    the analyses."""
    from backcheck.why import prepare_data

    return prepare_data(
        athlete=inp.athlete,
        tz=tz,
        as_of=as_of,
        today=today,
        sets=inp.sets,
        pain=inp.pain,
        recovery=inp.recovery,
        videos=inp.videos,
        answers=inp.answers,
    )


def athlete_data_from_files(
    folder: str | Path, *, tz: str, as_of: date | None = None
) -> AthleteData:
    """Everything in athlete folder `folder` up to `as_of` (default: the analysis day of
    why.prepare_data), as `why.load_data` would give it after importing the folder."""
    return prepare(read_folder(folder, tz=tz), tz=tz, as_of=as_of)
