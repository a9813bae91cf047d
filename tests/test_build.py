"""`digest build` on the fixture site, through the CLI entry point: pages, URLs, output folder behaviour."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_build_support import (  # noqa: F401 (built_fixture provides `built`)
    PREFIX,
    build,
    built_fixture,
    copy_fixture,
    digest,
    read_page,
    snapshot,
)

ARTICLES = ("2024/12/third-round", "2024/12/minaret-rebuilt", "2024/11/second-look", "2024/11/first-strike")
BASE = "https://fixture.example.org/news/"


def _html_pages(out: Path) -> list[Path]:
    """The site's pages (the editions' email copies, made for mail clients, are checked on their own)."""
    return sorted(p for p in out.rglob("*.html") if p.name != "email.html")


EDITIONS = ("2024-w49", "2024-w48", "2024-w44")  # 2 December (a Monday), 1 December (a Sunday), 1 and 3 November


def _with_twins(feeds: set[str]) -> set[str]:
    """RSS feeds and their Atom and JSON Feed twins."""
    return {f.removesuffix("feed.xml") + name for f in feeds for name in ("feed.xml", "atom.xml", "feed.json")}


def test_output_tree(built: Path) -> None:
    files = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    feeds = {"feed.xml", "editions/feed.xml", *(f"topics/{t}/feed.xml" for t in ("alpha", "beta", "other")),
             *(f"tags/{t}/feed.xml" for t in ("al-nuri-mosque", "beirut", "hezbollah", "talks"))}
    expected = {
        ".digest-output", "index.html", "404.html", "sitemap.xml", "robots.txt", "static/style.css",
        "static/search.js", "static/favicon.svg", "static/favicon.ico", "favicon.ico",
        "archive/index.html", "tags/index.html", "editions/index.html",
        *(f"{a}/index.html" for a in ARTICLES),
        "topics/alpha/index.html", "topics/alpha/page/2/index.html",
        "topics/beta/index.html", "topics/other/index.html",
        *(f"tags/{t}/index.html" for t in ("al-nuri-mosque", "beirut", "hezbollah", "talks")),
        "tags/hezbollah/page/2/index.html",
        *(f"editions/{e}/{name}" for e in EDITIONS for name in ("index.html", "email.html", "email.txt")),
        *_with_twins(feeds),
    }
    assert files == expected  # no draft, no future article, no .hidden.md, no notes.txt


def test_summary_line_and_skipped_future_article(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    run = build(site)
    lines = run.out.splitlines()
    assert lines[0] == (f"skipped {site}/content/beta/tomorrow.md: dated 2999-01-01, in the future "
                        "(it appears once that date has come)")
    assert re.fullmatch(r"built 4 articles, 1 draft left out, 1 future article left out, 3 topics, 4 tags: "
                        r"21 pages and 27 feeds in \S+/public \(61 files written, 0 unchanged, 0 removed\) "
                        r"in \d+\.\d\d s", lines[1]), lines[1]
    assert len(lines) == 2 and run.err == ""


def test_every_page_has_its_head(built: Path) -> None:
    for path in _html_pages(built):
        page = read_page(path)
        rel = path.relative_to(built).as_posix()
        assert len(page.h1) == 1, rel
        assert page.title and page.meta["description"], rel
        canonical = page.link("canonical")[0]["href"]
        assert canonical == BASE + rel.removesuffix("index.html"), rel
        assert page.meta["og:url"] == canonical and page.meta["og:title"] and page.meta["og:description"], rel
        feeds = {a["type"]: a["href"] for a in page.link("alternate") if a["href"].count("/") == PREFIX.count("/")}
        assert feeds == {"application/rss+xml": PREFIX + "feed.xml", "application/atom+xml": PREFIX + "atom.xml",
                         "application/feed+json": PREFIX + "feed.json"}, rel
        assert page.link("stylesheet")[0]["href"] == PREFIX + "static/style.css"
        assert "skip" in page.text.lower() and "main" in page.ids
    titles = [read_page(p).title for p in _html_pages(built)]
    assert len(set(titles)) == len(titles)  # every page its own title


def test_internal_links_all_resolve(built: Path) -> None:
    for path in _html_pages(built):
        page = read_page(path)
        for href in page.hrefs + [link["href"] for link in page.links if link.get("rel") != "canonical"]:
            if href.startswith("#"):
                assert href[1:] in page.ids, (path, href)
                continue
            if href.startswith("http"):
                assert not href.startswith(BASE), (path, href)  # internal links are root-relative
                continue
            assert href.startswith(PREFIX), (path, href)
            rel = href[len(PREFIX):].split("#")[0]
            target = built / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
            assert target.is_file(), (path, href)


def test_article_page(built: Path) -> None:
    page = read_page(built / "2024/11/first-strike/index.html")
    assert page.h1 == ["First strike hits the old market"]
    assert page.title == "First strike hits the old market — Fixture Digest"
    assert page.times[0] == "2024-11-01"
    text = page.text
    for expected in ("Beirut", "1 November 2024", "1 min read", "The old market was hit at dawn",
                     "Smoke rises over the old market on November 1. (Reuters)", "(AFP)", "FASTFACT The old market",
                     "The market dates from the 12th century.", "Read more", "Earlier strikes on the city",
                     "Source: Reuters", "Café owners swept up “glass” — and went on.",
                     '<script>alert("x")</script> raw HTML that must stay text'):
        assert expected in text, expected
    assert "<script>alert" not in (built / "2024/11/first-strike/index.html").read_text()
    assert PREFIX + "tags/hezbollah/" in page.hrefs and PREFIX + "topics/alpha/" in page.hrefs
    # previous/next within the topic, related by shared tags then date
    assert PREFIX + "2024/11/second-look/" in page.hrefs
    related = page.text.split("Related articles", 1)[1]
    assert related.index("Third round") < related.index("A second look")  # two shared tags before one
    feeds = {a["href"] for a in page.link("alternate")}
    assert feeds == {PREFIX + p for p in _with_twins({"feed.xml", "topics/alpha/feed.xml", "tags/hezbollah/feed.xml",
                                                      "tags/beirut/feed.xml"})}
    assert page.meta["og:type"] == "article" and page.meta["article:section"] == "Alpha affairs"
    ld = page.ld
    assert ld["@type"] == "NewsArticle" and ld["headline"] == "First strike hits the old market"
    assert ld["datePublished"] == "2024-11-01T00:00:00+02:00" and ld["dateline"] == "Beirut"
    assert ld["url"] == BASE + "2024/11/first-strike/"


def test_article_names_and_links_the_original(built: Path) -> None:
    html = (built / "2024/11/second-look/index.html").read_text(encoding="utf-8")
    page = read_page(built / "2024/11/second-look/index.html")
    assert "Originally published by Arab News & <Partners>" in page.text
    url = "https://www.arabnews.com/node/2582201/middle-east?ref=digest&page=2"
    assert url in page.hrefs and page.ld["isBasedOn"] == url
    assert "&lt;Partners&gt;" in html and "?ref=digest&amp;page=2" in html
    third = read_page(built / "2024/12/third-round/index.html")  # no url, no author: no line
    assert "Originally published" not in third.text


def test_article_with_time_and_unsafe_title(built: Path) -> None:
    second = read_page(built / "2024/11/second-look/index.html")
    assert second.times[0] == "2024-11-03T14:30:00+02:00" and "3 November 2024, 14:30" in second.text
    raw = (built / "2024/12/minaret-rebuilt/index.html").read_text(encoding="utf-8")
    assert "<h1>Minaret rebuilt: Al-Nuri &lt;rises&gt; again &amp; stands</h1>" in raw
    script = raw.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script and ">" not in script and "&" not in script
    assert read_page(built / "2024/12/minaret-rebuilt/index.html").ld["headline"] == \
        "Minaret rebuilt: Al-Nuri <rises> again & stands"


def test_topic_pages_paginate(built: Path) -> None:
    first = read_page(built / "topics/alpha/index.html")
    second = read_page(built / "topics/alpha/page/2/index.html")
    assert first.h1 == ["Alpha affairs"] and "Everything about alpha." in first.text
    assert "Third round" in first.text and "A second look" in first.text and "First strike" not in first.text
    assert "First strike" in second.text and "Page 2 of 2" in second.text
    assert first.link("next")[0]["href"] == PREFIX + "topics/alpha/page/2/"
    assert second.link("prev")[0]["href"] == PREFIX + "topics/alpha/"
    assert {a["href"] for a in first.link("alternate")} == {PREFIX + p for p in _with_twins({"topics/alpha/feed.xml",
                                                                                             "feed.xml"})}
    assert "No articles in this topic yet." in read_page(built / "topics/other/index.html").text


def test_tag_pages_and_index(built: Path) -> None:
    index = read_page(built / "tags/index.html")
    assert re.search(r"Al-Nuri Mosque \(1\) Beirut \(2\) Hezbollah \(3\) talks \(1\)", index.text)
    hezbollah = read_page(built / "tags/hezbollah/index.html")
    assert hezbollah.h1 == ["Hezbollah"] and "3 articles tagged Hezbollah." in hezbollah.text
    assert "First strike" in read_page(built / "tags/hezbollah/page/2/index.html").text


def test_home_archive_404_sitemap_robots(built: Path) -> None:
    home = read_page(built / "index.html")
    assert home.h1 == ["Fixture Digest"] and home.title == "Fixture Digest"
    for expected in ("Latest", "Alpha affairs", "Beta & co", "Ways in", "All 4 tags",
                     "Whole digest: RSS, Atom, JSON Feed", "All 4 articles, month by month",
                     "Latest edition: 2 – 8 December 2024"):
        assert expected in home.text, expected
    assert "Other news (RSS)" in home.text and PREFIX + "archive/" in home.hrefs
    archive = read_page(built / "archive/index.html").text
    assert archive.index("December 2024") < archive.index("November 2024")
    assert "Page not found" in read_page(built / "404.html").text
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    pages = {BASE + p.relative_to(built).as_posix().removesuffix("index.html") for p in _html_pages(built)}
    assert set(locs) == pages - {BASE + "404.html"} and len(locs) == len(set(locs))
    assert "<lastmod>2024-11-01</lastmod>" in sitemap
    assert (built / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    one, two = copy_fixture(tmp_path, "one"), copy_fixture(tmp_path, "two")
    build(one)
    build(two)
    a, b = snapshot(one / "public"), snapshot(two / "public")
    assert {k: v[0] for k, v in a.items()} == {k: v[0] for k, v in b.items()}


def test_rebuild_skips_unchanged_files_and_removes_deleted_articles(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    out = site / "public"
    build(site)
    before = snapshot(out)
    (out / "extra-by-hand.txt").write_text("mine")
    run = build(site)
    assert "(0 files written, 61 unchanged, 0 removed)" in run.out
    after = snapshot(out)
    assert all(after[k] == before[k] for k in before)  # same bytes, same modification times
    (site / "content/beta/minaret.md").unlink()
    run = build(site)
    # the article, its only tag's page and feeds, its edition (it was the week's only article): page and email copy
    assert "8 removed" in run.out
    assert not (out / "2024/12/minaret-rebuilt").exists() and not (out / "tags/al-nuri-mosque").exists()
    assert (out / "2024/12/third-round/index.html").exists()
    assert (out / "extra-by-hand.txt").read_text() == "mine"  # not digest's: never deleted
    assert not list(out.glob(".digest-staging-*"))
    marker = (out / ".digest-output").read_text().splitlines()
    assert "2024/12/minaret-rebuilt/index.html" not in marker and "index.html" in marker


def test_drafts_flag_includes_drafts(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    run = build(site, "--drafts")
    assert "built 5 articles, 1 future article left out" in run.out
    page = read_page(site / "public/2024/11/unfinished/index.html")
    assert "Draft" in page.text


def test_base_url_and_output_options(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    out = tmp_path / "elsewhere" / "www"
    build(site, "--output", out, "--base-url", "https://other.example.com")
    page = read_page(out / "2024/11/first-strike/index.html")
    assert page.link("canonical")[0]["href"] == "https://other.example.com/2024/11/first-strike/"
    assert page.link("stylesheet")[0]["href"] == "/static/style.css"
    assert "<link>https://other.example.com/2024/12/third-round/</link>" in (out / "feed.xml").read_text()
    assert not (site / "public").exists()
    bad = digest("build", "--site", site, "--base-url", "ftp://x")
    assert bad.code == 1 and bad.err == "error: --base-url: 'ftp://x' is not an absolute http(s) URL " \
        "(e.g. https://example.org/)\n"


def test_site_templates_and_static_override_the_theme(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost at sea</h1>{% endblock %}\n', encoding="utf-8")
    (site / "templates/tags.html").write_text(
        '{% extends "theme/tags.html" %}{% block main %}<p>Our tags:</p>{{ super() }}{% endblock %}\n',
        encoding="utf-8")
    (site / "static").mkdir()
    (site / "static/style.css").write_text("body { color: black; }\n", encoding="utf-8")
    (site / "static/img").mkdir()
    (site / "static/img/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n", encoding="utf-8")
    build(site)
    out = site / "public"
    assert read_page(out / "404.html").h1 == ["Lost at sea"]
    tags = read_page(out / "tags/index.html")
    assert "Our tags:" in tags.text and tags.h1 == ["Tags"]
    assert (out / "static/style.css").read_text() == "body { color: black; }\n"
    assert (out / "static/img/logo.svg").exists()
    assert read_page(out / "index.html").h1 == ["Fixture Digest"]  # the rest still from the theme


def test_refuses_a_folder_it_did_not_create(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("precious")
    run = digest("build", "--site", site, "--output", mine)
    assert run.code == 1
    assert f"error: {mine}: this folder was not created by digest" in run.err
    assert [p.name for p in mine.iterdir()] == ["thesis.txt"] and (mine / "thesis.txt").read_text() == "precious"
    run = digest("build", "--site", site, "--output", site / "content" / "out")
    assert run.code == 1 and "must not hold or lie inside" in run.err
    run = digest("build", "--site", site, "--output", site)
    assert run.code == 1 and "must not hold or lie inside" in run.err
    empty = tmp_path / "empty"
    empty.mkdir()
    build(site, "--output", empty)
    assert (empty / ".digest-output").is_file()
