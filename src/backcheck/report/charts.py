"""The `why` report's charts as inline SVG strings: no script, no external file, no network.

Each function takes the plain chart data the analysis fills (`FactorResult.charts`, lists of
dicts; `WhyReport.charts["pain"]`) and returns one `<svg>` element with a visible title, axis
labels, a `<title>`/`<desc>` pair for screen readers and a `<title>` on every mark (a tooltip).
Colours: Okabe-Ito (safe for colour-blind readers), never colour alone (shapes and dashes
too); the pain scale runs light to dark. Empty data gives a short "no data yet" chart.
Text from the data is escaped here, so the strings can be inserted into a page as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from backcheck.analysis.balance import PUSH_PULL_FLAG
from backcheck.analysis.overexertion import REGION_WORDS
from backcheck.analysis.painlinks import PAIN_LEVEL
from backcheck.analysis.sleep import SHORT_NIGHT_H
from backcheck.analysis.warmup import SHARE_OK
from backcheck.report.svg import (
    BLUE,
    INK,
    MONTHS,
    ORANGE,
    PAIN_COLOURS,
    PURPLE,
    VERMILLION,
    Box,
    bars,
    e,
    empty,
    hline,
    legend,
    long,
    monday,
    num,
    scale_legend,
    svg,
    ticks,
    tri,
    x_axis,
    y_axis,
)

if TYPE_CHECKING:
    from backcheck.why import WhyReport

SLEEP_DAYS = 182  # nights shown at most (the last 26 weeks)
CALENDAR_DAYS = 371  # days shown at most in the pain calendar (53 weeks)
CHART_KEYS = ("pain_calendar", "weekly_volume", "push_pull", "warmup_share", "sleep")


def daily_pain(pain: Iterable[Mapping[str, Any]]) -> dict[date, tuple[int, str | None]]:
    """day -> (highest level that day 0-10, region of that entry)."""
    out: dict[date, tuple[int, str | None]] = {}
    for row in pain:
        if row.get("day") is None or row.get("level") is None:
            continue
        d, level = date.fromisoformat(str(row["day"])[:10]), int(row["level"])
        if d not in out or level > out[d][0]:
            out[d] = (level, row.get("region"))
    return out


def spike_words(spike: Mapping[str, Any]) -> str:
    """ "1.9x your 4-week average (grade B), mostly lat and upper-trapezius": one spike week
    (an overexertion `spikes` chart row: date, ratio, grade, regions)."""
    regions = [REGION_WORDS.get(str(r), str(r)) for r in spike.get("regions") or []]
    grade = f" (grade {spike['grade']})" if spike.get("grade") else ""
    mostly = f", mostly {' and '.join(regions)}" if regions else ""
    return f"{float(spike.get('ratio') or 0):.1f}x your 4-week average{grade}{mostly}"


def weekly_volume_svg(
    rows: Sequence[Mapping[str, Any]],
    spikes: Sequence[Mapping[str, Any]],
    *,
    key: str = "chart-weekly-volume",
) -> str:
    """Upper-back volume load (kg) per ISO week as bars; spike weeks (analysis.spikes: the
    `spike_weeks` of the report) in vermillion with a triangle above. Rows: week (Monday,
    ISO), region ("upper_back" used), volume_load (kg). Spikes: one per spike week, date (its
    Sunday), ratio, grade, regions."""
    title = "Upper-back volume per week"
    weeks = sorted(
        (date.fromisoformat(str(r["week"])[:10]), float(r["volume_load"] or 0))
        for r in rows
        if r.get("region") == "upper_back"
    )
    if not weeks:
        return empty(
            key, title=title, message="No upper-back training logged yet: import a workout log."
        )
    marked: dict[date, list[str]] = {}
    for s in spikes:
        marked.setdefault(monday(date.fromisoformat(str(s["date"])[:10])), []).append(
            spike_words(s)
        )
    box = Box()
    values = [v for _, v in weeks]
    axis, y = y_axis(
        box,
        ticks(max(values)),
        label="kg lifted (reps x kg)",
        fmt=lambda v: f"{v / 1000:g}k" if v >= 1000 else f"{v:g}",
    )
    hit = [w in marked for w, _ in weeks]
    titles = [
        f"Week of {long(w)}: {num(v)} kg"
        + (f"; sudden jump: {', '.join(marked[w])}" if w in marked else "")
        for w, v in weeks
    ]
    body, xs = bars(
        box,
        values,
        y,
        classes=["bar spike" if h else "bar" for h in hit],
        colours=[VERMILLION if h else BLUE for h in hit],
        titles=titles,
    )
    body += "".join(
        f'<path class="spike-marker" d="{tri(x, y(v) - 9)}" fill="{VERMILLION}"><title>{e(t)}</title></path>'
        for x, v, h, t in zip(xs, values, hit, titles, strict=True)
        if h
    )
    xa = x_axis(box, xs, [w for w, _ in weeks], label="week starting")
    top = max(weeks, key=lambda t: t[1])
    desc = (
        f"Upper-back volume load per week, {len(weeks)} weeks from {long(weeks[0][0])} to "
        f"{long(weeks[-1][0])}; highest {num(top[1])} kg in the week of {long(top[0])}. "
        + (
            "1 week with a sudden jump in load is marked with a triangle."
            if sum(hit) == 1
            else f"{sum(hit)} weeks with a sudden jump in load are marked with a triangle."
        )
    )
    lg = legend(
        [(f"bar:{BLUE}", "upper-back volume"), (f"tri:{VERMILLION}", "week with a sudden jump")],
        x=box.left,
    )
    return svg(key, title=title, desc=desc, body=axis + body + xa, box=box, legend=lg)


def push_pull_svg(
    rows: Sequence[Mapping[str, Any]], *, flag: float = PUSH_PULL_FLAG, key: str = "chart-push-pull"
) -> str:
    """Hard sets of horizontal pressing (circles) and pulling (squares) per week, and the flag
    line `flag` x pulling (dashed): pressing above it is more than `flag` to 1. Rows:
    week_start, week_end (ISO), push_sets, pull_sets."""
    title = "Pressing vs pulling: hard sets per week"
    weeks = sorted(
        (
            date.fromisoformat(str(r["week_end"])[:10]),
            float(r.get("push_sets") or 0),
            float(r.get("pull_sets") or 0),
        )
        for r in rows
    )
    if not weeks:
        return empty(
            key, title=title, message="No pressing or pulling logged yet: import a workout log."
        )
    box = Box()
    top = max(max(p, q * flag) for _, p, q in weeks)
    axis, y = y_axis(box, ticks(max(top, 5.0)), label="hard sets", fmt=lambda v: f"{v:g}")
    band = box.plot_w / len(weeks)
    xs = [box.left + band * (i + 0.5) for i in range(len(weeks))]

    def line(vals: list[float], colour: str, dash: str = "") -> str:
        pts = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, vals, strict=True))
        return f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'

    push, pull = [p for _, p, _ in weeks], [q for _, _, q in weeks]
    body = line([q * flag for q in pull], INK, ' stroke-dasharray="6 4" class="ref"')
    body += line(pull, BLUE) + line(push, VERMILLION)
    for x, (end, p, q) in zip(xs, weeks, strict=True):
        ratio = f"{p / q:.1f} to 1" if q else "no pulling"
        tip = f"Week ending {long(end)}: {num(p)} sets pressing, {num(q)} pulling ({ratio})"
        body += (
            f'<circle class="mark push" cx="{x:.1f}" cy="{y(p):.1f}" r="4.5" fill="{VERMILLION}"><title>{e(tip)}</title></circle>'
            f'<rect class="mark pull" x="{x - 4:.1f}" y="{y(q) - 4:.1f}" width="8" height="8" fill="{BLUE}"><title>{e(tip)}</title></rect>'
        )
    xa = x_axis(box, xs, [w[0] for w in weeks], label="week ending")
    over = sum(p > q * flag for _, p, q in weeks)
    desc = (
        f"Hard sets of horizontal pressing and pulling in {len(weeks)} weeks ending "
        f"{long(weeks[0][0])} to {long(weeks[-1][0])}. Pressing was more than {flag:g} to 1 "
        f"against pulling in {over} of them. The dashed line is {flag:g} times your pulling."
    )
    lg = legend(
        [
            (f"dot:{VERMILLION}", "pressing"),
            (f"square:{BLUE}", "pulling"),
            (f"line:{INK}:d", f"{flag:g} x pulling (flag line)"),
        ],
        x=box.left,
    )
    return svg(key, title=title, desc=desc, body=axis + body + xa, box=box, legend=lg)


def warmup_share_svg(
    rows: Sequence[Mapping[str, Any]], *, target: float = 1 - SHARE_OK, key: str = "chart-warmup"
) -> str:
    """Share of sessions (0-100%) with a warm-up before the first upper-body lift, per week,
    and the line at `target` (0-1; below it backcheck flags the warm-up). Rows: week (Monday,
    ISO), sessions, warmed_up, share (0-1)."""
    title = "Sessions with a warm-up, per week"
    weeks = sorted(
        (date.fromisoformat(str(r["week"])[:10]), int(r["sessions"]), int(r["warmed_up"]))
        for r in rows
        if r.get("sessions")
    )
    if not weeks:
        return empty(key, title=title, message="No upper-body sessions logged yet.")
    box = Box()
    axis, y = y_axis(box, [0, 25, 50, 75, 100], label="sessions warmed up", fmt=lambda v: f"{v:g}%")
    values = [100 * w / n for _, n, w in weeks]
    ok = [v >= 100 * target - 1e-9 for v in values]
    titles = [
        f"Week of {long(d)}: warm-up in {w} of {n} sessions ({round(100 * w / n)}%)"
        for d, n, w in weeks
    ]
    body, xs = bars(
        box,
        values,
        y,
        classes=["bar"] * len(values),
        colours=[BLUE if o else ORANGE for o in ok],
        titles=titles,
        min_h=1.5,
    )
    body += hline(box, y(100 * target), label=f"{100 * target:g}%")
    xa = x_axis(box, xs, [w[0] for w in weeks], label="week starting")
    total, warm = sum(n for _, n, _ in weeks), sum(w for _, _, w in weeks)
    desc = (
        f"Share of sessions with a warm-up in {len(weeks)} weeks from {long(weeks[0][0])} to "
        f"{long(weeks[-1][0])}: {warm} of {total} sessions in all. {sum(ok)} weeks reached "
        f"{100 * target:g}% (the dashed line)."
    )
    lg = legend(
        [
            (f"bar:{BLUE}", f"{100 * target:g}% or more"),
            (f"bar:{ORANGE}", f"under {100 * target:g}%"),
            (f"line:{INK}:d", f"{100 * target:g}% mark"),
        ],
        x=box.left,
    )
    return svg(key, title=title, desc=desc, body=axis + body + xa, box=box, legend=lg)


def sleep_svg(
    nights: Sequence[Mapping[str, Any]],
    pain: Sequence[Mapping[str, Any]],
    *,
    short_h: float = SHORT_NIGHT_H,
    days: int = SLEEP_DAYS,
    key: str = "chart-sleep",
) -> str:
    """Hours slept per night (bars, the night ending on the morning of `day`), the `short_h`
    line, and a dot above each day with pain (level >= 3) in the pain diary, coloured by
    level. Shows the last `days` calendar days up to the last logged night. Nights: day (ISO),
    hours; pain: day, level 0-10, region."""
    title = "Sleep per night and pain days"
    hours = {
        date.fromisoformat(str(r["day"])[:10]): float(r["hours"])
        for r in nights
        if r.get("hours") is not None
    }
    if not hours:
        return empty(key, title=title, message="No sleep logged yet: import a recovery log.")
    end = max(hours)
    start = max(min(hours), end - timedelta(days=days - 1))
    span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    box = Box(height=330, top=96)
    axis, y = y_axis(
        box,
        ticks(max(10.0, *hours.values()), n=5),
        label="hours of sleep",
        fmt=lambda v: f"{v:g} h",
    )
    band = box.plot_w / len(span)
    w = min(max(band * 0.72, 1.0), 48.0)
    body = []
    for i, d in enumerate(span):
        if d not in hours:
            continue
        h, cx = hours[d], box.left + band * (i + 0.5)
        colour = VERMILLION if h < short_h else BLUE
        body.append(
            f'<rect class="bar night" x="{cx - w / 2:.1f}" y="{y(h):.1f}" width="{w:.1f}" '
            f'height="{box.base - y(h):.1f}" fill="{colour}"><title>Night to {e(long(d))}: '
            f"{h:g} h</title></rect>"
        )
    levels = daily_pain(pain)
    sore = [
        (i, d, levels[d]) for i, d in enumerate(span) if d in levels and levels[d][0] >= PAIN_LEVEL
    ]
    strip = box.top - 20
    size = min(5.0, max(band * 0.5, 2.5))
    for i, d, (level, region) in sore:
        cx, where = box.left + band * (i + 0.5), f" ({region})" if region else ""
        body.insert(
            0,
            f'<rect class="pain-band" x="{cx - band / 2:.1f}" y="{strip:.1f}" width="{band:.1f}" '
            f'height="{box.base - strip:.1f}" fill="{PURPLE}" fill-opacity="0.13"/>',
        )
        body.append(
            f'<path class="mark pain" d="{tri(cx, strip, size)}" fill="{PURPLE}">'
            f"<title>{e(long(d))}: pain {level}{e(where)}</title></path>"
        )
    body.append(f'<text x="{box.left - 6}" y="{strip + 4}" text-anchor="end">pain</text>')
    body.append(hline(box, y(short_h), label=f"{short_h:g} h"))
    xs = [box.left + band * (i + 0.5) for i in range(len(span))]
    xa = x_axis(box, xs, span, label="morning after the night", most=7)
    n_short = sum(h < short_h for d, h in hours.items() if d >= start)
    desc = (
        f"Hours slept on {sum(d >= start for d in hours)} logged nights from {long(start)} to "
        f"{long(end)}; {n_short} were under {short_h:g} hours (the dashed line). Dots mark the "
        f"{len(sore)} days with pain of level {PAIN_LEVEL} or more in your diary."
    )
    lg = legend(
        [
            (f"bar:{BLUE}", f"{short_h:g} h or more"),
            (f"bar:{VERMILLION}", f"under {short_h:g} h"),
            (f"tri:{PURPLE}", f"day with pain (level {PAIN_LEVEL}+)"),
        ],
        x=box.left,
    )
    return svg(key, title=title, desc=desc, body=axis + "".join(body) + xa, box=box, legend=lg)


def pain_calendar_svg(
    pain: Sequence[Mapping[str, Any]],
    *,
    as_of: date | None = None,
    days: int = CALENDAR_DAYS,
    key: str = "chart-pain-calendar",
) -> str:
    """A calendar of the pain diary: one square per day from the first entry (at most `days`
    days back) to `as_of` (default: the last entry), a column per week (Monday on top),
    coloured by the day's highest level 0-10; days without an entry stay blank (unknown, not
    pain-free). Rows: day (ISO), level 0-10, region."""
    title = "Pain diary calendar"
    levels = daily_pain(pain)
    if not levels:
        return empty(
            key,
            title=title,
            message="No pain diary yet: log pain and pain-free days to see them here.",
        )
    end = max(levels) if as_of is None else max(as_of, *levels)
    start = max(min(levels), end - timedelta(days=days - 1))
    if max(levels) < start:
        return empty(
            key,
            title=title,
            message=f"No pain diary entry in the {days} days up to {long(end)} "
            f"(the last one is from {long(max(levels))}).",
        )
    first = monday(start)
    cols = (end - first).days // 7 + 1
    cell, pitch, left, top = 13, 16, 40, 90  # room for the two-row legend
    box = Box(width=max(left + cols * pitch + 12, 560), height=top + 7 * pitch + 16, left=left)
    out = []
    d, last_col = start, -9
    while d <= end:
        col, row = (d - first).days // 7, d.weekday()
        x, yy = left + col * pitch, top + row * pitch
        if (d.day == 1 or d == start) and col - last_col >= 3:
            out.append(f'<text x="{x}" y="{top - 6}">{MONTHS[d.month - 1]}</text>')
            last_col = col
        if d in levels:
            level, region = levels[d]
            word = "pain-free" if level == 0 else f"pain {level}"
            tip = f"{long(d)}: {word}" + (f" ({region})" if region else "")
            fill, cls = PAIN_COLOURS[min(max(level, 0), 10)], f"day level-{level}"
            stroke = "#9bb3c7" if level == 0 else "none"
        else:
            tip, fill, cls, stroke = f"{long(d)}: no entry", "#ffffff", "day unknown", "#c8c8c8"
        out.append(
            f'<rect class="{cls}" x="{x}" y="{yy}" width="{cell}" height="{cell}" rx="2" '
            f'fill="{fill}" stroke="{stroke}"><title>{e(tip)}</title></rect>'
        )
        d += timedelta(days=1)
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        out.append(
            f'<text x="{left - 6}" y="{top + row * pitch + 10}" text-anchor="end" font-size="10">'
            f"{name}</text>"
        )
    shown = {k: v for k, v in levels.items() if start <= k <= end}
    n_pain = sum(v[0] >= PAIN_LEVEL for v in shown.values())
    desc = (
        f"Pain diary from {long(start)} to {long(end)}: {len(shown)} of "
        f"{(end - start).days + 1} days logged, {n_pain} with pain of level {PAIN_LEVEL} or more, "
        f"highest level {max(v[0] for v in shown.values())}. Days without an entry are blank."
    )
    lg = scale_legend(PAIN_COLOURS, x=left, blank="no entry", low="pain-free 0", high="10 worst")
    return svg(key, title=title, desc=desc, body="".join(out), box=box, legend=lg, wide=False)


def chart_svgs(report: WhyReport, *, prefix: str = "chart") -> dict[str, str]:
    """Every chart of `report` as an SVG string, keyed by CHART_KEYS (empty-data charts too).
    `prefix` starts every element id (two reports on one page need two prefixes)."""
    by_cause = {c.cause: c.charts for c in report.causes}
    over, rec = by_cause.get("overexertion", {}), by_cause.get("recovery", {})
    pain = report.charts.get("pain", [])
    return {
        "pain_calendar": pain_calendar_svg(pain, as_of=report.as_of, key=f"{prefix}-pain-calendar"),
        "weekly_volume": weekly_volume_svg(
            over.get("weekly_volume", []), over.get("spikes", []), key=f"{prefix}-weekly-volume"
        ),
        "push_pull": push_pull_svg(
            by_cause.get("imbalance", {}).get("weekly_push_pull", []), key=f"{prefix}-push-pull"
        ),
        "warmup_share": warmup_share_svg(
            by_cause.get("warmup", {}).get("weekly_warmup_share", []), key=f"{prefix}-warmup"
        ),
        "sleep": sleep_svg(rec.get("sleep", []), pain, key=f"{prefix}-sleep"),
    }
