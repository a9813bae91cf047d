"""Metamorphic round trips: one generated article, written as a dump, a news-please record, a newspaper4k
`to_json()`, a saved page with its chrome, and trafilatura's JSON of that page, imports to the same
front matter and body in every form (apart from `url` and `author`; trafilatura's own JSON keeps the
day of the date only and no photo captions).
"""

from __future__ import annotations

import html
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importer.command import run_import
from generator.site.config import load_config
from generator.site.frontmatter import split

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(ROOT)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

HEADLINES = [
    "Gulf states pledge $2bn to rebuild Gaza's water network", "Iraq’s parliament passes Sinjar land law",
    "Lebanese army deploys south of the Litani", "UNESCO hands back restored Al-Nouri mosque in Mosul",
    "Talks on Yemen prisoner swap resume in Muscat", "Oil climbs as Red Sea tensions stoke supply worries",
    "Kataib Hezbollah says it will suspend attacks", "Archaeologists find 4,000-year-old town near Al-Ula",
]
SENTENCES = [
    "The ministry said the work would take two years.", "Officials did not respond to requests for comment.",
    "Residents said the shelling had stopped by the evening.", "“We are not leaving,” said Umm Ahmad, 54.",
    "The plan costs about $120 million, according to the UN.", "Talks resumed on Sunday after a week-long pause.",
    "Prices rose by 2.5 percent in October, the central bank said.", "The council meets again in January.",
    "Engineers from Egypt, Jordan and Türkiye will join the team.", "A UNESCO team visited the site in May.",
    "Its score was 5 * 3 = 15, the report's footnote [1] said.", "The 1990s were the worst years, #3 in the list.",
]
# A sentence the scraper broke in two, and the page shows as two paragraphs.
BROKEN = [("Lawmakers said the vote was a first step, and that the government in Baghdad must now pay for",
           "schools, clinics and roads in the district.")]
DATELINES = [None, ("BEIRUT", ":"), ("DUBAI", ", Dec 9 (Reuters) -"), ("NEW YORK", ":"), ("GAZA CITY", " (AFP) —")]
CAPTIONS = [("Smoke rises over the southern suburbs of Beirut.", "AFP"),
            ("Workers restore the minaret of the Al-Nouri mosque.", "Reuters/File")]
BOXES = [("FASTFACT", "The old city", "The old city of Mosul was retaken from Daesh in July 2017."),
         ("BACKGROUND", None, "The border was drawn in 1923, after the fall of the Ottoman Empire.")]
HIGHLIGHTS = ["Donors will fund desalination plants and pipes", "Work starts once a ceasefire holds"]
READ_MORE = ["Aid convoys reach northern Gaza for first time in weeks"]


@dataclass(frozen=True)
class Spec:
    title: str
    when: date | datetime  # aware in the site's zone when it has a time
    dateline: tuple[str, str] | None
    highlights: tuple[str, ...]
    paragraphs: tuple[str, ...]
    caption: tuple[str, str] | None
    box: tuple[str, str | None, str] | None
    read_more: tuple[str, ...]

    def first(self) -> str:
        return f"{self.dateline[0]}{self.dateline[1]} {self.paragraphs[0]}" if self.dateline else self.paragraphs[0]

    def text_lines(self) -> list[str]:
        """The article's text lines in page order: highlights, first paragraph, caption, the rest, box, links."""
        lines = [self.first()]
        if self.caption:
            lines.append(f"{self.caption[0]} ({self.caption[1]})")
        lines += self.paragraphs[1:-1]
        if self.box:
            lines += [part for part in self.box if part]
        lines += [f"READ MORE: {link}" for link in self.read_more]
        lines += self.paragraphs[-1:] if len(self.paragraphs) > 1 else []
        return lines


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    day = draw(st.dates(date(2019, 1, 1), date(2025, 12, 31)))
    timed = draw(st.booleans())
    when: date | datetime = day
    if timed:
        when = datetime(day.year, day.month, day.day, draw(st.integers(1, 23)), draw(st.integers(0, 59)),
                        tzinfo=CONFIG.tz)
    picks = draw(st.lists(st.one_of(st.sampled_from(SENTENCES), st.sampled_from(BROKEN)), min_size=1, max_size=5,
                          unique=True))  # a page repeating a paragraph word for word loses it to trafilatura
    paragraphs: list[str] = []
    for pick in picks:
        paragraphs.extend(pick if isinstance(pick, tuple) else [pick])
    if paragraphs[-1] in BROKEN[0]:
        paragraphs.append("The ministry said the work would take two years.")
    return Spec(
        title=draw(st.sampled_from(HEADLINES)), when=when, dateline=draw(st.sampled_from(DATELINES)),
        highlights=tuple(draw(st.lists(st.sampled_from(HIGHLIGHTS), max_size=2, unique=True))),
        paragraphs=tuple(paragraphs), caption=draw(st.one_of(st.none(), st.sampled_from(CAPTIONS))),
        box=draw(st.one_of(st.none(), st.sampled_from(BOXES))),
        read_more=tuple(draw(st.lists(st.sampled_from(READ_MORE), max_size=1))),
    )


def _dump(a: Spec) -> str:
    d = a.when
    stamp = f"Updated {d.day} {MONTHS[d.month - 1]} {d.year}" + (f" {d:%H:%M}" if isinstance(d, datetime) else "")
    body = [f"  • {h}" for h in a.highlights] + a.text_lines()
    return "\n".join([a.title, "", "Short Url", stamp, "Follow", "", a.title, "", *[f"{b}\n" for b in body]])


def _stamp(a: Spec, sep: str) -> str:
    return a.when.isoformat(sep=sep) if isinstance(a.when, datetime) else f"{a.when.isoformat()}{sep}00:00:00"


def _newsplease(a: Spec) -> str:
    text = "\n".join([f"- {h}" for h in a.highlights] + a.text_lines())
    return json.dumps({
        "authors": ["Reuters"], "date_download": "2026-01-02 03:04:05", "date_modify": "None",
        "date_publish": _stamp(a, " ").split("+")[0], "description": a.paragraphs[0], "filename": "x.json",
        "image_url": None, "language": "en", "localpath": None, "maintext": text,
        "source_domain": "www.arabnews.com", "text": None, "title": a.title, "title_page": None,
        "title_rss": None, "url": "https://www.arabnews.com/node/1/middle-east",
    })


def _newspaper4k(a: Spec) -> str:
    text = "\n\n".join([f"- {h}" for h in a.highlights] + a.text_lines())
    return json.dumps({
        "url": "https://www.arabnews.com/node/1/middle-east", "read_more_link": "", "language": "en",
        "title": a.title, "top_image": "", "meta_img": "", "images": [], "movies": [], "keywords": [],
        "meta_keywords": [""], "tags": [], "authors": [], "publish_date": _stamp(a, "T"), "summary": "",
        "meta_description": "", "meta_lang": "en", "meta_favicon": "", "meta_site_name": "Arab News",
        "canonical_link": "https://www.arabnews.com/node/1/middle-east", "text": text,
    }, indent=4, ensure_ascii=False)


def _page(a: Spec) -> str:
    e = html.escape
    published = a.when.isoformat() if isinstance(a.when, datetime) else a.when.isoformat()
    parts = [f"<ul class='highlights'>{''.join(f'<li>{e(h)}</li>' for h in a.highlights)}</ul>"] if a.highlights \
        else []
    parts.append(f"<p>{e(a.first())}</p>")
    if a.caption:
        parts.append(f"<figure><img src='/p.jpg' alt=''><figcaption>{e(a.caption[0])} ({e(a.caption[1])})"
                     "</figcaption></figure>")
    parts += [f"<p>{e(p)}</p>" for p in a.paragraphs[1:-1]]
    if a.box:
        parts.append("<div class='box'>" + "".join(f"<p>{e(x)}</p>" for x in a.box if x) + "</div>")
    parts += [f"<p>READ MORE: <a href='/node/2'>{e(link)}</a></p>" for link in a.read_more]
    parts += [f"<p>{e(p)}</p>" for p in a.paragraphs[-1:]] if len(a.paragraphs) > 1 else []
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(a.title)} | Arab News</title>
<meta property="og:title" content="{e(a.title)}"><meta property="og:site_name" content="Arab News">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="https://www.arabnews.com/node/1/middle-east"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/middle-east">Middle East</a></li><li><a href="/world">World</a>
</li></ul></nav><main><article><h1>{e(a.title)}</h1>
<div class="meta"><span>Short Url</span> · <time datetime="{published}">Updated</time> · <a href="#">Follow</a></div>
<div class="share"><a href="https://x.com/share">Share on X</a> <a href="https://facebook.com/share">Facebook</a></div>
<div class="body">{"".join(parts)}</div></article>
<aside><h2>Most popular</h2><ol><li><a href="/n/1">Saudi crown prince receives Emir of Qatar in Riyadh</a></li>
<li><a href="/n/2">Riyadh Season breaks attendance record</a></li></ol></aside></main>
<footer><p>© 2024 Arab News. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>"""


def _trafilatura(a: Spec) -> str:
    """What `trafilatura --json` makes of the page (with the size setting digest uses, so that a brief of one
    paragraph is extracted as paragraphs, not as the article container's text in one line)."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return trafilatura.extract(_page(a), output_format="json", with_metadata=True, config=config)


FORMS: dict[str, Callable[[Spec], str]] = {"newsplease": _newsplease, "newspaper4k": _newspaper4k, "page": _page,
                                           "trafilatura": _trafilatura}


def _imported(data: str) -> tuple[dict[str, Any], str]:
    with tempfile.TemporaryDirectory() as content:
        out = io.StringIO()
        code = run_import(CONFIG, ["-"], content_dir=Path(content), dry_run=False, force=False, explain=False,
                          out=out, stdin=io.BytesIO(data.encode("utf-8")))
        assert code == 0, out.getvalue()
        (path,) = Path(content).rglob("*.md")
        parsed = split(path.read_text(encoding="utf-8"), path)
        return dict(parsed.meta), parsed.body


def _without(fields: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in keys}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_every_form_of_an_article_imports_the_same(a: Spec) -> None:
    meta, body = _imported(_dump(a))
    assert meta["title"] == a.title and not {"url", "author"} & set(meta)
    for name, form in FORMS.items():
        theirs, their_body = _imported(form(a))
        assert their_body == body, name
        assert theirs["url"] == "https://www.arabnews.com/node/1/middle-east", name
        theirs = {k: v for k, v in theirs.items() if k not in ("url", "author")}
        if name == "trafilatura":  # trafilatura's own JSON: the day only, no figcaptions (whose words count
            assert str(theirs.pop("date")) == str(meta["date"])[:10]  # for topic and tags)
            ignored = ("date", "images", "topic", "tags") if a.caption else ("date",)
            assert _without(theirs, ignored) == _without(meta, ignored), name
        else:
            assert theirs == meta, name


@pytest.mark.parametrize("form", ["page", "newsplease"])
def test_the_generator_makes_what_the_fixtures_show(form: str) -> None:
    """The generated forms are shaped like the hand-made fixtures (same keys, same kind of page)."""
    scraped = Path(__file__).resolve().parent / "fixtures" / "scraped"
    a = Spec(HEADLINES[0], date(2024, 12, 9), DATELINES[2], (), (SENTENCES[0],), None, None, ())
    if form == "newsplease":
        fixture = json.loads((scraped / "plain.newsplease.json").read_text(encoding="utf-8"))
        assert sorted(json.loads(_newsplease(a))) == sorted(fixture)
    else:
        assert _imported(_page(a))[0]["dateline"] == "Dubai"
