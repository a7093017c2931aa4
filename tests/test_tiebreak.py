"""Causes the pain diary cannot tell apart (analysis.tiebreak): the rule on hand-made rankings,
and a simulated athlete with a confounder, through the real importers, `why`, its JSON, the
terminal verdict and the HTML report; red flags withhold it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from backcheck.analysis.tiebreak import CHANGE, MOST, undecided
from backcheck.diary import import_pain, import_recovery
from backcheck.imports import import_files
from backcheck.report.html import render_html
from backcheck.report.terminal import CAUSE_TITLE, verdict_text
from backcheck.settings import zone_from_name
from backcheck.sim.accuracy import last_logged_day
from backcheck.sim.athlete import simulate
from backcheck.sim.cases import case
from backcheck.sim.writers import write_athlete_folder
from backcheck.store import open_store
from backcheck.why import WhyReport, why


def test_two_abnormal_causes_the_diary_does_not_confirm() -> None:
    got = undecided(
        [
            ("imbalance", 0.8, "weak-link"),
            ("warmup", 1.0, "weak-link"),
            ("recovery", 0.1, "weak-link"),
            ("overexertion", 0.0, "no-estimate"),
        ]
    )
    assert got is not None and got.causes == ("imbalance", "warmup")
    assert len(got.steps) == 2
    assert got.steps[0].startswith(f"For two weeks, {CHANGE['imbalance']}")
    assert CHANGE["warmup"] in got.steps[1] and "not eased" in got.steps[1]
    assert got.to_json() == {"causes": ["imbalance", "warmup"], "steps": list(got.steps)}


@pytest.mark.parametrize(
    "ranked",
    [
        # the first cause is the athlete's own confirmed link: nothing to tell apart
        [
            ("warmup", 1.0, "link"),
            ("imbalance", 0.8, "weak-link"),
            ("recovery", 0.7, "no-estimate"),
        ],
        # only one abnormal cause is open
        [("warmup", 1.0, "weak-link"), ("imbalance", 0.4, "weak-link")],
        # the diary counts against the second one
        [("warmup", 1.0, "weak-link"), ("imbalance", 0.8, "against")],
        # no pain in the diary at all
        [("warmup", 1.0, "no-pain"), ("imbalance", 0.8, "no-pain")],
        # the first-ranked cause is not among the open ones
        [
            ("recovery", 0.3, "weak-link"),
            ("warmup", 1.0, "weak-link"),
            ("imbalance", 0.9, "no-estimate"),
        ],
        [],
    ],
)
def test_nothing_to_tell_apart(ranked: list[tuple[str, float, str]]) -> None:
    assert undecided(ranked) is None


def test_at_most_three_causes_one_step_each() -> None:
    ranked = [(c, 0.9, "no-estimate") for c in CHANGE]
    got = undecided(ranked)
    assert got is not None and len(got.causes) == MOST == len(got.steps)
    assert got.causes == tuple(list(CHANGE)[:MOST])


def _why(index: int, answers: dict[str, bool] | None = None) -> WhyReport:
    c = case(index)
    zone = zone_from_name(c.profile.tz)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "a"
        write_athlete_folder(simulate(c.profile), folder, fmt="strong")
        store = open_store(f"sqlite:///{tmp}/a.db")
        try:
            import_files(store, athlete="a", paths=[folder / "workouts.csv"], tz=zone)
            import_pain(store, athlete="a", path=folder / "pain.csv", tz=zone)
            import_recovery(store, athlete="a", path=folder / "recovery.csv", tz=zone)
            return why(
                store, athlete="a", tz=c.profile.tz, as_of=last_logged_day(c), answers=answers
            )
        finally:
            store.close()


def test_a_confounded_athlete_is_told_how_to_find_out() -> None:
    """#433 of seed 0: warm-up drives the pain (a weak effect), a push/pull imbalance is built
    in without pain; the diary links neither clearly. Both are named, in the JSON, the
    terminal and the HTML, with the first change to try."""
    report = _why(433)
    assert report.undecided is not None
    assert set(report.undecided.causes) == {"warmup", "imbalance"}
    doc = report.to_json()["undecided"]
    assert doc["causes"] == list(report.undecided.causes)
    first = CHANGE[report.undecided.causes[0]]
    assert first in doc["steps"][0]
    words = " ".join(verdict_text(report).plain.split())
    titles = [CAUSE_TITLE[c] for c in report.undecided.causes]
    assert f"cannot yet tell {titles[0]} and {titles[1]} apart" in words
    assert f"1. {doc['steps'][0]}" in words
    page = " ".join(re.sub(r"<[^>]+>", " ", render_html(report)).split())
    assert f"cannot yet tell {titles[0]} and {titles[1]} apart" in page
    assert first in page


def test_red_flags_withhold_it() -> None:
    report = _why(433, answers={"chest_pain": True})
    assert report.has_red_flags and report.undecided is None
    assert report.to_json()["undecided"] is None
