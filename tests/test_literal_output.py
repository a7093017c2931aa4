"""Names and notes are shown literally everywhere: never read as Rich markup, never passed to the
terminal as control sequences, escaped in HTML (issue 16).

A real Strong export (breinsp_strong.csv) is rewritten with hostile names, titles and notes, then
goes through the real CLI in a subprocess (as a person runs it) and the web app in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backcheck.textsafe import json_safe, literal, visible
from testdata import DATA

SOURCE = DATA / "logs" / "strong" / "breinsp_strong.csv"
#: Still the bench press to the catalog (brackets, quotes and ESC= are punctuation there), so
#: it reaches the `why` evidence and the plan.
BENCH = "Bench Press (Barbell) [/] <'> \x1b="
#: Not mapped: shown by `exercises`. ESC [31m is red; U+009B is the one-byte C1 form of ESC [.
LAT = "[bold red]x[/] \x1b[31mLat Pulldown (Cable) \u009b2J"
TITLE = "[bold red]Wed[/] \x1b[31m"
NOTE = "=cmd|' /C calc'!A0 [/] \x1b[2J"
ATHLETE = "[/]ann [bold]"


def hostile_export(folder: Path, *, extra: str = "") -> Path:
    """breinsp_strong.csv with BENCH, LAT, TITLE and NOTE written into its cells."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for i, original in enumerate(lines[1:]):
        line = (
            original.replace('"Bench Press (Barbell)"', f'"{BENCH}"')
            .replace('"Lat Pulldown (Cable)"', f'"{LAT}{extra}"')
            .replace('"Mittwoch"', f'"{TITLE}"')
        )
        if i == 0:
            assert line.endswith(',"","",')
            line = line[: -len(',"","",')] + f',"{NOTE}","{NOTE}",'
        out.append(line)
    path = folder / "hostile_strong.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def cli(db: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`backcheck --db DB --athlete ATHLETE ARGS` in a subprocess on a wide, non-colour pipe."""
    env = {**os.environ, "COLUMNS": "400", "PYTHONUTF8": "1"}
    return subprocess.run(
        [sys.executable, "-m", "backcheck.cli", "--db", db, "--athlete", ATHLETE, *args],
        capture_output=True,
        check=False,
        env=env,
    )


def assert_clean(run: subprocess.CompletedProcess[bytes]) -> str:
    """Exit 0, no traceback, no raw control byte: the stdout as text."""
    both = run.stdout + run.stderr
    assert run.returncode == 0, both.decode("utf-8", "replace")
    assert b"Traceback" not in both
    assert b"\x1b" not in both and b"\x00" not in both
    assert "\u009b".encode() not in both  # C1 CSI, UTF-8 encoded
    return run.stdout.decode("utf-8")


def test_visible_escapes_control_characters_and_nothing_else() -> None:
    assert visible("a\x1b[31mb") == "a\\x1b[31mb"
    assert visible("nul\x00 bel\x07 csi\u009b del\x7f") == "nul\\x00 bel\\x07 csi\\x9b del\\x7f"
    assert visible("line\nnext\ttab\r") == "line\\x0anext\\x09tab\\x0d"
    assert visible("line\nnext\ttab\r", multiline=True) == "line\nnext\ttab\\x0d"
    assert visible("evil\u202egnp.exe") == "evil\\u202egnp.exe"
    plain = "Bankdrücken [bold] (Langhantel) 日本 – 'ok' <b> \\x1b"
    assert visible(plain) == plain
    assert visible(12.5) == "12.5"


def test_literal_is_never_markup() -> None:
    from rich.console import Console

    console = Console(record=True, width=200, force_terminal=True, color_system="truecolor")
    console.print(literal("[/] [bold red]x[/] \x1b[31m", "bold"))
    text = console.export_text(styles=False)
    assert text.strip() == "[/] [bold red]x[/] \\x1b[31m"


def test_json_safe_keeps_json_and_escapes_c1() -> None:
    doc = {"name": "a\u009b2J\u202e\x1b", "n": [1, 2.5]}
    raw = json.dumps(doc, indent=2, ensure_ascii=False)
    safe = json_safe(raw)
    assert "\u009b" in raw and "\u009b" not in safe and "\u202e" not in safe
    assert "\x1b" not in safe and json.loads(safe) == doc


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A SQLite store with the hostile export imported (through the CLI)."""
    folder = tmp_path_factory.mktemp("literal")
    db = f"sqlite:///{folder / 'hostile.db'}"
    assert_clean(cli(db, "import", str(hostile_export(folder))))
    return db, folder


def test_exercises_show_names_literally(store: tuple[str, Path]) -> None:
    out = assert_clean(cli(store[0], "exercises"))
    assert visible(LAT) in out and visible(BENCH) in out


def test_sessions_show_titles_literally(store: tuple[str, Path]) -> None:
    out = assert_clean(cli(store[0], "sessions", "--last", "200"))
    assert visible(TITLE) in out and f"sessions of {ATHLETE}" in out


def test_athletes_show_the_name_literally(store: tuple[str, Path]) -> None:
    assert ATHLETE in assert_clean(cli(store[0], "athletes"))


def test_why_shows_names_literally_and_escapes_them_in_html(store: tuple[str, Path]) -> None:
    db, folder = store
    page = folder / "why.html"
    out = assert_clean(cli(db, "why", "--html", str(page)))
    assert f"backcheck why - {ATHLETE}" in out and visible(BENCH) in out
    html = page.read_text(encoding="utf-8")
    assert "Bench Press (Barbell) [/] &lt;&#39;&gt;" in html
    assert "<'>" not in html
    doc = json.loads(assert_clean(cli(db, "why", "--json")))
    assert json.dumps(BENCH, ensure_ascii=False)[1:-1] in json.dumps(doc, ensure_ascii=False)


def test_plan_shows_names_literally_and_escapes_them_in_html(store: tuple[str, Path]) -> None:
    db, folder = store
    page = folder / "plan.html"
    out = assert_clean(cli(db, "plan", "--html", str(page)))
    assert f"backcheck plan - {ATHLETE}" in out and visible(BENCH) in out
    html = page.read_text(encoding="utf-8")
    assert "Bench Press (Barbell) [/] &lt;&#39;&gt;" in html and "<'>" not in html


def test_a_nul_in_an_export_never_reaches_the_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'nul.db'}"
    run = cli(db, "import", str(hostile_export(tmp_path, extra="\x00")))
    both = run.stdout + run.stderr
    assert b"Traceback" not in both and b"\x00" not in both and b"\x1b" not in both
    if run.returncode == 2:  # refused as binary: says where, stores nothing
        assert b"hostile_strong.csv:" in run.stderr
        listed = cli(db, "athletes", "--json")
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
    else:
        assert run.returncode == 0
        assert visible(LAT + "\x00") in assert_clean(cli(db, "exercises"))
