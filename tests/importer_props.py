"""Shared property check for the CSV importers: random cells under a real header either parse
with every data row accounted for, or raise InputError (never another exception).

Each importer's test keeps its own cell strategy, header and `read` call; only the writing of
the file and the assertions live here. `check_cli_import` is the same check one level up, through
`backcheck import` (tests/test_import_fuzz.py): exit code 0 or 2, never a traceback, nothing
stored on a refusal.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from backcheck.errors import InputError
from backcheck.model import ParsedFile


def csv_body(rows: Sequence[Sequence[str]], *, raw: bool) -> str:
    """Rows joined with commas and newlines. `raw`: cells as they are (broken quotes, wrong
    widths); otherwise every cell quoted, with inner quotes doubled."""
    if raw:
        return "\n".join(",".join(r) for r in rows)
    return "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in r) for r in rows)


def check_random_text(
    read: Callable[[Path], ParsedFile],
    *,
    header: str,
    rows: Sequence[Sequence[str]],
    raw: bool,
    name: str = "f.csv",
    set_types: Collection[str] | None = None,
) -> None:
    """Write `header` and `rows` (see `csv_body`) to a fresh temporary file called `name` and
    read it with `read`. An InputError is a pass; otherwise every row must be a set or a
    skipped row, and, when `set_types` is given, every set_type must be one of them."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(header + "\n" + csv_body(rows, raw=raw), encoding="utf-8")
        try:
            parsed = read(path)
        except InputError:
            return
        assert parsed.sets.height + len(parsed.skipped) == parsed.rows
        if set_types is not None:
            assert set(parsed.sets["set_type"].to_list()) <= set(set_types)


def stored_sets(db_url: str) -> int:
    """Sets in the store at `db_url`, over every athlete (0 when nothing was ever stored)."""
    from backcheck.store import open_store
    from backcheck.store.athletes import list_athletes

    store = open_store(db_url)
    try:
        with store.transaction() as conn:
            return sum(int(r["sets"]) for r in list_athletes(conn))
    finally:
        store.close()


def check_cli_import(path: Path, db_url: str, *extra: str) -> int:
    """`backcheck import PATH` through the CLI entry point, in this process: the exit code is 0
    or 2, never a traceback; on 2 the message names the file and nothing is stored; on 0 the
    summary's new sets are what the store holds. Returns the exit code."""
    import contextlib
    import io
    import json

    from backcheck.cli import main

    before = stored_sets(db_url)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", db_url, "import", str(path), "--json", *extra])
    assert code in (0, 2), (code, err.getvalue())
    assert "Traceback" not in err.getvalue() + out.getvalue()
    if code == 2:
        assert err.getvalue().startswith(str(path)), err.getvalue()
        assert stored_sets(db_url) == before
    else:
        summary = json.loads(out.getvalue())
        (f,) = summary["files"]
        assert f["sets"] + len(f["skipped"]) == f["rows"]
        assert stored_sets(db_url) == before + summary["new_sets"]
    return code
