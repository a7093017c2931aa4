"""`export`: canonical sets and per-athlete results from the store, as Parquet and CSV, checked
against the imported files (counted with the csv module) and against `why`."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from backcheck.batch import run_batch
from backcheck.batch.rows import ROW_SCHEMA
from backcheck.diary import import_pain
from backcheck.errors import UsageError
from backcheck.export import SET_COLUMNS, export_data
from backcheck.imports import import_files
from backcheck.settings import zone_from_name
from backcheck.sim import Profile, simulate
from backcheck.sim.writers import write_athlete_folder
from backcheck.store import Store, open_store
from backcheck.why import why

TZ = "Europe/Berlin"
AS_OF = date(2025, 3, 2)
NAMES = ("ben", "anna")


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def filled(db_url: str, tmp_path: Path) -> Iterator[tuple[Store, dict[str, int]]]:
    """Two simulated athletes imported for real; their set rows counted in the files."""
    store = open_store(db_url)
    zone = zone_from_name(TZ)
    counts = {}
    for i, name in enumerate(NAMES):
        sim = simulate(Profile(name=name, weeks=8, seed=i, causes=frozenset({"warmup"})))
        folder = write_athlete_folder(sim, tmp_path / name)
        import_files(store, athlete=name, paths=[folder / "workouts.csv"], tz=zone)
        import_pain(store, athlete=name, path=folder / "pain.csv", tz=zone)
        counts[name] = len(csv_rows(folder / "workouts.csv"))
    yield store, counts
    store.close()


def test_sets_as_parquet_and_csv(filled: tuple[Store, dict[str, int]], tmp_path: Path) -> None:
    store, counts = filled
    pq = tmp_path / "sets.parquet"
    summary = export_data(store, what="sets", fmt="parquet", out=pq, tz=TZ)
    assert (summary.athletes, summary.rows) == (2, sum(counts.values()))
    frame = pl.read_parquet(pq)
    assert frame.columns == list(SET_COLUMNS)
    assert frame["athlete"].to_list() == sorted(frame["athlete"].to_list())
    assert dict(frame.group_by("athlete").len().iter_rows()) == counts
    assert frame.schema["session_start"] == pl.Datetime("us", "UTC")

    out = tmp_path / "sets.csv"
    export_data(store, what="sets", fmt="csv", out=out, tz=TZ)
    rows = csv_rows(out)
    assert list(rows[0]) == list(SET_COLUMNS)
    assert len(rows) == frame.height
    for i in (0, len(rows) // 2, len(rows) - 1):
        got, want = rows[i], frame.row(i, named=True)
        assert got["athlete"] == want["athlete"] and got["exercise"] == want["exercise"]
        assert got["session_start"].endswith("Z")
        when = datetime.strptime(got["session_start"], "%Y-%m-%dT%H:%M:%S.%fZ")
        assert when.replace(tzinfo=UTC) == want["session_start"]
        assert (float(got["weight_kg"]) if got["weight_kg"] else None) == want["weight_kg"]


def test_results_match_why(filled: tuple[Store, dict[str, int]], tmp_path: Path) -> None:
    store, _ = filled
    out = tmp_path / "results.csv"
    summary = export_data(store, what="results", fmt="csv", out=out, tz=TZ, as_of=AS_OF)
    assert (summary.rows, summary.errors) == (2, 0)
    rows = {r["athlete"]: r for r in csv_rows(out)}
    assert list(next(iter(rows.values()))) == list(ROW_SCHEMA)
    for name in NAMES:
        report = why(store, athlete=name, tz=TZ, as_of=AS_OF)
        for finding in report.causes:
            assert float(rows[name][f"score_{finding.cause}"]) == finding.score
            assert rows[name][f"level_{finding.cause}"] == finding.level
        assert rows[name]["red_flags"] == report.red_flags.level
        assert rows[name]["error"] == ""
        assert int(rows[name]["pain_entries"]) == report.data["pain_entries"] > 0
    pq = tmp_path / "results.parquet"
    export_data(store, what="results", fmt="parquet", out=pq, tz=TZ, as_of=AS_OF)
    frame = pl.read_parquet(pq)
    assert frame.schema == pl.Schema(ROW_SCHEMA) and frame.height == 2


def test_exported_sets_are_a_batch_input(
    filled: tuple[Store, dict[str, int]], tmp_path: Path
) -> None:
    store, counts = filled
    pq = tmp_path / "sets.parquet"
    export_data(store, what="sets", fmt="parquet", out=pq, tz=TZ)
    out = tmp_path / "batch.parquet"
    summary = run_batch(pq, out=out, tz=TZ, as_of=AS_OF, workers=1)
    assert (summary.total, summary.errors) == (2, 0)
    result = pl.read_parquet(out)
    assert dict(zip(result["athlete"], result["sets"], strict=True)) == counts


def test_empty_store_and_bad_options(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        out = tmp_path / "none.csv"
        assert export_data(store, what="sets", fmt="csv", out=out, tz=TZ).rows == 0
        assert out.read_text(encoding="utf-8").strip() == ",".join(SET_COLUMNS)
        pq = tmp_path / "none.parquet"
        export_data(store, what="results", fmt="parquet", out=pq, tz=TZ)
        assert pl.read_parquet(pq).height == 0
        with pytest.raises(UsageError, match="--format"):
            export_data(store, what="sets", fmt="xlsx", out=out, tz=TZ)
        with pytest.raises(UsageError, match="--what"):
            export_data(store, what="pain", fmt="csv", out=out, tz=TZ)
        with pytest.raises(UsageError, match="--out"):
            export_data(store, what="sets", fmt="csv", out=tmp_path, tz=TZ)
    finally:
        store.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export-")] == []
