"""`backcheck why` speed: the whole CLI process on ~10 years of daily training (150,000 sets).

Target (issue: cause engine): under 1 s after import, end to end in the CLI, and cost that
grows linearly with sets. The first `why` after an import reads the sets from SQLite and
writes the read cache (store/cache.py); later runs read the cache. Both are reported.
Run: .venv/bin/python benchmarks/why_speed.py [--sets 37500 75000 150000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

from backcheck.sim.writers import big_strong_csv
from common import backcheck_cmd, timed, write_section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", type=int, nargs="+", default=[37_500, 75_000, 150_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sets:
            csv_path = Path(tmp) / f"strong-{n}.csv"
            big_strong_csv(csv_path, n_sets=n, seed=3)
            db = f"sqlite:///{tmp}/why-{n}.db"
            base = [*backcheck_cmd(), "--db", db, "--tz", "Europe/Berlin"]
            subprocess.run([*base, "import", str(csv_path)], check=True, stdout=subprocess.DEVNULL)
            why = [*base, "why", "--json", "--as-of", "2026-11-15"]
            first = timed(why)
            warm = statistics.median(timed(why) for _ in range(args.repeat))
            rows.append((n, first, warm))
    _, _, base_warm = rows[0]
    table = "| sets | first `why` after import (s) | later `why` (s, median) | per 10k sets (ms) |\n|---|---|---|---|\n"
    for n, first, warm in rows:
        table += f"| {n:,} | {first:.2f} | {warm:.2f} | {warm / n * 1e7:.0f} |\n"
    body = (
        "`backcheck why --json` on simulated daily training (the whole CLI process, Python start "
        f"included), target < 1 s at 150,000 sets:\n\n{table}\n"
        "Linear growth shows as a flat or falling per-10k-sets cost (fixed start-up cost is spread "
        f"over more sets); the smallest run's {base_warm:.2f} s is mostly Python start-up and imports."
    )
    print(body)
    write_section("why speed (benchmarks/why_speed.py)", body)


if __name__ == "__main__":
    main()
