"""Inadequate warm-up: was the upper body warmed up before its first lift? (docs/science.md section 2)

Rule (docs/science.md section 2): a session counts as warmed up for an exercise E when, in that
session, there is
- a set marked warm-up (set_type "warmup") of E, or of another upper-body exercise before E's
  first working set ("has_warmup_set");
- a lighter ramp set: E's first working set is lighter than RAMP_FRACTION (80%) of E's working
  load in that session, i.e. its heaviest working, drop or failure set ("has_ramp_set");
- a cardio or mobility entry (catalog pattern "cardio" or "mobility") before E's first working
  set ("has_cardio_or_mobility_first").
A session is warmed up when its first upper-body lift is; sessions without an upper-body lift
are not judged. "Working set" here means any working, drop or failure set
(`formulas.is_load_set_expr`); an upper-body lift is an exercise with `upper_body` true whose
pattern is neither cardio nor mobility. Unmapped exercises (`upper_body` null) are not
upper-body lifts.

Order within a session is performed order: `source_line` (file order, which is the order
performed in every supported app's export), then `set_index` (sets without a source_line come
after those with one). The stored frame itself is sorted by exercise name within a session, so
its row order is never used.

Evidence: warm-up cut injuries in 3 of 5 RCTs in other sports (Fradkin et al. 2006, grade B);
RAMP (Jeffreys 2007) and the 40-60-80% ramp are conventions (grade C, advice only).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import polars as pl

from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.formulas import is_load_set_expr
from backcheck.analysis.helpers import need, period_text
from backcheck.evidence import SOURCES
from backcheck.model import Evidence

#: A first working set below this share of the session's working load is a ramp set.
RAMP_FRACTION: Final = 0.8
#: Catalog patterns whose entries warm the body up (never judged as lifts themselves).
WARMUP_PATTERNS: Final = ("cardio", "mobility")
#: Share of judged sessions without warm-up: abnormality 0 at or below SHARE_OK ...
SHARE_OK: Final = 0.2
#: ... rising linearly to 1 at or above SHARE_BAD.
SHARE_BAD: Final = 0.8
#: The recent window the verdict weighs: the last 8 weeks up to as_of.
RECENT_DAYS: Final = 56
#: Fewer judged sessions than this in the recent window: the verdict uses the whole log.
MIN_RECENT_SESSIONS: Final = 4
FACTOR: Final = "no_warmup"
_INDEX_SPAN: Final = 1 << 20
_NO_LINE: Final = 1 << 40
SOURCE_KEYS: Final = ("fradkin2006", "jeffreys2007", "ijerph2020", "ramp_convention")

SESSION_WARMUP_SCHEMA: Final[dict[str, pl.DataType]] = {
    "session_id": pl.Int64(),
    "day": pl.Date(),
    "warmed_up": pl.Boolean(),
    "has_warmup_set": pl.Boolean(),
    "has_ramp_set": pl.Boolean(),
    "has_cardio_or_mobility_first": pl.Boolean(),
    "first_upper_lift": pl.String(),
}
EXERCISE_WARMUP_SCHEMA: Final[dict[str, pl.DataType]] = {
    "exercise": pl.String(),
    "sessions": pl.UInt32(),
    "warmed_up": pl.UInt32(),
    "share": pl.Float64(),
    "first_in_session": pl.UInt32(),
}
_NEEDS: Final = (
    "session_id",
    "day",
    "exercise",
    "set_type",
    "weight_kg",
    "set_index",
    "source_line",
    "pattern",
    "upper_body",
)


def _position() -> pl.Expr:
    """Performed order within a session as one Int64: source_line, then set_index.

    A set without a source_line sorts after every set with one. No sort is needed: only
    comparisons within a session use it. Sets equal on both count as the same position.
    """
    line = pl.col("source_line").cast(pl.Int64).fill_null(_NO_LINE)
    index = pl.col("set_index").cast(pl.Int64).fill_null(0).clip(0, _INDEX_SPAN - 1)
    return line * _INDEX_SPAN + index


def _lift_warmup(sets: pl.DataFrame) -> pl.LazyFrame:
    """One row per (session, upper-body lift) with the three warm-up flags and first_pos.

    first_pos orders lifts within a session (smaller = earlier); flags per the module rule.
    """
    need(sets, _NEEDS, "sets")
    is_load = is_load_set_expr()
    upper = pl.col("upper_body").fill_null(False)
    warm_kind = pl.col("pattern").is_in(WARMUP_PATTERNS).fill_null(False)
    ordered = (
        sets.lazy()
        .select(*_NEEDS)
        .with_columns(_position().alias("_pos"))
        .with_columns(
            pl.when((pl.col("set_type") == "warmup") & upper)
            .then(pl.col("_pos"))
            .min()
            .over("session_id")
            .alias("_warm_at"),
            pl.when(warm_kind).then(pl.col("_pos")).min().over("session_id").alias("_cardio_at"),
        )
    )
    lifts = (
        ordered.filter(upper & ~warm_kind)
        .group_by("session_id", "exercise")
        .agg(
            pl.col("day").first(),
            pl.col("_pos").filter(is_load).min().alias("first_pos"),
            pl.col("weight_kg")
            .filter(is_load)
            .get(pl.col("_pos").filter(is_load).arg_min())
            .alias("_first_w"),
            pl.col("weight_kg").filter(is_load).max().alias("_work_w"),
            (pl.col("set_type") == "warmup").any().alias("_own_warm"),
            pl.col("_warm_at").first(),
            pl.col("_cardio_at").first(),
        )
        .filter(pl.col("first_pos").is_not_null())
    )
    return lifts.select(
        "session_id",
        "day",
        "exercise",
        "first_pos",
        (pl.col("_own_warm") | (pl.col("_warm_at") < pl.col("first_pos")).fill_null(False)).alias(
            "has_warmup_set"
        ),
        ((pl.col("_work_w") > 0) & (pl.col("_first_w") < RAMP_FRACTION * pl.col("_work_w")))
        .fill_null(False)
        .alias("has_ramp_set"),
        (pl.col("_cardio_at") < pl.col("first_pos"))
        .fill_null(False)
        .alias("has_cardio_or_mobility_first"),
    ).with_columns(
        pl.any_horizontal("has_warmup_set", "has_ramp_set", "has_cardio_or_mobility_first").alias(
            "warmed_up"
        )
    )


def session_warmup(sets: pl.DataFrame) -> pl.DataFrame:
    """Whether each session's first upper-body lift was warmed up (module rule).

    `sets`: AthleteData.sets (needs session_id, day, exercise, set_type, weight_kg, set_index,
    source_line, pattern, upper_body). One row per session, ordered by day then session_id:
    session_id, day, warmed_up (null: no upper-body lift, not judged), has_warmup_set,
    has_ramp_set, has_cardio_or_mobility_first (the flags of the first upper-body lift; null
    when not judged), first_upper_lift (exercise name, null when not judged).
    """
    return _sessions(sets, _lift_warmup(sets))


def _sessions(sets: pl.DataFrame, lifts: pl.LazyFrame) -> pl.DataFrame:
    """session_warmup from the lifts `_lift_warmup(sets)` gave."""
    first = lifts.sort("session_id", "first_pos").unique("session_id", keep="first")
    sessions = sets.lazy().group_by("session_id").agg(pl.col("day").min())
    return (
        sessions.join(first.drop("day"), on="session_id", how="left")
        .select(
            "session_id",
            "day",
            "warmed_up",
            "has_warmup_set",
            "has_ramp_set",
            "has_cardio_or_mobility_first",
            pl.col("exercise").alias("first_upper_lift"),
        )
        .sort("day", "session_id")
        .collect()
        .cast(SESSION_WARMUP_SCHEMA)  # type: ignore[arg-type]
    )


def exercise_warmup(sets: pl.DataFrame) -> pl.DataFrame:
    """Share of sessions in which each upper-body lift was warmed up (module rule, per lift).

    One row per upper-body exercise with at least one working set: exercise, sessions (in
    which it had a working set), warmed_up (of those, sessions warmed up for it), share
    (warmed_up / sessions, 0-1), first_in_session (sessions it opened the upper-body work).
    Ordered by sessions, most first, then name.
    """
    return _exercises(_lift_warmup(sets))


def _exercises(lifts: pl.LazyFrame) -> pl.DataFrame:
    """exercise_warmup from the lifts `_lift_warmup` gave."""
    lifts = lifts.with_columns(
        (pl.col("first_pos") == pl.col("first_pos").min().over("session_id")).alias("_first")
    )
    return (
        lifts.group_by("exercise")
        .agg(
            pl.len().alias("sessions"),
            pl.col("warmed_up").sum().alias("warmed_up"),
            pl.col("_first").sum().alias("first_in_session"),
        )
        .select(
            "exercise",
            "sessions",
            "warmed_up",
            (pl.col("warmed_up") / pl.col("sessions")).alias("share"),
            "first_in_session",
        )
        .sort(["sessions", "exercise"], descending=[True, False])
        .collect()
        .cast(EXERCISE_WARMUP_SCHEMA)  # type: ignore[arg-type]
    )


def no_warmup_abnormality(share: float) -> float:
    """Abnormality 0-1 from the share (0-1) of judged sessions without warm-up.

    0 at or below SHARE_OK (20%), 1 at or above SHARE_BAD (80%), linear (so monotone) between.
    """
    return min(1.0, max(0.0, (share - SHARE_OK) / (SHARE_BAD - SHARE_OK)))


def _weekly_share(judged: pl.DataFrame) -> list[dict[str, object]]:
    weekly = (
        judged.group_by(pl.col("day").dt.truncate("1w").alias("week"))
        .agg(pl.len().alias("sessions"), pl.col("warmed_up").sum().alias("warmed_up"))
        .sort("week")
    )
    return [
        {
            "week": row["week"].isoformat(),
            "sessions": row["sessions"],
            "warmed_up": row["warmed_up"],
            "share": row["warmed_up"] / row["sessions"],
        }
        for row in weekly.iter_rows(named=True)
    ]


def _advice(abnormality: float) -> list[str]:
    start = (
        "Warm up before your first upper-body lift every session"
        if abnormality > 0
        else "Keep warming up before your first upper-body lift as you do now"
    )
    advice = [
        f"{start}: 5-10 minutes of light cardio (rower, bike, brisk walk) to raise your "
        "temperature.",
        "Then dynamic stretches for your upper back and shoulders (arm circles, band "
        "pull-aparts, scapular wall slides) and thoracic mobility (open books, foam-roller "
        "extensions).",
        "Then ramp sets before your first working set: a few reps at about 40%, 60% and 80% "
        "of your working load (commonly advised by coaches; a convention, not a tested "
        "prescription).",
    ]
    if abnormality > 0:
        advice.append(
            "If you already warm up, log it (sets marked as warm-up, or a cardio or mobility "
            "entry first) so backcheck can see it."
        )
    return advice


def analyze(data: AthleteData) -> FactorResult:
    """The warm-up cause: share of sessions whose first upper-body lift was not warmed up.

    Verdict from the last RECENT_DAYS (8 weeks) up to as_of when they hold at least
    MIN_RECENT_SESSIONS judged sessions, else from the whole log; abnormality =
    no_warmup_abnormality(share). Exposures: factor "no_warmup", one row per judged training
    day over the whole log, exposed when any judged session that day was not warmed up.
    Charts: "weekly_warmup_share" (ISO weeks: week Monday, sessions, warmed_up, share).
    known is False when no session has an upper-body lift.
    """
    sources = list(SOURCE_KEYS)
    grade = SOURCES["fradkin2006"].grade
    lifts = _lift_warmup(data.sets).collect().lazy()  # shared by both views below
    sw = _sessions(data.sets, lifts)
    judged = sw.filter(pl.col("warmed_up").is_not_null())
    if judged.height == 0:
        text = (
            "No upper-body lift found in your log (or none mapped to the exercise catalog), "
            "so backcheck cannot tell whether you warm up before it."
        )
        ev = Evidence("sessions_without_warmup", None, SHARE_OK * 100, "%", "", grade, text)
        return FactorResult("warmup", 0.0, False, [ev], _advice(0.0), sources)
    recent_start = data.as_of - timedelta(days=RECENT_DAYS - 1)
    recent = judged.filter(pl.col("day") >= recent_start)
    first_day: date = judged["day"].min()  # type: ignore[assignment]
    last_day: date = judged["day"].max()  # type: ignore[assignment]
    if recent.height >= MIN_RECENT_SESSIONS:
        window, period = recent, period_text(recent_start, data.as_of)
        label = f"in the last {RECENT_DAYS // 7} weeks"
    else:
        window, period = judged, period_text(first_day, last_day)
        label = "in your whole log"
    n = window.height
    cold = int((~window["warmed_up"]).sum())
    share = cold / n
    abnormality = no_warmup_abnormality(share)
    evidence = [
        Evidence(
            "sessions_without_warmup",
            round(100 * share, 1),
            SHARE_OK * 100,
            "%",
            period,
            grade,
            f"{cold} of your {n} sessions {label} had no warm-up logged before the first "
            "upper-body lift (no warm-up or lighter ramp sets, no cardio or mobility first). "
            "Warm-ups cut injuries in 3 of 5 trials in other sports.",
        )
    ]
    if window.height < judged.height:
        all_cold = int((~judged["warmed_up"]).sum())
        evidence.append(
            Evidence(
                "sessions_without_warmup_all",
                round(100 * all_cold / judged.height, 1),
                SHARE_OK * 100,
                "%",
                period_text(first_day, last_day),
                grade,
                f"Over your whole log, {all_cold} of {judged.height} sessions had no warm-up "
                "logged before the first upper-body lift.",
            )
        )
    in_window = lifts.filter(pl.col("session_id").is_in(window["session_id"].implode()))
    per_lift = _exercises(in_window).sort("first_in_session", descending=True)
    if per_lift.height:  # the lift that most often opens the upper-body work
        top = per_lift.row(0, named=True)
        evidence.append(
            Evidence(
                "first_lift_warmup_share",
                round(100 * top["share"], 1),
                None,
                "%",
                period,
                grade,
                f"{top['exercise']} {label}: warmed up for it in {top['warmed_up']} of the "
                f"{top['sessions']} sessions you did it.",
            )
        )
    exposures = (
        judged.group_by("day")
        .agg((~pl.col("warmed_up")).any().alias("exposed"))
        .select("day", pl.lit(FACTOR).alias("factor"), "exposed")
        .sort("day")
        .cast(EXPOSURE_SCHEMA)  # type: ignore[arg-type]
    )
    return FactorResult(
        cause="warmup",
        abnormality=abnormality,
        known=True,
        evidence=evidence,
        advice=_advice(abnormality),
        sources=sources,
        exposures=exposures,
        charts={"weekly_warmup_share": _weekly_share(judged)},
    )
