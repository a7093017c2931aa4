"""The sources behind every finding (docs/science.md), with their evidence grade.

Grades: A = trial, cohort or systematic review; B = observational study or clinical
guideline; C = coaching practice or tool convention with no outcome data. A grade-C rule is
never worded as a cause of injury: it is a technique or training note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Grade = Literal["A", "B", "C"]


@dataclass(frozen=True, slots=True)
class Source:
    """A citation and the grade of the evidence it gives."""

    cite: str
    grade: Grade


SOURCES: Final[dict[str, Source]] = {
    # 1. Overexertion
    "foster2001": Source("Foster et al. 2001, JSCR 15:109 (session-RPE)", "B"),
    "day2004": Source("Day et al. 2004, JSCR 18:353 (session-RPE in resistance training)", "B"),
    "foster1998": Source("Foster 1998, MSSE 30:1164 (monotony and strain)", "B"),
    "monotony_cutoff": Source("Monotony > 2.0: a convention, no published cut-off", "C"),
    "williams2017": Source("Williams et al. 2017, BJSM 51:209 (EWMA ACWR)", "B"),
    "lolli2019": Source("Lolli et al. 2019, BJSM 53:921 (uncoupled ACWR)", "B"),
    "hulin2016": Source("Hulin et al. 2016, BJSM 50:231 (ACWR >= 1.5)", "B"),
    "gabbett2016": Source("Gabbett 2016, BJSM 50:273 (0.8-1.3 sweet spot)", "B"),
    "impellizzeri2021": Source("Impellizzeri et al. 2021, Sports Med (ACWR: weak prediction)", "A"),
    "nielsen2014": Source("Nielsen et al. 2014, JOSPT (> 30% over 2 weeks, runners)", "B"),
    "impellizzeri2020": Source(
        "Impellizzeri et al. 2020, J Athl Train 55:893 (ratios and cut-offs: false discoveries)",
        "B",
    ),
    "spike_convention": Source(
        "Spike week: above 1.3x the level carried and beyond the athlete's own usual range"
        " of weekly ratios (median + 4x its lower spread): backcheck convention",
        "C",
    ),
    "buist2008": Source("Buist et al. 2008 (10% rule RCT, runners)", "A"),
    "reynolds2006": Source("Reynolds et al. 2006, JSCR 20:584 (1RM estimates, <= 10 reps)", "B"),
    "helms2016": Source("Helms et al. 2016, SCJ 38(4):42 (RPE and reps in reserve)", "B"),
    # 2. Warm-up
    "fradkin2006": Source(
        "Fradkin, Gabbe & Cameron 2006, J Sci Med Sport 9:214 (warm-up RCTs)", "B"
    ),
    "jeffreys2007": Source("Jeffreys 2007 (RAMP warm-up)", "C"),
    "ijerph2020": Source("IJERPH 2020;17(18):6882 (bench press specific warm-up)", "B"),
    "ramp_convention": Source("40-60-80% ramp sets: coaching convention", "C"),
    # 3. Imbalance
    "baker2004": Source("Baker & Newton 2004, JSCR 18:594 (bench:pull-up 1RM ~0.98)", "B"),
    "negrete2013": Source("Negrete et al. 2013, IJSPT (push-up : pull-up ratios)", "B"),
    "kolber2009": Source("Kolber et al. 2009, JSCR 23:148 (agonist/antagonist ratios)", "B"),
    "kolber2017": Source("Kolber et al. 2017 (shoulder pain in weight trainers)", "B"),
    "pullpush_convention": Source("Pull:push 2:1: coaching advice, no trial", "C"),
    # 4. Recovery
    "acsm2009": Source(
        "ACSM 2009 position stand, Ratamess et al., MSSE 41:687 (48 h, frequency)", "B"
    ),
    "milewski2014": Source(
        "Milewski et al. 2014, J Pediatr Orthop 34:129 (sleep < 8 h, 1.7x injury)", "B"
    ),
    "cheung2003": Source("Cheung, Hume & Maxwell 2003, Sports Med 33:145 (DOMS time course)", "B"),
    "nhs_doms": Source("NHS inform: soreness lasting > 5 days or worsening", "B"),
    # 5. Posture
    "lafayette2023": Source(
        "Lafayette et al. 2023, Sensors 23(1):3 (2D pose vs motion capture)", "B"
    ),
    "singla2017": Source("Singla 2017; Sandrey 2021 (forward head: no validated cut-offs)", "C"),
    "bodyline_convention": Source(
        "Straight body line (tool convention of about 165 deg or more; backcheck judges the hip "
        "offset from the shoulder-ankle line, calibrated on labelled real planks)",
        "C",
    ),
    "noteboom2024": Source(
        "Noteboom et al. 2024, Front Physiol 15:1393235 (grip and retraction)", "B"
    ),
    "flare_convention": Source("Elbow flare 45-75 deg: coaching convention", "C"),
    "row_convention": Source("Bent-over row torso 0-45 deg: coaching convention", "C"),
    "saraceni2020": Source(
        "Saraceni et al. 2020, JOSPT 50:121 (spine flexion is not a cause)", "A"
    ),
    # 6. Red flags
    "nice_redflags": Source("NICE: red flags (single flags are weak predictors: get checked)", "B"),
    "cdc_rhabdo": Source("CDC/NIOSH: exertional rhabdomyolysis", "B"),
}


def source(key: str) -> Source:
    """The Source registered under `key` (KeyError names the unknown key)."""
    return SOURCES[key]
