"""Where the test data lives, and the index of real exports the suite runs over."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def export_index() -> list[dict]:
    """The real exports the suite runs over (tests/data/index.json)."""
    return json.loads((DATA / "index.json").read_text())["exports"]
