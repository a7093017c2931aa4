"""`backcheck batch`: the local and Ray engines agree, bad athletes get error rows, a killed
run resumes, a Parquet data set of sets works like folders (30 simulated athletes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from backcheck.batch import run_batch
from backcheck.batch.athlete import athlete_data_from_files, from_sets, prepare
from backcheck.batch.output import parts_dir
from backcheck.batch.rows import ROW_SCHEMA, result_row
from backcheck.errors import InputError, UsageError
from backcheck.ingest import read_export
from backcheck.settings import zone_from_name
from backcheck.sim import Profile, simulate
from backcheck.sim.writers import write_athlete_folder
from backcheck.why import analyse

TZ = "Europe/Berlin"
AS_OF = date(2025, 3, 2)  # the simulated histories run 2025-01-06 .. 2025-03-02
CAUSES: list[frozenset[str]] = [
    frozenset(),
    frozenset({"warmup"}),
    frozenset({"imbalance"}),
    frozenset({"recovery"}),
    frozenset({"overexertion"}),
    frozenset({"warmup", "imbalance"}),
]
N = 30


@pytest.fixture(scope="module")
def athletes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 simulated athletes of 8 weeks, Strong and Hevy exports, mixed causes."""
    root = tmp_path_factory.mktemp("batch") / "athletes"
    for i in range(N):
        sim = simulate(Profile(name=f"a{i}", weeks=8, seed=i, causes=CAUSES[i % len(CAUSES)]))
        write_athlete_folder(sim, root / f"athlete-{i:02d}", fmt="hevy" if i % 3 == 0 else "strong")
    return root


@pytest.fixture(scope="module")
def local_out(athletes: Path, tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    out = tmp_path_factory.mktemp("local") / "results.parquet"
    seen: list[tuple[int, int, int]] = []
    summary = run_batch(
        athletes,
        out=out,
        tz=TZ,
        as_of=AS_OF,
        workers=2,
        progress=lambda done, total, errors: seen.append((done, total, errors)),
    )
    assert (summary.total, summary.analysed, summary.errors, summary.skipped) == (N, N, 0, 0)
    assert seen[0] == (0, N, 0) and seen[-1] == (N, N, 0)
    assert not parts_dir(out).exists()
    return pl.read_parquet(out)


@pytest.fixture(scope="session")
def ray_local() -> Iterator[Any]:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def expected_row(folder: Path) -> dict[str, Any]:
    """One athlete analysed in this process, straight from the files."""
    return result_row(analyse(athlete_data_from_files(folder, tz=TZ, as_of=AS_OF)))


def test_local_output_is_one_row_per_athlete_matching_direct_analysis(
    athletes: Path, local_out: pl.DataFrame
) -> None:
    assert local_out.schema == pl.Schema(ROW_SCHEMA)
    assert local_out["athlete"].to_list() == sorted(p.name for p in athletes.iterdir())
    assert local_out["error"].null_count() == N
    for name in ("athlete-00", "athlete-07", "athlete-29"):
        got = local_out.filter(pl.col("athlete") == name).to_dicts()[0]
        assert got == expected_row(athletes / name)


def test_ray_gives_identical_output(
    athletes: Path, local_out: pl.DataFrame, ray_local: Any, tmp_path: Path
) -> None:
    out = tmp_path / "ray.parquet"
    summary = run_batch(athletes, out=out, engine="ray", tz=TZ, as_of=AS_OF)
    assert summary.analysed == N and summary.engine == "ray"
    assert_frame_equal(pl.read_parquet(out), local_out)


def test_broken_athletes_get_error_rows(athletes: Path, tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good").symlink_to(athletes / "athlete-01")
    (root / "not-an-export").mkdir()
    (root / "not-an-export" / "workouts.csv").write_text("hello,world\n1,2\n", encoding="utf-8")
    (root / "bad-pain").mkdir()
    (root / "bad-pain" / "pain.csv").write_text(
        "date,level,region\n2025-01-07,3,neck\n2025-01-08,eleven,neck\n", encoding="utf-8"
    )
    (root / "empty").mkdir()
    out = tmp_path / "out.parquet"
    summary = run_batch(root, out=out, tz=TZ, as_of=AS_OF, workers=1)
    assert (summary.analysed, summary.errors) == (4, 3)
    rows = {r["athlete"]: r for r in pl.read_parquet(out).to_dicts()}
    assert rows["good"]["error"] is None and rows["good"]["sets"] > 0
    assert rows["not-an-export"]["error"].startswith(
        f"{root / 'not-an-export' / 'workouts.csv'}:1: not a workout export"
    )
    assert rows["bad-pain"]["error"].startswith(f"{root / 'bad-pain' / 'pain.csv'}:3:")
    assert "no workout export" in rows["empty"]["error"]
    for name in ("not-an-export", "bad-pain", "empty"):
        assert rows[name]["red_flags"] is None and rows[name]["score_warmup"] is None


KILLED_RUN = """
import sys
from datetime import date
from backcheck.batch import run_batch
if __name__ == "__main__":
    run_batch(sys.argv[1], out=sys.argv[2], tz="Europe/Berlin", as_of=date(2025, 3, 2),
              workers=1, flush_every=1)
"""


def test_resume_after_a_killed_run(athletes: Path, local_out: pl.DataFrame, tmp_path: Path) -> None:
    out = tmp_path / "resumed.parquet"
    script = tmp_path / "run.py"
    script.write_text(KILLED_RUN, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(athletes), str(out)], start_new_session=True
    )
    parts = parts_dir(out)
    deadline = time.monotonic() + 60
    try:
        while len(list(parts.glob("part-*.parquet"))) < 3 and time.monotonic() < deadline:
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not out.exists()  # killed before the end
    kept = pl.read_parquet(sorted(parts.glob("part-*.parquet")))["athlete"].to_list()
    assert 3 <= len(kept) < N

    summary = run_batch(athletes, out=out, tz=TZ, as_of=AS_OF, workers=2, resume=True)
    assert summary.skipped == len(kept)
    assert summary.analysed == N - len(kept)
    result = pl.read_parquet(out)
    assert result["athlete"].n_unique() == result.height == N
    assert_frame_equal(result, local_out)
    assert not parts.exists()

    again = run_batch(athletes, out=out, tz=TZ, as_of=AS_OF, workers=2, resume=True)
    assert (again.skipped, again.analysed) == (N, 0)
    assert_frame_equal(pl.read_parquet(out), local_out)


def parquet_sets(athletes: Path, names: list[str]) -> pl.DataFrame:
    zone = zone_from_name(TZ)
    frames = [
        read_export(athletes / n / "workouts.csv", tz=zone).sets.with_columns(
            pl.lit(n).alias("athlete")
        )
        for n in names
    ]
    return pl.concat(frames)


@pytest.mark.parametrize("layout", ["hive", "file"])
def test_parquet_data_set_input(athletes: Path, tmp_path: Path, layout: str) -> None:
    names = ["athlete-03", "athlete-04", "athlete-11"]
    sets = parquet_sets(athletes, names)
    if layout == "hive":
        source = tmp_path / "sets"
        sets.write_parquet(source, partition_by="athlete")
    else:
        source = tmp_path / "sets.parquet"
        sets.sort("athlete").write_parquet(source, row_group_size=500)
    out = tmp_path / "out.parquet"
    summary = run_batch(source, out=out, tz=TZ, as_of=AS_OF, workers=1)
    assert (summary.total, summary.errors) == (3, 0)
    result = pl.read_parquet(out)
    assert result["athlete"].to_list() == names
    for name in names:
        own = sets.filter(pl.col("athlete") == name)
        expected = result_row(analyse(prepare(from_sets(name, own), tz=TZ, as_of=AS_OF)))
        got = result.filter(pl.col("athlete") == name).to_dicts()[0]
        assert got == expected
        assert got["sets"] == own.height and got["pain_entries"] == 0
        assert got["red_flags"] == "not-asked"


def test_parquet_athlete_with_bad_sets_gets_an_error_row(athletes: Path, tmp_path: Path) -> None:
    sets = parquet_sets(athletes, ["athlete-05", "athlete-06"]).with_columns(
        pl.when(pl.col("athlete") == "athlete-06")
        .then(pl.lit("heavy"))
        .otherwise(pl.col("set_type"))
        .alias("set_type")
    )
    source = tmp_path / "sets.parquet"
    sets.write_parquet(source)
    out = tmp_path / "out.parquet"
    run_batch(source, out=out, tz=TZ, as_of=AS_OF, workers=1)
    rows = {r["athlete"]: r for r in pl.read_parquet(out).to_dicts()}
    assert rows["athlete-05"]["error"] is None
    assert "unknown set_type ['heavy']" in rows["athlete-06"]["error"]


def test_bad_arguments_are_usage_errors(athletes: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    with pytest.raises(UsageError, match="--engine"):
        run_batch(athletes, out=out, engine="spark", tz=TZ)
    with pytest.raises(UsageError, match="--address"):
        run_batch(athletes, out=out, address="auto", tz=TZ)
    with pytest.raises(UsageError, match="--workers"):
        run_batch(athletes, out=out, workers=0, tz=TZ)
    with pytest.raises(UsageError, match="--tz"):
        run_batch(athletes, out=out, tz="Mars/Olympus")
    with pytest.raises(InputError, match="no such file"):
        run_batch(tmp_path / "missing", out=out, tz=TZ)
    no_athlete = tmp_path / "no-athlete.parquet"
    pl.DataFrame({"session_start": [1], "exercise": ["x"], "set_type": ["working"]}).write_parquet(
        no_athlete
    )
    with pytest.raises(InputError, match="no athlete column"):
        run_batch(no_athlete, out=out, tz=TZ)
    assert not out.exists()


def test_landmarks_csv_in_an_athlete_folder_is_a_form_check(athletes: Path, tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    root = tmp_path / "in"
    folder = root / "with-video"
    folder.mkdir(parents=True)
    for f in (athletes / "athlete-02").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    plank = Path(__file__).parent / "data" / "pose" / "exercise_correction_plank_test.csv"
    (folder / "plank.csv").write_bytes(plank.read_bytes())
    filmed = time.mktime((AS_OF.year, AS_OF.month, AS_OF.day, 12, 0, 0, 0, 0, -1))
    os.utime(folder / "plank.csv", (filmed, filmed))  # filmed on the day analysed
    out = tmp_path / "out.parquet"
    run_batch(root, out=out, tz=TZ, as_of=AS_OF, workers=1)
    (row,) = pl.read_parquet(out).to_dicts()
    assert row["error"] is None
    assert row["videos"] == 1


def test_videos_go_through_ray_tasks_like_the_local_engine(
    athletes: Path, tmp_path: Path, ray_local: Any
) -> None:
    synth = pytest.importorskip("backcheck.video.synth")
    root = tmp_path / "in"
    folder = root / "filmed"
    folder.mkdir(parents=True)
    for f in (athletes / "athlete-03").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    clip = synth.write_clip(folder / "set.mp4", seconds=2.0, fps=10)
    filmed = time.mktime((AS_OF.year, AS_OF.month, AS_OF.day, 12, 0, 0, 0, 0, -1))
    os.utime(clip, (filmed, filmed))
    rows = {}
    for engine in ("local", "ray"):
        out = tmp_path / f"{engine}.parquet"
        run_batch(root, out=out, engine=engine, tz=TZ, as_of=AS_OF, workers=1)
        (rows[engine],) = pl.read_parquet(out).drop("analysed_at", strict=False).to_dicts()
    assert rows["ray"] == rows["local"]
    row = rows["ray"]
    assert row["error"] is None and row["sets"] > 0
    # A portrait has no hips: the clip is analysed (real pose) and reported, never fatal.
    assert row["videos"] == 1 or "set.mp4" in (row["notes"] or "")
