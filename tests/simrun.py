"""Simulated athletes through the real importers, store and cause engine (shared by tests)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from backcheck.diary import import_pain, import_recovery
from backcheck.imports import import_files
from backcheck.settings import zone_from_name
from backcheck.sim.athlete import simulate
from backcheck.sim.profile import Profile
from backcheck.sim.writers import write_athlete_folder
from backcheck.store import open_store
from backcheck.why import WhyReport, why


def simulated_report(
    causes: tuple[str, ...],
    *,
    seed: int = 0,
    pain: bool = True,
    fmt: str = "strong",
    weeks: int = 20,
) -> WhyReport:
    """Simulate an athlete, write its exports, import them for real, and run `why`."""
    profile = Profile(name="sim", causes=frozenset(causes), seed=seed, pain=pain, weeks=weeks)
    sim = simulate(profile)
    zone = zone_from_name(profile.tz)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "athlete"
        write_athlete_folder(sim, folder, fmt=fmt)
        store = open_store(f"sqlite:///{tmp}/sim.db")
        try:
            workouts = sorted(p for p in folder.iterdir() if p.name.startswith("workouts"))
            import_files(store, athlete="sim", paths=workouts, tz=zone)
            import_pain(store, athlete="sim", path=folder / "pain.csv", tz=zone)
            import_recovery(store, athlete="sim", path=folder / "recovery.csv", tz=zone)
            last = sim.sets["session_start"].max().astimezone(zone).date()  # type: ignore[union-attr]
            return why(store, athlete="sim", tz=profile.tz, as_of=last)
        finally:
            store.close()
