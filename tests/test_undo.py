"""Nothing doubled, everything undoable, deleted data never comes back (issue 11 point 3, issue
16 point 1): the import log, re-reading an import in another unit, deleting an import, a pain
day or a whole athlete, snapshot stamps that never come back, ids never reused."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from backcheck import undo
from backcheck.errors import NotFoundError
from backcheck.imports import import_files
from backcheck.ingest.columns import LB_TO_KG
from backcheck.store import open_store
from backcheck.store.athletes import athlete_id
from backcheck.store.schema import metadata
from backcheck.store.snapshot import folder_of, read_snapshot
from backcheck.store.workouts import load_sets, read_sets

DATA = Path(__file__).parent / "data"
STRONG = DATA / "logs" / "strong" / "breinsp_strong.csv"  # kept in kg (German gym log)
FITNOTES_LB = DATA / "logs" / "fitnotes" / "kaiserlift_fitnotes_example.csv"  # kept in lb
UTC = ZoneInfo("UTC")


def strong_from_fitnotes(path: Path, out: Path, *, last: int | None = None) -> Path:
    """The real lb log of FITNOTES_LB written as a Strong export that does not say its unit
    (Strong's 12-column layout: weights as logged, in lb), its first `last` rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:last]
    order: dict[tuple[str, str], int] = defaultdict(int)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "Date",
                "Workout Name",
                "Duration",
                "Exercise Name",
                "Set Order",
                "Weight",
                "Reps",
                "Distance",
                "Seconds",
                "Notes",
                "Workout Notes",
                "RPE",
            ]
        )
        for r in rows:
            order[(r["Date"], r["Exercise"])] += 1
            w.writerow(
                [
                    f"{r['Date']} 18:00:00",
                    "Workout",
                    "1h",
                    r["Exercise"],
                    order[(r["Date"], r["Exercise"])],
                    r["Weight"] or "0",
                    r["Reps"] or "0",
                    "0",
                    "0",
                    "",
                    "",
                    "",
                ]
            )
    return out


@pytest.fixture
def lb_export(tmp_path: Path) -> Path:
    return strong_from_fitnotes(FITNOTES_LB, tmp_path / "strong_lb.csv")


def sets_of(store: object, athlete: str = "me") -> object:
    with store.transaction() as conn:  # type: ignore[attr-defined]
        return read_sets(conn, athlete)


def test_reimport_with_another_unit_rereads_never_doubles(db_url: str, lb_export: Path) -> None:
    store = open_store(db_url)
    try:
        first = import_files(store, athlete="me", paths=[lb_export], tz=UTC)
        kept = first.files[0].parsed.sets.height
        assert first.new_sets == kept > 700
        hint = " ".join(first.files[0].parsed.notes)
        assert "look like pounds" in hint and "--unit lb" in hint and "no second copy" in hint
        as_kg = sets_of(store)["weight_kg"].to_list()  # type: ignore[index]

        again = import_files(store, athlete="me", paths=[lb_export], tz=UTC, unit="lb")
        assert again.new_sets == 0 and again.new_sessions == 0
        loaded = sum(1 for w in as_kg if w)
        assert again.reread == loaded  # every set with a load was re-read ...
        assert again.already_there == kept - loaded  # ... the rest were already right
        after = sets_of(store)
        assert after.height == kept  # type: ignore[attr-defined]
        as_lb = after["weight_kg"].to_list()  # type: ignore[index]
        assert sorted(w for w in as_lb if w) == pytest.approx(
            sorted(w * LB_TO_KG for w in as_kg if w)
        )
        listed = undo.list_imports(store, athlete="me")
        assert [(i["unit"], i["sets"]) for i in listed] == [("lb", kept)]

        back = import_files(store, athlete="me", paths=[lb_export], tz=UTC, unit="kg")
        assert back.new_sets == 0 and back.reread == loaded
        assert sorted(sets_of(store)["weight_kg"].to_list()) == pytest.approx(sorted(as_kg))  # type: ignore[index]
        same = import_files(store, athlete="me", paths=[lb_export], tz=UTC, unit="kg")
        assert (same.new_sets, same.reread, same.already_there) == (0, 0, kept)
        assert len(undo.list_imports(store, athlete="me")) == 1
    finally:
        store.close()


def test_unit_hint_only_when_weights_look_like_pounds(tmp_path: Path, lb_export: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'h.db'}")
    try:
        kg = import_files(store, athlete="kg", paths=[STRONG], tz=UTC)
        assert not any("kg" in n for n in kg.files[0].parsed.notes)
        lb = import_files(store, athlete="lb", paths=[lb_export], tz=UTC)
        assert any("look like pounds" in n for n in lb.files[0].parsed.notes)
        told = import_files(store, athlete="lb2", paths=[lb_export], tz=UTC, unit="lb")
        assert not any("look like pounds" in n for n in told.files[0].parsed.notes)
    finally:
        store.close()


def test_delete_import_then_import_again_restores(db_url: str) -> None:
    store = open_store(db_url)
    try:
        import_files(store, athlete="me", paths=[STRONG], tz=UTC)
        before = sets_of(store)
        [imp] = undo.list_imports(store, athlete="me")
        assert imp["sets"] == before.height and imp["sessions"] == 129  # type: ignore[attr-defined]
        assert imp["path"] == str(STRONG) and imp["format"] == "strong" and imp["unit"] is None
        done = undo.delete_import(store, athlete="me", import_id=imp["id"])
        assert done == {"sets": before.height, "sessions": 129}  # type: ignore[attr-defined]
        assert sets_of(store).height == 0  # type: ignore[attr-defined]
        assert undo.list_imports(store, athlete="me") == []
        with store.transaction() as conn:
            from backcheck.store.schema import sessions

            assert conn.execute(select(func.count()).select_from(sessions)).scalar() == 0
        with pytest.raises(NotFoundError):
            undo.delete_import(store, athlete="me", import_id=imp["id"])
        again = import_files(store, athlete="me", paths=[STRONG], tz=UTC)
        assert again.new_sets == before.height  # type: ignore[attr-defined]
        assert sets_of(store).equals(before.with_columns(session_id=sets_of(store)["session_id"]))  # type: ignore[attr-defined,index]
        [new] = undo.list_imports(store, athlete="me")
        assert new["id"] > imp["id"]  # import ids are never given again
    finally:
        store.close()


def test_shared_sets_stay_while_another_import_holds_them(tmp_path: Path) -> None:
    """January's export is part of June's: undoing January keeps them; undoing June then
    removes everything."""
    part = strong_from_fitnotes(FITNOTES_LB, tmp_path / "jan.csv", last=200)
    whole = strong_from_fitnotes(FITNOTES_LB, tmp_path / "jun.csv")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        jan = import_files(store, athlete="me", paths=[part], tz=UTC).files[0]
        jun = import_files(store, athlete="me", paths=[whole], tz=UTC).files[0]
        total = jun.parsed.sets.height
        assert jun.new_sets == total - jan.parsed.sets.height
        assert undo.delete_import(store, athlete="me", import_id=jan.import_id)["sets"] == 0  # type: ignore[arg-type]
        assert sets_of(store).height == total  # type: ignore[attr-defined]
        gone = undo.delete_import(store, athlete="me", import_id=jun.import_id)  # type: ignore[arg-type]
        assert gone["sets"] == total and sets_of(store).height == 0  # type: ignore[attr-defined]
    finally:
        store.close()


def test_pain_list_and_delete_a_day(db_url: str) -> None:
    from backcheck.diary import log_pain

    store = open_store(db_url)
    zone = ZoneInfo("Europe/Berlin")
    try:
        for day, level, where in (
            ("2026-03-01", 4, "neck"),
            ("2026-03-01T20:00", 6, "mid-back"),
            ("2026-03-02", 0, None),
        ):
            log_pain(store, athlete="me", day=day, level=level, where=where, note=None, tz=zone)
        listed = undo.list_pain(store, athlete="me", tz=zone)
        assert [(p["date"], p["level"]) for p in listed] == [
            ("2026-03-01", 4),
            ("2026-03-01", 6),
            ("2026-03-02", 0),
        ]
        assert undo.delete_pain_day(store, athlete="me", day="2026-03-01", tz=zone) == 2
        assert [p["date"] for p in undo.list_pain(store, athlete="me", tz=zone)] == ["2026-03-02"]
        with pytest.raises(NotFoundError):
            undo.delete_pain_day(store, athlete="me", day="2026-03-01", tz=zone)
    finally:
        store.close()


def rows_of(store: object, athlete: int) -> dict[str, int]:
    """Rows of athlete id `athlete` in every table with an athlete_id, and their athletes row."""
    counts = {}
    with store.transaction() as conn:  # type: ignore[attr-defined]
        for table in metadata.sorted_tables:
            if "athlete_id" in table.c:
                n = conn.execute(
                    select(func.count()).select_from(table).where(table.c.athlete_id == athlete)
                ).scalar()
                counts[table.name] = int(n)
        counts["athletes"] = int(
            conn.execute(
                select(func.count()).where(metadata.tables["athletes"].c.id == athlete)
            ).scalar()
        )
    return counts


def test_athlete_delete_leaves_no_row_and_no_file(tmp_path: Path) -> None:
    from backcheck.diary import import_recovery, log_pain
    from backcheck.store.diary import save_triage, save_video
    from backcheck.store.inputs import load_inputs

    db = tmp_path / "a.db"
    store = open_store(f"sqlite:///{db}")
    try:
        for name in ("ann", "bo"):
            import_files(store, athlete=name, paths=[STRONG], tz=UTC)
            log_pain(store, athlete=name, day="2021-05-01", level=3, where="neck", note="x", tz=UTC)
        rec = tmp_path / "rec.csv"
        rec.write_text("date,kind,value\n2021-05-01,sleep,7\n", encoding="utf-8")
        import_recovery(store, athlete="ann", path=rec, tz=UTC)
        with store.transaction() as conn:
            ann = athlete_id(conn, "ann")
            bo = athlete_id(conn, "bo")
            save_triage(conn, ann, {"chest_pain": False})
            from datetime import date

            save_video(
                conn,
                ann,
                recorded_on=date(2021, 5, 1),
                exercise="row",
                source_name="v.mp4",
                result={"reps": []},
            )
            load_inputs(conn, "ann")  # writes the snapshot files
        bo_before = rows_of(store, bo)
        assert read_snapshot(f"sqlite:///{db}", "ann") is not None
        assert any(folder_of(db).iterdir())
        counts = undo.delete_athlete(store, athlete="ann")
        assert counts["sets"] > 2000 and counts["athletes"] == 1
        assert set(rows_of(store, ann).values()) == {0}
        assert rows_of(store, bo) == bo_before  # the other athlete keeps everything
        assert not [p for p in folder_of(db).iterdir() if "ann" in p.name or p.name.startswith(".")]
        assert read_snapshot(f"sqlite:///{db}", "ann") is None
        # the name comes back as a new athlete: a new id, nothing of the old one
        log_pain(store, athlete="ann", day="2026-01-01", level=0, where=None, note=None, tz=UTC)
        with store.transaction() as conn:
            assert athlete_id(conn, "ann") > bo
            assert load_sets(conn, "ann").height == 0
    finally:
        store.close()
    with pytest.raises(NotFoundError):
        undo.delete_athlete(open_store(f"sqlite:///{db}"), athlete="nobody")


def test_snapshot_after_a_delete_is_never_served(tmp_path: Path, lb_export: Path) -> None:
    """Row counts came back to an earlier value after a delete (and a stale file was read);
    the change counters never do."""
    from backcheck.store.inputs import load_inputs

    db = tmp_path / "s.db"
    url = f"sqlite:///{db}"
    store = open_store(url)
    try:
        import_files(store, athlete="me", paths=[STRONG], tz=UTC)
        with store.transaction() as conn:
            load_inputs(conn, "me")
        first = read_snapshot(url, "me")
        assert first is not None and first.sets.height > 2000
        [imp] = undo.list_imports(store, athlete="me")
        undo.delete_import(store, athlete="me", import_id=imp["id"])
        assert read_snapshot(url, "me") is None  # stale: never served
        with store.transaction() as conn:
            assert load_inputs(conn, "me").sets.height == 0
        assert read_snapshot(url, "me").sets.height == 0  # type: ignore[union-attr]
        import_files(store, athlete="me", paths=[STRONG], tz=UTC)  # the same count again
        with store.transaction() as conn:
            fresh = load_inputs(conn, "me")
        served = read_snapshot(url, "me")
        assert served is not None and served.sets.equals(fresh.sets)
        old_ids = set(first.sets["session_id"].to_list())
        assert old_ids.isdisjoint(served.sets["session_id"].to_list())  # ids never reused
    finally:
        store.close()


def test_ids_never_reused_and_secure_delete(db_url: str) -> None:
    """A deleted athlete's (or import's, or session's) id is never given again: SQLite
    AUTOINCREMENT (migration 3), PostgreSQL sequences."""
    store = open_store(db_url)
    try:
        import_files(store, athlete="a", paths=[STRONG], tz=UTC)
        with store.transaction() as conn:
            first = athlete_id(conn, "a")
            sessions_before = max(read_sets(conn, "a")["session_id"].to_list())
        [imp] = undo.list_imports(store, athlete="a")
        undo.delete_athlete(store, athlete="a")
        import_files(store, athlete="b", paths=[STRONG], tz=UTC)
        with store.transaction() as conn:
            assert athlete_id(conn, "b") > first
            assert min(read_sets(conn, "b")["session_id"].to_list()) > sessions_before
        assert undo.list_imports(store, athlete="b")[0]["id"] > imp["id"]
        if store.dialect == "sqlite":
            with store.transaction() as conn:
                assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                sql = dict(
                    conn.exec_driver_sql(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                    ).all()
                )
            for table in ("athletes", "sessions", "sets", "imports", "pain", "users"):
                assert "AUTOINCREMENT" in sql[table], table
    finally:
        store.close()


def test_migration_3_keeps_every_row_of_an_older_store(tmp_path: Path) -> None:
    """A store made by migrations 1 and 2 (rows in every athlete table) upgrades in place:
    rows, foreign keys and cascades kept, ids made never-reused, old sets linked."""
    from sqlalchemy import MetaData, create_engine

    from backcheck.store.migrations import m0001_initial, m0002_web

    db2 = tmp_path / "old2.db"
    engine = create_engine(f"sqlite:///{db2}")
    with engine.begin() as conn:
        meta = MetaData()
        m0001_initial.upgrade(meta, conn)
        m0002_web.upgrade(meta, conn)
        conn.exec_driver_sql(
            "INSERT INTO schema_migrations VALUES (1, 'initial', '2026-01-01'), "
            "(2, 'web', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO athletes VALUES (1, 'me', '2026-01-01'), (2, 'x', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO sessions (id, athlete_id, key, started_at) VALUES (1, 1, 11, '2026-01-02')"
        )
        conn.exec_driver_sql(
            "INSERT INTO sets (id, athlete_id, session_id, key, exercise, set_type, source_file) "
            "VALUES (1, 1, 1, 21, 'Row', 'working', 'a.csv'), (2, 1, 1, 22, 'Row', 'working', 'a.csv')"
        )
        conn.exec_driver_sql(
            "INSERT INTO imports (id, athlete_id, imported_at, file_name, format, rows, sets, "
            "new_sets, skipped_json) VALUES (1, 1, '2026-01-02', 'a.csv', 'strong', 2, 2, 2, '[]')"
        )
        conn.exec_driver_sql(
            "INSERT INTO pain (athlete_id, key, at, level) VALUES (1, 31, '2026-01-02', 3)"
        )
    engine.dispose()
    store = open_store(f"sqlite:///{db2}")
    try:
        with store.transaction() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert [
                tuple(r)
                for r in conn.exec_driver_sql(
                    "SELECT id, name, revision, sets_revision FROM athletes ORDER BY id"
                )
            ] == [(1, "me", 0, 0), (2, "x", 0, 0)]
            assert conn.exec_driver_sql("SELECT count(*) FROM sets").scalar() == 2
            assert conn.exec_driver_sql("SELECT count(*) FROM pain").scalar() == 1
        listed = undo.list_imports(store, athlete="me")
        assert [(i["id"], i["path"], i["sets"], i["sessions"]) for i in listed] == [
            (1, "a.csv", 2, 1)
        ]
        undo.delete_athlete(store, athlete="x")
        with store.transaction() as conn:
            assert athlete_id(conn, "new", create=True) == 3  # 2 is never given again
        undo.delete_athlete(store, athlete="me")  # the cascade still reaches every child
        with store.transaction() as conn:
            for table in ("sets", "sessions", "pain", "imports", "import_sets"):
                assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
    finally:
        store.close()


def test_pain_delete_leaves_no_deleted_entry_in_the_snapshot(tmp_path: Path) -> None:
    """The diary files go (the deleted entry is in no file any more), the sets file stays."""
    from backcheck.diary import log_pain
    from backcheck.store.inputs import load_inputs

    db = tmp_path / "p.db"
    url = f"sqlite:///{db}"
    store = open_store(url)
    try:
        import_files(store, athlete="me", paths=[STRONG], tz=UTC)
        log_pain(
            store, athlete="me", day="2021-05-01", level=6, where="neck", note="secret", tz=UTC
        )
        log_pain(store, athlete="me", day="2021-05-02", level=0, where=None, note=None, tz=UTC)
        with store.transaction() as conn:
            load_inputs(conn, "me")
        served = read_snapshot(url, "me")
        assert served is not None and served.pain.height == 2
        sets_files = sorted(folder_of(db).glob("sets-*"))
        undo.delete_pain_day(store, athlete="me", day="2021-05-01", tz=UTC)
        assert sorted(folder_of(db).glob("sets-*")) == sets_files  # kept: sets unchanged
        assert not list(folder_of(db).glob("pain-*"))
        assert read_snapshot(url, "me") is None
        with store.transaction() as conn:
            assert load_inputs(conn, "me").pain["note"].to_list() == [None]
        assert read_snapshot(url, "me").pain.height == 1  # type: ignore[union-attr]
    finally:
        store.close()


def test_deleted_rows_leave_no_trace_in_the_sqlite_files(tmp_path: Path) -> None:
    """secure_delete, and the write-ahead log truncated after a delete: the deleted note is in
    neither the database file nor its -wal file."""
    from backcheck.diary import log_pain

    db = tmp_path / "t.db"
    store = open_store(f"sqlite:///{db}")
    try:
        for who in ("ann", "bo"):
            log_pain(
                store,
                athlete=who,
                day="2026-01-05",
                level=5,
                where="neck",
                note=f"{who}-private-note-7f3a",
                tz=UTC,
            )

        def files() -> bytes:
            return b"".join(p.read_bytes() for p in tmp_path.glob("t.db*") if p.is_file())

        assert b"ann-private-note-7f3a" in files()
        undo.delete_athlete(store, athlete="ann")
        assert b"ann-private-note-7f3a" not in files()
        assert b"bo-private-note-7f3a" in files()
        undo.delete_pain_day(store, athlete="bo", day="2026-01-05", tz=UTC)
        assert b"bo-private-note-7f3a" not in files()
    finally:
        store.close()
