"""The frozen site model: articles, topics and tags, complete before rendering starts.

`make_site` builds it once from the parsed articles: articles are stored once,
keyed by their site path; topics and tags hold keys into that store, newest
first. Previous/next within a topic and related articles are worked out here,
so page contexts only look things up.
"""

from __future__ import annotations

import heapq
import operator
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import MappingProxyType
from typing import Any

from generator.site.config import SiteConfig
from generator.site.urls import slugify

RELATED_LIMIT = 4
# Related articles are looked for among the RELATED_WINDOW nearest-in-date
# articles on each side under each shared tag: exact for tags on up to
# 2 * RELATED_WINDOW articles, and linear (not quadratic) on large sites.
RELATED_WINDOW = 50


@dataclass(frozen=True, slots=True)
class Image:
    """A photo: its caption, and when the article has the picture itself, where it is (`src`, checked safe)."""

    caption: str
    credit: str = ""
    src: str = ""  # an http(s) URL or a path inside the site (`static/photos/x.jpg`); "" for a caption alone
    alt: str = ""
    width: int = 0  # the picture's size in pixels when known (saves the page a layout shift)
    height: int = 0


@dataclass(frozen=True, slots=True)
class FactBox:
    label: str
    text: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    key: str  # site path, e.g. "2024/11/baalbek-strike/": unique, the store's key
    path: str  # source file as shown in messages, e.g. "content/heritage/x.md"
    slug: str
    id: str  # stable id from the front matter ("" when none): the feed GUID
    title: str
    date: datetime  # aware, in the site's time zone
    has_time: bool  # False when the front matter gave a day only
    topic: str
    tags: tuple[str, ...]
    body_html: str
    summary: str  # plain text: the first highlight, else the body's first paragraph
    words: int
    dateline: str = ""
    source: str = ""
    author: str = ""  # the original's byline or publisher, as the scraper found it
    url: str = ""  # the original page (an http(s) URL, checked by parse)
    highlights: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    factboxes: tuple[FactBox, ...] = ()
    read_more: tuple[str, ...] = ()
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> line, for messages
    lead_end: int = 0  # where the body's first paragraph ends in `body_html` (0: the body has none)

    def line_of(self, *keys: str) -> int:
        """The line of the first of `keys` the front matter sets (1, its first line, when none)."""
        return next((self.lines[k] for k in keys if k in self.lines), 1)

    @property
    def sort_key(self) -> tuple[float, str]:
        """Newest first, then by URL: a total order, so every list is deterministic."""
        return (-self.date.timestamp(), self.key)


def _pickled_as_fields(cls: type) -> None:
    """Pickle `cls` as its constructor and its field values: the cache unpickles 10,000s of articles, and
    this takes about 40% less time than the frozen dataclass's own `__setstate__` (a Python loop a field)."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign, assignment]


for _cls in (Image, FactBox, Article):
    _pickled_as_fields(_cls)


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    title: str
    description: str
    articles: tuple[str, ...]  # keys, newest first


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    articles: tuple[str, ...]  # keys, newest first


@dataclass(frozen=True, slots=True)
class Site:
    articles: Mapping[str, Article]  # key -> article, newest first
    topics: Mapping[str, Topic]  # slug -> topic, in site.yaml's order, empty ones included
    tags: Mapping[str, Tag]  # slug -> tag, by slug, only tags some article uses
    neighbours: Mapping[str, tuple[str | None, str | None]]  # key -> (older, newer) in its topic
    related: Mapping[str, tuple[str, ...]]  # key -> related keys, best first

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(self.articles)


def make_site(config: SiteConfig, articles: Iterable[Article]) -> Site:
    """The model of a site from its (already validated, unique-URL) articles."""
    ordered = sorted(articles, key=lambda a: a.sort_key)
    store = {a.key: a for a in ordered}
    by_topic: dict[str, list[str]] = {t.slug: [] for t in config.topics}
    by_tag: dict[str, list[str]] = {}
    for a in ordered:
        by_topic[a.topic].append(a.key)
        for tag in a.tags:
            by_tag.setdefault(tag, []).append(a.key)
    # A tag's display name: the vocabulary's, else the dateline it was made from
    # (`dateline: London` -> tag `london` shows as London), else its slug.
    names = {slugify(a.dateline): a.dateline for a in reversed(ordered) if a.dateline}
    names.update((t.slug, t.name) for t in config.tags)
    topics = {t.slug: Topic(t.slug, t.title, t.description, tuple(by_topic[t.slug])) for t in config.topics}
    tags = {slug: Tag(slug, names.get(slug, slug), tuple(by_tag[slug])) for slug in sorted(by_tag)}
    neighbours: dict[str, tuple[str | None, str | None]] = {}
    for topic in topics.values():
        keys = topic.articles
        for i, key in enumerate(keys):
            neighbours[key] = (keys[i + 1] if i + 1 < len(keys) else None, keys[i - 1] if i else None)
    return Site(
        articles=MappingProxyType(store),
        topics=MappingProxyType(topics),
        tags=MappingProxyType(tags),
        neighbours=MappingProxyType(neighbours),
        related=MappingProxyType(_related(ordered, by_tag)),
    )


def _related(ordered: list[Article], by_tag: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """For each article, up to RELATED_LIMIT others: most shared tags, then nearest in date, then URL.

    Uses the tag -> articles index (each list newest first), looking only near the
    article in each of its tags' lists, so the cost grows with the number of
    articles times tags per article, not with the square of the site.
    """
    position = {a.key: i for i, a in enumerate(ordered)}
    postings = {tag: [position[k] for k in keys] for tag, keys in by_tag.items()}
    # Each article's tags as the bits of one int: counting shared tags is one `&` and a bit count.
    bit = {tag: 1 << n for n, tag in enumerate(by_tag)}
    masks = [sum(bit[tag] for tag in set(a.tags)) for a in ordered]
    stamps = [a.date.timestamp() for a in ordered]
    keys = [a.key for a in ordered]
    related: dict[str, tuple[str, ...]] = {}
    mask_of, bit_count = masks.__getitem__, int.bit_count
    for i, article in enumerate(ordered):
        candidates: set[int] = set()
        for tag in article.tags:
            posting = postings[tag]
            at = bisect_left(posting, i)
            candidates.update(posting[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1])
        candidates.discard(i)
        mask, when = masks[i], stamps[i]
        # Shared tags of every candidate, counted in C (`map`): most of the work on a large site.
        js = list(candidates)
        shared = list(map(bit_count, map(mask.__and__, map(mask_of, js))))
        # Only candidates sharing at least as many tags as the RELATED_LIMIT-th best can rank.
        floor = heapq.nlargest(RELATED_LIMIT, shared)[-1] if len(shared) > RELATED_LIMIT else 0
        # Keys are unique, so the ranking tuples never tie: the same order as any stable sort by them.
        best = heapq.nsmallest(RELATED_LIMIT, [(-n, abs(stamps[j] - when), keys[j])
                                               for n, j in zip(shared, js, strict=True) if n >= floor])
        related[article.key] = tuple(key for _shared, _distance, key in best)
    return related
