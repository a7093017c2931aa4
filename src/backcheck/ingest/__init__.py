"""Importers: one module per source format, each returning the same canonical set frame.

Every importer module defines:
    FORMAT: str                         the `--format` name
    matches(table: Table) -> bool       (CSV formats) True when the header/rows are this app's
    read(path, *, unit, tz) -> ParsedFile

`read_export` is the one entry: it detects the format (or checks the one given) and reads.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.errors import UnknownFormatError, UsageError
from backcheck.ingest.csvtext import check_text, head_bytes, is_fit, read_prefix
from backcheck.ingest.limits import MAX_WORKOUT_SECONDS, implausible, nothing_logged
from backcheck.ingest.rowerrors import apply_row_policy
from backcheck.ingest.sheet import HEADER_AGAIN
from backcheck.keys import set_identity
from backcheck.model import IMPORT_FORMATS, ParsedFile, Skipped

#: Detection order matters: more specific headers first, Strong (which may have no header) last.
_CSV_ORDER = ("backcheck", "hevy", "fitbod", "fitnotes", "strong")
_MODULES = {
    "strong": "strong",
    "hevy": "hevy",
    "fitnotes": "fitnotes",
    "fitbod": "fitbod",
    "fit": "fit",
    "backcheck": "native",
}


def importer(fmt: str) -> ModuleType:
    """The importer module for a format name (one of IMPORT_FORMATS)."""
    if fmt not in _MODULES:
        raise UsageError(
            "--format", f"unknown format {fmt!r}; choose auto or one of {', '.join(IMPORT_FORMATS)}"
        )
    return importlib.import_module(f"backcheck.ingest.{_MODULES[fmt]}")


def detect_format(path: str | Path) -> str:
    """Name of the format of `path`, from its first bytes and header; UnknownFormatError if none."""
    p = Path(path)
    head = head_bytes(p)
    if is_fit(head):
        return "fit"
    check_text(p, head)
    # Detect on a short prefix so a huge file that is no export fails fast.
    table = read_prefix(p, head)
    for fmt in _CSV_ORDER:
        if importer(fmt).matches(table):
            return fmt
    shown = ",".join((table.header or (table.rows[0] if table.rows else []))[:6])
    raise UnknownFormatError(
        p,
        1,
        f"not a workout export backcheck knows (starts with {shown[:80]!r}); "
        f"supported: {', '.join(IMPORT_FORMATS)} (try --format)",
    )


def read_export(
    path: str | Path,
    *,
    fmt: str = "auto",
    unit: str | None = None,
    tz: ZoneInfo,
    strict: bool = False,
) -> ParsedFile:
    """Read one workout export into canonical sets. `unit` ("kg"/"lb") is for exports that do
    not state their unit; `tz` is the zone of local times without an offset.

    The row policy (docs/interface.md): rows that cannot be read, or hold values beyond `limits`,
    are skipped and listed; InputError refuses the file when it is no known export, when more
    than limits.MAX_UNREADABLE_SHARE of its rows cannot be read, or, with `strict`, when any
    row cannot be read.
    """
    if unit not in (None, "kg", "lb"):
        raise UsageError("--unit", f"must be kg or lb, not {unit!r}")
    p = Path(path)
    if fmt != "auto":
        importer(fmt)  # an unknown --format is a usage error before the file is opened
    name = detect_format(p) if fmt == "auto" else fmt
    parsed = drop_empty_sets(importer(name).read(p, unit=unit, tz=tz))
    parsed = forget_runaway_durations(drop_implausible_sets(parsed))
    return apply_row_policy(drop_repeated_sets(parsed), strict=strict)


NOTHING_LOGGED = "nothing logged (no weight, reps, distance or time): a planned set not done?"


def drop_empty_sets(parsed: ParsedFile) -> ParsedFile:
    """Move rows with nothing logged (`limits.nothing_logged`) to `skipped`: not sets."""
    if parsed.sets.height == 0:
        return parsed
    empty = nothing_logged(parsed.sets)
    if not empty.any():
        return parsed
    lines = parsed.sets.filter(empty)["source_line"].fill_null(0).to_list()
    parsed.skipped.extend(Skipped(int(line), NOTHING_LOGGED) for line in lines)
    parsed.skipped.sort(key=lambda s: s.line)
    parsed.sets = parsed.sets.filter(~empty)
    return parsed


def forget_runaway_durations(parsed: ParsedFile) -> ParsedFile:
    """Workout durations over limits.MAX_WORKOUT_SECONDS (a timer left running) become null,
    with a note; the sets are kept."""
    sets = parsed.sets
    if sets.height == 0:
        return parsed
    long = sets["duration_s"] > MAX_WORKOUT_SECONDS
    if not long.any():
        return parsed
    workouts = sets.filter(long)["session_start"].n_unique()
    parsed.sets = sets.with_columns(
        duration_s=pl.when(long.fill_null(False)).then(None).otherwise(pl.col("duration_s"))
    )
    hours = MAX_WORKOUT_SECONDS / 3600
    parsed.notes.append(
        f"{workouts} workout(s) last more than {hours:g} hours (a timer left running?): their "
        "duration is left out, their sets are kept"
    )
    return parsed


def drop_implausible_sets(parsed: ParsedFile) -> ParsedFile:
    """Move sets with values beyond `limits` (a year 0001, 5,000,000 kg) to `skipped`, as
    unreadable rows with the reason."""
    if parsed.sets.height == 0:
        return parsed
    why = implausible(parsed.sets)
    bad = why.is_not_null()
    if not bad.any():
        return parsed
    lines = parsed.sets.filter(bad)["source_line"].fill_null(0).to_list()
    parsed.skipped.extend(
        Skipped(int(line), str(reason), unreadable=True)
        for line, reason in zip(lines, why.filter(bad).to_list(), strict=True)
    )
    parsed.skipped.sort(key=lambda s: s.line)
    parsed.sets = parsed.sets.filter(~bad)
    return parsed


def drop_repeated_sets(parsed: ParsedFile) -> ParsedFile:
    """Move rows that repeat an earlier set of the same file to `skipped`: the same content
    (`keys.set_identity`), or the same content but for the set number and type (which some
    formats derive from the row's position) where the earlier row lies in another run of rows
    of that session. Every app writes a workout's rows together, so a session that comes back
    later in the file, or after the header line again, is a second copy (a doubled export, two
    overlapping exports joined), whatever numbers the copy's sets were given by position."""
    if parsed.sets.height == 0:
        return parsed
    identity = set_identity(parsed.sets)
    cols = identity.columns
    loose = [c for c in cols if c not in ("set_index", "set_type")]  # both may be by position
    start = pl.col("session_start")
    headers = pl.Series([s.line for s in parsed.skipped if s.why == HEADER_AGAIN], dtype=pl.Int64)
    part = headers.search_sorted(parsed.sets["source_line"].fill_null(0).cast(pl.Int64))
    framed = parsed.sets.select(start, part.alias("_part"))
    new_run = (start != start.shift(1)) | (pl.col("_part") != pl.col("_part").shift(1))
    run = framed.select(new_run.fill_null(True).cast(pl.Int32).cum_sum()).to_series()
    one_run_each = run.max() == parsed.sets["session_start"].n_unique()
    if one_run_each and not identity.is_duplicated().any():
        return parsed  # the usual case: no session comes back, no row equals another
    index = pl.col("_i")
    numbered = identity.with_columns(
        parsed.sets["source_line"].alias("_line"),
        pl.Series("_i", range(identity.height)),
        run.alias("_run"),
    )
    exact = index != index.first().over(cols)
    copied = (index != index.first().over(loose)) & (
        pl.col("_run") != pl.col("_run").first().over(loose)
    )
    first_line = (
        pl.when(exact)
        .then(pl.col("_line").first().over(cols))
        .otherwise(pl.col("_line").first().over(loose))
    )
    later = numbered.with_columns(_first=first_line).filter(exact | copied)
    if later.height == 0:
        return parsed
    parsed.skipped.extend(
        Skipped(int(line or 0), f"same set as line {int(first or 0)} (repeated row)")
        for line, first in later.select("_line", "_first").iter_rows()
    )
    parsed.skipped.sort(key=lambda s: s.line)
    parsed.sets = parsed.sets.filter(
        ~pl.Series(range(identity.height)).is_in(later["_i"].implode())
    )
    return parsed
