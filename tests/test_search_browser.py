"""Search in real Chromium: the bundled site built by `digest build` and served by a plain static server,
and the same site in `digest serve`. A word from one article's body finds it; a click lands on it; a
filter narrows the results; no request leaves the site and the console stays clean; axe is clean."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.preview.server import Preview
from tests.browser import chromium
from tests.test_build_support import digest

ROOT = Path(__file__).resolve().parent.parent
# A word of one article's body -> the end of that article's URL.
FINDS = {"Kawtharani": "/2020/02/iranian-backed-hezbollah-stepping-in-to-guide-iraqi-militias-after-death-of/",
         "Seljuk": "/2024/11/a-symbol-of-resilience-workers-in-iraq-complete-reconstruction-of-famous-mosul/"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled site, built with `digest build` and served by Python's plain static server."""
    out = tmp_path_factory.mktemp("search") / "public"
    run = digest("build", "--site", ROOT, "--output", out, "--no-cache")
    assert run.code == 0, run.err
    assert "search index: " in run.out
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


class Watched:
    """A page whose requests and console errors are recorded."""

    def __init__(self, browser: Any, origin: str) -> None:
        self.page = browser.new_page()
        self.page.set_default_timeout(15_000)
        self.origin = origin
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def results(self) -> list[str]:
        self.page.wait_for_selector(".search-result a")
        return [a.get_attribute("href") or "" for a in self.page.query_selector_all(".search-result h2 a")]

    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin + "/")]


def _type_find_click(w: Watched, word: str, expected: str) -> None:
    w.page.goto(w.origin + "/")
    w.page.fill("#site-search-q", word)  # the box in every page's header
    w.page.press("#site-search-q", "Enter")
    w.page.wait_for_url("**/search/?q=*")
    hrefs = w.results()
    assert hrefs == [expected], (word, hrefs)
    result = w.page.query_selector(".search-result")
    text = result.inner_text()
    assert word.lower() in text.lower()  # the excerpt shows the word
    assert result.query_selector("mark") is not None
    w.page.click(f".search-result a[href='{expected}']")
    w.page.wait_for_url(w.origin + expected)
    assert w.page.query_selector("h1").inner_text()


def _filter_narrows(w: Watched) -> None:
    w.page.goto(w.origin + "/search/")
    w.page.fill("#search-q", "Iraq")  # typed: results come as the reader types
    before = w.results()
    assert len(before) >= 2
    topics = {m.inner_text().split(" · ")[0] for m in w.page.query_selector_all(".search-result .meta")}
    assert len(topics) >= 2
    box = w.page.query_selector("fieldset[data-filter=topic] input[type=checkbox]")
    label = w.page.query_selector(f"label[for='{box.get_attribute('id')}']").inner_text()
    topic, count = label.rsplit(" (", 1)
    box.click()
    w.page.wait_for_function(f"document.querySelectorAll('.search-result').length === {int(count.rstrip(')'))}")
    after = w.results()
    assert 0 < len(after) < len(before) and set(after) <= set(before)
    assert {m.inner_text().split(" · ")[0] for m in w.page.query_selector_all(".search-result .meta")} == {topic}
    assert w.page.is_checked(f"#{box.get_attribute('id')}")
    w.page.select_option("#search-sort", "desc")  # newest first: by date
    w.page.wait_for_url("**sort=desc*")
    dates = w.page.eval_on_selector_all(".search-result a", "els => els.map(a => a.getAttribute('href'))")
    assert dates == sorted(dates, reverse=True)  # article URLs start with /yyyy/mm/


def test_static_build_finds_and_lands(static_site: str, browser: Any) -> None:
    w = Watched(browser, static_site)
    for word, expected in FINDS.items():
        _type_find_click(w, word, expected)
    _filter_narrows(w)
    w.page.goto(static_site + "/search/?q=Seljuk")  # opens with the results
    assert w.results() == [FINDS["Seljuk"]]
    assert w.page.input_value("#search-q") == "Seljuk"
    assert w.outside() == [] and w.errors == []
    w.page.close()


def test_search_page_is_accessible(static_site: str, browser: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        page.goto(static_site + "/search/?q=Iraq")
        page.wait_for_selector(".search-result a")
        found += [f"{scheme}: {v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
                  for v in axe.run(page).response["violations"]]
        page.close()
    assert found == []


def test_only_articles_are_indexed(static_site: str, browser: Any) -> None:
    """A topic's title appears on its topic page and home page, but only articles come back."""
    w = Watched(browser, static_site)
    w.page.goto(static_site + "/search/?q=Heritage")
    hrefs = w.results()
    assert hrefs and all(h.count("/") == 4 and h[1:5].isdigit() for h in hrefs), hrefs
    w.page.close()


def test_serve_searches_too(tmp_path: Path, browser: Any) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(".*", "public", "tests", "benchmarks", "*.egg-info"))
    preview = Preview(site, port=0, out=open(os.devnull, "w"), quiet=0.02)  # noqa: SIM115 (closed by stop)
    preview.start()
    try:
        w = Watched(browser, preview.url.rstrip("/"))
        deadline = time.monotonic() + 60
        while preview.state.search_files() == {} and time.monotonic() < deadline:
            time.sleep(0.1)  # the index is built in the background after start
        for word, expected in FINDS.items():
            _type_find_click(w, word, expected)
        # Off the article the last search landed on: its live reload after the edit would cut short the
        # navigation below (net::ERR_ABORTED). The search page is not changed by an edit.
        w.page.goto(w.origin + "/search/")
        article = next((site / "content").rglob("*mosul*.md"))
        article.write_text(article.read_text(encoding="utf-8") + "\nThe Zanzibarian mason signed it.\n",
                           encoding="utf-8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # re-indexed after the edit
            w.page.goto(w.origin + "/search/?q=Zanzibarian")
            w.page.wait_for_selector(".search-status:not(:empty)")
            if w.page.query_selector(".search-result a"):
                break
            time.sleep(0.3)
        assert w.results() == [FINDS["Seljuk"]]
        assert w.outside() == [] and [e for e in w.errors if "EventSource" not in e] == []
        w.page.close()
    finally:
        preview.stop()
