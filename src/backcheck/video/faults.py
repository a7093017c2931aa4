"""Faults from per-rep metrics: thresholds from SCIENCE.md section 5, each with its grade.

Every threshold here is a coaching or tool convention (grade C): no study links crossing it
to injury, so each fault is worded as a technique note with a plain cue, never as a cause of
pain. Severity bands beyond the first threshold are backcheck's own convention (+10 deg steps
unless stated). BlazePose has no spine or scapula points: rounding and shrug are proxies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np

from backcheck.evidence import SOURCES, Grade
from backcheck.video.metrics import Value

Severity = Literal["mild", "moderate", "severe"]
SEVERITIES: Final[tuple[Severity, ...]] = ("mild", "moderate", "severe")
CONVENTION: Final = "backcheck convention (no published cut-off)"


@dataclass(frozen=True, slots=True)
class Rule:
    """A fault when metric `metric` goes past `limits` (mild, moderate, severe) in the
    direction `sign` (+1: above the limits, -1: below them)."""

    fault: str
    metric: str
    sign: int
    limits: tuple[float, float, float]
    what: str
    norm: str
    cue: str
    source: str | None = None
    grade: Grade = "C"
    unit: str = "deg"
    note: str = ""

    def severity(self, value: float) -> Severity | None:
        """The band `value` falls in, or None when it is within the norm."""
        found: Severity | None = None
        for band, limit in zip(SEVERITIES, self.limits, strict=True):
            if (value - limit) * self.sign > 0:
                found = band
        return found

    def cite(self) -> str:
        """The source text with its grade."""
        return SOURCES[self.source].cite if self.source else CONVENTION


_SAG = Rule(
    "hip_sag",
    "hip_offset_deg",
    -1,
    (-15, -25, -35),
    "hips sagged below the shoulder-ankle line",
    "a body line of 165 deg or more counts as straight",
    "keep your hips in line with your shoulders: brace your stomach and squeeze your glutes",
    "bodyline_convention",
)
_PIKE = Rule(
    "hips_high",
    "hip_offset_deg",
    +1,
    (15, 25, 35),
    "hips rose above the shoulder-ankle line (pike)",
    "a body line of 165 deg or more counts as straight",
    "lower your hips into one straight line from shoulders to ankles",
    "bodyline_convention",
)
_SHRUG = Rule(
    "shoulder_shrug",
    "shrug_pct",
    +1,
    (20, 30, 40),
    "shoulders rose towards the ears",
    "the ear-shoulder distance shrinking by under 20% is taken as no shrug",
    "keep your shoulders down, away from your ears",
    unit="%",
)
_DEPTH = Rule(
    "partial_depth",
    "depth_elbow_deg",
    +1,
    (100, 115, 130),
    "the rep stopped short of full depth",
    "an elbow angle of 100 deg or less at the bottom is taken as full range",
    "lower until your elbows bend to about 90 degrees",
)

RULES: Final[dict[str, tuple[Rule, ...]]] = {
    "push-up": (
        _SAG,
        _PIKE,
        _DEPTH,
        Rule(
            "head_drop",
            "head_offset_deg",
            -1,
            (-20, -30, -45),
            "the head dropped below the line of the body",
            "within 20 deg of the body line is taken as neutral",
            "keep your head in line with your body: look at the floor just ahead of your hands",
            "singla2017",
        ),
        Rule(
            "head_up",
            "head_offset_deg",
            +1,
            (20, 30, 45),
            "the head craned up above the line of the body",
            "within 20 deg of the body line is taken as neutral",
            "keep your neck long: look at the floor just ahead of your hands",
            "singla2017",
        ),
        _SHRUG,
    ),
    "bench-press": (
        Rule(
            "elbow_flare",
            "elbow_flare_deg",
            +1,
            (75, 85, 95),
            "the elbows flared wide of the torso at the bottom",
            "45-75 deg between upper arm and torso is commonly advised",
            "tuck your elbows to about 45-75 degrees from your body",
            "flare_convention",
        ),
        Rule(
            "wrist_not_over_elbow",
            "wrist_over_elbow_deg",
            +1,
            (15, 25, 35),
            "the wrists were not stacked over the elbows at the bottom",
            "a forearm within 15 deg of vertical is taken as stacked",
            "stack your wrists over your elbows at the bottom of the rep",
        ),
        Rule(
            "shoulder_shrug",
            "shrug_pct",
            +1,
            (20, 30, 40),
            "the shoulders rose towards the ears",
            "the ear-shoulder distance shrinking by under 20% is taken as no shrug",
            "keep your shoulder blades pulled back and down into the bench",
            "noteboom2024",
            unit="%",
            note="scapular retraction lowered shoulder-joint load in a modelling study (grade B); the shrug cut-off is a convention",
        ),
        Rule(
            "partial_depth",
            "depth_elbow_deg",
            +1,
            (100, 115, 130),
            "the bar stopped short of the chest",
            "an elbow angle of 100 deg or less at the bottom is taken as full range",
            "lower the bar under control until it touches your chest",
        ),
        Rule(
            "uneven_bar",
            "bar_tilt_deg",
            +1,
            (5, 8, 12),
            "the bar tilted (one hand lower than the other)",
            "a bar within 5 deg of the shoulder line is taken as level",
            "press both hands evenly: keep the bar level",
        ),
    ),
    "row": (
        Rule(
            "torso_upright",
            "torso_deg",
            +1,
            (45, 55, 65),
            "the torso was more upright than a bent-over row position",
            "a torso 0-45 deg above horizontal is coaching convention",
            "hinge further forward: torso between level and 45 degrees",
            "row_convention",
        ),
        Rule(
            "body_swing",
            "torso_change_deg",
            +1,
            (10, 15, 20),
            "the torso swung during the rep (momentum)",
            "a torso angle that changes under 10 deg within a rep is taken as still",
            "keep your torso still: use a weight you can row without swinging",
        ),
        Rule(
            "upper_back_rounding",
            "neck_line_deg",
            -1,
            (150, 140, 130),
            "the head and shoulders dropped forward of the torso line (upper-back rounding proxy)",
            "an ear-shoulder-hip angle of 150 deg or more is taken as neutral",
            "lift your chest and keep your neck long",
            note="a proxy (no spine points); a rounded back is not shown to cause back pain (Saraceni et al. 2020)",
        ),
        Rule(
            "partial_range",
            "elbow_range_deg",
            -1,
            (60, 45, 30),
            "the elbows bent through a short range",
            "60 deg or more of elbow travel is taken as a full row",
            "let your arms straighten at the bottom and pull until your elbows pass your torso",
        ),
    ),
    "overhead-press": (
        Rule(
            "lean_back",
            "lean_back_deg",
            +1,
            (15, 20, 30),
            "the torso leaned back to press",
            "within 15 deg of vertical is taken as upright",
            "squeeze your glutes and keep your ribs down as you press",
        ),
        Rule(
            "head_forward",
            "head_forward_deg",
            +1,
            (25, 35, 45),
            "the head sat forward of the shoulders",
            "within 25 deg of vertical above the shoulder is taken as neutral (no validated cut-off)",
            "keep your chin tucked: head stacked over your shoulders",
            "singla2017",
        ),
        Rule(
            "incomplete_lockout",
            "lockout_elbow_deg",
            -1,
            (165, 155, 145),
            "the arms did not lock out overhead",
            "an elbow angle of 165 deg or more at the top is taken as locked out",
            "finish each rep with straight arms, biceps by your ears",
        ),
    ),
}


def describe(rule: Rule, reps: list[int], value: float) -> str:
    """Plain wording of a fault; grade C is always a technique note, never a cause."""
    unit = "%" if rule.unit == "%" else " deg"
    which = ", ".join(str(r) for r in reps)
    label = "Technique note" if rule.grade == "C" else "Form fault"
    text = (
        f"{label}: {rule.what} in rep{'s' if len(reps) > 1 else ''} {which} "
        f"(median {value:g}{unit}; {rule.norm}; {rule.cite()})."
    )
    if rule.grade == "C":
        text += " A coaching convention, not a cause of pain."
    if rule.note:
        text += f" Note: {rule.note}."
    return text


def judge(
    exercise: str, reps: list[dict[str, Value]]
) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Faults of a set from its reps' metrics (reps numbered from 1).

    Returns the faults (fault, reps, severity, grade, text, cue, metric, value, threshold,
    source) and, for each rep, the names of the faults seen in it. The severity is the band of
    the median value over the reps that crossed the first threshold.
    """
    per_rep: list[list[str]] = [[] for _ in reps]
    faults: list[dict[str, Any]] = []
    for rule in RULES[exercise]:
        hits: list[int] = []
        values: list[float] = []
        for i, metrics in enumerate(reps):
            v = metrics.get(rule.metric)
            if v is None or v.value is None or rule.severity(v.value) is None:
                continue
            hits.append(i + 1)
            values.append(v.value)
            per_rep[i].append(rule.fault)
        if not hits:
            continue
        typical = round(float(np.median(values)), 1)
        severity = rule.severity(typical) or "mild"
        faults.append(
            {
                "fault": rule.fault,
                "reps": hits,
                "severity": severity,
                "grade": rule.grade,
                "text": describe(rule, hits, typical),
                "cue": rule.cue,
                "metric": rule.metric,
                "value": typical,
                "threshold": rule.limits[0],
                "source": rule.cite(),
            }
        )
    return faults, per_rep
