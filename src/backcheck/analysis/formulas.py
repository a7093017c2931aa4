"""Per-set training formulas: estimated 1RM, volume load, hard sets (docs/science.md section 1).

Units: weight in kg (external load; 0 for bodyweight), reps as counted, RIR in reps
(reps in reserve, >= 0), RPE on the 1-10 scale (10 = 0 RIR, Helms et al. 2016, SCJ 38(4):42).
Scalar functions return None where a formula is undefined; expression builders return null
there. Expression builders accept a column name or any Polars expression, so they run
vectorised over the canonical set frame (`model.STORED_SET_SCHEMA`).
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

from backcheck.errors import UsageError

#: Set types whose work counts as training load (warm-ups excluded, docs/science.md section 1).
LOAD_SET_TYPES: Final = ("working", "drop", "failure")
#: Estimates are trusted only up to this many reps to failure (Reynolds et al. 2006).
MAX_TRUSTED_REPS: Final = 10
#: Brzycki is undefined at and above this many reps (division by 37 - r <= 0).
BRZYCKI_LIMIT: Final = 37
#: A set counts as hard when it ends at most this many reps short of failure (grade C).
HARD_SET_MAX_RIR: Final = 4.0

Formula = Literal["epley", "brzycki"]
IntoExpr = str | pl.Expr


def _col(value: IntoExpr) -> pl.Expr:
    return pl.col(value) if isinstance(value, str) else value


def _check_scalar(weight: float, reps: float) -> None:
    if weight < 0:
        raise UsageError("weight", f"must be >= 0 kg, got {weight!r}")
    if reps < 0:
        raise UsageError("reps", f"must be >= 0, got {reps!r}")


def epley(weight: float, reps: float) -> float | None:
    """Epley estimated 1RM in kg: w * (1 + r / 30).

    Source: Epley 1985, as given in Reynolds et al. 2006 (JSCR 20:584); docs/science.md section 1.
    `weight` kg >= 0, `reps` >= 0. None for reps < 1 (no completed rep, no estimate).
    Example: 100 kg x 9 -> 130 kg; 120 kg x 2 -> 128 kg. Raises UsageError for negatives.
    """
    _check_scalar(weight, reps)
    if reps < 1:
        return None
    return weight * (1.0 + reps / 30.0)


def brzycki(weight: float, reps: float) -> float | None:
    """Brzycki estimated 1RM in kg: w * 36 / (37 - r).

    Source: Brzycki 1993, as given in Reynolds et al. 2006 (JSCR 20:584); docs/science.md section 1.
    `weight` kg >= 0, `reps` >= 0. None for reps < 1 and for reps >= 37 (undefined there).
    Example: 100 kg x 10 -> 133.33 kg. Raises UsageError for negatives.
    """
    _check_scalar(weight, reps)
    if reps < 1 or reps >= BRZYCKI_LIMIT:
        return None
    return weight * 36.0 / (BRZYCKI_LIMIT - reps)


def epley_expr(weight: IntoExpr, reps: IntoExpr) -> pl.Expr:
    """Epley e1RM (kg) as a Polars expression; null where reps < 1, weight < 0 or either null.

    Source: Epley 1985 via Reynolds et al. 2006 (JSCR 20:584). No rep-range cut: see e1rm_expr.
    """
    w, r = _col(weight).cast(pl.Float64), _col(reps).cast(pl.Float64)
    return pl.when((r >= 1) & (w >= 0)).then(w * (1.0 + r / 30.0)).otherwise(None)


def brzycki_expr(weight: IntoExpr, reps: IntoExpr) -> pl.Expr:
    """Brzycki e1RM (kg) as a Polars expression; null where reps < 1 or >= 37, weight < 0 or null.

    Source: Brzycki 1993 via Reynolds et al. 2006 (JSCR 20:584).
    """
    w, r = _col(weight).cast(pl.Float64), _col(reps).cast(pl.Float64)
    ok = (r >= 1) & (r < BRZYCKI_LIMIT) & (w >= 0)
    return pl.when(ok).then(w * 36.0 / (BRZYCKI_LIMIT - r)).otherwise(None)


def rir_expr(*, rir: IntoExpr = "rir", rpe: IntoExpr = "rpe") -> pl.Expr:
    """Reps in reserve: the logged RIR, else 10 - RPE (Helms et al. 2016, SCJ 38(4):42).

    Clipped at 0 (RPE above 10 is read as 0 RIR); null when neither is logged.
    """
    logged = pl.coalesce(_col(rir).cast(pl.Float64), 10.0 - _col(rpe).cast(pl.Float64))
    return logged.clip(lower_bound=0.0).alias("rir")


def e1rm_expr(
    *,
    weight: IntoExpr = "weight_kg",
    reps: IntoExpr = "reps",
    rir: IntoExpr = "rir",
    rpe: IntoExpr = "rpe",
    formula: Formula = "epley",
    max_reps: int = MAX_TRUSTED_REPS,
) -> pl.Expr:
    """Estimated 1RM (kg) of each set, null where it should not be trusted.

    Reps to failure = reps + RIR when RIR is known (RIR from `rir`, else 10 - `rpe`), else reps
    (the set is then assumed to be taken to failure). Using reps + RIR is a design choice, not
    a published method (docs/science.md section 1, grade C). The estimate is null when reps to
    failure exceeds `max_reps` (default 10: Reynolds et al. 2006, JSCR 20:584), when reps < 1,
    or when the weight is null or negative. `formula` is "epley" or "brzycki".
    Warm-up sets are not filtered here: callers pick the sets they want. Named "e1rm".
    """
    if formula not in ("epley", "brzycki"):
        raise UsageError("formula", f"must be 'epley' or 'brzycki', got {formula!r}")
    if max_reps < 1:
        raise UsageError("max_reps", f"must be >= 1, got {max_reps!r}")
    done = _col(reps).cast(pl.Float64)
    to_failure = done + rir_expr(rir=rir, rpe=rpe).fill_null(0.0)
    build = epley_expr if formula == "epley" else brzycki_expr
    estimate = build(weight, to_failure)
    trusted = (done >= 1) & (to_failure <= max_reps)
    return pl.when(trusted).then(estimate).otherwise(None).alias("e1rm")


def is_load_set_expr(set_type: IntoExpr = "set_type") -> pl.Expr:
    """True for working, drop and failure sets (those counted as training load); false else."""
    return _col(set_type).is_in(LOAD_SET_TYPES).fill_null(False)


def volume_load_expr(
    *, weight: IntoExpr = "weight_kg", reps: IntoExpr = "reps", set_type: IntoExpr = "set_type"
) -> pl.Expr:
    """Volume load of each set in kg: reps x weight (docs/science.md section 1, grade B).

    Working, drop and failure sets count; warm-up sets give 0 (excluded from volume).
    Null where a counted set lacks its weight or reps. Bodyweight sets (weight 0) give 0:
    their work shows up in hard_set_expr instead. Named "volume_load".
    """
    vol = _col(reps).cast(pl.Float64) * _col(weight).cast(pl.Float64)
    return pl.when(is_load_set_expr(set_type)).then(vol).otherwise(0.0).alias("volume_load")


def hard_set_expr(
    *,
    reps: IntoExpr = "reps",
    rir: IntoExpr = "rir",
    rpe: IntoExpr = "rpe",
    set_type: IntoExpr = "set_type",
    max_rir: float = HARD_SET_MAX_RIR,
) -> pl.Expr:
    """Whether each set is a hard set (boolean, never null).

    Convention (grade C, a coaching and tool convention without outcome data): a working,
    drop or failure set with at least 1 rep and, when RIR is known (logged RIR, else
    10 - RPE), RIR <= `max_rir` (default 4). When neither RIR nor RPE is logged every such
    set with reps >= 1 counts. Warm-up sets never count. Named "hard_set".
    """
    left = rir_expr(rir=rir, rpe=rpe)
    close = left.is_null() | (left <= max_rir)
    done = _col(reps).cast(pl.Float64) >= 1
    return (is_load_set_expr(set_type) & done & close).fill_null(False).alias("hard_set")
