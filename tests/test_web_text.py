"""Web pages speak the web's language: no CLI syntax ("Run `backcheck triage`"), no internal
cause keys, the person's display name; the terminal keeps its CLI wording."""

from __future__ import annotations

import re

import pytest

from backcheck.analysis.triage import ANSWER
from backcheck.plan.build import NOT_ASKED
from backcheck.report.commands import has_cli_syntax, web_text
from backcheck.report.terminal import CAUSE_TITLE
from test_web_pages import finished, page_upload
from webtools import STRONG, Web, settings_fixture, web_fixture  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def visible(html: str, sep: str = " ") -> str:
    """The page's text as a reader sees it (tags, scripts and styles removed)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", sep, html)
    return re.sub(r"<[^>]+>", sep, html)


@pytest.mark.parametrize(
    ("text", "said", "href"),
    [
        (
            "Run `backcheck triage` again if anything changes.",
            "Answer the red-flag questions again if anything changes.",
            "/a/ann/triage",
        ),
        (ANSWER, "Answer the red-flag questions first (about a minute).", "/a/ann/triage"),
        (
            NOT_ASKED.split(" before")[0],
            "The red-flag questions have not been answered: answer them",
            "/a/ann/triage",
        ),
        (
            "Import it with `backcheck recovery import`.",
            "Import it on Sleep & recovery.",
            "/a/ann/recovery",
        ),
        ("start one with `backcheck plan --save`", "start one on the Plan page", "/a/ann/plan"),
    ],
)
def test_commands_become_words_with_a_link(text: str, said: str, href: str) -> None:
    html = str(web_text(text, "/a/ann"))
    assert f'href="{href}"' in html
    assert visible(html, "").replace("&amp;", "&") == said
    assert not has_cli_syntax(visible(html)) and has_cli_syntax(text)


def test_other_text_is_escaped_and_keeps_its_code_spans() -> None:
    assert str(web_text("<b>x</b> `bench-press`", "/a/ann")) == (
        "&lt;b&gt;x&lt;/b&gt; <code>bench-press</code>"
    )
    assert "--unit" not in str(web_text("pass --unit lb if this export is in pounds"))


def test_pages_show_no_cli_syntax_no_keys_and_the_display_name(web: Web) -> None:
    base = f"/a/{web.athlete}"
    job = page_upload(web, f"{base}/import", [STRONG]).headers["location"]
    finished(web, job)
    # red-flag questions not answered yet: the pages that say so must not show CLI syntax
    pages = {p: web.client.get(base + p) for p in ("/", "/report", "/plan", "/progress")}
    for path, r in pages.items():
        assert r.status_code == 200, path
        text = visible(r.text)
        assert not has_cli_syntax(text), (path, re.findall(r".{60}`backcheck.{40}", text))
        assert "backcheck triage" not in text, path
    assert f'href="{base}/triage"' in pages["/"].text
    assert f'href="{base}/triage"' in pages["/plan"].text
    report = visible(pages["/report"].text)
    assert "Report for  Ann" in report and web.athlete not in report.split("Report for")[1][:40]
    lead = re.search(r'<p class="lead">(.*?)</p>', pages["/plan"].text, re.S)
    assert lead
    badges = re.findall(r'<span class="badge[^"]*">([^<]+)</span>', lead.group(1))
    assert badges and all(b.replace("&amp;", "&") in CAUSE_TITLE.values() for b in badges)


def test_the_terminal_keeps_the_cli_wording() -> None:
    from backcheck.report.html import code_spans

    assert "<code>backcheck triage</code>" in str(code_spans(ANSWER))
