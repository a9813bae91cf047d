"""Page and feed contexts of the editions: each edition's page and email copy, the index, the editions feed.

An edition page holds its articles' cards (the same `Views.cards` the lists show),
grouped by topic in `site.yaml` order, newest first within a topic. The email
copy gets the same data plus the site's `origin`, so its template can make every
link absolute (`origin ~ card.href`). The editions feed has one item per edition,
whose guid is the edition's URL: it stays the same when a late article joins.
"""

from __future__ import annotations

from datetime import datetime, time
from html import escape

from generator.pages.context import Context, Views, edition_dates, page_context
from generator.pages.editions import Edition
from generator.pages.feeds import channel, item
from generator.site import urls as u

KINDS = {"week": "Weekly edition", "month": "Monthly edition", "day": "Daily edition"}


def _count(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _sections(v: Views, e: Edition) -> tuple[Context, ...]:
    """The edition's articles by topic (site.yaml's order), each topic's newest first, with its count."""
    by_topic: dict[str, list[str]] = {}
    for key in e.articles:
        by_topic.setdefault(v.site.articles[key].topic, []).append(key)
    return tuple(
        {"id": f"topic-{slug}", "topic": {"title": t.title, "href": v.urls.href(u.topic_path(slug))},
         "count": len(by_topic[slug]), "articles": tuple(v.cards[k] for k in by_topic[slug])}
        for slug, t in v.site.topics.items() if slug in by_topic)


def edition_summary(v: Views, index: int) -> Context:
    """What the index and the neighbouring editions show of edition `index`: its link, dates and counts."""
    e = v.editions[index]
    sections = _sections(v, e)
    return {
        "key": e.key, "period": e.period, "kind": KINDS[e.period], "href": v.urls.href(u.edition_path(e.key)),
        "heading": edition_dates(e.start, e.end, e.period), "start": e.start.isoformat(), "end": e.end.isoformat(),
        "count": len(e.articles), "count_text": _count(len(e.articles)),
        "topics": tuple({"title": s["topic"]["title"], "count": s["count"]} for s in sections),
    }


def _edition(v: Views, index: int) -> Context:
    e = v.editions[index]
    return {**edition_summary(v, index), "sections": _sections(v, e),
            "email": {"html": v.urls.href(u.email_path(e.key)), "text": v.urls.href(u.email_path(e.key, "txt"))}}


def edition_context(v: Views, index: int) -> Context:
    """The page of edition `index` (0 is the newest)."""
    edition = _edition(v, index)
    older = edition_summary(v, index + 1) if index + 1 < len(v.editions) else None
    newer = edition_summary(v, index - 1) if index > 0 else None
    path = u.edition_path(edition["key"])
    description = (f"{edition['kind']} of {v.config.title}, {edition['heading']}: {edition['count_text']}, "
                   + ", ".join(f"{t['title']} {t['count']}" for t in edition["topics"]) + ".")
    page = page_context(v, path, f"{edition['kind']}, {edition['heading']}", description,
                        feeds=(v.common["editions_feed"],), lastmod=_newest_day(v, v.editions[index]),
                        newer=newer["href"] if newer else None, older=older["href"] if older else None)
    return {"site": v.common, "page": page, "edition": edition, "older": older, "newer": newer}


def email_context(v: Views, index: int) -> Context:
    """The email copy of edition `index` (`email.html` and `email.txt`): absolute links only."""
    edition = _edition(v, index)
    return {"site": v.common, "edition": edition, "origin": v.urls.origin,
            "web": v.urls.absolute(u.edition_path(edition["key"])), "home": v.urls.absolute(u.HOME),
            "editions": v.urls.absolute(u.EDITIONS), "language": v.config.language,
            "title": f"{v.config.title}: {edition['kind'].lower()}, {edition['heading']}"}


def editions_context(v: Views) -> Context:
    """`/editions/`: every edition, newest first, with its dates and counts."""
    editions = tuple(edition_summary(v, i) for i in range(len(v.editions)))
    kind = KINDS[v.config.editions_period]
    page = page_context(v, u.EDITIONS, "Editions", f"Every {kind.lower()} of {v.config.title}, newest first.",
                        feeds=(v.common["editions_feed"],),
                        lastmod=_newest_day(v, v.editions[0]) if v.editions else None)
    return {"site": v.common, "page": page, "editions": editions, "kind": kind}


def _newest_day(v: Views, e: Edition) -> str:
    return v.site.articles[e.articles[0]].date.date().isoformat()


def edition_html(v: Views, index: int) -> str:
    """The whole edition as HTML for a feed item, every link absolute."""
    edition = _edition(v, index)
    out = [f"<p>{escape(edition['count_text'])}, {escape(edition['heading'])}.</p>"]
    for section in edition["sections"]:
        topic = section["topic"]
        out.append(f'<h2><a href="{escape(v.urls.origin + topic["href"])}">{escape(topic["title"])}</a> '
                   f"({section['count']})</h2>")
        for card in section["articles"]:
            meta = escape(card["date"]) + (f" · {escape(card['dateline'])}" if card["dateline"] else "")
            out.append(f'<h3><a href="{escape(v.urls.origin + card["href"])}">{escape(card["title"])}</a></h3>'
                       f"<p>{meta}{' · Draft' if card['draft'] else ''}</p>")
            if card["highlights"]:
                out.append("<ul>" + "".join(f"<li>{escape(h, quote=False)}</li>" for h in card["highlights"]) + "</ul>")
            elif card["summary"]:
                out.append(f"<p>{escape(card['summary'], quote=False)}</p>")
    return "\n".join(out)


def editions_feed_context(v: Views) -> Context:
    """`/editions/feed.xml` (and its twins): the newest `feed_limit` editions, each whole, guid = its URL."""
    entries = []
    for index, e in enumerate(v.editions[: v.config.feed_limit]):
        summary = edition_summary(v, index)
        link = v.urls.absolute(u.edition_path(e.key))
        counts = ", ".join(f"{t['title']} {t['count']}" for t in summary["topics"])
        text = f"{summary['count_text']}: {counts}."
        entries.append(item(
            title=f"{summary['kind']}, {summary['heading']}", link=link, guid=link,
            when=datetime.combine(e.start, time(), tzinfo=v.config.tz),
            updated=v.site.articles[e.articles[0]].date, categories=tuple(t["title"] for t in summary["topics"]),
            description=escape(text, quote=False), summary=text, content=edition_html(v, index)))
    kind = KINDS[v.config.editions_period]
    return channel(v, title=f"{v.config.title}: editions", description=f"{v.config.title}, one item per "
                   f"{v.config.editions_period}: each {kind.lower()} whole.", page=u.EDITIONS, feed=u.EDITIONS_FEED,
                   entries=tuple(entries))
