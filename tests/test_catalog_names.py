"""Exercise catalog: name normalisation tables, from logged spelling to normal form and key.

Expected normal forms, groups of spellings of one exercise and pairs of distinct movements are
written here by hand; the catalog is the shipped CSV (`load_catalog`).
"""

from __future__ import annotations

import pytest

from backcheck.catalog import Catalog, load_catalog, normalize


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Bench Press (Barbell)", "bench press (barbell)"),
        ("Flat Barbell Bench Press", "bench press (barbell)"),
        ("Barbell Bench Press", "bench press (barbell)"),
        ("  BENCH   press  (BARBELL) ", "bench press (barbell)"),
        ("Bench Presses", "bench press"),
        ("Pull Ups", "pull up"),
        ("Pull-Up", "pull up"),
        ("pull_up", "pull up"),
        ("Pullups", "pull up"),
        ("Dips", "dip"),
        ("Lunges", "lunge"),
        ("Shrugs", "shrug"),
        ("Crunches", "crunch"),
        ("Chest Flyes", "chest fly"),
        ("Standing Calf Raises", "standing calf raise"),
        ("Biceps Curl", "biceps curl"),
        ("Dumbbell Bicep Curl", "biceps curl (dumbbell)"),
        ("DB Row", "row (dumbbell)"),
        ("BB Curl", "curl (barbell)"),
        ("KB Swing", "swing (kettlebell)"),
        ("OHP", "overhead press"),
        ("RDL", "romanian deadlift"),
        ("BOR", "bent over row"),
        ("Lat PD", "lat pulldown"),
        ("Lat Pull-Down", "lat pulldown"),
        ("Triceps Press-Down", "triceps pushdown"),
        ("Skull Crushers", "skullcrusher"),
        ("Curl w/ EZ bar", "curl (ez bar)"),
        ("Smith Machine Squat", "squat (smith)"),
        ("Cable 1-Arm Face Pull", "single arm face pull (cable)"),
        ("Farmer's Walk", "farmer walk"),
        ("Bankdrücken (Langhantel)", "bankdrucken (barbell)"),
        ("Ｐｕｓｈ　Ｕｐ", "push up"),  # full-width forms (NFKC)
        ("DB Bench", "bench press (dumbbell)"),
        ("", ""),
    ],
)
def test_normalize(raw: str, normal: str) -> None:
    assert normalize(raw) == normal


@pytest.mark.parametrize(
    "group",
    [
        [
            "Bench Press (Barbell)",
            "Flat Barbell Bench Press",
            "Barbell Bench Press",
            "BB Bench Press",
            "bench_press",
            "Bankdrücken (Langhantel)",
        ],
        ["Bench Press (Dumbbell)", "Dumbbell Bench Press", "Flat Dumbbell Bench Press", "DB Bench"],
        ["Pull Up", "Pull-Ups", "pullup", "pull_up", "Klimmzüge"],
        ["Lat Pulldown (Cable)", "Lat PD", "Lat Pull-Down", "Cable Lat Pulldown"],
        ["Overhead Press (Barbell)", "OHP", "Military Press", "Barbell Shoulder Press"],
        ["Romanian Deadlift (Barbell)", "RDL", "Barbell RDL", "RDLs"],
        ["Bent Over Row (Barbell)", "BOR", "Barbell Bent Over Row", "Barbell Row"],
        ["Face Pull (Cable)", "Cable Face Pull", "Face Pulls", "Face Pull w/ Rope"],
        ["Seated Row (Cable)", "Seated Cable Row", "Cable Row"],
        ["Chest Dip", "Dips", "Dip"],
        ["Shrug (Barbell)", "Shrugs", "Barbell Shrug"],
        ["Lateral Raise (Dumbbell)", "Dumbbell Lateral Raise", "Lateral Dumbbell Raise"],
        ["Thoracic Rotation", "Thoracic Spine Rotations", "T-Spine Rotation"],
    ],
)
def test_spellings_reach_one_key(catalog: Catalog, group: list[str]) -> None:
    keys = {name: catalog.map_names([name])[name] for name in group}
    assert None not in keys.values(), keys
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Incline Bench Press (Barbell)", "Bench Press (Barbell)"),
        ("Incline Bench Press", "Flat Bench Press"),
        ("Decline Bench Press (Barbell)", "Bench Press (Barbell)"),
        ("Close Grip Bench Press", "Bench Press"),
        ("Bench Press (Dumbbell)", "Bench Press (Barbell)"),
        ("Reverse Fly (Dumbbell)", "Chest Fly (Dumbbell)"),
        ("Reverse Fly", "Fly"),
        ("Front Raise (Dumbbell)", "Lateral Raise (Dumbbell)"),
        ("Chin Up", "Pull Up"),
        ("Pull Up (Assisted)", "Pull Up"),
        ("Romanian Deadlift", "Deadlift"),
        ("Reverse Lunge", "Lunge"),
        ("Upright Row", "Bent Over Row"),
        ("Pullover", "Pull Up"),
        ("Hanging Leg Raise", "Lying Leg Raise"),
        ("Seated Machine Fly", "Cable Crossover"),
    ],
)
def test_distinct_movements_stay_apart(catalog: Catalog, one: str, other: str) -> None:
    a, b = catalog.lookup(one), catalog.lookup(other)
    assert a is not None and b is not None
    assert a.key != b.key


def test_reverse_fly_and_fly_are_isolation_on_other_muscles(catalog: Catalog) -> None:
    # Flyes are single-joint work: never counted as a pull or a press (issue 11), but the
    # muscles differ: the reverse fly loads the rear delts, the fly the chest.
    reverse, fly = catalog.lookup("Reverse Fly"), catalog.lookup("Fly")
    assert reverse is not None and fly is not None
    assert (reverse.pattern, fly.pattern) == ("isolation", "isolation")
    assert reverse.regions["rear_delts"] == 1.0 and reverse.regions["chest"] == 0.0
    assert fly.regions["chest"] == 1.0 and fly.regions["rear_delts"] == 0.0


def test_equipment_agnostic_fallback(catalog: Catalog) -> None:
    # No kettlebell bench press is listed: the same movement with other equipment is found,
    # and the first row of that movement (barbell) wins.
    assert catalog.lookup("Bench Press (Kettlebell)") is catalog.get("bench-press-barbell")
    # A modifier that keeps the movement, with the equipment kept: the machine variant.
    assert catalog.lookup("Wide Grip Lat Pulldown (Machine)") is catalog.get("lat-pulldown-machine")


@pytest.mark.parametrize(
    "name", ["Zzz Frobnicate", "unknown", "UNKNOWN", "Rest Timer", "", "   ", "Press", "Banana"]
)
def test_unknown_names_are_unmapped(catalog: Catalog, name: str) -> None:
    assert catalog.lookup(name) is None
    assert catalog.map_names([name]) == {name: None}


def test_own_meanings_win_by_name_and_normal_form(catalog: Catalog) -> None:
    own = {"Lat Pulldown (Gym 2)": "lat-pulldown-machine", "Bench": "no-such-key", "!!": "plank"}
    names = ["Lat Pulldown (Gym 2)", "lat pulldown  (gym 2)", "Bench", "Zzz Frobnicate", None]
    assert catalog.map_names(names, own=own) == {
        "Lat Pulldown (Gym 2)": "lat-pulldown-machine",  # the catalog would say the cable one
        "lat pulldown  (gym 2)": "lat-pulldown-machine",  # same normal form
        "Bench": "bench-press-barbell",  # a key the catalog does not hold is ignored
        "Zzz Frobnicate": None,
    }
    assert catalog.map_names(["Lat Pulldown (Gym 2)"]) == {
        "Lat Pulldown (Gym 2)": "lat-pulldown-cable"
    }


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("Seated Triceps", "isolation"),
        ("Single Arm Tricep Rope", "isolation"),
        ("Calves", "isolation"),
        ("Biceps Machine", "isolation"),
    ],
)
def test_a_muscle_without_a_movement_is_its_single_joint_exercise(name: str, pattern: str) -> None:
    from backcheck.catalog import load_catalog

    catalog = load_catalog()
    key = catalog.key_of(name)
    assert key is not None and catalog.get(key).pattern == pattern
    assert catalog.key_of("Triceps Chest Back") is None or catalog.get(
        catalog.key_of("Triceps Chest Back")
    ).pattern not in ("horizontal-push", "horizontal-pull")
