"""The simulator's exercise list: Strong's names, movement pattern, load and rep habits.

Loads are a typical intermediate lifter's working load in kg at the start of the history (per
dumbbell for dumbbell lifts; 0 for bodyweight). `gain` is kg added per month early on; gains
slow down over years (see `training.load_at`). `step` is the plate/pin increment loads are
rounded to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

UPPER_BODY_PATTERNS: Final = (
    "horizontal-push",
    "vertical-push",
    "horizontal-pull",
    "vertical-pull",
    "isolation",
)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise as the simulator logs it.

    kind: "weighted" (load x reps), "bodyweight" (weight 0, reps), "timed" (weight 0, seconds),
    "cardio" (distance in metres and seconds).
    """

    name: str
    pattern: str  # one of model.PATTERNS
    kind: str
    load: float  # kg, working load at the start (0 for bodyweight/timed/cardio)
    gain: float  # kg per month at the start of the history
    step: float  # kg, loads are multiples of this
    reps: tuple[int, int]  # working rep range (inclusive); seconds range for "timed"
    upper_back: bool  # works the upper-back muscles (traps, rhomboids, lats, rear delts)

    @property
    def upper_body(self) -> bool:
        """An upper-body lift: a push, a pull or an arm/shoulder isolation (all isolation
        exercises here are upper body)."""
        return self.pattern in UPPER_BODY_PATTERNS


def _ex(
    name: str,
    pattern: str,
    kind: str,
    load: float,
    gain: float,
    step: float,
    reps: tuple[int, int],
    upper_back: bool = False,
) -> Exercise:
    return Exercise(name, pattern, kind, load, gain, step, reps, upper_back)


EXERCISES: Final[dict[str, Exercise]] = {
    e.name: e
    for e in (
        _ex("Bench Press (Barbell)", "horizontal-push", "weighted", 60.0, 2.5, 2.5, (5, 8)),
        _ex(
            "Incline Bench Press (Dumbbell)", "horizontal-push", "weighted", 20.0, 1.0, 2.0, (8, 12)
        ),
        _ex("Push Up", "horizontal-push", "bodyweight", 0.0, 0.0, 1.0, (12, 25)),
        _ex("Overhead Press (Barbell)", "vertical-push", "weighted", 37.5, 1.25, 2.5, (5, 8)),
        _ex(
            "Triceps Pushdown (Cable - Straight Bar)",
            "isolation",
            "weighted",
            25.0,
            1.0,
            2.5,
            (10, 15),
        ),
        _ex(
            "Bent Over Row (Barbell)", "horizontal-pull", "weighted", 55.0, 2.5, 2.5, (6, 10), True
        ),
        _ex("Seated Row (Cable)", "horizontal-pull", "weighted", 50.0, 2.0, 2.5, (8, 12), True),
        _ex(
            "Bent Over One Arm Row (Dumbbell)",
            "horizontal-pull",
            "weighted",
            24.0,
            1.0,
            2.0,
            (8, 12),
            True,
        ),
        _ex("Face Pull (Cable)", "horizontal-pull", "weighted", 17.5, 0.5, 2.5, (12, 15), True),
        _ex("Lat Pulldown (Cable)", "vertical-pull", "weighted", 50.0, 2.0, 2.5, (8, 12), True),
        _ex("Pull Up", "vertical-pull", "bodyweight", 0.0, 0.0, 1.0, (5, 10), True),
        _ex("Shrug (Dumbbell)", "isolation", "weighted", 26.0, 1.0, 2.0, (10, 15), True),
        _ex("Squat (Barbell)", "squat", "weighted", 70.0, 5.0, 2.5, (5, 8)),
        _ex("Deadlift (Barbell)", "hinge", "weighted", 90.0, 5.0, 5.0, (3, 6)),
        _ex("Romanian Deadlift (Barbell)", "hinge", "weighted", 60.0, 2.5, 2.5, (8, 10)),
        _ex("Leg Press", "squat", "weighted", 120.0, 5.0, 5.0, (10, 12)),
        _ex("Bicep Curl (Dumbbell)", "isolation", "weighted", 12.0, 0.5, 1.0, (10, 12)),
        _ex("Plank", "core", "timed", 0.0, 0.0, 1.0, (40, 90)),
        _ex("Cycling (Indoor)", "cardio", "cardio", 0.0, 0.0, 1.0, (5, 10)),
        _ex("Rowing (Machine)", "cardio", "cardio", 0.0, 0.0, 1.0, (5, 10)),
    )
}

#: Horizontal pushes and pulls, the two sides of the push:pull balance (docs/science.md section 3).
HORIZONTAL_PUSH: Final = ("Bench Press (Barbell)", "Incline Bench Press (Dumbbell)", "Push Up")
HORIZONTAL_PULL: Final = (
    "Bent Over Row (Barbell)",
    "Seated Row (Cable)",
    "Face Pull (Cable)",
    "Bent Over One Arm Row (Dumbbell)",
)
VERTICAL_PULL: Final = ("Lat Pulldown (Cable)", "Pull Up")
CARDIO: Final = ("Cycling (Indoor)", "Rowing (Machine)")
#: Metres per minute for the cardio warm-up entries (easy pace).
CARDIO_PACE: Final = {"Cycling (Indoor)": 400.0, "Rowing (Machine)": 220.0}
