"""`plan.plan_showing` against the full plan, on sites of every shape (hypothesis).

`plan_showing` works out from an article's place in the lists which pages show it and builds only
those (only the one page of a topic's or tag's list that holds it). Its pages must be exactly the
pages of the full plan (`plan_views`) that hold the article's card or carry it in a feed, each job
with the very template and an equal context the full plan gives that page, and the lazy views an
edit build uses must give the contexts the eager ones give.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pages.context import make_views
from generator.pages.plan import plan_article, plan_showing, plan_views
from generator.site import urls as u
from generator.site.config import SiteConfig, load_config
from generator.site.model import Article, make_site

ROOT = Path(__file__).resolve().parent.parent
TAGS = ("mosul", "unesco", "beirut", "baghdad", "hezbollah", "sidon")
FEEDS = ("feed.xml", "atom.xml", "feed.json")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    site = tmp_path_factory.mktemp("site")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    return load_config(site)


_article = st.tuples(
    st.integers(0, 2),  # topic
    st.integers(0, 70),  # days before the newest
    st.none() | st.integers(0, 23 * 60 + 59),  # time of day, minutes (None: a day only)
    st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
    st.booleans(),  # highlights
    st.integers(10, 2000),  # words
)
_shape = st.fixed_dictionaries({
    "articles": st.lists(_article, min_size=1, max_size=30),
    "page_size": st.integers(1, 6),
    "feed_limit": st.integers(1, 8),
    "editions_period": st.sampled_from(("week", "month", "day")),
})


def _site(config: SiteConfig, shape: dict[str, Any]) -> tuple[SiteConfig, Any]:
    config = dataclasses.replace(config, page_size=shape["page_size"], feed_limit=shape["feed_limit"],
                                 editions_period=shape["editions_period"])
    newest = datetime(2024, 11, 30, tzinfo=config.tz)
    articles = []
    for i, (topic, days, minutes, tags, highlights, words) in enumerate(shape["articles"]):
        when = newest - timedelta(days=days) + timedelta(minutes=minutes or 0)
        slug = f"story-{i}"
        articles.append(Article(
            key=f"{when.year}/{when.month:02d}/{slug}/", path=f"content/{slug}.md", slug=slug, id=f"id-{i}",
            title=f"Story {i}", date=when, has_time=minutes is not None, topic=config.topics[topic].slug,
            tags=tuple(tags), body_html=f"<p>Body {i}.</p>", summary=f"Summary {i}.", words=words,
            highlights=(f"Highlight {i}",) if highlights else ()))
    return config, make_site(config, articles)


def _parts(value: Any) -> Iterator[Any]:
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
    for child in children:
        yield from _parts(child)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(shape=_shape)
def test_plan_showing_builds_exactly_the_full_plans_pages_that_show_the_article(config: SiteConfig,
                                                                              shape: dict[str, Any]) -> None:
    config, site = _site(config, shape)
    urls = u.Urls.for_base(config.base_url)
    eager = make_views(config, site, urls)
    full = plan_views(eager)
    by_path = {job.path: job for job in full}
    held = {job.path: {id(part) for part in _parts(job.context)} for job in full}
    for key in site.order:
        link = urls.absolute(key)
        with_card = {path for path, ids in held.items() if id(eager.cards[key]) in ids}
        in_feed = {job.path for job in full if job.template in FEEDS
                   and any(e["link"] == link or f'href="{link}"' in e["content"]
                           for e in job.context["feed"]["entries"])}
        expected = with_card | in_feed | {u.output_path(key)}
        lazy = make_views(config, site, urls, lazy=True)  # as an edit build makes them
        for jobs in (plan_showing(eager, key), plan_showing(lazy, key)):
            assert sorted(job.path for job in jobs) == sorted(expected), key
            for job in jobs:
                assert (job.template, job.context) == (by_path[job.path].template, by_path[job.path].context), job.path
        items = {path for path in in_feed if any(e["link"] == link for e in by_path[path].context["feed"]["entries"])}
        assert {job.path for job in plan_article(lazy, key)} == {u.output_path(key)} | items, key
