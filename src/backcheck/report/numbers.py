"""Numbers as every report shows them (terminal, HTML, web): rounded, with their unit."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """A count with its word, singular for one: '1 rep', '3 reps', '1 day', '0 days'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def fmt_number(value: float | None, unit: str = "") -> str:
    """A value as the report shows it: "72.4%", "2.54x", "20,462 kg", "3 days/week", "-".

    Float noise is rounded away: a sum that should be 0 (-9.1e-13) shows as "0".
    """
    if value is None:
        return "\u2013"
    v = float(value)
    v = round(v, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"
    if unit == "%":
        return f"{text}%"
    if unit == "ratio":
        return f"{text}\u00d7"
    return f"{text} {unit}".strip()
