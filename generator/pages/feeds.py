"""Feed contexts: items newest first, stable ids, dates from the articles (never the clock).

The whole digest, each topic, each tag and the editions get a feed, written three
ways from one context: RSS 2.0 (`feed.xml`), Atom 1.0 (`atom.xml`) and JSON Feed
1.1 (`feed.json`), with the same items in the same order. An item's GUID (and
JSON Feed `id`) is the article's front-matter `id` (`isPermaLink="false"`), or
its absolute URL when it has none; its Atom id is that URL, or a name-based
`urn:uuid:` made from the `id` (`atom_id`), so it is a valid IRI that never
changes. `lastBuildDate` and Atom's `updated` are the newest item's date. The
templates escape every value; the full article goes in `content:encoded`,
Atom's `content` and `content_html` as escaped HTML.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape

from generator.pages.context import Context, Views
from generator.pages.render import PageJob
from generator.site import urls as u
from generator.site.model import Article

# Atom entry ids of articles with an `id` are name-based UUIDs in this namespace (RFC 4122, version 5).
ATOM_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://digest.invalid/atom/entry-id")
EPOCH = "1970-01-01T00:00:00+00:00"  # Atom's `updated` of a feed on a site with no article yet
TEMPLATES = {"feed.xml": u.FEED_NAME, "atom.xml": u.ATOM_NAME, "feed.json": u.JSON_FEED_NAME}


def rfc822(article: Article) -> str:
    """`Fri, 15 Nov 2024 00:00:00 +0200`: the article's date in the site's zone, with the offset."""
    return format_datetime(article.date)


def rfc3339(when: datetime) -> str:
    """`2024-11-15T00:00:00+02:00` (Atom and JSON Feed dates): always with a time and an offset."""
    return when.isoformat(timespec="seconds")


def atom_id(guid: str, permalink: bool) -> str:
    """A valid, stable IRI for an Atom entry: its URL when the guid is one, else a `urn:uuid:` from the guid."""
    return guid if permalink else f"urn:uuid:{uuid.uuid5(ATOM_NAMESPACE, guid)}"


def feed_jobs(path: str, context: Context) -> list[PageJob]:
    """The RSS feed at site path `path` and its Atom and JSON Feed twins, from the one context."""
    return [PageJob(path.removesuffix(u.FEED_NAME) + name, template, context) for template, name in TEMPLATES.items()]


def _item(v: Views, a: Article) -> Context:
    link = v.urls.absolute(a.key)
    topic = v.site.topics[a.topic]
    if a.highlights:
        description = "<ul>" + "".join(f"<li>{escape(h, quote=False)}</li>" for h in a.highlights) + "</ul>"
    else:
        description = escape(a.summary, quote=False)
    # A draft (in a --drafts build or the preview) says so, with the label the pages use.
    title = v.language.text("draft_title", draft=v.language.text("draft"), title=a.title) if a.draft else a.title
    return item(title=title, link=link, guid=a.id or link, when=a.date, updated=a.date,
                categories=(topic.title, *(v.site.tags[t].name for t in a.tags)), description=description,
                summary=a.summary, content=a.body_html)


def item(*, title: str, link: str, guid: str, when: datetime, updated: datetime, categories: Sequence[str],
         description: str, summary: str, content: str) -> Context:
    """One feed item, for all three formats: `description` and `content` are HTML, `summary` plain text."""
    permalink = guid == link
    return {
        "title": title,
        "link": link,
        "guid": guid,
        "permalink": permalink,
        "atom_id": atom_id(guid, permalink),
        "pub_date": format_datetime(when),
        "published": rfc3339(when),
        "updated": rfc3339(updated),
        "categories": tuple(categories),
        "description": description,
        "summary": summary,
        "content": content,
    }


def feed_context(v: Views, *, title: str, description: str, page: str, feed: str, keys: Sequence[str]) -> Context:
    """The feed at site path `feed` for the page at `page`, of the newest `feed_limit` of `keys`."""
    articles = [v.site.articles[k] for k in keys[: v.config.feed_limit]]
    return channel(v, title=title, description=description, page=page, feed=feed,
                   entries=tuple(_item(v, a) for a in articles))


def channel(v: Views, *, title: str, description: str, page: str, feed: str, entries: tuple[Context, ...]) -> Context:
    """A feed's context: its channel (title, links to its page and to itself in each format) and `entries`."""
    # Entries come newest first (articles by date, editions by period), so the first holds the newest date.
    newest = entries[0]["updated"] if entries else None
    if newest is None and v.site.articles:
        newest = rfc3339(next(iter(v.site.articles.values())).date)
    return {
        "feed": {
            "title": title,
            "link": v.urls.absolute(page),
            "description": description or title,
            "language": v.config.language,
            "author": v.config.author or v.config.title,
            "self": v.urls.absolute(feed),
            "atom_self": v.urls.absolute(u.atom_path(feed)),
            "json_self": v.urls.absolute(u.json_feed_path(feed)),
            "last_build_date": entries[0]["pub_date"] if entries else None,
            "updated": newest or EPOCH,
            "entries": entries,
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
    specs += [(u.tag_feed_path(tag.slug), f"{name}: {tag.name}", v.language.text("feed_tag_description", tag=tag.name),
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
