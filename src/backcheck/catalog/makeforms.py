"""Rewrite forms.json (catalog.forms) from the current exercises.csv and name normaliser:

python -m backcheck.catalog.makeforms
"""

from __future__ import annotations

import json
from pathlib import Path

from backcheck.catalog.forms import FILE, compute
from backcheck.catalog.loader import catalog_text, parse_catalog


def main() -> int:
    """Rewrite forms.json beside exercises.csv from the current CSV and normaliser."""
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
