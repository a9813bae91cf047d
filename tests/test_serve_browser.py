"""`digest serve` in real Chromium: edits show up by themselves, errors come and go, CSS swaps in place."""

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
                            tags=["mosul"])
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
    page.evaluate("window.__sameDocument = true")
    article.write_text(article.read_text(encoding="utf-8").replace("the last brick", "the final stone"),
                       encoding="utf-8")
    page.wait_for_selector("text=Workers placed the final stone.")
    assert page.evaluate("window.__sameDocument") is None  # it reloaded by itself


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
