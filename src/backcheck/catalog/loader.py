"""The exercise catalog: `exercises.csv` (package data) read, validated and indexed for lookup.

Each row is an exercise: a stable kebab-case `key`, a display `name`, a movement `pattern`
(model.PATTERNS), `upper_body`, and an involvement weight 0-1 per muscle region (model.REGIONS).
The weights follow a documented coaching convention (grade C, not measured EMG), stated in the
CSV's header comment: 1.0 prime mover, 0.75 major synergist, 0.5 synergist, 0.25 stabiliser,
blank = 0. Cardio rows carry low weights and mobility rows none or low ones.

Lookup of a logged name, on its normalised form (`names.normalize`), stops at the first hit:
1. exact: movement words and equipment as normalised ("bench press (barbell)"), then the same
   words in any order with the same equipment ("curl reverse grip" = "reverse grip curl");
2. step 1 without modifiers that keep the movement (seated, standing, single arm, grip width,
   bar or rope handle, brand names): "Cable 1-Arm Face Pull" is the cable face pull;
3. one of several equipment words alone ("Bicep Curl (Cable Machine)": cable, in
   alphabetical order), then equipment-agnostic: the row that claims the bare movement
   name (then the same without those modifiers). "Bench Press" is an alias of the barbell bench press, so "Bench Press
   (Kettlebell)" is that row; a movement no row claims bare ("Press") stays unmapped. Same
   equipment beats same modifiers: "Seated Machine Fly" is the machine fly, not the seated
   cable fly.
4. last resort (catalog.partial), for names no label claims: words the catalog never uses
   are read as typos of a catalog word or dropped ("Selector Chest Supported Row Machine"),
   then shorter runs of the words are tried, leading words first ("Pinwheel Curl" is a curl);
   words that name the muscle or direction (triceps, reverse, rear, leg ...) are never dropped.
Hard modifiers are never dropped: incline, decline, reverse, front, rear, lateral, close-grip
as part of a listed name ... so "Incline Bench Press" never becomes "Bench Press" and "Reverse
Fly" never becomes "Fly". A name that matches nothing is unmapped (None); so is FIT `unknown`.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import polars as pl

from backcheck.catalog.forms import packaged
from backcheck.catalog.names import Parsed, parse, render, soften
from backcheck.catalog.partial import muscle_default, parts, repair
from backcheck.errors import InputError
from backcheck.model import PATTERNS, REGIONS

COLUMNS = ("key", "name", "pattern", "aliases", "upper_body", *REGIONS)
#: Names that must never map to an exercise (FIT's "unknown" category, Strong's rest rows).
UNMAPPABLE = frozenset({"unknown", "rest", "rest timer"})
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NO_WEIGHTS_OK = ("cardio", "mobility")


@dataclass(frozen=True)
class Exercise:
    """One catalog entry. `regions` holds every model.REGIONS name, weight 0-1 (0 = not used)."""

    key: str
    name: str
    pattern: str
    upper_body: bool
    regions: dict[str, float] = field(hash=False)
    aliases: tuple[str, ...] = ()


def _bag(movement: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(movement))


class Catalog:
    """Exercises with a name index. Build with `load_catalog()` (or `parse_catalog` for a text)."""

    def __init__(
        self, exercises: Iterable[Exercise], *, forms: dict[str, Parsed] | None = None
    ) -> None:
        """`forms`: label -> parse(label) computed ahead of time (catalog.forms)."""
        forms = forms or {}
        self._by_key: dict[str, Exercise] = {}
        self._exact: dict[Parsed, str] = {}
        self._bags: dict[Parsed, str] = {}
        for ex in exercises:
            self._by_key[ex.key] = ex
            for label in (ex.name, *ex.aliases):
                movement, equipment = forms.get(label) or parse(label)
                self._exact.setdefault((movement, equipment), ex.key)
                self._bags.setdefault((_bag(movement), equipment), ex.key)
        self._vocabulary = frozenset(word for movement, _ in self._exact for word in movement)
        self._memo: dict[str, str | None] = {}
        self._frame: pl.DataFrame | None = None

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_key.values())

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key, in catalog (CSV) order."""
        return tuple(self._by_key)

    def get(self, key: str) -> Exercise:
        """The exercise with this key; KeyError naming the key when there is none."""
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no exercise {key!r} in the catalog") from None

    def _match(self, movement: tuple[str, ...], equipment: tuple[str, ...]) -> str | None:
        """Same words in order, then in any order, both with the same equipment."""
        return self._exact.get((movement, equipment)) or self._bags.get((_bag(movement), equipment))

    def key_of(self, name: str) -> str | None:
        """Catalog key for a logged exercise name, or None when it matches nothing."""
        if name in self._memo:
            return self._memo[name]
        movement, equipment = parse(name)
        key: str | None = None
        if movement and render((movement, equipment)) not in UNMAPPABLE:
            key = self._resolve(movement, equipment)
            if key is None:
                key = self._partial(movement, equipment)
        self._memo[name] = key
        return key

    def _resolve(self, movement: tuple[str, ...], equipment: tuple[str, ...]) -> str | None:
        """Steps 1-3: as written, without soft modifiers, with one of several equipment
        words ("Curl (Cable Machine)" is the cable curl), then equipment-agnostic."""
        softened = soften(movement) or movement
        return (
            self._match(movement, equipment)
            or self._match(softened, equipment)
            or self._one_of(movement, softened, equipment)
            or self._match(movement, ())
            or self._match(softened, ())
        )

    def _one_of(
        self, movement: tuple[str, ...], softened: tuple[str, ...], equipment: tuple[str, ...]
    ) -> str | None:
        for word in equipment if len(equipment) > 1 else ():
            key = self._match(movement, (word,)) or self._match(softened, (word,))
            if key is not None:
                return key
        return None

    def _partial(self, movement: tuple[str, ...], equipment: tuple[str, ...]) -> str | None:
        """Step 4 (catalog.partial): typos and unknown words repaired, then shorter runs;
        step 5: a muscle named without a movement is its usual single-joint exercise."""
        repaired = repair(movement, self._vocabulary)
        if not repaired:
            return None
        if repaired != movement:
            key = self._resolve(repaired, equipment)
            if key is not None:
                return key
        for run in parts(repaired):
            key = self._resolve(run, equipment)
            if key is not None:
                return key
        default = muscle_default(movement)
        return None if default is None else self._resolve(default, equipment)

    def lookup(self, name: str) -> Exercise | None:
        """The exercise a logged name refers to, or None when it matches nothing."""
        key = self.key_of(name)
        return None if key is None else self._by_key[key]

    def map_names(
        self, names: Iterable[str | None], *, own: Mapping[str, str] | None = None
    ) -> dict[str, str | None]:
        """Logged name -> catalog key (None = unmapped), each distinct name resolved once.

        `own`: the athlete's own meanings (logged name -> key; `exercises map`), which win
        over the catalog: for the name as logged, and for every name with the same normal
        form ("lat pulldown (custom)" = "Lat Pulldown (Custom)"). Keys the catalog does not
        hold are ignored. This is the one place an athlete's map is applied.
        Nulls in `names` are skipped (they are no name at all).
        """
        mine = self.own_index(own)
        out: dict[str, str | None] = {}
        for name in dict.fromkeys(names):
            if name is not None:
                out[name] = (mine and (mine.get(name) or mine.get(render(parse(name))))) or (
                    self.key_of(name)
                )
        return out

    def own_index(self, own: Mapping[str, str] | None) -> dict[str, str]:
        """`own` (logged name -> key) indexed by the name and by its normal form; keys the
        catalog does not hold are left out."""
        index: dict[str, str] = {}
        for name, key in (own or {}).items():
            if key in self._by_key:
                form = render(parse(name))
                if form:  # a name of punctuation only has no normal form to share
                    index.setdefault(form, key)
                index[name] = key
        return index

    def keys_for(self, exercises: pl.Series) -> pl.Series:
        """A String series of catalog keys (null = unmapped) aligned with `exercises`."""
        mapping = self.map_names(exercises.drop_nulls().unique().to_list())
        return exercises.replace_strict(mapping, default=None, return_dtype=pl.String()).alias(
            "exercise_key"
        )

    def frame(self) -> pl.DataFrame:
        """One row per exercise: key, name, pattern, upper_body, then `w_<region>` (Float64)."""
        if self._frame is None:
            rows = list(self._by_key.values())
            self._frame = pl.DataFrame(
                {
                    "key": [e.key for e in rows],
                    "name": [e.name for e in rows],
                    "pattern": [e.pattern for e in rows],
                    "upper_body": [e.upper_body for e in rows],
                    **{f"w_{r}": [e.regions[r] for e in rows] for r in REGIONS},
                },
                schema={
                    "key": pl.String(),
                    "name": pl.String(),
                    "pattern": pl.String(),
                    "upper_body": pl.Boolean(),
                    **{f"w_{r}": pl.Float64() for r in REGIONS},
                },
            )
        return self._frame


def _weight(source: str, line: int, region: str, text: str) -> float:
    if not text.strip():
        return 0.0
    try:
        value = float(text)
    except ValueError:
        raise InputError(source, line, f"{region} weight {text!r} is not a number") from None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise InputError(source, line, f"{region} weight {text} is outside 0-1")
    return value


def _row(source: str, line: int, cells: list[str]) -> Exercise:
    if len(cells) != len(COLUMNS):
        raise InputError(source, line, f"expected {len(COLUMNS)} fields, found {len(cells)}")
    row = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
    key, name, pattern = row["key"], row["name"], row["pattern"]
    if not _KEY.match(key):
        raise InputError(source, line, f"key {key!r} is not kebab-case (a-z, 0-9, -)")
    if not name:
        raise InputError(source, line, f"exercise {key!r} has no name")
    if pattern not in PATTERNS:
        raise InputError(
            source, line, f"pattern {pattern!r} of {key!r} is not one of {', '.join(PATTERNS)}"
        )
    if row["upper_body"] not in ("true", "false"):
        raise InputError(
            source, line, f"upper_body must be true or false, not {row['upper_body']!r}"
        )
    regions = {r: _weight(source, line, r, row[r]) for r in REGIONS}
    if pattern not in _NO_WEIGHTS_OK and not any(regions.values()):
        raise InputError(source, line, f"{key!r} ({pattern}) has no region weight above 0")
    aliases = tuple(a.strip() for a in row["aliases"].split("|")) if row["aliases"] else ()
    if any(not a for a in aliases):
        raise InputError(source, line, f"{key!r} has an empty alias (two '|' in a row?)")
    return Exercise(key, name, pattern, row["upper_body"] == "true", regions, aliases)


def _claim(
    source: str,
    line: int,
    ex: Exercise,
    claims: dict[str, tuple[str, int]],
    forms: dict[str, Parsed],
) -> None:
    """Every label of `ex` must normalise to something no other key has claimed."""
    for label in (ex.name, *ex.aliases):
        form = render(forms.get(label) or parse(label))
        if not form:
            raise InputError(source, line, f"{label!r} of {ex.key!r} normalises to nothing")
        if form in UNMAPPABLE:
            raise InputError(source, line, f"{label!r} of {ex.key!r} must stay unmapped")
        owner = claims.setdefault(form, (ex.key, line))
        if owner[0] != ex.key:
            raise InputError(
                source,
                line,
                f"{label!r} of {ex.key!r} normalises to {form!r}, "
                f"already claimed by {owner[0]!r} (line {owner[1]})",
            )


def parse_catalog(
    text: str, *, source: str = "exercises.csv", forms: dict[str, Parsed] | None = None
) -> Catalog:
    """Validate and index a catalog CSV text; InputError(source, line, ...) on the first fault.

    Lines starting with `#` are comments. The header must be exactly COLUMNS; every row one
    line. Checked: kebab-case unique keys, pattern in model.PATTERNS, upper_body true/false,
    weights blank or within 0-1, at least one weight for non-cardio/mobility rows, and no
    normalised name or alias claimed by two keys. `forms`: parses of the labels computed
    ahead of time (catalog.forms; any label missing from it is parsed here).
    """
    forms = forms or {}
    exercises: list[Exercise] = []
    header_seen = False
    lines: dict[str, int] = {}
    claims: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([raw]))
        if not header_seen:
            if tuple(c.strip() for c in cells) != COLUMNS:
                raise InputError(source, number, f"header must be {','.join(COLUMNS)}")
            header_seen = True
            continue
        ex = _row(source, number, cells)
        if ex.key in lines:
            raise InputError(source, number, f"key {ex.key!r} repeats line {lines[ex.key]}")
        lines[ex.key] = number
        _claim(source, number, ex, claims, forms)
        exercises.append(ex)
    if not header_seen:
        raise InputError(source, None, "no header line: not an exercise catalog")
    return Catalog(exercises, forms=forms)


def catalog_text() -> str:
    """The text of the packaged exercises.csv."""
    return resources.files("backcheck.catalog").joinpath("exercises.csv").read_text("utf-8")


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged catalog (backcheck/catalog/exercises.csv), read and validated once (with
    the names' parses of forms.json while it matches the CSV: see catalog.forms)."""
    text = catalog_text()
    source = str(resources.files("backcheck.catalog").joinpath("exercises.csv"))
    return parse_catalog(text, source=source, forms=packaged(text))
