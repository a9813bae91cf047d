"""Article cards: what every list (topic, tag and edition pages, the archive, the home page, an article's
neighbours and related articles) shows of an article, as one dict the pages listing it share.

A card holds only plain data made from the article's `context.listing` fields, the site's URLs and its
language, so equal articles give equal cards.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from generator.site import urls as u
from generator.site.language import Language
from generator.site.model import Article

Context = dict[str, Any]
WORDS_PER_MINUTE = 230


def minutes(a: Article) -> int:
    """The article's reading time, in whole minutes (at least one)."""
    return max(1, round(a.words / WORDS_PER_MINUTE))


class Cards(dict[str, Context]):
    """Each article's card, made on first use and then kept (every page listing the article shares it).

    What many cards share is worked out once: a day's date as cards show it and in ISO form, and the
    reading time's words for each number of minutes."""

    def __init__(self, articles: Mapping[str, Article], urls: u.Urls, topics: Mapping[str, Mapping[str, str]],
                 lang: Language) -> None:
        super().__init__()
        self.articles, self.prefix, self.topics, self.lang = articles, urls.prefix, topics, lang
        self._days: dict[date, tuple[str, str]] = {}
        self._reading: dict[int, str] = {}

    def __missing__(self, key: str) -> Context:
        card = self[key] = self.make(self.articles[key])
        return card

    def make(self, a: Article) -> Context:
        """The card of `a`: what lists show of it (`context.listing`), ready for the templates."""
        lang = self.lang
        if a.has_time:
            shown, iso = lang.date(a.date, True), a.date.isoformat()
        else:  # `lang.date` and `date_iso` of a date without a time: its day's
            day = a.date.date()
            known = self._days.get(day)
            if known is None:
                known = self._days[day] = (lang.day(day), day.isoformat())
            shown, iso = known
        count = minutes(a)
        reading = self._reading.get(count)
        if reading is None:
            reading = self._reading[count] = lang.plural("min_read", count)
        return {
            "key": a.key, "title": a.title, "href": self.prefix + a.key, "date": shown,
            "iso": iso, "topic": self.topics[a.topic], "dateline": a.dateline, "highlights": a.highlights,
            "summary": a.summary, "reading": reading,
            # One label wherever a draft is listed (cards, lists, archive; feeds prefix their titles with it).
            "draft": lang.text("draft") if a.draft else None,
        }
