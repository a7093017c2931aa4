"""The multivariable pain model (analysis.painmodel): closed forms, confounding held fixed,
shrinkage for short diaries, separation, unjudged days."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import polars as pl
import pytest

from backcheck.analysis.context import EXPOSURE_SCHEMA
from backcheck.analysis.painlinks import link
from backcheck.analysis.painmodel import adjust, adjusted_links, design, risk_ratio
from backcheck.errors import UsageError

D0 = date(2025, 1, 6)


def frames(
    rows: list[tuple[dict[str, bool | None], bool | None]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Exposures and outcomes from (factor -> exposed (None: no row), outcome) per day, every
    second day from D0."""
    exposures, outcomes = [], []
    for i, (factors, outcome) in enumerate(rows):
        day = D0 + timedelta(days=2 * i)
        exposures += [(day, f, x) for f, x in factors.items() if x is not None]
        outcomes.append((day, outcome))
    ex = pl.DataFrame(exposures, schema=EXPOSURE_SCHEMA, orient="row")
    out = pl.DataFrame(outcomes, schema={"day": pl.Date, "outcome": pl.Boolean}, orient="row")
    return ex, out


def counts(a: int, n1: int, c: int, n0: int, name: str = "no_warmup") -> list:
    rows = [({name: True}, i < a) for i in range(n1)]
    return rows + [({name: False}, i < c) for i in range(n0)]


def test_one_factor_without_penalty_gives_the_plain_ratios() -> None:
    """One factor, no penalty: the odds ratio of the 2x2 table, and through Zhang & Yu with
    the pain share without the factor, exactly its relative risk."""
    ex, out = frames(counts(12, 30, 6, 40))
    got = adjusted_links(ex, out, prior_sd=1e6)["no_warmup"]
    assert got.odds_ratio == pytest.approx((12 / 18) / (6 / 34), rel=1e-6)
    assert got.baseline == pytest.approx(6 / 40)
    assert got.rr == pytest.approx((12 / 30) / (6 / 40), rel=1e-6)
    assert got.days == 70
    low, high = got.or_ci95
    assert math.log(got.odds_ratio) - math.log(low) == pytest.approx(
        math.log(high) - math.log(got.odds_ratio)
    )
    # never narrower than Woolf's SE of ln OR (the model-based SE of this saturated model)
    woolf = math.sqrt(1 / 12 + 1 / 18 + 1 / 6 + 1 / 34)
    assert math.log(high / low) / (2 * 1.959964) >= woolf * (1 - 1e-6)
    assert got.ci95 == pytest.approx((risk_ratio(low, 6 / 40), risk_ratio(high, 6 / 40)))
    assert got.ci95[0] < got.rr < got.ci95[1]


def test_pain_clustered_in_weeks_widens_the_interval() -> None:
    """The same counts, once with the painful days bunched into the same weeks and once spread
    out: the 48 h windows of one week are not independent, so the bunched interval is wider."""
    bunched = counts(12, 30, 6, 40)
    spread = bunched[:]
    random.Random(0).shuffle(spread)
    wide = adjusted_links(*frames(bunched), prior_sd=1e6)["no_warmup"].or_ci95
    narrow = adjusted_links(*frames(spread), prior_sd=1e6)["no_warmup"].or_ci95
    assert wide[1] / wide[0] > narrow[1] / narrow[0]


def test_zhang_yu_by_hand() -> None:
    assert risk_ratio(3.0, 0.0) == 3.0  # rare outcome: OR = RR
    assert risk_ratio(4.0, 0.5) == pytest.approx(4 / (0.5 + 2.0))
    with pytest.raises(UsageError):
        risk_ratio(2.0, 1.5)


def test_the_penalty_pulls_a_short_diary_towards_one() -> None:
    short = adjusted_links(*frames(counts(3, 4, 1, 4)))["no_warmup"]
    long = adjusted_links(*frames(counts(30, 40, 10, 40)))["no_warmup"]
    assert 1 < short.rr < long.rr < 3.0 + 1e-9  # the raw ratio is 3 in both
    assert long.rr == pytest.approx(3.0, rel=0.15)  # 80 days: pulled in a little
    assert short.ci95[0] < 1 < short.ci95[1]


def test_pain_after_every_exposed_day_and_none_other_stays_finite() -> None:
    got = adjusted_links(*frames(counts(10, 10, 0, 10)))["no_warmup"]
    assert math.isfinite(got.rr) and math.isfinite(got.ci95[1])
    assert got.rr > 3 and got.ci95[0] > 1


def test_a_confounder_is_held_fixed() -> None:
    """Pain follows skipped warm-ups (30% -> 60%, OR 3.5); spike weeks come mostly with skipped warm-ups
    but do nothing themselves. Alone the spike looks harmful; held fixed, it does not."""
    rng = random.Random(3)
    rows = []
    for _ in range(400):
        warm = rng.random() < 0.4
        spike = rng.random() < (0.7 if warm else 0.1)
        pain = rng.random() < (0.6 if warm else 0.3)
        rows.append(({"no_warmup": warm, "load_spike": spike}, pain))
    ex, out = frames(rows)
    raw = link(ex.filter(pl.col("factor") == "load_spike"), out)
    got = adjusted_links(ex, out)
    assert raw.relative_risk is not None and raw.ci95 is not None and raw.ci95[0] > 1.2
    spike, warm = got["load_spike"], got["no_warmup"]
    assert spike.ci95[0] < 1 < spike.ci95[1]
    assert spike.rr < raw.relative_risk
    assert warm.ci95[0] > 1.3 and warm.rr == pytest.approx(2.0, rel=0.25)


def test_unjudged_days_are_not_counted_as_unexposed() -> None:
    """Sleep logged on half the nights: the factor is compared on judged days only."""
    judged = counts(12, 20, 4, 20, name="short_sleep")
    unjudged = [({"short_sleep": None, "no_warmup": False}, i % 2 == 0) for i in range(40)]
    ex, out = frames(judged + unjudged)
    frame, factors = design(ex, out)
    assert factors == ["short_sleep"]
    assert frame["short_sleep?unjudged"].sum() == 40
    got = adjusted_links(ex, out, prior_sd=1e6)["short_sleep"]
    assert got.rr == pytest.approx((12 / 20) / (4 / 20), rel=1e-4)


def test_unknown_outcomes_and_rare_factors_are_left_out() -> None:
    rows = counts(5, 10, 2, 10) + [({"no_warmup": True}, None)] * 5
    rows += [({"posture_fault": i == 0}, False) for i in range(10)]  # one exposed day only
    ex, out = frames(rows)
    frame, factors = design(ex, out)
    assert frame.height == 30 and factors == ["no_warmup"]
    assert "posture_fault" not in adjusted_links(ex, out)


def test_no_pain_at_all_gives_nothing() -> None:
    assert adjusted_links(*frames(counts(0, 10, 0, 10))) == {}


def test_adjust_fills_the_links_it_has() -> None:
    ex, out = frames(counts(12, 30, 6, 40))
    plain = [link(ex, out), link(ex.head(0), out, factor="short_sleep")]
    done = adjust(plain, adjusted_links(ex, out))
    assert done[0].adjusted_rr is not None and done[0].adjusted_ci95 is not None
    assert done[1].adjusted_rr is None and done[1] == plain[1]
    assert done[0].adjusted_or is not None and done[0].adjusted_or_ci95 is not None
    assert done[0].estimate == (done[0].adjusted_or, done[0].adjusted_or_ci95)


def test_bad_arguments_name_themselves() -> None:
    ex, out = frames(counts(1, 2, 1, 2))
    with pytest.raises(UsageError, match="prior_sd"):
        adjusted_links(ex, out, prior_sd=0)
    with pytest.raises(UsageError, match="outcomes"):
        adjusted_links(ex, out.drop("outcome"))
