"""Editions: the site's articles grouped by period (an ISO week by default, or a month, or a day).

An edition is known by its key, which is also its URL name: `2024-w46` (the ISO
week of the article's date in the site's time zone, Monday to Sunday),
`2024-11` (a month) or `2024-11-15` (a day). Only periods with articles have an
edition. Editions hold article keys, newest first, like topics and tags, and are
worked out from the model alone: an article's edition depends only on its date,
which is part of its `context.placement`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from generator.site.model import Article


@dataclass(frozen=True, slots=True)
class Edition:
    key: str  # "2024-w46", "2024-11" or "2024-11-15": its URL name and its feed guid's
    period: str  # "week", "month" or "day"
    start: date  # the period's first day
    end: date  # its last day (the same as `start` for a day)
    articles: tuple[str, ...]  # keys, newest first


def period_of(day: date, period: str) -> tuple[str, date, date]:
    """(key, first day, last day) of the edition that holds `day` (a date in the site's time zone)."""
    if period == "week":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year:04d}-w{week:02d}", start, start + timedelta(days=6)
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return f"{day.year:04d}-{day.month:02d}", day.replace(day=1), day.replace(day=last)
    return day.isoformat(), day, day


def make_editions(articles: Iterable[Article], period: str) -> tuple[Edition, ...]:
    """The editions of `articles` (newest first, as the site orders them), newest edition first."""
    grouped: dict[str, tuple[date, date, list[str]]] = {}
    of_day: dict[date, list[str]] = {}  # each day's edition's keys (a site has far fewer days than articles)
    for a in articles:
        day = a.date.date()
        keys = of_day.get(day)
        if keys is None:
            key, start, end = period_of(day, period)
            keys = of_day[day] = grouped.setdefault(key, (start, end, []))[2]
        keys.append(a.key)
    editions = [Edition(key, period, start, end, tuple(keys)) for key, (start, end, keys) in grouped.items()]
    return tuple(sorted(editions, key=lambda e: e.start, reverse=True))
