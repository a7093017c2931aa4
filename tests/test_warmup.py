"""Warm-up cause (docs/science.md section 2) on hand-built set frames with worked expectations."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.analysis.warmup import (
    analyze,
    exercise_warmup,
    no_warmup_abnormality,
    session_warmup,
)
from backcheck.ingest import read_export
from backcheck.model import REGIONS, STORED_SET_SCHEMA

# name -> (pattern, upper_body); unmapped names get null pattern / upper_body.
CATALOG = {
    "Bench Press (Barbell)": ("horizontal-push", True),
    "Bent Over Row (Barbell)": ("horizontal-pull", True),
    "Squat (Barbell)": ("squat", False),
    "Rowing Machine": ("cardio", False),
    "Arm Circles": ("mobility", True),
}

EXTRA = {"day": pl.Date(), "pattern": pl.String(), "upper_body": pl.Boolean()}
PAIN = {
    "at": pl.Datetime("us", "UTC"),
    "day": pl.Date(),
    "level": pl.Int32(),
    "region": pl.String(),
    "note": pl.String(),
}
RECOVERY = {"day": pl.Date(), "kind": pl.String(), "value": pl.Float64(), "source": pl.String()}

Set = tuple[str, str, float, int]  # exercise, set_type, weight_kg, reps


def build(sessions: list[tuple[int, date, list[Set]]], *, null_lines: bool = False) -> pl.DataFrame:
    """AthleteData.sets from sessions given in performed order, stored as the store sorts them.

    source_line numbers the sets in the order given (performed order); set_index counts per
    exercise. The frame is then sorted by session_start, exercise, set_index (store order).
    """
    rows: list[dict[str, object]] = []
    line = 1
    for sid, day, sets in sessions:
        per_ex: dict[str, int] = {}
        for exercise, set_type, weight, reps in sets:
            per_ex[exercise] = per_ex.get(exercise, 0) + 1
            pattern, upper = CATALOG.get(exercise, (None, None))
            rows.append(
                {
                    "athlete": "me",
                    "session_id": sid,
                    "session_start": datetime(day.year, day.month, day.day, 17, tzinfo=UTC),
                    "exercise": exercise,
                    "set_index": per_ex[exercise],
                    "set_type": set_type,
                    "weight_kg": weight,
                    "reps": reps,
                    "source_file": "log.csv",
                    "source_line": None if null_lines else line,
                    "day": day,
                    "pattern": pattern,
                    "upper_body": upper,
                }
            )
            line += 1
    frame = pl.DataFrame(rows)
    schema = {**STORED_SET_SCHEMA, **EXTRA}
    out = frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
        for c, t in schema.items()
    ).with_columns(pl.lit(0.0).alias(f"w_{r}") for r in REGIONS)
    return out.sort("session_start", "exercise", "set_index")


BENCH, ROW, SQUAT, ROWER, CIRCLES = (
    "Bench Press (Barbell)",
    "Bent Over Row (Barbell)",
    "Squat (Barbell)",
    "Rowing Machine",
    "Arm Circles",
)
D0 = date(2025, 3, 3)

SESSIONS: list[tuple[int, date, list[Set]]] = [
    # A: squats, then bench ramped 60 -> 80 (60 < 0.8 * 80 = 64): ramp.
    (
        1,
        D0,
        [
            (SQUAT, "working", 100, 5),
            (SQUAT, "working", 100, 5),
            (BENCH, "working", 60, 5),
            (BENCH, "working", 80, 5),
            (BENCH, "working", 80, 5),
        ],
    ),
    # B: rower first, then bench straight at 80: cardio first.
    (
        2,
        D0 + timedelta(days=2),
        [(ROWER, "working", 0, 0), (BENCH, "working", 80, 5), (BENCH, "working", 80, 5)],
    ),
    # C: bench straight at 80, mobility only afterwards: not warmed up.
    (
        3,
        D0 + timedelta(days=4),
        [(BENCH, "working", 80, 5), (BENCH, "working", 80, 5), (CIRCLES, "working", 0, 20)],
    ),
    # D: rows first (performed), with a marked warm-up set; bench later. Stored order puts
    # bench first (alphabetical), so only source_line order finds rows as the first lift.
    (
        4,
        D0 + timedelta(days=7),
        [
            (ROW, "warmup", 40, 10),
            (ROW, "working", 70, 8),
            (BENCH, "working", 80, 5),
            (BENCH, "working", 80, 5),
        ],
    ),
    # E: legs only: not judged.
    (5, D0 + timedelta(days=9), [(SQUAT, "working", 100, 5)]),
    # F: bench with a marked warm-up set at 40, then 80.
    (6, D0 + timedelta(days=11), [(BENCH, "warmup", 40, 10), (BENCH, "working", 80, 5)]),
    # G: bench 64 then 80: 64 is exactly 80% of 80, not lighter than it: no ramp.
    (7, D0 + timedelta(days=14), [(BENCH, "working", 64, 5), (BENCH, "working", 80, 5)]),
]


def test_session_warmup_flags_per_session() -> None:
    out = session_warmup(build(SESSIONS))
    assert out["session_id"].to_list() == [1, 2, 3, 4, 5, 6, 7]
    rows = {r["session_id"]: r for r in out.iter_rows(named=True)}
    expect = {  # warmed_up, has_warmup_set, has_ramp_set, cardio_first, first lift
        1: (True, False, True, False, BENCH),
        2: (True, False, False, True, BENCH),
        3: (False, False, False, False, BENCH),
        4: (True, True, False, False, ROW),
        5: (None, None, None, None, None),
        6: (True, True, False, False, BENCH),
        7: (False, False, False, False, BENCH),
    }
    for sid, (warm, marked, ramp, cardio, lift) in expect.items():
        r = rows[sid]
        got = (
            r["warmed_up"],
            r["has_warmup_set"],
            r["has_ramp_set"],
            r["has_cardio_or_mobility_first"],
            r["first_upper_lift"],
        )
        assert got == (warm, marked, ramp, cardio, lift), sid
    assert rows[4]["day"] == D0 + timedelta(days=7)


def test_source_line_null_falls_back_to_set_index() -> None:
    # Bench 40 then 80, stored with set 2 first and no source lines: set_index orders them.
    sets: list[Set] = [(BENCH, "working", 40, 5), (BENCH, "working", 80, 5)]
    frame = build([(1, D0, sets)], null_lines=True).sort("set_index", descending=True)
    out = session_warmup(frame)
    assert out["has_ramp_set"].to_list() == [True]


def test_bodyweight_first_lift_has_no_ramp() -> None:
    frame = build([(1, D0, [(BENCH, "working", 0, 20), (BENCH, "working", 0, 20)])])
    assert session_warmup(frame)["warmed_up"].to_list() == [False]


def test_missing_column_names_it() -> None:
    with pytest.raises(Exception, match="upper_body"):
        session_warmup(build(SESSIONS).drop("upper_body"))


def test_exercise_warmup_shares() -> None:
    out = exercise_warmup(build(SESSIONS))
    rows = {r["exercise"]: r for r in out.iter_rows(named=True)}
    # Bench in A, B, C, D, F, G. Warmed: A (ramp), B (rower first), D (the marked row warm-up
    # set comes before bench's first set), F (marked) = 4 of 6. First lift in all but D.
    assert (rows[BENCH]["sessions"], rows[BENCH]["warmed_up"]) == (6, 4)
    assert rows[BENCH]["share"] == pytest.approx(4 / 6)
    assert rows[BENCH]["first_in_session"] == 5
    row = rows[ROW]
    assert (row["sessions"], row["warmed_up"], row["first_in_session"]) == (1, 1, 1)
    assert set(rows) == {BENCH, ROW}  # squats, rower, circles are not upper-body lifts
    assert out["exercise"].to_list()[0] == BENCH


@pytest.mark.parametrize(
    ("share", "expected"), [(0.0, 0.0), (0.2, 0.0), (0.5, 0.5), (0.8, 1.0), (1.0, 1.0)]
)
def test_abnormality_ramp(share: float, expected: float) -> None:
    assert no_warmup_abnormality(share) == pytest.approx(expected)


def _athlete(
    warm_every: int | None, *, sessions: int = 14, as_of: date = date(2025, 6, 29)
) -> AthleteData:
    """`sessions` bench sessions, every 4th day back from as_of; every `warm_every`-th (by
    index, 0 included) has a ramp set, None = none has."""
    plan: list[tuple[int, date, list[Set]]] = []
    for i in range(sessions):
        day = as_of - timedelta(days=4 * i)
        warm = warm_every is not None and i % warm_every == 0
        lifts: list[Set] = [
            (BENCH, "working", 50 if warm else 80, 5),
            (BENCH, "working", 80, 5),
            (ROW, "working", 70, 8),
        ]
        plan.append((100 + i, day, lifts))
    sets = build(sorted(plan, key=lambda s: s[1]))
    pain, recovery = pl.DataFrame(schema=PAIN), pl.DataFrame(schema=RECOVERY)
    return AthleteData("me", as_of, "UTC", sets, pain, recovery)


def _check_shape(result: FactorResult) -> None:
    assert result.cause == "warmup"
    assert 0.0 <= result.abnormality <= 1.0
    assert result.exposures.schema == pl.Schema(EXPOSURE_SCHEMA)
    for ev in result.evidence:
        assert ev.grade in ("A", "B", "C")
        assert ev.period == "" or re.fullmatch(r"\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d", ev.period)
        assert ev.text
    assert result.sources and result.advice


def test_analyze_clearly_bad_athlete() -> None:
    # 14 sessions every 4 days: the last 8 weeks (56 days) hold i = 0..13 (day 52 back at most).
    # Warm only when i % 7 == 0 (i = 0, 7): 12 of 14 cold = 85.7% -> abnormality 1.
    data = _athlete(7)
    result = analyze(data)
    _check_shape(result)
    assert result.known
    assert result.abnormality > 0.6
    ev = result.evidence[0]
    assert ev.metric == "sessions_without_warmup"
    assert ev.value == pytest.approx(round(100 * 12 / 14, 1))
    assert ev.threshold == 20.0
    assert "12 of your 14 sessions in the last 8 weeks" in ev.text
    assert ev.period == "2025-05-05..2025-06-29"
    lift = next(e for e in result.evidence if e.metric == "first_lift_warmup_share")
    assert lift.value == round(100 * 2 / 14, 1)  # bench opens every session; rows never do
    assert lift.text.startswith(f"{BENCH} in the last 8 weeks: warmed up for it in 2 of the 14")
    exp = result.exposures
    assert exp.height == 14 and set(exp["factor"]) == {"no_warmup"}
    assert int(exp["exposed"].sum()) == 12
    assert exp.filter(pl.col("day") == date(2025, 6, 29))["exposed"].to_list() == [False]
    weekly = result.charts["weekly_warmup_share"]
    assert sum(w["sessions"] for w in weekly) == 14
    assert sum(w["warmed_up"] for w in weekly) == 2


def test_analyze_clearly_fine_athlete() -> None:
    result = analyze(_athlete(1))
    _check_shape(result)
    assert result.abnormality < 0.2
    assert result.evidence[0].value == 0.0
    assert not result.exposures["exposed"].any()


def test_analyze_falls_back_to_whole_log_when_recent_is_thin() -> None:
    # 10 sessions every 4 days ending 100 days before as_of: none in the last 8 weeks.
    base = _athlete(None, sessions=10, as_of=date(2025, 3, 1))
    data = AthleteData("me", date(2025, 6, 9), "UTC", base.sets, base.pain, base.recovery)
    result = analyze(data)
    assert result.abnormality == 1.0
    assert "10 of your 10 sessions in your whole log" in result.evidence[0].text
    assert result.evidence[0].period == "2025-01-24..2025-03-01"  # 36 days before 1 March


def test_analyze_unknown_without_upper_body_lifts() -> None:
    base = _athlete(None)
    data = AthleteData(
        "me",
        base.as_of,
        "UTC",
        base.sets.filter(pl.col("upper_body").is_null()),
        base.pain,
        base.recovery,
    )
    result = analyze(data)
    assert not result.known and result.abnormality == 0.0 and result.exposures.height == 0


# --- real exports (tests/data, MIT; see tests/data/SOURCES.md) ------------------------------
LOGS = Path(__file__).parent / "data" / "logs"
LOWER_WORDS = (
    "leg",
    "calf",
    "hip",
    "squat",
    "lunge",
    "deadlift",
    "glute",
    "back extension",
    "hyperextension",
    "crunch",
    "dragon flag",
    "side bend",
    "twist",
    "plank",
)
#: Per export: start column, its format, exercise column, set-type column (-> load set? warm-up?),
#: weight column.
FORMATS = {
    "hevy/dakheera47_sample_hevy.csv": (
        "start_time",
        "%d %b %Y, %H:%M",
        "exercise_title",
        "set_type",
        "weight_kg",
    ),
    "strong/breinsp_strong.csv": (
        "Date",
        "%Y-%m-%d %H:%M:%S",
        "Exercise Name",
        "Set Order",
        "Weight",
    ),
}


def _upper(name: str) -> bool:
    """This test's own upper-body call (not the catalog's): no lower-body or core word."""
    return name != "Warm Up" and not any(w in name.lower() for w in LOWER_WORDS)


def _kind(value: str) -> str:
    """Hevy set_type or Strong Set Order -> warmup | load."""
    return "warmup" if value in ("warmup", "W") else "load"


def _expected_from_csv(rel: str) -> dict[datetime, bool | None]:
    """The docs/science.md section 2 rule, worked in plain Python over the file's rows in order."""
    start_col, fmt, ex_col, type_col, kg_col = FORMATS[rel]
    with (LOGS / rel).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    sessions: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        sessions.setdefault(row[start_col], []).append(row)
    out: dict[datetime, bool | None] = {}
    for start, srows in sessions.items():
        key = datetime.strptime(start, fmt).replace(tzinfo=UTC)
        lift_at = next(
            (i for i, r in enumerate(srows) if _upper(r[ex_col]) and _kind(r[type_col]) == "load"),
            None,
        )
        if lift_at is None:
            out[key] = None
            continue
        lift = srows[lift_at][ex_col]
        before = srows[:lift_at]
        marked = any(_kind(r[type_col]) == "warmup" and _upper(r[ex_col]) for r in before)
        marked |= any(r[ex_col] == lift and _kind(r[type_col]) == "warmup" for r in srows)
        cardio = any(r[ex_col] == "Warm Up" for r in before)
        loads = [
            float(r[kg_col])
            for r in srows
            if r[ex_col] == lift and _kind(r[type_col]) == "load" and r[kg_col]
        ]
        first = srows[lift_at][kg_col]
        ramp = bool(loads) and max(loads) > 0 and first != "" and float(first) < 0.8 * max(loads)
        out[key] = marked or cardio or ramp
    return out


@pytest.mark.parametrize("rel", sorted(FORMATS))
def test_session_warmup_matches_plain_python_on_real_exports(rel: str) -> None:
    parsed = read_export(LOGS / rel, tz=ZoneInfo("UTC"), unit="kg")
    names = parsed.sets["exercise"]
    sets = (
        parsed.sets.with_columns(
            pl.lit("me").alias("athlete"),
            pl.col("session_start").rank("dense").cast(pl.Int64).alias("session_id"),
            pl.col("session_start").dt.date().alias("day"),
            pl.Series("upper_body", [_upper(n) for n in names]),
            pl.Series("pattern", ["cardio" if n == "Warm Up" else None for n in names], pl.String),
        )
        .with_columns(pl.lit(None, pl.String).alias("exercise_key"))
        .sort("session_start", "exercise", "set_index")  # the store's order, not performed
    )
    got = session_warmup(sets).join(
        sets.group_by("session_id").agg(pl.col("session_start").first()), on="session_id"
    )
    expected = _expected_from_csv(rel)
    assert got.height == len(expected)
    mine = dict(zip(got["session_start"].to_list(), got["warmed_up"].to_list(), strict=True))
    assert mine == expected
    judged = [v for v in expected.values() if v is not None]
    assert any(judged) and not all(judged)  # both kinds of session occur
