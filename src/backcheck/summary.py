"""One printable summary to bring to a physiotherapist or coach (`backcheck summary`, the web
app's Summary page): who, the red-flag answers and their date, the pain history, the causes
with their evidence and grades, the plan and how it went.

    doc = build_summary(store, athlete="me", tz="Europe/Berlin")
    html = render_summary(doc)        # self-contained, prints on A4 and US Letter
    write_pdf(html_path, pdf_path)    # through headless Chromium, when installed
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcheck.errors import ToolError

if TYPE_CHECKING:
    from backcheck.progress import ProgressReport
    from backcheck.store import Store
    from backcheck.why import WhyReport

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@dataclass(slots=True)
class Summary:
    """Everything the summary shows: the report, the answers as asked, the plan and progress."""

    report: WhyReport
    answers: list[tuple[str, bool]]  # (question text, yes) in the order asked
    answered_at: datetime | None
    plan: dict[str, Any] | None  # the newest saved plan document
    progress: ProgressReport | None


def build_summary(
    store: Store,
    *,
    athlete: str,
    tz: str,
    as_of: date | None = None,
    answers: dict[str, bool] | None = None,
) -> Summary:
    """Gather the summary for `athlete` as of `as_of` (default today in `tz`)."""
    from backcheck.analysis.triage import QUESTIONS
    from backcheck.progress import assemble
    from backcheck.store.plans import load_plans
    from backcheck.why import analyse, load_data

    data = load_data(store, athlete=athlete, tz=tz, as_of=as_of, answers=answers)
    with store.transaction() as conn:
        docs = load_plans(conn, athlete)
    given = data.answers or {}
    asked = [(q.text, given[q.key]) for q in QUESTIONS if q.key in given]
    return Summary(
        report=analyse(data),
        answers=asked,
        answered_at=None if answers is not None else data.answers_at,
        plan=docs[-1] if docs else None,
        progress=assemble(docs, data=data) if docs else None,
    )


def find_browser() -> str | None:
    """A headless-capable Chromium on PATH (Debian's `chromium`, or Chrome), or None."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html: Path, pdf: Path, *, timeout_s: float = 120.0) -> Path:
    """Print the HTML file `html` to `pdf` with headless Chromium (page size from the page's
    print CSS: A4 or Letter as the system's locale gives). ToolError without one."""
    browser = find_browser()
    if browser is None:
        raise ToolError(
            "--pdf needs Chromium or Chrome (Debian: apt-get install chromium); or open the "
            "HTML summary in a browser and print it"
        )
    with tempfile.TemporaryDirectory(prefix="backcheck-pdf-") as profile:
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        try:
            run = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout_s, check=False
            )
        except subprocess.TimeoutExpired:
            raise ToolError(f"{pdf}: Chromium took over {timeout_s:.0f} s to print") from None
    if run.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        raise ToolError(f"{pdf}: Chromium could not print the summary ({run.stderr[-300:]})")
    return pdf
