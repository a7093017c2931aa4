"""Pain links: 48 h outcomes, relative risk with a Katz CI (by hand), shrinkage, wording."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from backcheck.analysis.context import EXPOSURE_SCHEMA
from backcheck.analysis.painlinks import (
    PainLink,
    explain,
    link,
    link_strength,
    pain_outcomes,
    prevalence,
    relative_risk,
)
from backcheck.errors import UsageError

STRONG = Path(__file__).parent / "data" / "logs" / "strong" / "dakheera47_sample_strong.csv"
D0 = date(2026, 3, 2)


def _pain(rows: list[tuple[date, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"day": [d for d, _ in rows], "level": [lv for _, lv in rows]},
        schema={"day": pl.Date, "level": pl.Int32},
    )


def _days(*ds: date) -> pl.Series:
    return pl.Series("day", list(ds), dtype=pl.Date)


def _outcome(frame: pl.DataFrame, d: date) -> bool | None:
    return frame.filter(pl.col("day") == d)["outcome"].item()


# ----------------------------------------------------------------- outcomes


def test_pain_two_days_after_counts_three_days_after_does_not() -> None:
    a, b = D0, D0 + timedelta(days=10)
    pain = _pain([(a + timedelta(days=2), 4), (b + timedelta(days=3), 6)])
    out = pain_outcomes(_days(a, b), pain)
    assert out.schema == {"day": pl.Date, "outcome": pl.Boolean}
    assert _outcome(out, a) is True
    assert _outcome(out, b) is None  # the only entry is 72 h later: unknown, not pain-free


def test_low_levels_are_no_pain_and_empty_windows_are_unknown() -> None:
    days = [D0, D0 + timedelta(days=5), D0 + timedelta(days=10), D0 + timedelta(days=20)]
    pain = _pain(
        [
            (D0 + timedelta(days=1), 0),  # control for day 0
            (D0 + timedelta(days=5), 2),  # a niggle: no pain for this purpose
            (D0 + timedelta(days=7), 1),
            (D0 + timedelta(days=10), 3),  # level 3 on the training day itself: pain
            (D0 + timedelta(days=11), 0),
        ]
    )
    out = pain_outcomes(_days(*days, D0), pain)  # a repeated day is reported once
    assert out["day"].to_list() == days
    assert out["outcome"].to_list() == [False, False, True, None]


def test_worst_entry_of_a_window_decides() -> None:
    pain = _pain([(D0, 0), (D0 + timedelta(days=1), 5), (D0 + timedelta(days=1), 0)])
    assert _outcome(pain_outcomes(_days(D0), pain), D0) is True


def test_window_days_changes_the_window() -> None:
    pain = _pain([(D0 + timedelta(days=3), 4)])
    assert _outcome(pain_outcomes(_days(D0), pain, window_days=3), D0) is True
    assert _outcome(pain_outcomes(_days(D0), pain, window_days=0), D0) is None
    with pytest.raises(UsageError, match="window_days"):
        pain_outcomes(_days(D0), pain, window_days=-1)
    with pytest.raises(UsageError, match="days"):
        pain_outcomes(pl.Series([1, 2]), pain)


def test_outcomes_over_real_training_days(tmp_path: Path) -> None:
    """Training days of a real Strong export against a diary written here, checked by a loop."""
    with STRONG.open(newline="", encoding="utf-8") as fh:
        train = sorted({date.fromisoformat(r["Date"][:10]) for r in csv.DictReader(fh)})
    assert len(train) == 15
    # a diary: pain 1 day after every third session, level 0 the day after the others, but
    # nothing around the last two sessions
    diary: list[tuple[date, int]] = []
    for i, d in enumerate(train[:-2]):
        diary.append((d + timedelta(days=1), 5 if i % 3 == 0 else 0))
    by_day: dict[date, int] = {}
    for d, lv in diary:
        by_day[d] = max(lv, by_day.get(d, 0))
    expected: list[bool | None] = []
    for d in train:
        near = [d + timedelta(days=k) for k in range(3)]
        window = [by_day[x] for x in near if x in by_day]
        expected.append(None if not window else max(window) >= 3)
    out = pain_outcomes(pl.Series(train, dtype=pl.Date), _pain(diary))
    assert out["day"].to_list() == train
    assert out["outcome"].to_list() == expected
    assert expected.count(None) >= 1 and expected.count(True) >= 1 and expected.count(False) >= 1


# ----------------------------------------------------------------- relative risk


def _frames(a: int, n1: int, c: int, n0: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Exposure rows and outcomes: n1 exposed days (a with pain), n0 others (c with pain)."""
    days = [D0 + timedelta(days=i) for i in range(n1 + n0)]
    exposed = [True] * n1 + [False] * n0
    outcome = [i < a for i in range(n1)] + [i < c for i in range(n0)]
    expo = pl.DataFrame(
        {"day": days, "factor": ["no_warmup"] * len(days), "exposed": exposed},
        schema=EXPOSURE_SCHEMA,
    )
    return expo, pl.DataFrame({"day": days, "outcome": outcome})


def test_relative_risk_and_katz_ci_by_hand() -> None:
    # 9 of 11 days without a warm-up were followed by pain, 2 of 30 with one.
    # RR = (9/11) / (2/30) = 0.818182 / 0.066667 = 12.2727
    # SE(ln RR) = sqrt(1/9 - 1/11 + 1/2 - 1/30) = sqrt(0.111111 - 0.090909 + 0.5 - 0.033333)
    #           = sqrt(0.486869) = 0.697760
    # ln RR = 2.507380; 1.96 * SE = 1.367584
    # CI = exp(2.507380 -/+ 1.367584) = exp(1.139796), exp(3.874964) = 3.1261, 48.18
    expo, outcomes = _frames(9, 11, 2, 30)
    found = link(expo, outcomes)
    assert (found.n_with, found.n_without) == (11, 30)
    assert (found.pain_days_with, found.pain_days_without) == (9, 2)
    assert found.pain_with == pytest.approx(9 / 11)
    assert found.pain_without == pytest.approx(2 / 30)
    assert found.relative_risk == pytest.approx(12.2727, abs=1e-4)
    assert found.ci95 is not None
    assert found.ci95[0] == pytest.approx(3.1261, abs=1e-3)
    assert found.ci95[1] == pytest.approx(48.18, abs=0.01)
    assert found.corrected is False
    assert found.cause == "warmup"
    doc = found.to_json()
    assert set(doc) >= {
        "factor",
        "cause",
        "pain_with",
        "pain_without",
        "relative_risk",
        "ci95",
        "n_with",
        "n_without",
    }
    assert doc["ci95"] == [3.126, 48.181]
    assert doc["relative_risk"] == 12.273


def test_zero_cell_uses_haldane_anscombe() -> None:
    # 5 of 10 exposed days with pain, 0 of 20 others: add 0.5 to each cell
    # a = 5.5, n1 = 11, c = 0.5, n0 = 21: RR = (5.5/11) / (0.5/21) = 0.5 / 0.0238095 = 21.0
    # SE = sqrt(1/5.5 - 1/11 + 1/0.5 - 1/21) = sqrt(0.181818 - 0.090909 + 2 - 0.047619)
    #    = sqrt(2.043290) = 1.429437; 1.96 * SE = 2.801640; ln 21 = 3.044522
    # CI = exp(0.242882), exp(5.846162) = 1.2749, 345.9
    expo, outcomes = _frames(5, 10, 0, 20)
    found = link(expo, outcomes)
    assert found.corrected is True
    assert found.pain_without == 0.0  # the shown rates stay uncorrected
    assert found.relative_risk == pytest.approx(21.0)
    assert found.ci95 is not None
    assert found.ci95[0] == pytest.approx(1.2749, abs=1e-3)
    assert found.ci95[1] == pytest.approx(345.9, abs=0.1)
    assert found.to_json()["corrected"] is True


def test_no_pain_at_all_or_an_empty_group_has_no_ratio() -> None:
    assert relative_risk(0, 10, 0, 20) == (None, None, False)
    found = link(*_frames(3, 5, 0, 0))
    assert found.pain_with == pytest.approx(0.6)
    assert found.pain_without is None
    assert found.relative_risk is None and found.ci95 is None
    assert link_strength(found) == 0.0
    with pytest.raises(UsageError, match="counts"):
        relative_risk(4, 3, 0, 1)


def test_unknown_outcomes_and_other_days_are_left_out() -> None:
    expo, outcomes = _frames(2, 4, 1, 4)
    # null outcomes for two more exposure days, and an outcome on a day without exposure row
    extra_days = [D0 + timedelta(days=100), D0 + timedelta(days=101)]
    more = {"day": extra_days, "factor": ["no_warmup"] * 2, "exposed": [True, False]}
    expo = pl.concat([expo, pl.DataFrame(more, schema=EXPOSURE_SCHEMA)])
    outcomes = pl.concat(
        [
            outcomes,
            pl.DataFrame(
                {"day": extra_days, "outcome": [None, None]},
                schema={"day": pl.Date, "outcome": pl.Boolean},
            ),
            pl.DataFrame({"day": [D0 + timedelta(days=200)], "outcome": [True]}),
        ]
    )
    found = link(expo, outcomes)
    assert (found.n_with, found.pain_days_with, found.n_without, found.pain_days_without) == (
        4,
        2,
        4,
        1,
    )


def test_link_checks_its_factor() -> None:
    expo, outcomes = _frames(2, 4, 1, 4)
    mixed = expo.with_columns(
        pl.when(pl.col("exposed"))
        .then(pl.lit("short_sleep"))
        .otherwise(pl.col("factor"))
        .alias("factor")
    )
    with pytest.raises(UsageError, match="one factor"):
        link(mixed, outcomes)
    with pytest.raises(UsageError, match="cause"):
        link(expo.with_columns(pl.lit("mystery").alias("factor")), outcomes)
    found = link(expo.with_columns(pl.lit("mystery").alias("factor")), outcomes, cause="posture")
    assert found.cause == "posture"
    empty = link(pl.DataFrame(schema=EXPOSURE_SCHEMA), outcomes, factor="short_sleep")
    assert (empty.factor, empty.cause, empty.n_with) == ("short_sleep", "recovery", 0)


# ----------------------------------------------------------------- strength


def _link(a: int, n1: int, c: int, n0: int, factor: str = "no_warmup") -> PainLink:
    rr, ci, corrected = relative_risk(a, n1, c, n0)
    return PainLink(
        factor,
        "warmup",
        a / n1 if n1 else None,
        c / n0 if n0 else None,
        rr,
        ci,
        n1,
        n0,
        a,
        c,
        corrected,
    )


def test_strength_grows_with_the_sample_at_the_same_rates() -> None:
    strengths = [link_strength(_link(9 * k, 11 * k, 2 * k, 30 * k)) for k in (1, 2, 3, 5, 10, 50)]
    assert all(0 < s < 1 for s in strengths)
    assert strengths == sorted(strengths) and len(set(strengths)) == len(strengths)
    # by the formula: (1 - 1/12.2727) * n_eff / (n_eff + 10), n_eff = 2*11*30/41 = 16.0976,
    # CI lower bound 3.13 > 1 so no halving: 0.918519 * 0.616822 = 0.56656
    assert strengths[0] == pytest.approx(0.56656, abs=1e-4)


def test_tiny_samples_stay_weak() -> None:
    for c, n0 in ((0, 5), (0, 100), (1, 1000), (3, 40)):
        assert link_strength(_link(2, 2, c, n0)) <= 0.3
    assert link_strength(_link(1, 2, 0, 1000)) <= 0.3


def test_strength_is_zero_when_pain_does_not_follow_the_factor() -> None:
    assert link_strength(_link(2, 20, 10, 20)) == 0.0  # RR 0.2
    assert link_strength(_link(5, 20, 5, 20)) == 0.0  # RR 1


def test_uncertain_links_are_halved() -> None:
    weak = _link(3, 10, 2, 10)  # RR 1.5, CI well below 1 at the low end
    assert weak.ci95 is not None and weak.ci95[0] < 1
    n_eff = 10.0
    assert link_strength(weak) == pytest.approx((1 - 1 / 1.5) * n_eff / (n_eff + 10) * 0.5)


# ----------------------------------------------------------------- wording, prevalence


def test_explain_uses_the_factor_phrase() -> None:
    link = _link(9, 11, 2, 30)
    rr, ci = link.relative_risk, link.ci95
    assert rr is not None and ci is not None
    assert explain(link) == (
        "pain followed 9 of your 11 sessions without a warm-up (82%), and 2 of your 30 with one "
        f"(7%): relative risk {rr:.2f} (95% interval {ci[0]:.2f} to {ci[1]:.2f})"
    )
    sleep = explain(_link(4, 6, 1, 1, factor="short_sleep"))
    assert sleep.startswith("pain followed 4 of your 6 sessions after a night of less than 7 h")
    assert "1 of your 1 after a longer night (100%): relative risk 0.67" in sleep
    assert "too short to tell" in sleep  # 6 and 1 days: fewer than 8 on a side
    generic = explain(_link(1, 1, 0, 3, factor="heavy_deadlifts"))
    assert generic.startswith(
        "pain followed 1 of your 1 session with heavy deadlifts (100%), and 0 of your 3 without "
        "heavy deadlifts (0%): relative risk 6.00"
    )
    assert "0.5 added to each count" in generic  # Haldane-Anscombe: (1.5/2) / (0.5/4) = 6
    assert "to compare" in explain(_link(2, 3, 0, 0, factor="load_spike"))
    assert "cannot be compared" in explain(_link(0, 0, 0, 0))


def test_explain_shows_the_adjusted_estimate() -> None:
    link = replace(_link(9, 11, 2, 30), adjusted_rr=4.567, adjusted_ci95=(1.234, 16.9))
    text = explain(link)
    assert text.endswith("; with the other factors held fixed 4.57 (95% interval 1.23 to 16.90)")
    doc = link.to_json()
    assert doc["adjusted_rr"] == 4.567 and doc["adjusted_ci95"] == [1.234, 16.9]
    assert _link(9, 11, 2, 30).to_json()["adjusted_rr"] is None


def test_prevalence_over_the_recent_weeks() -> None:
    as_of = date(2026, 5, 31)
    rows = [
        (as_of, 4),
        (as_of, 0),  # same day: its worst entry counts, one diary day
        (as_of - timedelta(days=1), 2),
        (as_of - timedelta(days=10), 3),
        (as_of - timedelta(days=13), 0),  # the first day of a 2-week window
        (as_of - timedelta(days=14), 8),  # outside 2 weeks
        (as_of + timedelta(days=1), 9),  # after as_of
    ]
    two = prevalence(_pain(rows), as_of=as_of, weeks=2)
    assert (two.diary_days, two.pain_days) == (4, 2)
    assert two.share == pytest.approx(0.5)
    assert two.start == as_of - timedelta(days=13)
    eight = prevalence(_pain(rows), as_of=as_of)
    assert (eight.diary_days, eight.pain_days) == (5, 3)
    none = prevalence(_pain([]), as_of=as_of)
    assert none.share is None and none.diary_days == 0
    with pytest.raises(UsageError, match="weeks"):
        prevalence(_pain(rows), as_of=as_of, weeks=0)
