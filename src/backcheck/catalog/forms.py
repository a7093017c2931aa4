"""Parsed forms of the catalog's names and aliases, computed ahead of time (forms.json).

Building the name index parses every name and alias of exercises.csv (about 1,500 labels):
a good part of the time budget of a command such as `why`. `forms.json` beside the CSV holds
those parses with the hash of the CSV text they came from; `load_catalog` uses them only
while that hash matches (a changed CSV is parsed afresh), and a test checks that the file
equals what `names.parse` gives today. Regenerate after changing the CSV or the normaliser
(catalog.makeforms):

    python -m backcheck.catalog.makeforms
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources

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
