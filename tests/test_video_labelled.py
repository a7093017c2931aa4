"""The labelled evaluation set (backcheck/video/labelled.py): a manifest of landmark files with
their true reps and faults, split into tuning and held-out halves, scored per lift. The clips
are synthetic stick figures (test_video_synthetic.py) whose truth is known by construction."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from backcheck.errors import InputError
from backcheck.video.labelled import evaluate, read_manifest, split
from backcheck.video.landmarks import write_csv
from test_video_synthetic import pushups, sag_for

#: (reps, hips sagging) of each clip, in manifest order.
CLIPS = [(1, False), (2, True), (3, False), (4, True), (2, False), (3, True), (4, False), (1, True)]


def _offset(sagging: bool) -> float:
    """Hip displacement for a clear sag (32 deg below the line) or a straight body (15 above)."""
    offset = -32.0 if sagging else 15.0
    return math.copysign(sag_for(offset), -offset)


def _write_set(folder: Path, *, miscount: int | None = None) -> Path:
    """Landmark files and a manifest for CLIPS; clip `miscount` is listed with one rep too many."""
    rows = ["file,exercise,reps,faults"]
    for i, (reps, sagging) in enumerate(CLIPS):
        name = f"clip{i}.csv"
        write_csv(pushups(reps, sag=_offset(sagging), noise=0.002, seed=i), folder / name)
        listed = reps + 1 if i == miscount else reps
        rows.append(f"{name},push-up,{listed},{'hip_sag' if sagging else ''}")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def test_the_split_keeps_correct_and_faulty_clips_in_both_halves(tmp_path: Path) -> None:
    clips = read_manifest(_write_set(tmp_path))
    tune, held = split(clips)
    assert len(tune) + len(held) == len(CLIPS)
    for half in (tune, held):
        assert {bool(c.faults) for c in half} == {True, False}
    assert not {c.line for c in tune} & {c.line for c in held}


def test_scores_per_lift_against_the_labels(tmp_path: Path) -> None:
    clips = read_manifest(_write_set(tmp_path))
    scores = evaluate(clips)
    assert list(scores) == ["push-up"]
    s = scores["push-up"]
    assert (s.clips, s.counted) == (len(CLIPS), len(CLIPS))
    assert s.reps_exact == 1.0
    sag = s.per_fault["hip_sag"]
    assert (sag.tp, sag.fn) == (sum(f for _, f in CLIPS), 0)
    assert sag.fp == 0 and sag.precision == 1.0
    assert s.any_fault.balanced_accuracy == 1.0
    # a fault nobody labelled and the checker did not call has no precision or recall
    assert s.per_fault["hips_high"].recall is None


def test_a_wrong_count_in_the_labels_shows_in_reps_exact(tmp_path: Path) -> None:
    clips = read_manifest(_write_set(tmp_path, miscount=2))
    tune, held = split(clips)
    wrong = next(c for c in clips if c.line == 2 + 2)
    half = tune if wrong in tune else held
    s = evaluate(half)["push-up"]
    assert s.reps_exact == pytest.approx((len(half) - 1) / len(half))


def test_clips_without_a_count_are_left_out_of_reps_exact(tmp_path: Path) -> None:
    manifest = _write_set(tmp_path)
    lines = manifest.read_text(encoding="utf-8").splitlines()
    name, exercise, _, faults = lines[1].split(",")
    lines[1] = f"{name},{exercise},,{faults}"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = evaluate(read_manifest(manifest))["push-up"]
    assert (s.clips, s.counted) == (len(CLIPS), len(CLIPS) - 1)


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("clip0.csv,squat,3,", "exercise 'squat' is not one of"),
        ("clip0.csv,push-up,three,", "reps 'three' is not a whole number"),
        ("clip0.csv,push-up,-1,", "reps '-1' is not a whole number"),
        ("clip0.csv,push-up,3,hip_sag;elbow_flare", "elbow_flare: not a push-up fault"),
        ("clip0.csv,row,3,hip_sag", "hip_sag: not a row fault"),
        ("missing.csv,push-up,3,", "no landmarks file 'missing.csv'"),
        ("clip0.csv,push-up,3", "expected 4 fields, found 3"),
    ],
)
def test_a_bad_manifest_row_names_its_line(tmp_path: Path, row: str, says: str) -> None:
    write_csv(pushups(1), tmp_path / "clip0.csv")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,exercise,reps,faults\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_manifest(manifest)
    assert str(err.value).startswith(f"{manifest}:2: ")
    assert says in str(err.value)


def test_a_manifest_without_the_header_or_clips_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("name,lift\nclip0.csv,push-up\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest.csv:1: the header must be"):
        read_manifest(manifest)
    manifest.write_text("file,exercise,reps,faults\n", encoding="utf-8")
    with pytest.raises(InputError, match="no clips"):
        read_manifest(manifest)
    with pytest.raises(InputError, match="no such manifest"):
        read_manifest(tmp_path / "absent.csv")
