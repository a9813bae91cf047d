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
from generator.pages.cards import Cards, minutes
from generator.pages.editions import Edition, make_editions
from generator.site import urls as u
from generator.site.config import SiteConfig
from generator.site.language import Language, make_language
from generator.site.model import Article, Site, Tag, Topic

Context = dict[str, Any]
HOME_LATEST = 5  # the lead story and the next four: above the fold
HOME_PER_TOPIC = 3  # then each topic's newest not already shown
HOME_TAGS = 24


@dataclass(frozen=True, slots=True)
class Views:
    """What every builder needs: the config, the model, the URLs, and each article's card (built once)."""

    config: SiteConfig
    site: Site
    urls: u.Urls
    common: Mapping[str, Any]
    cards: Mapping[str, Context]
    language: Language
    editions: tuple[Edition, ...]  # newest first
    edition_of: Mapping[str, int]  # article key -> its edition's index in `editions`


def make_views(config: SiteConfig, site: Site, urls: u.Urls, *, lazy: bool = False) -> Views:
    """The views of `site`. `lazy`: each card is made when a page first asks for it (after an edit, a build
    renders a few pages, which show a few dozen of the site's cards), else all at once."""
    language = make_language(config.language, config.strings)
    rtl = language.direction == "rtl"
    topics = {t.slug: {"title": t.title, "href": urls.href(u.topic_path(t.slug))} for t in site.topics.values()}
    editions = make_editions(site.articles.values(), config.editions_period)
    latest = editions[0] if editions else None
    common = {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "dir": language.direction,
        # The theme's words (`generator.site.strings`, with site.yaml's `strings:`): `site.t.latest` ...
        "t": language.plain,
        # Arrows that point back (to newer pages) and on, the way the text runs.
        "arrows": {"back": "→" if rtl else "←", "on": "←" if rtl else "→"},
        "home": urls.href(u.HOME),
        "stylesheet": urls.href(u.STYLESHEET),
        "favicon": {"svg": urls.href(u.FAVICON_SVG), "ico": urls.href(u.FAVICON_ICO)},
        # The navigation leaves out topics with no article yet (their pages and feeds still exist).
        "topics": tuple(topics[t.slug] for t in site.topics.values() if t.articles),
        "tags": urls.href(u.TAGS),
        "archive": urls.href(u.ARCHIVE),
        "feed": urls.href(u.FEED),
        "site_feed": _feed(config.title, urls.href(u.FEED)),
        "editions": urls.href(u.EDITIONS),
        "editions_feed": _feed(language.text("editions_feed_title", site=config.title), urls.href(u.EDITIONS_FEED)),
        # The home page and the navigation link to the newest edition (None before the first article).
        "latest_edition": {"href": urls.href(u.edition_path(latest.key)),
                           "heading": edition_dates(language, latest.start, latest.end, latest.period)}
        if latest else None,
        "extra": config.extra,  # site.yaml's `extra:`: the site's own settings for its templates
        # The search page (its box is in every page's header), or None with `search: false`.
        "search": {"href": urls.href(search.SEARCH), "strings": search.strings_in(language)} if config.search else None,
    }
    cards = Cards(site.articles, urls, topics, language)
    if not lazy:
        cards.update((key, cards.make(a)) for key, a in site.articles.items())
    edition_of = {key: i for i, e in enumerate(editions) for key in e.articles}
    return Views(config, site, urls, common, cards, language, editions, MappingProxyType(edition_of))


def edition_dates(lang: Language, start: date, end: date, period: str) -> str:
    """The dates of an edition as its heading shows them, in the site's language (Babel): `11–17 November 2024`,
    `28 October – 3 November 2024`, `30 December 2024 – 5 January 2025` (a week, en-GB), `November 2024`
    (a month), `15 November 2024` (a day); `11–17 novembre 2024`, `11–17 نوفمبر 2024`."""
    if period == "month":
        return lang.month(start.year, start.month)
    return lang.span(start, end)


def date_iso(article: Article) -> str:
    return article.date.isoformat() if article.has_time else article.date.date().isoformat()


def listing(a: Article) -> tuple[Any, ...]:
    """All that pages other than the article's own show of it, or use to place it in lists (`placement`).

    Cards, feed items, pagination, prev/next and related articles read only these
    fields; an edit that leaves them equal can change no page but the article's
    own and the feeds that carry its full text.
    """
    return (*placement(a), a.title, a.highlights, a.summary, minutes(a))


def placement(a: Article) -> tuple[Any, ...]:
    """All that decides where an article is listed: its URL, place in the order, topic, tags (and the names
    of tags made from datelines), neighbours and related articles. An edit that leaves it equal changes
    only the pages that show the article (`plan.plan_showing`)."""
    return (a.key, a.id, a.date, a.has_time, a.topic, a.tags, a.dateline, a.draft)


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


def _home_layout(site: Site) -> tuple[tuple[str, ...], tuple[tuple[Topic, tuple[str, ...]], ...]]:
    """(the latest articles, (topic, its newest not among them) for each topic that has such articles).

    No article is on the home page twice, and its size does not grow with the site's:
    HOME_LATEST + HOME_PER_TOPIC a topic, whether the site has 6 articles or 10,000.
    """
    latest = site.order[:HOME_LATEST]
    shown = set(latest)
    sections = []
    for topic in site.topics.values():
        newest = tuple(k for k in topic.articles[: HOME_LATEST + HOME_PER_TOPIC] if k not in shown)[:HOME_PER_TOPIC]
        if newest:
            sections.append((topic, newest))
    return latest, tuple(sections)


def home_shows(v: Views) -> frozenset[str]:
    """The articles whose cards the home page shows: the latest, and each topic's newest not among them."""
    latest, sections = _home_layout(v.site)
    return frozenset(latest).union(*(keys for _topic, keys in sections))


def home_context(v: Views) -> Context:
    site, lang = v.site, v.language
    latest, layout = _home_layout(site)
    sections = tuple({"topic": _topic_summary(v, t), "articles": tuple(v.cards[k] for k in keys)}
                     for t, keys in layout)
    top_tags = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.slug))[:HOME_TAGS]
    return {
        "site": v.common,
        "page": page_context(v, u.HOME, v.config.title, v.config.description, lastmod=_lastmod(v, site.order),
                             feeds=(v.common["editions_feed"],)),
        "lead": v.cards[latest[0]] if latest else None,
        "latest": tuple(v.cards[k] for k in latest[1:]),
        "sections": sections,
        "topics": tuple(_topic_summary(v, t) for t in site.topics.values()),
        "tags": tuple(_tag_summary(v, t) for t in sorted(top_tags, key=lambda t: (t.name.casefold(), t.slug))),
        "tag_count": len(site.tags),
        "all_tags": lang.plural("tag_count_link", len(site.tags)),
        "article_count": len(site.articles),
        "all_articles": lang.plural("archive_link", len(site.articles)),
    }


def _topic_summary(v: Views, t: Topic) -> Context:
    lang = v.language
    return {"title": t.title, "description": t.description, "href": v.urls.href(u.topic_path(t.slug)),
            "feed": v.urls.href(u.topic_feed_path(t.slug)), "feed_text": lang.text("topic_feed", topic=t.title),
            "count": len(t.articles), "count_text": lang.number(len(t.articles)),
            "all": lang.plural("topic_all", len(t.articles), topic=t.title)}


def _tag_summary(v: Views, t: Tag) -> Context:
    return {"name": t.name, "href": v.urls.href(u.tag_path(t.slug)), "feed": v.urls.href(u.tag_feed_path(t.slug)),
            "count": len(t.articles), "count_text": v.language.number(len(t.articles))}


def article_context(v: Views, key: str) -> Context:
    a = v.site.articles[key]
    card = v.cards[key]
    topic = v.site.topics[a.topic]
    tags = tuple(v.site.tags[slug] for slug in a.tags)
    feeds = (_feed(f"{v.config.title}: {topic.title}", v.urls.href(u.topic_feed_path(topic.slug))),
             *(_feed(f"{v.config.title}: {t.name}", v.urls.href(u.tag_feed_path(t.slug))) for t in tags))
    older, newer = v.site.neighbours[key]
    source_is_url = a.source.startswith(("http://", "https://"))
    lang = v.language
    images = tuple({"caption": i.caption, "credit": i.credit, "src": u.image_href(i.src, v.urls) if i.src else None,
                    "alt": i.alt, "width": i.width or None, "height": i.height or None} for i in a.images)
    pictures = tuple(i for i in images if i["src"])
    article = {
        **card,
        "body": Markup(a.body_html),
        # The body split after its first paragraph: the first picture goes there, once the text has begun.
        "body_lead": Markup(a.body_html[: a.lead_end]),
        "body_rest": Markup(a.body_html[a.lead_end:]),
        "images": images,
        "figure": pictures[0] if pictures else None,
        # The other pictures, then the captions of photos the page does not have: after the body.
        "photos": pictures[1:],
        "captions": tuple(i for i in images if not i["src"]),
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
        "neighbours": {"label": lang.text("more_in_topic", topic=topic.title),
                       "older": lang.text("previous_in_topic", topic=topic.title),
                       "newer": lang.text("next_in_topic", topic=topic.title)},
    }


def _original(a: Article) -> Context | None:
    """Where the article was first published: its author (or publisher), its URL and that URL's host."""
    if not (a.url or a.author):
        return None
    host = (urlsplit(a.url).hostname or "") if a.url else ""
    return {"author": a.author or None, "href": a.url or None, "host": host.removeprefix("www.")}


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def topic_contexts(v: Views, topic: Topic, *, only: int | None = None) -> list[tuple[str, Context]]:
    """(site path, context) of each page of `topic`'s list, or of its page number `only` alone."""
    feed = _feed(f"{v.config.title}: {topic.title}", v.urls.href(u.topic_feed_path(topic.slug)))
    return _paginated(v, topic.articles, lambda n: u.topic_path(topic.slug, n), topic.title,
                      topic.description or v.language.text("topic_description", topic=topic.title), feed,
                      kind="topic", only=only)


def tag_contexts(v: Views, tag: Tag, *, only: int | None = None) -> list[tuple[str, Context]]:
    """(site path, context) of each page of `tag`'s list, or of its page number `only` alone."""
    feed = _feed(f"{v.config.title}: {tag.name}", v.urls.href(u.tag_feed_path(tag.slug)))
    description = v.language.plural("tag_description", len(tag.articles), tag=tag.name)
    return _paginated(v, tag.articles, lambda n: u.tag_path(tag.slug, n), tag.name, description, feed, kind="tag",
                      only=only)


def page_number(v: Views, keys: Sequence[str], key: str) -> int:
    """The number of the page of a list of `keys` (a topic's, a tag's) that shows article `key`."""
    return keys.index(key) // v.config.page_size + 1


def _paginated(v: Views, keys: Sequence[str], path_of: Any, title: str, description: str, feed: Context, *,
               kind: str, only: int | None = None) -> list[tuple[str, Context]]:
    size = v.config.page_size
    total = max(1, -(-len(keys) // size))
    out = []
    for n in range(1, total + 1) if only is None else (only,):
        chunk = keys[(n - 1) * size: n * size]
        newer = v.urls.href(path_of(n - 1)) if n > 1 else None
        older = v.urls.href(path_of(n + 1)) if n < total else None
        lang = v.language
        text = lang.text("page_of", number=lang.number(n), total=lang.number(total))
        suffix = f" ({text})" if n > 1 else ""
        page = page_context(v, path_of(n), title + suffix, description + suffix, feeds=(feed,),
                     lastmod=_lastmod(v, chunk), newer=newer, older=older)
        out.append((path_of(n), {
            "site": v.common, "page": page, "kind": kind, "heading": title, "intro": description,
            "feed": feed, "follow": lang.text("follow_by_rss", name=title),
            "articles": tuple(v.cards[k] for k in chunk),
            "pagination": {"number": n, "total": total, "newer": newer, "older": older, "text": text},
        }))
    return out


def tags_context(v: Views) -> Context:
    tags = sorted(v.site.tags.values(), key=lambda t: (t.name.casefold(), t.slug))
    count = len(tags)
    return {
        "site": v.common,
        "page": page_context(v, u.TAGS, v.language.text("tags"),
                      v.language.plural("tags_description", count, site=v.config.title)),
        "tags": tuple(_tag_summary(v, t) for t in tags),
    }


def archive_context(v: Views) -> Context:
    months: dict[tuple[int, int], list[str]] = {}
    for key in v.site.order:
        d = v.site.articles[key].date
        months.setdefault((d.year, d.month), []).append(key)
    return {
        "site": v.common,
        "page": page_context(v, u.ARCHIVE, v.language.text("archive"),
                      v.language.text("archive_description", site=v.config.title), lastmod=_lastmod(v, v.site.order)),
        "months": tuple(
            {"id": f"m{y:04d}-{m:02d}", "label": v.language.month(y, m), "count": v.language.number(len(keys)),
             "articles": tuple(v.cards[k] for k in keys)}
            for (y, m), keys in months.items()
        ),
    }


def not_found_context(v: Views) -> Context:
    return {
        "site": v.common,
        "page": page_context(v, u.NOT_FOUND, v.language.text("not_found"), v.language.text("not_found_description")),
        "go_home": v.language.text("go_home", site=v.config.title),
        "topics": tuple(_topic_summary(v, t) for t in v.site.topics.values()),
    }


def search_page_context(v: Views) -> Context:
    """The search page: its box, filters and results are filled in the browser from the bundles."""
    page = page_context(v, search.SEARCH, v.language.text("search_title"),
                        v.language.text("search_description", site=v.config.title))
    return search.search_context(v.common, page, v.site, v.urls)


def sitemap_context(pages: Sequence[Mapping[str, Any]]) -> Context:
    """The sitemap of the given page contexts' `page` entries (the 404 and search pages left out)."""
    return {"urls": tuple({"loc": p["canonical"], "lastmod": p["lastmod"]} for p in pages
                          if p["path"] not in (u.NOT_FOUND, search.SEARCH))}


def robots_context(v: Views) -> Context:
    return {"sitemap": v.urls.absolute(u.SITEMAP)}
