"""Issue 16 point 1 in a real Chromium against a real `backcheck serve`: A and D import, D views
the dashboard and deletes the account, A imports, E signs up; E sees nothing of D (E was given
D's athlete id and shown D's cached report). Then undo an import from the import page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
STRONG = DATA / "logs" / "strong" / "dakheera47_sample_strong.csv"
PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1200, "height": 900}

pytestmark = pytest.mark.slow


def sign_up(browser, server: str, name: str, email: str):  # type: ignore[no-untyped-def]
    """A new browser context signed up as `name`; returns (context, page, athlete base URL)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server}/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/a/[^/]+/import"))
    base = server + "/" + "/".join(urlparse(page.url).path.split("/")[1:3])
    return context, page, base


def import_strong(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/import")
    page.set_input_files("#files", str(STRONG))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r"/jobs/"))
    page.get_by_text("Done.").wait_for(timeout=120_000)


def test_a_new_account_sees_nothing_of_a_deleted_one(browser, server, shot) -> None:
    a_ctx, a, a_base = sign_up(browser, server, "Ada Lifter", "ada@example.com")
    d_ctx, d, d_base = sign_up(browser, server, "Dee Lifter", "dee@example.com")
    import_strong(a, a_base)
    import_strong(d, d_base)
    d.goto(f"{d_base}/")
    d.get_by_role("heading", name="Why does your upper back hurt?").wait_for()
    assert not d.get_by_text("No workouts yet").count()
    d.goto(f"{server}/account")
    d.locator("summary", has_text="Delete my account").click()
    d.locator("#del-pw").fill(PASSWORD)
    d.locator("#del-confirm").fill("DELETE")
    d.get_by_role("button", name="Delete everything").click()
    d.wait_for_url(re.compile(r"/signup\?deleted=1"))
    import_strong(a, a_base)  # A imports in between (the same number of sets as D had)
    e_ctx, e, e_base = sign_up(browser, server, "Eve Lifter", "eve@example.com")
    assert e_base != d_base
    e.goto(f"{e_base}/")
    e.get_by_text("No workouts yet").wait_for()
    shot(e, "new-account-after-a-deletion")
    e.goto(f"{e_base}/report")
    assert "Bench Press" not in e.content()
    assert e.goto(f"{d_base}/").status == 404  # type: ignore[union-attr]
    # undo A's import from the import page: the button deletes it, the dashboard empties
    a.goto(f"{a_base}/import")
    a.get_by_role("button", name=re.compile(r"^Undo ")).first.click()
    a.get_by_text(re.compile(r"undone: [\d,]+ sets")).wait_for()
    shot(a, "import-undone")
    for ctx in (a_ctx, d_ctx, e_ctx):
        ctx.close()
