"""Red flags: the questions to ask before anything else, and what the answers and diary mean.

SCIENCE.md section 6 (NICE red flags; CDC/NIOSH on exertional rhabdomyolysis) and section 4
(DOMS eases in 5-7 days, Cheung et al. 2003; NHS inform: get soreness checked when it lasts
more than 5 days or gets worse). backcheck never diagnoses: single red flags are weak
predictors, so every reason says what a sign *can* mean and to "get checked".

Levels, most urgent first: "emergency" (call an emergency number now), "see-doctor" (book an
appointment soon), "none" (every emergency question answered no and the diary shows nothing),
"not-asked" (emergency questions unanswered and the diary shows nothing). Emergency answers
always win. When in doubt a sign counts as an emergency: each emergency question alone is
enough (chest pain alone with back pain is already an emergency).

The diary checks (`diary_reasons`) always run, with or without answers; see that function.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal

import polars as pl

from backcheck.errors import InputError

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

#: Every item of SCIENCE.md section 6, compound items split into single yes/no questions.
QUESTIONS: Final[tuple[Question, ...]] = (
    # possible heart attack
    Question("chest_pain", "Is there chest pain, pressure or tightness (now, or during or after "
             "training)?", _E, "chest pain or tightness together with back pain can come from "
             "the heart (possible heart attack): get checked now"),
    Question("pain_spreading", "Does the pain spread into your jaw or throat, or down your arm "
             "with a heavy or squeezing feeling?", _E, "pain spreading to the jaw, throat or arm "
             "can come from the heart (possible heart attack): get checked now"),
    Question("breathless", "Are you short of breath, more than the effort explains?", _E,
             "breathlessness with back pain can mean a heart or lung problem (possible heart "
             "attack or blood clot in the lung): get checked now"),
    Question("sweating_nausea", "Along with the pain, are you sweating, cold and clammy, or "
             "feeling sick?", _E, "sweating or nausea with back or chest pain can come from the "
             "heart (possible heart attack): get checked now"),
    # possible aortic dissection
    Question("tearing_pain", "Did a sudden, severe, tearing or ripping pain start in your chest "
             "or upper back?", _E, "sudden severe tearing pain in the chest or upper back can be "
             "a tear in the main artery (possible aortic dissection): get checked now"),
    Question("fainting", "Have you fainted or nearly fainted?", _E,
             "fainting with back or chest pain can come from the heart, the main artery or a "
             "blood clot in the lung: get checked now"),
    Question("stroke_signs", "Any sudden face drooping, weakness on one side, slurred speech, "
             "loss of vision or confusion?", _E, "stroke-like signs with back or chest pain can "
             "mean a problem with the main artery (possible aortic dissection) or a stroke: "
             "get checked now"),
    # possible pulmonary embolism
    Question("pain_on_breathing", "Is there sharp pain that gets worse when you breathe in?", _E,
             "sharp pain that is worse on breathing in can come from a blood clot in the lung "
             "(possible pulmonary embolism): get checked now"),
    Question("coughing_blood", "Are you coughing up blood?", _E,
             "coughing blood can mean a blood clot in the lung (possible pulmonary embolism): "
             "get checked now"),
    # possible exertional rhabdomyolysis (can appear days after training)
    Question("severe_muscle_pain", "Since a workout, is the muscle pain far worse than you would "
             "expect, or are the muscles swollen and hard?", _E, "muscle pain far worse than "
             "expected after a workout can be muscle breakdown (possible exertional "
             "rhabdomyolysis, which can damage the kidneys): get checked today"),
    Question("dark_urine", "Since training, is your urine dark: tea- or cola-coloured?", _E,
             "tea- or cola-coloured urine after training can mean muscle breakdown (possible "
             "exertional rhabdomyolysis): get checked now"),
    Question("marked_weakness", "Since a workout, are your muscles so weak that lifting your "
             "arms or standing up is hard?", _E, "marked muscle weakness after a workout can "
             "mean muscle breakdown (possible exertional rhabdomyolysis): get checked now"),
    # the spinal cord and nerves
    Question("leg_numbness", "Is there numbness, tingling or weakness in both legs?", _E,
             "numbness or weakness in both legs can mean pressure on the spinal cord: get "
             "checked now"),
    Question("saddle_numbness", "Is there numbness around your genitals, bottom or inner "
             "thighs?", _E, "numbness around the genitals or buttocks can mean pressure on the "
             "spinal nerves: get checked now"),
    Question("bladder_bowel", "Any new trouble controlling or emptying your bladder or bowel?",
             _E, "loss of bladder or bowel control can mean pressure on the spinal nerves: get "
             "checked now"),
    Question("serious_fall", "Did the pain start after a serious fall, a car accident or a hard "
             "blow?", _E, "back pain that began with a serious fall or accident can mean a "
             "broken bone in the spine: get checked now"),
    # see a doctor soon
    Question("fever", "Any fever (38 °C / 100.4 °F or more), or feeling hot and shivery?", _D,
             "fever with back pain can mean an infection: get checked soon"),
    Question("weight_loss", "Have you lost weight recently without trying?", _D,
             "weight loss without trying, with back pain, should be checked by a doctor"),
    Question("lump_or_deformity", "Is there a new lump, swelling or change in the shape of your "
             "back?", _D, "a lump or a change in the back's shape should be checked by a doctor"),
    Question("night_pain", "Is the pain worse at night, or does it wake you up?", _D,
             "pain that is worse at night or wakes you should be checked by a doctor"),
    Question("rest_pain", "Does the pain stay the same or get worse when you rest (it does not "
             "ease)?", _D, "pain that does not ease with rest should be checked by a doctor"),
    Question("cancer_history", "Have you ever had cancer?", _D,
             "back pain after a past cancer should be checked by a doctor"),
    Question("steroids_or_osteoporosis", "Do you take steroid medicine long-term (such as "
             "prednisolone), or have thin bones (osteoporosis)?", _D, "long-term steroid "
             "medicine or thin bones make a spine fracture possible even after a small knock: "
             "get checked"),
    Question("age_under_20", "Were you younger than 20 when this back pain first started?", _D,
             "back pain that first starts before age 20 should be checked by a doctor"),
    Question("age_over_50", "Were you older than 50 when this back pain first started?", _D,
             "back pain that first starts after age 50 should be checked by a doctor"),
    Question("no_improvement_4_weeks", "Has the pain lasted 4 weeks or more without getting "
             "better?", _D, "pain that has not improved within 4 weeks should be checked"),
    Question("soreness_over_5_days", "Has the soreness lasted more than 5 days, or is it getting "
             "worse?", _D, "soreness that lasts more than 5 days or gets worse should be "
             "checked (normal muscle soreness eases within 5-7 days)"),
    Question("arm_tingling", "Is there tingling, numbness or weakness in an arm or hand?", _D,
             "tingling, numbness or weakness in an arm can mean an irritated nerve: get checked"),
)  # fmt: skip

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


@dataclass(slots=True)
class RedFlags:
    """The red-flag verdict: level, the reasons in plain words, and what to do now."""

    level: Level
    reasons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

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


# ----------------------------------------------------------------- the pain diary

#: Diary findings look back this many days up to as_of (older, resolved episodes are history).
RECENT_DAYS: Final = 28
#: An emergency sign in a diary note this many days old or newer counts as an emergency.
NOTE_EMERGENCY_DAYS: Final = 2
PAIN_LEVEL: Final = 3  # NRS 0-10: the level counted as pain (the same cut as the pain links)
SEVERE_LEVEL: Final = 9
#: Diary days with pain at most this many days apart form one run (one unlogged day allowed).
MAX_GAP_DAYS: Final = 2
_MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")  # fmt: skip
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|none|didn'?t|don'?t|doesn'?t|wasn'?t|isn'?t|kein\w*|nicht|ohne)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[.;,!?]|\bbut\b|\baber\b", re.IGNORECASE)
#: Night pain in a note (English, German). "last night" and "a night's sleep" are not symptoms.
_NIGHT = re.compile(
    r"(?<!last )\bnights?\b(?!'s sleep| of sleep)|\bnight-?time\b|\bovernight\b"
    r"|\bwo(?:ke|ken|kes)\b|\bwaking\b|\bnachts\b|\bnächtlich|\bin der nacht\b|\bnachtschmerz"
    r"|\baufgewacht\b|\bweckt mich\b",
    re.IGNORECASE,
)
#: Emergency signs a diary note may mention (SCIENCE.md section 6), as (label, pattern).
_NOTE_SIGNS: Final = (
    ("chest pain or tightness", r"\bchest\s+(?:pain|tight\w*|pressure|hurts?|ache)"
     r"|\b(?:pain|tight\w*|pressure)\s+(?:in|across|on)\s+(?:my\s+|the\s+)?chest\b"
     r"|\bbrustschmerz|\bengegefühl"),
    ("breathlessness", r"\bshort(?:ness)?\s+of\s+breath|\bbreathless|\bcan'?t\s+breathe"
     r"|\bcannot\s+breathe|\batemnot"),
    ("fainting", r"\bfaint(?:ed|ing)?\b|\bpassed\s+out\b|\bblack(?:ed)?\s+out\b|\bohnmacht"
     r"|\bbewusstlos"),
    ("a sudden tearing pain", r"\b(?:tearing|ripping)\s+(?:pain|feeling|sensation)"
     r"|\bpain\s+(?:was\s+|is\s+)?(?:tearing|ripping)|\breißend"),
    ("coughing blood", r"\bcough\w*\s+(?:up\s+)?blood|\bblood\w*\s+cough|\bbluthusten"),
    ("dark urine", r"\b(?:dark|brown|cola|tea)[\w\s-]{0,15}\b(?:urine|pee|wee)\b"
     r"|\b(?:urine|pee)\b[\w\s]{0,15}\b(?:dark|brown|cola|tea)\b|\bdunkler?\s+urin"),
    ("numbness in both legs", r"\bboth\s+legs\b|\bnumb\w*\s+(?:in\s+)?(?:my\s+)?legs\b"
     r"|\blegs\s+(?:went\s+|are\s+|feel\s+)?numb"),
    ("numbness around the genitals or buttocks", r"\bsaddle\b|\bnumb\w*\s+(?:around\s+|in\s+)?"
     r"(?:my\s+)?(?:groin|genitals?|buttocks?|bottom)"),
    ("bladder or bowel trouble", r"\bbladder\b|\bbowel\b|\bincontinen"),
    ("stroke-like signs", r"\bslurred\b|\bface\s+droop|\bdrooping\b"),
)  # fmt: skip


@dataclass(slots=True)
class DiaryFindings:
    """What the pain diary alone says; `urgent`: the see-doctor findings should not wait."""

    emergency: list[str] = field(default_factory=list)
    see_doctor: list[str] = field(default_factory=list)
    urgent: bool = False


def _day(d: date, as_of: date, *, year: bool = False) -> str:
    text = f"{d.day} {_MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year or d.year != as_of.year else text


def _span(a: date, b: date, as_of: date) -> str:
    """ "3 to 10 November", "28 October to 4 November", "30 December 2025 to 2 January 2026"."""
    if a == b:
        return _day(a, as_of)
    if a.year != b.year:
        return f"{_day(a, as_of, year=True)} to {_day(b, as_of, year=True)}"
    first = str(a.day) if a.month == b.month else f"{a.day} {_MONTHS[a.month - 1]}"
    return f"{first} to {_day(b, as_of)}"


def _days(ds: list[date], as_of: date) -> str:
    """ "5 November", "5 and 7 November", "1, 5 and 7 November and 2 more"."""
    shown = [_day(d, as_of) for d in ds[:3]]
    more = f" and {len(ds) - 3} more" if len(ds) > 3 else ""
    if len(shown) == 1:
        return shown[0] + more
    return f"{', '.join(shown[:-1])} and {shown[-1]}{more}"


def _quote(note: str) -> str:
    note = " ".join(note.split())
    return f'"{note[:57]}..."' if len(note) > 60 else f'"{note}"'


def _mentions(note: str, pattern: re.Pattern[str]) -> bool:
    """`pattern` occurs in `note` outside a negated clause ("no pain at night" does not count)."""
    for m in pattern.finditer(note):
        clause = _CLAUSE.split(note[: m.start()])[-1]
        if not _NEGATION.search(clause):
            return True
    return False


def _entries(pain: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """day (Date), level (Int32), note (String) of every entry up to as_of, oldest first."""
    day = pl.col("day") if "day" in pain.columns else pl.col("at").dt.date()
    note = pl.col("note") if "note" in pain.columns else pl.lit(None)
    return (
        pain.select(
            day.cast(pl.Date).alias("day"),
            pl.col("level").cast(pl.Int32),
            note.cast(pl.String).alias("note"),
        )
        .drop_nulls(["day", "level"])
        .filter(pl.col("day") <= as_of)
        .sort("day")
    )


def _runs(daily: list[tuple[date, int]]) -> list[list[tuple[date, int]]]:
    """Runs of diary days with pain (>= PAIN_LEVEL), at most MAX_GAP_DAYS apart."""
    runs: list[list[tuple[date, int]]] = []
    current: list[tuple[date, int]] = []
    for d, level in daily:
        if level >= PAIN_LEVEL and current and (d - current[-1][0]).days <= MAX_GAP_DAYS:
            current.append((d, level))
            continue
        if current:
            runs.append(current)
        current = [(d, level)] if level >= PAIN_LEVEL else []
    if current:
        runs.append(current)
    return runs


def _run_reason(run: list[tuple[date, int]], as_of: date) -> str | None:
    """A reason for a run lasting > 5 days, or getting worse after the 72 h DOMS peak."""
    first, last = run[0][0], run[-1][0]
    span = (last - first).days + 1
    early = max(level for d, level in run if (d - first).days < 3)
    later = [(level, d) for d, level in run if (d - first).days >= 3]
    peak = max(later, key=lambda t: (t[0], -t[1].toordinal())) if later else None
    worse = f"level {run[0][1]} to {peak[0]}" if peak and peak[0] >= early + 2 else ""
    if span > 5:
        every = "every day" if len(run) == span else "every day you logged"
        text = f"pain {every} from {_span(first, last, as_of)} ({span} days)"
        text += f", getting worse ({worse})" if worse else ""
        return text + ": soreness that lasts more than 5 days should be checked"
    if worse and peak:
        return (
            f"pain getting worse from {_day(first, as_of)} (level {run[0][1]}) to "
            f"{_day(peak[1], as_of)} (level {peak[0]}): soreness that gets worse after 3 days "
            "instead of easing should be checked"
        )
    return None


def _no_improvement(daily: pl.DataFrame, as_of: date) -> str | None:
    """Pain (>= 3) on every diary day of the last 4 weeks, each week logged, and the last
    week's mean level not lower than the first week's."""
    start = as_of - timedelta(days=27)
    means: list[float] = []
    for k in range(4):
        lo = start + timedelta(days=7 * k)
        week = daily.filter(pl.col("day").is_between(lo, lo + timedelta(days=6)))["level"]
        if week.len() == 0 or int(week.min()) < PAIN_LEVEL:  # type: ignore[arg-type]
            return None
        means.append(float(week.mean()))  # type: ignore[arg-type]
    if means[3] < means[0]:
        return None
    return (
        f"pain on every day you logged from {_span(start, as_of, as_of)}, average level "
        f"{means[0]:.1f} in the first week and {means[3]:.1f} in the last: pain that has not "
        "improved within 4 weeks should be checked"
    )


def diary_reasons(pain: pl.DataFrame, *, as_of: date) -> DiaryFindings:
    """Red flags in the pain diary alone (always checked, answers or not).

    Looking back RECENT_DAYS (28) days up to `as_of`, see-doctor when: pain (level >= 3) on
    every diary day for more than 5 days in a row (one unlogged day may sit between entries),
    or rising by >= 2 points after the first 3 days of such a run (soreness should peak by
    72 h and ease in 5-7 days: Cheung et al. 2003; NHS inform); pain on every diary day of the
    last 4 weeks (each week logged) with the last week's mean not lower than the first's; a
    note on a painful day mentioning night pain ("at night", "woke", "nachts"); a level of
    9-10. A note mentioning an emergency sign (chest pain, fainting, dark urine ...) is an
    emergency when it is at most NOTE_EMERGENCY_DAYS (2) days old, else see-doctor. Negated
    mentions ("no chest pain") and "last night" do not count. A day's level is its highest
    entry.
    """
    entries = _entries(pain, as_of)
    recent_from = as_of - timedelta(days=RECENT_DAYS - 1)
    daily = entries.group_by("day").agg(pl.col("level").max()).sort("day")
    found = DiaryFindings()
    for run in _runs(list(daily.iter_rows())):
        reason = _run_reason(run, as_of) if run[-1][0] >= recent_from else None
        if reason:
            found.see_doctor.append(reason)
            found.urgent = found.urgent or "worse" in reason
    stalled = _no_improvement(daily, as_of)
    if stalled:
        found.see_doctor.append(stalled)
    recent = entries.filter(pl.col("day") >= recent_from)
    night: list[tuple[date, str]] = []
    for d, level, note in recent.filter(pl.col("note").is_not_null()).iter_rows():
        for label, pattern in _NOTE_SIGNS:
            if _mentions(note, re.compile(pattern, re.IGNORECASE)):
                if (as_of - d).days <= NOTE_EMERGENCY_DAYS:
                    found.emergency.append(
                        f"your diary note on {_day(d, as_of)} mentions {label} ({_quote(note)}): "
                        "with back pain this can be serious: get checked now"
                    )
                else:
                    found.see_doctor.append(
                        f"your diary note on {_day(d, as_of)} mentions {label} ({_quote(note)}): "
                        "get checked, and call your emergency number if it happens again"
                    )
                    found.urgent = True
        if level > 0 and _mentions(note, _NIGHT) and all(x != d for x, _ in night):
            night.append((d, note))
    if night:
        many = len(night) > 1
        found.see_doctor.append(
            f"your diary {'notes' if many else 'note'} on {_days([d for d, _ in night], as_of)} "
            f"{'mention' if many else 'mentions'} pain at night ({_quote(night[0][1])}): pain "
            "that is worse at night or wakes you should be checked"
        )
    severe = recent.filter(pl.col("level") >= SEVERE_LEVEL)
    if severe.height:
        days = severe["day"].unique().sort().to_list()
        lo, hi = int(severe["level"].min()), int(severe["level"].max())  # type: ignore[arg-type]
        levels = str(lo) if lo == hi else f"{lo}-{hi}"
        found.see_doctor.append(
            f"pain level {levels} on {_days(days, as_of)}: pain this severe should be checked"
        )
        found.urgent = True
    return found


def _unanswered(answers: dict[str, bool], level: str) -> list[str]:
    return [q.key for q in QUESTIONS if q.level == level and q.key not in answers]


def _combination(yes: set[str]) -> str | None:
    """A reason when see-doctor signs together call for a check within a day or two."""
    urgent = [k for k in yes if _BY_KEY[k].level == _D]
    if "fever" in yes and yes & {"night_pain", "rest_pain", "cancer_history",
                                 "steroids_or_osteoporosis", "weight_loss"}:  # fmt: skip
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
        ask = [ANSWER] if len(unasked) == len(_unanswered({}, _E)) else [
            f"{len(unasked)} of the emergency questions were not answered: run "
            "`backcheck triage` and answer them all."
        ]  # fmt: skip
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
                f"were not answered: {', '.join(unasked)}"
            ],
            ask,
        )
    rest = _unanswered(answers, _D)
    actions = ["Run `backcheck triage` again if anything changes or new signs appear."]
    if rest:
        actions.insert(0, f"Not answered yet: {', '.join(rest)} (run `backcheck triage`).")
    return RedFlags("none", [], actions)
