"""Last-resort readings of a logged name that no catalog label claims (loader step 4).

People log names the catalog has never seen: a brand or colour ("Selector Chest Supported
Row Machine"), a typo ("Tricept Extentions"), a nickname before the movement ("Pinwheel Curl",
"Sternum Pull Up (Gironda)"). Two steps, tried only after every exact step failed:

1. `repair`: each movement word the catalog's labels never use is replaced by the one
   catalog word it is a typo of (same first letter, similarity >= TYPO_CUTOFF, words of 5+
   letters), else dropped: "selector chest supported row" -> "chest supported row".
2. `parts`: shorter runs of the words, leading words dropped first (English puts the
   movement last: "cross body hammer curl" -> "hammer curl"), then trailing ones. A word of
   ANCHORS is never dropped: it names the muscle or the direction, and without it the name
   means another movement ("triceps press" is not a press, "reverse crunch" keeps "reverse",
   "lateral leg raise" is no leg raise).

Pure functions over token tuples (names.parse's movement part); the vocabulary is passed in.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Final

#: Words that change the movement or the muscle: never dropped by `parts`.
ANCHORS: Final = frozenset(
    {
        "triceps",
        "reverse",
        "rear",
        "leg",
        "calf",
        "wrist",
        "neck",
        "hip",
        "glute",
        "hamstring",
        "lateral",
        "front",
        "upright",
        "straight",
        "face",
        "side",
        "ab",
    }
)
#: Step 5, the last: a name that names a muscle but no movement ("Seated Triceps", "Single Arm
#: Tricep Rope") is read as that muscle's usual single-joint exercise, so it counts as the
#: isolation work it almost always is (never a press or a pull).
MUSCLE_DEFAULTS: Final = {
    "triceps": ("triceps", "extension"),
    "biceps": ("curl",),
    "bicep": ("curl",),
    "calf": ("calf", "raise"),
    "calves": ("calf", "raise"),
    "forearm": ("wrist", "curl"),
    "forearms": ("wrist", "curl"),
}
#: difflib ratio at or above which an unknown word is read as a catalog word.
TYPO_CUTOFF: Final = 0.84
_MIN_TYPO_LEN: Final = 5


def repair(movement: tuple[str, ...], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """`movement` with every word outside `vocabulary` replaced by its closest catalog word
    (a typo) or dropped (a brand, a colour, a nickname)."""
    out: list[str] = []
    for word in movement:
        if word in vocabulary:
            out.append(word)
        elif len(word) >= _MIN_TYPO_LEN:
            # a typo keeps the first letter ("liegend" is no "fliegende")
            same_start = [v for v in vocabulary if v[:1] == word[:1]]
            close = difflib.get_close_matches(word, same_start, n=1, cutoff=TYPO_CUTOFF)
            if close:
                out.append(close[0])
    return tuple(out)


def parts(movement: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Shorter runs of `movement`, longest first: leading words dropped, then trailing ones;
    never a run that drops a word of ANCHORS."""
    n = len(movement)
    for size in range(n - 1, 0, -1):
        for start in range(n - size, -1, -1):  # the run that ends last first
            dropped = movement[:start] + movement[start + size :]
            if not ANCHORS.intersection(dropped):
                yield movement[start : start + size]


def muscle_default(movement: tuple[str, ...]) -> tuple[str, ...] | None:
    """The usual single-joint movement of the one muscle `movement` names (MUSCLE_DEFAULTS),
    or None when it names no such muscle or names two."""
    found = {MUSCLE_DEFAULTS[w] for w in movement if w in MUSCLE_DEFAULTS}
    return found.pop() if len(found) == 1 else None
