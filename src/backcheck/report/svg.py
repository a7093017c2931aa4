"""Generic inline-SVG building blocks for the report's charts: layout box, escaping, date and
number labels, round axis ticks, axes, bars, reference lines, legends and the accessible `<svg>`
wrapper. No chart knows about the analysis here; the charts themselves live in report.charts.

Units: SVG user units (px at 100% zoom) for every x, y, width and height. Colours are Okabe-Ito
(safe for colour-blind readers) plus a light-to-dark pain scale for levels 0-10. Every piece of
text passed in is escaped here, so the returned strings can be inserted into a page as they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

BLUE, VERMILLION, ORANGE, INK, GRID = "#0072B2", "#D55E00", "#E69F00", "#222222", "#d9d9d9"
PURPLE = "#882255"  # pain days (Tol's muted palette: dark wine, clear against blue and orange)
#: Pain level 0-10: 0 (pain-free) pale blue, then ColorBrewer YlOrRd, light to dark.
PAIN_COLOURS = (
    "#d6e6f2",
    "#ffffcc",
    "#ffeda0",
    "#fed976",
    "#feb24c",
    "#fd8d3c",
    "#fc4e2a",
    "#e31a1c",
    "#bd0026",
    "#800026",
    "#4d0019",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Box:
    """Chart layout in SVG user units: the plot area sits inside the margins."""

    width: int = 640
    height: int = 300
    left: int = 62
    right: int = 40
    top: int = 62
    bottom: int = 50

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def base(self) -> float:
        """y of the x axis."""
        return self.height - self.bottom


def e(text: object) -> str:
    """`text` escaped for SVG/HTML text and attribute values."""
    return escape(str(text), quote=True)


def short(d: date) -> str:
    """ "27 Jul"."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def long(d: date) -> str:
    """ "27 Jul 2026"."""
    return f"{short(d)} {d.year}"


def num(value: float) -> str:
    """ "20,462", "6.7", "0"."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{round(value, 1):g}"


def ticks(top: float, n: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least `top` (about `n` steps)."""
    raw = max(top, 1e-9) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.999)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def svg(
    key: str, *, title: str, desc: str, body: str, box: Box, legend: str = "", wide: bool = True
) -> str:
    """One accessible <svg>: role img, labelled by its <title> and <desc>, visible title.
    `wide` charts may stretch to the page width (class "wide"); others keep their size."""
    t, d = f"{key}-title", f"{key}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg{" wide" if wide else ""}" id="{e(key)}" '
        f'viewBox="0 0 {box.width} {box.height}" width="{box.width}" height="{box.height}" '
        f'role="img" aria-labelledby="{e(t)} {e(d)}" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{INK}"><title id="{e(t)}">{e(title)}</title>'
        f'<desc id="{e(d)}">{e(desc)}</desc>'
        f'<text x="{box.left}" y="20" font-size="15" font-weight="bold">{e(title)}</text>'
        f"{legend}{body}</svg>"
    )


def empty(key: str, *, title: str, message: str) -> str:
    """A chart with no marks: the title and a short "no data yet" message."""
    box = Box(height=110)
    body = (
        f'<text class="empty" x="{box.left}" y="64" font-size="13" fill="#444">{e(message)}</text>'
    )
    return svg(key, title=title, desc=message, body=body, box=box)


def legend(items: Sequence[tuple[str, str]], *, x: float, y: float = 40) -> str:
    """Legend row: (swatch kind, label); kinds: "bar:<colour>", "line:<colour>[:dash]",
    "dot:<colour>", "square:<colour>", "tri:<colour>"."""
    out, cx = [], x
    for kind, label in items:
        shape, colour, *dash = kind.split(":")
        if shape == "bar":
            mark = f'<rect x="{cx}" y="{y - 9}" width="12" height="10" fill="{colour}"/>'
        elif shape == "line":
            da = ' stroke-dasharray="5 3"' if dash else ""
            mark = f'<line x1="{cx}" x2="{cx + 14}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" stroke-width="2"{da}/>'
        elif shape == "tri":
            mark = f'<path d="{tri(cx + 6, y - 4)}" fill="{colour}"/>'
        elif shape == "square":
            mark = f'<rect x="{cx + 2}" y="{y - 8}" width="8" height="8" fill="{colour}"/>'
        else:
            mark = f'<circle cx="{cx + 6}" cy="{y - 4}" r="4.5" fill="{colour}" stroke="{INK}" stroke-width="0.8"/>'
        out.append(f'{mark}<text x="{cx + 18}" y="{y}">{e(label)}</text>')
        cx += 32 + 7.0 * len(label)
    return f'<g class="legend">{"".join(out)}</g>'


def scale_legend(
    colours: Sequence[str], *, x: float, blank: str, low: str, high: str, y: float = 44
) -> str:
    """Legend for a colour scale in two short rows, so it fits a phone's width (about 300
    units from `x`): `blank` and an empty swatch (no value) on the first, then `low`, one
    swatch per colour from low to high, and `high` on the second (y + 18). Fixed offsets
    from `x` suit short labels (`blank` up to ~8 characters, `low` up to ~11)."""
    y2 = y + 18
    swatches = [f'<text x="{x}" y="{y}">{e(blank)}</text>']
    swatches.append(
        f'<rect x="{x + 52}" y="{y - 10}" width="12" height="12" rx="2" fill="#fff" stroke="#c8c8c8"/>'
    )
    swatches.append(f'<text x="{x}" y="{y2}">{e(low)}</text>')
    for i, colour in enumerate(colours):
        swatches.append(
            f'<rect x="{x + 76 + i * 13}" y="{y2 - 10}" width="11" height="12" rx="2" fill="{colour}"/>'
        )
    swatches.append(f'<text x="{x + 76 + len(colours) * 13 + 4}" y="{y2}">{e(high)}</text>')
    return f'<g class="legend">{"".join(swatches)}</g>'


def tri(x: float, y: float, size: float = 6) -> str:
    """Path of a triangle pointing down, centred on (x, y)."""
    return f"M{x - size:.1f},{y - size * 0.8:.1f}H{x + size:.1f}L{x:.1f},{y + size * 0.8:.1f}Z"


def y_axis(
    box: Box, marks: list[float], *, label: str, fmt: Callable[[float], str]
) -> tuple[str, Callable[[float], float]]:
    """Grid lines, tick labels and the rotated axis label; returns (svg, value -> y)."""
    top = marks[-1] or 1.0
    span = box.base - box.top

    def y(v: float) -> float:
        return box.base - span * max(v, 0.0) / top

    out = [
        f'<line x1="{box.left}" x2="{box.width - box.right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
        f'stroke="{GRID}"/><text x="{box.left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
        f"{e(fmt(v))}</text>"
        for v in marks
    ]
    mid = (box.top + box.base) / 2
    out.append(
        f'<text x="14" y="{mid:.1f}" text-anchor="middle" transform="rotate(-90 14 {mid:.1f})">'
        f"{e(label)}</text>"
    )
    return f'<g class="y-axis">{"".join(out)}</g>', y


def x_axis(
    box: Box, xs: Sequence[float], days: Sequence[date], *, label: str, most: int = 8
) -> str:
    """Baseline, a date label under every k-th position (at most `most`), the axis label."""
    k = max(1, math.ceil(len(xs) / most))
    out = [
        f'<line x1="{box.left}" x2="{box.width - box.right}" y1="{box.base}" y2="{box.base}" stroke="{INK}"/>'
    ]
    out += [
        f'<text x="{x:.1f}" y="{box.base + 16}" text-anchor="middle">{short(d)}</text>'
        for i, (x, d) in enumerate(zip(xs, days, strict=True))
        if i % k == 0
    ]
    out.append(
        f'<text x="{box.left + box.plot_w / 2:.1f}" y="{box.height - 8}" text-anchor="middle">'
        f"{e(label)}</text>"
    )
    return f'<g class="x-axis">{"".join(out)}</g>'


def bars(
    box: Box,
    values: Sequence[float],
    y: Callable[[float], float],
    *,
    classes: Sequence[str],
    colours: Sequence[str],
    titles: Sequence[str],
    min_h: float = 0.0,
) -> tuple[str, list[float]]:
    """One bar per value in equal bands; returns (svg, band centres)."""
    band = box.plot_w / max(len(values), 1)
    out, centres = [], []
    for i, v in enumerate(values):
        cx = box.left + band * (i + 0.5)
        h = max(box.base - y(v), min_h)
        w = min(max(band * 0.72, 1.0), 48.0)
        out.append(
            f'<rect class="{classes[i]}" x="{cx - w / 2:.1f}" y="{box.base - h:.1f}" '
            f'width="{w:.1f}" height="{h:.1f}" fill="{colours[i]}"><title>{e(titles[i])}</title></rect>'
        )
        centres.append(cx)
    return "".join(out), centres


def hline(box: Box, yv: float, *, colour: str = INK, label: str = "") -> str:
    """A dashed reference line across the plot, labelled at its right end."""
    text = (
        f'<text x="{box.width - box.right + 4}" y="{yv + 4:.1f}" font-size="11">{e(label)}</text>'
        if label
        else ""
    )
    return (
        f'<line class="ref" x1="{box.left}" x2="{box.width - box.right}" y1="{yv:.1f}" '
        f'y2="{yv:.1f}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>{text}'
    )


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())
