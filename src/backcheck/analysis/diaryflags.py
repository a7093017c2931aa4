"""Red flags in the pain diary alone: long or worsening pain runs, night pain, severe levels,
and emergency signs mentioned in notes (docs/science.md sections 4 and 6).

DOMS peaks by 72 h and eases within 5-7 days (Cheung et al. 2003); NHS inform: get soreness
checked when it lasts more than 5 days or gets worse. Levels are the 0-10 numeric rating
scale; a day's level is its highest entry. backcheck never diagnoses: every reason says what
a sign *can* mean and to "get checked". `triage.assess` combines these findings with the
answers to the red-flag questions; see `diary_reasons`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

import polars as pl

#: Diary findings look back this many days up to as_of (older, resolved episodes are history).
RECENT_DAYS: Final = 28
#: An emergency sign in a diary note this many days old or newer counts as an emergency.
NOTE_EMERGENCY_DAYS: Final = 2
PAIN_LEVEL: Final = 3  # NRS 0-10: the level counted as pain (the same cut as the pain links)
SEVERE_LEVEL: Final = 9
#: Diary days with pain at most this many days apart form one run (one unlogged day allowed).
MAX_GAP_DAYS: Final = 2
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
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
#: Emergency signs a diary note may mention (docs/science.md section 6), as (label, pattern).
_NOTE_SIGNS: Final = (
    (
        "chest pain or tightness",
        r"\bchest\s+(?:pain|tight\w*|pressure|hurts?|ache)"
        r"|\b(?:pain|tight\w*|pressure)\s+(?:in|across|on)\s+(?:my\s+|the\s+)?chest\b"
        r"|\bbrustschmerz|\bengegefühl",
    ),
    (
        "breathlessness",
        r"\bshort(?:ness)?\s+of\s+breath|\bbreathless|\bcan'?t\s+breathe"
        r"|\bcannot\s+breathe|\batemnot",
    ),
    (
        "fainting",
        r"\bfaint(?:ed|ing)?\b|\bpassed\s+out\b|\bblack(?:ed)?\s+out\b|\bohnmacht"
        r"|\bbewusstlos",
    ),
    (
        "a sudden tearing pain",
        r"\b(?:tearing|ripping)\s+(?:pain|feeling|sensation)"
        r"|\bpain\s+(?:was\s+|is\s+)?(?:tearing|ripping)|\breißend",
    ),
    ("coughing blood", r"\bcough\w*\s+(?:up\s+)?blood|\bblood\w*\s+cough|\bbluthusten"),
    (
        "dark urine",
        r"\b(?:dark|brown|cola|tea)[\w\s-]{0,15}\b(?:urine|pee|wee)\b"
        r"|\b(?:urine|pee)\b[\w\s]{0,15}\b(?:dark|brown|cola|tea)\b|\bdunkler?\s+urin",
    ),
    (
        "numbness in both legs",
        r"\bboth\s+legs\b|\bnumb\w*\s+(?:in\s+)?(?:my\s+)?legs\b"
        r"|\blegs\s+(?:went\s+|are\s+|feel\s+)?numb",
    ),
    (
        "numbness around the genitals or buttocks",
        r"\bsaddle\b|\bnumb\w*\s+(?:around\s+|in\s+)?"
        r"(?:my\s+)?(?:groin|genitals?|buttocks?|bottom)",
    ),
    ("bladder or bowel trouble", r"\bbladder\b|\bbowel\b|\bincontinen"),
    ("stroke-like signs", r"\bslurred\b|\bface\s+droop|\bdrooping\b"),
)


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
