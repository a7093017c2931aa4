"""Per-set formulas: e1RM (Epley, Brzycki), volume load, hard sets; hand-computed cases."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from backcheck.analysis.formulas import (
    brzycki,
    brzycki_expr,
    e1rm_expr,
    epley,
    epley_expr,
    hard_set_expr,
    rir_expr,
    volume_load_expr,
)
from backcheck.errors import UsageError

HEVY = Path(__file__).parent / "data" / "logs" / "hevy" / "dakheera47_sample_hevy.csv"


def test_epley_known_values() -> None:
    # SOURCES.md known values: 100 x (1 + 9/30) = 130; 120 x (1 + 2/30) = 128.
    assert epley(100, 9) == pytest.approx(130.0)
    assert epley(120, 2) == pytest.approx(128.0)
    assert epley(0, 5) == 0.0  # bodyweight with no external load
    assert epley(100, 0) is None  # no completed rep, no estimate


def test_brzycki_values_and_limit() -> None:
    # 100 x 36 / (37 - 10) = 133.33; one rep is the weight itself; 36 reps: 100 x 36 / 1.
    assert brzycki(100, 10) == pytest.approx(3600 / 27)
    assert brzycki(100, 1) == pytest.approx(100.0)
    assert brzycki(100, 36) == pytest.approx(3600.0)
    assert brzycki(100, 37) is None
    assert brzycki(100, 50) is None
    assert brzycki(100, 0) is None


@pytest.mark.parametrize("fn", [epley, brzycki])
def test_scalar_formulas_name_the_bad_parameter(fn: object) -> None:
    with pytest.raises(UsageError) as err:
        fn(-1, 5)  # type: ignore[operator]
    assert err.value.parameter == "weight"
    with pytest.raises(UsageError) as err:
        fn(100, -2)  # type: ignore[operator]
    assert err.value.parameter == "reps"


def test_formula_expressions_match_hand_values() -> None:
    frame = pl.DataFrame(
        {"w": [100.0, 120.0, 100.0, None, 100.0, -5.0], "r": [9, 2, 37, 5, 0, 3]},
        schema={"w": pl.Float64, "r": pl.Int32},
    )
    out = frame.select(
        epley_expr("w", "r").alias("epley"), brzycki_expr(pl.col("w"), pl.col("r")).alias("brz")
    )
    # Epley: 130, 128, 100 x (1 + 37/30) = 223.33, null weight, 0 reps, negative weight.
    assert out["epley"].to_list() == pytest.approx([130.0, 128.0, 100 * 67 / 30, None, None, None])
    # Brzycki: 100 x 36/28 = 128.57, 120 x 36/35 = 123.43, undefined at 37 reps.
    assert out["brz"].to_list() == pytest.approx([3600 / 28, 120 * 36 / 35, None, None, None, None])


def test_rir_from_rpe_when_not_logged() -> None:
    frame = pl.DataFrame(
        {"rir": [2.0, None, None, None], "rpe": [9.0, 8.5, None, 10.5]},
        schema={"rir": pl.Float64, "rpe": pl.Float64},
    )
    # logged RIR wins; RPE 8.5 -> 1.5 RIR (Helms 2016); nothing logged -> null; RPE > 10 -> 0.
    assert frame.select(rir_expr())["rir"].to_list() == [2.0, 1.5, None, 0.0]


def test_e1rm_uses_reps_plus_rir_and_caps_at_ten() -> None:
    frame = pl.DataFrame(
        {
            "weight_kg": [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, None],
            "reps": [5, 5, 5, 8, 10, 12, 0, 5],
            "rir": [2.0, None, None, 3.0, 0.0, None, None, 1.0],
            "rpe": [None, 8.0, None, None, None, None, None, None],
        },
        schema={"weight_kg": pl.Float64, "reps": pl.Int32, "rir": pl.Float64, "rpe": pl.Float64},
    )
    epl = frame.select(e1rm_expr())["e1rm"].to_list()
    # 5 + 2 RIR = 7 to failure: 100 (1 + 7/30) = 123.33; RPE 8 is RIR 2: the same;
    # no RIR: 5 to failure, 116.67; 8 + 3 = 11 > 10: null; 10 + 0: 133.33; 12 reps: null;
    # 0 reps: null; no weight: null.
    expected = [100 * 37 / 30, 100 * 37 / 30, 100 * 35 / 30, None, 100 * 40 / 30, None, None, None]
    assert epl == pytest.approx(expected)
    brz = frame.select(e1rm_expr(formula="brzycki"))["e1rm"].to_list()
    # Brzycki with 7 to failure: 100 x 36 / 30 = 120; with 5: 100 x 36 / 32 = 112.5.
    assert brz[:3] == pytest.approx([120.0, 120.0, 112.5])
    # a wider trusted range lets the 11-to-failure set through: 100 x (1 + 11/30)
    assert frame.select(e1rm_expr(max_reps=12))["e1rm"][3] == pytest.approx(100 * 41 / 30)


def test_e1rm_rejects_unknown_formula() -> None:
    with pytest.raises(UsageError) as err:
        e1rm_expr(formula="lombardi")  # type: ignore[arg-type]
    assert err.value.parameter == "formula"


def _sets() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "set_type": [
                "warmup",
                "working",
                "drop",
                "failure",
                "working",
                "working",
                "working",
                "working",
                "working",
                "working",
                "failure",
                "drop",
                None,
            ],
            "weight_kg": [
                60.0,
                100.0,
                50.0,
                80.0,
                None,
                0.0,
                100.0,
                100.0,
                100.0,
                100.0,
                80.0,
                40.0,
                100.0,
            ],
            "reps": [10, 5, 12, 8, 10, 10, 5, 5, 5, 0, 6, None, 5],
            "rir": [None, 2.0, None, None, None, None, 5.0, None, None, None, None, 4.0, None],
            "rpe": [None, None, None, None, None, None, None, 7.0, 5.0, None, None, None, None],
        },
        schema={
            "set_type": pl.String,
            "weight_kg": pl.Float64,
            "reps": pl.Int32,
            "rir": pl.Float64,
            "rpe": pl.Float64,
        },
    )


def test_volume_load_excludes_warmups() -> None:
    vol = _sets().select(volume_load_expr())["volume_load"].to_list()
    # warm-up 60 x 10 -> 0; 100 x 5 = 500; drop 50 x 12 = 600; failure 80 x 8 = 640;
    # no weight -> null; bodyweight 0 x 10 = 0; 500; 500; 500; 0 reps -> 0; 80 x 6 = 480;
    # no reps -> null; unknown set type -> 0 (not counted).
    assert vol == [0.0, 500.0, 600.0, 640.0, None, 0.0, 500.0, 500.0, 500.0, 0.0, 480.0, None, 0.0]
    # sum: 500 + 600 + 640 + 3 x 500 + 480 = 3720 (nulls skipped)
    assert _sets().select(volume_load_expr().sum())["volume_load"][0] == 3720.0


def test_hard_sets_convention() -> None:
    hard = _sets().select(hard_set_expr())["hard_set"].to_list()
    # warm-up: no; RIR 2: yes; drop, no RIR: yes; failure: yes; working, reps 10, no RIR
    # (weight unknown): yes; bodyweight x 10: yes; RIR 5: no; RPE 7 (RIR 3): yes;
    # RPE 5 (RIR 5): no; 0 reps: no; failure x 6: yes; drop, no reps: no; no set type: no.
    assert hard == [
        False,
        True,
        True,
        True,
        True,
        True,
        False,
        True,
        False,
        False,
        True,
        False,
        False,
    ]


def test_volume_and_hard_sets_on_a_real_hevy_export() -> None:
    # Expected per workout, computed with the csv module: reps x kg over normal, failure and
    # dropset rows; hard = such a row with reps >= 1 and (no RPE or 10 - RPE <= 4).
    vol: dict[str, float] = defaultdict(float)
    hard: dict[str, int] = defaultdict(int)
    with HEVY.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["set_type"] not in ("normal", "failure", "dropset"):
                continue
            key = row["start_time"]
            reps = int(row["reps"]) if row["reps"] else None
            if row["weight_kg"] and reps is not None:
                vol[key] += float(row["weight_kg"]) * reps
            if reps and (not row["rpe"] or 10 - float(row["rpe"]) <= 4):
                hard[key] += 1
    raw = pl.read_csv(HEVY, infer_schema=False).with_columns(
        pl.col("set_type").replace({"normal": "working", "dropset": "drop"}),
        pl.col("weight_kg", "rpe").cast(pl.Float64),
        pl.col("reps").cast(pl.Int32),
        pl.lit(None, pl.Float64).alias("rir"),
    )
    got = raw.group_by("start_time").agg(
        volume_load_expr().sum().alias("vol"), hard_set_expr().sum().alias("hard")
    )
    assert got.height == 335
    by_key = {r["start_time"]: r for r in got.iter_rows(named=True)}
    assert sum(vol.values()) > 1e6
    for key, row in by_key.items():
        assert row["vol"] == pytest.approx(vol.get(key, 0.0)), key
        assert row["hard"] == hard.get(key, 0), key
