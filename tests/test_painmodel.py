"""The multivariable pain model (analysis.painmodel): closed forms, confounding held fixed,
shrinkage for short diaries, separation, unjudged days, and lags: pain the day after a session
is credited to that session, not to every session whose 48 h window it falls in."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import polars as pl
import pytest

from backcheck.analysis.context import EXPOSURE_SCHEMA
from backcheck.analysis.painlinks import link, pain_outcomes
from backcheck.analysis.painmodel import adjust, adjusted_links, design, risk_ratio
from backcheck.errors import UsageError

D0 = date(2025, 1, 6)


def frames(
    rows: list[tuple[dict[str, bool | None], bool | None]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Exposures and the pain diary from (factor -> exposed (None: no row), pain that day
    (None: no diary entry)) per session, every second day from D0."""
    exposures, diary = [], []
    for i, (factors, pain) in enumerate(rows):
        day = D0 + timedelta(days=2 * i)
        exposures += [(day, f, x) for f, x in factors.items() if x is not None]
        if pain is not None:
            diary.append((day, 5 if pain else 0))
    ex = pl.DataFrame(exposures, schema=EXPOSURE_SCHEMA, orient="row")
    return ex, pl.DataFrame(diary, schema={"day": pl.Date, "level": pl.Int32}, orient="row")


def outcomes(ex: pl.DataFrame, pain: pl.DataFrame) -> pl.DataFrame:
    """The per-session outcomes of painlinks (pain that day: sessions are 2 days apart)."""
    return pain_outcomes(ex["day"].unique(), pain, window_days=0)


def counts(a: int, n1: int, c: int, n0: int, name: str = "no_warmup") -> list:
    rows = [({name: True}, i < a) for i in range(n1)]
    return rows + [({name: False}, i < c) for i in range(n0)]


def test_one_factor_without_penalty_gives_the_plain_ratios() -> None:
    """One factor, no penalty: the odds ratio of the 2x2 table, and through Zhang & Yu with
    the pain share without the factor, exactly its relative risk."""
    ex, out = frames(counts(12, 30, 6, 40))
    got = adjusted_links(ex, out, prior_sd=1e6, max_lag=0)["no_warmup"]
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
    wide = adjusted_links(*frames(bunched), prior_sd=1e6, max_lag=0)["no_warmup"].or_ci95
    narrow = adjusted_links(*frames(spread), prior_sd=1e6, max_lag=0)["no_warmup"].or_ci95
    assert wide[1] / wide[0] > narrow[1] / narrow[0]


def test_zhang_yu_by_hand() -> None:
    assert risk_ratio(3.0, 0.0) == 3.0  # rare outcome: OR = RR
    assert risk_ratio(4.0, 0.5) == pytest.approx(4 / (0.5 + 2.0))
    with pytest.raises(UsageError):
        risk_ratio(2.0, 1.5)


def test_the_penalty_pulls_a_short_diary_towards_one() -> None:
    short = adjusted_links(*frames(counts(3, 4, 1, 4)), max_lag=0)["no_warmup"]
    long = adjusted_links(*frames(counts(30, 40, 10, 40)), max_lag=0)["no_warmup"]
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
    ex, pain = frames(rows)
    raw = link(ex.filter(pl.col("factor") == "load_spike"), outcomes(ex, pain))
    got = adjusted_links(ex, pain, max_lag=0)
    assert raw.relative_risk is not None and raw.ci95 is not None and raw.ci95[0] > 1.2
    spike, warm = got["load_spike"], got["no_warmup"]
    assert spike.ci95[0] < 1 < spike.ci95[1]
    assert spike.rr < raw.relative_risk
    assert warm.ci95[0] > 1.3 and warm.rr == pytest.approx(2.0, rel=0.25)


def test_unjudged_days_are_not_counted_as_unexposed() -> None:
    """Sleep logged on half the nights: the factor is compared on judged days only."""
    judged = counts(12, 20, 4, 20, name="short_sleep")
    unjudged = [({"short_sleep": None, "no_warmup": False}, i % 2 == 0) for i in range(40)]
    ex, pain = frames(judged + unjudged)
    d = design(ex, pain, max_lag=0)
    assert d.factors == ["short_sleep"]
    assert d.frame["short_sleep?unjudged@0"].sum() == 40 and d.lags == 1
    got = adjusted_links(ex, pain, prior_sd=1e6, max_lag=0)["short_sleep"]
    assert got.rr == pytest.approx((12 / 20) / (4 / 20), rel=1e-4)


def test_unknown_outcomes_and_rare_factors_are_left_out() -> None:
    rows = counts(5, 10, 2, 10) + [({"no_warmup": True}, None)] * 5
    rows += [({"posture_fault": i == 0}, False) for i in range(10)]  # one exposed day only
    ex, pain = frames(rows)
    d = design(ex, pain)
    assert d.frame.height == 30 and d.factors == ["no_warmup"]
    assert "posture_fault" not in adjusted_links(ex, pain)


def test_no_pain_at_all_gives_nothing() -> None:
    assert adjusted_links(*frames(counts(0, 10, 0, 10))) == {}


def test_adjust_fills_the_links_it_has() -> None:
    ex, pain = frames(counts(12, 30, 6, 40))
    out = outcomes(ex, pain)
    plain = [link(ex, out), link(ex.head(0), out, factor="short_sleep")]
    done = adjust(plain, adjusted_links(ex, pain))
    assert done[0].adjusted_rr is not None and done[0].adjusted_ci95 is not None
    assert done[1].adjusted_rr is None and done[1] == plain[1]
    assert done[0].adjusted_or is not None and done[0].adjusted_or_ci95 is not None
    assert done[0].estimate == (done[0].adjusted_or, done[0].adjusted_or_ci95)


def test_bad_arguments_name_themselves() -> None:
    ex, pain = frames(counts(1, 2, 1, 2))
    with pytest.raises(UsageError, match="prior_sd"):
        adjusted_links(ex, pain, prior_sd=0)
    with pytest.raises(UsageError, match="max_lag"):
        adjusted_links(ex, pain, max_lag=3)
    with pytest.raises(UsageError, match="pain"):
        adjusted_links(ex, pain.drop("level"))
    with pytest.raises(UsageError, match="exposures"):
        adjusted_links(ex.drop("exposed"), pain)


def daily(seed: int, *, days: int = 240) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A session every day, half of them without a warm-up; pain starts the day after a
    session without one at 35%, after one with a warm-up at 5%, and a painful day lasts two
    days. Every day has a diary entry."""
    rng = random.Random(seed)
    cold = [rng.random() < 0.5 for _ in range(days)]
    painful = [False] * (days + 2)
    for i, c in enumerate(cold):
        if rng.random() < (0.35 if c else 0.05):
            painful[i + 1] = painful[i + 2] = True
    ex = pl.DataFrame(
        [(D0 + timedelta(days=i), "no_warmup", c) for i, c in enumerate(cold)],
        schema=EXPOSURE_SCHEMA,
        orient="row",
    )
    diary = [(D0 + timedelta(days=i), 5 if painful[i] else 0) for i in range(days + 2)]
    return ex, pl.DataFrame(diary, schema={"day": pl.Date, "level": pl.Int32}, orient="row")


def z_of(ratio: float, ci: tuple[float, float]) -> float:
    """ln(ratio) / SE, the SE read back from the 95% interval."""
    return math.log(ratio) / (math.log(ci[1] / ci[0]) / (2 * 1.959964))


def test_daily_training_pain_is_credited_to_the_sessions_before_it() -> None:
    """Daily sessions: each session's 48 h window also holds the pain of the sessions around
    it, so the per-session relative risk is blurred towards 1; the lag model sets each diary
    day against the sessions 0-2 days before it and tells the effect apart more clearly, in
    every one of 12 athletes (true OR of a session without a warm-up on the next day's pain:
    (0.35 / 0.65) / (0.05 / 0.95) = 10, spread over lags 1 and 2)."""
    for seed in range(12):
        ex, pain = daily(seed)
        window = link(ex, pain_outcomes(ex["day"], pain))
        assert window.relative_risk is not None and window.ci95 is not None
        got = adjusted_links(ex, pain)["no_warmup"]
        assert got.or_ci95[0] > 1.1, seed
        assert z_of(got.odds_ratio, got.or_ci95) > z_of(window.relative_risk, window.ci95) + 0.3


def test_a_factor_on_no_session_before_a_pain_day_is_not_credited() -> None:
    """Pain only on rest days, two days after sessions without a warm-up: lag 2 carries it,
    so the factor's summed effect is positive; moved to the sessions with a warm-up, the
    effect turns negative."""
    ex, pain = daily(1)
    flipped = ex.with_columns(~pl.col("exposed"))
    assert adjusted_links(ex, pain)["no_warmup"].odds_ratio > 1
    assert adjusted_links(flipped, pain)["no_warmup"].odds_ratio < 1
