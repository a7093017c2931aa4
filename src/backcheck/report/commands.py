"""Report text that names a CLI command, said the web app's way.

The core's sentences are written for the terminal ("Run `backcheck triage` again if anything
changes"). The terminal shows them as they are; a web page says the same with a link to the
page that does it ("Answer the red-flag questions again ..."). One mapping, so no analysis
code is duplicated for the web: `web_text(text, base=...)`.
"""

from __future__ import annotations

import re
from typing import Final

from markupsafe import Markup, escape

#: Command (its first words) -> (what the link says, the page under the athlete's base URL).
WEB_PAGES: Final = {
    "triage": ("the red-flag questions", "/triage"),
    "pain log": ("the pain diary", "/pain"),
    "pain import": ("the pain diary", "/pain"),
    "pain": ("the pain diary", "/pain"),
    "recovery import": ("Sleep & recovery", "/recovery"),
    "recovery": ("Sleep & recovery", "/recovery"),
    "import": ("Import", "/import"),
    "video": ("Form check", "/videos"),
    "plan": ("the Plan page", "/plan"),
    "progress": ("Progress", "/progress"),
    "why": ("Why it hurts", "/"),
}
#: Words before a command -> the words the web says instead ({} = the link).
VERBS: Final = {
    "run": "open {}",
    "with": "on {}",
    "use": "use {}",
    "look at": "look at {}",
    "start one with": "start one on {}",
}
#: The red-flag questions are answered, not opened.
TRIAGE_VERBS: Final = {"run": "answer {}", "with": "with {}"}
#: Options that only the CLI has, said as what to do in the web app.
OPTIONS: Final = (
    (
        "pass --unit lb if this export is in pounds",
        "choose lb as the unit if this export is in pounds",
    ),
    ("pass --unit kg", "choose kg as the unit"),
)

#: Options of the diary entries, said as the web form's field names.
FIELDS: Final = {"--date": "Day", "--level": "Level", "--where": "Region", "--note": "Note"}
_FIELD = re.compile(r"(?<![\w-])(--date|--level|--where|--note)\b")

_COMMAND = re.compile(
    r"(?:\b(?P<verb>[Rr]un|[Ww]ith|[Uu]se|[Ll]ook at|[Ss]tart one with)\s+)?"
    r"`backcheck (?P<cmd>[^`]+)`"
)
#: Sentences that already say "the red-flag questions" before the command: link the words.
_FIRST = re.compile(
    r"(?P<lead>Answer the red-flag questions first|have not been answered): run `backcheck triage`"
)
_CODE = re.compile(r"`([^`]+)`")


def _page(cmd: str) -> tuple[str, str] | None:
    words = cmd.split()
    for n in range(len(words), 0, -1):
        found = WEB_PAGES.get(" ".join(words[:n]))
        if found is not None:
            return found
    return None


def _link(words: str, href: str) -> Markup:
    return Markup('<a href="%s">%s</a>') % (href, words)


def _plain(text: str) -> Markup:
    """Escaped text; any other `code` span as <code> (an option name, an exercise key)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return escape(text)
    return Markup("").join(
        Markup("<code>%s</code>") % p if i % 2 else escape(p) for i, p in enumerate(parts)
    )


def web_text(text: object, base: str = "") -> Markup:
    """`text` escaped for a web page, each "`backcheck X`" (with the verb before it) as a
    link to the page under `base` (the athlete's URL prefix, e.g. "/a/me") that does X;
    CLI-only options said as what to do on the page, the diary's options (--date ...) as
    the form's fields (Day ...). Unknown commands lose their CLI syntax
    ("the `backcheck export` command" -> "export")."""
    raw = str(text)
    for cli, web in OPTIONS:
        raw = raw.replace(cli, web)
    raw = _FIELD.sub(lambda m: FIELDS[m[1]], raw)
    out: list[Markup] = []
    pos = 0
    first = _FIRST.search(raw)
    if first:
        out.append(_plain(raw[: first.start()]))
        if first["lead"].startswith("Answer"):
            out.append(_link("Answer the red-flag questions", base + "/triage") + " first")
        else:
            out.append(escape(first["lead"] + ": ") + _link("answer them", base + "/triage"))
        pos = first.end()
    for m in _COMMAND.finditer(raw, pos):
        out.append(_plain(raw[pos : m.start()]))
        pos = m.end()
        page = _page(m["cmd"])
        if page is None:
            out.append(escape((m["verb"] + " " if m["verb"] else "") + m["cmd"].split(" -")[0]))
            continue
        words, path = page
        link = _link(words, base + path)
        verb = m["verb"]
        if verb is None:
            out.append(link)
            continue
        verbs = TRIAGE_VERBS if path == "/triage" else VERBS
        said = verbs.get(verb.lower(), VERBS.get(verb.lower(), "{}"))
        if verb[0].isupper():
            said = said[0].upper() + said[1:]
        head, _, tail = said.partition("{}")
        out.append(escape(head) + link + escape(tail))
    out.append(_plain(raw[pos:]))
    return Markup("").join(out)


def has_cli_syntax(text: str) -> bool:
    """True when `text` still names a CLI command or option (what a web page must not show)."""
    return "`backcheck" in text or bool(re.search(r"(?<![\w-])--[a-z]", text))


__all__ = ["WEB_PAGES", "has_cli_syntax", "web_text"]
