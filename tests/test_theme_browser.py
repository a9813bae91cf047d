"""The theme looked at in real Chromium, as a reader on a phone and a desktop would.

Sites: the bundled digest, the fixture built with `--drafts`, a 60-article synthetic
site (`benchmarks/corpus.py`) and the Arabic fixture, all served over HTTP. Rules:
the first paragraph of every article starts on the first screen at 390x844; no
page scrolls sideways at 320 px; every card or entry of a draft carries the draft
label; an Arabic page runs right to left and is accessible (axe). Screenshots of
each page type at 1280 and 390 px are kept in `test-artifacts/screenshots/`
(ignored by git; `DIGEST_ARTIFACTS` names another folder) to be looked at.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium
from tests.sitekit import write_article
from tests.test_build_support import FIXTURE, digest

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def artifacts() -> Path:
    folder = Path(os.environ.get("DIGEST_ARTIFACTS") or ROOT / "test-artifacts") / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Path]]]:
    """(server URL, name -> output folder) of the four sites, each under /<name>/."""
    work = tmp_path_factory.mktemp("theme-sites")
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import write_corpus

    write_corpus(work / "corpus", 40)
    ar = work / "ar"
    shutil.copytree(FIXTURE.parent / "site_ar", ar)
    fixture = work / "fixture"
    shutil.copytree(FIXTURE, fixture)
    # Unbroken words (a pasted URL, a long name) in titles, highlights, captions and the body: they must
    # wrap, on the article's page and in every list that shows them (cards, neighbours, related, archive).
    long = "[negotiations](https://example.org/negotiations/1)-" * 3
    for day in (3, 4):
        write_article(fixture, "alpha", f"unbroken-{day}", title=f"Militia {long} commander {day}",
                      date=f"2024-11-{day:02d}", tags=["hezbollah"], highlights=[f"Text {long}"],
                      images=[{"caption": f"A caption {long}"}], body=f"First {long} paragraph.\n\n{long}")
    fr = work / "fr"
    shutil.copytree(FIXTURE, fr)
    (fr / "site.yaml").write_text((fr / "site.yaml").read_text("utf-8").replace("language: en-GB", "language: fr"))
    sites = {"bundled": (ROOT, ()), "fixture": (fixture, ("--drafts",)), "corpus": (work / "corpus", ()),
             "ar": (ar, ("--drafts",)), "fr": (fr, ())}
    www = work / "www"
    www.mkdir()
    outputs = {}
    for name, (site, extra) in sites.items():
        out = work / "out" / name
        run = digest("build", "--site", site, "--output", out, "--base-url", f"https://example.org/{name}/",
                     "--no-cache", *extra)
        assert run.code == 0, run.err
        (www / name).symlink_to(out)
        outputs[name] = out

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", outputs
    finally:
        server.shutdown()
        server.server_close()


def _articles(out: Path) -> list[str]:
    return sorted(p.parent.relative_to(out).as_posix() + "/" for p in out.glob("[0-9]*/[0-9]*/*/index.html"))


def _page_types(out: Path) -> dict[str, str]:
    """One page of each kind: home, an article (the one with most highlights), a topic, a tag, the archive,
    an edition (the largest) and the editions list."""
    articles = _articles(out)
    longest = max(articles, key=lambda a: ((out / a / "index.html").read_text("utf-8").count("<li>"), a))
    topic = sorted(p.parent.relative_to(out).as_posix() + "/" for p in out.glob("topics/*/index.html"))[0]
    tag = max((p.parent.relative_to(out).as_posix() + "/" for p in out.glob("tags/*/index.html")),
              key=lambda t: ((out / t / "index.html").stat().st_size, t))
    edition = max((p.parent.relative_to(out).as_posix() + "/" for p in out.glob("editions/*/index.html")),
                  key=lambda e: ((out / e / "index.html").stat().st_size, e))
    return {"home": "", "article": longest, "topic": topic, "tag": tag, "archive": "archive/",
            "edition": edition, "editions": "editions/"}


def _screenshot(page: Any, target: Path, *, full: bool = False) -> None:
    """A screenshot, tried twice: a loaded machine's headless Chromium now and then answers
    'Unable to capture screenshot' for a page it has rendered."""
    from playwright.sync_api import Error

    try:
        page.screenshot(path=str(target), full_page=full)
    except Error:
        page.wait_for_timeout(500)
        page.screenshot(path=str(target), full_page=full)


FIRST_PARAGRAPH = "(() => { const p = document.querySelector('.story .body p'); " \
                  "return p ? p.getBoundingClientRect().top + 24 : null })()"


def test_every_article_starts_its_text_on_the_first_phone_screen(served: tuple[str, dict[str, Path]]) -> None:
    url, outputs = served
    late: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        for name, out in outputs.items():
            for article in _articles(out):
                page.goto(f"{url}{name}/{article}")
                top = page.evaluate(FIRST_PARAGRAPH)
                assert top is not None, article
                if top > PHONE["height"]:  # a line of the first paragraph is on the first screen
                    late.append(f"{name}/{article}: {top - 24:.0f} px")
    assert late == []


def test_no_page_scrolls_sideways_on_a_narrow_phone(served: tuple[str, dict[str, Path]]) -> None:
    url, outputs = served
    wide: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport=NARROW)
        for name, out in outputs.items():
            paths = [*_page_types(out).values(), "tags/", "404.html", *_articles(out)]
            paged = sorted(p.parent.relative_to(out).as_posix() + "/" for p in out.glob("*/*/page/2/index.html"))
            for path in paths + paged[:2]:
                page.goto(f"{url}{name}/{path}")
                width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if width[0] > width[1]:
                    wide.append(f"{name}/{path}: {width}")
    assert wide == []


def test_every_card_of_a_draft_carries_the_label(served: tuple[str, dict[str, Path]]) -> None:
    url, outputs = served
    checked = 0
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        for name, draft, label in (("fixture", "2024/11/unfinished/", "Draft"), ("ar", "2024/09/draft/", "مسودة")):
            out = outputs[name]
            pages = ["", "archive/", *sorted(p.parent.relative_to(out).as_posix() + "/"
                                             for p in [*out.glob("topics/*/index.html"),
                                                       *out.glob("editions/*/index.html")]), *_articles(out)]
            for path in pages:
                page.goto(f"{url}{name}/{path}")
                # Every link to the draft in a list (a card, an entry, a neighbour) has the label beside it.
                found = page.evaluate("""([href]) => [...document.querySelectorAll(`main a[href="${href}"]`)]
                    .map(a => a.closest('article.card, li'))
                    .filter(Boolean)
                    .map(block => [...block.querySelectorAll('.draft')].map(d => d.innerText.trim()))""",
                                      [f"/{name}/{draft}"])
                for labels in found:
                    assert labels and {x.casefold() for x in labels} == {label.casefold()}, (name, path, labels)
                checked += len(found)
    assert checked >= 6


def test_screenshots_of_each_page_type_at_two_widths(served: tuple[str, dict[str, Path]]) -> None:
    """Kept for a person to look at; the test checks that they were taken at the sizes asked for."""
    url, outputs = served
    folder = artifacts()
    taken = []
    with chromium() as browser:
        for label, viewport in (("1280", DESKTOP), ("390", PHONE)):
            page = browser.new_page(viewport=viewport)
            for name in ("bundled", "corpus", "ar"):
                for kind, path in _page_types(outputs[name]).items():
                    page.goto(f"{url}{name}/{path}")
                    for full in (False, True):
                        target = folder / f"{name}-{kind}-{label}{'-full' if full else ''}.png"
                        _screenshot(page, target, full=full)
                        taken.append(target)
            page.close()
    for target in taken:
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        assert width == (1280 if "-1280" in target.name else 390)


def test_an_arabic_article_reads_right_to_left(served: tuple[str, dict[str, Path]]) -> None:

    url, outputs = served
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{url}ar/2024/11/truce/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        layout = page.evaluate("""() => {
            const box = s => document.querySelector(s).getBoundingClientRect();
            const style = s => getComputedStyle(document.querySelector(s));
            const nav = [...document.querySelectorAll('.site-nav li')].map(li => li.getBoundingClientRect());
            const p = box('.story .body > p');
            return {
                width: window.innerWidth,
                p: [p.left, p.right],
                firstNavRight: nav[0].right, secondNavRight: nav[1].right,
                rule: [style('.story-header .highlights').borderRightWidth,
                       style('.story-header .highlights').borderLeftWidth],
                brandRight: box('.brand a').right,
                text: style('.story .body > p').direction,
            };
        }""")
        assert layout["text"] == "rtl"
        assert layout["firstNavRight"] > layout["secondNavRight"]  # the first item is the rightmost
        assert layout["rule"] == ["4px", "0px"]  # the highlights' rule is on the right, where lines begin
        assert layout["brandRight"] > layout["width"] - 40  # the masthead starts on the right
        _screenshot(page, artifacts() / "ar-article-390-rtl.png")


def test_arabic_and_french_pages_are_accessible(served: tuple[str, dict[str, Path]]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    url, _outputs = served
    found = []
    with chromium() as browser:
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport=PHONE, color_scheme=scheme)
            for path in ("ar/", "ar/2024/11/truce/", "ar/topics/lubnan/page/2/", "ar/archive/", "ar/tags/",
                         "ar/editions/", "ar/editions/2024-w46/", "fr/", "fr/2024/11/first-strike/",
                         "fr/topics/alpha/page/2/", "fr/archive/", "fr/404.html", "fr/editions/2024-w48/"):
                page.goto(url + path)
                result = Axe().run(page)
                found += [f"{scheme} /{path}: {v['id']}" for v in result.response["violations"]
                          if v["impact"] in ("moderate", "serious", "critical")]
            page.close()
    assert found == []
