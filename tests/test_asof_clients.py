"""One analysis day, one answer: `why`, `plan`, `batch`, `export --what results` and the web
API analyse the same stale real export (a Strong log that ends on 2021-12-22) as of the same
day, with the same scores, and the dashboard and plan pages let the person pick the day."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from backcheck import cli
from backcheck.analysis.asof import STALE_AFTER_DAYS
from backcheck.model import CAUSES
from webtools import PASSWORD, Web, settings_fixture, web_fixture  # noqa: F401 - fixtures

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DATA = Path(__file__).parent / "data" / "logs" / "strong"
BREINSP = DATA / "breinsp_strong.csv"  # 2021-02-10 .. 2021-12-22 (Europe/Berlin)
TZ = "Europe/Berlin"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_set_day(path: Path) -> date:
    """The last workout date of a Strong export, read straight from its Date column."""
    frame = pl.read_csv(path, infer_schema_length=0)
    return max(date.fromisoformat(d[:10]) for d in frame["Date"].to_list())


def imported(web: Web, path: Path) -> dict[str, str]:
    """Import `path` for the web user through the API; returns the API headers."""
    h = web.api_token()
    files = [("files", (path.name, path.read_bytes(), "text/csv"))]
    r = web.client.post(f"/api/athletes/{web.athlete}/imports", files=files, headers=h)
    assert r.status_code == 202, r.text
    job = web.wait(r.json()["job"]["id"], h)
    assert job["state"] == "done", job["error"]
    return h


def scores(doc: dict) -> dict[str, tuple[float, str]]:
    return {c["cause"]: (c["score"], c["level"]) for c in doc["causes"]}


def row_scores(row: dict) -> dict[str, tuple[float, str]]:
    return {c: (row[f"score_{c}"], row[f"level_{c}"]) for c in CAUSES}


def test_every_client_gives_the_same_day_and_scores_on_a_stale_export(
    web: Web, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = last_set_day(BREINSP)
    assert (date.today() - last).days > STALE_AFTER_DAYS  # the premise: the log is stale
    h = imported(web, BREINSP)
    db = str(web.client.app.state.backcheck.settings.db)
    base = ("--db", db, "--athlete", web.athlete, "--tz", TZ)

    # why (CLI): the log's last day, and a note that says so
    code, out, err = run(capsys, *base, "why", "--json")
    assert code == 0, err
    why_doc = json.loads(out)
    assert why_doc["as_of"] == last.isoformat() == why_doc["data"]["last"]
    assert why_doc["notes"] == [
        f"Your log ends on {last.isoformat()}, so this report is as of that day "
        "(pass --as-of to change it)."
    ]
    expected = scores(why_doc)
    assert len(expected) == len(CAUSES)

    # the web API: the very same document
    api = web.client.get(f"/api/athletes/{web.athlete}/why", headers=h)
    assert api.status_code == 200, api.text
    assert api.json() == why_doc

    # batch (a process pool, one Polars thread per worker) on the same file
    folder = tmp_path / "in" / web.athlete
    folder.mkdir(parents=True)
    shutil.copy(BREINSP, folder / BREINSP.name)
    out_file = tmp_path / "batch.parquet"
    code, out, err = run(
        capsys,
        "--tz",
        TZ,
        "batch",
        str(tmp_path / "in"),
        "--out",
        str(out_file),
        "--workers",
        "1",
        "--json",
    )
    assert code == 0, err
    (row,) = pl.read_parquet(out_file).to_dicts()
    assert row["error"] is None
    assert row["as_of"] == last and row_scores(row) == expected
    assert why_doc["notes"][0] in row["notes"]

    # export --what results from the store
    exported = tmp_path / "results.parquet"
    code, out, err = run(capsys, *base, "export", "--what", "results", "--out", str(exported))
    assert code == 0, err
    (row,) = pl.read_parquet(exported).to_dicts()
    assert row["as_of"] == last and row_scores(row) == expected

    # plan (CLI and web API): built as of the same day, from the same findings
    code, out, err = run(capsys, *base, "plan", "--json")
    assert code == 0, err
    plan_doc = json.loads(out)
    assert plan_doc["as_of"] == last.isoformat()
    addressed = [c["cause"] for c in why_doc["causes"] if c["level"] in ("likely", "possible")]
    assert plan_doc["addresses"] == addressed
    api = web.client.get(f"/api/athletes/{web.athlete}/plan", headers=h)
    assert api.status_code == 200, api.text
    assert api.json() == plan_doc


def test_a_day_asked_for_is_the_same_everywhere(
    web: Web, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h = imported(web, BREINSP)
    db = str(web.client.app.state.backcheck.settings.db)
    day = "2021-09-30"
    code, out, err = run(
        capsys, "--db", db, "--athlete", web.athlete, "--tz", TZ, "why", "--json", "--as-of", day
    )
    assert code == 0, err
    cli_doc = json.loads(out)
    assert cli_doc["as_of"] == day and cli_doc["notes"] == []
    api = web.client.get(f"/api/athletes/{web.athlete}/why?as_of={day}", headers=h).json()
    assert api == cli_doc
    plan = web.client.get(f"/api/athletes/{web.athlete}/plan?as_of={day}", headers=h).json()
    assert plan["as_of"] == day
    # the default (no as_of) is another report, kept apart in the cache
    default = web.client.get(f"/api/athletes/{web.athlete}/why", headers=h).json()
    assert default["as_of"] == last_set_day(BREINSP).isoformat() != day


def test_dashboard_and_plan_pages_pick_the_day(web: Web) -> None:
    imported(web, BREINSP)
    last = last_set_day(BREINSP).isoformat()
    page = web.client.get(f"/a/{web.athlete}/")
    assert page.status_code == 200
    # the picker: a plain GET form with a date input holding the day analysed
    assert f'<input type="date" id="as_of" name="as_of" value="{last}"' in page.text
    assert f"Your log ends on {last}" in page.text
    assert "pick another day above" in page.text and "--as-of" not in page.text
    picked = web.client.get(f"/a/{web.athlete}/?as_of=2021-06-30")
    assert picked.status_code == 200
    assert 'value="2021-06-30"' in picked.text and "As of 2021-06-30" in picked.text
    assert "Your log ends on" not in picked.text
    report = web.client.get(f"/a/{web.athlete}/report?as_of=2021-06-30")
    assert "as of 2021-06-30" in report.text
    plan = web.client.get(f"/a/{web.athlete}/plan?as_of=2021-06-30&weeks=2")
    assert plan.status_code == 200
    assert '<input type="date" id="as_of" name="as_of" value="2021-06-30"' in plan.text
    plan = web.client.get(f"/a/{web.athlete}/plan")
    assert f'name="as_of" value="{last}"' in plan.text and "restarts lighter" in plan.text
    for bad in ("2021-13-01", "yesterday"):
        r = web.client.get(f"/a/{web.athlete}/?as_of={bad}")
        assert r.status_code == 400, bad


def test_why_batch_and_export_agree_on_every_real_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each real export in tests/data/logs, analysed on its own default day: `why`, `batch`
    (one Polars thread per worker) and `export --what results` give the same day and scores."""
    exports = sorted(p for p in (DATA.parent).glob("*/*") if p.suffix.lower() in (".csv", ".fit"))
    assert len(exports) >= 8
    db = f"sqlite:///{tmp_path / 'b.db'}"
    why_docs = {}
    for path in exports:
        name = path.stem.lower()
        folder = tmp_path / "in" / name
        folder.mkdir(parents=True)
        shutil.copy(path, folder / path.name)
        code, _, err = run(capsys, "--db", db, "--tz", TZ, "--athlete", name, "import", str(path))
        assert code == 0, err
        code, out, err = run(capsys, "--db", db, "--tz", TZ, "--athlete", name, "why", "--json")
        assert code == 0, err
        why_docs[name] = json.loads(out)
    stale = [n for n, d in why_docs.items() if d["notes"]]
    assert len(stale) >= 8  # every export with sets ended long ago
    assert all(why_docs[n]["as_of"] == why_docs[n]["data"]["last"] for n in stale)
    batch_out, export_out = tmp_path / "batch.parquet", tmp_path / "export.parquet"
    code, _, err = run(
        capsys, "--tz", TZ, "batch", str(tmp_path / "in"), "--out", str(batch_out), "--workers", "1"
    )
    assert code == 0, err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "--tz",
        TZ,
        "export",
        "--all-athletes",
        "--what",
        "results",
        "--out",
        str(export_out),
    )
    assert code == 0, err
    for out_file in (batch_out, export_out):
        rows = {r["athlete"]: r for r in pl.read_parquet(out_file).to_dicts()}
        assert set(rows) == set(why_docs)
        for name, doc in why_docs.items():
            row = rows[name]
            assert row["error"] is None, row["error"]
            assert row["as_of"].isoformat() == doc["as_of"], name
            assert row_scores(row) == scores(doc), name
