"""The plan a coach would sign, on plans built from every real export in tests/data: main lifts
get 3-5 working sets and accessories fewer, and no muscle group (not only the upper back) is
trained hard twice within 48 h. The checks here count by hand from the catalog, independently
of backcheck.plan.rules (which the builder runs itself)."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from backcheck import cli
from backcheck.catalog import load_catalog
from backcheck.model import REGIONS, UPPER_BACK_REGIONS
from backcheck.plan import make_plan
from backcheck.plan.model import Plan, Session
from backcheck.store import open_store
from backcheck.why import load_data
from testdata import DATA, export_index

FIT = json.loads((DATA / "fit_index.json").read_text())["exports"]
REAL = [e["path"] for e in export_index()] + [e["path"] for e in FIT]
TZ = "Europe/Berlin"
TODAY = date(2026, 12, 4)
COMPOUND = {
    "horizontal-push",
    "vertical-push",
    "horizontal-pull",
    "vertical-pull",
    "squat",
    "hinge",
    "lunge",
}
SMALL = ("face-pull", "reverse-fly", "rear-delt", "band-pull-apart")  # upper-back accessories


def plans_of(path: str, tmp: Path) -> list[Plan]:
    """Plans from one export: as of today (a restart after the break) and as of its last day."""
    db = f"sqlite:///{tmp / 'b.db'}"
    assert cli.main(["--db", db, "--tz", TZ, "import", str(DATA / path)]) == 0
    store = open_store(db)
    try:
        out = [make_plan(store, athlete="me", tz=TZ, weeks=8, today=TODAY)]
        days = load_data(store, athlete="me", tz=TZ, today=TODAY).sets["day"]
        if days.len():
            out.append(
                make_plan(store, athlete="me", tz=TZ, weeks=8, as_of=days.max(), today=TODAY)
            )
    finally:
        store.close()
    return out


def role(name: str, pattern: str) -> str:
    ex = load_catalog().lookup(name)
    if pattern in ("cardio", "mobility"):
        return "not counted"
    if pattern in COMPOUND and not (ex and ex.key.startswith(SMALL)):
        return "main"
    return "accessory"


def hard(session: Session) -> set[str]:
    """Regions a session works hard: sets x weight >= 1 summed over weights >= 0.5 for the
    upper back and >= 0.75 elsewhere."""
    load = dict.fromkeys(REGIONS, 0.0)
    for e in session.exercises:
        ex = load_catalog().lookup(e.name)
        if ex is None or e.pattern in ("cardio", "mobility"):
            continue
        for r in REGIONS:
            if ex.regions[r] >= (0.5 if r in UPPER_BACK_REGIONS else 0.75):
                load[r] += e.sets * ex.regions[r]
    return {r for r, v in load.items() if v >= 1}


@pytest.mark.parametrize("path", REAL, ids=lambda p: Path(p).name)
def test_real_exports_give_plans_with_main_lifts_first_and_48_h_per_muscle(
    path: str, tmp_path: Path
) -> None:
    for plan in plans_of(path, tmp_path):
        assert plan.withheld is None and plan.weeks
        mains = 0
        for week in plan.weeks:
            low = 2 if week.kind in ("deload", "reduced") else 3
            for s in week.sessions:
                sets = {"main": [], "accessory": []}
                for e in s.exercises:
                    kind = role(e.name, e.pattern)
                    if kind != "not counted":
                        sets[kind].append(e.sets)
                mains += len(sets["main"])
                assert all(low <= n <= 5 for n in sets["main"]), (s.date, s.exercises)
                cap = min([3, *sets["main"]]) if week.kind == "build" else min([2, *sets["main"]])
                assert all(n <= cap for n in sets["accessory"]), (s.date, s.exercises)
        assert mains > 0  # every plan holds main lifts
        sessions = plan.sessions
        for a, b in itertools.pairwise(sessions):
            if (b.date - a.date) < timedelta(days=2):
                assert not hard(a) & hard(b), (a.date, b.date, hard(a) & hard(b))
