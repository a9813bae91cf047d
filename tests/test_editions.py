"""Editions: one page per period with articles, grouped by topic, with an email copy and a feed item each."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.pages.context import edition_dates
from generator.pages.editions import period_of
from generator.site.language import make_language
from tests.sitekit import write_article
from tests.test_build_support import read_page

ROOT = Path(__file__).resolve().parent.parent


def _build(site: Path, out: Path | None = None) -> Path:
    out = out or site / "public"
    assert main(["build", "--site", str(site), "--output", str(out), "--quiet", "--no-cache"]) == 0
    return out


def _week(site: Path) -> None:
    """Articles of ISO week 2024-w46 in three topics (listed out of site.yaml order), one the week before."""
    write_article(site, "heritage", "minaret", title="Minaret rebuilt", date="2024-11-14",
                  highlights=["The tower stands again"], dateline="Mosul")
    write_article(site, "israel-lebanon", "truce", title="Truce proposal", date="2024-11-14", body="Talks went on.")
    write_article(site, "israel-lebanon", "strike", title="Strike on Baalbek", date="2024-11-17T23:30:00+02:00")
    write_article(site, "iraq-militias", "militias", title="Militias regroup", date="2024-11-11")
    write_article(site, "heritage", "church", title="Church restored", date="2024-11-10")


def test_an_edition_groups_its_week_by_topic_in_site_order_newest_first(site_dir: Path) -> None:
    _week(site_dir)
    out = _build(site_dir)
    page = read_page(out / "editions/2024-w46/index.html")
    assert page.h1 == ["11 – 17 November 2024"]  # CLDR en-GB: thin spaces round the dash
    text = page.text
    order = [text.index(t) for t in ("Militias regroup", "Strike on Baalbek", "Truce proposal", "Minaret rebuilt")]
    assert order == sorted(order)  # iraq-militias, israel-lebanon (newest first), heritage: site.yaml's order
    assert "Church restored" not in text  # a Sunday: the week before
    assert "4 articles in 3 topics" in text and "Israel–Lebanon (2)" in text and "Heritage (1)" in text
    assert "The tower stands again" in text and "Mosul" in text and "Talks went on." in text  # highlights, or text
    assert "/editions/2024-w46/email.html" in page.hrefs and "/editions/2024-w46/email.txt" in page.hrefs
    assert page.link("next")[0]["href"] == "/editions/2024-w45/" and not page.link("prev")
    assert read_page(out / "editions/2024-w45/index.html").link("prev")[0]["href"] == "/editions/2024-w46/"
    index = read_page(out / "editions/index.html").text
    assert index.index("11 – 17 November 2024") < index.index("4 – 10 November 2024")
    assert "4 articles: Iraq militias 1, Israel–Lebanon 2, Heritage 1" in index
    home = read_page(out / "index.html")
    assert "/editions/2024-w46/" in home.hrefs and "Latest edition: 11 – 17 November 2024" in home.text
    nav = (out / "2024/11/truce/index.html").read_text(encoding="utf-8").split("<nav", 1)[1].split("</nav>")[0]
    assert 'href="/editions/2024-w46/"' in nav
    assert sorted(p.name for p in (out / "editions").iterdir()) == [
        "2024-w45", "2024-w46", "atom.xml", "feed.json", "feed.xml", "index.html"]


def test_the_email_copy_is_self_contained_and_links_only_absolutely(site_dir: Path) -> None:
    _week(site_dir)
    out = _build(site_dir)
    html = (out / "editions/2024-w46/email.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<style" not in html and 'rel="stylesheet"' not in html
    assert "class=" not in html  # inline styles only: nothing a stylesheet could select
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links and all(link.startswith("https://digest.example.org/") for link in links), links
    assert "https://digest.example.org/2024/11/truce/" in links and "max-width:600px" in html
    text = (out / "editions/2024-w46/email.txt").read_text(encoding="utf-8")
    assert "<" not in text and "https://digest.example.org/2024/11/strike/" in text
    assert text.index("MILITIAS") < text.index("ISRAEL–LEBANON (2)") < text.index("HERITAGE (1)")
    assert max(len(line) for line in text.splitlines() if not line.startswith("http")) <= 72


def test_the_editions_feed_carries_each_edition_whole_and_keeps_its_guid(site_dir: Path, tmp_path: Path) -> None:
    _week(site_dir)
    first = feedparser.parse((_build(site_dir) / "editions/feed.xml").read_bytes())
    assert [e.id for e in first.entries] == ["https://digest.example.org/editions/2024-w46/",
                                             "https://digest.example.org/editions/2024-w45/"]
    whole = first.entries[0].content[0].value
    assert all(f'href="https://digest.example.org/2024/11/{slug}/"' in whole
               for slug in ("militias", "strike", "truce", "minaret"))
    write_article(site_dir, "region", "late", title="A late article", date="2024-11-12")
    out = _build(site_dir, tmp_path / "again")
    again = feedparser.parse((out / "editions/feed.xml").read_bytes())
    assert [e.id for e in again.entries] == [e.id for e in first.entries]  # the late article keeps the guid
    assert "A late article" in again.entries[0].content[0].value and again.entries[0].published == \
        first.entries[0].published
    atom = ET.parse(out / "editions/atom.xml").getroot()
    ids = [e.findtext("{http://www.w3.org/2005/Atom}id") for e in atom.iter("{http://www.w3.org/2005/Atom}entry")]
    assert ids == [e.id for e in first.entries]


@pytest.mark.parametrize(("period", "folders"), [
    ("month", ["2024-11"]),
    ("day", ["2024-11-10", "2024-11-11", "2024-11-14", "2024-11-17"]),
])
def test_editions_by_month_or_day(site_dir: Path, period: str, folders: list[str]) -> None:
    _week(site_dir)
    config = site_dir / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"editions:\n  period: {period}\n", encoding="utf-8")
    out = _build(site_dir)
    assert sorted(p.name for p in (out / "editions").iterdir() if p.is_dir()) == folders
    heading = read_page(out / f"editions/{folders[-1]}/index.html").h1
    assert heading == ["November 2024" if period == "month" else "17 November 2024"]


def test_a_bad_period_is_reported_at_its_line(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = site_dir / "site.yaml"
    lines = len(config.read_text(encoding="utf-8").splitlines())
    config.write_text(config.read_text(encoding="utf-8") + "editions:\n  period: fortnight\n", encoding="utf-8")
    assert main(["build", "--site", str(site_dir)]) == 1
    err = capsys.readouterr().err
    assert f"site.yaml:{lines + 2}: editions.period: 'fortnight' is not a period (use one of: week, month, day)" \
        in err and "Traceback" not in err


def test_weeks_follow_the_site_time_zone_and_iso_years(site_dir: Path) -> None:
    # 23:30 UTC on Sunday 29 December 2024 is Monday 30 December in Beirut: ISO week 1 of 2025.
    write_article(site_dir, "region", "late-night", title="Late night", date="2024-12-29T23:30:00+00:00")
    out = _build(site_dir)
    assert read_page(out / "editions/2025-w01/index.html").h1 == ["30 December 2024 – 5 January 2025"]


def test_edition_templates_can_be_overridden(site_dir: Path) -> None:
    _week(site_dir)
    for name, marker in (("edition.html", "<p>Our edition</p>"), ("editions.html", "<p>Our editions</p>")):
        (site_dir / "templates" / name).write_text(
            f'{{% extends "theme/{name}" %}}{{% block main %}}{{{{ super() }}}}{marker}{{% endblock %}}',
            encoding="utf-8")
    (site_dir / "templates/email.html").write_text("{{ title }} {{ web }}", encoding="utf-8")
    out = _build(site_dir)
    assert "<p>Our edition</p>" in (out / "editions/2024-w46/index.html").read_text(encoding="utf-8")
    assert "<p>Our editions</p>" in (out / "editions/index.html").read_text(encoding="utf-8")
    assert (out / "editions/2024-w46/email.html").read_text(encoding="utf-8") == \
        "Middle East Digest: weekly edition, 11\u2009–\u200917 November 2024 https://digest.example.org/editions/2024-w46/"


def test_the_bundled_site_has_an_edition_for_each_week_with_articles(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(".venv", ".git", "public", ".digest-*", "tests",
                                                              "benchmarks", "generator", "sources"))
    out = _build(site)
    weeks = set()
    for md in (ROOT / "content").rglob("*.md"):
        day = date.fromisoformat(re.search(r"(?m)^date: '?(\d{4}-\d{2}-\d{2})", md.read_text("utf-8"))[1])
        weeks.add(period_of(day, "week")[0])
    assert {p.name for p in (out / "editions").iterdir() if p.is_dir()} == weeks
    index = (out / "editions/index.html").read_text(encoding="utf-8")
    for week in weeks:
        assert f'href="/editions/{week}/"' in index
        html = (out / f"editions/{week}/email.html").read_text(encoding="utf-8")
        assert all(link.startswith("https://") for link in re.findall(r'(?:href|src)="([^"]*)"', html))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from(["week", "month", "day"]))
def test_every_day_falls_in_exactly_its_period(day: date, period: str) -> None:
    key, start, end = period_of(day, period)
    assert start <= day <= end
    assert all(period_of(start + timedelta(days=n), period)[0] == key for n in range((end - start).days + 1))
    assert period_of(start - timedelta(days=1), period)[0] != key != period_of(end + timedelta(days=1), period)[0]
    if period == "week":
        assert start.isoweekday() == 1 and (end - start).days == 6 and key == f"{day.isocalendar()[0]:04d}-w" \
            f"{day.isocalendar()[1]:02d}"
    heading = edition_dates(make_language("en-GB"), start, end, period)
    assert str(end.year) in heading and heading.count(str(end.year)) <= 2
