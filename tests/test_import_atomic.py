"""Property: an import either stores every kept set of every file, or (bad input) nothing at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.errors import InputError
from backcheck.imports import import_files
from backcheck.settings import zone_from_name
from backcheck.store import open_store
from backcheck.store.athletes import list_athletes
from testdata import DATA

GOOD = (DATA / "logs/strong/dakheera47_sample_strong.csv").read_bytes()
HEVY = DATA / "logs/hevy/dakheera47_sample_hevy.csv"
UTC = zone_from_name("UTC")


def stored_sets(store) -> int:  # type: ignore[no-untyped-def]
    with store.transaction() as conn:
        rows = list_athletes(conn)
    return sum(int(r["sets"]) for r in rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(GOOD)),
    junk=st.binary(max_size=40),
    at=st.integers(min_value=0, max_value=len(GOOD)),
)
def test_import_is_all_or_nothing(cut: int, junk: bytes, at: int) -> None:
    mutated = (GOOD[:at] + junk + GOOD[at:])[: max(cut, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(mutated)
        store = open_store(f"sqlite:///{tmp}/b.db")
        try:
            try:
                summary = import_files(store, athlete="me", paths=[HEVY, path], tz=UTC)
            except InputError as exc:
                assert exc.path in (str(path), str(HEVY))
                assert stored_sets(store) == 0  # the good Hevy file was not stored either
            else:
                assert stored_sets(store) == summary.new_sets
                assert (
                    summary.new_sets
                    == sum(f.parsed.sets.height for f in summary.files) - summary.already_there
                )
        finally:
            store.close()
