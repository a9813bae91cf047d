"""A saved HTML page -> a trafilatura record, read like any other scraper record.

trafilatura (the optional extra `digest[html]`: it brings lxml) finds the
article in the page and leaves out navigation, sidebars ("Most popular"),
footers, share buttons and comments. Its metadata comes from the page itself:
`og:title` and JSON-LD for the headline, `article:published_time`, JSON-LD and
`<time datetime>` for the date (never a guess from the page's text: a page
without a date is reported), the canonical link for the URL, `og:site_name`
for the site's name.

trafilatura leaves photo captions out; the page's `<figcaption>`s inside its
`<article>` (or `<main>`, never in an `<aside>`, `<nav>`, `<header>` or `<footer>`)
are taken as the article's photo captions, with their credit when they end in one.

trafilatura keeps the day of the date only; when the page's own metadata gives
a time on that day (`article:published_time`, JSON-LD `datePublished`, the first
`<time datetime>`), the record gets that date-time, offset and all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from generator.errors import ContentError

INSTALL = ("is an HTML page, and reading HTML pages needs trafilatura: install digest's html extra "
           "(pip install 'digest[html]', or pip install '.[html]' in digest's own folder)")
NO_ARTICLE = "is an HTML page with no article that trafilatura could find"
_JSON_LD_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"})


def page_record(html: str, where: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """trafilatura's JSON record of the page (with the page's publication time when it has one), and the
    article's photo captions."""
    try:
        import trafilatura
        from trafilatura.settings import use_config
    except ImportError:
        raise ContentError(where, None, None, INSTALL) from None
    config = use_config()
    # Below this size trafilatura falls back to the whole container's text as one line (headline,
    # `Short Url · Updated · Follow`, share buttons and paragraphs run together): a brief of one or
    # two paragraphs is an article too.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    extracted = trafilatura.extract(
        html, output_format="json", with_metadata=True, include_comments=False, include_tables=False, config=config,
        # Dates from the page's metadata, its URL and its markup only: the extensive search guesses
        # from any date-like text (a "© 2024" footer becomes 2024-01-01).
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if extracted is None:
        raise ContentError(where, None, None, NO_ARTICLE)
    record: dict[str, Any] = json.loads(extracted)
    tree = _tree(html)
    if tree is None:
        return record, ()
    stamp = _page_time(tree, record.get("date"))
    if stamp is not None:
        record["date"] = stamp
    return record, _captions(tree)


def _tree(html: str) -> Any:
    from lxml import etree
    from lxml import html as lxml_html  # lxml comes with trafilatura

    try:
        return lxml_html.fromstring(html)
    except (ValueError, TypeError, etree.ParserError):
        return None


def _captions(tree: Any) -> tuple[str, ...]:
    outside = "not(ancestor::aside or ancestor::nav or ancestor::footer or ancestor::header)"
    found = tree.xpath(f"//article//figcaption[{outside}]") or tree.xpath(f"//main//figcaption[{outside}]")
    texts = (" ".join(node.text_content().split()) for node in found)
    return tuple(dict.fromkeys(text for text in texts if text))


def _page_time(tree: Any, day: Any) -> str | None:
    """The first date-time the page's metadata gives on trafilatura's day (any day when it found none)."""
    for candidate in _candidates(tree):
        try:
            when = datetime.fromisoformat(candidate.strip())
        except ValueError:
            continue
        if (when.hour, when.minute, when.second) == (0, 0, 0) and when.tzinfo is None:
            continue  # no time: trafilatura's day says the same
        if not isinstance(day, str) or when.date().isoformat() == day:
            return when.isoformat()
    return None


def _candidates(tree: Any) -> Iterator[str]:
    for value in tree.xpath("//meta[@property='article:published_time' or @name='article:published_time']/@content"):
        yield str(value)
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(script))
        except (ValueError, RecursionError):
            continue
        yield from _json_ld_dates(data)
    for value in tree.xpath("//time/@datetime")[:1]:
        yield str(value)


def _json_ld_dates(data: Any) -> Iterator[str]:
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("@graph"), list):
            yield from _json_ld_dates(item["@graph"])
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(k in _JSON_LD_TYPES for k in kinds if isinstance(k, str)) and isinstance(item.get("datePublished"), str):
            yield item["datePublished"]
