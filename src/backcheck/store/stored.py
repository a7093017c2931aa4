"""What an analysis reads for one athlete, as the store hands it back (store.inputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl


@dataclass(slots=True)
class StoredInputs:
    """Everything `why` reads for one athlete, as the store hands it back.

    athlete: their name as stored (trimmed); sets: model.STORED_SET_SCHEMA; pain:
    store.diary.PAIN_SCHEMA; recovery: store.diary.RECOVERY_SCHEMA; videos: form-check
    results, oldest first; triage: the newest red-flag answers with when they were given
    (None: never answered); exercise_map: the athlete's own meaning of logged names (logged
    name -> catalog key; store.exercise_map).
    """

    athlete: str
    sets: pl.DataFrame
    pain: pl.DataFrame
    recovery: pl.DataFrame
    videos: list[dict[str, Any]] = field(default_factory=list)
    triage: tuple[datetime, dict[str, bool]] | None = None
    exercise_map: dict[str, str] = field(default_factory=dict)
