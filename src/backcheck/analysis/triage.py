"""Red flags: the questions to ask before anything else, and what the answers and diary mean.

docs/science.md section 6 (NICE red flags; CDC/NIOSH on exertional rhabdomyolysis) and section 4
(DOMS eases in 5-7 days, Cheung et al. 2003; NHS inform: get soreness checked when it lasts
more than 5 days or gets worse). backcheck never diagnoses: single red flags are weak
predictors, so every reason says what a sign *can* mean and to "get checked".

Levels, most urgent first: "emergency" (call an emergency number now), "see-doctor" (book an
appointment soon), "none" (every emergency question answered no and the diary shows nothing),
"not-asked" (emergency questions unanswered and the diary shows nothing). Emergency answers
always win. When in doubt a sign counts as an emergency: each emergency question alone is
enough (chest pain alone with back pain is already an emergency).

The diary checks (`diaryflags.diary_reasons`) always run, with or without answers; see that
function.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

import polars as pl

from backcheck.analysis.diaryflags import (
    diary_reasons,
)
from backcheck.errors import InputError

__all__ = [
    "ANSWER",
    "BOOK_SOON",
    "BOOK_WEEK",
    "CALL_NOW",
    "EASE_OFF",
    "QUESTIONS",
    "STOP_EMERGENCY",
    "Level",
    "Question",
    "RedFlags",
    "assess",
    "list_keys",
    "question",
    "validate_answers",
]

Level = Literal["emergency", "see-doctor", "none", "not-asked"]


@dataclass(frozen=True, slots=True)
class Question:
    """One yes/no red-flag question; `why` is the reason shown when the answer is yes."""

    key: str
    text: str
    level: Literal["emergency", "see-doctor"]
    why: str


_E: Final = "emergency"
_D: Final = "see-doctor"

#: Every item of docs/science.md section 6, compound items split into single yes/no questions.
QUESTIONS: Final[tuple[Question, ...]] = (
    # possible heart attack
    Question(
        "chest_pain",
        "Is there chest pain, pressure or tightness (now, or during or after training)?",
        _E,
        "chest pain or tightness together with back pain can come from "
        "the heart (possible heart attack): get checked now",
    ),
    Question(
        "pain_spreading",
        "Does the pain spread into your jaw or throat, or down your arm "
        "with a heavy or squeezing feeling?",
        _E,
        "pain spreading to the jaw, throat or arm "
        "can come from the heart (possible heart attack): get checked now",
    ),
    Question(
        "breathless",
        "Are you short of breath, more than the effort explains?",
        _E,
        "breathlessness with back pain can mean a heart or lung problem (possible heart "
        "attack or blood clot in the lung): get checked now",
    ),
    Question(
        "sweating_nausea",
        "Along with the pain, are you sweating, cold and clammy, or feeling sick?",
        _E,
        "sweating or nausea with back or chest pain can come from the "
        "heart (possible heart attack): get checked now",
    ),
    # possible aortic dissection
    Question(
        "tearing_pain",
        "Did a sudden, severe, tearing or ripping pain start in your chest or upper back?",
        _E,
        "sudden severe tearing pain in the chest or upper back can be "
        "a tear in the main artery (possible aortic dissection): get checked now",
    ),
    Question(
        "fainting",
        "Have you fainted or nearly fainted?",
        _E,
        "fainting with back or chest pain can come from the heart, the main artery or a "
        "blood clot in the lung: get checked now",
    ),
    Question(
        "stroke_signs",
        "Any sudden face drooping, weakness on one side, slurred speech, "
        "loss of vision or confusion?",
        _E,
        "stroke-like signs with back or chest pain can "
        "mean a problem with the main artery (possible aortic dissection) or a stroke: "
        "get checked now",
    ),
    # possible pulmonary embolism
    Question(
        "pain_on_breathing",
        "Is there sharp pain that gets worse when you breathe in?",
        _E,
        "sharp pain that is worse on breathing in can come from a blood clot in the lung "
        "(possible pulmonary embolism): get checked now",
    ),
    Question(
        "coughing_blood",
        "Are you coughing up blood?",
        _E,
        "coughing blood can mean a blood clot in the lung (possible pulmonary embolism): "
        "get checked now",
    ),
    # possible exertional rhabdomyolysis (can appear days after training)
    Question(
        "severe_muscle_pain",
        "Since a workout, is the muscle pain far worse than you would "
        "expect, or are the muscles swollen and hard?",
        _E,
        "muscle pain far worse than "
        "expected after a workout can be muscle breakdown (possible exertional "
        "rhabdomyolysis, which can damage the kidneys): get checked today",
    ),
    Question(
        "dark_urine",
        "Since training, is your urine dark: tea- or cola-coloured?",
        _E,
        "tea- or cola-coloured urine after training can mean muscle breakdown (possible "
        "exertional rhabdomyolysis): get checked now",
    ),
    Question(
        "marked_weakness",
        "Since a workout, are your muscles so weak that lifting your arms or standing up is hard?",
        _E,
        "marked muscle weakness after a workout can "
        "mean muscle breakdown (possible exertional rhabdomyolysis): get checked now",
    ),
    # the spinal cord and nerves
    Question(
        "leg_numbness",
        "Is there numbness, tingling or weakness in both legs?",
        _E,
        "numbness or weakness in both legs can mean pressure on the spinal cord: get checked now",
    ),
    Question(
        "saddle_numbness",
        "Is there numbness around your genitals, bottom or inner thighs?",
        _E,
        "numbness around the genitals or buttocks can mean pressure on the "
        "spinal nerves: get checked now",
    ),
    Question(
        "bladder_bowel",
        "Any new trouble controlling or emptying your bladder or bowel?",
        _E,
        "loss of bladder or bowel control can mean pressure on the spinal nerves: get checked now",
    ),
    Question(
        "serious_fall",
        "Did the pain start after a serious fall, a car accident or a hard blow?",
        _E,
        "back pain that began with a serious fall or accident can mean a "
        "broken bone in the spine: get checked now",
    ),
    # see a doctor soon
    Question(
        "fever",
        "Any fever (38 °C / 100.4 °F or more), or feeling hot and shivery?",
        _D,
        "fever with back pain can mean an infection: get checked soon",
    ),
    Question(
        "weight_loss",
        "Have you lost weight recently without trying?",
        _D,
        "weight loss without trying, with back pain, should be checked by a doctor",
    ),
    Question(
        "lump_or_deformity",
        "Is there a new lump, swelling or change in the shape of your back?",
        _D,
        "a lump or a change in the back's shape should be checked by a doctor",
    ),
    Question(
        "night_pain",
        "Is the pain worse at night, or does it wake you up?",
        _D,
        "pain that is worse at night or wakes you should be checked by a doctor",
    ),
    Question(
        "rest_pain",
        "Does the pain stay the same or get worse when you rest (it does not ease)?",
        _D,
        "pain that does not ease with rest should be checked by a doctor",
    ),
    Question(
        "cancer_history",
        "Have you ever had cancer?",
        _D,
        "back pain after a past cancer should be checked by a doctor",
    ),
    Question(
        "steroids_or_osteoporosis",
        "Do you take steroid medicine long-term (such as "
        "prednisolone), or have thin bones (osteoporosis)?",
        _D,
        "long-term steroid "
        "medicine or thin bones make a spine fracture possible even after a small knock: "
        "get checked",
    ),
    Question(
        "age_under_20",
        "Were you younger than 20 when this back pain first started?",
        _D,
        "back pain that first starts before age 20 should be checked by a doctor",
    ),
    Question(
        "age_over_50",
        "Were you older than 50 when this back pain first started?",
        _D,
        "back pain that first starts after age 50 should be checked by a doctor",
    ),
    Question(
        "no_improvement_4_weeks",
        "Has the pain lasted 4 weeks or more without getting better?",
        _D,
        "pain that has not improved within 4 weeks should be checked",
    ),
    Question(
        "soreness_over_5_days",
        "Has the soreness lasted more than 5 days, or is it getting worse?",
        _D,
        "soreness that lasts more than 5 days or gets worse should be "
        "checked (normal muscle soreness eases within 5-7 days)",
    ),
    Question(
        "arm_tingling",
        "Is there tingling, numbness or weakness in an arm or hand?",
        _D,
        "tingling, numbness or weakness in an arm can mean an irritated nerve: get checked",
    ),
)

_BY_KEY: Final = {q.key: q for q in QUESTIONS}

CALL_NOW: Final = (
    "Call your emergency number now (112 / 911 / 999) and describe these signs; do not drive "
    "yourself and do not wait to see if it passes."
)
STOP_EMERGENCY: Final = "Stop training until a doctor has checked you and says it is safe."
BOOK_WEEK: Final = "Book an appointment with your doctor this week and mention these signs."
BOOK_SOON: Final = (
    "Get checked today or tomorrow (your doctor or an urgent care service): these signs together "
    "should not wait a week."
)
EASE_OFF: Final = (
    "Until then, stop any exercise that brings on the pain; the training plan is withheld."
)
ANSWER: Final = "Answer the red-flag questions first: run `backcheck triage` (about a minute)."


#: The levels at which red flags were found (the rest: "none", "not-asked").
RED_FLAG_LEVELS: Final = ("emergency", "see-doctor")


@dataclass(slots=True)
class RedFlags:
    """The red-flag verdict: level, the reasons in plain words, and what to do now."""

    level: Level
    reasons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True for the levels that lead every output and withhold the plan (exit code 1)."""
        return self.level in RED_FLAG_LEVELS

    def to_json(self) -> dict[str, object]:
        """CONTRACT `red_flags`: {"level", "reasons"}."""
        return {"level": self.level, "reasons": list(self.reasons)}


def list_keys() -> list[str]:
    """Every answer key, in the order the questions are asked."""
    return [q.key for q in QUESTIONS]


def question(key: str) -> Question:
    """The Question with this key (KeyError for an unknown key)."""
    return _BY_KEY[key]


def validate_answers(doc: object, *, path: str | None = None) -> dict[str, bool]:
    """Check a red-flag answers document ({"chest_pain": false, ...}) and return it.

    A missing key means "not asked"; a JSON null is treated the same (dropped). InputError
    (at `path`, default "answers") for a document that is not an object, an unknown key (the
    message names it, suggests the nearest key and lists the valid ones) or a value that is not
    true/false.
    """
    where = path or "answers"
    if not isinstance(doc, dict):
        raise InputError(
            where,
            None,
            f'expected a JSON object of yes/no answers like {{"chest_pain": false}}, '
            f"got {type(doc).__name__}",
        )
    out: dict[str, bool] = {}
    for key, value in doc.items():
        if key not in _BY_KEY:
            near = difflib.get_close_matches(str(key), list(_BY_KEY), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise InputError(
                where,
                None,
                f"unknown answer key {key!r}{hint}; valid keys: {', '.join(list_keys())}",
            )
        if value is None:
            continue
        if not isinstance(value, bool):
            raise InputError(where, None, f"answer {key!r} must be true or false, got {value!r}")
        out[key] = value
    return out


def _unanswered(answers: dict[str, bool], level: str) -> list[str]:
    return [q.key for q in QUESTIONS if q.level == level and q.key not in answers]


def _combination(yes: set[str]) -> str | None:
    """A reason when see-doctor signs together call for a check within a day or two."""
    urgent = [k for k in yes if _BY_KEY[k].level == _D]
    if "fever" in yes and yes & {
        "night_pain",
        "rest_pain",
        "cancer_history",
        "steroids_or_osteoporosis",
        "weight_loss",
    }:
        return (
            "fever together with pain that does not ease, or with a past cancer, steroid use or "
            "weight loss, can mean an infection or something serious: get checked within a day"
        )
    if "cancer_history" in yes and len(urgent) >= 2:
        return (
            "back pain after a past cancer, together with other signs, should be checked within "
            "a day or two"
        )
    if len(urgent) >= 3:
        return f"{len(urgent)} warning signs together: get checked within a day or two"
    return None


def assess(
    answers: dict[str, bool] | None,
    pain: pl.DataFrame,
    *,
    as_of: date,
) -> RedFlags:
    """The red-flag verdict from the answers (None: never asked) and the pain diary.

    `answers`: validated answers (see `validate_answers`); missing keys were not asked.
    `pain`: the diary up to `as_of` (columns day (local Date) or at (UTC), level 0-10, note).
    Emergency answers (and emergency signs in recent diary notes) always win; then see-doctor
    answers and diary findings; then "none" when every emergency question was answered no,
    else "not-asked".
    """
    answers = dict(answers or {})
    yes = {k for k, v in answers.items() if v and k in _BY_KEY}
    emergency = [q.why for q in QUESTIONS if q.key in yes and q.level == _E]
    doctor = [q.why for q in QUESTIONS if q.key in yes and q.level == _D]
    combo = _combination(yes)
    diary = diary_reasons(pain, as_of=as_of)
    emergency += diary.emergency
    doctor += diary.see_doctor
    unasked = _unanswered(answers, _E)
    ask = []
    if unasked:
        ask = (
            [ANSWER]
            if len(unasked) == len(_unanswered({}, _E))
            else [
                f"{len(unasked)} of the emergency questions were not answered: run "
                "`backcheck triage` and answer them all."
            ]
        )
    if emergency:
        return RedFlags("emergency", emergency + doctor, [CALL_NOW, STOP_EMERGENCY])
    if doctor:
        reasons = doctor + ([combo] if combo else [])
        urgent = combo is not None or diary.urgent
        return RedFlags("see-doctor", reasons, [BOOK_SOON if urgent else BOOK_WEEK, EASE_OFF, *ask])
    if unasked:
        return RedFlags(
            "not-asked",
            [
                "the red-flag questions have not been answered yet"
                if not answers
                else f"{len(unasked)} of the {len(_unanswered({}, _E))} emergency questions "
                "were not answered: " + " ".join(question(k).text for k in unasked)
            ],
            ask,
        )
    rest = _unanswered(answers, _D)
    actions = ["Run `backcheck triage` again if anything changes or new signs appear."]
    if rest:
        actions.insert(
            0,
            f"{len(rest)} of the questions about signs a doctor should check were not answered "
            "yet (run `backcheck triage`).",
        )
    return RedFlags("none", [], actions)
