"""Raw article -> clean article: page chrome off, captions, boxes and links out, text kept.

Every non-blank line of a body is a paragraph (scrapers separate paragraphs by a
blank line or by a single line break). Each paragraph is then one of:

- chrome, dropped: `Short Url`, `Follow`, `1 / 2` counters, `--------` separators,
  and scraper placeholders: a line `This section contains ... placed in (X field)`
  together with the `X` line just before it (`Opinion`);
- `READ MORE: ...` -> `read_more`;
- a bullet (`  • ...`): a highlight before the text starts, a list item after;
- a photo caption -> `images`, once each: a paragraph ending with a parenthesised
  credit (`(Reuters)`, `(AFP/File)`, `(Getty Images)`), or an `Update ...` gallery
  slide followed by a counter;
- a box -> `factboxes`: a capitalised label line (`FASTFACT`, `BACKGROUND`), an
  optional short title that does not end a sentence (a question may be one), and one paragraph;
- text.

Text paragraphs are then joined where the scraper broke a sentence ("... the
governments of Iraq and" / "Iran did not respond ..."; the rule is
`lines.broken_sentence`). Short lines without a full stop or other punctuation
(subheadings) stay as they are.
Finally a dateline opening the first paragraph (`BEIRUT:`, `JERUSALEM, Nov 14 :`,
`BAGHDAD, May 7 (Reuters) -`) becomes `dateline` (and `source`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from generator.errors import ContentError
from generator.importer.lines import (
    broken_sentence,
    bullet_text,
    dateline,
    ends_sentence,
    has_update_prefix,
    is_chrome,
    is_counter,
    is_label,
    norm,
    placeholder_field,
    read_more_text,
    split_credit,
    without_update_prefix,
)
from generator.importer.segment import RawArticle

T = TypeVar("T")

_BOX_TITLE_MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class Image:
    caption: str
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Factbox:
    label: str
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # plain text, exactly as the page had it
    bullet: bool = False
    line: int | None = None  # where it starts in the input, for messages


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    line: int
    published: date | datetime
    dateline: str | None
    source: str | None
    highlights: tuple[str, ...]
    images: tuple[Image, ...]
    factboxes: tuple[Factbox, ...]
    read_more: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    author: str | None = None  # from scraper records and HTML pages (a dump has neither)
    url: str | None = None


def clean(raw: RawArticle, where: str) -> Article:
    """Sort a raw article's lines into fields and text, or raise `ContentError` when no text is left."""
    kept = [line for line in raw.body if line.text.strip()]
    units = [line.text.strip() for line in kept]
    images = [_gallery_image(text) for text in raw.gallery]
    highlights: list[str] = []
    factboxes: list[Factbox] = []
    read_more: list[str] = []
    texts: list[Paragraph] = []
    i = 0
    while i < len(units):
        text, after = units[i], units[i + 1] if i + 1 < len(units) else None
        step = 1
        if after is not None and placeholder_field(after) == text:
            step = 2
        elif is_chrome(text) or placeholder_field(text):
            pass
        elif (more := read_more_text(text)) is not None:
            read_more.append(more)
        elif (item := bullet_text(text)) is not None:
            if item and texts:
                texts.append(Paragraph(item, bullet=True, line=kept[i].number))
            elif item:
                highlights.append(item)
        elif (image := _caption(text, after)) is not None:
            images.append(image)
        elif (box := _box(units, i)) is not None:
            factboxes.append(box[0])
            step = box[1]
        else:
            texts.append(Paragraph(text, line=kept[i].number))
        i += step
    paragraphs = _join(texts)
    first, dateline, source = _dateline(paragraphs[0].text) if paragraphs else ("", None, None)
    paragraphs = ([Paragraph(first, line=paragraphs[0].line)] if first else []) + paragraphs[1:]
    if not paragraphs:
        raise ContentError(where, raw.line, None, f"article {raw.headline!r} has no text")
    return Article(
        title=raw.headline, line=raw.line, published=raw.published, dateline=dateline, source=source,
        highlights=_unique(highlights, norm), images=_unique(images, lambda im: norm(im.caption)),
        factboxes=_unique(factboxes, lambda box: norm(box.text)), read_more=_unique(read_more, norm),
        paragraphs=tuple(paragraphs),
    )


def _gallery_image(text: str) -> Image:
    caption = without_update_prefix(text)
    split = split_credit(caption)
    return Image(*split) if split else Image(caption)


def _caption(text: str, after: str | None) -> Image | None:
    split = split_credit(text)
    if split is not None and after is not None and not ends_sentence(split[0]) and (
            after[0].islower() or _opens_dateline(text, after)):
        return None  # the sentence goes on in the next line: a bracket in the text, not a credit
    if split is not None:
        return Image(without_update_prefix(split[0]), split[1])
    if has_update_prefix(text) and after is not None and is_counter(after):
        return Image(without_update_prefix(text))
    return None


def _opens_dateline(text: str, after: str) -> bool:
    """Whether `text` is the start of a dateline that `after` completes (`BAGHDAD, May 7 (Reuters)` / `- ...`)."""
    match = dateline(f"{text} {after}")
    return match is not None and match.start("rest") > len(text)


def _is_plain(text: str) -> bool:
    """A paragraph that is ordinary text: not chrome, a link, a bullet, a caption or a label."""
    return not (
        is_chrome(text) or placeholder_field(text) or read_more_text(text) is not None
        or bullet_text(text) is not None or split_credit(text) or is_label(text)
    )


def _box(units: Sequence[str], i: int) -> tuple[Factbox, int] | None:
    """The box starting with the label `units[i]` and how many paragraphs it takes, or None."""
    if not is_label(units[i]):
        return None
    rest = units[i + 1 : i + 3]
    if not rest or not _is_plain(rest[0]) or rest[0][0].islower():
        return None  # a box's title or text starts like a sentence; "A US" / "embassy said ..." is broken text
    # A title does not end like a sentence, though it may ask a question (`What is the PMI?`).
    is_title = len(rest) == 2 and _is_plain(rest[1]) and (
        not ends_sentence(rest[0]) or rest[0].endswith("?")) and len(rest[0].split()) <= _BOX_TITLE_MAX_WORDS
    if is_title:
        return Factbox(units[i], rest[0], rest[1]), 3
    return Factbox(units[i], None, rest[0]), 2


def _join(texts: Iterable[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for paragraph in texts:
        if out and not paragraph.bullet and not out[-1].bullet and _broken(out[-1].text, paragraph.text):
            out[-1] = Paragraph(f"{out[-1].text} {paragraph.text}", line=out[-1].line)
        else:
            out.append(paragraph)
    return out


def _broken(before: str, after: str) -> bool:
    """Whether the scraper broke one sentence into `before` and `after` (see `lines.broken_sentence`)."""
    return broken_sentence(before, after)


def _dateline(text: str) -> tuple[str, str | None, str | None]:
    """`(text without its dateline, city, source)`; the text unchanged when it has no dateline."""
    match = dateline(text)
    if match is None:
        return text, None, None
    return match["rest"] or "", _title_case(match["city"]), match["source"]


def _title_case(city: str) -> str:
    """`BEIRUT` -> `Beirut`, `NEW YORK` -> `New York`, `AL-MUKALLA` -> `Al-Mukalla`, `SANA'A` -> `Sana'a`,
    `MUSCAT/ABU DHABI` -> `Muscat/Abu Dhabi`."""
    city = re.sub(r"\s*/\s*", "/", " ".join(city.lower().split()))  # `DUBAI / RIYADH` -> `Dubai/Riyadh`
    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)*", lambda m: m[0].capitalize(), city)


def _unique(items: Iterable[T], key: Callable[[T], str]) -> tuple[T, ...]:
    seen: set[str] = set()
    out = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return tuple(out)

