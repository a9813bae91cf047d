"""Plain prose rendered as markdown-it-py renders it, without running markdown-it-py.

What `digest import` writes is mostly plain paragraphs: lines of prose with
curly quotes, blank lines between paragraphs, and now and then a backslash
escape (`\\*`, `\\[`, `1\\.`). `render` returns the HTML and the first
paragraph's text of such a body, exactly as `pages.render.make_markdown()` and
`site.parse._first_paragraph` would give them, or None when the body is not
provably plain; the caller then runs markdown-it-py. A body is plain when:

- it has no tab, carriage return or NUL (markdown-it-py normalises them);
- outside backslash escapes of ASCII punctuation (which render as the character)
  it has no backslash, `*`, `_`, `` ` ``, `[`, `]`, `|` or `~`; no `&` that could
  start an entity (`&` + letters/digits + `;`); no `<` but one followed by a
  space (no autolink can start there; raw HTML is off);
- every line that is not blank (spaces only) starts with neither whitespace nor
  a character that could open a block (`#`, `>`, `+`, `-`, `*`, `=`, `_`, `~`,
  `` ` ``, `:`, `|`, `<`, digits followed by `.` or `)`), and does not end in
  whitespace (so no hard breaks, nothing for the paragraph rule to trim).

Each run of non-blank lines is then one paragraph, `<p>` + its text with
escapes resolved and `&<>"` escaped + `</p>`. `tests/test_fastmd.py` compares
this with markdown-it-py byte for byte under hypothesis and on every article of
the benchmark corpora and the fixtures.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # backslash + ASCII punctuation
_SPECIAL = "\\*_`[]|~\t\r\x00&<"  # a body with none of these needs no closer look
_UNSAFE = re.compile(r"[\\*_`\[\]|~\t\r\x00]|&(?=#?[0-9A-Za-z]+;)|<(?! )")
_OPENS_BLOCK = frozenset("#>+-*=_~`:|<")
_DIGITS = frozenset("0123456789")
_LIST_NUMBER = re.compile(r"[0-9]+[.)]")


def render(body: str) -> tuple[str, str] | None:
    """(HTML, first paragraph's text) of a plain-prose `body`, or None if markdown-it-py must render it."""
    escapes = "\\" in body
    for char in _SPECIAL:
        if char in body:
            if _UNSAFE.search(_ESCAPE.sub("a", body) if escapes else body):
                return None
            break
    paragraphs: list[list[str]] = []
    current: list[str] | None = None
    for line in body.split("\n"):
        if not line or (line[0] == " " and not line.strip(" ")):
            current = None  # a blank line ends a paragraph
            continue
        first = line[0]
        if (first in _OPENS_BLOCK or first.isspace() or line[-1].isspace()
                or (first in _DIGITS and _LIST_NUMBER.match(line))):
            return None
        if current is None:
            paragraphs.append(current := [line])
        else:
            current.append(line)
    texts = ["\n".join(lines) for lines in paragraphs]
    if escapes:
        texts = [_ESCAPE.sub(_unescape, text) for text in texts]
    html = "".join(["<p>" + _escape_html(text) + "</p>\n" for text in texts])
    return html, texts[0].replace("\n", " ") if texts else ""


def lead_end(html: str) -> int:
    """Where the first paragraph of `render`'s HTML ends, as `site.parse._lead_end` finds it (0 for no text):
    plain prose is top-level paragraphs, each `<p>...</p>\n` with its text escaped."""
    return html.index("</p>\n") + len("</p>\n") if html else 0


def _unescape(match: re.Match[str]) -> str:
    return match[1]


def _escape_html(text: str) -> str:
    if "&" not in text and "<" not in text and ">" not in text and '"' not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
