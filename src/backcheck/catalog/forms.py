"""Parsed forms of the catalog's names and aliases, computed ahead of time (forms.json).

Building the name index parses every name and alias of exercises.csv (about 1,500 labels):
a good part of the time budget of a command such as `why`. `forms.json` beside the CSV holds
those parses with the hash of the CSV text they came from; `load_catalog` uses them only
while that hash matches (a changed CSV is parsed afresh), and a test checks that the file
equals what `names.parse` gives today. Regenerate after changing the CSV or the normaliser:

    python -m backcheck.catalog.forms
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from backcheck.catalog.names import Parsed, parse

FILE = "forms.json"


def text_hash(text: str) -> str:
    """blake2b (16 bytes, hex) of the catalog CSV text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def compute(labels: list[str], text: str) -> dict[str, object]:
    """The forms.json document for `labels` of the catalog text `text`."""
    forms = {label: [list(m), list(e)] for label in labels for m, e in [parse(label)]}
    return {"csv_blake2b": text_hash(text), "forms": forms}


def packaged(text: str) -> dict[str, Parsed] | None:
    """The packaged forms when they were computed from `text`, else None."""
    try:
        doc = json.loads(resources.files("backcheck.catalog").joinpath(FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("csv_blake2b") != text_hash(text):
        return None
    return {label: (tuple(m), tuple(e)) for label, (m, e) in doc["forms"].items()}


def main() -> int:
    """Rewrite forms.json beside exercises.csv from the current CSV and normaliser."""
    from backcheck.catalog.loader import catalog_text, parse_catalog

    text = catalog_text()
    catalog = parse_catalog(text, forms={})
    labels = [label for ex in catalog for label in (ex.name, *ex.aliases)]
    path = Path(__file__).with_name(FILE)
    doc = compute(labels, text)
    forms: dict[str, object] = doc["forms"]  # type: ignore[assignment]
    lines = [
        f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in sorted(forms.items())
    ]
    body = ",\n".join(lines)  # one label a line: readable diffs
    path.write_text(
        f'{{"csv_blake2b": "{doc["csv_blake2b"]}", "forms": {{\n{body}\n}}}}\n', "utf-8"
    )
    print(f"wrote {path} ({len(labels)} labels)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
