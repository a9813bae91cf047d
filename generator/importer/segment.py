"""Dump bytes -> raw articles: decode the text, find each article's header, cut the dump there.

An article's header is a block of page furniture around an `Updated` line::

    Update A gallery caption. (AFP)       <- gallery: `Update <caption>` slides,
    1 / 2                                    `k / n` counters, plain captions
    Headline                              <- headline above ...
    Short Url                             <- optional
    Updated 15 November 2024 [10:32]      <- the anchor
    Follow                                <- optional
    Headline                              <- ... and/or below, once or twice

The whole block is read before the headline is chosen. The line just above the
block (`above`) and the first one or two lines below it (`below`, `next`) are the
candidates:

- `below` repeated as `next`: the headline is below, twice;
- `above` equal to `below`: the headline is on both sides;
- otherwise the headline is on one side only, and the side is decided by what
  the lines are: a headline is never a caption, bullet, counter, separator,
  placeholder, box label, `READ MORE` line or stamp, and rarely ends a sentence,
  opens with a dateline or runs long; text right under a headline is often a
  bullet or a dateline, and a line continued in lower case is half a sentence.
  On a tie, the headline is above (the most common shape), unless two or more blank
  lines part that line from the block: pages put those between articles.

Gallery slides belong to the new article wherever they sit in the block (above
the headline, between it and the stamp, under `Follow`). A plain caption counts
as a slide only when no blank line parts it from the block, so a caption that
ends the previous article stays with it. Everything between one header and the
next is the first one's body; anything before the first header is page chrome.

An article whose header cannot be read (an impossible date, no headline on
either side) is returned as a `ContentError` in its place: the dump is still cut
there, so the articles around it are unaffected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from generator.errors import BuildError, ContentError
from generator.importer.lines import (
    Line,
    bullet_text,
    dateline,
    ends_sentence,
    has_update_prefix,
    is_chrome,
    is_counter,
    is_label,
    is_stamp,
    placeholder_field,
    read_more_text,
    same_words,
    split_credit,
)

NO_ARTICLE = ("no article found (an article is a headline, an 'Updated 15 November 2024' line, "
              "then the headline again and the text)")

_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
), start=1) for name in names}
_TIME = (r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s*(?P<half>[AaPp])\.?[Mm]\.?)?"
         r"(?:\s+(?P<zone>GMT|UTC))?)?")
# `Updated 15 November 2024 10:32`, and the American order `Updated November 15, 2024 3:15 pm`.
_STAMP_RES = (
    re.compile(r"Updated:?\s+(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})" + _TIME),
    re.compile(r"Updated:?\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME),
)
# A headline is at most this long; past _HEADLINE_LONG words it is less likely than a shorter line.
_HEADLINE_MAX_WORDS = 40
_HEADLINE_LONG = 20
# A line must look more like a headline than a plain sentence does (a full stop: -3) to be taken as one.
_MIN_ODDS = -3
# A sentence ending inside double quotes: the end of a quotation, i.e. text (headlines use ‘single’ quotes).
_QUOTED_END_RE = re.compile(r"[.!?…][”\"]$")


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
    stamp: int
    body_start: int
    headline: int | None  # None: no headline on either side (`problem` says so)
    published: date | datetime | None  # None: an impossible date (`problem` says so)
    gallery: tuple[str, ...]
    problem: str | None = None


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
    match = next((m for m in (r.fullmatch(text.strip()) for r in _STAMP_RES) if m is not None), None)
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
    """Cut a dump's text into raw articles, or raise `ContentError` naming `where` (every problem at once)."""
    found = segment_all(text, where, tz)
    errors = [item for item in found if isinstance(item, ContentError)]
    if errors:
        raise errors[0] if len(errors) == 1 else BuildError(errors)
    return tuple(item for item in found if isinstance(item, RawArticle))


def segment_all(text: str, where: str, tz: tzinfo) -> tuple[RawArticle | ContentError, ...]:
    """Every article of a dump in order, each a raw article or the `ContentError` that says why it cannot be read.

    Raises `ContentError` only when the text holds no article at all.
    """
    lines = split_lines(text)
    headers: list[_Header] = []
    floor = 0
    for index, line in enumerate(lines):
        if index < floor or not is_stamp(line.text):
            continue  # a second stamp inside the header just read, or no stamp
        problem = None
        try:
            published = parse_stamp(line.text, tz, where, line.number)
        except ContentError as exc:
            published, problem = None, exc.message
        if published is None and problem is None:
            continue
        header = _header(lines, index, floor, published, problem)
        headers.append(header)
        floor = header.body_start
    if not headers:
        raise ContentError(where, None, None, NO_ARTICLE)
    found: list[RawArticle | ContentError] = []
    for k, header in enumerate(headers):
        end = max(headers[k + 1].start if k + 1 < len(headers) else len(lines), header.body_start)
        if header.problem is not None or header.headline is None or header.published is None:
            found.append(ContentError(where, lines[header.stamp].number, None, header.problem or "unreadable header"))
            continue
        headline = lines[header.headline]
        found.append(RawArticle(
            " ".join(headline.text.split()), headline.number, header.published,
            header.gallery, tuple(lines[header.body_start:end]),
        ))
    return tuple(found)


def _header(
    lines: list[Line], stamp: int, floor: int, published: date | datetime | None, problem: str | None,
) -> _Header:
    """Read the block around the stamp `lines[stamp]`, then decide where its headline is."""
    top, slides = _climb(lines, stamp, floor, header=True)
    above, captions = _above(lines, top, floor)
    below, gallery_below = _first_content(lines, stamp + 1)
    again, between = _repeat(lines, below) if below is not None else (None, [])
    if below is not None and again is not None:  # below, twice (and maybe above too)
        headline, body_start = below, again + 1
        slides += gallery_below + between
        if above is not None and same_words(lines[above].text, lines[below].text):
            top, more = _climb(lines, above, floor, header=False)
            slides += more + captions
    elif above is not None and below is not None and same_words(lines[above].text, lines[below].text):
        headline, body_start = above, below + 1  # both sides
        top, more = _climb(lines, above, floor, header=False)
        slides += gallery_below + more + captions
    else:
        headline, body_start = _one_side(lines, above, below)
        if headline is not None and headline == above:
            top, more = _climb(lines, above, floor, header=False)
            slides += more + captions
        slides += gallery_below
        if headline is None:
            problem = problem or (f"{lines[stamp].text.strip()!r} has no headline "
                                  "(neither above it nor after 'Follow')")
    if body_start is None:
        body_start = len(lines) if below is None else below
    gallery = tuple(lines[k].text.strip() for k in sorted(set(slides)) if not is_chrome(lines[k].text))
    return _Header(top, stamp, body_start, headline, published, gallery, problem)


def _is_slide(lines: list[Line], k: int, adjacent: bool) -> bool:
    """A gallery slide: a `k / n` counter, `Update <caption>` with a credit or a counter under it, or a
    caption with a credit next to the block (`adjacent`). A headline may start with "Update on ..."."""
    text = lines[k].text.strip()
    if is_counter(text):
        return True
    credited = split_credit(text) is not None
    if has_update_prefix(text):
        after = _next_nonblank(lines, k)
        return credited or (after < len(lines) and is_counter(lines[after].text))
    return adjacent and credited


def _climb(lines: list[Line], index: int, floor: int, *, header: bool) -> tuple[int, list[int]]:
    """Walk up from `index` over gallery slides (and, for the stamp, `Short Url`): (top index, slide indices).

    A caption set apart by blank lines is a slide only when a slide of the same gallery (`Update ...`, a
    counter) is found above it; otherwise it may end the previous article, and the walk stops below it.
    """
    top, slides, adjacent = index, [], True
    held: list[int] = []  # captions set apart by blank lines, not yet known to be slides
    for k in range(index - 1, floor - 1, -1):
        text = lines[k].text.strip()
        if not text:
            adjacent = False
            continue
        if header and text.casefold() in ("short url", "update"):
            top, adjacent = k, True
            continue
        if not _is_slide(lines, k, adjacent):
            if split_credit(text) is None:
                break
            held.append(k)
            continue
        if held and not (is_counter(text) or has_update_prefix(text)):
            held.append(k)  # still not known
            adjacent = True
            continue
        top, adjacent = k, True
        slides += [*held, k]
        held = []
    return top, slides


def _above(lines: list[Line], top: int, floor: int) -> tuple[int | None, list[int]]:
    """The candidate line above the block, past captions set apart by blank lines, and those captions.

    They belong to the new article when its headline is above them (its gallery, written with
    blank lines between), else to the end of the previous article.
    """
    captions = []
    for k in range(top - 1, floor - 1, -1):
        text = lines[k].text.strip()
        if not text:
            continue
        if split_credit(text) is None and not _is_slide(lines, k, adjacent=False):
            return k, captions
        captions.append(k)
    return None, captions


def _first_content(lines: list[Line], index: int) -> tuple[int | None, list[int]]:
    """The first line below the stamp that is not blank, chrome, a stamp or a gallery slide; the slides passed."""
    slides = []
    for k in range(index, len(lines)):
        text = lines[k].text.strip()
        if not text or is_chrome(text) or is_stamp(text) or _placeholder(lines, k):
            continue
        if _is_slide(lines, k, adjacent=True):
            slides.append(k)
            continue
        return k, slides
    return None, slides


def _repeat(lines: list[Line], first: int) -> tuple[int | None, list[int]]:
    """The index of `lines[first]` given again right below it (past blank lines and slides), and those slides."""
    slides = []
    for k in range(first + 1, len(lines)):
        text = lines[k].text.strip()
        if not text or is_counter(text) or _placeholder(lines, k):
            continue
        if same_words(text, lines[first].text):
            return k, slides
        if not _is_slide(lines, k, adjacent=True):
            return None, []
        slides.append(k)
    return None, []


def _placeholder(lines: list[Line], k: int) -> bool:
    """The scraper's placeholder line, or the field name (`Opinion`) that comes just before it."""
    if placeholder_field(lines[k].text) is not None:
        return True
    after = _next_nonblank(lines, k)
    return after < len(lines) and placeholder_field(lines[after].text) == lines[k].text.strip()


def _one_side(lines: list[Line], above: int | None, below: int | None) -> tuple[int | None, int | None]:
    """(headline, body start) when the headline appears once: above the block or below it, whichever fits better."""
    up = _headline_odds(lines[above].text) if above is not None else None
    down = _headline_odds(lines[below].text) if below is not None else None
    if below is not None and down is not None:
        after = _next_nonblank(lines, below)
        if after < len(lines):
            text = lines[after].text.strip()
            if bullet_text(text) is not None or dateline(text) is not None:
                down += 3  # highlights and datelines come right under a headline
            elif text[0].islower():
                down -= 3  # the line goes on: half a sentence
    up = up if up is not None and up > _MIN_ODDS else None
    down = down if down is not None and down > _MIN_ODDS else None
    if up is None and down is None:
        return None, below
    if up is not None and down is not None and up == down and _apart(lines, above):
        return below, below + 1  # a tie: the line above stands apart, as an article's end does
    if down is None or (up is not None and up >= down):
        return above, below
    return below, below + 1 if below is not None else None


def _apart(lines: list[Line], index: int) -> bool:
    """Whether two or more blank lines follow `lines[index]`: pages put them between articles, one
    between a headline and the header block under it."""
    return _next_nonblank(lines, index) - index > 2


def _next_nonblank(lines: list[Line], index: int) -> int:
    """The index of the first non-blank line after `index` (len(lines) when there is none)."""
    return next((k for k in range(index + 1, len(lines)) if lines[k].text.strip()), len(lines))


def _headline_odds(text: str) -> float | None:
    """How much a line looks like a headline (0 is a plain one, lower is less likely); None when it cannot be one."""
    text = text.strip()
    if (not text or is_chrome(text) or is_stamp(text) or split_credit(text) or bullet_text(text) is not None
            or read_more_text(text) is not None or placeholder_field(text)
            or is_label(text)):
        return None
    words = len(text.split())
    if words > _HEADLINE_MAX_WORDS:
        return None
    odds = 0.0
    if text[-1] in ",;:-–—":
        odds -= 4  # stops in the middle of a sentence
    elif ends_sentence(text) and text.rstrip("'\"”’»)]")[-1:] in ".…":
        odds -= 3  # a full stop ends sentences, not headlines
    elif _QUOTED_END_RE.search(text):
        odds -= 3  # a quoted sentence (`“... not for one list!”`): headlines quote in single quotes
    if dateline(text) is not None:
        # `BEIRUT: ...` opens a first paragraph (which also ends a sentence: -3 more); a short line
        # that does not end one is a headline naming its source (`UN: Syrian returns slow ...`).
        odds -= 2
    if text[0].islower():
        odds -= 3
    if words > _HEADLINE_LONG:
        odds -= 1 + (words > 2 * _HEADLINE_LONG - 10)
    if words < 4:
        odds -= 2  # navigation (`Most popular`) and subheadings
    return odds
