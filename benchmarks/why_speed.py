"""`backcheck why` speed: the whole CLI process on ~10 years of daily training (150,000 sets).

Target (issue: cause engine): under 1 s after import, end to end in the CLI, and cost that
grows linearly with sets. The athlete also keeps a pain diary (an entry every third day) and
a sleep log (every night), as a real ten-year user would.

Measured per size, each a separate `backcheck` process, as a user runs them:
- import: the Strong export (which also writes the sets snapshot, store.snapshot);
- first `why` after importing the export, the diary and the sleep log (which refresh the
  snapshot's small files);
- later `why` (median): answered from the snapshot, without opening the database;
- cold `why` (median): with the snapshot folder deleted first, so every set is read back
  from SQLite and the snapshot written again.
Bytecode is compiled first and PYTHONDONTWRITEBYTECODE ignored, as after a normal install.
Run: .venv/bin/python benchmarks/why_speed.py [--sets 37500 75000 150000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import backcheck
from backcheck.sim.pain import PainRow, RecoveryRow
from backcheck.sim.writers import big_strong_csv, write_pain_csv, write_recovery_csv
from common import backcheck_cmd, write_section

AS_OF = date(2026, 11, 15)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str]) -> float:
    """Wall-clock seconds of one command (raises if it fails)."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def diary(folder: Path, *, days: int, seed: int) -> tuple[Path, Path]:
    """A pain diary (every third day, levels 0-6) and a sleep log (every night) ending AS_OF."""
    rnd = random.Random(seed)
    first = AS_OF - timedelta(days=days)
    pain: list[PainRow] = []
    sleep: list[RecoveryRow] = []
    for i in range(days):
        day = first + timedelta(days=i)
        sleep.append({"date": day, "kind": "sleep", "value": round(rnd.uniform(5.0, 8.5), 1)})
        if i % 3 == 0:
            level = rnd.choice([0, 0, 1, 2, 3, 4, 6])
            region = rnd.choice(["mid-back", "between-shoulder-blades"]) if level else None
            pain.append({"date": day, "level": level, "region": region, "note": None})
    return (
        write_pain_csv(pain, folder / "pain.csv"),
        write_recovery_csv(sleep, folder / "sleep.csv"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", type=int, nargs="+", default=[37_500, 75_000, 150_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    compileall.compile_dir(Path(backcheck.__file__).parent, quiet=1)
    imports = [sys.executable, "-c", "import polars, pydantic_settings, typer"]
    floor = statistics.median(run(imports) for _ in range(args.repeat))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sets:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            csv_path = big_strong_csv(folder / "strong.csv", n_sets=n, seed=3, end=AS_OF)
            pain, sleep = diary(folder, days=int(n / 150_000 * 3650), seed=n)
            db = folder / "why.db"
            base = [*backcheck_cmd(), "--db", f"sqlite:///{db}", "--tz", "Europe/Berlin"]
            imported = run([*base, "import", str(csv_path)])
            run([*base, "pain", "import", str(pain)])
            run([*base, "recovery", "import", str(sleep)])
            why = [*base, "why", "--json", "--as-of", AS_OF.isoformat()]
            first = run(why)
            warm = statistics.median(run(why) for _ in range(args.repeat))
            colds = []
            for _ in range(3):
                shutil.rmtree(db.with_suffix(".cache"), ignore_errors=True)
                colds.append(run(why))
            rows.append((n, imported, first, warm, statistics.median(colds)))
    table = (
        "| sets | import (s) | first `why` after import (s) | later `why` (s, median) "
        "| cold `why`, no snapshot (s) | later, per 10k sets (ms) |\n|---|---|---|---|---|---|\n"
    )
    for n, imported, first, warm, cold in rows:
        table += (
            f"| {n:,} | {imported:.2f} | {first:.2f} | {warm:.2f} | {cold:.2f} "
            f"| {warm / n * 1e7:.0f} |\n"
        )
    body = (
        "`backcheck why --json` on simulated daily training with a pain diary (an entry every "
        "third day) and a sleep log, the whole CLI process each time (Python start included), "
        f"median of {args.repeat} later runs; target < 1 s at 150,000 sets:\n\n{table}\n"
        "The import writes the sets snapshot and the diary and sleep imports the rest once "
        "committed (store.snapshot), so even the first `why` reads only the snapshot and "
        "never imports SQLAlchemy; so do later runs. The "
        "cold column is `why` with no snapshot at all: every set read back from SQLite. Of "
        f"every run, {floor:.2f} s (median) is Python starting and importing polars, "
        "pydantic-settings and typer, whatever the number of sets; a flat or falling "
        "per-10k-sets cost shows linear growth."
    )
    print(body)
    write_section("why speed (benchmarks/why_speed.py)", body)


if __name__ == "__main__":
    main()
