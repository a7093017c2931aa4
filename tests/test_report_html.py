"""The self-contained HTML `why` report (backcheck.report.html) and its SVG charts.

Expectations are computed here from the demo athlete's own CSV files (csv module) or from small
hand-made chart inputs, never copied from a run of the code.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from backcheck.demo import ATHLETE, demo_folder, run_demo
from backcheck.imports import import_files
from backcheck.report.charts import (
    CHART_KEYS,
    pain_calendar_svg,
    push_pull_svg,
    sleep_svg,
    ticks,
    warmup_share_svg,
    weekly_volume_svg,
)
from backcheck.report.html import chart_svgs, render_html, write_html
from backcheck.report.terminal import CAUSE_TITLE
from backcheck.store import open_store
from backcheck.why import WhyReport, analyse, load_data, why

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "source", "wbr"}
TZ = "Europe/Berlin"


class Page(HTMLParser):
    """Every element (tag, attrs, the ids of its enclosing elements), text per element id, and
    whether every opened tag was closed in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.stack: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.text: dict[str, list[str]] = defaultdict(list)
        self.feed(text)
        self.close()

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> dict[str, str]:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a, tuple(i for _, i in self.stack if i)))
        return a

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = self._open(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, a.get("id", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, i in self.stack:
            if i:
                self.text[i].append(data)

    def inside(
        self, element_id: str, tag: str | None = None, cls: str | None = None
    ) -> list[dict[str, str]]:
        """Elements inside the element with id `element_id`, by tag and/or class word."""
        return [
            a
            for t, a, ids in self.elements
            if element_id in ids
            and (tag is None or t == tag)
            and (cls is None or cls in a.get("class", "").split())
        ]

    def words(self, element_id: str) -> str:
        return " ".join(" ".join(self.text[element_id]).split())


def _rows(name: str) -> list[dict[str, str]]:
    with (demo_folder() / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _demo_as_of() -> date:
    """The last session day of the demo workouts (naive local times in the file)."""
    return max(date.fromisoformat(r["Date"][:10]) for r in _rows("workouts.csv"))


def _demo_pain(as_of: date) -> dict[date, int]:
    """Highest pain level per diary day up to as_of."""
    out: dict[date, int] = {}
    for r in _rows("pain.csv"):
        d = date.fromisoformat(r["date"][:10])
        if d <= as_of:
            out[d] = max(out.get(d, 0), int(r["level"]))
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[WhyReport, Path]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    return run_demo(db), db


@pytest.fixture(scope="module")
def demo_html(demo: tuple[WhyReport, Path]) -> str:
    return render_html(demo[0])


@pytest.fixture(scope="module")
def page(demo_html: str) -> Page:
    return Page(demo_html)


def _variant(db: Path, as_of: date, **changes: object) -> WhyReport:
    """The demo athlete's data with some fields replaced, analysed again."""
    store = open_store(f"sqlite:///{db}")
    try:
        data = load_data(store, athlete=ATHLETE, tz=TZ, as_of=as_of)
    finally:
        store.close()
    return analyse(dataclasses.replace(data, **changes))  # type: ignore[arg-type]


def test_demo_page_parses_and_is_well_formed(demo_html: str, page: Page) -> None:
    assert demo_html.startswith("<!doctype html>")
    assert page.errors == [] and page.stack == []
    html = [a for t, a, _ in page.elements if t == "html"]
    assert html and html[0]["lang"] == "en"
    ids = [a["id"] for _, a, _ in page.elements if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate element ids"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a, _ in page.elements)
    assert [t for t, _, _ in page.elements].count("h1") == 1


def test_every_cause_has_a_section_in_score_order(demo: tuple[WhyReport, Path], page: Page) -> None:
    report = demo[0]
    sections = [
        a["id"]
        for t, a, _ in page.elements
        if t == "section" and "cause" in a.get("class", "").split()
    ]
    assert sections == [f"cause-{c.cause}" for c in report.causes]
    assert sorted(c.cause for c in report.causes) == sorted(CAUSE_TITLE)
    scores = [c.score for c in report.causes]
    assert scores == sorted(scores, reverse=True)
    for c in report.causes:
        text = page.words(f"cause-{c.cause}")
        assert CAUSE_TITLE[c.cause] in text
        assert f"score {c.score:.2f}" in text
        assert c.level in text
        for advice in c.advice:
            assert " ".join(advice.split()) in text


def test_verdict_names_the_likely_causes(demo: tuple[WhyReport, Path], page: Page) -> None:
    likely = [c.cause for c in demo[0].causes if c.level == "likely"]
    assert likely, "the demo athlete has likely causes (truth.json)"
    verdict = page.words("verdict")
    assert "Most likely:" in verdict
    links = [a["href"] for a in page.inside("verdict", "a", "level-likely")]
    assert links == [f"#cause-{c}" for c in likely]


def test_every_evidence_grade_is_shown_with_the_legend(
    demo: tuple[WhyReport, Path], page: Page
) -> None:
    for c in demo[0].causes:
        rows = page.inside(f"cause-{c.cause}", "tr")
        badges = [a["class"].split()[-1] for a in page.inside(f"cause-{c.cause}", "span", "grade")]
        grades_in_table = badges[: len(c.evidence)]
        assert grades_in_table == [f"grade-{e.grade}" for e in c.evidence]
        assert len(rows) == len(c.evidence) + 1  # header row
    legend = page.words("grades")
    assert "C = coaching convention, not a proven cause" in legend
    assert "A = " in legend and "B = " in legend
    assert {e.grade for c in demo[0].causes for e in c.evidence} >= {"B", "C"}


def test_no_external_resources(demo_html: str) -> None:
    refs = re.findall(
        r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)([^"')\s>]*)""", demo_html, re.I
    )
    assert refs, "the page has internal links"
    assert not [r for r in refs if re.match(r"(?i)(https?:)?//", r)]
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"']?\s*(https?:|//)", demo_html)
    assert not re.search(r"(?i)url\(\s*[\"']?\s*(https?:|//)", demo_html)
    assert "<link" not in demo_html and "<script" not in demo_html and "@import" not in demo_html


def test_every_chart_is_an_accessible_svg(demo: tuple[WhyReport, Path], page: Page) -> None:
    svgs = [a for t, a, _ in page.elements if t == "svg"]
    assert len(svgs) == len(CHART_KEYS)
    for a in svgs:
        assert a["role"] == "img"
        title_id, desc_id = a["aria-labelledby"].split()
        assert page.words(title_id) and page.words(desc_id)
        assert [t for t, b, ids in page.elements if a["id"] in ids and t in {"title", "desc"}][
            :2
        ] == ["title", "desc"]
    charts = chart_svgs(demo[0])
    assert list(charts) == list(CHART_KEYS)


def test_pain_calendar_has_one_square_per_day(demo: tuple[WhyReport, Path], page: Page) -> None:
    as_of = _demo_as_of()
    assert demo[0].as_of == as_of
    pain = _demo_pain(as_of)
    first = min(pain)
    days = page.inside("chart-pain-calendar", "rect", "day")
    assert len(days) == (as_of - first).days + 1
    assert len(page.inside("chart-pain-calendar", "rect", "unknown")) == (
        as_of - first
    ).days + 1 - len(pain)
    for level in range(11):
        expected = sum(1 for v in pain.values() if v == level)
        assert len(page.inside("chart-pain-calendar", "rect", f"level-{level}")) == expected
    months = {d.month for d in pain}
    labels = page.words("chart-pain-calendar")
    for m in months:
        assert (
            (
                [
                    "Jan",
                    "Feb",
                    "Mar",
                    "Apr",
                    "May",
                    "Jun",
                    "Jul",
                    "Aug",
                    "Sep",
                    "Oct",
                    "Nov",
                    "Dec",
                ][m - 1]
            )
            in labels
        )


def test_push_pull_chart_has_one_point_per_week(page: Page) -> None:
    as_of = _demo_as_of()
    first = min(date.fromisoformat(r["Date"][:10]) for r in _rows("workouts.csv"))
    weeks = math.ceil(((as_of - first).days + 1) / 7)  # 7-day windows ending on as_of
    assert len(page.inside("chart-push-pull", "circle", "push")) == weeks
    assert len(page.inside("chart-push-pull", "rect", "pull")) == weeks
    flag = page.inside("chart-push-pull", "polyline", "ref")
    assert len(flag) == 1 and len(flag[0]["points"].split()) == weeks
    assert "1.5 x pulling" in page.words("chart-push-pull")


def test_weekly_volume_and_warmup_charts_have_a_bar_per_week(
    demo: tuple[WhyReport, Path], page: Page
) -> None:
    mondays = {
        d - timedelta(days=d.weekday())
        for d in (date.fromisoformat(r["Date"][:10]) for r in _rows("workouts.csv"))
    }
    assert len(page.inside("chart-weekly-volume", "rect", "bar")) == len(mondays)
    assert len(page.inside("chart-warmup", "rect", "bar")) == len(mondays)
    spikes = page.inside("chart-weekly-volume", "rect", "spike")
    markers = page.inside("chart-weekly-volume", "path", "spike-marker")
    assert len(markers) == len(spikes) == len(demo[0].spike_weeks)
    # The demo athlete was simulated without load spikes (truth.json): none is marked.
    truth = json.loads((demo_folder() / "truth.json").read_text(encoding="utf-8"))
    assert "overexertion" not in truth["causes"]
    assert demo[0].spike_weeks == [] and spikes == []


def test_sleep_chart_marks_nights_and_pain_days(page: Page) -> None:
    as_of = _demo_as_of()
    nights = {
        date.fromisoformat(r["date"][:10])
        for r in _rows("recovery.csv")
        if r["kind"] == "sleep" and date.fromisoformat(r["date"][:10]) <= as_of
    }
    lo, hi = min(nights), max(nights)
    assert len(page.inside("chart-sleep", "rect", "night")) == len(nights)
    pain_days = [d for d, v in _demo_pain(as_of).items() if v >= 3 and lo <= d <= hi]
    assert len(page.inside("chart-sleep", "path", "pain")) == len(pain_days)
    assert len(page.inside("chart-sleep", "line", "ref")) == 1  # the 7 h line


def test_data_summary_and_disclaimer(demo: tuple[WhyReport, Path], page: Page) -> None:
    sessions = {r["Date"] for r in _rows("workouts.csv")}
    summary = page.words("data")
    assert f"Training sessions {len(sessions)}" in summary
    assert f"Sets {len(_rows('workouts.csv'))}" in summary
    assert f"Pain diary entries {len(_demo_pain(_demo_as_of()))}" in summary
    assert [a.get("scope") for a in page.inside("data", "th")] == ["row"] * 6
    assert "backcheck is not a diagnosis" in render_html(demo[0])


def test_user_text_is_escaped(demo: tuple[WhyReport, Path]) -> None:
    report, db = demo
    evil = "<script>alert('x')</script>"
    html = render_html(_variant(db, report.as_of, athlete=evil))
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert Page(html).errors == []


def test_diary_note_in_a_red_flag_is_escaped(demo: tuple[WhyReport, Path]) -> None:
    report, db = demo
    store = open_store(f"sqlite:///{db}")
    try:
        data = load_data(store, athlete=ATHLETE, tz=TZ, as_of=report.as_of)
    finally:
        store.close()
    note = "chest pain after rows <b>bad</b> <script>x()</script>"
    row = data.pain.tail(1).with_columns(
        pl.lit(6).cast(data.pain.schema["level"]).alias("level"),
        pl.lit(note).alias("note"),
        pl.lit(report.as_of).alias("day"),
    )
    flagged = analyse(dataclasses.replace(data, pain=pl.concat([data.pain, row])))
    assert flagged.red_flags.level == "emergency"  # a recent note mentioning chest pain
    html = render_html(flagged)
    assert "<script>x()" not in html and "<b>bad" not in html
    assert "&lt;b&gt;bad&lt;/b&gt; &lt;script&gt;x()&lt;/script&gt;" in html
    assert Page(html).errors == []


def test_emergency_box_comes_before_any_cause(demo: tuple[WhyReport, Path]) -> None:
    report, db = demo
    flagged = _variant(db, report.as_of, answers={"chest_pain": True})
    assert flagged.red_flags.level == "emergency"
    html = render_html(flagged)
    page = Page(html)
    sections = [a for t, a, _ in page.elements if t == "section"]
    assert "emergency" in sections[0]["class"].split()
    box = html.index('class="flags emergency"')
    assert box < html.index("<h1") and box < html.index('class="cause ')
    text = page.words("red-flags")
    assert "Call your emergency number now" in text
    assert "no training plan" in text.lower()
    assert "get checked" in text and "you have" not in text.replace("you have been", "")
    assert "heart attack" in text


def test_see_doctor_and_not_asked_notices(demo: tuple[WhyReport, Path]) -> None:
    report, db = demo
    doctor = _variant(db, report.as_of, answers={"night_pain": True})
    assert doctor.red_flags.level == "see-doctor"
    page = Page(render_html(doctor))
    box = [a for t, a, _ in page.elements if a.get("id") == "red-flags"]
    assert box and "see-doctor" in box[0]["class"].split()
    text = page.words("red-flags")
    assert "Get checked by a doctor soon" in text and "worse at night" in text
    unasked = Page(render_html(_variant(db, report.as_of, answers=None)))
    assert "backcheck triage" in unasked.words("red-flags")
    assert "Red flags not checked yet" in unasked.words("red-flags")


def test_one_session_no_pain_renders(tmp_path: Path) -> None:
    log = tmp_path / "one.csv"
    log.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n"
        '2025-03-04 18:00:00,"A",40m,"Bench Press (Barbell)",1,60.0,5,0,0,\n'
        '2025-03-04 18:00:00,"A",40m,"Bench Press (Barbell)",2,60.0,5,0,0,\n'
        '2025-03-04 18:00:00,"A",40m,"Bent Over Row (Barbell)",1,50.0,8,0,0,\n',
        encoding="utf-8",
    )
    from zoneinfo import ZoneInfo

    store = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        import_files(store, athlete="solo", paths=[log], tz=ZoneInfo(TZ))
        report = why(store, athlete="solo", tz=TZ, as_of=date(2025, 3, 5))
    finally:
        store.close()
    out = tmp_path / "report.html"
    write_html(report, out)
    html = out.read_text(encoding="utf-8")
    assert html == render_html(report)
    page = Page(html)
    assert page.errors == []
    assert "No pain diary yet" in page.words("chart-pain-calendar")
    assert "No sleep logged yet" in page.words("chart-sleep")
    assert "Training sessions 1" in page.words("data")
    assert "Sets 3" in page.words("data")
    assert len(page.inside("chart-push-pull", "circle", "push")) >= 1
    for c in report.causes:
        assert page.inside(f"cause-{c.cause}")  # every cause still has its section


# ---------------------------------------------------------------- charts from hand-made data


def test_ticks_are_round_and_cover_the_top() -> None:
    assert ticks(26062) == [0, 10000, 20000, 30000]
    assert ticks(9) == [0, 2, 4, 6, 8, 10]
    assert ticks(100, n=4) == [0, 25, 50, 75, 100]


def test_weekly_volume_marks_the_spike_week() -> None:
    rows = [
        {"week": "2025-01-06", "region": "upper_back", "volume_load": 1000.0},
        {"week": "2025-01-13", "region": "upper_back", "volume_load": 2000.0},
        {"week": "2025-01-20", "region": "upper_back", "volume_load": 1500.0},
        {"week": "2025-01-13", "region": "total", "volume_load": 9000.0},
    ]
    spikes = [{"date": "2025-01-19", "ratio": 2.0, "grade": "B", "regions": ["upper_traps"]}]
    page = Page(weekly_volume_svg(rows, spikes))
    bars = page.inside("chart-weekly-volume", "rect", "bar")
    assert len(bars) == 3
    assert [("spike" in b["class"]) for b in bars] == [False, True, False]
    # 2000 kg on an axis to 2000 (ticks 0, 500 ... 2000): the spike bar is the full plot height.
    h = [float(b["height"]) for b in bars]
    assert h[0] == pytest.approx(h[1] / 2, abs=0.15) and h[2] == pytest.approx(
        h[1] * 0.75, abs=0.15
    )
    assert len(page.inside("chart-weekly-volume", "path", "spike-marker")) == 1
    words = page.words("chart-weekly-volume")
    assert "2.0x your 4-week average (grade B), mostly upper-trapezius" in words
    assert "1 week with a sudden jump in load is marked" in words


def test_push_pull_flag_line_is_one_and_a_half_times_pulling() -> None:
    rows = [
        {"week_start": "2025-01-01", "week_end": "2025-01-07", "push_sets": 15, "pull_sets": 10},
        {"week_start": "2025-01-08", "week_end": "2025-01-14", "push_sets": 30, "pull_sets": 10},
    ]
    page = Page(push_pull_svg(rows))
    pushes = page.inside("chart-push-pull", "circle", "push")
    flag = page.inside("chart-push-pull", "polyline", "ref")[0]["points"].split()
    # week 1: push 15 = 1.5 x 10 -> the push point lies on the flag line; week 2 is above it.
    assert float(flag[0].split(",")[1]) == pytest.approx(float(pushes[0]["cy"]), abs=0.11)
    assert float(pushes[1]["cy"]) < float(flag[1].split(",")[1])
    assert "3.0 to 1" in page.words("chart-push-pull")


def test_warmup_bars_are_shares_of_a_full_axis() -> None:
    rows = [
        {"week": "2025-01-06", "sessions": 4, "warmed_up": 2, "share": 0.5},
        {"week": "2025-01-13", "sessions": 3, "warmed_up": 3, "share": 1.0},
    ]
    page = Page(warmup_share_svg(rows))
    bars = page.inside("chart-warmup", "rect", "bar")
    assert float(bars[0]["height"]) == pytest.approx(float(bars[1]["height"]) / 2, abs=0.15)
    assert "2 of 4 sessions" in page.words("chart-warmup")


def test_pain_calendar_leaves_unlogged_days_blank() -> None:
    pain = [
        {"day": "2025-01-30", "level": 0, "region": None},
        {"day": "2025-02-02", "level": 4, "region": "mid-back"},
        {"day": "2025-02-02", "level": 7, "region": "neck"},
    ]
    page = Page(pain_calendar_svg(pain, as_of=date(2025, 2, 5)))
    days = page.inside("chart-pain-calendar", "rect", "day")
    assert len(days) == 7  # 30 Jan .. 5 Feb
    assert len(page.inside("chart-pain-calendar", "rect", "unknown")) == 5
    assert len(page.inside("chart-pain-calendar", "rect", "level-7")) == 1  # the day's highest
    assert len(page.inside("chart-pain-calendar", "rect", "level-4")) == 0
    text = page.words("chart-pain-calendar")
    assert "pain 7 (neck)" in text and "Feb" in text and "Jan" in text
    # Thursday 30 Jan sits in row 3 (Monday = row 0), Sunday 2 Feb in row 6 of the same column.
    ys = [float(d["y"]) for d in days]
    xs = [float(d["x"]) for d in days]
    assert ys[3] - ys[0] == pytest.approx(3 * 16) and xs[3] == xs[0] and xs[4] > xs[3]


@pytest.mark.parametrize(
    ("chart", "message"),
    [
        (lambda: weekly_volume_svg([], []), "No upper-back training"),
        (lambda: push_pull_svg([]), "No pressing or pulling"),
        (lambda: warmup_share_svg([]), "No upper-body sessions"),
        (lambda: sleep_svg([], []), "No sleep logged yet"),
        (lambda: pain_calendar_svg([]), "No pain diary yet"),
    ],
)
def test_empty_charts_say_so(chart: Callable[[], str], message: str) -> None:
    text = chart()
    page = Page(text)
    assert page.errors == [] and message in text
    assert not [a for t, a, _ in page.elements if t in {"rect", "circle", "path"}]


def test_pain_calendar_with_only_old_entries_says_so() -> None:
    """Every entry older than the calendar's window: an empty chart naming the last entry, not
    a crash (max() of an empty window gave HTTP 500 on the dashboard and a traceback)."""
    pain = [{"day": "2024-01-10", "level": 5, "region": "mid-back"}]
    text = pain_calendar_svg(pain, as_of=date(2025, 6, 1))
    page = Page(text)
    assert page.errors == []
    assert "No pain diary entry in the" in text and "10 Jan 2024" in text
    assert not page.inside("chart-pain-calendar", "rect", "day")
