"""The `why` report as one self-contained HTML page (`backcheck why --html FILE`, `demo`).

Same content and order as the terminal report (report.terminal): red flags first, the
verdict, the pain calendar, one section per cause in score order (level, score, pain links,
evidence with grades, advice, sources, chart), the data summary and the disclaimer. Inline
CSS and inline SVG only: the file opens with no network. All report text is escaped
(Jinja2 autoescape); the SVG charts escape their own text (report.charts).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from backcheck.model import Evidence
from backcheck.report.charts import chart_svgs
from backcheck.report.commands import web_text
from backcheck.report.numbers import fmt_number
from backcheck.report.terminal import CAUSE_TITLE, DISCLAIMER
from backcheck.why import CauseFinding, WhyReport

#: Which chart sits in which cause's section.
CAUSE_CHART = {
    "overexertion": "weekly_volume",
    "imbalance": "push_pull",
    "warmup": "warmup_share",
    "recovery": "sleep",
}
LEVEL_WORDS = {
    "likely": "likely",
    "possible": "possible",
    "unlikely": "unlikely",
    "unknown": "unknown: not enough data",
}
GRADES = (
    ("A", "a trial, cohort study or systematic review"),
    ("B", "an observational study or a clinical guideline"),
    ("C", "coaching convention, not a proven cause"),
)
_GRADE_SUFFIX = re.compile(r"\s*\[grade ([ABC])\]\s*$")


def _template(name: str) -> str:
    return (resources.files("backcheck.report") / "templates" / name).read_text(encoding="utf-8")


def code_spans(text: object) -> Markup:
    """`text` escaped, with `backticked` parts as <code> (as the terminal shows commands)."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: plain text
        return escape(str(text))
    return Markup("").join(
        Markup("<code>%s</code>") % p if i % 2 else escape(p) for i, p in enumerate(parts)
    )


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates (autoescape on), made on first use."""
    env = Environment(
        loader=FunctionLoader(_template),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code"] = _code_or_link
    return env


@pass_context
def _code_or_link(ctx: Context, text: object) -> Markup:
    """code_spans for the file the CLI writes; on a web page (`web_base` set) commands become
    links to the pages that do them (report.commands)."""
    base = ctx.get("web_base")
    return code_spans(text) if base is None else web_text(text, base)


def _evidence(ev: Evidence) -> dict[str, Any]:
    period = ev.period.replace("..", " to ") if ev.period else ""
    return {
        "text": _sentence(ev.text),
        "value": fmt_number(ev.value, ev.unit),
        "threshold": fmt_number(ev.threshold, ev.unit) if ev.threshold is not None else "\u2013",
        "period": period,
        "grade": ev.grade,
    }


def _source(text: str) -> dict[str, str | None]:
    m = _GRADE_SUFFIX.search(text)
    return {"text": text[: m.start()] if m else text, "grade": m.group(1) if m else None}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _cause(finding: CauseFinding, charts: dict[str, str]) -> dict[str, Any]:
    key = CAUSE_CHART.get(finding.cause)
    return {
        "cause": finding.cause,
        "title": CAUSE_TITLE.get(finding.cause, finding.cause),
        "level": finding.level,
        "level_words": LEVEL_WORDS.get(finding.level, finding.level),
        "score": f"{finding.score:.2f}",
        "score_pct": round(100 * min(max(finding.score, 0.0), 1.0)),
        "explanation": [_sentence(s) for s in finding.explanation],
        "evidence": [_evidence(ev) for ev in finding.evidence],
        "advice": list(finding.advice),
        "sources": [_source(s) for s in finding.sources],
        "chart": Markup(charts[key]) if key else None,
    }


def context(report: WhyReport) -> dict[str, Any]:
    """Everything the template shows, as plain values (text is escaped by the template)."""
    charts = chart_svgs(report)
    causes = [_cause(f, charts) for f in report.causes]
    d = report.data
    return {
        "athlete": report.athlete,
        "as_of": report.as_of.isoformat(),
        "notes": list(report.notes),
        "flags": {
            "level": report.red_flags.level,
            "found": report.red_flags.found,
            "reasons": [_sentence(r) for r in report.red_flags.reasons],
            "actions": [_sentence(a) for a in report.red_flags.actions],
        },
        "likely": [c for c in causes if c["level"] == "likely"],
        "possible": [c for c in causes if c["level"] == "possible"],
        "no_diary": not d.get("pain_entries"),
        "undecided": None
        if report.undecided is None
        else {
            "causes": [{"cause": c, "title": CAUSE_TITLE[c]} for c in report.undecided.causes],
            "steps": list(report.undecided.steps),
        },
        "causes": causes,
        "grades": GRADES,
        "pain_calendar": Markup(charts["pain_calendar"]),
        "data": [
            ("Training sessions", d.get("sessions", 0)),
            ("Sets", d.get("sets", 0)),
            (
                "Date range",
                f"{d['first']} to {d['last']}" if d.get("first") else "no training logged yet",
            ),
            ("Pain diary entries", d.get("pain_entries", 0)),
            ("Sleep and recovery entries", d.get("recovery_entries", 0)),
            ("Form-check videos", d.get("videos", 0)),
        ],
        "disclaimer": DISCLAIMER,
    }


def render_html(report: WhyReport, *, name: str | None = None, web_base: str | None = None) -> str:
    """The whole report as one self-contained HTML document (UTF-8 text). `name`: how the
    athlete is called (default: the store name); `web_base`: the athlete's URL prefix when
    the page is served by the web app (CLI commands are then said as links to its pages)."""
    return (
        environment()
        .get_template("why.html.j2")
        .render(**context(report), name=name or report.athlete, web_base=web_base)
    )


def write_html(report: WhyReport, path: Path) -> None:
    """Write the report page to `path` (UTF-8), replacing it if it exists."""
    Path(path).write_text(render_html(report), encoding="utf-8")


__all__ = ["chart_svgs", "render_html", "write_html"]
