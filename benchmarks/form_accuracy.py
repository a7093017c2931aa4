"""Form-check accuracy per lift: rep count exact share, fault precision and recall, balanced
accuracy; written to docs/form-accuracy.md.

Two kinds of data, never mixed in one figure:

1. Real labelled landmarks (the targets are judged on these). The only public, permissively
   licensed labelled landmark data found for the lifts backcheck checks is the MIT-licensed
   plank set of NgoQuocBao1010/Exercise-Correction (tests/data/SOURCES.md): MediaPipe
   landmarks of planks labelled correct / hips high / hips low, which is the push-up's top
   position and its body-line faults. Its clips are split by label in turn into a tuning half
   (the hip band was set on it) and a held-out half (scored, never used to set anything).
   It has no reps, so rep counting and the other lifts cannot be scored on real data here.
2. Synthetic stick figures (forward kinematics in tests/test_video_synthetic.py, written
   independently of backcheck.video) with random rep counts, landmark noise at and above the
   still-frame noise measured on the real planks, random tempo, and faults of random size on
   either side of each rule. These check the machinery on every lift; they are not evidence of
   accuracy on real people.

Run: .venv/bin/python benchmarks/form_accuracy.py [--clips 40] [--seed 1] [--no-write]
     [--labelled MANIFEST]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from backcheck.errors import InputError  # noqa: E402
from backcheck.video.analyse import analyse_landmarks  # noqa: E402
from backcheck.video.evaluate import Scores, clips, hold_faults, score, split  # noqa: E402
from backcheck.video.labelled import evaluate, read_manifest  # noqa: E402
from backcheck.video.labelled import split as split_labelled  # noqa: E402
from backcheck.video.landmarks import Landmarks, read_csv  # noqa: E402
from backcheck.video.noise import NOISE_SD, margin  # noqa: E402
from test_video_synthetic import (  # noqa: E402
    press_frame,
    pushup_frame,
    row_frame,
    sag_for,
    sequence,
)

DOC = ROOT / "docs" / "form-accuracy.md"
PLANK = ROOT / "tests" / "data" / "pose" / "exercise_correction_plank_test.csv"
BODY_LINE = {"hip_sag": "L", "hips_high": "H"}
TARGET = {"push-up": 0.95, "bench-press": 0.90, "row": 0.90, "overhead-press": 0.90}


def fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def real_planks() -> tuple[str, dict[str, Scores]]:
    lm = read_csv(PLANK)
    tune, held = split(clips(lm.labels or []))
    lines = [
        "| half | clips (C/H/L) | any body-line fault: balanced accuracy | hip sag P / R | hips high P / R |",
        "|---|---|---|---|---|",
    ]
    out: dict[str, Scores] = {}
    for name, group in (("tuning", tune), ("**held-out**", held)):
        called = [hold_faults(lm, c) for c in group]
        anyf = score([c.label != "C" for c in group], [bool(f & set(BODY_LINE)) for f in called])
        per = {
            f: score([c.label == lab for c in group], [f in got for got in called])
            for f, lab in BODY_LINE.items()
        }
        counts = "/".join(str(sum(c.label == k for c in group)) for k in "CHL")
        lines.append(
            f"| {name} | {len(group)} ({counts}) | {fmt(anyf.balanced_accuracy)} | "
            f"{fmt(per['hip_sag'].precision)} / {fmt(per['hip_sag'].recall)} | "
            f"{fmt(per['hips_high'].precision)} / {fmt(per['hips_high'].recall)} |"
        )
        out[name.strip("*")] = anyf
    return "\n".join(lines), out


@dataclass(frozen=True, slots=True)
class Lift:
    """How to draw a synthetic set of one lift: clean or with `fault` of a random size."""

    exercise: str
    fault: str
    draw: Callable[[np.random.Generator, bool], Callable[[float], np.ndarray]]
    rep_s: float = 2.0


def _pushup(rng: np.random.Generator, bad: bool) -> Callable[[float], np.ndarray]:
    # straight: hips from 5 deg below to 30 deg above the line (MediaPipe-like bias);
    # sagging: 22-40 deg below
    offset = -rng.uniform(22, 40) if bad else rng.uniform(-5, 30)
    sag = math.copysign(sag_for(offset), -offset)
    bottom = rng.uniform(60, 90)
    return lambda p: pushup_frame(170 - (170 - bottom) * p, sag=sag)


def _bench(rng: np.random.Generator, bad: bool) -> Callable[[float], np.ndarray]:
    bottom = rng.uniform(122, 133) if bad else rng.uniform(65, 92)
    return lambda p: pushup_frame(170 - (170 - bottom) * p, sag=0.0)


def _row(rng: np.random.Generator, bad: bool) -> Callable[[float], np.ndarray]:
    torso = rng.uniform(57, 72) if bad else rng.uniform(15, 38)
    return lambda p: row_frame(p, torso_deg=torso)


def _press(rng: np.random.Generator, bad: bool) -> Callable[[float], np.ndarray]:
    lean = rng.uniform(24, 35) if bad else rng.uniform(0, 9)
    head = rng.uniform(0, 15)
    return lambda p: press_frame(p, lean_deg=lean, head_deg=head)


LIFTS = (
    Lift("push-up", "hip_sag", _pushup),
    Lift("bench-press", "partial_depth", _bench),
    Lift("row", "torso_upright", _row),
    Lift("overhead-press", "lean_back", _press, rep_s=2.5),
)


def synthetic(n: int, seed: int) -> tuple[str, dict[str, dict[str, float | None]]]:
    rng = np.random.default_rng(seed)
    lines = [
        "| lift (synthetic) | clips | reps exact | fault | precision | recall | balanced accuracy |",
        "|---|---|---|---|---|---|---|",
    ]
    out: dict[str, dict[str, float | None]] = {}
    for lift in LIFTS:
        exact = 0
        truth: list[bool] = []
        called: list[bool] = []
        for k in range(n):
            bad = k % 2 == 1
            reps = int(rng.integers(1, 9))
            lm: Landmarks = sequence(
                lift.draw(rng, bad),
                reps,
                fps=float(rng.choice([15.0, 30.0])),
                rep_s=lift.rep_s * rng.uniform(0.7, 1.4),
                pause_s=rng.uniform(0.5, 1.2),
                noise=rng.uniform(0.001, 0.004),
                seed=int(rng.integers(1 << 30)),
            )
            result = analyse_landmarks(lm, exercise=lift.exercise)
            exact += len(result.reps) == reps
            truth.append(bad)
            called.append(lift.fault in {f["fault"] for f in result.faults})
        s = score(truth, called)
        out[lift.exercise] = {
            "reps_exact": exact / n,
            "precision": s.precision,
            "recall": s.recall,
            "balanced_accuracy": s.balanced_accuracy,
        }
        lines.append(
            f"| {lift.exercise} | {n} | {exact / n:.2f} | {lift.fault} | {fmt(s.precision)} | "
            f"{fmt(s.recall)} | {fmt(s.balanced_accuracy)} |"
        )
    return "\n".join(lines), out


SEARCHED = """\
## Labelled data searched for and not used (evidence for what stays unmeasured)

Two searches of public repositories (issue 13; the second on 2026-12-04 with repository-name,
file-path, file-type, exact-string and meaning searches: exercise-correction / form-checker /
rep-counter / "AI gym trainer" projects, fitness and rep-counting research data sets). Wanted:
pose landmarks or keypoints of push-ups, bench press, rows or overhead / shoulder press, with
form labels or rep counts, under MIT / BSD / Apache / CC-BY / CC0, as text in git. The licence
was read in the repository itself; a repository with no licence file is all rights reserved.

| source (repository @ commit) | what it holds | why not used |
|---|---|---|
| NgoQuocBao1010/Exercise-Correction @ 202a0a8, 1085e11 (MIT) | planks C/H/L (used above); bicep curls C / L "lean back" (core/bicep_model/test.csv, side view, upper body + hips); squats; lunges | none of the four lifts. The curl lean-back labels could only be a proxy check of the overhead press's lean-back rule, so they were left out. Its plank training set (core/plank_model/dataset.csv) has the frames shuffled across clips, so no clip can be judged as a hold |
| KDMStromback/mm-fit @ fe77177 (MIT, code only) | starter code for MM-Fit: push-ups, dumbbell shoulder press and dumbbell rows with reps per set, 2D/3D pose | the data set itself is not in git (project site, its own terms, not checkable here). rjt2004/fitness-action-eval @ ef59e4c (no licence) commits only the label CSVs (start, end, reps, exercise) and smartwatch arrays, not the pose arrays. Every copy of the poses seen is binary .npy, which cannot be read from here |
| toinfinityai/InfiniteRep @ 229526a, toinfinityai/infinity-datasets @ 7b7ce8c (CC BY 4.0) | synthetic avatars: push-ups and dumbbell overhead press, COCO-17 keypoints and a per-frame rep count | annotations only through a sign-up download; the repositories hold a README, a notebook, one sample video and a mask zip, no keypoint JSON |
| ParitoshParmar/Fitness-AQA @ 0190e2d | overhead press and barbell row with fault labels (elbow flare, knees; lumbar, torso angle) | videos by request, non-commercial terms (fitness_aqa_dataset_license.pdf); no landmarks in git (UlisesGallardo/SSL-Fitness-AQA holds model weights only) |
| RepCount / PoseRAC: MiracleDance/PoseRAC @ 546bc39 (MIT, code only); DanielC-MST/RepCount-Using-Skeleton-Information @ 93114b8 (no licence) | rep boundaries per video for bench press, push-ups and others (RepCount_pose/annotation/pose_train.csv) | the poses are binary .npy (test_poses_5_ave/); the videos are from YouTube; no licence in the repository holding the boundaries |
| stevenzchen/pose-trainer | OpenPose keypoints of shoulder presses labelled good / bad | no licence |
| Uncharted0110/Pose-estimation | push-up landmark CSVs | no licence, no labels |
| mohamadashrafsalama/pushup (Kaggle), ankgoat/ML-Pushup-Tracker @ 9fe9c8c, ikhwanwahid/pushup-tracker @ 70453e0 | 100 push-up videos labelled correct / wrong; per-frame landmark JSON of them | videos only on Kaggle (licence not stated); the landmark copy has no licence; the other keeps the data out of git |
| tranhuutuan261103/Gym-Exercise-Correction @ f8a0173 | push-up frames (dataset/push_up/train/train_clean.csv): MediaPipe world landmarks, upper body, per-frame labels | no licence; no knees or ankles |
| johansen08/FormFitAI @ f45700a | push_up.csv: MediaPipe 33 landmarks with an up / down phase per frame | no licence |
| kolorless/SpartaHackX @ f237234 | bench_press.csv, shoulder_press.csv, push_up.csv, t_bar_row.csv: MediaPipe points of single still images | no licence; exercise class only, no form labels, no sequences |
| DouglasRollman/ctp_ds_project @ 1beb141 | shoulder_press.csv: pixel arm keypoints at 50 fps with rest / press states | no licence; the states sit beside angles its own code computed, with nothing saying people labelled them; arms only |
| Shanover77/gym-motion-pose-ai @ e0cc5bd (Fit3D / AIFit) | curl features only | Fit3D is by request for research; no row or press data in git |
| Aman-5011/ai_gym_trainer @ fcc2c89; samdawes/motion-counting @ 0b6d15a; ItMeBayu/Classification-Push-Up-Movements @ a08e1c9 | six hand-written angle rows; accelerometer push-ups; a model file and a notebook | not landmarks, or no data |
"""


NOTES = """\
## What is not measured, and why

- **Rep counting on real footage** and **bench press, row and overhead press on real data**:
  no public landmark data with rep or form labels under a permissive licence, in a form that can
  be read here (text in a public repository), was found in two searches; every source looked at
  and why it was not used is listed in the section above. The issue's figures on 100 push-up
  clips and 36 overhead-press clips could not be reproduced here for that reason.
- **Adding real data**: a labelled set is a manifest CSV `file,exercise,reps,faults` beside
  its landmark files (backcheck/video/labelled.py says the format);
  `benchmarks/form_accuracy.py --labelled MANIFEST` scores every lift in it per half (reps
  exact, fault precision / recall, balanced accuracy), so a lift is measured by adding data.
- The **targets** (balanced accuracy >= 0.95 push-ups, >= 0.90 other lifts, reps exact >= 95%)
  are therefore met only where marked on real data (push-up body line, held-out planks); the
  synthetic rows show the rules and rep counter behave as written, not that they agree with a
  coach on real people.
- **How blind the held-out half is**: the hip band was first read off the per-label
  percentiles of the whole file (frame by frame) before the clip split was made. On the tuning
  half alone the measured hip offset spans 24.6 to 48.6 deg for correct planks, -35.5 to 2.1
  for low hips and 91.4 to 117.2 for high hips, which supports the same band; still, the
  held-out figure is not fully blind, and 8 clips are few.
- The real plank set has **no frame size** (read as square frames, which the result says); its
  19 clips are few, so one clip is 0.06-0.13 of a balanced accuracy.

## How to read it

- *Reps exact*: share of clips whose rep count equals the true count.
- *Precision / recall*: of the clips given the fault, the share that had it; of the clips that
  had it, the share given it.
- *Balanced accuracy*: (recall + specificity) / 2, robust to unequal class sizes.
- A fault is called only when it holds past its limit by the noise margin (2 x the still-frame
  SD measured on the real planks, raised up to 2x when a set's own still frames between reps
  wobble more) in most of a rep's good frames and in most reps; frames with an implausible
  skeleton are dropped first (backcheck/video/quality.py).
"""


def margins() -> str:
    """The noise margins in force (backcheck/video/noise.py)."""
    rows = [
        "## Noise margins in force\n",
        "Still-frame SD per series (median over the 19 real plank holds; the head, shrug, bar "
        "tilt and elbow difference series cannot be measured in that data and are derived, see "
        "backcheck/video/noise.py) and the margin a fault must clear (2 x SD).\n",
        "| series | still-frame SD | margin |",
        "|---|---|---|",
    ]
    for name, sd in NOISE_SD.items():
        unit = "%" if name == "ear_shoulder" else "deg"
        rows.append(f"| {name} | {sd:g} {unit} | {margin(name):g} {unit} |")
    return "\n".join(rows) + "\n"


def labelled_set(manifest: Path) -> str:
    """Per-lift scores on a labelled set (backcheck/video/labelled.py), both halves."""
    items = read_manifest(manifest)
    tune, held = split_labelled(items)
    lines = [
        f"## Labelled set: {manifest}\n",
        f"{len(items)} clips; limits may be looked at on the tuning half only.\n",
        "| half | lift | clips | reps exact (counted clips) | any fault: balanced accuracy | "
        "fault precision / recall (clips with it) |",
        "|---|---|---|---|---|---|",
    ]
    for name, group in (("tuning", tune), ("**held-out**", held)):
        for lift, s in evaluate(group).items():
            faults = "; ".join(
                f"{f} {fmt(sc.precision)} / {fmt(sc.recall)} ({sc.tp + sc.fn})"
                for f, sc in s.per_fault.items()
                if sc.tp + sc.fn + sc.fp
            )
            lines.append(
                f"| {name} | {lift} | {s.clips} | {fmt(s.reps_exact)} ({s.counted}) | "
                f"{fmt(s.any_fault.balanced_accuracy)} | {faults or 'none labelled or called'} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=40, help="synthetic clips per lift")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--labelled",
        type=Path,
        help="manifest of a labelled set (file,exercise,reps,faults; backcheck/video/labelled.py)",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    labelled = ""
    if args.labelled:
        try:
            labelled = labelled_set(args.labelled) + "\n"
        except InputError as err:
            print(f"form_accuracy: {err}", file=sys.stderr)
            sys.exit(2)
    real_table, real = real_planks()
    syn_table, _ = synthetic(args.clips, args.seed)
    held = real["held-out"].balanced_accuracy
    summary = [
        "| lift | real data | reps exact (real) | balanced accuracy (real, held-out) | target |",
        "|---|---|---|---|---|",
        f"| push-up | body line on held-out labelled planks | not measured | {fmt(held)} | >= "
        f"{TARGET['push-up']:.2f} {'(met)' if held is not None and held >= TARGET['push-up'] else '(not met)'} |",
    ]
    for lift in ("bench-press", "row", "overhead-press"):
        summary.append(
            f"| {lift} | none usable found (see the search below) | not measured | not measured "
            f"| >= {TARGET[lift]:.2f} |"
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    doc = (
        "# Form-check accuracy\n\n"
        f"Written by `benchmarks/form_accuracy.py` ({stamp}; {args.clips} synthetic clips per "
        f"lift, seed {args.seed}; {time.perf_counter() - start:.0f} s).\n\n"
        "## Summary per lift (real data)\n\n" + "\n".join(summary) + "\n\n"
        "## Real labelled landmarks: push-up body line on planks\n\n"
        "MediaPipe landmarks of planks by several people, labelled C (correct), H (hips too "
        "high), L (hips too low) by the authors of NgoQuocBao1010/Exercise-Correction (MIT). Each "
        "clip is judged as one held position with the push-up rules. The hip band (0 to +50 deg "
        "of measured offset) was set on the tuning half.\n\n" + real_table + "\n\n"
        "## Synthetic stick figures (machinery check, not real accuracy)\n\n"
        "Half the clips of each lift clean, half with the fault; 1-8 reps; 15 or 30 fps; landmark "
        "noise 0.001-0.004 frame heights per coordinate. Bench press is drawn as a horizontal "
        "press seen from the side.\n\n"
        + syn_table
        + "\n\n"
        + labelled
        + SEARCHED
        + "\n"
        + NOTES
        + "\n"
        + margins()
    )
    print(doc)
    if not args.no_write:
        DOC.write_text(doc)


if __name__ == "__main__":
    main()
