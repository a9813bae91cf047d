"""Pure page-context builders: the model in, plain data for one template out.

No I/O and no rendering here. A context holds only str, int, bool, None,
tuples, dicts and `Markup` (an article's rendered body), so equal contexts
render equal bytes. Every page gets `site` (shared) and `page` (its title,
description, canonical URL, feeds, Open Graph and JSON-LD data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.pages import search
from generator.pages.editions import Edition, make_editions
from generator.site import urls as u
from generator.site.config import SiteConfig
from generator.site.model import Article, Site, Tag, Topic

Context = dict[str, Any]
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
HOME_PER_TOPIC = 3
HOME_TAGS = 24
WORDS_PER_MINUTE = 230


@dataclass(frozen=True, slots=True)
class Views:
    """What every builder needs: the config, the model, the URLs, and each article's card (built once)."""

    config: SiteConfig
    site: Site
    urls: u.Urls
    common: Mapping[str, Any]
    cards: Mapping[str, Context]
    editions: tuple[Edition, ...]  # newest first
    edition_of: Mapping[str, int]  # article key -> its edition's index in `editions`


def make_views(config: SiteConfig, site: Site, urls: u.Urls) -> Views:
    topics = {t.slug: {"title": t.title, "href": urls.href(u.topic_path(t.slug))} for t in site.topics.values()}
    editions = make_editions(site.articles.values(), config.editions_period)
    latest = editions[0] if editions else None
    common = {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "home": urls.href(u.HOME),
        "stylesheet": urls.href(u.STYLESHEET),
        # The navigation leaves out topics with no article yet (their pages and feeds still exist).
        "topics": tuple(topics[t.slug] for t in site.topics.values() if t.articles),
        "tags": urls.href(u.TAGS),
        "archive": urls.href(u.ARCHIVE),
        "feed": urls.href(u.FEED),
        "site_feed": _feed(config.title, urls.href(u.FEED)),
        "editions": urls.href(u.EDITIONS),
        "editions_feed": _feed(f"{config.title}: editions", urls.href(u.EDITIONS_FEED)),
        # The home page and the navigation link to the newest edition (None before the first article).
        "latest_edition": {"href": urls.href(u.edition_path(latest.key)),
                           "heading": edition_dates(latest.start, latest.end, latest.period)} if latest else None,
        "extra": config.extra,  # site.yaml's `extra:`: the site's own settings for its templates
        # The search page (its box is in every page's header), or None with `search: false`.
        "search": {"href": urls.href(search.SEARCH), "strings": search.STRINGS} if config.search else None,
    }
    cards = {key: _card(a, urls, topics[a.topic]) for key, a in site.articles.items()}
    edition_of = {key: i for i, e in enumerate(editions) for key in e.articles}
    return Views(config, site, urls, common, cards, editions, MappingProxyType(edition_of))


def date_text(article: Article) -> str:
    d = article.date
    day = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{day}, {d:%H:%M}" if article.has_time else day


def edition_dates(start: date, end: date, period: str) -> str:
    """The dates of an edition as its heading shows them: `11–17 November 2024`, `28 October – 3 November 2024`,
    `30 December 2024 – 5 January 2025` (a week), `November 2024` (a month), `15 November 2024` (a day).

    The one place edition dates are worded (the theme's Babel formatting replaces it)."""
    if period == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    last = f"{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{last}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {last}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year} – {last}"


def date_iso(article: Article) -> str:
    return article.date.isoformat() if article.has_time else article.date.date().isoformat()


def _minutes(a: Article) -> int:
    return max(1, round(a.words / WORDS_PER_MINUTE))


def listing(a: Article) -> tuple[Any, ...]:
    """All that pages other than the article's own show of it, or use to place it in lists (`placement`).

    Cards, feed items, pagination, prev/next and related articles read only these
    fields; an edit that leaves them equal can change no page but the article's
    own and the feeds that carry its full text.
    """
    return (*placement(a), a.title, a.highlights, a.summary, _minutes(a))


def placement(a: Article) -> tuple[Any, ...]:
    """All that decides where an article is listed: its URL, place in the order, topic, tags (and the names
    of tags made from datelines), neighbours and related articles. An edit that leaves it equal changes
    only the pages that show the article (`plan.plan_showing`)."""
    return (a.key, a.id, a.date, a.has_time, a.topic, a.tags, a.dateline, a.draft)


def _card(a: Article, urls: u.Urls, topic: Mapping[str, str]) -> Context:
    minutes = _minutes(a)
    return {
        "key": a.key, "title": a.title, "href": urls.href(a.key), "date": date_text(a), "iso": date_iso(a),
        "topic": topic, "dateline": a.dateline, "highlights": a.highlights, "summary": a.summary,
        "reading": f"{minutes} min read", "draft": a.draft,
    }


def _feed(title: str, href: str) -> Context:
    """A feed as pages advertise it: the RSS feed at `href` and its Atom and JSON Feed twins."""
    return {"title": title, "href": href, "atom": u.atom_path(href), "json": u.json_feed_path(href)}


def page_context(v: Views, path: str, title: str, description: str, *, feeds: Sequence[Context] = (),
          lastmod: str | None = None, **more: Any) -> Context:
    site_feed = v.common["site_feed"]
    return {
        "path": path,
        "title": f"{title} — {v.config.title}" if title != v.config.title else title,
        "heading": title,
        "description": description or v.config.description,
        "canonical": v.urls.absolute(path),
        "feeds": (*feeds, site_feed),
        "og_type": "website",
        "lastmod": lastmod,
        "newer": None,
        "older": None,
        "json_ld": None,
        "article": None,
        **more,
    }


def _lastmod(v: Views, keys: Sequence[str]) -> str | None:
    return v.site.articles[keys[0]].date.date().isoformat() if keys else None


def home_shows(v: Views) -> frozenset[str]:
    """The articles whose cards the home page shows: the latest, and the first few of each topic."""
    return frozenset(v.site.order[: v.config.page_size]).union(
        *(t.articles[:HOME_PER_TOPIC] for t in v.site.topics.values()))


def home_context(v: Views) -> Context:
    site = v.site
    sections = tuple(
        {"topic": _topic_summary(v, t), "articles": tuple(v.cards[k] for k in t.articles[:HOME_PER_TOPIC])}
        for t in site.topics.values() if t.articles
    )
    top_tags = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.slug))[:HOME_TAGS]
    return {
        "site": v.common,
        "page": page_context(v, u.HOME, v.config.title, v.config.description, lastmod=_lastmod(v, site.order),
                      feeds=(v.common["editions_feed"],)),
        "latest": tuple(v.cards[k] for k in site.order[: v.config.page_size]),
        "sections": sections,
        "topics": tuple(_topic_summary(v, t) for t in site.topics.values()),
        "tags": tuple(_tag_summary(v, t) for t in sorted(top_tags, key=lambda t: (t.name.casefold(), t.slug))),
        "tag_count": len(site.tags),
        "article_count": len(site.articles),
    }


def _topic_summary(v: Views, t: Topic) -> Context:
    return {"title": t.title, "description": t.description, "href": v.urls.href(u.topic_path(t.slug)),
            "feed": v.urls.href(u.topic_feed_path(t.slug)), "count": len(t.articles)}


def _tag_summary(v: Views, t: Tag) -> Context:
    return {"name": t.name, "href": v.urls.href(u.tag_path(t.slug)), "feed": v.urls.href(u.tag_feed_path(t.slug)),
            "count": len(t.articles)}


def article_context(v: Views, key: str) -> Context:
    a = v.site.articles[key]
    card = v.cards[key]
    topic = v.site.topics[a.topic]
    tags = tuple(v.site.tags[slug] for slug in a.tags)
    feeds = (_feed(f"{v.config.title}: {topic.title}", v.urls.href(u.topic_feed_path(topic.slug))),
             *(_feed(f"{v.config.title}: {t.name}", v.urls.href(u.tag_feed_path(t.slug))) for t in tags))
    older, newer = v.site.neighbours[key]
    source_is_url = a.source.startswith(("http://", "https://"))
    article = {
        **card,
        "body": Markup(a.body_html),
        "images": tuple({"caption": i.caption, "credit": i.credit} for i in a.images),
        "factboxes": tuple({"label": f.label, "title": f.title, "paragraphs": _paragraphs(f.text)}
                           for f in a.factboxes),
        "read_more": a.read_more,
        "source": {"text": a.source, "href": a.source if source_is_url else None} if a.source else None,
        "original": _original(a),
        "tags": tuple({"name": t.name, "href": v.urls.href(u.tag_path(t.slug))} for t in tags),
        "extra": a.extra,
    }
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary or a.title,
        "datePublished": a.date.isoformat(),
        "url": v.urls.absolute(key),
        "mainEntityOfPage": v.urls.absolute(key),
        "articleSection": topic.title,
        "keywords": tuple(t.name for t in tags),
        "inLanguage": v.config.language,
        "wordCount": a.words,
        "author": {"@type": "Organization", "name": v.config.author or v.config.title},
        "publisher": {"@type": "Organization", "name": v.config.title},
        **({"dateline": a.dateline} if a.dateline else {}),
        **({"isBasedOn": a.url or a.source} if a.url or source_is_url else {}),
    }
    return {
        "site": v.common,
        "page": page_context(v, key, a.title, a.summary, feeds=feeds, lastmod=a.date.date().isoformat(),
                      og_type="article", json_ld=json_ld,
                      article={"published": a.date.isoformat(), "section": topic.title,
                               "tags": tuple(t.name for t in tags)}),
        "article": article,
        "older": v.cards[older] if older else None,
        "newer": v.cards[newer] if newer else None,
        "related": tuple(v.cards[k] for k in v.site.related[key]),
    }


def _original(a: Article) -> Context | None:
    """Where the article was first published: its author (or publisher), its URL and that URL's host."""
    if not (a.url or a.author):
        return None
    host = (urlsplit(a.url).hostname or "") if a.url else ""
    return {"author": a.author or None, "href": a.url or None, "host": host.removeprefix("www.")}


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def topic_contexts(v: Views, topic: Topic) -> list[tuple[str, Context]]:
    feed = _feed(f"{v.config.title}: {topic.title}", v.urls.href(u.topic_feed_path(topic.slug)))
    return _paginated(v, topic.articles, lambda n: u.topic_path(topic.slug, n), topic.title,
                      topic.description or f"Articles on {topic.title}.", feed, kind="topic")


def tag_contexts(v: Views, tag: Tag) -> list[tuple[str, Context]]:
    feed = _feed(f"{v.config.title}: {tag.name}", v.urls.href(u.tag_feed_path(tag.slug)))
    count = len(tag.articles)
    description = f"{count} article{'s' if count != 1 else ''} tagged {tag.name}."
    return _paginated(v, tag.articles, lambda n: u.tag_path(tag.slug, n), tag.name, description, feed, kind="tag")


def _paginated(v: Views, keys: Sequence[str], path_of: Any, title: str, description: str, feed: Context, *,
               kind: str) -> list[tuple[str, Context]]:
    size = v.config.page_size
    total = max(1, -(-len(keys) // size))
    out = []
    for n in range(1, total + 1):
        chunk = keys[(n - 1) * size: n * size]
        newer = v.urls.href(path_of(n - 1)) if n > 1 else None
        older = v.urls.href(path_of(n + 1)) if n < total else None
        suffix = f" (page {n} of {total})" if n > 1 else ""
        page = page_context(v, path_of(n), title + suffix, description + suffix, feeds=(feed,),
                     lastmod=_lastmod(v, chunk), newer=newer, older=older)
        out.append((path_of(n), {
            "site": v.common, "page": page, "kind": kind, "heading": title, "intro": description,
            "feed": feed, "articles": tuple(v.cards[k] for k in chunk),
            "pagination": {"number": n, "total": total, "newer": newer, "older": older},
        }))
    return out


def tags_context(v: Views) -> Context:
    tags = sorted(v.site.tags.values(), key=lambda t: (t.name.casefold(), t.slug))
    count = len(tags)
    return {
        "site": v.common,
        "page": page_context(v, u.TAGS, "Tags", f"All {count} tags of {v.config.title}, with their article counts."),
        "tags": tuple(_tag_summary(v, t) for t in tags),
    }


def archive_context(v: Views) -> Context:
    months: dict[tuple[int, int], list[str]] = {}
    for key in v.site.order:
        d = v.site.articles[key].date
        months.setdefault((d.year, d.month), []).append(key)
    return {
        "site": v.common,
        "page": page_context(v, u.ARCHIVE, "Archive", f"Every article of {v.config.title}, month by month.",
                      lastmod=_lastmod(v, v.site.order)),
        "months": tuple(
            {"id": f"m{y:04d}-{m:02d}", "label": f"{MONTHS[m - 1]} {y}",
             "articles": tuple(v.cards[k] for k in keys)}
            for (y, m), keys in months.items()
        ),
    }


def not_found_context(v: Views) -> Context:
    return {
        "site": v.common,
        "page": page_context(v, u.NOT_FOUND, "Page not found", "There is no page at this address."),
        "topics": tuple(_topic_summary(v, t) for t in v.site.topics.values()),
    }


def search_page_context(v: Views) -> Context:
    """The search page: its box, filters and results are filled in the browser from the bundles."""
    strings = search.STRINGS
    page = page_context(v, search.SEARCH, strings["search_title"], f"Search the articles of {v.config.title}.")
    return search.search_context(v.common, page, v.site, v.urls)


def sitemap_context(pages: Sequence[Mapping[str, Any]]) -> Context:
    """The sitemap of the given page contexts' `page` entries (the 404 and search pages left out)."""
    return {"urls": tuple({"loc": p["canonical"], "lastmod": p["lastmod"]} for p in pages
                          if p["path"] not in (u.NOT_FOUND, search.SEARCH))}


def robots_context(v: Views) -> Context:
    return {"sitemap": v.urls.absolute(u.SITEMAP)}
