"""Bad input never gives a traceback or an exit code other than 0, 1 (red flags) or 2 (bad input):
each case below exits 2 with a message that names what is wrong (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcheck.cli import main
from testdata import DATA

STRONG = DATA / "logs" / "strong" / "dakheera47_sample_strong_legacy.csv"


def files(folder: Path) -> dict[str, str]:
    """Odd inputs: random bytes, a text file that is not a database, an empty folder."""
    binary = folder / "random.bin"
    binary.write_bytes(bytes(range(256)) * 16)
    text = folder / "notes.txt"
    text.write_text("this is not a database\n" * 200, encoding="utf-8")
    empty = folder / "empty"
    empty.mkdir()
    listed = folder / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    return {
        "BIN": str(binary),
        "TEXT": str(text),
        "DIR": str(empty),
        "LIST": str(listed),
        "DB": f"sqlite:///{folder / 'store.db'}",
        "STRONG": str(STRONG),
    }


CASES = [
    (["pain", "log", "--date", "2026-01-01", "--level", "11", "--where", "neck"], "--level"),
    (["pain", "log", "--date", "2026-01-01", "--level", "-3", "--where", "neck"], "--level"),
    (["pain", "log", "--date", "2026-02-30", "--level", "3", "--where", "neck"], "--date"),
    (["pain", "log", "--date", "yesterday", "--level", "3", "--where", "neck"], "--date"),
    (["pain", "log", "--date", "2026-01-01", "--level", "3", "--where", "knee"], "--where"),
    (["--db", "sqlite:///{DIR}", "athletes"], "cannot open the database"),
    (["--db", "sqlite:///{TEXT}", "athletes"], "file is not a database"),
    (["--db", "sqlite:///{TEXT}", "why"], "file is not a database"),
    (["--db", "sqlite:///{BIN}", "import", "{STRONG}"], "file is not a database"),
    (["recovery", "import", "{BIN}"], "{BIN}:1: binary data"),
    (["recovery", "import", "{DIR}"], "is a folder"),
    (["pain", "import", "{BIN}"], "{BIN}:1: binary data"),
    (["import", "{BIN}"], "{BIN}:1: binary data"),
    (["video", "{BIN}"], "{BIN}"),
    (["video", "{DIR}"], "{DIR}"),
    (["video", "{BIN}", "--date", "0001-01-01"], "--date"),
    (["batch", "{DIR}", "--out", "{DIR}/out.parquet"], "no athlete folders"),
    (["batch", "{DIR}/missing", "--out", "{DIR}/out.parquet"], "no such file or folder"),
    (["batch", "{BIN}", "--out", "{DIR}/out.parquet"], "INPUT must be a folder"),
    (["why", "--html", "{DIR}"], "{DIR}: Is a directory"),
    (["plan", "--ics", "{DIR}"], "{DIR}: Is a directory"),
    (["why", "--as-of", "0001-01-01"], "--as-of"),
    (["why", "--as-of", "9999-12-31"], "--as-of"),
    (["plan", "--start", "9999-12-31"], "--start"),
    (["summary", "--html", "{DIR}/s.html", "--as-of", "0001-01-01"], "--as-of"),
    (["--tz", "Mars/Olympus_Mons", "why"], "--tz"),
    (["why", "--answers", "{LIST}"], "{LIST}"),
    (["export", "--out", "{DIR}"], "--out"),
]


@pytest.mark.parametrize(
    ("argv", "expected"), CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else None
)
def test_bad_input_exits_2_with_a_message(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = files(tmp_path)
    args = [a.format(**paths) for a in argv]
    if "--db" not in args:
        args = ["--db", paths["DB"], *args]
    if args[2] in ("why", "plan", "summary") or args[2:4] == ["--tz", "Mars/Olympus_Mons"]:
        assert main(["--db", paths["DB"], "import", paths["STRONG"]]) == 0
    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "unexpected error" not in captured.err
    assert expected.format(**paths) in captured.err


def test_serve_on_a_port_in_use_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("uvicorn", reason="the web extra is not installed")
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["--db", f"sqlite:///{tmp_path / 'w.db'}", "serve", "--port", str(port)])
    captured = capsys.readouterr()
    assert code == 2 and f"--port: cannot listen on 127.0.0.1:{port}" in captured.err
    assert "Traceback" not in captured.err
