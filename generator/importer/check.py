"""Self-check of an imported article: does its text still look like page chrome?

Cleaning removes the page's furniture; when the page had a shape nobody foresaw,
some may be left in the text. Each finding is a warning naming the input and the
line the paragraph came from, e.g. `dump.txt:41: the text holds a gallery counter
('2 / 5')`; with `digest import --strict` it is an error and the article is not
written. The checks work on a clean `Article`, whatever input it came from.
"""

from __future__ import annotations

import re

from generator.errors import ContentError
from generator.importer.clean import Article
from generator.importer.lines import (
    bullet_text,
    dateline,
    is_counter,
    is_label,
    is_stamp,
    placeholder_field,
    read_more_text,
    split_credit,
)

_PREVIEW = 60
_WORDS_RE = re.compile(r"\w+")
# Looser than the datelines cleaning understands: a word in capitals, maybe a date and an agency, then a
# colon or a dash (`BEIRUT, 14 November (Reuters) -`, `CAIRO -`).
_DATELINE_LIKE_RE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-/ ]{2,30}(?:,[^:()–—-]{1,25})?\s*(?:\([^()]{1,30}\))?\s*[:–—-]\s")


def check(article: Article, where: str) -> tuple[ContentError, ...]:
    """One `ContentError` (used as a warning) per paragraph that still looks like chrome, in text order."""
    found: list[ContentError] = []

    def warn(line: int | None, what: str, text: str) -> None:
        shown = text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "…"
        found.append(ContentError(where, line or article.line, None, f"{what} ({shown!r})"))

    paragraphs = article.paragraphs
    title = _WORDS_RE.findall(article.title.casefold())
    if paragraphs and title and _WORDS_RE.findall(paragraphs[0].text.casefold())[: len(title)] == title:
        warn(paragraphs[0].line, "the text starts with the headline", paragraphs[0].text)
    if paragraphs and not paragraphs[0].bullet and (
            dateline(paragraphs[0].text) is not None or _DATELINE_LIKE_RE.match(paragraphs[0].text)):
        warn(paragraphs[0].line, "the first paragraph still opens with a dateline", paragraphs[0].text)
    for paragraph in paragraphs:
        what = _chrome(paragraph.text, bullet=paragraph.bullet)
        if what is not None:
            warn(paragraph.line, what, paragraph.text)
    return tuple(found)


def _chrome(text: str, *, bullet: bool) -> str | None:
    """What kind of page chrome a paragraph is, or None when it reads as text."""
    stripped = text.strip()
    if stripped.casefold() in ("short url", "follow") or is_stamp(stripped):
        return "the text holds a page header line"
    if is_counter(stripped):
        return "the text holds a gallery counter"
    if not bullet and bullet_text(stripped) is not None:
        return "the text holds a bullet highlight"
    if is_label(stripped):
        return "the text holds a box label"
    if read_more_text(stripped) is not None:
        return "the text holds a READ MORE line"
    if placeholder_field(stripped) is not None:
        return "the text holds a scraper placeholder"
    if split_credit(stripped) is not None:
        return "the text holds a photo caption with a credit"
    return None
