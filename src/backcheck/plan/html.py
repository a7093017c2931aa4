"""The plan as one printable, self-contained HTML page (Jinja2, autoescaped, inline CSS).

Each week starts on a new printed page; nothing is loaded from elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from backcheck.plan.markdown import CAUSE_WORDS
from backcheck.plan.model import Plan
from backcheck.plan.text import block_text, load_text, recovery_text, week_title

TEMPLATE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>backcheck plan: {{ plan.athlete }}</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #333; }
h3 { margin: 1.2rem 0 .3rem; font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { white-space: nowrap; }
.meta { color: #555; } .note { color: #444; font-size: .9em; }
.withheld { border: 3px solid #b00; padding: 1rem; background: #fff4f4; }
.notes li { margin: .2rem 0; } ul.warm { margin: .2rem 0 .4rem; }
.week { page-break-before: always; break-before: page; }
.week:first-of-type { page-break-before: auto; break-before: auto; }
.session { break-inside: avoid; page-break-inside: avoid; }
@media print { body { margin: 0; font-size: 11pt; } a { color: inherit; } }
</style>
</head>
<body>
<h1>Corrective plan: {{ plan.athlete }}</h1>
{% if plan.withheld %}
<div class="withheld"><strong>Plan withheld.</strong><p>{{ plan.withheld }}</p>
<ul>{% for n in plan.notes %}<li>{{ n }}</li>{% endfor %}</ul></div>
{% else %}
<p class="meta">Starts {{ plan.start }} &middot; {{ plan.weeks|length }} weeks &middot; data as of
{{ plan.as_of }} &middot; addresses: {{ targets }}</p>
<ul class="notes">{% for n in plan.notes %}<li>{{ n }}</li>{% endfor %}</ul>
{% for week in weeks %}
<section class="week">
<h2>{{ week.title }}</h2>
<p>Rest days: {{ week.rest }}.{% if week.sleep %} {{ week.sleep }} every night.{% endif %}
{% if week.recovery %}<br>Recovery: {{ week.recovery }}.{% endif %}</p>
{% for s in week.sessions %}
<div class="session">
<h3>{{ s.date.strftime("%a") }} {{ s.date }}: {{ s.focus }}</h3>
<strong>Warm-up</strong>
<ul class="warm">{% for w in s.warmup %}<li>{{ block(w) }}</li>{% endfor %}</ul>
<table>
<tr><th>Exercise</th><th>Sets x reps</th><th>Load</th><th>Note</th></tr>
{% for e in s.exercises %}<tr><td>{{ e.name }}</td><td class="num">{{ e.sets }} x {{ e.reps }}</td>
<td class="num">{{ load(e) }}</td><td class="note">{{ e.note or "" }}</td></tr>
{% endfor %}</table>
{% if s.cooldown %}<strong>Cool-down</strong>
<ul class="warm">{% for c in s.cooldown %}<li>{{ block(c) }}</li>{% endfor %}</ul>{% endif %}
</div>
{% endfor %}
</section>
{% endfor %}
{% endif %}
<p class="note">backcheck is not a diagnosis. If pain persists or gets worse, see a professional.</p>
</body>
</html>
"""


def to_html(plan: Plan) -> str:
    """The whole plan as one HTML page."""
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(TEMPLATE)
    weeks = []
    for i, week in enumerate(plan.weeks):
        sleep = [r for r in week.recovery if r.kind == "sleep"]
        extra = [r for r in week.recovery if r.kind != "sleep"]
        weeks.append(
            {
                "title": week_title(plan, i),
                "rest": ", ".join(f"{d:%a} {d}" for d in week.rest_days),
                "sleep": recovery_text(sleep[0]).capitalize() if sleep else "",
                "recovery": "; ".join(f"{r.date:%a} {recovery_text(r)}" for r in extra),
                "sessions": week.sessions,
            }
        )
    targets = ", ".join(CAUSE_WORDS.get(c, c) for c in plan.addresses) or "none in particular"
    return template.render(
        plan=plan, weeks=weeks, targets=targets, block=block_text, load=load_text
    )


def write_html(plan: Plan, path: str | Path) -> Path:
    """Write the HTML file; returns its path."""
    out = Path(path)
    out.write_text(to_html(plan), encoding="utf-8")
    return out
