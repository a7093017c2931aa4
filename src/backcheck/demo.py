"""The bundled sample athlete (made by backcheck.sim.demo_data; see docs/simulator.md)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from backcheck.clock import local_today
from backcheck.diary import import_pain, import_recovery
from backcheck.imports import import_files
from backcheck.settings import zone_from_name
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.diary import save_triage
from backcheck.why import WhyReport, why

ATHLETE = "demo"


def demo_folder() -> Path:
    """Folder of the packaged demo files (workouts.csv, pain.csv, recovery.csv, answers.json)."""
    return Path(str(resources.files("backcheck") / "data" / "demo"))


def run_demo(db_path: Path) -> WhyReport:
    """Import the demo athlete into a new SQLite file at `db_path` and analyse it as of the
    last day of its data."""
    folder = demo_folder()
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    tz = truth["tz"]
    zone = zone_from_name(tz)
    store = open_store(f"sqlite:///{db_path}")
    try:
        summary = import_files(store, athlete=ATHLETE, paths=[folder / "workouts.csv"], tz=zone)
        import_pain(store, athlete=ATHLETE, path=folder / "pain.csv", tz=zone)
        import_recovery(store, athlete=ATHLETE, path=folder / "recovery.csv", tz=zone)
        answers = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
        with store.transaction() as conn:
            save_triage(conn, athlete_id(conn, ATHLETE), answers)
        last = max(f.parsed.sets["session_start"].max() for f in summary.files)  # type: ignore[type-var]
        as_of = last.astimezone(zone).date() if last is not None else local_today(zone)  # type: ignore[union-attr]
        return why(store, athlete=ATHLETE, tz=tz, as_of=as_of)
    finally:
        store.close()
