"""Form checks kept for `why` (posture): the day a filmed set was recorded, and storing it.

The one workflow behind `backcheck video`, the web's video job and a batch athlete folder's
videos and landmarks CSVs: `form_check` turns a video module result into the record the store
keeps (recorded_on, exercise, source_name, result: the `backcheck.video/1` document of
docs/interface.md), dated by `recorded_day`'s one rule; `store_form_check` stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from backcheck.clock import local_today

if TYPE_CHECKING:
    from backcheck.store import Store
    from backcheck.video.result import VideoResult

#: Where a recorded day came from, in the order `recorded_day` tries them.
DaySource = Literal["given", "video creation time", "file modification time", "today"]


@dataclass(frozen=True, slots=True)
class RecordedDay:
    """The local day a set was filmed and where that day came from."""

    day: date
    source: DaySource


def recorded_day(
    path: Path, given_day: date | None, *, created: datetime | None, tz: str
) -> RecordedDay:
    """The day the set in `path` was filmed: `given_day` when given (the user said so); else
    the video's creation time from its metadata (`created`, timezone-aware; None for a
    landmarks CSV or a video without one); else the file's modification time; else (no such
    file) today. Times are turned into local dates in IANA zone `tz`."""
    zone = ZoneInfo(tz)
    if given_day is not None:
        return RecordedDay(given_day, "given")
    if created is not None:
        return RecordedDay(created.astimezone(zone).date(), "video creation time")
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return RecordedDay(local_today(tz), "today")
    return RecordedDay(
        datetime.fromtimestamp(mtime, tz=UTC).astimezone(zone).date(), "file modification time"
    )


@dataclass(frozen=True, slots=True)
class FormCheck:
    """One form check as the store keeps it (store.diary.save_video / load_videos)."""

    recorded: RecordedDay
    exercise: str
    source_name: str
    result: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """{"recorded_on", "exercise", "source_name", "result"}: a row of
        store.diary.load_videos (what why.prepare_data reads)."""
        return {
            "recorded_on": self.recorded.day,
            "exercise": self.exercise,
            "source_name": self.source_name,
            "result": self.result,
        }


def form_check(
    path: Path, result: VideoResult, *, tz: str, given_day: date | None = None
) -> FormCheck:
    """The record of `result` (the video module's analysis of `path`), dated by
    `recorded_day` in IANA zone `tz`."""
    return FormCheck(
        recorded=recorded_day(path, given_day, created=result.recorded_at, tz=tz),
        exercise=result.exercise,
        source_name=path.name,
        result=result.to_json(),
    )


def store_form_check(
    store: Store, *, athlete: str, check: FormCheck, create_athlete: bool = False
) -> bool:
    """Store `check` for `athlete` (created when `create_athlete`, else NotFoundError when
    unknown); False when the very same check was stored before."""
    from backcheck.store.athletes import athlete_id
    from backcheck.store.diary import save_video

    with store.transaction() as conn:
        return save_video(
            conn,
            athlete_id(conn, athlete, create=create_athlete),
            recorded_on=check.recorded.day,
            exercise=check.exercise,
            source_name=check.source_name,
            result=check.result,
        )
