"""`backcheck import` end to end through the CLI, on SQLite and a real PostgreSQL server:
every real export imports completely, twice adds nothing, bad input changes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from backcheck.cli import main
from testdata import DATA, export_index, other_layouts

FIT_INDEX = json.loads((DATA / "fit_index.json").read_text())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def import_json(
    capsys: pytest.CaptureFixture[str], db: str, *paths: Path, athlete: str = "me"
) -> dict:
    code, out, err = run(
        capsys, "--db", db, "--athlete", athlete, "import", *map(str, paths), "--json"
    )
    assert code == 0, err
    return json.loads(out)


def stored_counts(capsys: pytest.CaptureFixture[str], db: str) -> list[dict]:
    code, out, err = run(capsys, "athletes", "--json", "--db", db)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    "entry", [*export_index(), *other_layouts()], ids=lambda e: Path(e["path"]).name
)
def test_every_real_export_imports_completely_and_only_once(
    entry: dict, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = DATA / entry["path"]
    first = import_json(capsys, db_url, path)
    (f,) = first["files"]
    assert f["format"] == entry["format"]
    assert f["sets"] + len(f["skipped"]) == entry["rows"]
    assert f["sessions"] == entry["sessions"]
    assert all(s["why"] for s in f["skipped"])
    assert first["new_sets"] == f["sets"]
    assert first["new_sessions"] == entry["sessions"]
    second = import_json(capsys, db_url, path)
    assert second["new_sets"] == 0 and second["new_sessions"] == 0
    assert second["already_there"] == f["sets"]


@pytest.mark.parametrize(
    "entry",
    FIT_INDEX["exports"],
    ids=lambda e: Path(e["path"]).name,
)
def test_every_fit_file_imports(
    entry: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    doc = import_json(capsys, db, DATA / entry["path"])
    (f,) = doc["files"]
    assert f["format"] == "fit"
    assert f["sessions"] == entry["sessions"]
    assert import_json(capsys, db, DATA / entry["path"])["new_sets"] == 0


def test_renamed_copy_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    original = DATA / "logs/strong/dakheera47_sample_strong.csv"
    copy = tmp_path / "my export (2).csv"
    copy.write_bytes(original.read_bytes())
    import_json(capsys, db, original)
    again = import_json(capsys, db, copy)
    assert again["new_sets"] == 0 and again["already_there"] == again["files"][0]["sets"]


def test_global_options_work_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, _out, _ = run(
        capsys,
        "import",
        str(DATA / "logs/strong/dakheera47_sample_strong_legacy.csv"),
        "--athlete",
        "ana",
        "--db",
        db,
        "--json",
    )
    assert code == 0
    assert [a["name"] for a in stored_counts(capsys, db)] == ["ana"]


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = (DATA / "logs/strong/breinsp_strong.csv").read_text(encoding="utf-8").splitlines()
    cases: dict[str, tuple[Path, str]] = {}

    def write(name: str, text: str | bytes, expect: str) -> None:
        p = tmp_path / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode())
        cases[name] = (p, expect)

    garbage = [*good[:40], good[40].replace(",8,0,0", ",eight,0,0", 1), *good[41:60]]
    write("garbage.csv", "\n".join(garbage) + "\n", ":41:")
    write("truncated.csv", "\n".join(good[:30]) + '\n2021-03-01 16:56:53,"Montag', ":31:")
    write("binary.csv", bytes(range(256)) * 8, ":1:")
    write("empty.csv", "", "empty file")
    write("wrong-format.csv", "name,age,city\nana,31,Porto\n", ":1:")
    return cases


@pytest.mark.parametrize(
    "case", ["garbage.csv", "truncated.csv", "binary.csv", "empty.csv", "wrong-format.csv"]
)
def test_bad_input_exits_2_with_path_and_line_and_stores_nothing(
    case: str, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_json(capsys, db_url, DATA / "logs/strong/dakheera47_sample_strong.csv")
    before = stored_counts(capsys, db_url)
    path, expect = _bad_inputs(tmp_path)[case]
    # One odd row in 60 is skipped under the row policy; --strict refuses it.
    strict = ["--strict"] if case in ("garbage.csv", "truncated.csv") else []
    # A good file in the same command is not stored either: one command, one transaction.
    code, _out, err = run(
        capsys,
        "--db",
        db_url,
        "import",
        str(DATA / "logs/hevy/dakheera47_sample_hevy.csv"),
        str(path),
        *strict,
    )
    assert code == 2
    assert err.startswith(str(path)), err
    assert expect in err
    assert "Traceback" not in err
    assert stored_counts(capsys, db_url) == before


@pytest.mark.parametrize(("case", "line"), [("garbage.csv", 41), ("truncated.csv", 31)])
def test_one_odd_row_is_skipped_and_listed_the_rest_imported(
    case: str, line: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    path, _ = _bad_inputs(tmp_path)[case]
    rows = len(path.read_text(encoding="utf-8").strip().splitlines()) - 1
    code, out, err = run(capsys, "--db", db, "import", str(path))
    assert code == 0, err
    assert f"{path}:{line}: skipped, " in out
    assert "1 rows skipped (1 could not be read)" in out
    code, out, err = run(capsys, "--db", db, "import", str(path), "--json")
    (f,) = json.loads(out)["files"]
    assert [(s["line"], s["unreadable"]) for s in f["skipped"]] == [(line, True)]
    assert f["sets"] == rows - 1 and f["new_sets"] == 0
    assert [a["sets"] for a in stored_counts(capsys, db)] == [rows - 1]


def test_huge_file_that_is_not_csv_fails_fast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:  # a sparse 2 GB file of NUL bytes: never read whole
        fh.truncate(2 * 1024**3)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, _out, err = run(capsys, "--db", db, "import", str(big))
    assert code == 2
    assert err.startswith(f"{big}:1: binary data")
    assert os.path.getsize(big) == 2 * 1024**3


def test_missing_file_and_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "import",
        str(DATA / "logs/strong/breinsp_strong.csv"),
        "--unit",
        "stone",
    )
    assert code == 2 and "--unit" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "import",
        str(DATA / "logs/strong/breinsp_strong.csv"),
        "--format",
        "myapp",
    )
    assert code == 2 and "--format" in err


def test_format_given_explicitly_must_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, _, err = run(
        capsys,
        "--db",
        db,
        "import",
        str(DATA / "logs/hevy/dakheera47_sample_hevy.csv"),
        "--format",
        "strong",
    )
    assert code == 2
    assert "dakheera47_sample_hevy.csv" in err


def test_repeated_row_is_reported_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (DATA / "logs/hevy/dakheera47_sample_hevy.csv").read_text(encoding="utf-8").splitlines()
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\n".join([*lines[:6], lines[3], *lines[6:]]) + "\n", encoding="utf-8")
    doc = import_json(capsys, f"sqlite:///{tmp_path / 'b.db'}", doubled)
    (f,) = doc["files"]
    assert {"line": 7, "why": "same set as line 4 (repeated row)", "unreadable": False} in f[
        "skipped"
    ]
    original = import_json(
        capsys, f"sqlite:///{tmp_path / 'c.db'}", DATA / "logs/hevy/dakheera47_sample_hevy.csv"
    )
    assert f["sets"] == original["files"][0]["sets"]
    assert len(f["skipped"]) == len(original["files"][0]["skipped"]) + 1


def test_the_progress_bars_run_to_the_end() -> None:
    """On a terminal `import`, `video` and `batch` show a progress bar on the lazily made stderr console;
    Rich's live display enters that console as a context manager (it failed at the end)."""
    from backcheck.cli.batch import counting_progress
    from backcheck.cli.data import import_progress
    from backcheck.cli.video import pose_progress

    with import_progress(True) as update:
        assert update is not None
        update("read", 1, 2)
        update("store", 5, 10)
    with pose_progress(True) as pose:
        assert pose is not None
        pose(3, 9)
    with counting_progress(True, "athletes") as count:
        assert count is not None
        count(2, 4, 1)
    with import_progress(False) as update:
        assert update is None
