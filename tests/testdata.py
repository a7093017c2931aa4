"""Where the test data lives, and the index of real exports the suite runs over."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def other_layouts() -> list[dict]:
    """Real exports in layouts that the header-reading checks of some tests cannot read (a
    Chinese header, Strong's 2024 `Workout #` layout): imported by the CLI tests all the same."""
    return json.loads((DATA / "index.json").read_text()).get("exports_other_layouts", [])


def export_index() -> list[dict]:
    """The real exports the suite runs over (tests/data/index.json)."""
    return json.loads((DATA / "index.json").read_text())["exports"]
