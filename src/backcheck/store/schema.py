"""The current schema, replayed from the migrations (so the two can never disagree).

Queries import the tables from here: `from backcheck.store.schema import sets`.
"""

from __future__ import annotations

from sqlalchemy import MetaData, Table

from backcheck.store.migrations import modules


def build_metadata() -> MetaData:
    """Declare every table as the last migration leaves it (no database touched)."""
    meta = MetaData()
    for _version, module in modules():
        module.upgrade(meta, None)
    return meta


metadata = build_metadata()
schema_migrations: Table = metadata.tables["schema_migrations"]
athletes: Table = metadata.tables["athletes"]
sessions: Table = metadata.tables["sessions"]
sets: Table = metadata.tables["sets"]
imports: Table = metadata.tables["imports"]
import_sets: Table = metadata.tables["import_sets"]
pain: Table = metadata.tables["pain"]
recovery: Table = metadata.tables["recovery"]
triage: Table = metadata.tables["triage"]
videos: Table = metadata.tables["videos"]
exercise_map: Table = metadata.tables["exercise_map"]
