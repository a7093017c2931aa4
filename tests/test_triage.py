"""Red-flag triage: every emergency sign alone is an emergency; the diary is always checked."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from backcheck.analysis.triage import QUESTIONS, assess, list_keys, validate_answers
from backcheck.errors import InputError
from backcheck.ingest.pain import read_pain

AS_OF = date(2026, 11, 10)
EMERGENCY = [q.key for q in QUESTIONS if q.level == "emergency"]
SEE_DOCTOR = [q.key for q in QUESTIONS if q.level == "see-doctor"]
#: The keys the brief and docs/science.md section 6 name; every one must be asked.
NAMED = {
    "emergency": {
        "chest_pain",
        "breathless",
        "sweating_nausea",
        "tearing_pain",
        "fainting",
        "stroke_signs",
        "pain_on_breathing",
        "coughing_blood",
        "dark_urine",
        "marked_weakness",
        "leg_numbness",
        "saddle_numbness",
        "bladder_bowel",
        "serious_fall",
    },
    "see-doctor": {
        "fever",
        "weight_loss",
        "lump_or_deformity",
        "night_pain",
        "rest_pain",
        "cancer_history",
        "steroids_or_osteoporosis",
        "age_under_20",
        "age_over_50",
        "no_improvement_4_weeks",
        "soreness_over_5_days",
        "arm_tingling",
    },
}


def _diary(rows: list[tuple[date, int, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "day": [d for d, _, _ in rows],
            "level": [lv for _, lv, _ in rows],
            "note": [n for _, _, n in rows],
        },
        schema={"day": pl.Date, "level": pl.Int32, "note": pl.String},
    )


QUIET = _diary([(AS_OF - timedelta(days=k), k % 3, None) for k in range(20)])  # levels 0-2
EMPTY = _diary([])


def _no(**yes: bool) -> dict[str, bool]:
    return {**dict.fromkeys(list_keys(), False), **yes}


def _daily(first: date, levels: list[int], note: str | None = None) -> pl.DataFrame:
    return _diary([(first + timedelta(days=i), lv, note) for i, lv in enumerate(levels)])


# ----------------------------------------------------------------- the questions


def test_questions_cover_section_6() -> None:
    keys = list_keys()
    assert len(keys) == len(set(keys)), "duplicate keys"
    assert keys[: len(EMERGENCY)] == EMERGENCY, "emergency questions come first"
    assert NAMED["emergency"] <= set(EMERGENCY)
    assert NAMED["see-doctor"] <= set(SEE_DOCTOR)
    for q in QUESTIONS:
        assert q.key.isidentifier() and q.key == q.key.lower()
        assert q.text.endswith("?") and len(q.text) < 140
        assert "get checked" in q.why or "should be checked" in q.why


@pytest.mark.parametrize("key", EMERGENCY)
def test_each_emergency_sign_alone_is_an_emergency(key: str) -> None:
    flags = assess(_no(**{key: True}), QUIET, as_of=AS_OF)
    assert flags.level == "emergency"
    assert flags.reasons == [q.why for q in QUESTIONS if q.key == key]
    assert "112 / 911 / 999" in flags.actions[0]
    assert flags.to_json() == {"level": "emergency", "reasons": flags.reasons}


@pytest.mark.parametrize("key", EMERGENCY)
def test_an_emergency_sign_counts_even_when_nothing_else_was_asked(key: str) -> None:
    assert assess({key: True}, EMPTY, as_of=AS_OF).level == "emergency"


@pytest.mark.parametrize("key", SEE_DOCTOR)
def test_each_see_doctor_sign_alone_means_see_a_doctor(key: str) -> None:
    flags = assess(_no(**{key: True}), QUIET, as_of=AS_OF)
    assert flags.level == "see-doctor"
    assert len(flags.reasons) == 1
    assert flags.actions[0].startswith("Book an appointment with your doctor this week")


def test_emergency_wins_over_everything() -> None:
    diary = _daily(AS_OF - timedelta(days=7), [5] * 8)  # also a > 5 day run
    flags = assess(_no(fever=True, night_pain=True, dark_urine=True), diary, as_of=AS_OF)
    assert flags.level == "emergency"
    assert "urine" in flags.reasons[0]  # emergency reasons first
    assert len(flags.reasons) == 4


def test_signs_together_should_not_wait_a_week() -> None:
    flags = assess(_no(fever=True, rest_pain=True), QUIET, as_of=AS_OF)
    assert flags.level == "see-doctor"
    assert "today or tomorrow" in flags.actions[0]
    assert any("infection" in r for r in flags.reasons)


def test_nothing_asked_and_a_quiet_diary_is_not_asked() -> None:
    for diary in (EMPTY, QUIET):
        flags = assess(None, diary, as_of=AS_OF)
        assert flags.level == "not-asked"
        assert "backcheck triage" in flags.actions[0]
    assert assess({}, QUIET, as_of=AS_OF).level == "not-asked"


def test_all_false_answers_and_a_quiet_diary_is_none() -> None:
    flags = assess(_no(), QUIET, as_of=AS_OF)
    assert flags.level == "none" and flags.reasons == []
    assert flags.to_json() == {"level": "none", "reasons": []}


def test_unanswered_emergency_questions_are_not_none() -> None:
    only_urgent = dict.fromkeys(SEE_DOCTOR, False)
    flags = assess(only_urgent, QUIET, as_of=AS_OF)
    assert flags.level == "not-asked"
    assert str(len(EMERGENCY)) in flags.reasons[0]
    # every emergency question answered: "none", the rest listed as unanswered
    flags = assess(dict.fromkeys(EMERGENCY, False), QUIET, as_of=AS_OF)
    assert flags.level == "none"
    assert f"{len(SEE_DOCTOR)} of the questions" in flags.actions[0]


# ----------------------------------------------------------------- the diary alone


def test_soreness_over_5_days_from_the_diary() -> None:
    diary = _daily(date(2026, 11, 3), [4, 5, 5, 4, 4, 5, 4, 3])  # 3 to 10 November
    flags = assess(None, diary, as_of=AS_OF)
    assert flags.level == "see-doctor"
    assert flags.reasons == [
        "pain every day from 3 to 10 November (8 days): soreness that lasts more than 5 days "
        "should be checked"
    ]
    assert any("backcheck triage" in a for a in flags.actions)  # still asks the questions


def test_five_days_is_normal_soreness_six_is_not() -> None:
    start = AS_OF - timedelta(days=8)
    five = _daily(start, [4, 5, 5, 4, 3, 0])
    assert assess(_no(), five, as_of=AS_OF).level == "none"
    six = _daily(start, [4, 5, 5, 4, 3, 3, 0])
    assert assess(_no(), six, as_of=AS_OF).level == "see-doctor"


def test_one_unlogged_day_does_not_break_a_run_but_three_do() -> None:
    d = AS_OF - timedelta(days=12)
    one_gap = _diary([(d + timedelta(days=k), 4, None) for k in (0, 1, 3, 4, 5)])  # 6 days
    reasons = assess(_no(), one_gap, as_of=AS_OF).reasons
    assert len(reasons) == 1 and "every day you logged" in reasons[0] and "(6 days" in reasons[0]
    three_gap = _diary([(d + timedelta(days=k), 4, None) for k in (0, 1, 2, 6, 7, 8)])
    assert assess(_no(), three_gap, as_of=AS_OF).level == "none"


def test_soreness_getting_worse_after_three_days() -> None:
    start = AS_OF - timedelta(days=6)
    worse = assess(_no(), _daily(start, [4, 4, 4, 6, 0]), as_of=AS_OF)
    assert worse.level == "see-doctor"
    assert "getting worse" in worse.reasons[0] and "level 6" in worse.reasons[0]
    # the usual DOMS course: rising over the first 3 days, then easing
    assert assess(_no(), _daily(start, [3, 5, 6, 4, 0]), as_of=AS_OF).level == "none"


def test_an_old_episode_that_resolved_is_history() -> None:
    old = _daily(AS_OF - timedelta(days=60), [5] * 8 + [0])
    assert assess(_no(), old, as_of=AS_OF).level == "none"


def test_no_improvement_over_4_weeks() -> None:
    # an entry every 3 days (no run of > 5 days), pain throughout the last 28 days
    start = AS_OF - timedelta(days=27)
    days = [start + timedelta(days=k) for k in range(0, 28, 3)]  # 0, 3, ... 27: 10 entries
    same = [4, 4, 4, 5, 4, 4, 5, 5, 4, 4]  # week 1 (days 0, 3, 6) mean 4.0; week 4 mean 4.33
    flags = assess(
        _no(), _diary([(d, lv, None) for d, lv in zip(days, same, strict=True)]), as_of=AS_OF
    )
    assert flags.level == "see-doctor"
    assert len(flags.reasons) == 1 and "4 weeks" in flags.reasons[0]
    assert "4.0 in the first week and 4.3 in the last" in flags.reasons[0]
    better = [5, 5, 5, 4, 4, 4, 4, 3, 3, 3]  # week 4 mean 3.0 < week 1 mean 5.0
    assert (
        assess(_no(), _diary(list(zip(days, better, [None] * 10, strict=True))), as_of=AS_OF).level
        == "none"
    )
    one_good_day = [*same[:5], 2, *same[6:]]
    assert (
        assess(
            _no(), _diary(list(zip(days, one_good_day, [None] * 10, strict=True))), as_of=AS_OF
        ).level
        == "none"
    )


@pytest.mark.parametrize(
    ("note", "level", "flagged"),
    [
        ("woke at 3am, back throbbing", 4, True),
        ("worse at night", 2, True),
        ("nachts schlimmer", 3, True),
        ("no pain at night", 3, False),
        ("slept badly last night, sore", 4, False),
        ("slept through the night", 0, False),  # a pain-free day
        ("sharp when turning head, worse in the evening", 5, False),
    ],
)
def test_night_pain_in_a_note(note: str, level: int, flagged: bool) -> None:
    diary = _diary([(AS_OF - timedelta(days=4), level, note)])
    flags = assess(_no(), diary, as_of=AS_OF)
    assert flags.level == ("see-doctor" if flagged else "none")
    if flagged:
        assert "pain at night" in flags.reasons[0] and "6 November" in flags.reasons[0]


def test_severe_pain_level_should_be_checked() -> None:
    flags = assess(_no(), _diary([(AS_OF - timedelta(days=2), 9, None)]), as_of=AS_OF)
    assert flags.level == "see-doctor"
    assert flags.reasons == ["pain level 9 on 8 November: pain this severe should be checked"]
    assert assess(_no(), _diary([(AS_OF, 8, None)]), as_of=AS_OF).level == "none"


def test_emergency_sign_in_a_recent_note() -> None:
    recent = _diary([(AS_OF - timedelta(days=1), 4, "fainted after deadlifts")])
    assert assess(None, recent, as_of=AS_OF).level == "emergency"
    older = _diary([(AS_OF - timedelta(days=10), 4, "urine dark brown after the workout")])
    flags = assess(_no(), older, as_of=AS_OF)
    assert flags.level == "see-doctor" and "dark urine" in flags.reasons[0]
    negated = _diary([(AS_OF, 4, "no chest pain, no shortness of breath")])
    assert assess(_no(), negated, as_of=AS_OF).level == "none"
    # "hurts when breathing deeply" (a common muscle note) is no emergency on its own
    assert (
        assess(_no(), _diary([(AS_OF, 4, "hurts when breathing deeply")]), as_of=AS_OF).level
        == "none"
    )


def test_entries_after_as_of_are_ignored() -> None:
    future = _daily(AS_OF + timedelta(days=1), [6] * 8)
    assert assess(_no(), future, as_of=AS_OF).level == "none"


def test_a_diary_read_from_csv(tmp_path: Path) -> None:
    """The real pain reader's frame (no `day` column, UTC `at`) goes straight in."""
    path = tmp_path / "pain.csv"
    lines = ["date,level,region,note"]
    lines += [
        f"2026-11-{d:02d},{lv},between shoulder blades,"
        for d, lv in zip(range(1, 8), [3, 4, 4, 5, 4, 4, 3], strict=True)
    ]
    lines.append("2026-11-08,0,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read_pain(path, tz=ZoneInfo("Europe/Berlin")).frame
    flags = assess(_no(), frame, as_of=AS_OF)
    assert flags.level == "see-doctor"
    assert flags.reasons[0].startswith("pain every day from 1 to 7 November (7 days)")


# ----------------------------------------------------------------- wording and answers


def test_no_reason_or_action_ever_says_you_have() -> None:
    diary = _diary(
        [(AS_OF - timedelta(days=k), 9, "woke at night, chest tight, fainted") for k in range(9)]
    )
    everything = assess(dict.fromkeys(list_keys(), True), diary, as_of=AS_OF)
    urgent_only = assess(dict.fromkeys(SEE_DOCTOR, True), diary.head(0), as_of=AS_OF)
    texts = [*everything.reasons, *everything.actions, *urgent_only.reasons, *urgent_only.actions]
    texts += [q.why for q in QUESTIONS]
    assert len(everything.reasons) > len(QUESTIONS)
    for text in texts:
        assert "you have" not in text.lower(), text


def test_validate_answers(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"chest_pain": False, "fever": True, "night_pain": None}))
    assert validate_answers(json.loads(path.read_text()), path=str(path)) == {
        "chest_pain": False,
        "fever": True,
    }
    with pytest.raises(InputError) as err:
        validate_answers({"chest_pian": False}, path=str(path))
    message = str(err.value)
    assert message.startswith(f"{path}: unknown answer key 'chest_pian'")
    assert "did you mean 'chest_pain'" in message
    assert all(k in message for k in list_keys())
    with pytest.raises(InputError, match="'fever' must be true or false, got 'yes'"):
        validate_answers({"fever": "yes"}, path=None)
    with pytest.raises(InputError, match="true or false"):
        validate_answers({"fever": 1}, path=None)
    with pytest.raises(InputError, match="JSON object"):
        validate_answers(["chest_pain"], path=None)


def test_unanswered_questions_are_named_in_words_not_keys() -> None:
    from backcheck.analysis.triage import QUESTIONS, assess, list_keys

    some = dict.fromkeys(list_keys()[1:], False)  # the first emergency question left out
    flags = assess(some, _diary([]), as_of=date(2026, 1, 10))
    first = QUESTIONS[0]
    assert flags.level == "not-asked"
    assert first.text in flags.reasons[0] and first.key not in flags.reasons[0]
    partial = {q.key: False for q in QUESTIONS if q.level == "emergency"}
    done = assess(partial, _diary([]), as_of=date(2026, 1, 10))
    assert done.level == "none" and not any("_" in a for a in done.actions[:1])
