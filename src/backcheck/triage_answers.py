"""Red-flag answers: read from a JSON file, and recorded for an athlete with their verdict.

The one workflow behind `backcheck triage`, the web triage page and `POST
/api/athletes/{athlete}/triage` (`record_answers`), and the one reader of an answers file
(`why --answers`, `plan --answers`, `summary --answers`, `triage --answers`, a batch folder's
`answers.json`): `read_answers_file`. The questions and the verdict are analysis.triage
(docs/science.md section 6); the file format is docs/interface.md ("Red-flag answers JSON").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcheck.errors import InputError

if TYPE_CHECKING:
    from backcheck.analysis.triage import RedFlags
    from backcheck.store import Store


def read_answers_file(path: Path) -> dict[str, bool]:
    """Red-flag answers from a JSON file (keys of `backcheck triage --list-keys`; a missing
    key is "not asked"), validated; InputError names the file (and the line of bad JSON)."""
    from backcheck.analysis.triage import validate_answers

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, f"not valid JSON ({exc.msg})") from None
    return validate_answers(doc, path=str(path))


@dataclass(frozen=True, slots=True)
class RecordedAnswers:
    """Answers as stored (validated) and the red-flag verdict they gave with the diary."""

    answers: dict[str, bool]
    flags: RedFlags

    def to_json(self) -> dict[str, Any]:
        """{"level", "reasons", "found", "actions", "answers"}: what `triage --json` prints and
        the API returns (`found`: red flags were found, RedFlags.found, exit code 1)."""
        return {
            **self.flags.to_json(),
            "found": self.flags.found,
            "actions": list(self.flags.actions),
            "answers": self.answers,
        }


def record_answers(
    store: Store, *, athlete: str, tz: str, answers: object, create_athlete: bool = False
) -> RecordedAnswers:
    """Check red-flag `answers` (a {"key": true/false} mapping; InputError otherwise), store
    them with the time given for `athlete` (created when `create_athlete`, else NotFoundError
    when unknown), and assess them with the pain diary as of today in IANA zone `tz`
    (analysis.triage.assess)."""
    import polars as pl

    from backcheck.analysis.triage import assess, validate_answers
    from backcheck.clock import local_today
    from backcheck.store.athletes import athlete_id
    from backcheck.store.diary import load_pain, save_triage

    given = validate_answers(answers)
    today = local_today(tz)
    with store.transaction() as conn:
        save_triage(conn, athlete_id(conn, athlete, create=create_athlete), given)
        pain = load_pain(conn, athlete)
    pain = pain.with_columns(pl.col("at").dt.convert_time_zone(tz).dt.date().alias("day"))
    return RecordedAnswers(answers=given, flags=assess(given, pain, as_of=today))
