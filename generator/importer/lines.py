"""Recognisers for single lines of a dump, shared by `segment` and `clean`.

They answer one question each about one stripped line: is it page chrome, is it
a photo caption (and with which credit), is it a bullet, does it end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.site import urls

# Page furniture the scraper copied as lines of their own.
_CHROME_WORDS = frozenset({"short url", "follow", "update"})
# A gallery counter ("1 / 2") or a separator line ("--------").
_CHROME_RE = re.compile(r"\d{1,3}\s*/\s*\d{1,3}|[-–—_=*~]{3,}")
# A standalone paragraph ending with a parenthesised credit is a photo caption:
# "... at Baghdad airport. (Reuters)", "(AFP/File)", "(Getty Images)", "(AN Photo/Huda Bashatah)".
# The credit starts with a capital (or @), has at most six words and no brackets.
_CREDIT_RE = re.compile(r"(?P<caption>.*?\S)\s*\((?P<credit>[A-Z@][^()\[\]]{0,48})\)")
_CREDIT_MAX_WORDS = 6
# Gallery slides are sometimes prefixed with the word "Update".
_UPDATE_PREFIX_RE = re.compile(r"Update\s+(?=\S)")
_BULLET_RE = re.compile(r"[•●▪◦‣]\s*(?P<text>.*)")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_SENTENCE_END_RE = re.compile(r"[.!?…:]['\"”’»)\]]*$")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a dump: its 1-based number and its text without the line ending or trailing space."""

    number: int
    text: str


def is_chrome(text: str) -> bool:
    """`Short Url`, `Follow`, a lone `Update`, a `1 / 2` counter or a `--------` separator."""
    stripped = text.strip()
    return stripped.casefold() in _CHROME_WORDS or _CHROME_RE.fullmatch(stripped) is not None


def is_counter(text: str) -> bool:
    return re.fullmatch(r"\d{1,3}\s*/\s*\d{1,3}", text.strip()) is not None


def has_update_prefix(text: str) -> bool:
    return _UPDATE_PREFIX_RE.match(text.strip()) is not None


def without_update_prefix(text: str) -> str:
    stripped = text.strip()
    return _UPDATE_PREFIX_RE.sub("", stripped, count=1)


def split_credit(text: str) -> tuple[str, str] | None:
    """`(caption, credit)` when `text` is a caption ending with a credit in brackets, else None."""
    match = _CREDIT_RE.fullmatch(text.strip())
    if match is None:
        return None
    caption, credit = match["caption"], " ".join(match["credit"].split())
    if len(credit.split()) > _CREDIT_MAX_WORDS or len(caption.split()) < 2:
        return None
    return caption, credit


def bullet_text(text: str) -> str | None:
    """The text of a bullet line (`  • ...`), or None when `text` is not one."""
    match = _BULLET_RE.fullmatch(text.strip())
    return match["text"].strip() if match else None


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END_RE.search(text.rstrip()) is not None


def norm(text: str) -> str:
    """`text` with runs of white space made one space and case folded: for comparing repeats."""
    return " ".join(text.split()).casefold()


def slugify(text: str) -> str:
    """A file-name slug for a headline or city: `urls.slugify`, cut within 80 characters."""
    return urls.slugify(text, limit=80)
