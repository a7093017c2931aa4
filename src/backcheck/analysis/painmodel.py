"""Pain links with every factor at once: a penalised, within-person model of pain in 48 h.

One athlete, one row per training day with a known outcome (painlinks.pain_outcomes: pain of
NRS >= 3 on that day or the next two, lags 0-2; days without a diary entry in that window are
left out, never counted as pain-free). The columns are every factor's exposure that day (1
exposed, 0 not), so each factor's estimate holds the others fixed (docs/science.md section 5b): a
spike week that is also a no-warm-up week no longer counts twice. The rows are the same days
as the unadjusted relative risk of painlinks.link, so the two estimates can be set side by side.

Model: logistic regression of the 0/1 outcome on every factor, ln odds = b0 + sum b_j x_j, with
a ridge penalty b_j^2 / (2 PRIOR_SD^2) on each b_j (not the intercept): a normal prior on ln OR
with SD 1 (95% of its mass at OR 0.14-7.1), so a short diary, or a factor followed by pain every
time (separation), gives a finite estimate pulled towards 1 instead of exploding (the purpose of
Firth's correction, done here as plain ridge). Fitted by Newton-Raphson with step halving.
Logistic rather than log-binomial or Poisson because people keep their diary more on painful
days (docs/science.md 5b): selection that depends on the outcome leaves the odds ratio unbiased
(the case-control argument) but not the relative risk. The ranking (analysis.ranking) judges a
factor by this odds ratio. For reading, the odds ratio and its interval are converted to a
relative risk with the baseline risk p0 (Zhang & Yu 1998, JAMA 280:1690): RR = OR / (1 - p0 +
p0 OR), p0 = the share of the factor's judged days without it that were followed by pain. The
conversion is exact for one 2x2 table and approximate once other factors are held fixed; its
interval is the converted odds-ratio interval (McNutt et al. 2003, Am J Epidemiol 157:940, note that it is then too
narrow when p0 is large, which is one more reason the ranking uses the odds ratio itself).

Interval: b_j +- 1.96 SE, with SE the larger of (a) the sandwich SE clustered by 7-day week (the
48 h windows of neighbouring days overlap, so days are not independent), scaled by G / (G - 1)
for G weeks, and (b) the penalised model-based SE (inverse Hessian). A factor enters the model
only when at least MIN_DAYS known days have it and MIN_DAYS judged days do not; days where a
factor was not judged (no sleep logged that night, no upper-body lift to warm up for) count as
0 for it, with a separate "not judged" column, so the estimate compares judged days only. This
is backcheck's own assembly of established methods, not a published pipeline; the tests check
it against closed forms and simulated confounding (tests/test_painmodel.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

import polars as pl

from backcheck.analysis.painlinks import Z95, PainLink
from backcheck.errors import UsageError

#: SD of the normal prior on each ln OR (the ridge penalty is b^2 / (2 PRIOR_SD^2)).
PRIOR_SD: Final = 1.0
#: Known-outcome days a factor needs on each side (with it, without it) to enter the model.
MIN_DAYS: Final = 2
_MAX_ITER: Final = 60
_TOL: Final = 1e-9


@dataclass(frozen=True, slots=True)
class Adjusted:
    """A factor's link to pain within 48 h with the other factors held fixed.

    odds_ratio, or_ci95: exp(b) and its 95% CI from the model; rr, ci95: the same converted to
    a relative risk with `baseline` (Zhang & Yu 1998): the share (0-1) of the factor's judged
    days without it that were followed by pain; days: known-outcome days in the model.
    """

    rr: float
    ci95: tuple[float, float]
    odds_ratio: float
    or_ci95: tuple[float, float]
    baseline: float
    days: int


def design(exposures: pl.DataFrame, outcomes: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Wide frame: one row per training day with a known outcome, and the factors in the model.

    exposures: context.EXPOSURE_SCHEMA rows of every factor (a day listed twice for a factor
    counts as exposed when any row says so). outcomes: painlinks.pain_outcomes (day, outcome);
    null outcomes are dropped. Columns: day, week (7-day bin), y (1.0: pain within 48 h), and
    per factor in the model a 0/1 column and `<factor>?unjudged` (1 where the factor has no row
    that day). A factor is in the model when at least MIN_DAYS days have it and MIN_DAYS
    judged days do not.
    """
    for name, frame, cols in (
        ("exposures", exposures, ("day", "factor", "exposed")),
        ("outcomes", outcomes, ("day", "outcome")),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise UsageError(name, f"lacks column(s) {', '.join(missing)}")
    known = outcomes.select(pl.col("day").cast(pl.Date), pl.col("outcome")).drop_nulls()
    per_day = (
        exposures.select(
            pl.col("day").cast(pl.Date), pl.col("factor").cast(pl.String), pl.col("exposed")
        )
        .drop_nulls()
        .group_by("day", "factor")
        .agg(pl.col("exposed").any())
    )
    days = (
        exposures.select(pl.col("day").cast(pl.Date))
        .drop_nulls()
        .unique()
        .join(known, on="day", how="inner")
        .sort("day")
    )
    frame = days.select(
        "day",
        (pl.col("day").cast(pl.Int32) // 7).alias("week"),
        pl.col("outcome").cast(pl.Float64).alias("y"),
    )
    factors: list[str] = []
    for name in sorted(per_day["factor"].unique().to_list()):
        col = per_day.filter(pl.col("factor") == name).select("day", pl.col("exposed").alias("x"))
        x = frame.select("day").join(col, on="day", how="left", maintain_order="left")["x"]
        on = int(x.fill_null(False).sum())
        off = int((~x.drop_nulls()).sum())
        if on < MIN_DAYS or off < MIN_DAYS:
            continue
        factors.append(name)
        frame = frame.with_columns(
            x.cast(pl.Float64).fill_null(0.0).alias(name),
            x.is_null().cast(pl.Float64).alias(f"{name}?unjudged"),
        )
    return frame, factors


Matrix = list[list[float]]


def _solve(a: Matrix, rhs: Matrix) -> Matrix | None:
    """x with a x = rhs (a: p x p, rhs: p x m), Gauss-Jordan with partial pivoting; None when
    a is singular. p is the number of model columns (a dozen at most), so plain Python."""
    p = len(a)
    m = [row[:] + r[:] for row, r in zip(a, rhs, strict=True)]
    for col in range(p):
        pivot = max(range(col, p), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        lead = m[col][col]
        m[col] = [v / lead for v in m[col]]
        for r in range(p):
            if r != col and m[r][col] != 0.0:
                f = m[r][col]
                m[r] = [v - f * w for v, w in zip(m[r], m[col], strict=True)]
    return [row[p:] for row in m]


def _eta(columns: Sequence[str], b: Sequence[float]) -> pl.Expr:
    return pl.sum_horizontal([pl.col(c) * float(v) for c, v in zip(columns, b, strict=True)])


_MU = (pl.col("_eta") * 0.5).tanh() * 0.5 + 0.5  # the logistic function, without overflow


def _objective(
    frame: pl.DataFrame, columns: Sequence[str], b: Sequence[float], pen: float
) -> float:
    """Penalised negative log-likelihood: sum softplus(eta) - y eta + pen/2 sum b_j^2, j >= 1."""
    eta = pl.col("_eta")
    softplus = (-eta.abs()).exp().log1p() + pl.max_horizontal(eta, pl.lit(0.0))
    value = frame.with_columns(_eta(columns, b).alias("_eta")).select(
        (softplus - pl.col("y") * eta).sum()
    )
    return float(value.item()) + 0.5 * pen * sum(v * v for v in b[1:])


def _curvature(
    frame: pl.DataFrame, columns: Sequence[str], b: Sequence[float], pen: float
) -> tuple[list[float], Matrix, pl.DataFrame]:
    """Gradient and Hessian of the penalised objective at b, and the frame with _mu."""
    p = len(columns)
    with_mu = frame.with_columns(_eta(columns, b).alias("_eta")).with_columns(_MU.alias("_mu"))
    mu, y = pl.col("_mu"), pl.col("y")
    w = mu * (1 - mu)
    pairs = [(j, k) for j in range(p) for k in range(j, p)]
    row = with_mu.select(
        *[((mu - y) * pl.col(c)).sum().alias(f"g{j}") for j, c in enumerate(columns)],
        *[(w * pl.col(columns[j]) * pl.col(columns[k])).sum().alias(f"h{j}_{k}") for j, k in pairs],
    ).row(0, named=True)
    grad = [float(row[f"g{j}"]) + (pen * b[j] if j else 0.0) for j in range(p)]
    hess = [[0.0] * p for _ in range(p)]
    for j, k in pairs:
        hess[j][k] = hess[k][j] = float(row[f"h{j}_{k}"])
    for j in range(1, p):
        hess[j][j] += pen
    return grad, hess, with_mu


def _fit(frame: pl.DataFrame, columns: Sequence[str], pen: float) -> list[float] | None:
    """Penalised logistic MLE by damped Newton (columns[0] is the unpenalised intercept);
    None when it does not converge."""
    share = min(max(float(frame["y"].mean() or 0.0), 1e-3), 1 - 1e-3)  # type: ignore[arg-type]
    b = [math.log(share / (1 - share))] + [0.0] * (len(columns) - 1)
    current = _objective(frame, columns, b, pen)
    for _ in range(_MAX_ITER):
        grad, hess, _ = _curvature(frame, columns, b, pen)
        step = _solve(hess, [[g] for g in grad])
        if step is None:
            return None
        t = 1.0
        while t > 1e-6:
            trial = [v - t * d[0] for v, d in zip(b, step, strict=True)]
            value = _objective(frame, columns, trial, pen)
            if value <= current + 1e-12:
                break
            t /= 2
        else:
            return None
        b, previous, current = trial, current, value
        if abs(previous - current) < _TOL * (1 + abs(current)):
            break
    return b if all(math.isfinite(v) for v in b) else None


def risk_ratio(odds_ratio: float, baseline: float) -> float:
    """Zhang & Yu (1998, JAMA 280:1690): RR = OR / (1 - p0 + p0 OR), p0 = the risk without the
    factor (0-1). Exact for a single 2x2 table; an approximation once others are held fixed."""
    if not (0.0 <= baseline <= 1.0) or odds_ratio <= 0:
        raise UsageError(
            "baseline", f"needs p0 in 0-1 and OR > 0, got {baseline!r}, {odds_ratio!r}"
        )
    return odds_ratio / (1.0 - baseline + baseline * odds_ratio)


def adjusted_links(
    exposures: pl.DataFrame, outcomes: pl.DataFrame, *, prior_sd: float = PRIOR_SD
) -> dict[str, Adjusted]:
    """Adjusted OR, RR and 95% CIs of every factor that can enter the model (see module doc).

    exposures: every factor's EXPOSURE_SCHEMA rows together; outcomes: pain_outcomes rows.
    prior_sd: > 0, SD of the prior on ln OR. Factors left out (too few days on a side, or no
    pain, or pain on every known day) are absent from the result.
    """
    if not (isinstance(prior_sd, (int, float)) and prior_sd > 0 and math.isfinite(prior_sd)):
        raise UsageError("prior_sd", f"must be a positive number, got {prior_sd!r}")
    frame, factors = design(exposures, outcomes)
    if not factors or frame.height == 0:
        return {}
    pain_days = int(frame["y"].sum())
    if pain_days in (0, frame.height):
        return {}
    extra = [f"{f}?unjudged" for f in factors]
    columns = ["?one", *factors, *[c for c in extra if 0 < frame[c].sum() < frame.height]]
    frame = frame.with_columns(pl.lit(1.0).alias("?one"))
    pen = 1.0 / prior_sd**2
    b = _fit(frame, columns, pen)
    if b is None:
        return {}
    _, hess, with_mu = _curvature(frame, columns, b, pen)
    p = len(columns)
    bread = _solve(hess, [[float(i == j) for j in range(p)] for i in range(p)])
    if bread is None:
        return {}
    resid = pl.col("y") - pl.col("_mu")
    sums = with_mu.group_by("week").agg([(resid * pl.col(c)).sum().alias(c) for c in columns])
    sums = sums.drop("week")
    weeks = sums.rows()
    g = len(weeks)
    scale = g / (g - 1) if g > 1 else 1.0
    meat = [[scale * sum(r[i] * r[j] for r in weeks) for j in range(p)] for i in range(p)]
    out: dict[str, Adjusted] = {}
    for j, name in enumerate(factors, start=1):
        robust = sum(bread[j][k] * meat[k][m] * bread[m][j] for k in range(p) for m in range(p))
        se = math.sqrt(max(bread[j][j], robust, 0.0))
        beta = b[j]
        odds = (math.exp(beta), (math.exp(beta - Z95 * se), math.exp(beta + Z95 * se)))
        judged_off = (frame[name] == 0) & (frame[f"{name}?unjudged"] == 0)
        share = frame.filter(judged_off)["y"].mean()
        p0 = float(share) if isinstance(share, (int, float)) else 0.0
        out[name] = Adjusted(
            rr=risk_ratio(odds[0], p0),
            ci95=(risk_ratio(odds[1][0], p0), risk_ratio(odds[1][1], p0)),
            odds_ratio=odds[0],
            or_ci95=odds[1],
            baseline=p0,
            days=frame.height,
        )
    return out


def adjust(links: Sequence[PainLink], adjusted: Mapping[str, Adjusted]) -> list[PainLink]:
    """`links` with the adjusted RR and OR (and their CIs) from `adjusted`, by factor name."""
    out = []
    for item in links:
        found = adjusted.get(item.factor)
        out.append(
            item
            if found is None
            else replace(
                item,
                adjusted_rr=found.rr,
                adjusted_ci95=found.ci95,
                adjusted_or=found.odds_ratio,
                adjusted_or_ci95=found.or_ci95,
            )
        )
    return out
