"""`digest serve` in real Chromium: edits show up by themselves (the new page swapped into the open one, node for
node what loading it gives, or reloaded where a swap could differ), errors come and go, CSS swaps in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.preview.server import Preview
from tests.browser import chromium
from tests.sitekit import write_article


@pytest.fixture
def live(site_dir: Path) -> Iterator[tuple[Preview, Any, Path]]:
    article = write_article(site_dir, "heritage", "mosul-minaret", title="Minaret rebuilt", date="2024-11-14",
                            body="Workers placed the last brick.\n\n" + "More text follows.\n\n" * 60,
                            tags=["mosul"], highlights=["The tower stands again"])
    write_article(site_dir, "heritage", "old-church", title="Old church restored", date="2024-11-10",
                  body="The church reopened.", tags=["mosul"])
    log = open(site_dir / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    preview = Preview(site_dir, port=0, out=log, quiet=0.02)
    preview.start()
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(10_000)
        yield preview, page, article
        page.close()
    preview.stop()
    log.close()


def _article_url(preview: Preview) -> str:
    rel = next(p for p in preview.state.rebuilder.files if p.endswith("mosul-minaret/index.html"))
    return preview.url + rel[: -len("index.html")]


def test_edit_article_updates_open_page(live: tuple[Preview, Any, Path]) -> None:
    preview, page, article = live
    page.goto(_article_url(preview))
    page.wait_for_selector("text=Workers placed the last brick.")
    page.evaluate("window.scrollTo(0, 400); window.__sameDocument = true")
    article.write_text(article.read_text(encoding="utf-8").replace("the last brick", "the final stone"),
                       encoding="utf-8")
    page.wait_for_selector("text=Workers placed the final stone.")
    assert page.evaluate("window.__sameDocument") is True  # swapped in: no reload, the reader stays where he was
    assert page.evaluate("window.scrollY") == 400


# (what to replace, with what, what shows once it is in): a body edit, then edits that change the head (title,
# description, feeds advertised, JSON-LD) or the neighbours, and `site.yaml` (every page again).
EDITS = [
    ("the last brick", "the final stone", "document.body.innerText.includes('the final stone')"),
    ("title: Minaret rebuilt", "title: Minaret <rebuilt> & reopened",
     "document.title.includes('Minaret <rebuilt> & reopened')"),
    ("- The tower stands again", "- The tower stands tall", "document.body.innerText.includes('stands tall')"),
    ("- mosul", "- mosul\n- unesco", "!!document.querySelector('link[href*=\"/tags/unesco/\"]')"),
    ("date: '2024-11-14'", "date: '2024-11-09'", "!document.querySelector('link[rel=next]')"),
]


def test_the_swapped_page_is_the_page_a_load_gives(live: tuple[Preview, Any, Path]) -> None:
    preview, page, article = live
    url = _article_url(preview)
    page.goto(url)
    page.wait_for_selector("text=Workers placed the last brick.")
    page.evaluate("window.__sameDocument = true")
    fresh = page.context.browser.new_page()
    html = "document.documentElement.outerHTML"
    for old, new, shown in EDITS:
        text = article.read_text(encoding="utf-8")
        assert old in text, old
        article.write_text(text.replace(old, new), encoding="utf-8")
        page.wait_for_function(shown)
        fresh.goto(url)
        assert page.evaluate(html) == fresh.evaluate(html), new
        assert page.evaluate("window.__sameDocument") is True, new
    site_yaml = preview.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("title: Middle East Digest",
                                                                       "title: Levant Digest"), encoding="utf-8")
    page.wait_for_function("document.title.includes('Levant Digest')")
    fresh.goto(url)
    assert page.evaluate(html) == fresh.evaluate(html)
    assert page.evaluate("window.__sameDocument") is True
    fresh.close()


def test_a_page_a_swap_could_change_otherwise_reloads(live: tuple[Preview, Any, Path]) -> None:
    preview, page, article = live
    # The search page runs a script: swapping its body in would not run it again.
    page.goto(preview.url + "search/")
    page.evaluate("window.__sameDocument = true")
    site_yaml = preview.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("title: Middle East Digest",
                                                                       "title: Levant Digest"), encoding="utf-8")
    page.wait_for_function("document.title.includes('Levant Digest')")
    assert page.evaluate("window.__sameDocument") is None
    # A <style> added to the head: a stylesheet cannot be swapped in without loading it.
    page.goto(_article_url(preview))
    page.wait_for_selector("text=Workers placed the last brick.")
    page.evaluate("window.__sameDocument = true")
    base = preview.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</head>", "<style>body { outline: 5px solid red }</style>\n</head>"),
                    encoding="utf-8")
    page.wait_for_function("getComputedStyle(document.body).outlineWidth === '5px'")
    assert page.evaluate("window.__sameDocument") is None


def test_editor_save_by_rename_is_seen(live: tuple[Preview, Any, Path]) -> None:
    preview, page, article = live
    page.goto(_article_url(preview))
    page.wait_for_selector("text=Workers placed the last brick.")
    temp = article.with_name(".mosul-minaret.md.tmp")
    temp.write_text(article.read_text(encoding="utf-8").replace("last brick", "keystone"), encoding="utf-8")
    temp.replace(article)
    page.wait_for_selector("text=Workers placed the keystone.")


def test_broken_edit_shows_error_and_fix_brings_page_back(live: tuple[Preview, Any, Path]) -> None:
    preview, page, article = live
    page.goto(_article_url(preview))
    page.wait_for_selector("text=Workers placed the last brick.")
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("title: Minaret rebuilt", "title: [unclosed"), encoding="utf-8")
    error = page.wait_for_selector("#digest-errors")
    assert "mosul-minaret.md:" in error.inner_text()
    article.write_text(good.replace("the last brick", "the very last brick"), encoding="utf-8")
    page.wait_for_selector("text=Workers placed the very last brick.")
    assert page.query_selector("#digest-errors") is None


def test_css_edit_applies_without_reload(live: tuple[Preview, Any, Path]) -> None:
    preview, page, _article = live
    page.goto(_article_url(preview))
    page.wait_for_selector("text=Workers placed the last brick.")
    page.evaluate("window.scrollTo(0, 400); window.__sameDocument = true")
    css_rel = page.evaluate(
        "new URL(document.querySelector('link[rel~=stylesheet]').href).pathname.slice(1)")
    css = preview.root / "static" / css_rel.removeprefix("static/")
    assert css.is_file(), css_rel
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n",
                   encoding="utf-8")
    page.wait_for_function("getComputedStyle(document.body).outlineWidth === '7px'")
    assert page.evaluate("window.__sameDocument") is True
    assert page.evaluate("window.scrollY") == 400
