"""Exercise catalog: the shipped CSV, the loader, mapping real logged names, validation, speed.

Logged names come from the real exports under tests/data/logs, read with Python's csv module
(and fitdecode for FIT files); expected keys are written here by hand. Name normalisation
tables (spellings, abbreviations, movements kept apart) are in test_catalog_names.py.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import fitdecode
import fitdecode.profile
import polars as pl
import pytest

from backcheck.catalog import Catalog, Exercise, load_catalog, parse_catalog
from backcheck.catalog import names as names_module
from backcheck.errors import InputError
from backcheck.model import PATTERNS, REGIONS, UPPER_BACK_REGIONS

DATA = Path(__file__).parent / "data"
LOGS = DATA / "logs"
#: The exercise-name column per app (Strong's Chinese header names it 运动名称).
NAME_COLUMNS = {
    "strong": ("Exercise Name", "运动名称"),
    "hevy": ("exercise_title",),
    "fitnotes": ("Exercise",),
}
CSV_EXPORTS = sorted(LOGS.glob("*/*.csv"))
#: Held-out exports (tests/data/index.json) are never tuned on: the names test of
#: test_names_real.py checks them, with the 2% allowance.
_INDEX = json.loads((DATA / "index.json").read_text(encoding="utf-8"))
HELDOUT = {
    DATA / e["path"]
    for e in (*_INDEX["exports"], *_INDEX.get("exports_other_layouts", []))
    if e.get("heldout")
}
FIT_FILES = sorted(LOGS.glob("fit/*.fit"))
FIT_CATEGORIES: dict[int, str] = fitdecode.profile.FIELD_TYPES["exercise_category"].enum


def logged_names(path: Path) -> set[str]:
    """Distinct exercise names of one export, read with the csv module."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header_line = fh.readline()
        fh.seek(0)
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        reader = csv.DictReader(fh, delimiter=delimiter)
        assert reader.fieldnames is not None
        column = next(c for c in NAME_COLUMNS[path.parent.name] if c in reader.fieldnames)
        return {row[column] for row in reader}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# ------------------------------------------------------------------ the shipped file


def test_shipped_csv_is_package_data_and_valid() -> None:
    resource = resources.files("backcheck.catalog").joinpath("exercises.csv")
    assert resource.is_file()
    text = resource.read_text(encoding="utf-8")
    # Independent count of data rows: non-comment, non-blank lines minus the header.
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    fresh = parse_catalog(text)
    assert len(fresh) == len(rows) - 1
    assert 300 <= len(fresh) <= 450


def test_load_catalog_is_cached(catalog: Catalog) -> None:
    assert load_catalog() is catalog


def test_import_reads_nothing() -> None:
    code = (
        "import backcheck.catalog as c; "
        "print(c.loader.load_catalog.cache_info().currsize, c.names.parse.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["0", "0"]


def test_every_pattern_and_weight_is_valid(catalog: Catalog) -> None:
    text = resources.files("backcheck.catalog").joinpath("exercises.csv").read_text("utf-8")
    rows = list(csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#")))
    assert [r["key"] for r in rows] == list(catalog.keys)
    for row in rows:
        assert row["pattern"] in PATTERNS, row["key"]
        assert row["upper_body"] in ("true", "false"), row["key"]
        for region in REGIONS:
            cell = row[region]
            assert cell == "" or 0.0 <= float(cell) <= 1.0, (row["key"], region)
        ex = catalog.get(row["key"])
        assert set(ex.regions) == set(REGIONS)
        assert ex.pattern == row["pattern"] and ex.name == row["name"]
    assert {r["pattern"] for r in rows} == set(PATTERNS)  # every pattern is used


def test_frame(catalog: Catalog) -> None:
    frame = catalog.frame()
    assert frame.columns == ["key", "name", "pattern", "upper_body", *(f"w_{r}" for r in REGIONS)]
    assert frame.height == len(catalog)
    assert frame["key"].n_unique() == frame.height
    assert frame["upper_body"].dtype == pl.Boolean
    assert all(frame[f"w_{r}"].dtype == pl.Float64 for r in REGIONS)
    bench = frame.filter(pl.col("key") == "bench-press-barbell").row(0, named=True)
    assert bench["w_chest"] == 1.0 and bench["w_lats"] == 0.0 and bench["upper_body"] is True


def test_get_unknown_key_raises(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="no-such-exercise"):
        catalog.get("no-such-exercise")


def test_every_name_and_alias_finds_its_own_row(catalog: Catalog) -> None:
    for ex in catalog:
        for label in (ex.name, *ex.aliases):
            assert catalog.lookup(label) is ex, (label, ex.key)


# ------------------------------------------------------------------ real exports


@pytest.mark.parametrize("path", [p for p in CSV_EXPORTS if p not in HELDOUT], ids=lambda p: p.name)
def test_every_logged_name_in_real_exports_maps(catalog: Catalog, path: Path) -> None:
    names = logged_names(path)
    assert names
    unmapped = sorted(n for n, key in catalog.map_names(names).items() if key is None)
    assert unmapped == []


@pytest.mark.parametrize(
    ("logged", "key"),
    [
        ("Flat Barbell Bench Press", "bench-press-barbell"),
        ("Flat Dumbbell Bench Press", "bench-press-dumbbell"),
        ("Incline Barbell Bench Press", "incline-bench-press-barbell"),
        ("Decline Barbell Bench Press", "decline-bench-press-barbell"),
        ("Parallel Bar Triceps Dip", "triceps-dip"),
        ("Tricep Push Ul", "diamond-push-up"),
        ("Bar Push Down", "triceps-pushdown-cable"),
        ("Triceps Pressdown", "triceps-pushdown-cable"),
        ("Cable 1-Arm Face Pull", "face-pull-cable"),
        ("Rear Delt Reverse Fly (Cable)", "reverse-fly-cable"),
        ("Back Deltoids", "reverse-fly-machine"),
        ("Seated Cable Row - V Grip (Cable)", "seated-row-cable"),
        ("Cable Row Wide Grip", "seated-cable-row-wide-grip"),
        ("Bent Over One Arm Row (Dumbbell)", "dumbbell-row"),
        ("Sitting 1-Arm Lat Pulldown", "single-arm-lat-pulldown"),
        ("Pull Up (Band)", "pull-up-assisted"),
        ("Overhead Smith Seated", "overhead-press-smith-machine"),
        ("Leg Press Technogym (Gelb)", "leg-press"),
        ("Hyperextensions", "back-extension"),
        ("Kettlebell Carry", "farmers-walk"),
        ("Warm Up", "warm-up"),
    ],
)
def test_real_names_reach_the_right_exercise(catalog: Catalog, logged: str, key: str) -> None:
    assert any(logged in logged_names(p) for p in CSV_EXPORTS)  # it is a real logged name
    assert catalog.map_names([logged]) == {logged: key}


def fit_category_names(path: Path) -> set[str]:
    """Exercise category names of the active sets in a FIT file (fitdecode's own enum)."""
    found: set[str] = set()
    with fitdecode.FitReader(path) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "set":
                if frame.get_value("set_type", fallback=None) != "active":
                    continue
                value = frame.get_value("category", fallback=None)
                for code in value if isinstance(value, tuple) else (value,):
                    if code is not None:
                        found.add(FIT_CATEGORIES.get(code, str(code)))
    return found


@pytest.mark.parametrize("path", FIT_FILES, ids=lambda p: p.name)
def test_fit_categories_in_real_files_map(catalog: Catalog, path: Path) -> None:
    categories = fit_category_names(path)
    if "20747700969" in path.name:  # indoor cycling: no strength sets at all
        assert categories == set()
        return
    assert "unknown" in categories  # Garmin often cannot tell: must stay unmapped
    mapped = catalog.map_names(categories)
    assert mapped.pop("unknown") is None
    assert mapped and all(mapped.values()), mapped


def test_every_fit_category_maps_except_unknown(catalog: Catalog) -> None:
    for code, name in FIT_CATEGORIES.items():
        ex = catalog.lookup(name)
        assert (ex is None) == (name == "unknown"), (code, name)
    expected = {
        "bench_press": "horizontal-push",
        "row": "horizontal-pull",
        "pull_up": "vertical-pull",
        "shoulder_press": "vertical-push",
        "squat": "squat",
        "deadlift": "hinge",
        "lunge": "lunge",
        "plank": "core",
        "carry": "carry",
        "shrug": "isolation",
        "warm_up": "mobility",
        "run": "cardio",
        "indoor_row": "cardio",
        "bike": "cardio",
    }
    for name, pattern in expected.items():
        found = catalog.lookup(name)
        assert found is not None and found.pattern == pattern, name


# ------------------------------------------------------------------ weights convention


def _upper_back(ex: Exercise) -> float:
    return max(ex.regions[r] for r in UPPER_BACK_REGIONS)


def test_pulls_rows_and_shrugs_load_the_upper_back(catalog: Catalog) -> None:
    checked = 0
    for ex in catalog:
        words = ex.name.casefold()
        is_pull = ex.pattern in ("horizontal-pull", "vertical-pull")
        named = any(w in words for w in ("row", "pull up", "chin up", "face pull", "shrug"))
        if is_pull or (named and ex.pattern not in ("cardio", "mobility")):
            assert _upper_back(ex) >= 0.75, ex.key
            checked += 1
    assert checked >= 50


def test_pushes_load_chest_or_front_delts(catalog: Catalog) -> None:
    pushes = [e for e in catalog if e.pattern in ("horizontal-push", "vertical-push")]
    assert len(pushes) >= 40
    for ex in pushes:
        assert max(ex.regions["chest"], ex.regions["front_delts"]) >= 0.5, ex.key


@pytest.mark.parametrize(
    ("key", "weights"),
    [  # the convention the project chose (see the CSV header), checked row by row
        (
            "bench-press-barbell",
            {"chest": 1, "front_delts": 0.5, "arms": 0.5, "rotator_cuff": 0.25},
        ),
        (
            "bent-over-row-barbell",
            {
                "mid_traps_rhomboids": 1,
                "lats": 0.75,
                "rear_delts": 0.5,
                "erectors": 0.5,
                "arms": 0.5,
            },
        ),
        ("shrug-barbell", {"upper_traps": 1}),
        ("face-pull-cable", {"rear_delts": 1, "mid_traps_rhomboids": 0.75, "rotator_cuff": 0.75}),
        (
            "overhead-press-barbell",
            {"front_delts": 1, "side_delts": 0.5, "upper_traps": 0.5, "arms": 0.5},
        ),
        ("deadlift-barbell", {"legs": 1, "erectors": 1, "upper_traps": 0.5, "lats": 0.25}),
    ],
)
def test_documented_weights(catalog: Catalog, key: str, weights: dict[str, float]) -> None:
    regions = catalog.get(key).regions
    assert {r: regions[r] for r in weights} == weights


def test_cardio_and_mobility_rows(catalog: Catalog) -> None:
    for name in ("Running", "Cycling", "Rowing (Machine)", "Jump Rope"):
        ex = catalog.lookup(name)
        assert ex is not None and ex.pattern == "cardio", name
        assert max(ex.regions.values()) <= 0.5, name
    for name in (
        "Stretching",
        "Foam Rolling",
        "Yoga",
        "Thoracic Rotation",
        "Band Pull Apart",
        "Cat Cow",
        "Arm Circles",
    ):
        ex = catalog.lookup(name)
        assert ex is not None and ex.pattern == "mobility", name
        assert max(ex.regions.values()) <= 0.5, name


# ------------------------------------------------------------------ API details


def test_map_names_dedupes_and_skips_nulls(catalog: Catalog) -> None:
    mapped = catalog.map_names(["Pull Up", None, "Pull Up", "Zzz"])
    assert mapped == {"Pull Up": "pull-up", "Zzz": None}


def test_keys_for_series(catalog: Catalog) -> None:
    series = pl.Series("exercise", ["Squat (Barbell)", None, "Zzz", "Squat (Barbell)"])
    keys = catalog.keys_for(series)
    assert keys.dtype == pl.String
    assert keys.to_list() == ["squat-barbell", None, None, "squat-barbell"]
    assert catalog.keys_for(pl.Series("exercise", [], dtype=pl.String)).len() == 0
    assert catalog.keys_for(pl.Series("exercise", [None], dtype=pl.String)).to_list() == [None]


def test_map_names_normalises_each_distinct_name_once(catalog: Catalog) -> None:
    """Speed comes from normalising distinct names once (timed in benchmarks/, not here)."""
    hevy = LOGS / "hevy" / "dakheera47_sample_hevy.csv"
    with hevy.open(encoding="utf-8", newline="") as fh:
        logged = [row["exercise_title"] for row in csv.DictReader(fh)]
    names = (logged * (200_000 // len(logged) + 1))[:200_000]
    assert len(set(names)) > 50
    names_module.parse.cache_clear()
    fresh = Catalog(list(catalog))
    before = names_module.parse.cache_info().misses
    mapped = fresh.map_names(names)
    assert len(mapped) == len(set(names))
    assert names_module.parse.cache_info().misses - before <= len(set(names))


# ------------------------------------------------------------------ validation

HEADER = "key,name,pattern,aliases,upper_body," + ",".join(REGIONS)
BLANKS = "," * (len(REGIONS) - 1)


def row(
    key: str,
    name: str,
    pattern: str = "horizontal-pull",
    aliases: str = "",
    weights: str | None = None,
) -> str:
    cells = weights if weights is not None else "1" + BLANKS
    return f"{key},{name},{pattern},{aliases},true,{cells}"


def test_small_valid_catalog() -> None:
    text = "\n".join(["# comment", HEADER, row("row-a", "Row A", aliases="Row Alpha|RA Row")])
    cat = parse_catalog(text)
    assert len(cat) == 1
    assert cat.lookup("row alpha") is cat.get("row-a")
    assert cat.get("row-a").regions["upper_traps"] == 1.0


@pytest.mark.parametrize(
    ("lines", "bad_line", "message"),
    [
        ([HEADER, row("row-a", "Row A", pattern="pulling")], 2, "pattern 'pulling'"),
        ([HEADER, row("row-a", "Row A", weights="1.5" + BLANKS)], 2, "outside 0-1"),
        ([HEADER, row("row-a", "Row A", weights="-0.5" + BLANKS)], 2, "outside 0-1"),
        ([HEADER, row("row-a", "Row A", weights="lots" + BLANKS)], 2, "not a number"),
        ([HEADER, row("row-a", "Row A"), "", row("row-a", "Row B")], 4, "repeats line 2"),
        (
            [
                HEADER,
                row("row-a", "Row A", aliases="Rowing Thing"),
                row("row-b", "Row B", aliases="rowing things"),
            ],
            3,
            "already claimed by 'row-a'",
        ),
        ([HEADER, row("Row_A", "Row A")], 2, "kebab-case"),
        ([HEADER, row("row-a", "Row A", weights="" + BLANKS)], 2, "no region weight"),
        ([HEADER, row("row-a", "Row A", aliases="Unknown")], 2, "must stay unmapped"),
        ([HEADER, row("row-a", "Row A", aliases="A||B")], 2, "empty alias"),
        ([HEADER, "row-a,Row A,horizontal-pull"], 2, "expected"),
        (["# c", "key,name,pattern", row("row-a", "Row A")], 2, "header must be"),
    ],
)
def test_invalid_catalog_names_the_line(lines: list[str], bad_line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_catalog("\n".join(lines), source="bad.csv")
    assert info.value.line == bad_line
    assert str(info.value).startswith(f"bad.csv:{bad_line}: ")


def test_packaged_forms_are_what_the_normaliser_gives_today() -> None:
    # forms.json spares `load_catalog` parsing ~1,500 labels; it must equal a fresh parse
    # (regenerate with `python -m backcheck.catalog.makeforms` after changing the CSV or names.py).
    from backcheck.catalog.forms import compute, packaged
    from backcheck.catalog.loader import catalog_text

    text = catalog_text()
    fresh = parse_catalog(text, forms={})
    labels = [label for ex in fresh for label in (ex.name, *ex.aliases)]
    shipped = packaged(text)
    assert shipped is not None, "forms.json is stale: python -m backcheck.catalog.makeforms"
    expected = compute(labels, text)["forms"]
    assert {k: [list(m), list(e)] for k, (m, e) in shipped.items()} == expected
    assert packaged(text + "\n# edited\n") is None  # a changed CSV is parsed afresh
    catalog = load_catalog()
    for name in ("Flat Barbell Bench Press", "Cable 1-Arm Face Pull", "Pull-Ups", "Zzz"):
        assert catalog.key_of(name) == fresh.key_of(name)
