"""Recognisers for single lines of a dump, shared by `segment` and `clean`.

They answer one question each about one stripped line: is it page chrome, is it
a photo caption (and with which credit), a bullet, a `READ MORE` link, a scraper
placeholder, a box label, an `Updated ...` stamp; does it open with a dateline,
does it end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.site import urls

# Page furniture the scraper copied as lines of their own.
_CHROME_WORDS = frozenset({"short url", "follow", "update"})
# A gallery counter ("1 / 2") or a separator line ("--------").
_CHROME_RE = re.compile(r"\d{1,3}\s*/\s*\d{1,3}|[-–—_=*~]{3,}")
# A standalone paragraph ending with a parenthesised credit is a photo caption:
# "... at Baghdad airport. (Reuters)", "(AFP/File)", "(Getty Images)", "(AN Photo/Huda Bashatah)".
# The credit starts with a capital (or @), has at most six words (twelve after `Courtesy`, `Photo` ...)
# and no brackets.
_CREDIT_RE = re.compile(r"(?P<caption>.*?\S)\s*\((?P<credit>[A-Z@][^()\[\]]{0,98})\)")
_CREDIT_MAX_WORDS = 6
# A longer credit opens with a credit's own word: `(Courtesy of the Petra Development and Tourism Region Authority)`.
_LONG_CREDIT_RE = re.compile(r"(?:Courtesy|Photo|Picture|Image|Handout|Supplied)\b")
_LONG_CREDIT_MAX_WORDS = 12
# Gallery slides are sometimes prefixed with the word "Update".
_UPDATE_PREFIX_RE = re.compile(r"Update\s+(?=\S)")
_BULLET_RE = re.compile(r"[•●▪◦‣]\s*(?P<text>.*)")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_SENTENCE_END_RE = re.compile(r"[.!?…:]['\"”’»)\]]*$")
_PLACEHOLDER_RE = re.compile(r"This section contains relevant reference points, placed in \((?P<field>[^()]+) field\)")
_READ_MORE_RE = re.compile(r"READ MORE\s*:\s*(?P<text>.+)", re.IGNORECASE)
_LABEL_RE = re.compile(r"[A-Z][A-Z ]{3,29}")
_LABEL_MAX_WORDS = 3
_STAMP_START_RE = re.compile(r"Updated:?\s+(?:\d{1,2}\s+[A-Za-z]{3,9}\.?|[A-Za-z]{3,9}\.?\s+\d{1,2}),?\s+\d{4}\b")
_CITY = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]+"
# `CITY`, or two cities for a story filed from both (`DUBAI/RIYADH`, `MUSCAT / ABU DHABI`).
_CITIES = rf"{_CITY}(?:\s{_CITY}){{0,3}}(?:\s?/\s?{_CITY}(?:\s{_CITY}){{0,3}})?"
# The day in either order: `BAGHDAD, May 7 (Reuters) -`, `TYRE, 19 November (Reuters) -`; or, before an
# agency, the country (`SIDON, Lebanon (AP) —`), which is not kept.
DATELINE_RE = re.compile(
    rf"(?P<city>{_CITIES})"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)"
    r"|,\s*(?P<region>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})(?=\s*\())?"  # AP's `SIDON, Lebanon (AP) —`
    r"(?:\s*\((?P<source>[A-Z][A-Za-z.&/ -]{0,30})\))?"
    r"\s*(?P<sep>:|[-–—])(?:\s+(?P<rest>.*))?"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a dump: its 1-based number and its text without the line ending or trailing space."""

    number: int
    text: str


def is_chrome(text: str) -> bool:
    """`Short Url`, `Follow`, a lone `Update`, a `1 / 2` counter or a `--------` separator."""
    stripped = text.strip()
    return stripped.casefold() in _CHROME_WORDS or _CHROME_RE.fullmatch(stripped) is not None


def is_counter(text: str) -> bool:
    return re.fullmatch(r"\d{1,3}\s*/\s*\d{1,3}", text.strip()) is not None


def has_update_prefix(text: str) -> bool:
    return _UPDATE_PREFIX_RE.match(text.strip()) is not None


def without_update_prefix(text: str) -> str:
    stripped = text.strip()
    return _UPDATE_PREFIX_RE.sub("", stripped, count=1)


def split_credit(text: str) -> tuple[str, str] | None:
    """`(caption, credit)` when `text` is a caption ending with a credit in brackets, else None."""
    match = _CREDIT_RE.fullmatch(text.strip())
    if match is None or _PLACEHOLDER_RE.fullmatch(text.strip()):
        return None
    caption, credit = match["caption"], " ".join(match["credit"].split())
    longest = _LONG_CREDIT_MAX_WORDS if _LONG_CREDIT_RE.match(credit) else _CREDIT_MAX_WORDS
    if len(credit.split()) > longest or len(caption.split()) < 2 or caption[-1] in "“‘\"'([{":
        return None  # `said that “(Israeli) occupation ...` is a sentence, not a credit
    return caption, credit


def bullet_text(text: str) -> str | None:
    """The text of a bullet line (`  • ...`), or None when `text` is not one."""
    match = _BULLET_RE.fullmatch(text.strip())
    return match["text"].strip() if match else None


def placeholder_field(text: str) -> str | None:
    """`Opinion` for the scraper's `This section contains ... placed in (Opinion field)`, else None."""
    match = _PLACEHOLDER_RE.fullmatch(text.strip())
    return match["field"].strip() if match else None


def read_more_text(text: str) -> str | None:
    """The linked headline of a `READ MORE: ...` line, else None."""
    match = _READ_MORE_RE.fullmatch(text.strip())
    return match["text"].strip() if match else None


def is_label(text: str) -> bool:
    """A box label: a short line in capitals (`FASTFACT`, `KEY FACTS`)."""
    stripped = text.strip()
    return _LABEL_RE.fullmatch(stripped) is not None and len(stripped.split()) <= _LABEL_MAX_WORDS


def is_stamp(text: str) -> bool:
    """Whether `text` is (or starts like) an `Updated 15 November 2024` line."""
    return _STAMP_START_RE.match(text.strip()) is not None


def dateline(text: str) -> re.Match[str] | None:
    """The dateline opening `text` (`BEIRUT:`, `JERUSALEM, Nov 14 :`, `BAGHDAD, May 7 (Reuters) -`), or None."""
    match = DATELINE_RE.match(text)
    if match is None or match["city"].upper() != match["city"]:
        return None
    if match["sep"] != ":" and not (match["date"] or match["source"]):
        return None
    if match["rest"] is None and match.end() != len(text):
        return None
    return match


# Words a sentence goes on after: a line ending in one was cut in the middle of a sentence.
_GOES_ON = frozenset("""a an the of to in on at for with by from into onto over under after before about between
against and or but nor as than that which who whom whose where when while if because its his her their our
your my this these those is was were are be been being has have had will would can could should may might must
not also said says told""".split())
_JOIN_MIN_WORDS = 8  # a line this long, ending in a lower-case word, is half a sentence
_JOIN_ANY_WORDS = 12  # a line this long that does not end a sentence is half a sentence
# A number other than a year does not open a sentence (news style spells it out there), nor a paragraph:
# `... turnout in Baghdad reached` / `48 percent, below ...`. A `1.` or `2)` opens a list item.
_GOES_ON_NUMBER_RE = re.compile(r"(?![12]\d{3}\b)[$€£]?\d[\d,.]*(?![.)]\s)(?:\s|%|$)")
# Abbreviations a sentence goes on after: a title before a name (`Maj. Gen.` / `Qassem ...`), a month or
# `No.` before a number (`the Jan.` / `3 attack`), letters with dots before lower case (`U.S.` / `officials`).
_TITLE_END_RE = re.compile(r"(?:^|\s)(?:Gen|Lt|Col|Maj|Sgt|Capt|Adm|Dr|Sen|Rep|Gov|Amb|Mr|Mrs|Ms|Prof)\.$")
_BEFORE_NUMBER_END_RE = re.compile(r"(?:^|\s)(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|No)\.$")
_DOTTED_END_RE = re.compile(r"(?:^|\s)(?:[A-Za-z]\.){2,}$")


def _goes_on_after_abbreviation(before: str, after: str) -> bool:
    return (_TITLE_END_RE.search(before) is not None
            or (_BEFORE_NUMBER_END_RE.search(before) is not None and after[0].isdigit())
            or (_DOTTED_END_RE.search(before) is not None and after[0].islower()))
_INSIDE_SENTENCE_RE = re.compile(r"[,;“”\"]|[.!?]\s+\S")


def broken_sentence(before: str, after: str) -> bool:
    """Whether a scraper broke one sentence into the lines `before` and `after` (to be joined again).

    `before` must not end a sentence (a full stop after an abbreviation, `U.S.`, `Gen.`, `Jan.`, is none
    when `after` goes on in lower case), and: `after` goes on in lower case or with a number that is
    not a year; or `before` ends with
    a comma, a dash or a word a sentence goes on after ("of", "the", "and", "said"); or it is at
    least eight words long and ends with a lower-case word; or it is at least twelve words long;
    or it holds a comma, a quote or a full stop; or the two make a dateline that neither is alone.
    Short lines without a full stop (subheadings such as "What comes next") stay as they are.
    """
    before, after = before.strip(), after.strip()
    if not before or not after:
        return False
    if ends_sentence(before):  # a full stop ends a sentence, unless it ends an abbreviation
        return _goes_on_after_abbreviation(before, after)
    words = before.split()
    last = words[-1]
    if (after[0].islower() or _GOES_ON_NUMBER_RE.match(after) or before[-1] in ",-–—" or last.casefold() in _GOES_ON
            or (len(words) >= _JOIN_MIN_WORDS and last[0].islower()) or len(words) >= _JOIN_ANY_WORDS):
        return True
    if _INSIDE_SENTENCE_RE.search(before):
        return True  # a comma, a quote or a full stop inside: text, not a subheading
    opening = dateline(f"{before} {after}")  # `GAZA CITY, Feb` / `9 (AFP) - Rescuers ...`
    return opening is not None and dateline(before) is None and opening.start("rest") > len(before)


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END_RE.search(text.rstrip()) is not None


def same_words(a: str, b: str) -> bool:
    """Whether two lines have the same words, case, quotes, dashes and spacing aside (a headline and its repeat)."""
    return _words(a) == _words(b) and bool(_words(a))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def norm(text: str) -> str:
    """`text` with runs of white space made one space and case folded: for comparing repeats."""
    return " ".join(text.split()).casefold()


def slugify(text: str) -> str:
    """A file-name slug for a headline or city: `urls.slugify`, cut within 80 characters."""
    return urls.slugify(text, limit=80)
