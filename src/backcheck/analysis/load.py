"""Training load by day, week and muscle region; session-RPE load; monotony.

Inputs are one athlete's stored sets (`model.STORED_SET_SCHEMA`) and the exercise catalog
frame (`key` plus a Float64 weight `w_<region>` for each region in `model.REGIONS`; null
weights count as 0). Days are local calendar days in the IANA time zone `tz`; a set belongs
to the day its session started. Loads: volume load in kg (reps x kg, warm-ups excluded) and
hard sets (a count, grade C convention): see `backcheck.analysis.formulas`.
Everything here is descriptive (docs/science.md section 1); sudden jumps (spike weeks) are judged
from these loads in `backcheck.analysis.spikes`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from backcheck.analysis.acwr import calendar, fill_days
from backcheck.analysis.formulas import hard_set_expr, is_load_set_expr, volume_load_expr
from backcheck.analysis.helpers import need
from backcheck.errors import UsageError
from backcheck.model import REGIONS, UPPER_BACK_REGIONS

#: Rows of the daily frame per day: each region, then upper_back (sum over
#: UPPER_BACK_REGIONS), total (every mapped set, unweighted) and unmapped (sets whose
#: exercise is not in the catalog; they count nowhere else).
LOAD_REGIONS: Final = (*REGIONS, "upper_back", "total", "unmapped")

Metric = Literal["volume_load", "hard_sets"]
DAILY_SCHEMA: Final = {
    "date": pl.Date(),
    "region": pl.String(),
    "volume_load": pl.Float64(),
    "hard_sets": pl.Float64(),
}


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError("tz", f"{tz!r} is not an IANA time zone (e.g. 'Europe/Berlin')") from exc


def _region_order() -> pl.Expr:
    return pl.col("region").replace_strict(LOAD_REGIONS, range(len(LOAD_REGIONS)), default=None)


def daily_region_load(
    sets: pl.DataFrame, catalog: pl.DataFrame, *, tz: str, end: date | None = None
) -> pl.DataFrame:
    """Volume load and hard sets per local day and region, one athlete.

    Each set's volume load (kg) and hard-set flag (0/1) is multiplied by its exercise's
    region weight `w_<region>` and summed per day. Rows for every calendar day from the first
    training day to the last (or to `end`, when later) and every region in LOAD_REGIONS,
    zeros on rest days; `upper_back` sums model.UPPER_BACK_REGIONS, `total` counts every
    mapped set once (unweighted), `unmapped` the sets whose `exercise_key` is null or not in
    the catalog (their load is in no other row). Columns: date, region, volume_load (kg),
    hard_sets (weighted count). Empty sets give an empty frame.
    """
    _check_tz(tz)
    weights = [f"w_{r}" for r in REGIONS]
    need(sets, ("session_start", "exercise_key", "set_type", "weight_kg", "reps"), "sets")
    need(catalog, ("key", *weights), "catalog")
    rir = "rir" if "rir" in sets.columns else pl.lit(None, pl.Float64)
    rpe = "rpe" if "rpe" in sets.columns else pl.lit(None, pl.Float64)
    cat = (
        catalog.lazy()
        .select(
            pl.col("key").cast(pl.String),
            *[pl.col(w).cast(pl.Float64).fill_null(0.0) for w in weights],
        )
        .unique("key", keep="first")
        .with_columns(pl.lit(True).alias("_mapped"))
    )
    # Sum per session and exercise first (about 8 sets each), then convert the far fewer
    # session starts to local days and weight them by region.
    per_exercise = (
        sets.lazy()
        .select(
            "session_start",
            pl.col("exercise_key").cast(pl.String).alias("key"),
            volume_load_expr().fill_null(0.0).alias("_v"),
            hard_set_expr(rir=rir, rpe=rpe).cast(pl.Float64).alias("_h"),
        )
        .group_by("session_start", "key")
        .agg(pl.col("_v", "_h").sum())
        .select(
            pl.col("session_start").dt.convert_time_zone(tz).dt.date().alias("date"),
            "key",
            "_v",
            "_h",
        )
        .join(cat, on="key", how="left")
    )
    mapped = pl.col("_mapped").fill_null(False)
    aggs = [
        *[(pl.col("_v") * pl.col(f"w_{r}")).sum().alias(f"v:{r}") for r in REGIONS],
        *[(pl.col("_h") * pl.col(f"w_{r}")).sum().alias(f"h:{r}") for r in REGIONS],
        pl.col("_v").filter(mapped).sum().alias("v:total"),
        pl.col("_h").filter(mapped).sum().alias("h:total"),
        pl.col("_v").filter(~mapped).sum().alias("v:unmapped"),
        pl.col("_h").filter(~mapped).sum().alias("h:unmapped"),
    ]
    wide = (
        per_exercise.group_by("date")
        .agg(aggs)
        .with_columns(
            pl.sum_horizontal([f"{k}:{r}" for r in UPPER_BACK_REGIONS]).alias(f"{k}:upper_back")
            for k in ("v", "h")
        )
        .collect()
    )
    if wide.height == 0:
        return pl.DataFrame(schema=DAILY_SCHEMA)
    first: date = wide["date"].min()  # type: ignore[assignment]
    last: date = wide["date"].max()  # type: ignore[assignment]
    last = max(last, end) if end is not None else last
    days = (
        calendar(first, last)
        .join(wide, on="date", how="left", maintain_order="left")
        .fill_null(0.0)
    )
    # One block of days per region, in LOAD_REGIONS order (days ascending within each).
    return pl.concat(
        days.select(
            "date",
            pl.lit(r).alias("region"),
            pl.col(f"v:{r}").alias("volume_load"),
            pl.col(f"h:{r}").alias("hard_sets"),
        )
        for r in LOAD_REGIONS
    ).cast(DAILY_SCHEMA)  # type: ignore[arg-type]


def weekly_load(daily: pl.DataFrame) -> pl.DataFrame:
    """Sum a daily region frame (as from daily_region_load) into ISO weeks (Monday start).

    Columns: week (the Monday, pl.Date), iso_week ("2025-W03"), region, volume_load (kg),
    hard_sets, days (calendar days of that week inside the daily frame: < 7 for the first
    and last week when the log starts or ends mid-week).
    """
    need(daily, ("date", "region", "volume_load", "hard_sets"), "daily")
    return (
        daily.group_by("region", pl.col("date").dt.truncate("1w").alias("week"))
        .agg(pl.col("volume_load", "hard_sets").sum(), pl.len().cast(pl.Int32).alias("days"))
        .with_columns(pl.col("week").dt.strftime("%G-W%V").alias("iso_week"))
        .sort(_region_order(), "week")
        .select("week", "iso_week", "region", "volume_load", "hard_sets", "days")
    )


def week_over_week(weekly: pl.DataFrame, *, value: Metric = "volume_load") -> pl.DataFrame:
    """Change of each week's load against 1 and 2 weeks before, per region.

    Adds prev_1w, change_1w, prev_2w, change_2w to `weekly` (as from weekly_load):
    change = this week / that week - 1 (0.35 = +35%). Null where either week is incomplete
    (days < 7), missing, or the earlier week's load is 0. Descriptive only: lifters' weekly
    volume per region swings by 30% and more in normal training, so a fixed cut-off on these
    changes (Nielsen et al. 2014's > 30% over 2 weeks, running data) is no spike rule; spike
    weeks are judged in `backcheck.analysis.spikes`. "About 10%" a week is progression
    advice only (Buist 2008; no outcome support for a 10% rule).
    """
    need(weekly, ("week", "region", "days", value), "weekly")
    base = weekly.select("region", "week", "days", pl.col(value).alias("_cur"))

    def earlier(weeks: int) -> pl.DataFrame:
        return base.select(
            "region",
            (pl.col("week") + timedelta(weeks=weeks)).alias("week"),
            pl.col("_cur").alias(f"prev_{weeks}w"),
            pl.col("days").alias(f"_days_{weeks}w"),
        )

    out = weekly.join(earlier(1), on=["region", "week"], how="left").join(
        earlier(2), on=["region", "week"], how="left"
    )
    changes = []
    for weeks in (1, 2):
        prev = pl.col(f"prev_{weeks}w")
        full = (pl.col("days") == 7) & (pl.col(f"_days_{weeks}w") == 7) & (prev > 0)
        changes.append(
            pl.when(full).then(pl.col(value) / prev - 1.0).otherwise(None).alias(f"change_{weeks}w")
        )
    return (
        out.with_columns(changes)
        .select(*weekly.columns, "prev_1w", "change_1w", "prev_2w", "change_2w")
        .sort(_region_order(), "week")
    )


def session_rpe_load(sets: pl.DataFrame, *, tz: str | None = None) -> pl.DataFrame:
    """Session-RPE load per session: session RPE (CR-10) x duration in minutes.

    Foster et al. 2001 (JSCR 15:109); valid for resistance training (Day et al. 2004, JSCR
    18:353); grade B. Session RPE here is the mean RPE of the session's working, drop and
    failure sets where logged (a proxy: Foster asks for one rating about 30 min after the
    session; grade C). Minutes from duration_s (null or <= 0 -> null). srpe_load (AU) is null
    where either is missing. Sessions are keyed by (athlete, session_id) when present, else by
    session_start. Columns: the keys, session_start, [date, when `tz` is given], minutes,
    session_rpe, srpe_load; in time order.
    """
    need(sets, ("session_start", "duration_s", "set_type", "rpe"), "sets")
    keys: list[str] = [c for c in ("athlete", "session_id") if c in sets.columns]
    keys = keys or ["session_start"]
    rated = pl.col("rpe").cast(pl.Float64).filter(is_load_set_expr() & pl.col("rpe").is_not_null())
    firsts = [pl.col(c).first() for c in ("session_start", "duration_s") if c not in keys]
    out = (
        sets.group_by(keys)
        .agg(*firsts, rated.mean().alias("session_rpe"))
        .with_columns(
            pl.when(pl.col("duration_s") > 0).then(pl.col("duration_s") / 60.0).alias("minutes")
        )
        .with_columns((pl.col("session_rpe") * pl.col("minutes")).alias("srpe_load"))
    )
    cols = [*keys, *(["session_start"] if "session_start" not in keys else [])]
    if tz is not None:
        _check_tz(tz)
        out = out.with_columns(
            pl.col("session_start").dt.convert_time_zone(tz).dt.date().alias("date")
        )
        cols.append("date")
    return out.sort("session_start").select(*cols, "minutes", "session_rpe", "srpe_load")


def has_session_rpe(sets: pl.DataFrame) -> bool:
    """True when session_rpe_load would give at least one value: some session has a duration
    (> 0 s) and an RPE on one of its working, drop or failure sets (one pass, no grouping)."""
    need(sets, ("duration_s", "set_type", "rpe"), "sets")
    rated = is_load_set_expr() & pl.col("rpe").is_not_null() & (pl.col("duration_s") > 0)
    return bool(sets.select(rated.fill_null(False).any()).item())


def monotony_strain(
    daily: pl.DataFrame,
    *,
    end: date,
    value: str = "load",
    region: str | None = None,
    days: int = 7,
) -> pl.DataFrame:
    """Training monotony and strain of the `days` days ending on `end` (Foster 1998, MSSE 30:1164).

    Days without a row count as 0 load. monotony = mean daily load / SD of daily load
    (population SD, divide by n), strain = weekly load x monotony; both null where the SD is
    0 (every day equal, e.g. a week of rest), never inf. No universal cut-off is published;
    monotony > 2.0 is a convention (grade B/C). `region` picks one region of a
    daily_region_load frame (use value="volume_load" or "hard_sets" there).
    Returns one row: start, end, load (sum), mean, sd, monotony, strain.
    Example: loads 50, 0, 100, 50, 0, 150, 0 -> mean 50, sd 53.45, monotony 0.935.
    """
    if days < 2:
        raise UsageError("days", f"must be >= 2, got {days!r}")
    if region is not None:
        need(daily, ("region",), "daily")
        daily = daily.filter(pl.col("region") == region)
    start = end - timedelta(days=days - 1)
    window = fill_days(daily, value=value, start=start, end=end)
    load = pl.col("load")
    sd = load.std(ddof=0)
    monotony = pl.when(sd > 0).then(load.mean() / sd).otherwise(None)
    return window.select(
        pl.lit(start).alias("start"),
        pl.lit(end).alias("end"),
        load.sum().alias("load"),
        load.mean().alias("mean"),
        sd.alias("sd"),
        monotony.alias("monotony"),
        (load.sum() * monotony).alias("strain"),
    )
