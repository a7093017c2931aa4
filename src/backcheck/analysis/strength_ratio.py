"""Bench press against row strength: best estimated 1RM of each (docs/science.md section 3).

A reference shown alongside the push/pull balance (`balance.analyze`), with no threshold:
Baker & Newton 2004 found bench press : pull-up 1RM ~0.98 in trained rugby players (grade B),
which compares bench with pull-ups, not rows. e1RM is `formulas.e1rm_expr` (Epley, trusted
only up to 10 reps to failure), in kg.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

import polars as pl

from backcheck.analysis.context import AthleteData
from backcheck.analysis.formulas import e1rm_expr, is_load_set_expr
from backcheck.analysis.helpers import need, optional, period_text
from backcheck.evidence import SOURCES
from backcheck.model import Evidence

E1RM_SCHEMA: Final[dict[str, pl.DataType]] = {
    "equipment": pl.String(),
    "bench_exercise": pl.String(),
    "bench_e1rm": pl.Float64(),
    "row_exercise": pl.String(),
    "row_e1rm": pl.Float64(),
    "ratio": pl.Float64(),
}
_BENCH_EXCLUDE: Final = ("incline", "decline", "machine", "smith", "cable", "floor", "close")
_ROW_EXCLUDE: Final = (
    "cable",
    "machine",
    "seated",
    "inverted",
    "upright",
    "smith",
    "band",
    "lever",
    "ring",
    "suspension",
    "trx",
    "kettlebell",
)


def e1rm_ratio(sets: pl.DataFrame, *, since: date | None = None) -> pl.DataFrame:
    """Best bench press e1RM / best row e1RM, per equipment where both exist.

    Bench-type: pattern horizontal-push with "bench" and "press" in the name and none of
    incline, decline, machine, smith, cable, floor, close. Row-type: horizontal-pull with
    "row" in the name, none of cable, machine, seated, inverted, upright, smith, band, lever,
    ring, suspension, trx, kettlebell. Equipment: "dumbbell" when the name says so (loads per
    dumbbell, so dumbbell bench is compared with dumbbell rows only), else "barbell". e1RM:
    `formulas.e1rm_expr` (Epley, trusted only up to 10 reps to failure) over working, drop
    and failure sets with weight > 0 on days >= `since` (all days when None).
    One row per equipment with both lifts (barbell first): equipment, bench_exercise,
    bench_e1rm (kg), row_exercise, row_e1rm (kg), ratio = bench / row. Baker & Newton 2004
    found bench : pull-up 1RM ~0.98 in trained rugby players: a reference, not a row norm.
    """
    need(sets, ("exercise", "pattern", "set_type", "weight_kg", "reps"), "sets")
    name = pl.concat_str(
        pl.col("exercise").fill_null(""),
        pl.col("exercise_key").fill_null(""),
        separator=" ",
    ).str.to_lowercase()

    def has_any(words: Iterable[str]) -> pl.Expr:
        return pl.any_horizontal(name.str.contains(w, literal=True) for w in words)

    bench = (
        (pl.col("pattern") == "horizontal-push")
        & name.str.contains("bench", literal=True)
        & name.str.contains("press", literal=True)
        & ~has_any(_BENCH_EXCLUDE)
    )
    row = (
        (pl.col("pattern") == "horizontal-pull")
        & name.str.contains("row", literal=True)
        & ~has_any(_ROW_EXCLUDE)
    )
    # Only pressing and rowing sets can match, and names are tested once per exercise, not
    # per set (150,000 sets hold a few dozen names): best e1RM per name first, then classify.
    lf = sets.lazy().filter(pl.col("pattern").is_in(["horizontal-push", "horizontal-pull"]))
    if since is not None:
        need(sets, ("day",), "sets")
        lf = lf.filter(pl.col("day") >= since)
    key = pl.col("exercise_key") if "exercise_key" in sets.columns else pl.lit(None, pl.String)
    best = (
        lf.select(
            "exercise",
            key.alias("exercise_key"),
            "pattern",
            e1rm_expr(rir=optional(sets, "rir"), rpe=optional(sets, "rpe")),
            (is_load_set_expr() & (pl.col("weight_kg") > 0)).fill_null(False).alias("_ok"),
        )
        .filter(pl.col("_ok") & pl.col("e1rm").is_not_null())
        .group_by("exercise", "exercise_key", "pattern")
        .agg(pl.col("e1rm").max())
        .sort("exercise", "exercise_key", nulls_last=True)
        .select(
            "exercise",
            pl.when(bench).then(pl.lit("bench")).when(row).then(pl.lit("row")).alias("kind"),
            pl.when(name.str.contains("dumbbell", literal=True))
            .then(pl.lit("dumbbell"))
            .otherwise(pl.lit("barbell"))
            .alias("equipment"),
            "e1rm",
        )
        .filter(pl.col("kind").is_not_null())
        .group_by("equipment", "kind")
        .agg(
            pl.col("exercise").get(pl.col("e1rm").arg_max()).alias("exercise"),
            pl.col("e1rm").max(),
        )
        .collect()
    )
    b = best.filter(pl.col("kind") == "bench").select(
        "equipment", pl.col("exercise").alias("bench_exercise"), pl.col("e1rm").alias("bench_e1rm")
    )
    r = best.filter(pl.col("kind") == "row").select(
        "equipment", pl.col("exercise").alias("row_exercise"), pl.col("e1rm").alias("row_e1rm")
    )
    return (
        b.join(r, on="equipment", how="inner")
        .with_columns((pl.col("bench_e1rm") / pl.col("row_e1rm")).alias("ratio"))
        .sort("equipment")
        .select(list(E1RM_SCHEMA))
        .cast(E1RM_SCHEMA)  # type: ignore[arg-type]
    )


def e1rm_evidence(data: AthleteData, *, weeks: int) -> list[Evidence]:
    """`bench_row_e1rm_ratio` (ratio, no threshold) for the first equipment with both lifts.

    Over the last `weeks` weeks up to data.as_of, else over the whole log (`data.sets` needs
    `day` then); empty when no equipment has both a bench-type and a row-type lift.
    """
    since = data.as_of - timedelta(weeks=weeks, days=-1)
    found, label = e1rm_ratio(data.sets, since=since), f"in the last {weeks} weeks"
    period = period_text(since, data.as_of)
    if found.height == 0:
        found, label = e1rm_ratio(data.sets), "in your whole log"
        if found.height:
            period = period_text(data.sets["day"].min(), data.as_of)  # type: ignore[arg-type]
    if found.height == 0:
        return []
    r = found.row(0, named=True)
    text = (
        f"Best estimated 1RM {label}: {r['bench_exercise']} {r['bench_e1rm']:.0f} kg, "
        f"{r['row_exercise']} {r['row_e1rm']:.0f} kg: {r['ratio']:.2f} to 1. Baker & Newton "
        "(2004) found bench press and pull-up 1RMs about equal (0.98) in trained rugby "
        "players; that compared bench with pull-ups, not rows, so read this as a rough guide."
    )
    value, grade = round(r["ratio"], 2), SOURCES["baker2004"].grade
    return [Evidence("bench_row_e1rm_ratio", value, None, "ratio", period, grade, text)]
