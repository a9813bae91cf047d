"""Helpers for the `digest build` tests: the fixture site, running the CLI, reading pages back."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
PREFIX = "/news/"  # the path of the fixture's base_url: every internal link starts with it


@dataclass
class Run:
    code: int
    out: str
    err: str


def digest(*argv: str | Path) -> Run:
    """Run the real CLI entry point, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return Run(code, out.getvalue(), err.getvalue())


def copy_fixture(tmp_path: Path, name: str = "site") -> Path:
    site = tmp_path / name
    shutil.copytree(FIXTURE, site)
    return site


def build(site: Path, *args: str | Path) -> Run:
    run = digest("build", "--site", site, *args)
    assert run.code == 0, run.err
    return run


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", name="built")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`built`: the fixture site built once through the CLI; tests only read it. Returns the output folder.

    Test modules import this function to use the fixture (`# noqa: F401`)."""
    site = copy_fixture(tmp_path_factory.mktemp("built"))
    build(site)
    return site / "public"


@dataclass
class Page:
    """What the tests look at in one HTML page."""

    title: str = ""
    h1: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # name or property -> content
    links: list[dict[str, str]] = field(default_factory=list)  # <link> attributes
    hrefs: list[str] = field(default_factory=list)  # <a href>
    ids: set[str] = field(default_factory=set)
    times: list[str] = field(default_factory=list)  # <time datetime>
    json_ld: list[str] = field(default_factory=list)  # raw script text
    text: str = ""

    def link(self, rel: str) -> list[dict[str, str]]:
        return [a for a in self.links if a.get("rel") == rel]

    @property
    def ld(self) -> dict[str, object]:
        return json.loads(self.json_ld[0])


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "meta" and ("name" in a or "property" in a):
            self.page.meta[a.get("name") or a["property"]] = a.get("content", "")
        elif tag == "link":
            self.page.links.append(a)
        elif tag == "a" and "href" in a:
            self.page.hrefs.append(a["href"])
        elif tag == "time":
            self.page.times.append(a.get("datetime", ""))
        if tag in ("title", "h1", "script"):
            self._in.append(tag)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
            text = "".join(self._text)
            if tag == "title":
                self.page.title = text
            elif tag == "h1":
                self.page.h1.append(" ".join(text.split()))
            else:
                self.page.json_ld.append(text)

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)
        self.page.text += data


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.page.text = " ".join(reader.page.text.split())
    return reader.page
