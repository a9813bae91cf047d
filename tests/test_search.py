"""The search index as files: only articles, in bundles, indexed again only where a page changed; the
`search` setting. (In the browser: tests/test_search_browser.py.)"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.engine import search
from generator.errors import DigestError
from generator.pages import search as search_pages
from generator.site.config import load_config
from tests.sitekit import write_article
from tests.test_build_support import digest


def _populate(site: Path) -> None:
    for i in range(6):
        write_article(site, "heritage" if i % 2 else "region", f"story-{i}", title=f"Story {i}",
                      date=f"{2023 + i % 2}-0{1 + i}-10", body=f"Body of story {i} with the word w{i}xq.",
                      tags=["mosul"])


def _set_search(site: Path, value: str) -> int:
    """Set `search:` in site.yaml (the bundled one names it); the line it is on."""
    lines = [line for line in (site / "site.yaml").read_text(encoding="utf-8").splitlines()
             if not line.startswith("search:")]
    lines.insert(3, f"search: {value}")
    (site / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 4


def _entries(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((out / search.BUNDLES).glob("*/pagefind-entry.json"))}


def test_only_articles_are_indexed_one_bundle_a_year(site_dir: Path) -> None:
    _populate(site_dir)
    run = digest("build", "--site", site_dir, "--no-cache")
    assert run.code == 0, run.err
    out = site_dir / "public"
    entries = _entries(out)
    assert list(entries) == ["2023", "2024"]
    assert sum(e["languages"]["en"]["page_count"] for e in entries.values()) == 6  # not topic, tag or home pages
    assert (out / "search/index.html").is_file()
    page = (out / "search/index.html").read_text(encoding="utf-8")
    assert 'data-bundles="/search/pagefind/2024/ /search/pagefind/2023/"' in page  # newest first: it has the runtime
    bundles = out / search.BUNDLES
    assert (bundles / "2024/pagefind.js").is_file() and not (bundles / "2023/pagefind.js").exists()
    assert "search/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        if html.name == "email.html":  # an edition's email copy is not a page of the site: no box
            assert 'role="search"' not in text and "data-pagefind-body" not in text
            continue
        assert 'role="search"' in text, html  # the box in every page's header
        assert ("data-pagefind-body" in text) == bool(re.match(r"\d{4}/\d\d/", html.relative_to(out).as_posix()))
    assert re.search(r"in \d+\.\d\d s \(search index: 2 of 2 bundles in \d+\.\d\d s\)$", run.out.strip())


def test_search_false_builds_no_index_and_shows_no_box(site_dir: Path) -> None:
    _populate(site_dir)
    _set_search(site_dir, "false")
    run = digest("build", "--site", site_dir)
    assert run.code == 0, run.err
    out = site_dir / "public"
    assert not (out / "search").exists()
    assert "search index" not in run.out
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert 'role="search"' not in text and "data-pagefind-body" not in text, html


@pytest.mark.parametrize("value", ["'no'", "1", "[true]"])
def test_search_must_be_true_or_false(site_dir: Path, value: str) -> None:
    line = _set_search(site_dir, value)
    with pytest.raises(DigestError) as info:
        load_config(site_dir)
    assert f"site.yaml:{line}: search: " in str(info.value)
    assert "is not a true/false" in str(info.value)


def test_an_edit_reindexes_only_its_bundle(site_dir: Path, tmp_path: Path) -> None:
    _populate(site_dir)
    first = digest("build", "--site", site_dir)
    assert "(search index: 2 of 2 bundles in" in first.out
    again = digest("build", "--site", site_dir)
    assert "(search index: 2 bundles unchanged)" in again.out and "0 files written" in again.out
    article = site_dir / "content/heritage/story-1.md"  # 2024
    article.write_text(article.read_text(encoding="utf-8").replace("the word", "the zqxword"), encoding="utf-8")
    edited = digest("build", "--site", site_dir)
    assert "(search index: 1 of 2 bundles in" in edited.out, edited.out
    # The same files as a clean build's, and no file of the old bundle left behind.
    clean = tmp_path / "clean"
    assert main(["build", "--site", str(site_dir), "--output", str(clean), "--no-cache", "--quiet"]) == 0
    mine = {p.relative_to(site_dir / "public").as_posix(): p.read_bytes()
            for p in (site_dir / "public").rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean).as_posix(): p.read_bytes() for p in clean.rglob("*") if p.is_file()}
    assert mine == theirs


def test_a_large_year_is_split_by_quarter(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _populate(site_dir)
    monkeypatch.setattr(search_pages, "YEAR_MAX", 2)  # 2023 has 3 articles, 2024 has 3
    from generator.engine.load import load_site
    site = load_site(load_config(site_dir)).site
    names = search.bundle_pages(site)
    assert list(names) == ["2024-q2", "2024-q1", "2023-q2", "2023-q1"]  # June, April | February; May | March, January
    assert sorted(p for paths in names.values() for p in paths) == sorted(f"{k}index.html" for k in site.articles)


def test_index_pages_finds_a_word_in_one_page_only() -> None:
    """Pagefind's own files, from pages given in memory: the word's index chunk and one fragment."""
    body = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{}</body></html>'
    pages = {"2024/01/a/index.html": body.format('<main data-pagefind-body><h1>Alpha</h1><p>Kawtharani</p></main>')
             .encode(), "2024/01/b/index.html": body.format("<main data-pagefind-body><p>Other</p></main>").encode()}
    files = search.index_pages(pages, prefix="/digest/", language="en")
    assert "pagefind-entry.json" in files and "pagefind.js" in files
    assert json.loads(files["pagefind-entry.json"])["languages"]["en"]["page_count"] == 2
    assert not any(rel.startswith(search._UNUSED) for rel in files)
    assert search.index_pages(pages, prefix="/digest/", language="en") == files  # deterministic


def test_the_preview_index_equals_the_build_index(site_dir: Path) -> None:
    """Differential: the preview's background index of its in-memory site is the build's, byte for byte."""
    from generator.engine.build import build_files
    from generator.engine.rebuild import Rebuilder
    from generator.preview.search import BackgroundIndex

    _populate(site_dir)
    built = {rel: data for rel, data in build_files(load_config(site_dir)).files.items()
             if rel.startswith(search.BUNDLES)}
    rebuilder = Rebuilder(site_dir)
    assert rebuilder.full().error is None and rebuilder.views is not None
    background = BackgroundIndex(lambda line: None, quiet=0.01)
    try:
        background.schedule(rebuilder.views.site, rebuilder.files, prefix="/", language="en")
        deadline = time.monotonic() + 120
        while background.runs == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert background.files == built
    finally:
        background.stop()


def test_the_preview_serves_the_index_a_reader_started_on(site_dir: Path) -> None:
    """A search page reads Pagefind's files one after another, each named by its content: after a run that
    re-indexes a bundle, the chunks the run before named are still served (a reader that had loaded the older
    metadata finds them, not a 404 page), the newest file wins where both have a name, and only the last two
    runs are kept."""
    from generator.engine.rebuild import Rebuilder
    from generator.preview.search import BackgroundIndex

    _populate(site_dir)
    rebuilder = Rebuilder(site_dir)
    background = BackgroundIndex(lambda line: None, quiet=0.01)
    runs: list[dict[str, bytes]] = []
    try:
        for n in range(3):
            if n:
                story = next((site_dir / "content").rglob("story-0.md"))
                story.write_text(story.read_text(encoding="utf-8") + f"\nNew word z{n}qk.\n", encoding="utf-8")
            assert rebuilder.full().error is None and rebuilder.views is not None
            background.schedule(rebuilder.views.site, rebuilder.files, prefix="/", language="en")
            deadline = time.monotonic() + 120
            while background.runs == n and time.monotonic() < deadline:
                time.sleep(0.05)
            runs.append(background.files)
        first, second, third = runs
        gone = first.keys() - second.keys()
        assert any("/index/" in rel for rel in gone) and any("/fragment/" in rel for rel in gone)
        assert second.keys() - third.keys() and not gone & third.keys()
        assert all(background.file(rel) == data for rel, data in third.items())  # the newest, where both have one
        assert all(background.file(rel) == second[rel] for rel in second.keys() - third.keys())
        assert all(background.file(rel) is None for rel in gone - second.keys() - third.keys())
    finally:
        background.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority is Linux's")
def test_the_preview_index_yields_the_cpu_to_the_rest_of_the_preview() -> None:
    """The background index runs at a lower priority (so do the Pagefind runs it starts, which inherit it): a
    rebuild, the server and the browser get the CPU first. The rest of the preview keeps its own."""
    from generator.preview.search import NICE, BackgroundIndex

    before = os.getpriority(os.PRIO_PROCESS, 0)
    background = BackgroundIndex(lambda line: None, quiet=0.01)
    try:
        tid = background._thread.native_id
        assert tid is not None
        deadline = time.monotonic() + 10
        while os.getpriority(os.PRIO_PROCESS, tid) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert os.getpriority(os.PRIO_PROCESS, tid) == min(19, before + NICE)
        assert os.getpriority(os.PRIO_PROCESS, 0) == before
    finally:
        background.stop()
