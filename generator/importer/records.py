"""Scraper records -> raw articles, the same intermediate the dump path makes, then `clean`.

A JSON input is one record, an array of records, or JSON Lines (one record a
line). A record is what a scraper writes for one page:

| our field | news-please | trafilatura | newspaper4k `to_json()` |
|---|---|---|---|
| title | `title` (`title_page`, `title_rss`) | `title` | `title` |
| text | `maintext` (`text`) | `text` | `text` |
| date | `date_publish` (`date_modify`) | `date` | `publish_date` |
| url | `url` | `source` | `canonical_link` (`url`) |
| author | `authors` | `author` (`sitename`, `source-hostname`) | `authors` (`meta_site_name`) |

Missing values may be `null`, `""`, or the string `"None"` (news-please writes
its dates with `str()`, so a missing one is `"None"`). Dates are ISO 8601: a
day, or a date-time with or without an offset (`2024-11-15 10:32:00`, news-please;
`2024-11-15T10:32:00+03:00`, newspaper4k). A time without an offset is in the
site's time zone, like a dump's `Updated` time; a naive midnight is a day alone
(news-please's value when the page gave no time).

The text is then cleaned exactly like a dump's body: the headline repeated at
its top, the `Short Url · Updated ... · Follow` strip and headings of links to
other stories ("Most popular", "Related", with any list under them) are dropped,
list items (`- ...`, trafilatura's) are bullets, and `clean` finds the dateline,
captions, boxes, READ MORE lines and broken sentences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, tzinfo
from typing import Any

from generator.errors import ContentError
from generator.importer.clean import Article, Image, clean
from generator.importer.detect import HTML, JSON_LINES
from generator.importer.lines import Line, norm, split_credit
from generator.importer.page import page_record
from generator.importer.segment import RawArticle, parse_stamp
from generator.site.urls import is_web_url

TITLE_KEYS = ("title", "title_page", "title_rss")
TEXT_KEYS = ("maintext", "text")
DATE_KEYS = ("date_publish", "publish_date", "date", "date_modify")
URL_KEYS = ("canonical_link", "url", "source")
AUTHOR_KEYS = ("authors", "author")
SITE_KEYS = ("sitename", "source-hostname", "meta_site_name")
MISSING = frozenset({"", "none", "null"})
NOT_AN_ARTICLE = ("is JSON but not a scraped article (a news-please, trafilatura or newspaper4k record "
                  "has a title and a text: maintext or text)")

_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_STRIP_SPLIT_RE = re.compile(r"\s*[·|•]\s*")
_STRIP_WORDS = frozenset({"short url", "follow"})
_LIST_ITEM_RE = re.compile(r"[-*•]\s+(?=\S)")
# A heading of links to other stories: it and the list under it are the page's, not the article's.
_LINKS_HEADING_RE = re.compile(
    r"(?:most (?:popular|read|viewed|shared)|trending(?: now)?|popular (?:now|stories)|related(?: articles| stories| "
    r"news| coverage)?|read (?:also|next)|also read|more (?:stories|news|from \S.*)|you (?:may|might) also like|"
    r"recommended(?: for you)?|latest (?:news|stories)|top stories)\s*:?", re.IGNORECASE)


def json_records(text: str, kind: str, where: str) -> tuple[list[tuple[int, Any]], list[ContentError]]:
    """`(line, value)` for each record of a JSON or JSON Lines text, and the JSON Lines lines that do not parse.

    Raises `ContentError` when the text as a whole is broken JSON or holds no article at all.
    """
    records: list[tuple[int, Any]] = []
    broken: list[ContentError] = []
    try:
        if kind == JSON_LINES:
            for number, line in enumerate(text.split("\n"), start=1):
                if line.strip():
                    try:
                        records.append((number, json.loads(line)))
                    except json.JSONDecodeError as exc:
                        broken.append(ContentError(where, number, None, f"not JSON: {exc.msg} (column {exc.colno})"))
        elif text.lstrip().startswith("["):
            records = _array(text)
        else:
            records = [(text.count("\n", 0, len(text) - len(text.lstrip())) + 1, json.loads(text))]
    except json.JSONDecodeError as exc:
        raise ContentError(where, exc.lineno, None, f"not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ContentError(where, None, None, "is JSON nested too deep to be an article") from None
    if not broken and not any(_looks_like_article(value) for _, value in records):
        raise ContentError(where, None, None, NOT_AN_ARTICLE)
    return records, broken


def _array(text: str) -> list[tuple[int, Any]]:
    """The items of a JSON array with the line each starts on (decoded one by one for that)."""
    json.loads(text)  # the whole must be JSON: this reports the first error with its line
    decoder = json.JSONDecoder()
    out = []
    at = _skip_space(text, text.index("[") + 1)
    while text[at] != "]":
        value, end = decoder.raw_decode(text, at)
        out.append((text.count("\n", 0, at) + 1, value))
        at = _skip_space(text, end)
        if text[at] == ",":
            at = _skip_space(text, at + 1)
    return out


def _skip_space(text: str, at: int) -> int:
    while text[at] in " \t\r\n":
        at += 1
    return at


def _looks_like_article(value: Any) -> bool:
    return isinstance(value, Mapping) and any(k in value for k in TITLE_KEYS) and any(k in value for k in TEXT_KEYS)


_RECORD_MISSING = {
    "title": "is missing or empty (the article's headline is required)",
    "text": "is missing or empty: article {title!r} has no text",
    "date": "article {title!r} has no date (news-please: date_publish, trafilatura: date, newspaper4k: publish_date)",
}
_PAGE_MISSING = {
    "title": "the page has no headline (no og:title, JSON-LD headline, <title> or <h1>)",
    "text": "the page {title!r} has no article text that trafilatura could find",
    "date": "the page {title!r} gives no date (no article:published_time, JSON-LD datePublished or <time datetime>)",
}


def article(record: Any, where: str, line: int | None, tz: tzinfo, captions: Sequence[str] = (), *,
            page: bool = False) -> Article:
    """One scraper record as a clean article, or `ContentError` naming the record's line and field.

    `captions` are photo captions found beside the text (an HTML page's `<figcaption>`s); `page`
    says the record is trafilatura's reading of an HTML page, for the messages.
    """
    missing = _PAGE_MISSING if page else _RECORD_MISSING
    if not isinstance(record, Mapping):
        raise ContentError(where, line, None, f"{_kind(record)} is not an article record (write one JSON object "
                           "per article, with title, text or maintext, and a date)")
    if not _looks_like_article(record):
        raise ContentError(where, line, None, NOT_AN_ARTICLE.replace("is JSON but not", "this record is not"))
    _key, title = _first_text(record, TITLE_KEYS, where, line)
    if title is None:
        raise ContentError(where, line, None if page else "title", missing["title"])
    title = " ".join(title.split())
    _key, text = _first_text(record, TEXT_KEYS, where, line)
    if text is None:
        key = next((k for k in TEXT_KEYS if k in record), "text")
        raise ContentError(where, line, None if page else key, missing["text"].format(title=title))
    date_key, stamp = _first_text(record, DATE_KEYS, where, line)
    if stamp is None:
        raise ContentError(where, line, None if page else "date", missing["date"].format(title=title))
    published = _published(stamp, date_key or "date", tz, where, line)
    raw = RawArticle(title, line or 1, published, (), _body(text, title, tz, line or 1))
    cleaned = clean(raw, where)
    images = tuple(_image(caption) for caption in captions)
    seen = {norm(image.caption) for image in images}
    images += tuple(image for image in cleaned.images if norm(image.caption) not in seen)
    return replace(cleaned, images=images, author=_author(record, where, line), url=_url(record))


def _image(caption: str) -> Image:
    split = split_credit(caption)
    return Image(*split) if split else Image(caption)


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip().casefold() in MISSING)


def _first_text(record: Mapping[str, Any], keys: Sequence[str], where: str,
                line: int | None) -> tuple[str | None, str | None]:
    """The first key of `keys` with a value, and that value as text (controls removed); (None, None) if none."""
    for key in keys:
        value = record.get(key)
        if not _present(value):
            continue
        if not isinstance(value, str):
            raise ContentError(where, line, key, f"{json.dumps(value)[:60]} is {_kind(value)}, not text")
        value = _CONTROL_RE.sub(" ", value)
        if value.strip():
            return key, value
    return None, None


def _published(stamp: str, key: str, tz: tzinfo, where: str, line: int | None) -> date | datetime:
    text = stamp.strip()
    if not _DAY_RE.match(text):
        raise ContentError(where, line, key, f"{text!r} is not a date (write 2024-11-15, 2024-11-15 10:32:00 or "
                           "2024-11-15T10:32:00+03:00)")
    try:
        when = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError as exc:
        raise ContentError(where, line, key, f"{text!r} is not a real date ({exc})") from None
    if not isinstance(when, datetime):
        return when
    if when.tzinfo is None:
        return when.date() if when.time() == time(0) else when.replace(tzinfo=tz)
    return when


def _body(text: str, title: str, tz: tzinfo, line: int) -> tuple[Line, ...]:
    """The text's lines as a dump body: the repeated headline, the header strip and lists of links to other
    stories ("Most popular" and its items) dropped; list items as bullets."""
    lines = [raw.strip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [text for text in lines if text and not _is_header_strip(text, tz)]
    out: list[Line] = []
    links = False  # inside the list under a "Most popular" heading
    for stripped in lines:
        item = _LIST_ITEM_RE.match(stripped)
        if _LINKS_HEADING_RE.fullmatch(stripped):  # trafilatura often keeps the heading, not its links
            links = True
            continue
        links = links and item is not None
        if links or (not out and norm(stripped) == norm(title)):  # the headline at the top of the text
            continue
        out.append(Line(line, f"• {stripped[item.end():]}" if item else stripped))
    return tuple(out)


def _is_header_strip(text: str, tz: tzinfo) -> bool:
    """`Short Url · Updated 15 November 2024 · Follow`, or any of its parts alone."""
    parts = [p for p in _STRIP_SPLIT_RE.split(text) if p]
    if not parts:
        return False
    for part in parts:
        if part.casefold() in _STRIP_WORDS:
            continue
        try:
            if parse_stamp(part, tz, "", 0) is None:
                return False
        except ContentError:
            pass  # an impossible date in the strip is still the strip
    return True


def _author(record: Mapping[str, Any], where: str, line: int | None) -> str | None:
    """The byline: the authors joined with commas; else the site's name; None when the record has neither."""
    for key in AUTHOR_KEYS:
        value = record.get(key)
        names = value if isinstance(value, list) else [value]
        kept = [" ".join(_CONTROL_RE.sub(" ", n).split()) for n in names if isinstance(n, str) and _present(n)]
        kept = list(dict.fromkeys(n for n in kept if n))
        if kept:
            return ", ".join(kept)
    _key, site = _first_text(record, SITE_KEYS, where, line)
    return " ".join(site.split()) if site else None


def _url(record: Mapping[str, Any]) -> str | None:
    """The original page's address: the first http(s) URL among the record's URL fields (others are dropped)."""
    for key in URL_KEYS:
        value = record.get(key)
        if isinstance(value, str) and is_web_url(value.strip()):
            return value.strip()
    return None


def read_scraped(text: str, kind: str, where: str, tz: tzinfo) -> tuple[list[Article], list[ContentError]]:
    """The articles of a JSON, JSON Lines or HTML input, and the records that could not be read.

    Raises `ContentError` when the input as a whole is unusable (broken JSON, no article
    in it, HTML without the extra installed).
    """
    captions: tuple[str, ...] = ()
    if kind == HTML:
        record, captions = page_record(text, where)
        records: list[tuple[int | None, Any]] = [(None, record)]
        errors: list[ContentError] = []
    else:
        found, errors = json_records(text, kind, where)
        records = list(found)
    articles = []
    for line, record in records:
        try:
            articles.append(article(record, where, line, tz, captions, page=kind == HTML))
        except ContentError as exc:
            errors.append(exc)
    return articles, sorted(errors, key=lambda e: e.line or 0)
