"""Page shapes for the importer's metamorphic tests and its evaluation: expected article -> dump text.

An `Expected` article is what `digest import` should write (front matter and body). `page()` wraps
one in a scraped page of the kind the seed dump shows, each detail drawn from a `random.Random`:

- the header: the headline above the block, after `Follow` once or twice, or on both sides;
  gallery slides (`Update <caption> (Credit)` with `k / n` counters, the first slide's plain
  caption, or plain captions alone) above the headline, between it and the stamp, or under
  `Follow`; `Short Url` and `Follow` present or not; a time on the stamp or not;
- the dateline in one of the forms that fit the article (`CITY:`, `CITY, Mon D :`,
  `CITY, Mon D (Agency) -`, `CITY (Agency) —`), on the first paragraph's line or its own;
- bullet highlights; captions, boxes (with and without titles), READ MORE blocks (with or
  without `--------` separators) and scraper placeholders between any two paragraphs;
- paragraphs separated by blank lines or single line breaks, sentences broken across lines
  where the scraper breaks them, trailing spaces, tabs and non-breaking spaces.

`dump()` puts several pages in one text (any order, page chrome before the first, LF or CRLF).
`synthetic()` makes new articles by recombining the parts of a pool (for the held-out-style
evaluation, `benchmarks/import_accuracy.py`). `imported()` runs the importer's own pipeline on a
dump and returns what it would write, field by field.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.errors import ContentError
from generator.importer.check import check
from generator.importer.classify import Classifier
from generator.importer.clean import clean
from generator.importer.emit import article_id, render
from generator.importer.lines import ends_sentence
from generator.importer.segment import segment_all
from generator.site.config import SiteConfig
from generator.site.frontmatter import split

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
FIELDS = ("title", "date", "dateline", "source", "highlights", "images", "factboxes", "read_more", "body",
          "topic", "tags")

HEADERS = ("above", "both", "after", "after-twice")
GALLERY_PLACES = {"above": ("above-headline", "below-headline", "below-follow"),
                  "both": ("above-headline", "below-headline", "below-follow"),
                  "after": ("above-stamp", "below-follow", "below-headline"),
                  "after-twice": ("above-stamp", "below-follow", "between", "below-headline")}
GALLERY_STYLES = ("slides", "slides+plain", "plain")
DATELINE_FORMS = ("CITY:", "CITY, Mon D :", "CITY, Mon D (Agency) -", "CITY (Agency) —")
READ_MORE_FORMS = ("--------\n\nREAD MORE: {}\n\n--------", "READ MORE: {}", "----\nRead more: {}\n----",
                   "--------\nREAD MORE:\u00a0{}\n--------")
PLACEHOLDERS = ("Opinion\n\nThis section contains relevant reference points, placed in (Opinion field)",
                "Opinion\nThis section contains relevant reference points, placed in (Opinion field)")
TRAILING = ("", "", "", " ", "  ", "\u00a0", " \u00a0", "\t")
CHROME = ("Home\nMiddle East\nMost popular\n\n\n", "Arab News\n\nSaudi Arabia\nMiddle East\nWorld\n\n\n",
          "Most popular\n\n")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_UNESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class Expected:
    """An article as the import should write it; `topic` is None when only the plainest shape decides it."""

    name: str
    title: str
    date: str  # ISO date, or ISO date-time with the site's offset
    dateline: str | None = None
    source: str | None = None
    highlights: tuple[str, ...] = ()
    images: tuple[tuple[str, str | None], ...] = ()
    factboxes: tuple[tuple[str, str | None, str], ...] = ()
    read_more: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    topic: str | None = None

    def fields(self) -> dict[str, Any]:
        """The fields compared with what was imported (topic and tags are compared with the plainest shape)."""
        return {"title": self.title, "date": self.date, "dateline": self.dateline, "source": self.source,
                "highlights": self.highlights, "images": self.images, "factboxes": self.factboxes,
                "read_more": self.read_more, "body": self.body}


def from_file(text: str, name: str) -> Expected:
    """An expected article from a content file (front matter and body, as the import writes them)."""
    parsed = split(text, name)
    fields = fields_of(parsed.meta, parsed.body)
    del fields["tags"]
    return Expected(name=name, **fields)


def pool() -> tuple[Expected, ...]:
    """The seed's six articles (the bundled content/) and the new texts of tests/fixtures/articles/."""
    files = sorted((ROOT / "content").rglob("*.md")) + sorted(p for p in ARTICLES.glob("*.md") if p.name != "README.md")
    return tuple(from_file(p.read_text(encoding="utf-8"), p.stem) for p in files)


# --- one page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    header: str = "both"
    gallery: int = 0  # how many of the images the header's gallery shows (the first ones)
    gallery_place: str = "above-headline"
    gallery_style: str = "slides"
    short_url: bool = True
    follow: bool = True
    twelve_hour: bool = False
    dateline_form: int = 0  # index into the forms that fit the article
    dateline_alone: bool = False
    single_breaks: bool = False  # paragraphs separated by one line break instead of a blank line
    broken: int = 0  # how many paragraphs the scraper broke in two
    placeholders: int = 0
    read_more_form: int = 0
    trailing: bool = False
    scatter: bool = False  # captions, boxes and links between any paragraphs (else after the text)
    header_gaps: bool = False  # blank lines between the header's lines (gallery included)
    american_date: bool = False  # `Updated November 15, 2024`
    loose_breaks: bool = False  # sentences broken at any word, not only where the importer can tell


PLAIN = Shape()


def draw_shape(rng: random.Random, article: Expected, *, loose_breaks: bool = False) -> Shape:
    header = rng.choice(HEADERS)
    return Shape(
        header=header,
        gallery=rng.randint(0, len(article.images)),
        gallery_place=rng.choice(GALLERY_PLACES[header]),
        gallery_style=rng.choice(GALLERY_STYLES),
        short_url=rng.random() < 0.8,
        follow=header.startswith("after") or rng.random() < 0.8,
        twelve_hour=rng.random() < 0.5,
        dateline_form=rng.randint(0, 1),
        dateline_alone=rng.random() < 0.15,
        single_breaks=rng.random() < 0.3,
        broken=rng.choice((0, 0, 1, 2)),
        placeholders=rng.choice((0, 0, 1, 2)),
        read_more_form=rng.randrange(len(READ_MORE_FORMS)),
        trailing=rng.random() < 0.4,
        scatter=rng.random() < 0.8,
        header_gaps=rng.random() < 0.25,
        american_date=rng.random() < 0.1,
        loose_breaks=loose_breaks,
    )


def page(article: Expected, shape: Shape, rng: random.Random) -> str:
    """The article as a scraped page in `shape` (positions and breaks drawn from `rng`); ends with a newline."""
    title = article.title
    gallery = _gallery(article.images[: shape.gallery], shape.gallery_style)
    gap = [""] if shape.header_gaps else []
    if shape.header_gaps and shape.gallery_style == "plain":
        # Plain captions set apart by blank lines read as the end of the previous article: a gallery
        # with blank lines between its lines is one of `Update` slides (segment._climb).
        gallery = _gallery(article.images[: shape.gallery], "slides+plain")
    if shape.header_gaps:
        gallery = [line for slide in gallery for line in (slide, "")]
    head: list[str] = []
    if shape.header in ("above", "both"):
        if gallery and shape.gallery_place == "above-headline":
            head += gallery
        head += [title, ""]
        if gallery and shape.gallery_place == "below-headline":
            head += gallery
    elif gallery and shape.gallery_place == "above-stamp":
        head += gallery
    if shape.short_url:
        head += ["Short Url", *gap]
    head.append(_stamp(article.date, shape.twelve_hour, american=shape.american_date))
    if shape.follow:
        head += [*gap, "Follow"]
    head.append("")
    if gallery and shape.gallery_place == "below-follow":
        head += [*gallery, ""]
    if shape.header.startswith("after"):
        head += [title, ""]
        if shape.header == "after-twice":
            if gallery and shape.gallery_place == "between":
                head += [*gallery, ""]
            head += [title, ""]
        if gallery and shape.gallery_place == "below-headline":
            head += [*gallery, ""]
    elif shape.header == "both":
        head += [title, ""]
    if article.highlights:
        head += [f"  • {h}" for h in article.highlights] + [""]
    blocks = _text_blocks(article, shape, rng)
    extras = ([_caption(c, k) for c, k in article.images[shape.gallery:]],
              [_box(box) for box in article.factboxes],
              [READ_MORE_FORMS[shape.read_more_form].format(link) for link in article.read_more],
              [rng.choice(PLACEHOLDERS) for _ in range(shape.placeholders)])
    body = _place(blocks, extras, rng if shape.scatter else None, shape)
    lines = "\n".join(head).split("\n") + body.split("\n")
    if shape.trailing:
        lines = [line + rng.choice(TRAILING) if line else rng.choice(("", "", " ", "\u00a0")) for line in lines]
    return "\n".join(lines).rstrip(" \t\u00a0\n") + "\n"


def _stamp(iso: str, twelve_hour: bool, *, american: bool = False) -> str:
    day = date.fromisoformat(iso[:10])
    month = _MONTHS[day.month - 1]
    stamp = f"Updated {month} {day.day}, {day.year}" if american else f"Updated {day.day} {month} {day.year}"
    if len(iso) > 10:
        hour, minute = int(iso[11:13]), iso[14:16]
        if twelve_hour:
            stamp += f" {hour % 12 or 12}:{minute} {'pm' if hour >= 12 else 'am'}"
        else:
            stamp += f" {hour:02d}:{minute}"
    return stamp


def _gallery(images: tuple[tuple[str, str | None], ...], style: str) -> list[str]:
    if not images:
        return []
    if style == "plain" and all(credit for _c, credit in images):
        return [_caption(caption, credit) for caption, credit in images]
    lines = []
    for k, (caption, credit) in enumerate(images, start=1):
        lines += [f"Update {_caption(caption, credit)}", f"{k} / {len(images)}"]
    if style == "slides+plain" and images[0][1]:
        lines.append(_caption(*images[0]))
    return lines


def _caption(caption: str, credit: str | None) -> str:
    return f"{caption} ({credit})" if credit else caption


def _box(box: tuple[str, str | None, str]) -> str:
    label, title, text = box
    return "\n\n".join(part for part in (label, title, text) if part)


def _dateline(article: Expected, shape: Shape) -> str:
    city = (article.dateline or "").upper()
    day = date.fromisoformat(article.date[:10])
    mon = _MONTHS[day.month - 1][:3]
    forms = ((f"{city}:", f"{city}, {mon} {day.day} :") if article.source is None
             else (f"{city}, {mon} {day.day} ({article.source}) -", f"{city} ({article.source}) —"))
    return forms[shape.dateline_form % 2]


def _text_blocks(article: Expected, shape: Shape, rng: random.Random) -> list[str]:
    """The body's paragraphs as the page writes them: dateline on the first, some broken in two."""
    paragraphs = list(article.body)
    if article.dateline:
        line = _dateline(article, shape)
        paragraphs[0] = f"{line}\n{paragraphs[0]}" if shape.dateline_alone else f"{line} {paragraphs[0]}"
    breakable = [i for i, p in enumerate(paragraphs) if _break_points(p, loose=shape.loose_breaks)]
    for i in rng.sample(breakable, min(shape.broken, len(breakable))):
        words = paragraphs[i].split(" ")
        j = rng.choice(_break_points(paragraphs[i], loose=shape.loose_breaks))
        paragraphs[i] = " ".join(words[:j]) + rng.choice(("\n\n", "\n", "\n\n\n")) + " ".join(words[j:])
    return paragraphs


def _break_points(paragraph: str, *, loose: bool = False) -> list[int]:
    """Word indices where the scraper may break a sentence: inside a sentence, and (unless `loose`) where
    the break is one a reader can tell from a subheading (see `lines.broken_sentence`)."""
    if "\n" in paragraph:
        return []
    words = paragraph.split(" ")
    points = []
    for j in range(2, len(words) - 1):
        before, after = " ".join(words[:j]), words[j]
        if not before or not after or ends_sentence(before):
            continue
        last = words[j - 1]
        if loose or after[0].islower() or before[-1] in ",-–—" or (j >= 8 and last[:1].islower()):
            points.append(j)
    return points


def _place(blocks: list[str], extras: tuple[list[str], ...], rng: random.Random | None, shape: Shape) -> str:
    """Paragraphs with the extras anywhere among them, before the first included (each kind in its
    order), or all extras after the text."""
    gap = "\n" if shape.single_breaks else "\n\n"
    slots: list[list[str]] = [[] for _ in range(len(blocks) + 1)]  # extras before paragraph i (i = n: at the end)
    for kind in extras:
        where = sorted(rng.randrange(len(blocks) + 1) for _ in kind) if rng is not None else [len(blocks)] * len(kind)
        for extra, i in zip(kind, where, strict=True):
            slots[i].append(extra)
    if rng is not None:
        for slot in slots:
            _shuffle_kinds(slot, extras, rng)
    out: list[str] = []
    for i, slot in enumerate(slots):
        for extra in slot:
            out.append(("\n" * (rng.randint(1, 3) if rng else 1)) + extra + ("\n" * (rng.randint(0, 2) if rng else 0)))
        if i < len(blocks):
            out.append(blocks[i])
    return gap.join(out).replace("\n\n\n\n\n", "\n\n\n\n").strip("\n")


def _shuffle_kinds(slot: list[str], extras: tuple[list[str], ...], rng: random.Random) -> None:
    """Mix the kinds in one slot, keeping each kind's own order."""
    kind_of = {extra: k for k, kind in enumerate(extras) for extra in kind}
    queues = [[e for e in slot if kind_of[e] == k] for k in range(len(extras))]
    order = [k for k, queue in enumerate(queues) for _ in queue]
    rng.shuffle(order)
    slot[:] = [queues[k].pop(0) for k in order]


def dump(pages: list[str], rng: random.Random) -> str:
    """Several pages in one dump: maybe page chrome first, blank lines between, LF or CRLF."""
    text = (rng.choice(CHROME) if rng.random() < 0.3 else "") + rng.choice(("\n\n", "\n\n\n")).join(pages)
    return text.replace("\n", "\r\n") if rng.random() < 0.25 else text


# --- new articles from a pool ---------------------------------------------------------------

CITIES = (("Beirut", None), ("Baghdad", "Reuters"), ("Jerusalem", None), ("Gaza City", "AFP"), ("Amman", "AP"),
          ("Riyadh", None), ("Mosul", None), ("Cairo", "Reuters"), ("Tel Aviv", "Reuters"), ("Dubai", None),
          ("Erbil", "AFP"), ("Damascus", "Reuters"), ("Sidon", None), ("Basra", "AP"))


def synthetic(rng: random.Random, articles: tuple[Expected, ...], n: int) -> list[Expected]:
    """`n` new articles, each recombined from the parts of several articles of the pool (distinct titles)."""
    titles = rng.sample([a.title for a in articles], min(n, len(articles)))
    made = []
    for k, title in enumerate(titles):
        donors = rng.sample(articles, min(3, len(articles)))
        firsts = [a.body[0] for a in donors]
        rest = [p for a in donors for p in a.body[1:]]
        body = (rng.choice(firsts), *rng.sample(rest, min(len(rest), rng.randint(1, 7))))
        city, source = rng.choice(CITIES) if rng.random() < 0.8 else (None, None)
        images = [i for a in donors for i in a.images]
        boxes = [b for a in donors for b in a.factboxes]
        links = [r for a in donors for r in a.read_more]
        highlights = [h for a in donors for h in a.highlights]
        day = date(2024, 1, 1).toordinal() + rng.randrange(366)
        iso = date.fromordinal(day).isoformat()
        if rng.random() < 0.2:
            hour, minute = rng.randrange(24), rng.randrange(60)
            offset = "+02:00" if not 3 <= date.fromordinal(day).month <= 10 else "+03:00"
            iso = f"{iso}T{hour:02d}:{minute:02d}:00{offset}"
        made.append(Expected(
            name=f"synthetic-{k}", title=title, date=iso, dateline=city, source=source,
            highlights=tuple(rng.sample(highlights, min(len(highlights), rng.randint(0, 2)))),
            images=tuple(rng.sample(images, min(len(images), rng.randint(0, 3)))),
            factboxes=tuple(rng.sample(boxes, min(len(boxes), rng.randint(0, 1)))),
            read_more=tuple(rng.sample(links, min(len(links), rng.randint(0, 2)))),
            body=_no_repeats(body),
        ))
    return made


def _no_repeats(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    return tuple(p for p in paragraphs if not (p in seen or seen.add(p)))


def offset_safe(article: Expected, config: SiteConfig) -> Expected:
    """`article` with a date-time's offset made the site's (as the import writes it for a time on the page)."""
    if len(article.date) <= 10:
        return article
    local = datetime.fromisoformat(article.date[:19]).replace(tzinfo=config.tz)
    return replace(article, date=local.isoformat())


# --- what the importer makes of a dump ------------------------------------------------------

def imported(text: str, config: SiteConfig, classifier: Classifier) -> tuple[list[dict[str, Any]], list[str]]:
    """The articles `digest import` would write for a dump (fields as in `Expected.fields`, plus topic and
    tags), and the problems it would report (errors and warnings). Raises `ContentError` when it refuses
    the dump as a whole."""
    found, problems = [], []
    for raw in segment_all(text.replace("\r\n", "\n"), "dump", config.tz):
        if isinstance(raw, ContentError):
            problems.append(f"error: {raw}")
            continue
        try:
            article = clean(raw, "dump")
        except ContentError as exc:
            problems.append(f"error: {exc}")
            continue
        problems += [f"warning: {w}" for w in check(article, "dump")]
        verdict = classifier.classify(article)
        written = split(render(article, article_id(article), verdict.topic, verdict.tag_slugs), "x.md")
        found.append(fields_of(written.meta, written.body))
    return found, problems


def fields_of(meta: Any, body: str) -> dict[str, Any]:
    """An imported file's fields, shaped as `Expected.fields()` plus `topic` and `tags`."""
    published = meta["date"]
    return {
        "title": meta["title"],
        "date": published.isoformat() if isinstance(published, (date, datetime)) else str(published),
        "dateline": meta.get("dateline"), "source": meta.get("source"),
        "highlights": tuple(meta.get("highlights", ())),
        "images": tuple((i["caption"], i.get("credit")) for i in meta.get("images", ())),
        "factboxes": tuple((b["label"], b.get("title"), b["text"]) for b in meta.get("factboxes", ())),
        "read_more": tuple(meta.get("read_more", ())),
        "body": tuple(_UNESCAPE_RE.sub(r"\1", p) for p in body.strip("\n").split("\n\n")),
        "topic": meta["topic"], "tags": tuple(meta.get("tags", ())),
    }
