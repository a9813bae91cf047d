"""The site's language: dates, numbers and the theme's words, through Babel (CLDR data).

`make_language(tag, overrides)` resolves every theme string once: `site.yaml`
`strings:` first, then the language's table (`generator.site.strings`), then
English, recording which keys fell back to English (`Language.missing`, reported
once per build). Counting strings pick their text by the language's CLDR plural
rules. `date`, `day`, `month` and `number` format in the language: the one
date helper every page, list and feed context calls. Pure: no I/O.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from babel import Locale, UnknownLocaleError

from generator.site.strings import ENGLISH, TABLES, Text

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def parse_locale(tag: str) -> Locale | None:
    """The Babel locale of a BCP 47 tag (`en`, `en-GB`, `ar`, `pt_BR`), or None when CLDR has no such language."""
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def check_tag(tag: str) -> str | None:
    """None when `tag` names a language CLDR knows, else what is wrong (for `site.yaml` `language`)."""
    if parse_locale(tag) is None:
        return f"{tag!r} is not a language tag Babel knows (e.g. 'en', 'en-GB', 'fr', 'ar')"
    return None


def fields_of(text: str) -> set[str] | None:
    """The named fields of a text (`{topic}`), or None when its braces are not well formed (`{` alone)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.add(name)
    return names


def _allowed_fields(key: str) -> set[str]:
    value = ENGLISH[key]
    texts = value.values() if isinstance(value, Mapping) else (value,)
    return set().union(*(fields_of(t) or set() for t in texts)) | ({"count"} if isinstance(value, Mapping) else set())


def check_string(key: str, value: Any, locale: Locale | None) -> list[tuple[str, str]]:
    """What is wrong with `strings: {key: value}` of `site.yaml`: (key path, message) pairs, none when it is good."""
    if key not in ENGLISH:
        import difflib  # a mistake's hint only

        close = difflib.get_close_matches(key, list(ENGLISH), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "the keys are those of generator/site/strings/en.py"
        return [(key, f"unknown string ({hint})")]
    counting = isinstance(ENGLISH[key], Mapping)
    if counting and isinstance(value, Mapping):
        categories = sorted(locale.plural_form.tags | {"other"}) if locale else list(PLURAL_CATEGORIES)
        problems = [(f"{key}.{c}", f"is not a plural category of this language (use {', '.join(categories)})")
                    for c in value if c not in categories]
        if "other" not in value:
            problems.append((key, "needs an 'other' text (the plural category every language has)"))
        return problems + [p for c, text in value.items() if c in categories
                           for p in _check_text(f"{key}.{c}", text, _allowed_fields(key))]
    if isinstance(value, Mapping):
        return [(key, "is a mapping; this string is one text")]
    return _check_text(key, value, _allowed_fields(key))


def _check_text(where: str, value: Any, allowed: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, str):
        return [(where, f"{value!r} is not text")]
    if not value.strip() or "\n" in value.strip():
        return [(where, "must be one line of text")]
    names = fields_of(value)
    if names is None:
        return [(where, "has a stray brace (write {name} for a field, {{ or }} for a brace)")]
    unknown = sorted(names - allowed)
    if unknown:
        known = ", ".join("{" + n + "}" for n in sorted(allowed)) or "none"
        return [(where, f"{{{unknown[0]}}} is not a field of this string (its fields: {known})")]
    return []


@dataclass(frozen=True, slots=True)
class Language:
    """One site's language: its tag (as `<html lang>`), Babel locale and resolved strings."""

    tag: str
    locale: Locale
    strings: Mapping[str, Text]
    missing: tuple[str, ...] = ()  # keys shown in English for want of a translation
    plain: Mapping[str, str] = field(default_factory=dict)  # the one-text strings, for templates
    # Babel's formatting costs ~0.1-0.3 ms a call; a site has few distinct days and counts, so each is
    # worked out once (a build of 10,000 articles formats ~700 days, not 10,000 dates).
    _memo: dict[tuple[Any, ...], str] = field(default_factory=dict, compare=False, repr=False)

    def _once(self, key: tuple[Any, ...], make: Callable[[], str]) -> str:
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = make()
        return value

    @property
    def direction(self) -> str:
        """`ltr` or `rtl` (CLDR's character order: Arabic, Hebrew, Persian, Urdu are `rtl`)."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    def text(self, key: str, **fields: Any) -> str:
        value = self.strings[key]
        assert isinstance(value, str), key
        return value.format(**fields) if fields else value.replace("{{", "{").replace("}}", "}")

    def plural(self, key: str, count: int, **fields: Any) -> str:
        """The counting string `key` for `count` (given as `{count}` in the language's digits)."""
        value = self.strings[key]
        assert isinstance(value, Mapping), key
        category = self._once(("plural", count), lambda: str(self.locale.plural_form(count)))
        text = value.get(category) or value["other"]
        return text.format(count=self.number(count), **fields)

    def number(self, n: int) -> str:
        return self._once(("number", n), lambda: _format_decimal(n, locale=self.locale))

    def day(self, d: date) -> str:
        """`15 November 2024` (en-GB), `November 15, 2024` (en), `15 novembre 2024`, `15 نوفمبر 2024`."""
        return self._once(("day", d), lambda: _format_date(d, "long", locale=self.locale))

    def date(self, when: datetime, has_time: bool) -> str:
        """An article's date in the language; with its time when it has one (`3 November 2024, 14:30`)."""
        day = self.day(when.date())
        if not has_time:
            return day
        clock = self._once(("time", when.hour, when.minute),
                           lambda: _format_time(when.replace(tzinfo=None).time(), "short", locale=self.locale))
        pattern = str(self.locale.datetime_formats["medium"]).replace("'", "")
        return pattern.replace("{0}", clock).replace("{1}", day)

    def span(self, start: date, end: date) -> str:
        """Days from `start` to `end` as one heading, by CLDR's interval patterns with the month written out:
        `11–17 November 2024`, `28 October – 3 November 2024`, `30 December 2024 – 5 January 2025` (en-GB),
        `November 11 – 17, 2024` (en), `11–17 novembre 2024`, `11–17 نوفمبر 2024`; one day is `day`."""
        if start == end:
            return self.day(start)
        return self._once(("span", start, end), lambda: self._span(start, end))

    def _span(self, start: date, end: date) -> str:
        # CLDR has interval patterns for abbreviated months (yMMMd) in every language, not always for full ones;
        # the piece used is the one of the largest field that differs (year, then month, then day).
        pieces = self.locale.interval_formats.get("yMMMd") or {}
        field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        pair = pieces.get(field)
        if not pair:
            return f"{self.day(start)} – {self.day(end)}"
        return "".join(_format_date(d, _long_months(p), locale=self.locale)
                       for p, d in zip(pair, (start, end), strict=True))

    def month(self, year: int, month: int) -> str:
        """A month as a heading: `November 2024`, `novembre 2024`, `نوفمبر 2024`."""
        return self._once(("month", year, month),
                          lambda: _format_skeleton("yMMMM", date(year, month, 1), locale=self.locale))


# Babel's formatters, imported when first used (`babel.dates` and `babel.numbers` take longer to import than
# all else a build with nothing to do imports of Babel); `Language` calls them once a value anyway.
def _format_decimal(n: int, *, locale: Locale) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=locale)


def _format_date(d: date, pattern: str, *, locale: Locale) -> str:
    from babel.dates import format_date

    return format_date(d, pattern, locale=locale)


def _format_time(t: time, pattern: str, *, locale: Locale) -> str:
    from babel.dates import format_time

    return format_time(t, pattern, locale=locale)


def _format_skeleton(skeleton: str, d: date, *, locale: Locale) -> str:
    from babel.dates import format_skeleton

    return format_skeleton(skeleton, d, locale=locale)


def _long_months(pattern: str) -> str:
    """A CLDR date pattern with its abbreviated month (`MMM`, `LLL`) written out (`MMMM`, `LLLL`)."""
    return re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", pattern)


def make_language(tag: str, overrides: Mapping[str, Any] | None = None) -> Language:
    """The language of `tag` with `site.yaml`'s `strings:` (already checked) over the shipped tables."""
    locale = parse_locale(tag)
    if locale is None:
        raise ValueError(check_tag(tag))
    table = TABLES.get(locale.language, {})
    overrides = overrides or {}
    strings: dict[str, Text] = {}
    missing = []
    for key, english in ENGLISH.items():
        value = overrides.get(key, table.get(key))
        if value is None:
            missing.append(key)
            value = english
        if isinstance(english, Mapping) and not isinstance(value, Mapping):
            value = {"other": value}  # one text for every count
        strings[key] = dict(value) if isinstance(value, Mapping) else value
    plain = {k: v.replace("{{", "{").replace("}}", "}") for k, v in strings.items()
             if isinstance(v, str) and not fields_of(v)}
    return Language(tag, locale, strings, tuple(missing), plain)


def strings_note(tag: str, overrides: Mapping[str, Any]) -> str | None:
    """The one line a build (or the preview, when it starts) prints when some theme strings of the site's
    language fall back to English, else None."""
    language = make_language(tag, overrides)
    if not language.missing:
        return None
    n = len(language.missing)
    shown = ", ".join(language.missing[:5]) + (", ..." if n > 5 else "")
    return (f"note: language {language.tag!r}: {n} theme string{'s' if n != 1 else ''} "
            f"shown in English ({shown}); translate {'them' if n != 1 else 'it'} under strings: in site.yaml")
