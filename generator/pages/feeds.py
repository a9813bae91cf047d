"""RSS 2.0 feed contexts: items newest first, RFC 822 dates, stable GUIDs.

The whole digest, each topic and each tag get a feed. An item's GUID is the
article's front-matter `id` (`isPermaLink="false"`), or its absolute URL when
it has none. `lastBuildDate` is the newest item's date, never the clock. The
feed template (`feed.xml`) escapes every value; the full article goes in
`content:encoded` as escaped HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import format_datetime
from html import escape

from generator.pages.context import Context, Views
from generator.site import urls as u
from generator.site.model import Article


def rfc822(article: Article) -> str:
    """`Fri, 15 Nov 2024 00:00:00 +0200`: the article's date in the site's zone, with the offset."""
    return format_datetime(article.date)


def _item(v: Views, a: Article) -> Context:
    link = v.urls.absolute(a.key)
    topic = v.site.topics[a.topic]
    if a.highlights:
        description = "<ul>" + "".join(f"<li>{escape(h, quote=False)}</li>" for h in a.highlights) + "</ul>"
    else:
        description = escape(a.summary, quote=False)
    return {
        "title": a.title,
        "link": link,
        "guid": a.id or link,
        "permalink": not a.id,
        "pub_date": rfc822(a),
        "categories": (topic.title, *(v.site.tags[t].name for t in a.tags)),
        "description": description,
        "content": a.body_html,
    }


def feed_context(v: Views, *, title: str, description: str, page: str, feed: str, keys: Sequence[str]) -> Context:
    """The feed at site path `feed` for the page at `page`, of the newest `feed_limit` of `keys`."""
    articles = [v.site.articles[k] for k in keys[: v.config.feed_limit]]
    return {
        "feed": {
            "title": title,
            "link": v.urls.absolute(page),
            "description": description or title,
            "language": v.config.language,
            "self": v.urls.absolute(feed),
            "last_build_date": rfc822(articles[0]) if articles else None,
            "entries": tuple(_item(v, a) for a in articles),
        }
    }


FeedSpec = tuple[str, str, str, str, Sequence[str]]


def feed_specs(v: Views) -> list[FeedSpec]:
    """(feed path, title, description, page path, article keys) of every feed, in a fixed order."""
    name = v.config.title
    specs: list[FeedSpec] = [
        (u.FEED, name, v.config.description, u.HOME, v.site.order)]
    specs += [(u.topic_feed_path(t.slug), f"{name}: {t.title}", t.description, u.topic_path(t.slug), t.articles)
              for t in v.site.topics.values()]
    specs += [(u.tag_feed_path(tag.slug), f"{name}: {tag.name}", f"Articles tagged {tag.name}.",
               u.tag_path(tag.slug), tag.articles) for tag in v.site.tags.values()]
    return specs


def spec_context(v: Views, spec: FeedSpec) -> tuple[str, Context]:
    """(site path, context) of the feed `spec` describes."""
    path, title, description, page, keys = spec
    return path, feed_context(v, title=title, description=description, page=page, feed=path, keys=keys)


def all_feeds(v: Views) -> list[tuple[str, Context]]:
    """(site path, context) of every feed: the digest's, then each topic's, then each tag's."""
    return [spec_context(v, spec) for spec in feed_specs(v)]


def feeds_showing(v: Views, key: str) -> list[tuple[str, Context]]:
    """(site path, context) of the feeds that carry article `key` (it is among their newest items)."""
    a = v.site.articles[key]
    limit = v.config.feed_limit
    candidates = [(u.FEED, v.site.order)]
    candidates.append((u.topic_feed_path(a.topic), v.site.topics[a.topic].articles))
    candidates += [(u.tag_feed_path(t), v.site.tags[t].articles) for t in a.tags]
    wanted = {path for path, keys in candidates if key in keys[:limit]}
    return [spec_context(v, spec) for spec in feed_specs(v) if spec[0] in wanted]
