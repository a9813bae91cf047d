"""`digest serve` keeps up with the site whatever happens to its folders (issue 16), in a real process seen
by real Chromium: folders that appear, are replaced, renamed into place or linked and re-linked are watched
from the moment they exist; a future article appears by itself when it comes due; a 404 says why a left-out
article is not there; messages name files as `digest build` does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser import chromium
from tests.conftest import ROOT
from tests.sitekit import write_article
from tests.test_serve_cli import _free_port

BODY = "Workers placed the last brick."
SITE_ZONE = ZoneInfo("Asia/Beirut")  # site.yaml's timezone


class Served:
    """A running `digest serve` (its log read as it comes) and its URL."""

    def __init__(self, proc: subprocess.Popen[str], url: str) -> None:
        self.proc, self.url = proc, url
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_log(self, text: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert time.monotonic() < deadline, f"{text!r} not in the log: {self.lines}"
            time.sleep(0.05)


@contextmanager
def serve(site: Path, *args: str) -> Iterator[Served]:
    """`digest serve` run in the site folder, as a writer runs it."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port), *args], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}/"
    served = Served(proc, url)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # serving, with an error page
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        yield served
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and "Traceback" not in err, err


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    p = browser.new_page()
    p.set_default_timeout(10_000)
    yield p
    p.close()


def _article(site: Path, slug: str = "mosul-minaret", body: str = BODY, date: str = "2024-11-14",
             **meta: Any) -> Path:
    return write_article(site, "heritage", slug, title="Minaret rebuilt", date=date, body=body, **meta)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _url(served: Served, slug: str = "mosul-minaret", month: str = "2024/11") -> str:
    return f"{served.url}{month}/{slug}/"


def test_a_templates_folder_made_while_serving_is_watched(site_dir: Path, page: Any) -> None:
    shutil.rmtree(site_dir / "templates")  # the default theme's templates serve
    _article(site_dir)
    with serve(site_dir) as served:
        page.goto(_url(served))
        page.wait_for_selector(f"text={BODY}")
        (site_dir / "templates").mkdir()
        theme = (ROOT / "templates/article.html").read_text(encoding="utf-8")
        mine = site_dir / "templates/article.html"
        assert "{% block main %}" in theme  # the mark goes where any theme's article page shows it
        mine.write_text(theme.replace("{% block main %}", "{% block main %}<p>Mark one</p>", 1), encoding="utf-8")
        page.wait_for_selector("text=Mark one")
        for later in ("Mark two", "Mark three"):  # every later edit is seen, not just the first
            _edit(mine, "Mark one" if later == "Mark two" else "Mark two", later)
            page.wait_for_selector(f"text={later}")


def test_a_static_folder_made_while_serving_is_watched(site_dir: Path, page: Any) -> None:
    shutil.rmtree(site_dir / "static")
    _article(site_dir)
    with serve(site_dir) as served:
        page.goto(_url(served))
        page.wait_for_selector(f"text={BODY}")
        css = site_dir / "static/style.css"
        css.parent.mkdir()
        theme = (ROOT / "static/style.css").read_text(encoding="utf-8")
        css.write_text(theme + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n", encoding="utf-8")
        page.wait_for_function("getComputedStyle(document.body).outlineWidth === '7px'")
        _edit(css, "7px", "9px")
        page.wait_for_function("getComputedStyle(document.body).outlineWidth === '9px'")


def test_content_imported_again_from_scratch_is_watched(site_dir: Path, page: Any) -> None:
    _article(site_dir)
    with serve(site_dir) as served:
        page.goto(_url(served))
        page.wait_for_selector(f"text={BODY}")
        shutil.rmtree(site_dir / "content")  # `rm -rf content && digest import ...`
        time.sleep(0.2)
        article = _article(site_dir, body="Imported again.")
        page.wait_for_selector("text=Imported again.")
        _edit(article, "Imported again.", "Edited after the import.")
        page.wait_for_selector("text=Edited after the import.")


def test_content_moved_away_and_copied_back_is_watched(site_dir: Path, page: Any) -> None:
    article = _article(site_dir)
    with serve(site_dir) as served:
        page.goto(_url(served))
        page.wait_for_selector(f"text={BODY}")
        (site_dir / "content").rename(site_dir / "old")  # `mv content old && cp -r old content`
        shutil.copytree(site_dir / "old", site_dir / "content")
        _edit(site_dir / "old/heritage/mosul-minaret.md", "last brick", "old copy's brick")  # no longer the site
        _edit(article, "last brick", "copied brick")
        page.wait_for_selector("text=Workers placed the copied brick.")
        assert "old copy" not in page.content()


def test_linked_content_is_followed_through_edits_and_re_links(site_dir: Path, tmp_path: Path, page: Any) -> None:
    _article(site_dir)
    first, second = tmp_path / "checkout-a", tmp_path / "checkout-b"
    (site_dir / "content").rename(first)
    shutil.copytree(first, second)
    (site_dir / "content").symlink_to(first, target_is_directory=True)
    with serve(site_dir) as served:
        page.goto(_url(served))
        page.wait_for_selector(f"text={BODY}")
        _edit(site_dir / "content/heritage/mosul-minaret.md", "last brick", "linked brick")  # through the link
        page.wait_for_selector("text=Workers placed the linked brick.")
        _edit(first / "heritage/mosul-minaret.md", "linked brick", "target's brick")  # in the target
        page.wait_for_selector("text=Workers placed the target's brick.")
        _edit(second / "heritage/mosul-minaret.md", "last brick", "second checkout's brick")
        link = site_dir / "content.new"
        link.symlink_to(second, target_is_directory=True)
        link.replace(site_dir / "content")  # `ln -sfn`: the link now points elsewhere
        page.wait_for_selector("text=Workers placed the second checkout's brick.")
        _edit(second / "heritage/mosul-minaret.md", "second checkout's brick", "re-linked brick")
        page.wait_for_selector("text=Workers placed the re-linked brick.")
        _edit(first / "heritage/mosul-minaret.md", "target's brick", "stale brick")  # no longer the site
        time.sleep(0.5)
        assert "stale brick" not in page.content()


def test_a_future_article_comes_due_by_itself(site_dir: Path, page: Any) -> None:
    _article(site_dir, slug="old-church", body="The church reopened.")
    moment = (datetime.now(SITE_ZONE) + timedelta(seconds=3)).replace(microsecond=0)
    _article(site_dir, slug="due-soon", body="It came due.", date=moment.isoformat())
    with serve(site_dir) as served:
        page.goto(_url(served, "due-soon", moment.strftime("%Y/%m")))  # a 404 now, or already the article
        page.wait_for_selector("text=It came due.", timeout=15_000)  # reloaded into the article, no edit
        assert datetime.now(SITE_ZONE) >= moment
        assert page.query_selector("#digest-left-out") is None
        served.wait_log("rebuilt")
    said = [line for line in served.lines if "due-soon.md" in line]
    assert said == [f"skipped content/heritage/due-soon.md: dated {moment.isoformat()}, in the future "
                    "(it appears once that date has come)"]  # as `digest build` says it, once


def test_a_future_article_404_names_the_file_and_the_moment(site_dir: Path, page: Any) -> None:
    old = _article(site_dir, slug="old-church", body="The church reopened.")
    _article(site_dir, slug="far-off", body="Not yet.", date="2099-05-01T08:30:00+03:00")
    with serve(site_dir) as served:
        page.goto(_url(served, "far-off", "2099/05"))
        note = page.wait_for_selector("#digest-left-out").inner_text()
        assert "content/heritage/far-off.md" in note and "2099-05-01T08:30:00+03:00" in note
        assert page.inner_text("h1") == "Page not found"  # the site's own 404 page, with the note
        for n, (before, after) in enumerate((("reopened", "reopened again"), ("reopened again", "opened"))):
            _edit(old, before, after)
            deadline = time.monotonic() + 10
            while sum(line.startswith("rebuilt") for line in served.lines) <= n:
                assert time.monotonic() < deadline, served.lines
                time.sleep(0.05)
    assert sum("far-off.md" in line for line in served.lines) == 1, served.lines  # said once, not per rebuild


def test_a_draft_404_names_the_drafts_flag(site_dir: Path, page: Any) -> None:
    _article(site_dir, slug="old-church", body="The church reopened.")
    draft = _article(site_dir, slug="unfinished", body="Not yet.", draft=True)
    with serve(site_dir) as served:
        served.wait_log("skipped content/heritage/unfinished.md: a draft")
        page.goto(_url(served, "unfinished"))
        note = page.wait_for_selector("#digest-left-out").inner_text()
        assert "content/heritage/unfinished.md" in note and "--drafts" in note
        _edit(draft, "draft: true", "draft: false")
        page.wait_for_selector("text=Not yet.")  # published by the edit: the open 404 reloads into it


def test_messages_name_files_relative_to_the_current_folder(site_dir: Path, page: Any) -> None:
    article = _article(site_dir)
    with serve(site_dir) as served:
        page.goto(_url(served))
        page.wait_for_selector(f"text={BODY}")
        _edit(article, "date: '2024-11-14'", "date: someday")
        error = page.wait_for_selector("#digest-errors").inner_text()
        assert error.startswith("content/heritage/mosul-minaret.md:"), error
        served.wait_log("  content/heritage/mosul-minaret.md:")
        assert str(site_dir) not in "\n".join(served.lines[1:])
