"""Plain text -> Markdown that renders back to exactly that text.

Article text is plain text: a `*`, `_` or `[x]` in it is a character, not markup.
`escape` backslash-escapes what a CommonMark renderer (with GFM strikethrough and
tables) would otherwise read as markup, and only that, so the Markdown file stays
readable: emphasis, code, link and strikethrough characters and backslashes
everywhere; `&` only where it would start an entity (`&amp;`); `<` only where it
would start a tag or an autolink; and at the start of a paragraph the characters
that would open a heading (`#`), a quote (`>`), a list (`-`, `+`, `1.`, `1)`) or a
thematic break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.importer.clean import Paragraph

_ANYWHERE_RE = re.compile(r"([\\`*_\[\]~])")
_ENTITY_RE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])")
_LEADING_RE = re.compile(r"^(?:([#>+-])|(\d{1,9})([.)])(?=\s|$))")


def escape(text: str) -> str:
    """`text` (one paragraph, no line breaks) as Markdown that renders to the same characters."""
    out = _ANYWHERE_RE.sub(r"\\\1", text.strip())
    out = _ENTITY_RE.sub(r"\\&", out)
    out = _TAG_RE.sub(r"\\<", out)
    return _LEADING_RE.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", out, count=1)


def body(paragraphs: Sequence[Paragraph]) -> str:
    """The article body: one Markdown paragraph per paragraph, blank lines between; bullets make a list."""
    out = []
    for i, paragraph in enumerate(paragraphs):
        if i:
            out.append("\n" if paragraph.bullet and paragraphs[i - 1].bullet else "\n\n")
        out.append(f"- {escape(paragraph.text)}" if paragraph.bullet else escape(paragraph.text))
    return "".join(out)
