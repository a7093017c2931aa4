"""Faults from per-rep metrics and per-frame series: each rule states its limit, the noise
margin it must clear, and its grade, and the text quotes exactly the rule applied.

A fault is called for a set only when (1) in a rep it holds in most of the rep's good frames
(posture rules, judged frame by frame) or its rep value clears the limit (point rules: depth at
the bottom, lockout at the top, a range), always by more than the landmark-noise margin
(noise.py), and (2) it holds in most of the reps that could be judged. Opposite faults (hips
sagging and hips high, head dropped and head craned) are never both given for one rep: the one
held in more of the rep's frames wins.

Every limit here is a coaching or tool convention or backcheck's own calibration (grade C): no
study links crossing it to injury, so each fault is worded as a technique note with a plain
cue, never as a cause of pain. Severity bands beyond the first limit are backcheck's own
convention. BlazePose has no spine or scapula points: rounding and shrug are proxies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from backcheck.evidence import SOURCES, Grade
from backcheck.report.numbers import plural
from backcheck.video.metrics import Value
from backcheck.video.noise import margin
from backcheck.video.reps import RepSpan

Severity = Literal["mild", "moderate", "severe"]
SEVERITIES: Final[tuple[Severity, ...]] = ("mild", "moderate", "severe")
CONVENTION: Final = "backcheck convention (no published cut-off)"
#: A posture fault holds in a rep when more than this share of its good frames is past the
#: limit by the margin; a fault is called when it holds in more than this share of the reps.
MOST: Final = 0.5
#: A rep with fewer good frames than this cannot be judged frame by frame.
MIN_FRAMES: Final = 3
#: Series whose angles depend on the frame's aspect ratio (all 2D image angles do).
HIP_BASIS: Final = (
    "backcheck calibration: MediaPipe's hip point sits above the shoulder-ankle line in real "
    "labelled straight planks (median +21 to +37 deg by frame shape), so the straight band is "
    "0 to +50 deg of measured offset (the 15 deg convention widened for that bias and the "
    "unknown frame shape)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A fault when metric `metric` goes past `limits` (mild, moderate, severe) in the
    direction `sign` (+1: above the limits, -1: below them) by more than the noise margin.

    frames: judged frame by frame on the metric's per-frame series (posture held over the rep);
    else on the rep's value. label: what is measured, as quoted in the text. opposite: the
    fault on the other side of the same metric (never both in one rep)."""

    fault: str
    metric: str
    sign: int
    limits: tuple[float, float, float]
    what: str
    label: str
    cue: str
    source: str | None = None
    grade: Grade = "C"
    unit: str = "deg"
    note: str = ""
    frames: bool = False
    opposite: str | None = None
    basis: str | None = None

    def past(self, value: float | NDArray[np.float64], limit: float, noise: float) -> Any:
        """True where `value` is past `limit` by more than `noise` in this rule's direction."""
        with np.errstate(invalid="ignore"):
            return (np.asarray(value) - limit) * self.sign > noise

    def severity(self, value: float, noise: float = 0.0) -> Severity | None:
        """The band `value` falls in (each limit moved out by `noise`), or None within it."""
        found: Severity | None = None
        for band, limit in zip(SEVERITIES, self.limits, strict=True):
            if self.past(value, limit, noise):
                found = band
        return found

    def cite(self) -> str:
        """Where the limit comes from."""
        if self.basis:
            return self.basis
        return SOURCES[self.source].cite if self.source else CONVENTION

    def quote(self, noise: float) -> str:
        """The rule as applied, in words."""
        u = "%" if self.unit == "%" else " deg"
        side = "above" if self.sign > 0 else "below"
        where = "in most of a rep's frames" if self.frames else "in a rep"
        return (
            f"called when the {self.label} is {side} {self.limits[0]:g}{u} by more than the "
            f"{noise:g}{u} landmark-noise margin {where}, in most reps"
        )


_SAG = Rule(
    "hip_sag",
    "hip_offset_deg",
    -1,
    (0, -10, -20),
    "hips sagged below the shoulder-ankle line",
    "hip offset from the shoulder-ankle line",
    "keep your hips in line with your shoulders: brace your stomach and squeeze your glutes",
    frames=True,
    opposite="hips_high",
    basis=HIP_BASIS,
)
_PIKE = Rule(
    "hips_high",
    "hip_offset_deg",
    +1,
    (50, 60, 70),
    "hips rose above the shoulder-ankle line (pike)",
    "hip offset from the shoulder-ankle line",
    "lower your hips into one straight line from shoulders to ankles",
    frames=True,
    opposite="hip_sag",
    basis=HIP_BASIS,
)
_SHRUG = Rule(
    "shoulder_shrug",
    "shrug_pct",
    +1,
    (20, 30, 40),
    "shoulders rose towards the ears",
    "shrinking of the ear-shoulder distance from the start of the rep to its turning point",
    "keep your shoulders down, away from your ears",
    unit="%",
)
_DEPTH = Rule(
    "partial_depth",
    "depth_elbow_deg",
    +1,
    (100, 115, 130),
    "the rep stopped short of full depth",
    "elbow angle at the bottom",
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
            "head angle against the hip-shoulder line",
            "keep your head in line with your body: look at the floor just ahead of your hands",
            "singla2017",
            frames=True,
            opposite="head_up",
        ),
        Rule(
            "head_up",
            "head_offset_deg",
            +1,
            (20, 30, 45),
            "the head craned up above the line of the body",
            "head angle against the hip-shoulder line",
            "keep your neck long: look at the floor just ahead of your hands",
            "singla2017",
            frames=True,
            opposite="head_drop",
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
            "angle between upper arm and torso at the bottom",
            "tuck your elbows to about 45-75 degrees from your body",
            "flare_convention",
        ),
        Rule(
            "wrist_not_over_elbow",
            "wrist_over_elbow_deg",
            +1,
            (15, 25, 35),
            "the wrists were not stacked over the elbows at the bottom",
            "forearm tilt from vertical at the bottom",
            "stack your wrists over your elbows at the bottom of the rep",
        ),
        Rule(
            "shoulder_shrug",
            "shrug_pct",
            +1,
            (20, 30, 40),
            "the shoulders rose towards the ears",
            "shrinking of the ear-shoulder distance from the start of the rep to the bottom",
            "keep your shoulder blades pulled back and down into the bench",
            unit="%",
            note="scapular retraction lowered shoulder-joint load in a modelling study "
            "(Noteboom et al. 2024, grade B); the shrug limit itself is a convention",
        ),
        Rule(
            "partial_depth",
            "depth_elbow_deg",
            +1,
            (100, 115, 130),
            "the bar stopped short of the chest",
            "elbow angle at the bottom",
            "lower the bar under control until it touches your chest",
        ),
        Rule(
            "uneven_bar",
            "bar_tilt_deg",
            +1,
            (5, 8, 12),
            "the bar tilted (one hand lower than the other)",
            "largest angle between the wrist line and the shoulder line",
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
            "torso angle above horizontal",
            "hinge further forward: torso between level and 45 degrees",
            "row_convention",
            frames=True,
        ),
        Rule(
            "body_swing",
            "torso_change_deg",
            +1,
            (10, 15, 20),
            "the torso swung during the rep (momentum)",
            "change of the torso angle within the rep",
            "keep your torso still: use a weight you can row without swinging",
        ),
        Rule(
            "upper_back_rounding",
            "neck_line_deg",
            -1,
            (150, 140, 130),
            "the head and shoulders dropped forward of the torso line (upper-back rounding proxy)",
            "ear-shoulder-hip angle",
            "lift your chest and keep your neck long",
            note="a proxy (no spine points); a rounded back is not shown to cause back pain "
            "(Saraceni et al. 2020)",
            frames=True,
        ),
        Rule(
            "shoulder_shrug",
            "shrug_pct",
            +1,
            (20, 30, 40),
            "the shoulders rose towards the ears as you pulled",
            "shrinking of the ear-shoulder distance from the start of the rep to the top of the pull",
            "pull your elbows back, not your shoulders up",
            unit="%",
        ),
        Rule(
            "partial_range",
            "elbow_range_deg",
            -1,
            (60, 45, 30),
            "the elbows bent through a short range",
            "elbow angle travel within the rep",
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
            "torso lean back from vertical",
            "squeeze your glutes and keep your ribs down as you press",
            frames=True,
        ),
        Rule(
            "head_forward",
            "head_forward_deg",
            +1,
            (25, 35, 45),
            "the head sat forward of the shoulders",
            "shoulder-to-ear line ahead of vertical",
            "keep your chin tucked: head stacked over your shoulders",
            "singla2017",
            frames=True,
        ),
        Rule(
            "incomplete_lockout",
            "lockout_elbow_deg",
            -1,
            (165, 155, 145),
            "the arms did not lock out overhead",
            "elbow angle at the top",
            "finish each rep with straight arms, biceps by your ears",
        ),
    ),
}


def describe(
    rule: Rule, *, reps: list[int], judged: int, value: float, noise: float, aspect_known: bool
) -> str:
    """Plain wording of a fault: what, where, the rule applied and its grade. Grade C is
    always a technique note, never a cause (the caller labels it; the text does not)."""
    unit = "%" if rule.unit == "%" else " deg"
    which = ", ".join(str(r) for r in reps)
    text = (
        f"{rule.what[0].upper()}{rule.what[1:]} in {len(reps)} of {plural(judged, 'rep')} "
        f"(rep{'s' if len(reps) > 1 else ''} {which}; median {value:g}{unit}). "
        f"Rule: {rule.quote(noise)}; grade {rule.grade}: {rule.cite()}."
    )
    if rule.grade == "C":
        text += " A coaching convention, not a cause of pain."
    if rule.note:
        text += f" Note: {rule.note}."
    if not aspect_known and rule.unit != "%":
        text += " Frame size unknown: square frames were assumed, so this angle may be off."
    return text


@dataclass(frozen=True, slots=True)
class Check:
    """One rule in one rep: share of judged frames past the limit (1/0 for point rules),
    whether the fault holds in the rep, the rep's value, and why it was not judged."""

    share: float | None
    hit: bool
    value: float | None
    why: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored per rep."""
        out: dict[str, Any] = {"share": None if self.share is None else round(self.share, 2)}
        out["holds"] = self.hit
        if self.why:
            out["why"] = self.why
        return out


def _check(
    rule: Rule,
    metrics: dict[str, Value],
    *,
    series: NDArray[np.float64] | None,
    span: RepSpan | None,
    good: NDArray[np.bool_] | None,
    noise: float,
) -> Check:
    v = metrics.get(rule.metric)
    if v is None or v.value is None:
        return Check(None, False, None, v.why if v is not None else "not measured")
    if rule.frames and series is not None and span is not None:
        seg = series[span.start : span.end + 1]
        ok = np.isfinite(seg)
        if good is not None:
            ok &= good[span.start : span.end + 1]
        if int(ok.sum()) < MIN_FRAMES:
            return Check(None, False, v.value, "too few good frames in this rep")
        share = float(np.mean(rule.past(seg[ok], rule.limits[0], noise)))
        return Check(share, share > MOST, v.value)
    hit = bool(rule.past(v.value, rule.limits[0], noise))
    return Check(1.0 if hit else 0.0, hit, v.value)


def judge(
    exercise: str,
    reps: list[dict[str, Value]],
    *,
    series: dict[str, NDArray[np.float64]] | None = None,
    spans: list[RepSpan] | None = None,
    good: NDArray[np.bool_] | None = None,
    judged: list[bool] | None = None,
    aspect_known: bool = True,
    margins: dict[str, float] | None = None,
) -> tuple[list[dict[str, Any]], list[list[str]], list[dict[str, Check]]]:
    """Faults of a set from its reps (numbered from 1).

    reps: each rep's metrics. series/spans/good: per-frame series, rep frame spans and the
    frames that passed the pose quality gate, for the rules judged frame by frame (without
    them those rules use the rep's value). judged: False for reps that cannot be judged (too
    few good frames). margins: noise margin per series for this set (default: noise.margin).
    Returns the faults (fault, reps, reps_judged, severity, grade, text, cue,
    metric, value, threshold, margin, rule, source), the faults holding in each rep, and each
    rep's checks by fault.
    """
    from backcheck.video.exercise import METRICS

    by_metric = {m.name: m.series for m in METRICS[exercise]}
    rules = RULES[exercise]
    checks: list[dict[str, Check]] = [{} for _ in reps]
    for i, metrics in enumerate(reps):
        if judged is not None and not judged[i]:
            for rule in rules:
                checks[i][rule.fault] = Check(None, False, None, "too few good frames in this rep")
            continue
        for rule in rules:
            name = by_metric.get(rule.metric, rule.metric)
            checks[i][rule.fault] = _check(
                rule,
                metrics,
                series=None if series is None else series.get(name),
                span=None if spans is None else spans[i],
                good=good,
                noise=(margins or {}).get(name, margin(name)),
            )
        for rule in rules:  # opposite faults: the one held longer wins
            mine, other = checks[i][rule.fault], checks[i].get(rule.opposite or "")
            loses = other is not None and (
                (mine.share or 0.0) < (other.share or 0.0)
                or (mine.share == other.share and rule.fault > (rule.opposite or ""))
            )
            if rule.opposite and mine.hit and other is not None and other.hit and loses:
                checks[i][rule.fault] = Check(
                    mine.share, False, mine.value, f"outweighed by {rule.opposite}"
                )
    per_rep = [[r.fault for r in rules if c[r.fault].hit] for c in checks]
    faults: list[dict[str, Any]] = []
    for rule in rules:
        name = by_metric.get(rule.metric, rule.metric)
        noise = (margins or {}).get(name, margin(name))
        could = [i for i, c in enumerate(checks) if c[rule.fault].share is not None]
        hits = [i for i in could if checks[i][rule.fault].hit]
        if not hits or len(hits) <= MOST * len(could):
            continue
        values = [checks[i][rule.fault].value for i in hits]
        typical = round(float(np.median([v for v in values if v is not None])), 1)
        severity = rule.severity(typical, noise) or "mild"
        faults.append(
            {
                "fault": rule.fault,
                "reps": [i + 1 for i in hits],
                "reps_judged": len(could),
                "severity": severity,
                "grade": rule.grade,
                "text": describe(
                    rule,
                    reps=[i + 1 for i in hits],
                    judged=len(could),
                    value=typical,
                    noise=noise,
                    aspect_known=aspect_known,
                ),
                "cue": rule.cue,
                "metric": rule.metric,
                "value": typical,
                "threshold": rule.limits[0],
                "margin": noise,
                "rule": rule.quote(noise),
                "source": rule.cite(),
            }
        )
        if noise > margin(name):
            faults[-1]["text"] += (
                f" The margin was raised from {margin(name):g} to {noise:g} because this "
                "video's landmarks wobbled more on its still frames."
            )
    faults.sort(key=lambda f: -SEVERITIES.index(f["severity"]))  # most severe first
    return faults, per_rep, checks
