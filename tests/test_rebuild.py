"""The preview's incremental rebuilds give exactly the files of a clean build."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.engine.build import build_files
from generator.engine.changes import Change, ChangeSet, classify
from generator.engine.rebuild import Rebuilder
from generator.pages.search import BUNDLES
from generator.site.config import load_config
from tests.sitekit import write_article


def _site(site_dir: Path) -> None:
    for i in range(12):
        write_article(site_dir, ("heritage", "israel-lebanon")[i % 2], f"story-{i}", title=f"Story {i}",
                      date=f"2024-11-{i + 1:02d}", body=f"Paragraph of story {i}.\n\nSecond paragraph.",
                      tags=["mosul", "unesco", "beirut"][: 1 + i % 3], highlights=[f"Highlight {i}"])


def _changes(site: Path, *paths: str) -> ChangeSet:
    return ChangeSet(frozenset(Change(classify(site / p, site), p) for p in paths))


def _assert_clean(rebuilder: Rebuilder, site: Path, now: datetime | None = None) -> None:
    """The preview's site is a clean build's (at `now`: the moment the preview built it, when that matters)."""
    assert rebuilder.error is None, rebuilder.error
    # The search index is the preview's background job (tests/test_search.py compares it with the build's).
    files = build_files(load_config(site), now=now).files
    clean = {rel: data for rel, data in files.items() if not rel.startswith(BUNDLES)}
    assert rebuilder.files.keys() == clean.keys()
    assert [p for p in clean if rebuilder.files[p] != clean[p]] == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def rebuilder(site_dir: Path) -> Rebuilder:
    _site(site_dir)
    r = Rebuilder(site_dir)
    assert r.full().error is None
    return r


def test_body_edit_takes_the_fast_path(rebuilder: Rebuilder, site_dir: Path) -> None:
    rel = "content/heritage/story-4.md"
    _edit(site_dir / rel, "Second paragraph.", "Second paragraph, now longer.")
    outcome = rebuilder.apply(_changes(site_dir, rel))
    assert outcome.fast and outcome.error is None
    assert "2024/11/story-4/index.html" in outcome.changed
    assert "feed.xml" in outcome.changed  # it carries the full text
    assert "index.html" not in outcome.changed and "topics/heritage/index.html" not in outcome.changed
    _assert_clean(rebuilder, site_dir)


@pytest.mark.parametrize(
    ("old", "new", "fast"),
    [
        ("title: Story 4", "title: Story four", True),  # shown in lists: the pages with its card
        ("- Highlight 4", "- Another highlight", True),  # shown on cards and in feeds
        ("date: '2024-11-05'", "date: '2024-11-20'", False),  # moves it in every list, and its URL
        ("- mosul", "- baalbek", False),  # changes tag pages and related articles
        ("topic: heritage", "topic: israel-lebanon", False),
    ],
)
def test_edits_that_reach_other_pages_rebuild_them(rebuilder: Rebuilder, site_dir: Path, old: str,
                                                   new: str, fast: bool) -> None:
    rel = "content/heritage/story-4.md"
    _edit(site_dir / rel, old, new)
    outcome = rebuilder.apply(_changes(site_dir, rel))
    assert outcome.fast == fast and outcome.error is None
    _assert_clean(rebuilder, site_dir)


def test_add_delete_and_rename(rebuilder: Rebuilder, site_dir: Path) -> None:
    new = write_article(site_dir, "heritage", "fresh", title="Fresh", date="2024-11-30", tags=["mosul"])
    assert not rebuilder.apply(_changes(site_dir, "content/heritage/fresh.md")).fast
    _assert_clean(rebuilder, site_dir)
    new.rename(site_dir / "content/heritage/renamed.md")
    rebuilder.apply(_changes(site_dir, "content/heritage/fresh.md", "content/heritage/renamed.md"))
    _assert_clean(rebuilder, site_dir)
    (site_dir / "content/heritage/renamed.md").unlink()
    rebuilder.apply(_changes(site_dir, "content/heritage/renamed.md"))
    _assert_clean(rebuilder, site_dir)


def test_error_then_fix_catches_up_with_everything_changed_meanwhile(rebuilder: Rebuilder, site_dir: Path) -> None:
    (site_dir / "templates").mkdir(exist_ok=True)
    broken = site_dir / "templates/article.html"
    broken.write_text('{% extends "theme/article.html" %}{% block main %}{{ oops(){% endblock %}', encoding="utf-8")
    assert rebuilder.apply(_changes(site_dir, "templates/article.html")).error
    rel = "content/heritage/story-2.md"
    _edit(site_dir / rel, "Second paragraph.", "Edited while the template was broken.")
    assert rebuilder.apply(_changes(site_dir, rel)).error  # still broken
    broken.write_text('{% extends "theme/article.html" %}{% block main %}<p>Custom</p>{{ super() }}'
                      '{% endblock %}', encoding="utf-8")
    outcome = rebuilder.apply(_changes(site_dir, "templates/article.html"))
    assert outcome.error is None
    assert b"Edited while the template was broken." in rebuilder.files["2024/11/story-2/index.html"]
    _assert_clean(rebuilder, site_dir)


def test_config_and_static_changes(rebuilder: Rebuilder, site_dir: Path) -> None:
    _edit(site_dir / "site.yaml", "page_size: 10", "page_size: 2")
    rebuilder.apply(_changes(site_dir, "site.yaml"))
    _assert_clean(rebuilder, site_dir)
    (site_dir / "static").mkdir(exist_ok=True)
    (site_dir / "static/extra.css").write_text("p { color: red }\n", encoding="utf-8")
    outcome = rebuilder.apply(_changes(site_dir, "static/extra.css"))
    assert outcome.changed == {"static/extra.css"} and outcome.rendered == 0
    _assert_clean(rebuilder, site_dir)


def test_a_config_edit_during_another_rebuild_is_not_lost(rebuilder: Rebuilder, site_dir: Path) -> None:
    """site.yaml saved while the preview rebuilds for another change: that rebuild keeps the config it had,
    and the watcher's event for site.yaml, handled next, still brings the new one (found by
    test_serve_property: the cache key was read from the file as it was then, not as the config was read)."""
    _edit(site_dir / "site.yaml", "page_size: 10", "page_size: 2")
    static = site_dir / "static"
    static.mkdir(exist_ok=True)
    (static / "extra.css").write_text("p { color: red }\n", encoding="utf-8")
    rebuilder.apply(_changes(site_dir, "static/extra.css"))  # the batch before site.yaml's event
    rebuilder.apply(_changes(site_dir, "site.yaml"))
    _assert_clean(rebuilder, site_dir)


def test_same_size_rewrite_is_seen(rebuilder: Rebuilder, site_dir: Path) -> None:
    rel = "content/israel-lebanon/story-3.md"
    for word in ("Alpha", "Bravo", "Gamma"):  # same length: the stamp may not move
        text = (site_dir / rel).read_text(encoding="utf-8")
        head, _, _ = text.partition("Paragraph of story 3.")
        (site_dir / rel).write_text(head + f"{word} of story 3.\n\nSecond paragraph.\n", encoding="utf-8")
        rebuilder.apply(_changes(site_dir, rel))
        assert f"{word} of story 3.".encode() in rebuilder.files["2024/11/story-3/index.html"]
    _assert_clean(rebuilder, site_dir)


def test_dateline_tags_show_the_city_name(site_dir: Path) -> None:
    write_article(site_dir, "region", "desk", title="From the desk", date="2024-11-01", dateline="New York",
                  tags=["new-york", "un-general-assembly"])
    files = build_files(load_config(site_dir)).files
    page = files["tags/new-york/index.html"].decode()
    assert "<h1>New York</h1>" in page
    assert "un-general-assembly" in files["tags/un-general-assembly/index.html"].decode()


def test_a_future_article_saved_again_after_its_moment_is_published(rebuilder: Rebuilder, site_dir: Path) -> None:
    """Its edit does not take the fast path (it is not in the site): the articles are selected again, now."""
    moment = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    path = write_article(site_dir, "heritage", "due", title="Due", date=moment.isoformat(), body="Soon.")
    rel = "content/heritage/due.md"
    before = datetime.now(UTC)
    rebuilder.apply(_changes(site_dir, rel))
    assert rebuilder.loaded is not None and [a.path for a in rebuilder.loaded.skipped] == [str(path)]
    _assert_clean(rebuilder, site_dir, now=before)  # (under load, the clean build may start after the moment)
    while datetime.now(UTC) <= moment:
        time.sleep(0.05)
    _edit(path, "Soon.", "Now.")
    outcome = rebuilder.apply(_changes(site_dir, rel))
    assert not outcome.fast and rebuilder.loaded.skipped == ()
    assert any(p.endswith("/due/index.html") for p in rebuilder.files)
    _assert_clean(rebuilder, site_dir)
