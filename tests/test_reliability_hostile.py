"""Hostile content comes out inert: raw HTML, scripts, event handlers and script links in any field or body are
shown as text or refused, never live in pages or feeds; nothing is written outside the output folder."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.pages.render import make_markdown
from generator.site import frontmatter
from tests.test_build_support import copy_fixture, digest

XSS = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>"\'&'
LINKS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
         "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", " javascript:alert(1)",
         "javascript&colon;alert(1)", "%6Aavascript:alert(1)"]
BODY = "\n\n".join([
    XSS, "<div onmouseover=alert(4)>hover</div>", "<svg onload=alert(5)>", "<iframe src=javascript:alert(6)>",
    *(f"[link {i}]({link})" for i, link in enumerate(LINKS)),
    *(f"![image {i}]({link})" for i, link in enumerate(LINKS)),
    "<javascript:alert(7)>", "[ref][r]\n\n[r]: javascript:alert(8)", "```html\n<script>alert(9)</script>\n```",
    "<!-- <script>alert(10)</script> -->", "<style>body{}</style>",
])
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Audit(HTMLParser):
    """Collects what would be live in a browser: script elements, event-handler attributes, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            kind = dict(attrs).get("type")
            if kind != "application/ld+json":
                self.problems.append(f"<script {attrs}>")
            self.in_script = tag
        if tag in ("iframe", "object", "embed", "style", "svg", "base", "form"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "srcset", "poster", "xlink:href") and value:
                cleaned = "".join(value.split()).lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = ""

    def handle_data(self, data: str) -> None:
        if self.in_script and "<" in data:  # JSON-LD must escape '<' so that '</script>' cannot end it early
            self.problems.append("'<' inside JSON-LD")


def audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_fixture(tmp_path_factory.mktemp("hostile"))
    meta = {
        "id": XSS, "title": XSS, "date": "2024-11-05", "topic": "alpha", "tags": ["hezbollah"],
        "dateline": XSS, "source": "javascript:alert(11)", "highlights": [XSS, "javascript:alert(12)"],
        "images": [{"caption": XSS, "credit": XSS}], "factboxes": [{"label": XSS, "title": XSS, "text": XSS}],
        "read_more": [XSS, "javascript:alert(13)"], "extra_html": XSS, "nested": {"a": [XSS]},
    }
    (site / "content/alpha/hostile.md").write_text(frontmatter.dump(meta, BODY), encoding="utf-8")
    yaml_text = (site / "site.yaml").read_text(encoding="utf-8")
    yaml_text = yaml_text.replace("title: Fixture Digest", f"title: {json.dumps(XSS)}").replace(
        "description: A tiny digest for the build tests.", f"description: {json.dumps(XSS)}")
    (site / "site.yaml").write_text(yaml_text, encoding="utf-8")
    run = digest("build", "--site", site)
    assert run.code == 0, run.err
    return site


def test_no_page_has_live_hostile_content(hostile: Path) -> None:
    pages = sorted((hostile / "public").rglob("*.html"))
    assert len(pages) > 10
    article = (hostile / "public/2024/11/hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article  # shown as text
    for page in pages:
        assert audit(page.read_text(encoding="utf-8")) == [], page


def test_no_feed_item_has_live_hostile_content(hostile: Path) -> None:
    feeds = sorted((hostile / "public").rglob("*.xml"))
    assert feeds
    for feed in feeds:
        root = ET.parse(feed).getroot()  # well-formed XML: nothing broke out of its element
        for element in root.iter():
            if element.text and element.tag.endswith(("encoded", "description")):
                assert audit(element.text) == [], (feed, element.tag)
            for name, value in element.attrib.items():
                assert not "".join(value.split()).lower().startswith(DANGEROUS_SCHEMES), (feed, name)
            if element.tag in ("link", "guid", "comments") and element.text:
                assert not element.text.strip().lower().startswith(DANGEROUS_SCHEMES), feed


def test_nothing_written_outside_the_output(hostile: Path) -> None:
    outside = sorted(p.relative_to(hostile).as_posix() for p in hostile.rglob("*")
                     if p.relative_to(hostile).parts[0] not in ("public", "content", ".digest-cache")
                     and p.is_file())
    assert outside == ["site.yaml"]


@pytest.mark.parametrize("link", LINKS)
def test_markdown_refuses_script_links(link: str) -> None:
    md = make_markdown()
    decoded = link.replace("&#106;", "j").replace("&colon;", ":").strip()
    if decoded.isprintable() and "%" not in decoded:  # markdown-it-py's own check, on what the parser decodes
        assert not md.validateLink(decoded)
    html = md.render(f"[x]({link}) ![y]({link}) <{link}>\n\n[r]\n\n[r]: {link}\n")
    assert audit(html) == [], html


@pytest.mark.parametrize("field,value", [("slug", "../../../outside"), ("slug", "/etc/passwd"),
                                         ("slug", "..\\..\\x"), ("topic", "../alpha"), ("tags", ["../x"])])
def test_path_like_values_are_refused(tmp_path: Path, field: str, value: object) -> None:
    site = copy_fixture(tmp_path)
    meta = {"title": "T", "date": "2024-11-05", "topic": "alpha", field: value}
    (site / "content/alpha/evil.md").write_text(frontmatter.dump(meta, "Text."), encoding="utf-8")
    run = digest("build", "--site", site)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"evil.md:5: {field}:" in run.err or f"evil.md:4: {field}:" in run.err, run.err
    assert not (site / "public").exists() and not (tmp_path / "outside").exists()


@pytest.mark.parametrize("where", ["site", "content", "templates", "static", "parent", "inside content",
                                   "foreign", "home-like"])
def test_output_folder_is_never_a_source_nor_foreign(tmp_path: Path, where: str) -> None:
    site = copy_fixture(tmp_path)
    for name in ("templates", "static"):
        (site / name).mkdir()
        (site / name / "keep.txt").write_text("mine", encoding="utf-8")
    output = {"site": site, "content": site / "content", "templates": site / "templates",
              "static": site / "static", "parent": tmp_path, "inside content": site / "content/out",
              "foreign": tmp_path / "documents", "home-like": tmp_path / "home"}[where]
    if where in ("foreign", "home-like"):
        output.mkdir()
        (output / "letter.txt").write_text("dear", encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    run = digest("build", "--site", site, "--output", output)
    assert run.code == 1 and "Traceback" not in run.err and len(run.err.splitlines()) == 1, run.err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_digest_never_deletes_or_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    assert digest("build", "--site", site).code == 0
    (site / "public/mine.txt").write_text("mine", encoding="utf-8")
    (site / "public/2024/notes").mkdir(parents=True, exist_ok=True)
    (site / "public/2024/notes/n.txt").write_text("notes", encoding="utf-8")
    for article in (site / "content").rglob("*.md"):
        article.unlink()  # every article page goes; the user's files stay
    assert digest("build", "--site", site).code == 0
    assert (site / "public/mine.txt").read_text(encoding="utf-8") == "mine"
    assert (site / "public/2024/notes/n.txt").read_text(encoding="utf-8") == "notes"
    assert not (site / "public/2024/11").exists()
    (site / "public/archive").rename(site / "public/archive-moved")
    (site / "public/archive").mkdir()
    (site / "public/archive/index.html").write_text("my own archive", encoding="utf-8")
    (site / "public/.digest-output").write_text(
        (site / "public/.digest-output").read_text(encoding="utf-8").replace("archive/index.html\n", ""),
        encoding="utf-8")
    run = digest("build", "--site", site)
    assert run.code == 1 and "digest did not write this file" in run.err, run.err
    assert (site / "public/archive/index.html").read_text(encoding="utf-8") == "my own archive"
