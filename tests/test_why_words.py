"""Honest words (issue #12 point 5): every count, share and ratio in the report's text matches
its value in `why --json`; shares carry "%"; the relative risk and its interval are shown
wherever the link is (terminal, HTML and the web dashboard, which share html.context); a
cause's level agrees with its score and with the sentence under it; no float noise."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.console import Console

from backcheck.analysis.balance import _advice, _fmt
from backcheck.report.html import context, render_html
from backcheck.report.numbers import fmt_number
from backcheck.report.terminal import render
from backcheck.why import WhyReport
from simrun import simulated_report

LINK = re.compile(
    r"pain followed (?P<a>\d+) of your (?P<n1>\d+) sessions? .*?\((?P<p1>\d+)%\), and "
    r"(?P<c>\d+) of your (?P<n0>\d+) .*?\((?P<p0>\d+)%\)"
    r"(?:: relative risk (?P<rr>[\d.]+) \(95% interval (?P<lo>[\d.]+) to (?P<hi>[\d.]+)\))?"
    r"(?:.*?; with the other factors held fixed (?P<arr>[\d.]+) "
    r"\(95% interval (?P<alo>[\d.]+) to (?P<ahi>[\d.]+)\))?"
)
BANDS = {"likely": (0.6, 1.01), "possible": (0.3, 0.6), "unlikely": (0.0, 0.3)}


@pytest.fixture(scope="module", params=[("warmup",), ("warmup", "overexertion"), ("imbalance",)])
def report(request: pytest.FixtureRequest) -> WhyReport:
    return simulated_report(request.param, seed=0)


def _close(text: str | None, value: float | None) -> bool:
    """A 2-decimal figure in the text against the JSON value (rounded to 3)."""
    return text is not None and value is not None and abs(float(text) - value) <= 0.0051


def _sentences(doc: dict[str, Any]) -> dict[str, list[str]]:
    return {c["cause"]: c["explanation"] for c in doc["causes"]}


def test_every_link_sentence_matches_its_json(report: WhyReport) -> None:
    doc = report.to_json()
    said = _sentences(doc)
    checked = 0
    for item in doc["pain_links"]:
        if min(item["n_with"], item["n_without"]) == 0:
            continue
        lines = [m for s in said[item["cause"]] if (m := LINK.match(s))]
        match = [m for m in lines if int(m["n1"]) == item["n_with"]]
        assert match, (item, said[item["cause"]])
        m = match[0]
        assert int(m["n0"]) == item["n_without"]
        assert int(m["a"]) == round(item["pain_with"] * item["n_with"])
        assert int(m["c"]) == round(item["pain_without"] * item["n_without"])
        assert int(m["p1"]) == round(100 * int(m["a"]) / int(m["n1"]))
        assert int(m["p0"]) == round(100 * int(m["c"]) / int(m["n0"]))
        if item["relative_risk"] is not None:
            assert _close(m["rr"], item["relative_risk"]), (m["rr"], item)
            assert _close(m["lo"], item["ci95"][0]) and _close(m["hi"], item["ci95"][1])
        if item["adjusted_rr"] is not None:
            assert _close(m["arr"], item["adjusted_rr"]), (m["arr"], item)
            assert _close(m["alo"], item["adjusted_ci95"][0])
            assert _close(m["ahi"], item["adjusted_ci95"][1])
            assert item["adjusted_or"] is not None and item["adjusted_or_ci95"] is not None
        else:
            assert m["arr"] is None
        checked += 1
    assert checked >= 3


def test_level_agrees_with_the_score_and_the_sentence(report: WhyReport) -> None:
    for cause in report.to_json()["causes"]:
        if cause["level"] == "unknown":
            continue
        low, high = BANDS[cause["level"]]
        assert low <= cause["score"] < high, cause
        words = " ".join(cause["explanation"])
        if "counts against this cause" in words:
            assert cause["level"] == "unlikely"
        if "rated likely on that alone" in words:
            assert cause["level"] == "likely"
        if cause["level"] == "likely" and "cannot confirm it yet" not in words:
            assert "95% interval" in words  # the own link it rests on is shown


def test_the_terminal_and_the_pages_show_every_link_with_its_ratio(report: WhyReport) -> None:
    console = Console(record=True, width=400, color_system=None)
    render(report, console)
    terminal = " ".join(console.export_text().split())
    page = render_html(report)
    dashboard = context(report)  # what the web dashboard renders (_dashboard_body.html)
    page_lines = {c["cause"]: c["explanation"] for c in dashboard["causes"]}
    for finding in report.causes:
        for line in finding.explanation:
            assert line in terminal, line
            shown = line[:1].upper() + line[1:]
            assert shown in page_lines[finding.cause]
            if "relative risk" in line:
                assert "95% interval" in line
        links = [x for x in finding.explanation if x.startswith("pain followed")]
        for line in links:
            if " and " in line and "to compare" not in line:
                assert "relative risk" in line or "no relative risk" in line
    assert "relative risk" in page and "95% interval" in page
    assert "relative risk" in terminal


def test_shares_in_the_terminal_carry_percent(report: WhyReport) -> None:
    console = Console(record=True, width=400, color_system=None)
    render(report, console)
    text = console.export_text()
    percent = [e for c in report.causes for e in c.evidence if e.unit == "%" and e.value]
    for e in percent:
        assert fmt_number(e.value, "%") in text


def test_float_noise_is_rounded_away() -> None:
    assert fmt_number(-9.09495e-13, "kg") == "0 kg"
    assert fmt_number(72.4, "%") == "72.4%"
    assert fmt_number(2.5, "ratio") == "2.5\u00d7"
    assert _fmt(-9.09495e-13) == "0"
    assert _fmt(1234.4) == "1,234"
    words = " ".join(_advice(0.8, None, no_pull=True))
    assert "almost no rows" not in words and "no horizontal pulling in the last 4 weeks" in words
    assert "(now" not in " ".join(_advice(0.8, None, no_pull=False))


def test_evidence_ratios_and_shares_match_their_values(report: WhyReport) -> None:
    """ "2.54 to 1" beside 2.54x (not "2.5 to 1"); "21 of your 29 sessions" beside 72.4%."""
    checked = 0
    for cause in report.causes:
        for e in cause.evidence:
            if e.value is None:
                continue
            if e.unit == "ratio" and " to 1" in e.text:
                said = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) to 1\b", e.text)]
                assert any(abs(x - e.value) <= 0.005 for x in said), (e.value, e.text)
                checked += 1
            if e.unit == "%":
                pair = re.search(r"(\d+) of (?:your |the )?(\d+)", e.text)
                if pair:
                    k, n = int(pair[1]), int(pair[2])
                    assert abs(100 * k / n - e.value) <= 0.05, (e.value, e.text)
                    checked += 1
    assert checked >= 1
