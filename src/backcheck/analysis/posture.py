"""Cause 1, posture and form: from the athlete's stored form checks (`backcheck video`).

BlazePose has no scapula or thoracic-spine points: every figure is a proxy (docs/science.md
section 5). Faults graded C are technique notes, never causes; they weigh half as much.
Without a stored video this cause is `unknown`.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from backcheck.analysis.context import EXPOSURE_SCHEMA, AthleteData, FactorResult
from backcheck.model import Evidence

SEVERITY = {"mild": 0.35, "moderate": 0.65, "severe": 1.0}
GRADE_WEIGHT = {"A": 1.0, "B": 1.0, "C": 0.5}


def fault_weight(fault: dict[str, Any]) -> float:
    """0-1 weight of one fault: its severity times its evidence grade's weight."""
    severity = fault.get("severity", "moderate")
    base = (
        SEVERITY.get(str(severity), 0.65)
        if not isinstance(severity, int | float)
        else float(severity)
    )
    return min(1.0, base * GRADE_WEIGHT.get(str(fault.get("grade", "C")), 0.5))


def analyze(data: AthleteData) -> FactorResult:
    """Posture from stored form checks; `unknown` until a video (or landmarks file) exists."""
    result = FactorResult(
        cause="posture", abnormality=0.0, known=bool(data.videos), sources=["lafayette2023"]
    )
    if not data.videos:
        result.evidence.append(
            Evidence(
                "videos",
                0,
                None,
                "videos",
                "",
                "B",
                "no form check yet: film a set from the side (whole body in frame) and run "
                "`backcheck video` to check posture",
            )
        )
        result.advice.append(
            "Film one set of bench press, rows, push-ups or overhead press from the side."
        )
        return result
    rows = []
    for video in data.videos:
        res = video["result"]
        faults = res.get("faults", [])
        weights = [fault_weight(f) for f in faults]
        rows.append({"day": video["recorded_on"], "exposed": bool(faults)})
        for f in faults:
            grade = str(f.get("grade", "C"))
            note = "technique note" if grade == "C" else "form fault"
            result.evidence.append(
                Evidence(
                    f"fault_{f.get('fault', 'unknown')}",
                    float(len(f.get("reps", []))),
                    None,
                    "reps",
                    str(video["recorded_on"]),
                    grade,
                    f"{video['exercise']} on {video['recorded_on']} ({note}, {f.get('severity', '?')}): "
                    f"{f.get('text', f.get('fault', ''))}",
                )
            )
            cue = f.get("cue") or f.get("text")
            if cue and cue not in result.advice:
                result.advice.append(str(cue))
        if weights:
            result.abnormality = max(result.abnormality, *weights)
    if not result.evidence:
        result.evidence.append(
            Evidence(
                "videos",
                len(data.videos),
                None,
                "videos",
                "",
                "B",
                f"{len(data.videos)} form check(s) found no posture fault",
            )
        )
    result.exposures = (
        pl.DataFrame(rows, schema={"day": pl.Date, "exposed": pl.Boolean})
        .with_columns(pl.lit("posture_fault").alias("factor"))
        .select(list(EXPOSURE_SCHEMA))
    )
    result.sources += ["singla2017", "bodyline_convention", "flare_convention", "row_convention"]
    return result
