"""The plan page says the warm-up and cool-down once a week; nothing of a session is lost."""

from __future__ import annotations

from backcheck.plan import build_plan
from backcheck.plan.model import parse_ramp
from backcheck.web.planview import recovery_lines, week_view
from backcheck.why import analyse
from plan_helpers import monday_after, sim, sim_data


def test_week_view_keeps_every_item_and_says_the_shared_ones_once() -> None:
    s = sim(("warmup", "recovery"), seed=11, weeks=10)
    data = sim_data(s)
    plan = build_plan(data, analyse(data), weeks=2, start=monday_after(data.as_of)).to_json()
    for week in plan["weeks"]:
        view = week_view(week)
        assert view["warmup"] and len(view["sessions"]) == len(week["sessions"])
        for session, own in zip(week["sessions"], view["sessions"], strict=True):
            ramps = [w for w in session["warmup"] if parse_ramp(w["name"])]
            rest = [w for w in session["warmup"] if not parse_ramp(w["name"])]
            assert all(w in view["warmup"] or w in own["warmup"] for w in rest)
            said = " ".join(f"{name}: {sets}" for name, sets in own["ramps"])
            for w in ramps:  # every ramp set is still there, reps and load
                name, _pct, reps, load = parse_ramp(w["name"])
                assert name in said
                assert (f"{reps} × {load:g} kg" if load is not None else f"{reps} easy") in said
            assert all(c in view["cooldown"] or c in own["cooldown"] for c in session["cooldown"])
        lines = recovery_lines(week)
        assert lines[0] == "sleep 8 h every night"
        others = [r for r in week["recovery"] if r["kind"] != "sleep"]
        assert all(
            any(r["date"] in line and r["kind"].replace("-", " ") in line for line in lines)
            for r in others
        )
