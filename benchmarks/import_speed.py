"""Import speed: a 200,000-set Strong export, end to end through the CLI into SQLite.

Target (issue: foundation): under 5 s on a 2-core machine. Also prints the ratio to a bare
`polars.read_csv` of the same file, and the second (idempotent) import.
Run: .venv/bin/python benchmarks/import_speed.py [--sets N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl

from backcheck.sim.writers import big_strong_csv
from common import backcheck_cmd, timed, write_section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "strong.csv"
        big_strong_csv(csv_path, n_sets=args.sets, seed=1)
        size_mb = csv_path.stat().st_size / 1e6
        first, second, bare = [], [], []
        for i in range(args.repeat):
            db = Path(tmp) / f"b{i}.db"
            cmd = [
                *backcheck_cmd(),
                "--db",
                f"sqlite:///{db}",
                "--tz",
                "Europe/Berlin",
                "import",
                str(csv_path),
            ]
            first.append(timed(cmd))
            second.append(timed(cmd))
            start = time.perf_counter()
            pl.read_csv(csv_path, infer_schema_length=10_000)
            bare.append(time.perf_counter() - start)
    f, s, b = statistics.median(first), statistics.median(second), statistics.median(bare)
    body = (
        f"`backcheck import` of a {args.sets:,}-set Strong export ({size_mb:.1f} MB) into a new "
        f"SQLite file, whole CLI process, median of {args.repeat}:\n\n"
        "| step | seconds | target |\n|---|---|---|\n"
        f"| first import | {f:.2f} | < 5 |\n"
        f"| same file again (adds nothing) | {s:.2f} | |\n"
        f"| bare `polars.read_csv` of the file | {b:.3f} | |\n"
        f"| ratio first import / read_csv | {f / b:.0f}x | |\n"
    )
    print(body)
    write_section("Import speed (benchmarks/import_speed.py)", body)


if __name__ == "__main__":
    main()
