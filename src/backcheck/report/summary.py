"""The summary for a professional (backcheck.summary) as one self-contained, printable page.

Same parts as `why`'s HTML (red flags, pain calendar, causes with evidence and grades) but
compact and in the order a physiotherapist reads: who and what data, red-flag answers with
their date, pain history and regions, the causes, the plan and how it went. Print CSS keeps
sections whole and fits A4 and US Letter (margins in mm, no fixed page width).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from markupsafe import Markup

from backcheck.plan.model import item_kind
from backcheck.report.html import context as why_context
from backcheck.report.html import environment
from backcheck.report.progress import chart_svg as progress_chart
from backcheck.report.progress import pain_sentence
from backcheck.summary import Summary

REGION_WORDS = {
    "neck": "neck",
    "upper-trapezius": "upper trapezius",
    "between-shoulder-blades": "between the shoulder blades",
    "shoulder-blade-left": "left shoulder blade",
    "shoulder-blade-right": "right shoulder blade",
    "mid-back": "mid back",
    "lower-back": "lower back",
    "shoulder-left": "left shoulder",
    "shoulder-right": "right shoulder",
    "chest": "chest",
    "other": "other",
}


def regions(pain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per region: days with pain there, highest level, first and last day (most days first)."""
    days: dict[str, set[str]] = defaultdict(set)
    top: dict[str, int] = defaultdict(int)
    for row in pain:
        region, level = row.get("region"), int(row.get("level") or 0)
        if not region or level <= 0:
            continue
        days[region].add(str(row["day"]))
        top[region] = max(top[region], level)
    return [
        {
            "region": REGION_WORDS.get(r, r),
            "days": len(d),
            "max": top[r],
            "first": min(d),
            "last": max(d),
        }
        for r, d in sorted(days.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def plan_outline(doc: dict[str, Any]) -> dict[str, Any]:
    """The saved plan in a few lines: start, weeks, what it addresses, sessions a week and
    the main lifts with their sets and loads (first week)."""
    weeks = doc.get("weeks", [])
    first = weeks[0]["sessions"] if weeks else []
    lifts: dict[str, str] = {}
    for s in first:
        for e in s["exercises"]:
            if e["name"] not in lifts:
                load = f" at {e['load_kg']:g} kg" if e.get("load_kg") else ""
                lifts[e["name"]] = f"{e['sets']} x {e['reps']}{load}"
    warm = sorted({item_kind(w["name"]) for s in first for w in s.get("warmup", [])})
    return {
        "start": doc.get("start"),
        "weeks": len(weeks),
        "addresses": doc.get("addresses", []),
        "sessions_per_week": len(first),
        "lifts": list(lifts.items())[:10],
        "warmup": ", ".join(warm),
        "notes": doc.get("notes", [])[:4],
    }


def render_summary(doc: Summary, *, name: str | None = None) -> str:
    """The whole summary page (UTF-8 text); `name`: the person's name to show (default the
    athlete's name in the store)."""
    report = doc.report
    base = why_context(report)
    if name:
        base["athlete"] = name
    prog = doc.progress
    return (
        environment()
        .get_template("summary.html.j2")
        .render(
            **base,
            answers=doc.answers,
            answered_at=doc.answered_at.strftime("%d %b %Y") if doc.answered_at else None,
            regions=regions(report.charts.get("pain", [])),
            pain_links=[p for p in report.pain_links if p.n_with > 0 and p.n_without > 0],
            plan=plan_outline(doc.plan) if doc.plan else None,
            progress=prog,
            progress_chart=Markup(progress_chart(prog)) if prog else None,
            progress_pain=pain_sentence(prog) if prog else None,
            adherence=f"{prog.adherence:.0%}" if prog and prog.adherence is not None else None,
        )
    )


def write_summary(doc: Summary, path: Path) -> Path:
    """Write the summary page to `path`; returns it."""
    Path(path).write_text(render_summary(doc), encoding="utf-8")
    return path
