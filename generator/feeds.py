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

from generator import urls as u
from generator.context import Context, Views
from generator.model import Article


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


def all_feeds(v: Views) -> list[tuple[str, Context]]:
    """(site path, context) of every feed: the digest's, then each topic's, then each tag's."""
    name = v.config.title
    feeds = [(u.FEED, feed_context(v, title=name, description=v.config.description, page=u.HOME,
                                   feed=u.FEED, keys=v.site.order))]
    for t in v.site.topics.values():
        path = u.topic_feed_path(t.slug)
        feeds.append((path, feed_context(v, title=f"{name}: {t.title}", description=t.description,
                                         page=u.topic_path(t.slug), feed=path, keys=t.articles)))
    for tag in v.site.tags.values():
        path = u.tag_feed_path(tag.slug)
        feeds.append((path, feed_context(v, title=f"{name}: {tag.name}", description=f"Articles tagged {tag.name}.",
                                         page=u.tag_path(tag.slug), feed=path, keys=tag.articles)))
    return feeds
