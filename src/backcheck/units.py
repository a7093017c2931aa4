"""Does a log read as kg look like pounds? The import hint, printed only when it does.

An export that does not say its unit is read as kg. Logs kept in pounds give themselves
away by their loads: nearly every load is a whole multiple of 5 (lb plates, 5-lb dumbbell
steps), and barbell loads are the bar (45 lb) plus pairs of plates, so many end in 5 (95,
135, 185, 225, 315). Logs kept in kg have many loads off the 5 grid (62.5, 22.5, 12, 14,
47, 77: 1.25/2.5-kg plates and 1-2-kg dumbbell steps). Calibrated on the real exports in
tests/data: a FitNotes log kept in lb has 95% of its loads on the 5 grid and 34% of those of
45 or more ending in 5; a Strong log kept in kg 76% and 32%, another 45%.
"""

from __future__ import annotations

import polars as pl

from backcheck.model import ParsedFile

#: Fewer loads than this say nothing either way.
MIN_LOADS = 10
#: Pounds when at least this share of the loads is a whole multiple of 5 ...
SHARE_MULTIPLE_OF_5 = 0.9
#: ... and at least this share of the loads of 45 or more ends in 5 (45 + 10 n).
SHARE_ENDING_IN_5 = 0.25

#: What importers say when they assumed kg (their note is replaced by `unit_notes`).
ASSUMED_KG = "read as kg"


def looks_like_pounds(weights: pl.Series) -> bool:
    """True when `weights` (numbers as logged, read as kg; nulls and zeros ignored) look like
    a log kept in pounds (see the module docstring; thresholds MIN_LOADS, SHARE_*)."""
    w = weights.drop_nulls().drop_nans().filter(weights.drop_nulls().drop_nans() > 0)
    if w.len() < MIN_LOADS:
        return False
    multiple_of_5 = ((w / 5 - (w / 5).round(0)).abs() < 1e-6).sum() / w.len()
    heavy = w.filter(w >= 45)
    ending_in_5 = ((heavy % 10 - 5).abs() < 1e-6).sum() / heavy.len() if heavy.len() else 0.0
    return multiple_of_5 >= SHARE_MULTIPLE_OF_5 and ending_in_5 >= SHARE_ENDING_IN_5


def unit_notes(parsed: ParsedFile) -> list[str]:
    """`parsed.notes` (read without --unit) with the importer's "read as kg" note dropped,
    and the pounds hint added only when the weights look like pounds."""
    assumed = [n for n in parsed.notes if ASSUMED_KG in n]
    notes = [n for n in parsed.notes if ASSUMED_KG not in n]
    if assumed and parsed.sets.height and looks_like_pounds(parsed.sets["weight_kg"]):
        notes.append(
            "weights read as kg, but they look like pounds (nearly all loads are whole "
            "multiples of 5, many like 135 or 225): if they are, import the same file again "
            "in lb (--unit lb; on the web, Options, Weights in lb); that re-reads this "
            "import's sets in pounds and adds no second copy"
        )
    return notes
