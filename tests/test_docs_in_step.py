"""The repository holds the documents its code cites: docs/science.md and docs/interface.md are
the shared SCIENCE.md and CONTRACT.md, word for word (checked where ../shared is beside the
checkout, as in CI and development; a clone without it still has the docs)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize(
    ("shared", "doc"), [("SCIENCE.md", "science.md"), ("CONTRACT.md", "interface.md")]
)
def test_docs_match_the_shared_documents(shared: str, doc: str) -> None:
    ours = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    body = ours.split("-->\n\n", 1)[1]
    assert body.startswith("# ")
    if not (SHARED / shared).exists():
        pytest.skip(f"no ../shared/{shared} beside this checkout to compare with")
    assert body == (SHARED / shared).read_text(encoding="utf-8"), (
        f"docs/{doc} is behind ../shared/{shared}: copy it"
    )
