"""Pain links with every factor at once: a penalised, within-person, distributed-lag model.

One athlete, one row per diary day (a day with an entry: a pain day or a logged pain-free day,
level 0-2; days without an entry are left out, never counted as pain-free). The outcome is pain
(NRS >= 3) that day. Each factor's column counts the sessions with the factor 0, 1 or 2 days
before that day (0-3; SCIENCE.md 5b, "lags 0-2"), so its odds ratio is the effect of one
session with the factor against one without it on pain in the following 0-2 days: a
distributed-lag model with equal weights over the lags (Gasparrini et al. 2010, Stat Med
29:2224; lagged logistic models for load and injury: Bache-Mathiesen et al. 2024, Biol Sport).
Whether a session took place at each lag has its own column, so training itself is not
credited to any factor. Every factor is in the model at once, so each estimate holds the
others fixed (docs/science.md section 5b): a spike week that is also a no-warm-up week no longer
counts twice. A painful day after daily training is set against all the sessions of the three
days before it, each with its own factors, instead of being counted once for every session
whose 48 h window it falls in (such windows overlap and saturate when training is daily, which
blurs every link towards 1). One coefficient per factor rather than one per lag: with a diary
of a few months, three free lag terms each would leave intervals too wide to tell anything.

Model: logistic regression of the 0/1 outcome, ln odds = b0 + sum b_j x_j, with a ridge
penalty b_j^2 / (2 PRIOR_SD^2) on each b_j (not the intercept): a normal prior on ln OR with
SD 1 (95% of its mass at OR 0.14-7.1), so a short diary, or a factor followed by pain every
time (separation), gives a finite estimate pulled towards 1 instead of exploding (the purpose
of Firth's correction, done here as plain ridge). Fitted by Newton-Raphson with step halving.
Logistic rather than log-binomial or Poisson because people keep their diary more on painful
days (docs/science.md 5b): selection that depends on the outcome leaves the odds ratio unbiased
(the case-control argument) but not the relative risk. The ranking (analysis.ranking) judges a
factor by this odds ratio. For reading, the odds ratio and its interval are converted to a
relative risk with the baseline risk p0 (Zhang & Yu 1998, JAMA 280:1690): RR = OR / (1 - p0 +
p0 OR), p0 = the share of painful diary days among those after judged sessions without the
factor only. The conversion is exact for one 2x2 table and approximate once other factors are
held fixed; its interval is the converted odds-ratio interval (McNutt et al. 2003, Am J
Epidemiol 157:940, note that it is then too narrow when p0 is large, which is one more reason
the ranking uses the odds ratio itself).

Interval: b_j +- 1.96 SE, with SE the larger of (a) the sandwich SE clustered by 7-day week
(pain days of one week are not independent), scaled by G / (G - 1) for G weeks, and (b) the
penalised model-based SE (inverse Hessian). Besides the factors and the sessions at each lag,
the model holds, per factor and lag, whether that session was judged for it (no sleep logged
that night, no upper-body lift to warm up for: counted as 0 for the factor, with its own "not
judged" column, so each factor compares judged sessions only). A factor enters the model
only when at least MIN_SESSIONS sessions with it and MIN_SESSIONS judged sessions without it
are followed by a diary entry within 0-2 days. This is backcheck's own assembly of established
methods, not a published pipeline; the tests check it against closed forms and simulated
confounding (tests/test_painmodel.py), and benchmarks/cause_accuracy.py measures it on
simulated athletes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

import polars as pl

from backcheck.analysis.painlinks import PAIN_LEVEL, Z95, PainLink, diary_days
from backcheck.errors import UsageError

#: SD of the normal prior on each ln OR (the ridge penalty is b^2 / (2 PRIOR_SD^2)).
PRIOR_SD: Final = 1.0
#: The lags (days after a session) the model looks at: 0-2 (SCIENCE.md 5b).
MAX_LAG: Final = 2
#: Sessions a factor needs on each side (with it, judged without it), each followed by a diary
#: entry within the lags, to enter the model.
MIN_SESSIONS: Final = 2
_MAX_ITER: Final = 60
_TOL: Final = 1e-9
#: Column of the frame that says whether a session took place k days earlier: f"{SESSION}@{k}".
SESSION: Final = "?session"


@dataclass(frozen=True, slots=True)
class Adjusted:
    """A factor's link to pain in the following 0-2 days with the other factors held fixed.

    odds_ratio, or_ci95: exp(b) per session with the factor in the 0-2 days before a diary
    day, and its 95% CI;
    rr, ci95: the same converted to a relative risk with `baseline` (Zhang & Yu 1998): the
    share (0-1) of diary days after judged sessions without the factor that were painful;
    days: diary days in the model.
    """

    rr: float
    ci95: tuple[float, float]
    odds_ratio: float
    or_ci95: tuple[float, float]
    baseline: float
    days: int


@dataclass(frozen=True, slots=True)
class Design:
    """The model's frame and what its columns mean.

    frame: one row per diary day: day, week (7-day bin), y (1.0: pain that day), per factor in
    `factors` a column of that name (sessions with the factor 0-max_lag days before: 0 to
    max_lag + 1), and the `covariates` (0/1): f"{SESSION}@{k}" (a session k days before) and
    f"{factor}?unjudged@{k}" (that session was not judged for the factor), held fixed and not
    reported. lags: max_lag + 1.
    """

    frame: pl.DataFrame
    factors: list[str]
    covariates: list[str]
    lags: int


def design(exposures: pl.DataFrame, pain: pl.DataFrame, *, max_lag: int = MAX_LAG) -> Design:
    """The distributed-lag frame of the model (see the module doc and `Design`).

    exposures: context.EXPOSURE_SCHEMA rows of every factor (day, factor, exposed; a day
    listed twice for a factor counts as exposed when any row says so); a day with any row is
    a session day. pain: the diary (day or at, level 0-10; level-0 rows are the controls).
    max_lag: 0-MAX_LAG, the last lag in the model (0: pain on the session day only).
    """
    missing = [c for c in ("day", "factor", "exposed") if c not in exposures.columns]
    if missing:
        raise UsageError("exposures", f"lacks column(s) {', '.join(missing)}")
    if isinstance(max_lag, bool) or max_lag not in range(MAX_LAG + 1):
        raise UsageError("max_lag", f"must be a whole number 0-{MAX_LAG}, got {max_lag!r}")
    rows = diary_days(pain).sort("day")
    frame = rows.select(
        "day",
        (pl.col("day").cast(pl.Int32) // 7).alias("week"),
        (pl.col("level") >= PAIN_LEVEL).cast(pl.Float64).alias("y"),
    )
    per_day = (
        exposures.select(
            pl.col("day").cast(pl.Date), pl.col("factor").cast(pl.String), pl.col("exposed")
        )
        .drop_nulls()
        .group_by("day", "factor")
        .agg(pl.col("exposed").any())
    )
    names = sorted(per_day["factor"].unique().to_list())
    sessions = per_day.select("day").unique()
    wide = sessions.with_columns(pl.lit(1.0).alias(SESSION))
    for name in names:
        col = per_day.filter(pl.col("factor") == name).select("day", pl.col("exposed").alias("x"))
        wide = wide.join(col, on="day", how="left").with_columns(
            pl.col("x").cast(pl.Float64).fill_null(0.0).alias(name),
            pl.col("x").is_null().cast(pl.Float64).alias(f"{name}?unjudged"),
        )
        wide = wide.drop("x")
    values = [c for c in wide.columns if c != "day"]
    lags = range(max_lag + 1)
    for k in lags:
        shifted = wide.select(
            (pl.col("day") + pl.duration(days=k)).alias("day"),
            *[pl.col(c).alias(f"{c}@{k}") for c in values],
        )
        frame = frame.join(shifted, on="day", how="left", maintain_order="left")
    frame = frame.with_columns(pl.exclude("day", "week", "y").fill_null(0.0))
    # sessions followed by a diary entry within the lags: the ones the model can judge
    seen = pl.concat(
        [rows.select((pl.col("day") - pl.duration(days=k)).alias("day")) for k in lags]
    ).unique()
    followed = wide.join(seen, on="day", how="semi")
    factors: list[str] = []
    covariates = [f"{SESSION}@{k}" for k in lags]
    for name in names:
        on = int(followed[name].sum())
        off = int(((followed[name] == 0) & (followed[f"{name}?unjudged"] == 0)).sum())
        if on < MIN_SESSIONS or off < MIN_SESSIONS:
            continue
        factors.append(name)
        covariates += [f"{name}?unjudged@{k}" for k in lags]
    counts = [pl.sum_horizontal([pl.col(f"{f}@{k}") for k in lags]).alias(f) for f in factors]
    frame = frame.with_columns(counts).select("day", "week", "y", *factors, *covariates)
    return Design(frame, factors, covariates, len(lags))


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
    exposures: pl.DataFrame,
    pain: pl.DataFrame,
    *,
    prior_sd: float = PRIOR_SD,
    max_lag: int = MAX_LAG,
) -> dict[str, Adjusted]:
    """Adjusted OR, RR and 95% CIs of every factor that can enter the model (see module doc).

    exposures: every factor's EXPOSURE_SCHEMA rows together; pain: the diary (day, level).
    prior_sd: > 0, SD of the prior on each ln OR; max_lag: see `design`. Factors left out
    (fewer than MIN_SESSIONS judged sessions on a side, or no pain, or pain on every diary
    day) are absent from the result.
    """
    if not (isinstance(prior_sd, (int, float)) and prior_sd > 0 and math.isfinite(prior_sd)):
        raise UsageError("prior_sd", f"must be a positive number, got {prior_sd!r}")
    return estimates(design(exposures, pain, max_lag=max_lag), prior_sd=prior_sd)


def estimates(d: Design, *, prior_sd: float = PRIOR_SD) -> dict[str, Adjusted]:
    """Fit the penalised model to a `design` and read each factor's OR, RR and 95% CIs."""
    frame = d.frame
    if not d.factors or frame.height == 0:
        return {}
    pain_days = int(frame["y"].sum())
    if pain_days in (0, frame.height):
        return {}
    varying = [c for c in [*d.factors, *d.covariates] if frame[c].n_unique() > 1]
    columns = ["?one", *varying]
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
    weeks = sums.drop("week").rows()
    g = len(weeks)
    scale = g / (g - 1) if g > 1 else 1.0
    out: dict[str, Adjusted] = {}
    for name in d.factors:
        if name not in columns:
            continue
        j = columns.index(name)
        beta = b[j]
        # the model-based SE (inverse penalised Hessian) and the sandwich clustered by week
        robust_var = scale * sum(sum(v * r[k] for k, v in enumerate(bread[j])) ** 2 for r in weeks)
        se = math.sqrt(max(bread[j][j], robust_var, 0.0))
        odds = (math.exp(beta), (math.exp(beta - Z95 * se), math.exp(beta + Z95 * se)))
        p0 = _baseline(frame, d, name)
        out[name] = Adjusted(
            rr=risk_ratio(odds[0], p0),
            ci95=(risk_ratio(odds[1][0], p0), risk_ratio(odds[1][1], p0)),
            odds_ratio=odds[0],
            or_ci95=odds[1],
            baseline=p0,
            days=frame.height,
        )
    return out


def _baseline(frame: pl.DataFrame, d: Design, name: str) -> float:
    """Share of painful days among diary days after judged sessions without `name` only."""
    lags = range(d.lags)
    on = pl.col(name)
    judged = pl.sum_horizontal(
        [pl.col(f"{SESSION}@{k}") - pl.col(f"{name}?unjudged@{k}") for k in lags]
    )
    share = frame.filter((on == 0) & (judged > 0))["y"].mean()
    return float(share) if isinstance(share, (int, float)) else 0.0


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
