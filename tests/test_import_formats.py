"""`digest import` of scraper output: JSON records, arrays, JSON Lines and saved HTML pages.

The HTML fixtures are pages written here; their `*.trafilatura.json` twins are what
the real trafilatura made of them (`tests/fixtures/scraped/make_trafilatura.py`).
The news-please and newspaper4k records are shaped as those libraries write them
(news-please's `get_serializable_dict`, newspaper4k's `Article.to_json()`).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from unittest import mock

import pytest

from generator.importer.detect import DUMP, HTML, JSON, JSON_LINES, kind
from generator.site.frontmatter import split

try:  # the import tests' helpers, when collected from the tests folder
    from test_import_files import _run, _tree
except ImportError:  # collected as a package (tests/__init__.py)
    from tests.test_import_files import _run, _tree

SCRAPED = Path(__file__).resolve().parent / "fixtures" / "scraped"
PLAIN = {name: SCRAPED / f"plain.{name}" for name in ("txt", "html", "newsplease.json", "newspaper4k.json",
                                                      "trafilatura.json")}
FULL = {name: SCRAPED / f"roundtrip.{name}" for name in ("txt", "html", "trafilatura.json")}
PROVENANCE = ("url", "author")


def _articles(site: Path) -> dict[str, tuple[dict, str]]:
    """Title -> (front matter, body) of every article written."""
    out = {}
    for path in sorted((site / "content").rglob("*.md")):
        parsed = split(path.read_text(encoding="utf-8"), path)
        out[parsed.meta["title"]] = (dict(parsed.meta), parsed.body)
    return out


def _only(site: Path) -> tuple[dict, str]:
    (article,) = _articles(site).values()
    return article


def _copy_site(site_dir: Path, tmp_path: Path, name: str) -> Path:
    site = tmp_path / name
    shutil.copytree(site_dir, site)
    return site


# --- detection: from the content, not the name --------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('{"title": "x"}', JSON),
    ('\n  {\n  "title": "x",\n  "text": "y"\n}\n', JSON),
    ('[{"title": "x"}]', JSON),
    ("[ ]", JSON),
    ('{"title": "a"}\n{"title": "b"}\n', JSON_LINES),
    ('{"title": "a"}\n\n{"title": \n', JSON_LINES),
    ('{"title": broken', JSON),
    ("<!DOCTYPE html><html><body><p>x</p></body></html>", HTML),
    ("<!-- saved from url=(0030)https://example.org/ -->\n<html>", HTML),
    ('<?xml version="1.0"?>\n<!doctype html>', HTML),
    ("<HEAD><TITLE>x</TITLE>", HTML),
    ("Headline\n\nShort Url\nUpdated 15 November 2024\n", DUMP),
    ("[Photo] Headline\nUpdated 15 November 2024\n", DUMP),
    ("<b>Headline</b> is not a page\nUpdated 15 November 2024\n", DUMP),
])
def test_kind_is_read_from_the_content(text: str, expected: str) -> None:
    assert kind(text) == expected


def test_file_names_do_not_matter(site_dir: Path, tmp_path: Path, capsys) -> None:
    """A news-please record named .txt and a page named .json import as what they are."""
    record = tmp_path / "record.txt"
    record.write_bytes(PLAIN["newsplease.json"].read_bytes())
    page = tmp_path / "page.json"
    page.write_bytes(FULL["html"].read_bytes())
    code, out, err = _run(site_dir, capsys, record, page)
    assert (code, err) == (0, "")
    assert out.endswith("2 articles from 2 dumps: 2 created\n")


# --- round trips: the same article in every format --------------------------------------------------

def _without(meta: dict, *keys: str) -> dict:
    return {k: v for k, v in meta.items() if k not in keys}


@pytest.mark.parametrize("fixtures", [PLAIN, FULL], ids=["plain", "full"])
def test_the_same_article_in_any_format_gives_the_same_file(fixtures, site_dir: Path, tmp_path: Path,
                                                            capsys) -> None:
    results = {}
    for name, source in fixtures.items():
        site = _copy_site(site_dir, tmp_path, name)
        code, _out, err = _run(site, capsys, source)
        assert (code, err) == (0, ""), name
        results[name] = _only(site)
    dump_meta, dump_body = results.pop("txt")
    assert not set(PROVENANCE) & set(dump_meta)
    for name, (meta, body) in results.items():
        assert body == dump_body, name
        assert meta["url"].startswith("https://www.arabnews.com/node/"), name
        if name == "trafilatura.json":
            # trafilatura's own JSON keeps the day only and leaves photo captions out.
            assert str(meta["date"]) == str(dump_meta["date"])[:10]
            assert _without(meta, *PROVENANCE, "date") == _without(dump_meta, "date", "images")
        else:
            assert _without(meta, *PROVENANCE) == dump_meta, name


def test_provenance_fields_come_from_each_scraper(site_dir: Path, tmp_path: Path, capsys) -> None:
    expected = {"html": "Reuters", "newsplease.json": "Reuters", "newspaper4k.json": "Reuters",
                "trafilatura.json": "Reuters"}
    for name, author in expected.items():
        site = _copy_site(site_dir, tmp_path, name)
        _run(site, capsys, PLAIN[name])
        meta, _body = _only(site)
        assert (meta["author"], meta["url"]) == (author, "https://www.arabnews.com/node/2580412/middle-east")
    site = _copy_site(site_dir, tmp_path, "site-name")
    _run(site, capsys, FULL["html"])  # no byline on the page: the site's name stands for the publisher
    assert _only(site)[0]["author"] == "Arab News"


def test_page_chrome_never_reaches_the_body(site_dir: Path, capsys) -> None:
    code, _out, _err = _run(site_dir, capsys, FULL["html"], PLAIN["html"])
    assert code == 0
    text = "\n".join(json.dumps(meta) + body for meta, body in _articles(site_dir).values())
    for chrome in ("Most popular", "Saudi crown prince", "Newsletter", "Share", "Facebook", "WhatsApp",
                   "Short Url", "Follow", "Updated 9 December", "About us", "All rights reserved", "Middle East",
                   "Advertisement", "Log in", "Skip to main content", "Topics:", "Gold prices"):
        assert chrome not in text, chrome


# --- batches and bad records ---------------------------------------------------------------------------

def _record(**changes: object) -> dict:
    record = json.loads(PLAIN["newsplease.json"].read_text(encoding="utf-8"))
    record.update(changes)
    return record


def test_json_lines_batch_imports_the_good_records_and_names_each_bad_line(
        site_dir: Path, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(_record()),
        json.dumps(_record(title="None")),
        '{"title": "Broken", "maintext": "cut off',
        json.dumps(_record(title="Second good record about Sinjar", date_publish="2024-11-21 08:00:00")),
        json.dumps(_record(title="No text here", maintext="None", text=None)),
        json.dumps(_record(title="Impossible day", date_publish="2024-02-30 10:00:00")),
        json.dumps(["not", "an", "object"]),
        json.dumps(_record(title="No date at all", date_publish="None", date_modify="None")),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(site_dir, capsys, batch)
    assert code == 1
    assert out.endswith("8 articles from 1 dump: 2 created, 6 not imported\n")
    assert sorted(_articles(site_dir)) == ["Iraq's parliament passes law to return seized Yazidi land in Sinjar",
                                           "Second good record about Sinjar"]
    errors = err.splitlines()
    assert errors[:-1] == [
        f"error: {batch}:2: title: is missing or empty (the article's headline is required)",
        f"error: {batch}:3: not JSON: Unterminated string starting at (column 33)",
        f"error: {batch}:5: maintext: is missing or empty: article 'No text here' has no text",
        f"error: {batch}:6: date_publish: '2024-02-30 10:00:00' is not a real date (day is out of range for month)",
        f"error: {batch}:7: a list is not an article record (write one JSON object per article, with title, "
        "text or maintext, and a date)",
        f"error: {batch}:8: date: article 'No date at all' has no date (news-please: date_publish, "
        "trafilatura: date, newspaper4k: publish_date)",
    ]
    assert errors[-1] == "digest import: 6 articles not imported (see the errors above); everything else was"


def test_a_batch_of_bad_records_only_writes_nothing(site_dir: Path, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(_record(title="")) + "\n" + json.dumps(_record(maintext="")) + "\n", encoding="utf-8")
    code, out, err = _run(site_dir, capsys, batch)
    assert (code, out, _tree(site_dir)) == (1, "2 articles from 1 dump: 2 not imported\n", {})
    assert err.splitlines()[-1] == "digest import: 2 articles not imported (see the errors above); everything else was"


def test_json_array_names_the_line_each_bad_record_starts_on(site_dir: Path, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([_record(), _record(title=""), _record(title="Another", date_publish="soon")],
                                indent=2), encoding="utf-8")
    code, out, err = _run(site_dir, capsys, batch)
    text = batch.read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(text, start=1) if line == "  {"]
    assert code == 1 and out.endswith("3 articles from 1 dump: 1 created, 2 not imported\n")
    assert err.splitlines()[:2] == [
        f"error: {batch}:{starts[1]}: title: is missing or empty (the article's headline is required)",
        f"error: {batch}:{starts[2]}: date_publish: 'soon' is not a date (write 2024-11-15, 2024-11-15 10:32:00 or "
        "2024-11-15T10:32:00+03:00)",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ('{"title": "x", "maintext": "y",}', "1: not JSON: "),  # the wording is Python's, and varies by version
    ('[\n  {"title": "x"},\n  {"title": \n]', "4: not JSON: Expecting value (column 1)"),
    ('{"name": "digest", "version": "0.1.0", "dependencies": {}}',
     " is JSON but not a scraped article (a news-please, trafilatura or newspaper4k record has a title and a text: "
     "maintext or text)"),
    ("[]", " is JSON but not a scraped article"),
    ('{"a": ' * 100_000 + "1" + "}" * 100_000, " is JSON nested too deep to be an article"),
])
def test_a_json_file_that_is_broken_or_no_article_is_refused_whole(
        site_dir: Path, tmp_path: Path, capsys, text: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    code, out, err = _run(site_dir, capsys, bad, PLAIN["txt"])
    assert (code, out, _tree(site_dir)) == (1, "", {})
    assert err.startswith(f"error: {bad}:{message}") and len(err.splitlines()) == 1


def test_none_strings_and_nulls_are_missing_values(site_dir: Path, tmp_path: Path, capsys) -> None:
    record = tmp_path / "r.json"
    record.write_text(json.dumps(_record(authors=["None"], url="None", title_page="None")), encoding="utf-8")
    assert _run(site_dir, capsys, record)[0] == 0
    meta, _body = _only(site_dir)
    assert "author" not in meta and "url" not in meta


def test_unsafe_urls_are_not_kept(site_dir: Path, tmp_path: Path, capsys) -> None:
    record = tmp_path / "r.json"
    record.write_text(json.dumps(_record(url="javascript:alert(1)")), encoding="utf-8")
    assert _run(site_dir, capsys, record)[0] == 0
    assert "url" not in _only(site_dir)[0]


def test_html_without_the_extra_is_one_line_saying_how_to_install_it(site_dir: Path, capsys) -> None:
    with mock.patch.dict(sys.modules, {"trafilatura": None}):  # `import trafilatura` raises ImportError
        code, out, err = _run(site_dir, capsys, PLAIN["html"], PLAIN["txt"])
    assert (code, out, _tree(site_dir)) == (1, "", {})
    assert err == (f"error: {PLAIN['html']}: is an HTML page, and reading HTML pages needs trafilatura: "
                   "install digest's html extra (pip install 'digest[html]', or pip install '.[html]' in digest's "
                   "own folder)\n")


def test_a_page_with_no_article_or_no_date(site_dir: Path, tmp_path: Path, capsys) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<!DOCTYPE html><html><head><title>Home</title></head><body></body></html>", encoding="utf-8")
    code, _out, err = _run(site_dir, capsys, page)
    assert code == 1 and err == f"error: {page}: is an HTML page with no article that trafilatura could find\n"
    undated = tmp_path / "undated.html"
    undated.write_text(FULL["html"].read_text(encoding="utf-8").replace("2024-12-09", "").replace("9 December", ""),
                       encoding="utf-8")
    code, _out, err = _run(site_dir, capsys, undated)
    assert code == 1 and err.splitlines()[0] == (
        f"error: {undated}: the page \"Gulf states pledge $2bn to rebuild Gaza's water network\" gives no date "
        "(no article:published_time, JSON-LD datePublished or <time datetime>)")


# --- again and again: idempotent, hand edits kept -------------------------------------------------------

@pytest.mark.parametrize("source", [*PLAIN.values(), *FULL.values()], ids=lambda p: p.name)
def test_importing_again_changes_nothing(source: Path, site_dir: Path, capsys) -> None:
    assert _run(site_dir, capsys, source)[0] == 0
    before = _tree(site_dir)
    code, out, _err = _run(site_dir, capsys, source)
    assert code == 0 and out.endswith("1 article from 1 dump: 1 unchanged\n")
    assert _tree(site_dir) == before


def test_hand_edits_to_an_imported_record_are_kept(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, PLAIN["newsplease.json"])
    (path,) = (site_dir / "content").rglob("*.md")
    path.write_text(path.read_text(encoding="utf-8").replace("six months", "nine months"), encoding="utf-8")
    before = _tree(site_dir)
    code, out, _err = _run(site_dir, capsys, PLAIN["newsplease.json"])
    assert code == 0 and out.startswith("kept your edits: ") and _tree(site_dir) == before


def test_the_same_article_from_another_format_keeps_its_file_and_id(site_dir: Path, tmp_path: Path,
                                                                    capsys) -> None:
    _run(site_dir, capsys, PLAIN["txt"])
    (path,) = (site_dir / "content").rglob("*.md")
    first = split(path.read_text(encoding="utf-8"), path).meta
    code, out, _err = _run(site_dir, capsys, PLAIN["newspaper4k.json"])
    assert code == 0 and out.startswith(f"updated: {path}")  # it gains url and author
    (again,) = (site_dir / "content").rglob("*.md")
    meta = split(again.read_text(encoding="utf-8"), again).meta
    assert again == path and meta["id"] == first["id"]
    # The dump again: it knows no url or author, so it leaves them, and the file, as they are.
    before = _tree(site_dir)
    code, out, _err = _run(site_dir, capsys, PLAIN["txt"])
    assert code == 0 and out.startswith(f"unchanged: {path}") and _tree(site_dir) == before
    # A record with another URL does change it.
    moved = tmp_path / "moved.json"
    moved.write_text(PLAIN["newspaper4k.json"].read_text(encoding="utf-8").replace("/node/2580412/", "/node/9/"),
                     encoding="utf-8")
    code, out, _err = _run(site_dir, capsys, moved)
    assert code == 0 and out.startswith(f"updated: {path}")
    assert split(path.read_text(encoding="utf-8"), path).meta["url"] == "https://www.arabnews.com/node/9/middle-east"


CHROME_IN_BODY = {
    "strip as a paragraph": ('<div class="entry-content">',
                             '<div class="entry-content"><p>Short Url · Updated 9 December 2024 14:05 · Follow</p>'),
    "links list inside the text": ('<p>Donors said', '<h3>Most popular</h3><ul><li><a href="/n/1">Saudi crown prince '
                                   'receives Emir of Qatar</a></li><li><a href="/n/2">Oil prices steady as markets '
                                   'weigh OPEC+ decision</a></li></ul><p>Donors said'),
    "related list at the end": ("</div>\n  <div class=\"share-buttons bottom\">",
                                '<p>Related</p><ul><li><a href="/n/3">Aid reaches north Gaza</a></li></ul></div>\n'
                                '  <div class="share-buttons bottom">'),
}


@pytest.mark.parametrize("case", CHROME_IN_BODY)
def test_chrome_that_trafilatura_keeps_in_the_text_is_dropped(case: str, site_dir: Path, tmp_path: Path,
                                                               capsys) -> None:
    """Metamorphic: page chrome inside the article's own container leaves the article as it was."""
    import trafilatura

    old, new = CHROME_IN_BODY[case]
    page = FULL["html"].read_text(encoding="utf-8")
    assert old in page
    variant = tmp_path / "variant.html"
    variant.write_text(page.replace(old, new, 1), encoding="utf-8")
    kept = json.loads(trafilatura.extract(variant.read_text(encoding="utf-8"), output_format="json"))["text"]
    assert any(word in kept for word in ("Short Url", "Most popular", "Related")), "trafilatura dropped it itself"
    plain = _copy_site(site_dir, tmp_path, "plain")
    _run(plain, capsys, FULL["html"])
    assert _run(site_dir, capsys, variant)[0] == 0
    assert _only(site_dir) == _only(plain)
