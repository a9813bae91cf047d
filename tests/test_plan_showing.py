"""Dependency tracking: an edit to what lists show of an article (title, highlights, summary) re-renders
only the pages that show it (its edition, the edition's email copy and the editions feed among them), and
the result is still exactly a clean build's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.engine import parallel
from generator.engine.build import build_files
from generator.engine.changes import Change, ChangeSet, Kind
from generator.engine.load import load_site
from generator.engine.rebuild import Rebuilder
from generator.pages.context import make_views
from generator.pages.plan import plan_showing, plan_views
from generator.pages.search import BUNDLES
from generator.site import urls as u
from generator.site.config import load_config
from tests.sitekit import write_article
from tests.test_cache import tree

TOPICS = ("heritage", "israel-lebanon", "iraq-militias")
TAGS = ("mosul", "unesco", "beirut", "baghdad", "hezbollah")


def _site(site: Path) -> None:
    """35 articles: topic and tag lists of several pages, neighbours, related articles, a home page."""
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 10", "page_size: 4"), encoding="utf-8")
    for i in range(35):
        write_article(site, TOPICS[i % 3], f"story-{i}", title=f"Story {i}", date=f"2024-10-{1 + i % 28:02d}",
                      body=f"Body of story {i}.", tags=[TAGS[(i + j) % 5] for j in range(1 + i % 3)],
                      **({"highlights": [f"Highlight {i}"]} if i % 2 else {}))


def _parts(value: Any) -> Iterator[Any]:
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
    for child in children:
        yield from _parts(child)


def test_plan_showing_names_exactly_the_pages_that_show_an_article(site_dir: Path) -> None:
    _site(site_dir)
    config = load_config(site_dir)
    v = make_views(config, load_site(config).site, u.Urls.for_base(config.base_url))
    jobs = plan_views(v)
    held = {job.path: {id(part) for part in _parts(job.context)} for job in jobs}
    for key in v.site.order:
        link = v.urls.absolute(key)
        with_card = {path for path, ids in held.items() if id(v.cards[key]) in ids}
        # Feeds in all three formats: those with the article as an item, and the editions feed whose item
        # (a whole edition) links to it.
        in_feed = {job.path for job in jobs if job.template in ("feed.xml", "atom.xml", "feed.json")
                   and any(e["link"] == link or f'href="{link}"' in e["content"]
                           for e in job.context["feed"]["entries"])}
        expected = with_card | in_feed | {u.output_path(key)}
        assert sorted(job.path for job in plan_showing(v, key)) == sorted(expected), key


def _retitle(site: Path, i: int, variant: str) -> None:
    path = next((site / "content").rglob(f"story-{i}.md"))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", f"title: Story {i}, {variant}", text)
    text = re.sub(r"(?m)^- Highlight .*$", f"- Highlight {i}, {variant}", text)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("i", [0, 17, 34])
def test_a_title_edit_renders_only_the_pages_that_show_it(site_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch, i: int) -> None:
    _site(site_dir)
    assert main(["build", "--site", str(site_dir), "--jobs", "1"]) == 0
    total = len(tree(site_dir / "public"))
    for n, variant in enumerate(("edited", "edited again")):
        _retitle(site_dir, i, variant)
        capsys.readouterr()
        with monkeypatch.context() as m:
            m.setattr(parallel, "render_site", None)  # rendering the whole site would fail
            assert main(["build", "--site", str(site_dir), "--jobs", "1"]) == 0
        written = int(capsys.readouterr().out.split("(")[1].split(" file")[0])
        assert 2 <= written < total // 2, (n, written, total)  # each feed it is in counts three times (RSS, Atom, JSON)
        clean = tmp_path / f"clean-{n}"
        assert main(["build", "--site", str(site_dir), "--output", str(clean), "--no-cache", "--quiet"]) == 0
        assert tree(site_dir / "public") == tree(clean)


@pytest.mark.parametrize("i", [0, 17, 34])
def test_the_preview_renders_only_the_pages_that_show_an_edited_title(site_dir: Path, i: int) -> None:
    _site(site_dir)
    rebuilder = Rebuilder(site_dir)
    assert rebuilder.full().error is None
    _retitle(site_dir, i, "edited")
    rel = next((site_dir / "content").rglob(f"story-{i}.md")).relative_to(site_dir).as_posix()
    outcome = rebuilder.apply(ChangeSet(frozenset({Change(Kind.CONTENT, rel)})))
    assert outcome.error is None and outcome.fast
    assert outcome.rendered < len(rebuilder.files) // 2
    clean = build_files(load_config(site_dir)).files
    assert rebuilder.files == {rel: data for rel, data in clean.items() if not rel.startswith(BUNDLES)}
