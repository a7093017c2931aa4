"""Regenerate the bundled demo athlete: `python -m backcheck.sim.demo_data [--out FOLDER]`.

The demo athlete trains 4 days a week for 16 weeks (2026-07-27 .. 2026-11-15, Europe/Berlin),
logs in Strong, rarely warms up and pushes far more than it pulls (the two main causes), and
sleeps a little short with a training day or two back to back (mild recovery). The files land in
src/backcheck/data/demo/: workouts.csv (Strong), pain.csv, recovery.csv, answers.json (no red
flags) and truth.json (what it was built with, for tests). It warms up before 30% of its
workouts and each causal exposure multiplies the odds of pain within 48 h by 6.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from backcheck.sim.athlete import simulate
from backcheck.sim.profile import Profile
from backcheck.sim.writers import write_athlete_folder


def demo_profile() -> Profile:
    """The demo athlete: warm-up and imbalance as main causes, mild recovery."""
    return Profile(
        name="demo",
        start=date(2026, 7, 27),
        weeks=16,
        days_per_week=4,
        seed=7,
        causes=frozenset({"warmup", "imbalance", "recovery"}),
        mild=frozenset({"recovery"}),
        warmup_rate=0.3,
        pain_odds=6.0,
    )


def default_folder() -> Path:
    """src/backcheck/data/demo/ of this installation."""
    return Path(__file__).resolve().parent.parent / "data" / "demo"


def write_demo(folder: Path | None = None) -> list[Path]:
    """Write the demo athlete's files into `folder` (default: the packaged demo folder)."""
    out = write_athlete_folder(simulate(demo_profile()), folder or default_folder(), fmt="strong")
    p = demo_profile()
    truth = {
        "athlete": p.name,
        "causes": sorted(p.causes),
        "mild": sorted(p.mild),
        "start": p.start.isoformat(),
        "weeks": p.weeks,
        "seed": p.seed,
        "tz": p.tz,
        "generator": "python -m backcheck.sim.demo_data (docs/simulator.md)",
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return sorted(out.iterdir())


def main(argv: list[str] | None = None) -> int:
    """Command line entry: write the demo files and list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=None, help="folder (default: packaged demo)")
    args = parser.parse_args(argv)
    for path in write_demo(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
