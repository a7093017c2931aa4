"""Exercise-name normalisation: many apps' spellings of one movement reach one form.

`normalize("Flat Barbell Bench Press")`, `normalize("Bench Press (Barbell)")` and
`normalize("BB bench press")` are all `"bench press (barbell)"`: the movement words in their
logged order, then the equipment words, sorted, in parentheses. The steps, in order:

1. Unicode NFKC, case-folding, accents dropped (`Bankdrücken` = `bankdrucken`), apostrophes
   dropped (`Farmer's` = `farmers`), `w/` = `with`, `&` = `and`; every other punctuation mark,
   hyphen, underscore and bracket becomes a space (`Pull-Up`, `pull_up` = `pull up`).
2. Plural words become singular (`Pull Ups` = `pull up`, `Dips` = `dip`, `Presses` = `press`;
   `biceps`, `triceps`, `press` ... stay as they are).
3. Abbreviations are expanded (`DB` dumbbell, `BB` barbell, `KB` kettlebell, `OHP` overhead
   press, `RDL` romanian deadlift, `BOR` bent over row, `Lat PD` lat pulldown, a trailing
   `bench` = bench press ...), spelling
   variants unified (`flye` = `fly`, `bicep` = `biceps`, `pull down` = `pulldown`,
   `pressdown` = `pushdown`, `pullup` = `pull up`, `1-arm` = `single arm` ...).
4. Filler words are dropped (`flat`, `the`, `with`, the app tag `custom` ...): "Flat Bench
   Press" is the bench press, "Lat Pulldown (Custom)" the lat pulldown; with `triceps` in the
   name a `pulldown` is a pushdown ("Tricep Cable Pull Down").
5. Equipment words are pulled out wherever they stand (`Barbell Curl`, `Curl (Barbell)`);
   German equipment words common in Strong exports are translated (`Langhantel` = barbell).

`parse` gives the two parts (movement tokens, equipment tokens) that the catalog indexes on;
`soften` drops modifiers that do not change the movement (seated, single arm, grip width, brand
names ...), for the catalog's last-resort match. Nothing here knows the catalog's contents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

Parsed = tuple[tuple[str, ...], tuple[str, ...]]  # (movement tokens, sorted equipment tokens)

_PUNCT = re.compile(r"[^\w\s]|_")
_APOSTROPHES = re.compile(r"['’`´]")

# The vocabulary tables below are kept in rows of several entries so they read as tables.
# fmt: off
#: Words that end in "s" but are not plurals.
_NOT_PLURAL: Final = frozenset({
    "biceps", "triceps", "press", "cross", "plus", "pilates", "atlas", "gluteus", "rectus",
    "series", "chassis",
})
_IRREGULAR: Final = {"calves": "calf", "halves": "half", "knives": "knife", "feet": "foot"}

#: One token -> one or more tokens (abbreviations, misspellings, spelling variants).
_TOKEN_MAP: Final[dict[str, tuple[str, ...]]] = {
    key: tuple(value.split())
    for key, value in {
        "db": "dumbbell", "dumbell": "dumbbell", "dumbel": "dumbbell", "bb": "barbell",
        "barbel": "barbell", "kb": "kettlebell", "bw": "bodyweight", "ohp": "overhead press",
        "rdl": "romanian deadlift", "sldl": "stiff leg deadlift", "bor": "bent over row",
        "pd": "pulldown", "ghr": "glute ham raise", "hspu": "handstand push up",
        "t2b": "toe to bar", "ttb": "toe to bar", "bss": "bulgarian split squat",
        "rfess": "bulgarian split squat", "cgbp": "close grip bench press", "dl": "deadlift",
        "sq": "squat", "bp": "bench press", "inc": "incline", "incl": "incline",
        "dec": "decline", "ext": "extension", "tri": "triceps", "tricep": "triceps",
        "bi": "biceps", "bicep": "biceps", "alt": "alternating", "alternate": "alternating",
        "oh": "overhead", "rev": "reverse", "mach": "machine", "flye": "fly", "fli": "fly",
        "pressdown": "pushdown", "pullup": "pull up", "chinup": "chin up", "pushup": "push up",
        "situp": "sit up", "stepup": "step up", "vup": "v up", "tbar": "t bar", "vbar": "v bar",
        "deadbug": "dead bug", "bentover": "bent over", "woodchopper": "woodchop",
        "hyper": "hyperextension", "ezbar": "ez bar", "narrow": "close", "w": "with",
        "mb": "medicine ball", "trx": "suspension",
        # German modifiers of Strong's translated names (accents already dropped).
        "sitzend": "seated", "stehend": "standing", "liegend": "lying", "hangend": "hanging",
        "einarmig": "single arm", "einarmige": "single arm", "einarmiges": "single arm",
        "eng": "close", "enger": "close", "breit": "wide", "breiter": "wide",
        "unterstutzt": "assisted", "schrag": "incline",
    }.items()
}

#: Two adjacent tokens written as one word.
_JOIN: Final[dict[tuple[str, str], str]] = {
    ("pull", "down"): "pulldown", ("push", "down"): "pushdown", ("press", "down"): "pushdown",
    ("kick", "back"): "kickback", ("pull", "over"): "pullover", ("cross", "over"): "crossover",
    ("skull", "crusher"): "skullcrusher", ("dead", "lift"): "deadlift",
    ("hyper", "extension"): "hyperextension", ("wood", "chop"): "woodchop",
    ("wood", "chopper"): "woodchop", ("kettle", "bell"): "kettlebell", ("uber", "kopf"): "overhead",
    ("dumb", "bell"): "dumbbell", ("bar", "bell"): "barbell", ("body", "weight"): "bodyweight",
}

#: Filler words that never tell two movements apart ("custom", "other": app tags such as
#: Strong's "Lat Pulldown (Custom)" for an exercise the person made themselves).
_FILLER: Final = frozenset({
    "flat", "the", "a", "an", "with", "of", "on", "custom", "other", "am", "mit",
})
#: Arm words after which a "pulldown" is a pushdown ("Tricep Cable Pull Down").
_PUSHDOWN_AFTER: Final = frozenset({"triceps"})

#: Equipment phrases -> canonical equipment word.
_EQUIPMENT_PHRASES: Final[dict[tuple[str, ...], str]] = {
    ("smith", "machine"): "smith", ("smith", "maschine"): "smith", ("plate", "loaded"): "machine",
    ("resistance", "band"): "band", ("ez", "curl", "bar"): "ez bar", ("ez", "bar"): "ez bar",
    ("sz", "stange"): "ez bar", ("trap", "bar"): "trap bar", ("hex", "bar"): "trap bar",
    ("medicine", "ball"): "medicine ball", ("med", "ball"): "medicine ball",
}
_EQUIPMENT_WORDS: Final[dict[str, str]] = {
    "barbell": "barbell", "dumbbell": "dumbbell", "kettlebell": "kettlebell", "cable": "cable",
    "pulley": "cable", "machine": "machine", "lever": "machine", "smith": "smith",
    "band": "band", "banded": "band", "bodyweight": "bodyweight", "weighted": "weighted",
    "assisted": "assisted", "ez": "ez bar", "plate": "plate", "suspension": "suspension",
    # German equipment words of Strong's translated exercise names.
    "langhantel": "barbell", "kurzhantel": "dumbbell", "kabel": "cable", "kabelzug": "cable",
    "maschine": "machine", "korpergewicht": "bodyweight", "sz": "ez bar",
}
_MAX_PHRASE = max(len(p) for p in _EQUIPMENT_PHRASES)

#: Modifiers dropped by `soften` (phrases first): they do not change the movement pattern.
_SOFT_PHRASES: Final = (
    ("single", "arm"), ("single", "leg"), ("wide", "grip"), ("close", "grip"),
    ("neutral", "grip"), ("reverse", "grip"), ("hammer", "grip"), ("overhand", "grip"),
    ("underhand", "grip"), ("straight", "bar"), ("v", "bar"), ("iso", "lateral"),
    ("hammer", "strength"), ("life", "fitness"), ("star", "trac"),
)
_SOFT_WORDS: Final = frozenset({
    "seated", "sitting", "standing", "alternating", "unilateral", "bilateral", "wide", "close",
    "neutral", "grip", "overhand", "underhand", "pronated", "supinated", "bar", "rope",
    "handle", "strict", "paused", "pause", "tempo", "slow", "heavy", "light", "deficit",
    "left", "right", "biceps", "triceps", "panatta", "technogym", "cybex", "nautilus",
    "matrix", "hoist", "precor", "gym80", "keiser", "prime", "arsenal", "kneeling",
})
_SINGLE_WORDS: Final = frozenset({"one", "1", "single", "unilateral"})
_SINGLE_OF: Final = {
    "arm": "arm", "arms": "arm", "armed": "arm", "hand": "arm", "handed": "arm", "leg": "leg",
    "legged": "leg", "sided": "arm",
}
# fmt: on


def _fold(text: str) -> str:
    """NFKC, case-folded, accents dropped, apostrophes dropped, punctuation as spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    text = text.replace("w/", " with ").replace("&", " and ").replace("+", " and ")
    return _PUNCT.sub(" ", text)


def singular(word: str) -> str:
    """The singular of an English exercise word (`curls` -> `curl`, `presses` -> `press`)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) < 3 or not word.endswith("s") or word in _NOT_PLURAL:
        return word
    if word.endswith(("ss", "us", "is", "as")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def _expand(tokens: list[str]) -> list[str]:
    """Singular forms, abbreviations expanded, split words joined, `1 arm` -> `single arm`."""
    out: list[str] = []
    for token in tokens:
        word = singular(token)
        out.extend(_TOKEN_MAP.get(word, (word,)))
    joined: list[str] = []
    i = 0
    while i < len(out):
        pair = (out[i], out[i + 1]) if i + 1 < len(out) else None
        if pair in _JOIN:
            joined.extend(_JOIN[pair].split())
            i += 2
        elif out[i] in _SINGLE_WORDS and i + 1 < len(out) and out[i + 1] in _SINGLE_OF:
            joined.extend(("single", _SINGLE_OF[out[i + 1]]))
            i += 2
        else:
            joined.append(out[i])
            i += 1
    tokens = [t for t in joined if t not in _FILLER]
    if _PUSHDOWN_AFTER.intersection(tokens):  # a triceps "pull down" is a pushdown
        tokens = ["pushdown" if t == "pulldown" else t for t in tokens]
    if tokens and tokens[-1] == "bench":  # "DB Bench", "Incline Bench": the bench press
        tokens.append("press")
    return tokens


def _split_equipment(tokens: list[str]) -> Parsed:
    """Movement tokens (in order) and the sorted, de-duplicated equipment words."""
    movement: list[str] = []
    equipment: set[str] = set()
    i = 0
    while i < len(tokens):
        for size in range(_MAX_PHRASE, 1, -1):
            phrase = tuple(tokens[i : i + size])
            if len(phrase) == size and phrase in _EQUIPMENT_PHRASES:
                equipment.add(_EQUIPMENT_PHRASES[phrase])
                i += size
                break
        else:
            word = tokens[i]
            if word in _EQUIPMENT_WORDS:
                equipment.add(_EQUIPMENT_WORDS[word])
            else:
                movement.append(word)
            i += 1
    if not movement:  # a name that is only equipment ("Kettlebell") names itself
        return tuple(tokens), ()
    return tuple(movement), tuple(sorted(equipment))


@lru_cache(maxsize=8192)
def parse(name: str) -> Parsed:
    """(movement tokens, equipment tokens) of an exercise name; both empty for a blank name."""
    tokens = _expand(_fold(name).split())
    if not tokens:
        return (), ()
    return _split_equipment(tokens)


def soften(movement: tuple[str, ...]) -> tuple[str, ...]:
    """`movement` without modifiers that keep the pattern (seated, single arm, grip ...)."""
    tokens = list(movement)
    for phrase in _SOFT_PHRASES:
        n = len(phrase)
        i = 0
        while i + n <= len(tokens):
            if tuple(tokens[i : i + n]) == phrase:
                del tokens[i : i + n]
            else:
                i += 1
    return tuple(t for t in tokens if t not in _SOFT_WORDS)


def render(parsed: Parsed) -> str:
    """The text form of `parse`'s result: `"bench press (barbell)"`, `"pull up"`."""
    movement, equipment = parsed
    text = " ".join(movement)
    return f"{text} ({', '.join(equipment)})" if equipment else text


def normalize(name: str) -> str:
    """Canonical form of an exercise name: movement words, then `(equipment, ...)`.

    Case, accents, punctuation, plurals, abbreviations and where the equipment word stands
    do not matter: "Flat Barbell Bench Press", "Bench Press (Barbell)" and "BB Bench Press"
    all give `"bench press (barbell)"`; "Pull-Ups" gives `"pull up"`. Blank names give `""`.
    """
    return render(parse(name))
