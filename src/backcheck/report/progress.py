"""The progress report (backcheck.progress) in the terminal and as a self-contained HTML page.

The page has one chart: planned and done sessions per plan week (bars) with the share of pain
days (a line, diary days only), drawn as inline SVG like the `why` report's charts.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from markupsafe import Markup
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backcheck.progress import ProgressReport
from backcheck.report.html import environment
from backcheck.report.numbers import plural
from backcheck.report.terminal import DISCLAIMER, flags_panel
from backcheck.textsafe import literal


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def pain_sentence(report: ProgressReport) -> str:
    """The pain before and since in one plain sentence (counts and shares match the JSON)."""
    p = report.pain
    b, s = p.before, p.since
    if not b.diary_days or not s.diary_days:
        return (
            f"Pain diary: {plural(b.diary_days, 'day')} logged in the 4 weeks before the plan, "
            f"{s.diary_days} since it started; both are needed to compare."
        )
    text = (
        f"Pain days: {b.pain_days} of {b.diary_days} diary days ({_pct(b.share)}) in the 4 weeks "
        f"before the plan, {s.pain_days} of {s.diary_days} ({_pct(s.share)}) since it started"
    )
    if p.change is not None and p.ci95 is not None:
        lo, hi = p.ci95
        text += (
            f": a change of {p.change * 100:+.0f} percentage points "
            f"(95% interval {lo * 100:+.0f} to {hi * 100:+.0f})"
        )
    if b.mean_level is not None and s.mean_level is not None:
        text += f"; mean level {b.mean_level:.1f} before, {s.mean_level:.1f} since"
    return text + "."


def render_progress(report: ProgressReport, console: Console) -> None:
    """Print the report: red flags first, then adherence, the weeks, pain and the flags."""
    console.print(literal(f"backcheck progress - {report.athlete}, as of {report.as_of}", "bold"))
    if report.red_flags.level != "none":
        console.print(flags_panel(report.red_flags))
    for flag in report.flags:
        console.print(Panel(literal(flag), title="Please note", border_style="red"))
    plan = report.plan
    console.print(
        Text(
            f"Plan from {plan['start']} ({plan['weeks']} weeks; addresses: "
            f"{', '.join(plan['addresses']) or 'general care'}). Sessions done: "
            f"{_pct(report.adherence)} of those planned so far.",
        )
    )
    table = Table(
        title="Week by week",
        title_justify="left",
        caption="sessions and sets: done/planned; warm: upper-body sessions warmed up; rest: "
        "days without training; sleep: mean hours; pain: pain days/diary days",
        caption_justify="left",
    )
    for name in ("week", "sessions", "warm", "sets", "pull:push", "rest", "sleep", "pain"):
        table.add_column(name, justify="right" if name != "week" else "left", no_wrap=True)
    for w in report.weeks:
        table.add_row(
            f"{w.week} {w.start:%d %b}",
            f"{w.done_sessions}/{w.planned_sessions}",
            f"{w.warmed_up_sessions}/{w.upper_body_sessions}",
            f"{w.done_sets}/{w.planned_sets}",
            "-" if w.pull_push_ratio is None else f"{w.pull_push_ratio:.2f}",
            str(w.rest_days),
            "-" if w.sleep_hours is None else f"{w.sleep_hours:.1f}",
            f"{w.pain_days}/{w.diary_days}",
        )
    console.print(table)
    console.print(Text(pain_sentence(report)))
    for note in report.notes:
        console.print(literal(note, "dim"))
    console.print(Text(DISCLAIMER, style="dim italic"))


def chart_svg(report: ProgressReport) -> str:
    """Planned and done sessions per week (bars) and the share of pain days (line)."""
    weeks = report.weeks
    if not weeks:
        return '<p class="empty">The plan has not started yet.</p>'
    width, height, left, top, bottom = 640, 220, 40, 18, 30
    band = (width - left - 40) / len(weeks)
    top_sessions = max(1, *(max(w.planned_sessions, w.done_sessions) for w in weeks))
    inner = height - top - bottom

    def y(frac: float) -> float:
        return top + inner * (1 - frac)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="progress-title progress-desc" class="chart" id="chart-progress">',
        '<title id="progress-title">Planned and done sessions, and pain days, per week</title>',
        '<desc id="progress-desc">'
        + escape(
            "; ".join(
                f"week {w.week}: {w.done_sessions} of {w.planned_sessions} sessions, "
                f"{w.pain_days} pain days of {w.diary_days} logged"
                for w in weeks
            )
        )
        + "</desc>",
    ]
    points = []
    for i, w in enumerate(weeks):
        x = left + i * band
        bw = band * 0.35
        for j, (n, cls) in enumerate(((w.planned_sessions, "planned"), (w.done_sessions, "done"))):
            h = inner * n / top_sessions
            fill = "#b8c7d6" if cls == "planned" else "#2b6cb0"
            parts.append(
                f'<rect class="{cls}" x="{x + band * 0.12 + j * bw:.1f}" y="{top + inner - h:.1f}" '
                f'width="{bw:.1f}" height="{h:.1f}" fill="{fill}"><title>week {w.week}: {n} '
                f"{cls}</title></rect>"
            )
        parts.append(
            f'<text x="{x + band / 2:.1f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="11">wk {w.week}</text>'
        )
        if w.diary_days:
            points.append((x + band / 2, y(w.pain_days / w.diary_days)))
    if points:
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{px:.1f},{py:.1f}" for k, (px, py) in enumerate(points)
        )
        parts.append(
            f'<path class="pain" d="{path}" fill="none" stroke="#c53030" stroke-width="2"/>'
        )
        parts.extend(
            f'<circle class="pain" cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#c53030"/>'
            for px, py in points
        )
    parts.append(
        f'<text x="{left}" y="{top - 4}" font-size="11">bars: sessions planned (light) and done '
        "(dark); red line: share of diary days with pain</text>"
    )
    right = width - 4
    for frac, left_label, right_label in ((1.0, str(top_sessions), "100%"), (0.0, "0", "0%")):
        parts.append(
            f'<text x="{left - 6}" y="{y(frac) + 4:.1f}" text-anchor="end" font-size="10">'
            f'{left_label}</text><text x="{right}" y="{y(frac) + 4:.1f}" text-anchor="end" '
            f'font-size="10" fill="#c53030">{right_label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def progress_html(report: ProgressReport) -> str:
    """The whole page as a string (self-contained: no script, no external file); the layout is
    report/templates/progress.html.j2, text escaped by the template."""
    rows = [
        (
            f"{w.week} ({w.start:%d %b})",
            f"{w.done_sessions} / {w.planned_sessions}",
            str(w.warmed_up_sessions),
            f"{w.done_sets} / {w.planned_sets}",
            "-" if w.pull_push_ratio is None else f"{w.pull_push_ratio:.2f}",
            str(w.rest_days),
            "-" if w.sleep_hours is None else f"{w.sleep_hours:.1f}",
            f"{w.pain_days} / {w.diary_days}",
        )
        for w in report.weeks
    ]
    rf = report.red_flags
    return (
        environment()
        .get_template("progress.html.j2")
        .render(
            athlete=report.athlete,
            as_of=report.as_of.isoformat(),
            start=str(report.plan["start"]),
            adherence=_pct(report.adherence),
            red_flags=[*rf.actions, *rf.reasons] if rf.found else [],
            flags=report.flags,
            chart=Markup(chart_svg(report)),
            rows=rows,
            pain=pain_sentence(report),
            notes=report.notes,
            disclaimer=DISCLAIMER,
        )
    )


def write_progress_html(report: ProgressReport, path: Path) -> Path:
    """Write the page to `path`; returns it."""
    path.write_text(progress_html(report), encoding="utf-8")
    return path
