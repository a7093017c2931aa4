"""Does this athlete's pain follow each factor? Relative risk of pain within 48 h, day by day.

A training day's outcome is pain (an entry of level >= 3 on that day or the next two local
days), no pain (entries in that window, all levels 0-2: level-0 rows are the controls), or
unknown (no entry in the window; excluded, never counted as pain-free). A factor's exposure
rows (context.EXPOSURE_SCHEMA: day, factor, exposed) split the days with a known outcome into
"with" and "without"; the relative risk compares their pain rates, with a 95% confidence
interval by the Katz log method (Katz et al. 1978): SE(ln RR) = sqrt(1/a - 1/n1 + 1/c - 1/n0).

This is an association in the athlete's own log, not proof of a cause; `link_strength`
shrinks small samples towards 0 so a handful of days never looks like a strong link. These
plain counts are what the report reads out; the estimate the ranking judges (adjusted_rr,
analysis.painmodel) holds the other factors fixed and takes the diary day by day, so that
the 48 h windows of sessions on neighbouring days do not count the same painful day twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import polars as pl

from backcheck.errors import UsageError

#: NRS level (0-10) from which a diary entry counts as pain; 1-2 count as "no pain" here.
PAIN_LEVEL: Final = 3
Z95: Final = 1.959963984540054
#: Pseudo-count of `link_strength`: at n_eff = SHRINK_N days the strength is halved.
SHRINK_N: Final = 10.0
#: Known-outcome days needed on each side (with, without) before a link can tell anything.
EVIDENCE_DAYS: Final = 8

#: Factor name -> the cause it belongs to (CONTRACT `causes`). Sim names are aliases.
FACTOR_CAUSES: Final[dict[str, str]] = {
    "no_warmup": "warmup",
    "load_spike": "overexertion",
    "push_dominant_day": "imbalance",
    "push_dominant": "imbalance",
    "push_heavy_week": "imbalance",
    "short_recovery": "recovery",
    "short_gap": "recovery",
    "short_sleep": "recovery",
    "posture_fault": "posture",
}
#: Factor -> (days with the factor, days without it) for `explain`.
_PHRASES: Final[dict[str, tuple[str, str]]] = {
    "no_warmup": ("without a warm-up", "with one"),
    "load_spike": ("in weeks with a sudden jump in upper-back load", "in other weeks"),
    "push_dominant_day": ("with far more pushing than pulling", "with balanced push and pull"),
    "push_heavy_week": ("in weeks with far more pushing than pulling", "in other weeks"),
    "short_recovery": ("less than 48 h after your last upper-back session", "after a longer rest"),
    "short_sleep": ("after a night of less than 7 h sleep", "after a longer night"),
    "posture_fault": ("with the form fault seen on video", "without it"),
}
_PHRASES["push_dominant"] = _PHRASES["push_dominant_day"]
_PHRASES["short_gap"] = _PHRASES["short_recovery"]

OUTCOME_SCHEMA: Final[dict[str, pl.DataType]] = {"day": pl.Date(), "outcome": pl.Boolean()}


def diary_days(pain: pl.DataFrame) -> pl.DataFrame:
    """day (Date) -> highest level that day, from `day` (or the UTC date of `at`)."""
    if "level" not in pain.columns or not {"day", "at"} & set(pain.columns):
        raise UsageError("pain", f"needs columns day (or at) and level, has {pain.columns}")
    day = pl.col("day") if "day" in pain.columns else pl.col("at").dt.date()
    return (
        pain.select(day.cast(pl.Date).alias("day"), pl.col("level").cast(pl.Int32))
        .drop_nulls()
        .group_by("day")
        .agg(pl.col("level").max())
    )


def pain_outcomes(days: pl.Series, pain: pl.DataFrame, *, window_days: int = 2) -> pl.DataFrame:
    """For each distinct training day: was there pain within the next `window_days` days?

    days: local calendar days (pl.Date). pain: the diary (columns day, level 0-10).
    window_days: 0-14; the window is day, day+1, ..., day+window_days (2 = 48 h).
    Returns OUTCOME_SCHEMA (day, outcome) sorted by day: True when an entry of level >= 3
    falls in the window, False when the window has entries and all are 0-2, null when none.
    Pass the diary of the regions of interest, keeping its level-0 rows (region null).
    """
    if days.dtype != pl.Date:
        raise UsageError("days", f"must be a Date series (local days), got {days.dtype}")
    if (
        isinstance(window_days, bool)
        or not isinstance(window_days, int)
        or not (0 <= window_days <= 14)
    ):
        raise UsageError("window_days", f"must be a whole number of days 0-14, got {window_days!r}")
    diary = diary_days(pain)
    frame = pl.DataFrame({"day": days}).drop_nulls().unique().sort("day")
    for k in range(window_days + 1):
        shifted = diary.select(
            (pl.col("day") - pl.duration(days=k)).alias("day"), pl.col("level").alias(f"l{k}")
        )
        frame = frame.join(shifted, on="day", how="left")
    worst = pl.max_horizontal([f"l{k}" for k in range(window_days + 1)])
    return frame.select("day", (worst >= PAIN_LEVEL).alias("outcome"))


@dataclass(frozen=True, slots=True)
class PainLink:
    """How often pain followed days with and without one factor.

    pain_with / pain_without: raw pain rates (0-1) of the days with a known outcome, None when
    the group is empty. relative_risk and ci95 (Katz log method, 95%): None when a group is
    empty or no day in either group had pain; when exactly one group had no pain day,
    `corrected` is True and RR and CI use the Haldane-Anscombe correction (0.5 added to every
    cell). n_with / n_without: days with a known outcome; pain_days_*: those followed by pain.
    adjusted_rr / adjusted_ci95 and adjusted_or / adjusted_or_ci95: the estimate with the other
    factors held fixed (analysis.painmodel), None when the factor could not enter that model.
    """

    factor: str
    cause: str
    pain_with: float | None
    pain_without: float | None
    relative_risk: float | None
    ci95: tuple[float, float] | None
    n_with: int
    n_without: int
    pain_days_with: int
    pain_days_without: int
    corrected: bool = False
    adjusted_rr: float | None = None
    adjusted_ci95: tuple[float, float] | None = None
    adjusted_or: float | None = None
    adjusted_or_ci95: tuple[float, float] | None = None

    @property
    def estimate(self) -> tuple[float, tuple[float, float]] | None:
        """The ratio and 95% CI to judge the factor by: the adjusted odds ratio when there is
        one (unbiased when the diary is kept more on painful days), else the raw RR."""
        if self.adjusted_or is not None and self.adjusted_or_ci95 is not None:
            return self.adjusted_or, self.adjusted_or_ci95
        if self.relative_risk is not None and self.ci95 is not None:
            return self.relative_risk, self.ci95
        return None

    def to_json(self) -> dict[str, object]:
        """CONTRACT `pain_links` item (plus `corrected`); floats rounded to 3 decimals."""

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {
            "factor": self.factor,
            "cause": self.cause,
            "pain_with": r(self.pain_with),
            "pain_without": r(self.pain_without),
            "relative_risk": r(self.relative_risk),
            "ci95": None if self.ci95 is None else [r(self.ci95[0]), r(self.ci95[1])],
            "n_with": self.n_with,
            "n_without": self.n_without,
            "corrected": self.corrected,
            "adjusted_rr": r(self.adjusted_rr),
            "adjusted_ci95": None
            if self.adjusted_ci95 is None
            else [r(self.adjusted_ci95[0]), r(self.adjusted_ci95[1])],
            "adjusted_or": r(self.adjusted_or),
            "adjusted_or_ci95": None
            if self.adjusted_or_ci95 is None
            else [r(self.adjusted_or_ci95[0]), r(self.adjusted_or_ci95[1])],
        }


def relative_risk(
    a: int, n1: int, c: int, n0: int
) -> tuple[float | None, tuple[float, float] | None, bool]:
    """RR of a/n1 (exposed) against c/n0 (unexposed), its Katz 95% CI, and whether corrected.

    Counts are days (a <= n1, c <= n0). (None, None, False) when n1 or n0 is 0 or a = c = 0.
    With a = 0 or c = 0 (not both) adds 0.5 to each of the four cells (Haldane-Anscombe):
    a, n1 - a, c, n0 - c, so n1 and n0 grow by 1.
    """
    if not (0 <= a <= n1 and 0 <= c <= n0):
        raise UsageError("counts", f"need 0 <= a <= n1 and 0 <= c <= n0, got {a}/{n1}, {c}/{n0}")
    if n1 == 0 or n0 == 0 or a + c == 0:
        return None, None, False
    corrected = a == 0 or c == 0
    fa, f1, fc, f0 = (a + 0.5, n1 + 1.0, c + 0.5, n0 + 1.0) if corrected else (a, n1, c, n0)
    rr = (fa / f1) / (fc / f0)
    se = math.sqrt(1 / fa - 1 / f1 + 1 / fc - 1 / f0)
    ci = (math.exp(math.log(rr) - Z95 * se), math.exp(math.log(rr) + Z95 * se))
    return rr, ci, corrected


def link(
    exposures: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    factor: str | None = None,
    cause: str | None = None,
) -> PainLink:
    """The pain link of one factor: exposure rows (day, factor, exposed) against outcomes.

    exposures: EXPOSURE_SCHEMA rows of one factor (a day listed twice counts as exposed if
    any row says so). outcomes: `pain_outcomes` (day, outcome); days with a null outcome or
    no outcome row are left out. factor: needed when `exposures` is empty. cause: default from
    FACTOR_CAUSES; UsageError names `cause` for a factor not in that table.
    """
    names = exposures["factor"].unique().drop_nulls().to_list() if exposures.height else []
    if len(names) > 1 or (factor is not None and names and names != [factor]):
        raise UsageError("exposures", f"must hold one factor, found {sorted(names)}")
    name = factor if factor is not None else (names[0] if names else None)
    if name is None:
        raise UsageError("factor", "the exposures are empty: name the factor")
    owner = cause if cause is not None else FACTOR_CAUSES.get(name)
    if owner is None:
        raise UsageError("cause", f"factor {name!r} is not in FACTOR_CAUSES: give its cause")
    days = (
        exposures.select(pl.col("day").cast(pl.Date), pl.col("exposed").cast(pl.Boolean))
        .drop_nulls()
        .group_by("day")
        .agg(pl.col("exposed").any())
        .join(outcomes.select("day", "outcome").drop_nulls(), on="day", how="inner")
    )
    counts = days.select(
        n1=pl.col("exposed").sum(),
        a=(pl.col("exposed") & pl.col("outcome")).sum(),
        n0=(~pl.col("exposed")).sum(),
        c=(~pl.col("exposed") & pl.col("outcome")).sum(),
    ).row(0, named=True)
    a, n1, c, n0 = (int(counts[k] or 0) for k in ("a", "n1", "c", "n0"))
    rr, ci, corrected = relative_risk(a, n1, c, n0)
    return PainLink(
        factor=name,
        cause=owner,
        pain_with=a / n1 if n1 else None,
        pain_without=c / n0 if n0 else None,
        relative_risk=rr,
        ci95=ci,
        n_with=n1,
        n_without=n0,
        pain_days_with=a,
        pain_days_without=c,
        corrected=corrected,
    )


def link_strength(link: PainLink) -> float:
    """How strongly pain follows the factor, 0-1, shrunk for small samples.

    strength = (1 - 1/RR) * n_eff / (n_eff + SHRINK_N) * (1 if CI lower bound > 1 else 0.5),
    with n_eff = 2 n_with n_without / (n_with + n_without) (harmonic mean of the group sizes)
    and SHRINK_N = 10. 0 when RR is undefined or <= 1. 1 - 1/RR = 1 - exp(-ln RR) grows with
    ln RR: RR 2 -> 0.5, 4 -> 0.75. With n_with = 2, n_eff < 4 so the strength stays < 4/14.
    """
    rr, ci = link.relative_risk, link.ci95
    if rr is None or rr <= 1 or ci is None or link.n_with == 0 or link.n_without == 0:
        return 0.0
    n1, n0 = link.n_with, link.n_without
    n_eff = 2 * n1 * n0 / (n1 + n0)
    significant = 1.0 if ci[0] > 1 else 0.5
    return (1 - 1 / rr) * n_eff / (n_eff + SHRINK_N) * significant


def _of(k: int, n: int) -> str:
    return f"{k} of your {n} session{'s' if n != 1 else ''}"


def _pct(k: int, n: int) -> str:
    return f"{round(100 * k / n)}%"


def ratio_text(rr: float, ci: tuple[float, float]) -> str:
    """ "2.50 (95% interval 1.10 to 5.68)": 2 decimals, as in the JSON (rounded to 3)."""
    return f"{rr:.2f} (95% interval {ci[0]:.2f} to {ci[1]:.2f})"


def too_short(link: PainLink) -> bool:
    """Whether the diary is too short to tell: fewer than EVIDENCE_DAYS known days on a side."""
    return min(link.n_with, link.n_without) < EVIDENCE_DAYS


def explain(link: PainLink) -> str:
    """The link in plain words, with every count, share and ratio the JSON holds, e.g.
    "pain followed 9 of your 11 sessions without a warm-up (82%), and 2 of your 30 with one
    (7%): relative risk 12.27 (95% interval 3.20 to 47.10); with the other factors held fixed
    8.10 (95% interval 2.30 to 28.52)"."""
    with_, without = _PHRASES.get(
        link.factor,
        (f"with {link.factor.replace('_', ' ')}", f"without {link.factor.replace('_', ' ')}"),
    )
    if link.n_with == 0 and link.n_without == 0:
        return "no session has a diary entry within 48 h yet, so pain cannot be compared"
    if link.n_with == 0:
        return (
            f"pain followed {_of(link.pain_days_without, link.n_without)} {without} "
            f"({_pct(link.pain_days_without, link.n_without)}); no session {with_} has a diary "
            "entry within 48 h to compare"
        )
    first = (
        f"pain followed {_of(link.pain_days_with, link.n_with)} {with_} "
        f"({_pct(link.pain_days_with, link.n_with)})"
    )
    if link.n_without == 0:
        return f"{first}; no session {without} has a diary entry within 48 h to compare"
    text = (
        f"{first}, and {link.pain_days_without} of your {link.n_without} {without} "
        f"({_pct(link.pain_days_without, link.n_without)})"
    )
    if link.relative_risk is not None and link.ci95 is not None:
        text += f": relative risk {ratio_text(link.relative_risk, link.ci95)}"
        if link.corrected:
            text += " (0.5 added to each count, as one side had no pain)"
    else:
        text += ": no pain on either side, so no relative risk"
    if link.adjusted_rr is not None and link.adjusted_ci95 is not None:
        text += (
            "; with the other factors held fixed "
            f"{ratio_text(link.adjusted_rr, link.adjusted_ci95)}"
        )
    if too_short(link):
        text += (
            f". Your diary is too short to tell yet: backcheck needs at least {EVIDENCE_DAYS} "
            "such sessions on each side with a diary entry within 48 h"
        )
    return text


@dataclass(frozen=True, slots=True)
class Prevalence:
    """Share of diary days with pain (level >= 3) over start..end; None with no diary day."""

    share: float | None
    diary_days: int
    pain_days: int
    start: date
    end: date


def prevalence(pain: pl.DataFrame, *, as_of: date, weeks: int = 8) -> Prevalence:
    """How much of the recent diary is painful: for chronic factors that never switch off.

    The window is the `weeks` (1-520) weeks ending on `as_of` (inclusive). A diary day is a day
    with at least one entry; it is a pain day when its highest level is >= 3.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 520:
        raise UsageError("weeks", f"must be a whole number of weeks 1-520, got {weeks!r}")
    start = as_of - timedelta(days=7 * weeks - 1)
    days = diary_days(pain).filter(pl.col("day").is_between(start, as_of))
    n = days.height
    hurt = days.filter(pl.col("level") >= PAIN_LEVEL).height
    return Prevalence(hurt / n if n else None, n, hurt, start, as_of)
