"""Dump bytes -> raw articles: decode the text, find each article's header, cut the dump there.

An article's header is recognised by its shape, not by its position::

    Headline                              <- the article starts here
    Update A gallery caption. (AFP)       <- optional captions, `Update ` prefixes,
    1 / 2                                    `1 / 2` counters, repeats
    Short Url                             <- optional
    Updated 15 November 2024 [10:32]      <- the anchor
    Follow                                <- optional
    Headline                              <- the headline again (optional)

The `Updated` line anchors the header; the line after it (past `Follow` and blank
lines) is the repeated headline, found again as the nearest equal line above the
anchor. When the headline is not repeated, the nearest line above the anchor that
is neither chrome nor a caption is the headline. Gallery slides (`Update ...`
lines, captions followed by a counter) just above the headline belong to the new
article too. Everything between one header and the next is the first one's body;
anything before the first header is page chrome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from generator.errors import ContentError
from generator.importer.lines import Line, bullet_text, has_update_prefix, is_chrome, is_counter, norm, split_credit

NO_ARTICLE = ("no article found (an article is a headline, an 'Updated 15 November 2024' line, "
              "then the headline again and the text)")

_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
), start=1) for name in names}
_STAMP_RE = re.compile(
    r"Updated:?\s+(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s*(?P<half>[AaPp])\.?[Mm]\.?)?"
    r"(?:\s+(?P<zone>GMT|UTC))?)?"
)
# A headline found without its repeat must look like one: short, not ending in a full stop.
_HEADLINE_MAX_WORDS = 40


@dataclass(frozen=True, slots=True)
class RawArticle:
    headline: str
    line: int  # where the headline is, for messages
    published: date | datetime  # a datetime (aware) when the page gave a time
    gallery: tuple[str, ...]  # caption lines from the header, as written
    body: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class _Header:
    start: int  # index of the first line that belongs to the header (gallery or headline)
    headline: int
    body_start: int
    published: date | datetime
    gallery: tuple[str, ...]


def decode(data: bytes) -> str:
    """The text of a dump, or a `ValueError` saying why it is not one (the caller names the input)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise ValueError("is a binary file, not a text dump")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not text.strip():
        raise ValueError("is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text: str) -> list[Line]:
    """Lines with trailing white space (spaces, tabs, non-breaking spaces) removed, text kept otherwise."""
    return [Line(number, line.rstrip()) for number, line in enumerate(text.split("\n"), start=1)]


def parse_stamp(text: str, tz: tzinfo, where: str, line: int) -> date | datetime | None:
    """The date (and time) of an `Updated ...` line, None for any other line."""
    match = _STAMP_RE.fullmatch(text.strip())
    if match is None or match["month"].casefold() not in _MONTHS:
        return None
    try:
        day = date(int(match["year"]), _MONTHS[match["month"].casefold()], int(match["day"]))
        if match["hour"] is None:
            return day
        hour = int(match["hour"])
        if match["half"]:
            if not 1 <= hour <= 12:
                raise ValueError("hour must be 1 to 12 with am/pm")
            hour = hour % 12 + (12 if match["half"] in "Pp" else 0)
        zone = UTC if match["zone"] else tz
        return datetime(day.year, day.month, day.day, hour, int(match["minute"]), tzinfo=zone)
    except ValueError as exc:
        raise ContentError(where, line, None, f"{text.strip()!r} is not a real date ({exc})") from None


def segment(text: str, where: str, tz: tzinfo) -> tuple[RawArticle, ...]:
    """Cut a dump's text into raw articles, or raise `ContentError` naming `where`."""
    lines = split_lines(text)
    headers: list[_Header] = []
    floor = 0
    for index, line in enumerate(lines):
        if index < floor:
            continue  # a second stamp inside the header just read
        published = parse_stamp(line.text, tz, where, line.number)
        if published is None:
            continue
        header = _header(lines, index, floor, published, where)
        headers.append(header)
        floor = header.body_start
    if not headers:
        raise ContentError(where, None, None, NO_ARTICLE)
    articles = []
    for k, header in enumerate(headers):
        end = headers[k + 1].start if k + 1 < len(headers) else len(lines)
        headline = lines[header.headline]
        articles.append(RawArticle(
            " ".join(headline.text.split()), headline.number, header.published,
            header.gallery, tuple(lines[header.body_start:end]),
        ))
    return tuple(articles)


def _header(lines: list[Line], stamp: int, floor: int, published: date | datetime, where: str) -> _Header:
    after = _skip_chrome(lines, stamp + 1)
    headline = None
    if after < len(lines) and _may_be_headline(lines[after].text):
        key = norm(lines[after].text)
        headline = next((k for k in range(stamp - 1, floor - 1, -1) if norm(lines[k].text) == key), None)
    body_start = after + 1 if headline is not None else after
    if headline is None:
        headline = _headline_above(lines, stamp, floor)
    if headline is None:
        raise ContentError(where, lines[stamp].number, None,
                           f"{lines[stamp].text.strip()!r} has no headline above it")
    start = _gallery_above(lines, headline, floor)
    gallery = tuple(
        lines[k].text.strip() for k in range(start, stamp)
        if k != headline and lines[k].text.strip() and not is_chrome(lines[k].text)
    )
    return _Header(start, headline, body_start, published, gallery)


def _skip_chrome(lines: list[Line], index: int) -> int:
    """The index of the first line from `index` on that is not blank, chrome or another stamp."""
    while index < len(lines) and (
        not lines[index].text.strip() or is_chrome(lines[index].text)
        or _STAMP_RE.fullmatch(lines[index].text.strip())
    ):
        index += 1
    return index


def _may_be_headline(text: str) -> bool:
    """Not chrome, a caption or a bullet: a line that could be a headline."""
    text = text.strip()
    return bool(text) and not (is_chrome(text) or split_credit(text) or bullet_text(text) is not None)


def _headline_above(lines: list[Line], stamp: int, floor: int) -> int | None:
    """The nearest line above the stamp that may be a headline, if it looks like one (short, no full stop)."""
    for k in range(stamp - 1, floor - 1, -1):
        text = lines[k].text.strip()
        if not _may_be_headline(text) or has_update_prefix(text):  # without its repeat, `Update ...` is a slide
            continue
        if text.endswith(".") or len(text.split()) > _HEADLINE_MAX_WORDS:
            return None
        return k
    return None


def _gallery_above(lines: list[Line], headline: int, floor: int) -> int:
    """The first index of the gallery slides right above the headline (the headline when none)."""
    start = headline
    next_is_counter = False
    for k in range(headline - 1, floor - 1, -1):
        text = lines[k].text.strip()
        if not text:
            continue
        slide = is_counter(text) or has_update_prefix(text) or (next_is_counter and split_credit(text) is not None)
        if not slide:
            break
        next_is_counter = is_counter(text)
        start = k
    return start
