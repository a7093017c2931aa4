"""prepare_data: the analyses' view of stored inputs, whatever order the sets come in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl

from backcheck.model import STORED_SET_SCHEMA
from backcheck.store.diary import PAIN_SCHEMA, RECOVERY_SCHEMA
from backcheck.why import in_performed_order, prepare_data

T0 = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)


def stored_sets() -> pl.DataFrame:
    rows = [
        {
            "athlete": "me",
            "session_id": d + 1,
            "session_start": T0 + timedelta(days=d),
            "exercise": name,
            "set_index": i,
            "set_type": "working",
            "weight_kg": 50.0 + i,
            "reps": 8,
            "source_file": "x.csv",
            "source_line": None if (d, i) == (1, 1) else 2 + 10 * d + 3 * j + i,
        }
        for d in range(4)
        for j, name in enumerate(("Bench Press (Barbell)", "Bent Over Row (Barbell)"))
        for i in (1, 2, 3)
    ]
    return pl.DataFrame(rows, schema=STORED_SET_SCHEMA)


def prepared(sets: pl.DataFrame) -> pl.DataFrame:
    return prepare_data(
        athlete="me",
        tz="Europe/Berlin",
        as_of=date(2026, 3, 4),
        sets=sets,
        pain=pl.DataFrame(schema=PAIN_SCHEMA),
        recovery=pl.DataFrame(schema=RECOVERY_SCHEMA),
        videos=[],
        answers=None,
    ).sets


def test_performed_order_whatever_order_the_sets_come_in() -> None:
    sets = stored_sets()
    ordered = sets.sort("session_start", "source_line", maintain_order=True)
    assert in_performed_order(ordered) and not in_performed_order(ordered.reverse())
    assert not in_performed_order(sets)  # exercise by exercise: row lines are not in order
    expected = prepared(ordered)
    assert expected.height == 18  # the 4th day is after as_of
    assert expected["source_line"].to_list()[:10] == [3, 4, 5, 6, 7, 8, None, None, 14, 15]
    for variant in (sets, ordered.reverse(), sets.sample(fraction=1.0, shuffle=True, seed=3)):
        got = prepared(variant)
        assert in_performed_order(got)
        # the same rows in the same order as sorting first (ties keep their order)
        assert got.equals(
            prepared(variant.sort("session_start", "source_line", maintain_order=True))
        )
        key = ["session_start", "source_line", "exercise", "set_index"]
        assert got.sort(key).equals(expected.sort(key))
