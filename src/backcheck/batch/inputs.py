"""What `backcheck batch` reads: a folder of athlete folders, or a Parquet data set of sets.

Athletes are listed first (names only: cheap), then each task reads one athlete's data when
a worker runs it, so memory holds the athletes in flight, never the whole data set.

- Folder: INPUT/<athlete>/... (see batch.athlete for the files); the sub-folder's name is the
  athlete. Hidden folders and loose files directly under INPUT are ignored.
- Parquet: one `.parquet` file, or a folder of them (hive-partitioned `athlete=<name>/` folders
  included), holding canonical sets (model.SET_SCHEMA columns) and an `athlete` column.
  An athlete's rows are read with a filter on `athlete`: partitions by athlete, or files sorted
  by athlete (row-group statistics), keep each read small. Rows without an athlete are left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from backcheck.errors import InputError

Kind = Literal["folder", "parquet"]
REQUIRED_PARQUET = ("athlete", "session_start", "exercise", "set_type")


@dataclass(frozen=True, slots=True)
class AthleteTask:
    """One unit of work: the athlete and where their data is (picklable, a few bytes)."""

    athlete: str
    kind: Kind
    path: str  # the athlete's folder, or the Parquet file/folder of the whole data set


@dataclass(slots=True)
class BatchInput:
    """A listed input: its kind, root path, athlete names (sorted) and notes."""

    kind: Kind
    root: Path
    athletes: list[str]
    notes: list[str] = field(default_factory=list)

    def task(self, athlete: str) -> AthleteTask:
        """The task for `athlete` (one of `athletes`)."""
        if self.kind == "folder":
            return AthleteTask(athlete, "folder", str(self.root / athlete))
        return AthleteTask(athlete, "parquet", str(self.root))

    def tasks(self, skip: set[str] | frozenset[str] = frozenset()) -> Iterator[AthleteTask]:
        """Tasks of every athlete not in `skip`, in name order (made lazily)."""
        return (self.task(a) for a in self.athletes if a not in skip)


def _has_parquet(folder: Path) -> bool:
    for _root, _dirs, files in os.walk(folder):
        if any(f.endswith(".parquet") for f in files):
            return True
    return False


def open_input(path: str | Path) -> BatchInput:
    """List the athletes of INPUT. InputError when it is missing, empty or not readable as a
    folder of athlete folders or a Parquet data set with an `athlete` column."""
    root = Path(path)
    if not root.exists():
        raise InputError(root, None, "no such file or folder")
    if root.is_file():
        if root.suffix.lower() != ".parquet":
            raise InputError(
                root, None, "INPUT must be a folder of athlete folders or a Parquet data set"
            )
        return _parquet_input(root)
    if not any(p.is_dir() and not p.name.startswith(".") for p in root.iterdir()) and not any(
        p.suffix == ".parquet" for p in root.iterdir()
    ):
        raise InputError(root, None, "no athlete folders here (one sub-folder per athlete)")
    hive = any(p.is_dir() and "=" in p.name for p in root.iterdir())
    if hive or _has_parquet(root):
        return _parquet_input(root)
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return BatchInput("folder", root, names)


def scan_sets(root: str | Path) -> pl.LazyFrame:
    """The Parquet data set at `root` as a lazy frame (hive partitions become columns)."""
    return pl.scan_parquet(root, hive_partitioning=None)


def _parquet_input(root: Path) -> BatchInput:
    try:
        lazy = scan_sets(root)
        schema = lazy.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(root, None, f"cannot read the Parquet data set ({exc})") from None
    missing = [c for c in REQUIRED_PARQUET if c not in schema]
    if missing:
        raise InputError(
            root,
            None,
            f"the Parquet data set has no {', '.join(missing)} column "
            "(canonical sets with an `athlete` column are needed)",
        )
    names = (
        lazy.select(pl.col("athlete").cast(pl.String).unique())
        .collect(engine="streaming")
        .to_series()
    )
    notes = []
    if names.null_count():
        notes.append("rows without an athlete were left out")
    return BatchInput("parquet", root, sorted(names.drop_nulls().to_list()), notes)


def read_athlete_sets(root: str | Path, athlete: str) -> pl.DataFrame:
    """One athlete's rows of the Parquet data set at `root` (only their partition or row
    groups are read)."""
    lazy = scan_sets(root)
    column = pl.col("athlete")
    if lazy.collect_schema()["athlete"] != pl.String:  # e.g. hive folders athlete=17
        column = column.cast(pl.String)
    return lazy.filter(column == athlete).collect()
