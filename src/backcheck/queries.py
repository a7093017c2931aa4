"""Read-side core calls: what is stored, summarised for people (CLI tables, web pages)."""

from __future__ import annotations

from typing import Any

import polars as pl

from backcheck.store import Store
from backcheck.store.athletes import list_athletes
from backcheck.store.workouts import load_sets


def athletes_overview(store: Store) -> list[dict[str, Any]]:
    """Every athlete with counts of sessions, sets, pain and recovery entries."""
    with store.transaction() as conn:
        return list_athletes(conn)


def exercise_usage(
    store: Store, *, athlete: str, unmapped_only: bool = False
) -> list[dict[str, Any]]:
    """Each exercise name as logged: the catalog key and pattern it maps to now, its sets,
    and `mapped_by`: "you" (the athlete's own meaning, `exercises map`), "catalog", or None
    (not understood: `key` and `pattern` are None).

    Mapping uses the current catalog, so names a newer catalog knows are mapped at once.
    """
    from backcheck.catalog import load_catalog
    from backcheck.store.exercise_map import map_of

    with store.transaction() as conn:
        sets = load_sets(conn, athlete)
        own = map_of(conn, athlete.strip())
    catalog = load_catalog()
    counts = (
        sets.group_by("exercise").len("sets").sort(["sets", "exercise"], descending=[True, False])
    )
    names = counts["exercise"].to_list()
    mapping = catalog.map_names(names, own=own)
    by_catalog = catalog.map_names(names)
    rows = []
    for name, n in counts.iter_rows():
        key = mapping.get(name)
        if unmapped_only and key is not None:
            continue
        mine = key is not None and (key != by_catalog.get(name) or name in own)
        rows.append(
            {
                "exercise": name,
                "key": key,
                "pattern": catalog.get(key).pattern if key else None,
                "sets": n,
                "mapped_by": None if key is None else "you" if mine else "catalog",
            }
        )
    return rows


def session_overview(
    store: Store, *, athlete: str, last: int = 20, tz: str = "UTC"
) -> list[dict[str, Any]]:
    """The `last` most recent sessions: local date, name, minutes, exercises, sets, volume load (kg)."""
    with store.transaction() as conn:
        sets = load_sets(conn, athlete)
    if sets.height == 0:
        return []
    working = pl.col("set_type") != "warmup"
    summary = (
        sets.group_by("session_id")
        .agg(
            pl.col("session_start").first(),
            pl.col("session_name").first().alias("workout"),
            (pl.col("duration_s").first() / 60).alias("duration_min"),
            pl.col("exercise").n_unique().alias("exercises"),
            pl.len().alias("sets"),
            (pl.col("set_type") == "warmup").sum().alias("warmup_sets"),
            (pl.col("weight_kg").fill_null(0) * pl.col("reps").fill_null(0))
            .filter(working)
            .sum()
            .alias("volume_kg"),
        )
        .sort("session_start", descending=True)
        .head(last)
        .with_columns(
            pl.col("session_start")
            .dt.convert_time_zone(tz)
            .dt.strftime("%Y-%m-%d %H:%M")
            .alias("date")
        )
    )
    return summary.select(
        "date", "workout", "duration_min", "exercises", "sets", "warmup_sets", "volume_kg"
    ).to_dicts()
