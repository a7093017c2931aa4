"""Simulated athletes with known causes of upper-back pain, for tests, the demo and benchmarks.

`simulate(Profile(...))` builds training sets, a pain diary and a recovery log whose causes are
known (`SimAthlete.truth`); `writers` turns them into Strong/Hevy exports and backcheck's own CSVs.
See docs/simulator.md.
"""

from __future__ import annotations

from backcheck.sim.athlete import SimAthlete, Truth, simulate
from backcheck.sim.profile import FACTORS, SIM_CAUSES, Knobs, Profile, resolve

__all__ = [
    "FACTORS",
    "SIM_CAUSES",
    "Knobs",
    "Profile",
    "SimAthlete",
    "Truth",
    "resolve",
    "simulate",
]
