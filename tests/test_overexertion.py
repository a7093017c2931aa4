"""Overexertion helpers by hand: how much a region's spike matters (materiality)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from backcheck.analysis.overexertion import MATERIAL_SHARE, materiality

START = date(2025, 1, 1)


def daily(loads: dict[str, list[float]]) -> pl.DataFrame:
    frames = [
        pl.DataFrame(
            {
                "date": [START + timedelta(days=i) for i in range(len(v))],
                "region": [region] * len(v),
                "volume_load": v,
                "hard_sets": [0.0] * len(v),
            }
        )
        for region, v in loads.items()
    ]
    return pl.concat(frames)


def spikes(*rows: tuple[str, int, int]) -> pl.DataFrame:
    """(region, first day, last day) of each spike, days counted from START."""
    return pl.DataFrame(
        {
            "region": [r for r, _, _ in rows],
            "period": [
                f"{START + timedelta(days=a)}..{START + timedelta(days=b)}" for _, a, b in rows
            ],
        }
    )


def test_materiality_by_hand() -> None:
    # Upper back 100 a day; lats 50 a day (half of it), rear delts 6 a day (6%).
    frame = daily({"upper_back": [100.0] * 10, "lats": [50.0] * 10, "rear_delts": [6.0, 0.0] * 5})
    found = spikes(("upper_back", 0, 9), ("lats", 2, 4), ("rear_delts", 0, 9), ("lats", 8, 30))
    weights = materiality(found, frame).to_list()
    # upper back: 1; lats: 150/300 = 0.5 share -> 0.5/0.3 clipped to 1; rear delts: 30/1000
    # = 0.03 -> 0.1; a period past the log counts the days there are: lats 100/200 -> 1.
    assert weights == pytest.approx([1.0, 1.0, 0.03 / MATERIAL_SHARE, 1.0])
    assert materiality(found.clear(), frame).len() == 0
    idle = daily({"upper_back": [0.0] * 5, "lats": [0.0] * 5})
    assert materiality(spikes(("lats", 0, 4)), idle).to_list() == [0.0]  # no volume: no weight
