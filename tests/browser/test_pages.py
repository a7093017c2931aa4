"""People's paths through the web app in a real Chromium against a real `backcheck serve`:
sign up, upload a real export, the dashboard, the body map, the plan's calendar, a form check.
Each step is also photographed at desktop width and at a 390 px phone width."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
HEVY = DATA / "logs" / "hevy" / "dakheera47_sample_hevy.csv"
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def account(browser, server):
    """A signed-up user's browser context (desktop) and their athlete's base URL."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server}/signup")
    page.get_by_label("Your name").fill("Ann Lifter")
    page.get_by_label("Email").fill("ann@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/a/[^/]+/import"))
    base = server + "/" + "/".join(urlparse(page.url).path.split("/")[1:3])
    page.close()
    yield context, base
    context.close()


def test_sign_up_page(browser, server, shot) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/signup")
    assert page.get_by_label("Time zone").input_value()  # filled from the browser
    shot(page, "signup-phone")
    page.close()


def test_upload_export_then_dashboard(account, shot) -> None:
    context, base = account
    page = context.new_page()
    page.goto(f"{base}/import")
    page.set_input_files("#files", str(HEVY))
    assert HEVY.name in page.locator("[data-chosen]").inner_text()
    shot(page, "import-chosen")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/jobs/"))
    page.get_by_text("Done.").wait_for(timeout=120_000)
    assert "4 rows skipped" in page.content()
    shot(page, "import-summary")
    page.get_by_role("link", name="See why it hurts").click()
    page.get_by_role("heading", name="Why does your upper back hurt?").wait_for()
    assert page.locator("svg.chart-svg").count() >= 5
    assert page.get_by_text("Red flags not checked yet").is_visible()
    shot(page, "dashboard")
    page.set_viewport_size(PHONE)
    shot(page, "dashboard-phone")
    page.close()


def test_log_pain_on_the_body_map(account, shot) -> None:
    context, base = account
    page = context.new_page()
    page.goto(f"{base}/pain")
    page.locator('[data-region="between-shoulder-blades"]').click()
    assert page.locator('input[name=region][value="between-shoulder-blades"]').is_checked()
    assert "on" in page.locator('[data-region="between-shoulder-blades"]').get_attribute("class")
    slider = page.get_by_label(re.compile("How much"))
    slider.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert page.locator("[data-level-out]").inner_text() == "6"
    page.get_by_label("Note").fill("after heavy rows")
    shot(page, "pain-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    row = page.locator("table tbody tr").first.inner_text()
    assert "6" in row and "Between the shoulder blades" in row and "after heavy rows" in row
    # keyboard only: the region list is a radio group
    page.locator('input[name=region][value="neck"]').focus()
    page.keyboard.press("ArrowRight")
    checked = page.locator("input[name=region]:checked").get_attribute("value")
    assert checked != "neck"
    assert "on" in page.locator(f'[data-region="{checked}"]').get_attribute("class")
    page.set_viewport_size(PHONE)
    shot(page, "pain-phone")
    page.close()


def test_triage_then_plan_calendar(account, shot, tmp_path: Path) -> None:
    pytest.importorskip("backcheck.plan", reason="backcheck.plan is not written yet")
    context, base = account
    page = context.new_page()
    page.goto(f"{base}/triage")
    for radio in page.locator('input[type=radio][value="no"]').all():
        radio.check()
    shot(page, "triage")
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_role("heading", name="No red flags").wait_for()
    page.goto(f"{base}/plan")
    page.get_by_role("heading", name="Your corrective plan").wait_for()
    sessions = page.locator("article.session").count()
    assert sessions > 0
    shot(page, "plan")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Add to my calendar")).click()
    target = tmp_path / "plan.ics"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") == sessions + 1
    page.set_viewport_size(PHONE)
    shot(page, "plan-phone")
    page.close()


def test_start_the_plan_then_progress_and_summary(account, shot, tmp_path: Path) -> None:
    context, base = account
    page = context.new_page()
    page.goto(f"{base}/plan")
    page.get_by_role("button", name="Start this plan").click()
    page.wait_for_url(re.compile(r"/progress\?started=1"))
    page.get_by_role("heading", name="Did the plan help?").wait_for()
    assert page.get_by_text("Plan started.").is_visible()
    shot(page, "progress")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "progress-phone")
    page.goto(f"{base}/summary")
    page.get_by_role("heading", name=re.compile("summary for a professional")).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "summary-phone")
    sizes = {"A4": "(A4)", "Letter": "(letter)"}  # as pdfinfo names the page size
    for paper, size in sizes.items():  # the print CSS works on both papers
        pdf = tmp_path / f"summary-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        assert pdf.read_bytes().startswith(b"%PDF")
        if shutil.which("pdfinfo"):
            info = subprocess.run(
                ["pdfinfo", str(pdf)], check=False, capture_output=True, text=True
            ).stdout
            assert size in info and 2 <= int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 8
    page.close()


def test_form_check_from_landmarks(account, shot, tmp_path: Path) -> None:
    pytest.importorskip("backcheck.video", reason="backcheck.video is not written yet")
    from webtools import pushup_csv

    csv_path = pushup_csv(tmp_path / "pushups.csv", reps=3)
    context, base = account
    page = context.new_page()
    page.goto(f"{base}/videos")
    page.set_input_files("#video-file", str(csv_path))
    page.get_by_label("Exercise").select_option("push-up")
    page.get_by_role("button", name="Check my form").click()
    page.wait_for_url(re.compile(r"/jobs/"))
    table = page.locator("table[data-reps]")
    table.wait_for(timeout=120_000)
    assert table.locator("tbody tr").count() == 3
    shot(page, "form-check")
    page.set_viewport_size(PHONE)
    shot(page, "form-check-phone")
    page.close()


def test_other_pages_on_a_phone(account, shot) -> None:
    context, base = account
    page = context.new_page()
    page.set_viewport_size(PHONE)
    for name, path in (
        ("recovery", "/recovery"),
        ("exercises", "/exercises"),
        ("account", "/account"),
    ):
        page.goto(base + path if path != "/account" else base.rsplit("/a/", 1)[0] + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        shot(page, f"{name}-phone")
    page.close()


def test_oversize_upload_refused_before_the_body(account, server) -> None:
    """A raw request declaring 10 GB gets 413 at once, without sending any body."""
    context, base = account
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    host, port = urlparse(server).hostname, urlparse(server).port
    path = urlparse(base).path + "/import"
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookies}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {10 * 1024**3}\r\n\r\n".encode()
        )
        head = s.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head
