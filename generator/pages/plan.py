"""Which pages a site has, as small `Part`s, and the page jobs of each.

A `Part` names one piece of the site (the home page, one article, one topic's
pages, one feed, ...) without building its context, so the list of parts is
cheap to make and to hand to worker processes: each turns its share of parts
into `PageJob`s (contexts built there) and renders them. The order of parts,
and so of pages and of the sitemap, is fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator.pages.context import (
    Views,
    archive_context,
    article_context,
    home_context,
    home_shows,
    make_views,
    not_found_context,
    page_number,
    robots_context,
    search_page_context,
    sitemap_context,
    tag_contexts,
    tags_context,
    topic_contexts,
)
from generator.pages.edition_pages import edition_context, editions_context, editions_feed_context, email_context
from generator.pages.feeds import FeedSpec, feed_jobs, feed_specs, feeds_showing, spec_context
from generator.pages.render import PageJob
from generator.pages.search import SEARCH
from generator.site import urls as u
from generator.site.config import SiteConfig
from generator.site.model import Site

Part = tuple[str, str]  # (kind, name): ("article", key), ("tag", slug), ("feed", path), ("edition", key) ...


def plan_parts(v: Views) -> list[Part]:
    """Every HTML page group, then every feed, in the site's fixed order (the sitemap and robots.txt come last)."""
    parts: list[Part] = [("home", "")]
    parts += [("article", key) for key in v.site.order]
    parts += [("topic", slug) for slug in v.site.topics]
    parts.append(("tags", ""))
    parts += [("tag", slug) for slug in v.site.tags]
    parts += [("archive", ""), ("404", "")]
    parts.append(("editions", ""))
    parts += [("edition", e.key) for e in v.editions]
    if v.config.search:
        parts.append(("search", ""))
    parts += [("feed", spec[0]) for spec in feed_specs(v)]
    parts.append(("editions-feed", ""))
    return parts


class Planner:
    """Turns parts into page jobs for one `Views` (the feed specs are worked out once)."""

    def __init__(self, v: Views) -> None:
        self.views = v
        self._feeds: Mapping[str, FeedSpec] | None = None
        self._editions = {e.key: i for i, e in enumerate(v.editions)}

    def jobs(self, part: Part) -> list[PageJob]:
        v, (kind, name) = self.views, part
        if kind == "feed":
            if self._feeds is None:
                self._feeds = {spec[0]: spec for spec in feed_specs(v)}
            return feed_jobs(*spec_context(v, self._feeds[name]))
        if kind == "editions-feed":
            return feed_jobs(u.EDITIONS_FEED, editions_feed_context(v))
        pages: list[tuple[str, str, dict[str, Any]]]
        if kind == "edition":
            index = self._editions[name]
            email = email_context(v, index)
            return [PageJob(u.output_path(u.edition_path(name)), "edition.html", edition_context(v, index)),
                    PageJob(u.email_path(name), "email.html", email),
                    PageJob(u.email_path(name, "txt"), "email.txt", email)]
        if kind == "article":
            pages = [(name, "article.html", article_context(v, name))]
        elif kind in ("topic", "tag"):
            return self.list_pages(kind, name)
        else:
            single = {"home": (u.HOME, "home.html", home_context), "tags": (u.TAGS, "tags.html", tags_context),
                      "archive": (u.ARCHIVE, "archive.html", archive_context),
                      "404": (u.NOT_FOUND, "404.html", not_found_context),
                      "editions": (u.EDITIONS, "editions.html", editions_context),
                      "search": (SEARCH, "search.html", search_page_context)}[kind]
            pages = [(single[0], single[1], single[2](v))]
        return [PageJob(u.output_path(path), template, ctx) for path, template, ctx in pages]

    def list_pages(self, kind: str, name: str, only: int | None = None) -> list[PageJob]:
        """The jobs of topic or tag `name`'s list pages (`kind` "topic" or "tag"), or of its page `only` alone."""
        v = self.views
        if kind == "topic":
            return [PageJob(u.output_path(path), "topic.html", ctx)
                    for path, ctx in topic_contexts(v, v.site.topics[name], only=only)]
        return [PageJob(u.output_path(path), "tag.html", ctx)
                for path, ctx in tag_contexts(v, v.site.tags[name], only=only)]


def sitemap_entry(job: PageJob) -> dict[str, Any] | None:
    """What the sitemap needs of an HTML page job (None for feeds and email copies)."""
    if not job.template.endswith(".html") or job.template == "email.html":
        return None
    page = job.context["page"]
    return {"path": page["path"], "canonical": page["canonical"], "lastmod": page["lastmod"]}


def closing_jobs(v: Views, entries: Iterable[Mapping[str, Any] | None]) -> list[PageJob]:
    """The sitemap (of the HTML pages' `sitemap_entry`s, in order) and robots.txt."""
    return [PageJob(u.SITEMAP, "sitemap.xml", sitemap_context([e for e in entries if e is not None])),
            PageJob(u.ROBOTS, "robots.txt", robots_context(v))]


def plan_pages(config: SiteConfig, site: Site, *, base_url: str | None = None) -> list[PageJob]:
    """Every page, feed, the sitemap and robots.txt as jobs, in a fixed order."""
    return plan_views(make_views(config, site, u.Urls.for_base(base_url or config.base_url)))


def plan_views(v: Views) -> list[PageJob]:
    """`plan_pages` for views already made (the preview keeps them between rebuilds)."""
    planner = Planner(v)
    jobs = [job for part in plan_parts(v) for job in planner.jobs(part)]
    return jobs + closing_jobs(v, map(sitemap_entry, jobs))


def plan_article(v: Views, key: str) -> list[PageJob]:
    """The jobs that show an article's full text: its own page and the feeds that carry it.

    When an edit leaves everything that lists show of an article (`listing`) as it
    was, these are the only pages whose bytes can change.
    """
    jobs = [PageJob(u.output_path(key), "article.html", article_context(v, key))]
    jobs += [job for path, ctx in feeds_showing(v, key) for job in feed_jobs(path, ctx)]
    return jobs


def plan_showing(v: Views, key: str) -> list[PageJob]:
    """The jobs of every page that shows anything of article `key`: its own page and the feeds that carry it
    (`plan_article`), and every page with its card: the home page, the articles next to it in its topic and
    those that list it as related, its page of its topic and of each of its tags, the archive, its edition's
    page and email copy, and the editions feed when that edition is among its items.

    When an edit changes what lists show of an article (`listing`) but not where it is listed
    (`placement`), these are the only pages whose bytes can change.
    """
    site, planner = v.site, Planner(v)
    a = site.articles[key]
    parts: list[Part] = [("home", "")] if key in home_shows(v) else []
    nearby = {k for k in site.neighbours[key] if k} | {k for k, related in site.related.items() if key in related}
    parts += [("article", k) for k in sorted(nearby)]
    parts.append(("archive", ""))
    edition = v.edition_of[key]
    parts.append(("edition", v.editions[edition].key))
    if edition < v.config.feed_limit:
        parts.append(("editions-feed", ""))
    lists = [("topic", a.topic, site.topics[a.topic].articles)]
    lists += [("tag", slug, site.tags[slug].articles) for slug in a.tags]
    jobs = plan_article(v, key) + [job for part in parts for job in planner.jobs(part)]
    for kind, name, keys in lists:  # only the one page of each list that holds it is built
        jobs += planner.list_pages(kind, name, page_number(v, keys, key))
    return jobs


def plan_edited(v: Views, edited: Mapping[str, bool]) -> list[PageJob]:
    """The jobs of the pages an edit to articles can change, each page once: for each edited key, the pages
    that show its card too (`plan_showing`) when its `listing` changed (True), else only its own page and
    feeds (`plan_article`)."""
    jobs = {job.path: job for key, moved in edited.items()
            for job in (plan_showing(v, key) if moved else plan_article(v, key))}
    return list(jobs.values())
