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


def _kind(v: Views, period: str) -> str:
    """`Weekly edition`, `Monthly edition` or `Daily edition`, in the site's language."""
    return v.language.text(f"edition_{period}")


def _sections(v: Views, e: Edition) -> tuple[Context, ...]:
    """The edition's articles by topic (site.yaml's order), each topic's newest first, with its count."""
    by_topic: dict[str, list[str]] = {}
    for key in e.articles:
        by_topic.setdefault(v.site.articles[key].topic, []).append(key)
    return tuple(
        {"id": f"topic-{slug}", "topic": {"title": t.title, "href": v.urls.href(u.topic_path(slug))},
         "count": len(by_topic[slug]), "count_text": v.language.number(len(by_topic[slug])),
         "articles": tuple(v.cards[k] for k in by_topic[slug])}
        for slug, t in v.site.topics.items() if slug in by_topic)


def edition_summary(v: Views, index: int) -> Context:
    """What the index and the neighbouring editions show of edition `index`: its link, dates and counts."""
    e = v.editions[index]
    sections = _sections(v, e)
    lang = v.language
    heading = edition_dates(lang, e.start, e.end, e.period)
    count_text = lang.plural("edition_articles", len(e.articles))
    return {
        "key": e.key, "period": e.period, "kind": _kind(v, e.period), "href": v.urls.href(u.edition_path(e.key)),
        "heading": heading, "start": e.start.isoformat(), "end": e.end.isoformat(),
        "count": len(e.articles), "count_text": count_text,
        # The draft label when the edition holds a draft (a --drafts build or the preview), as cards show it.
        "draft": lang.text("draft") if any(v.site.articles[k].draft for k in e.articles) else None,
        "lede": lang.plural("edition_lede", len(sections), articles=count_text),
        "newer_text": lang.text("newer_edition", dates=heading),
        "older_text": lang.text("older_edition", dates=heading),
        "topics": tuple({"title": s["topic"]["title"], "count": s["count"], "count_text": s["count_text"]}
                        for s in sections),
        "topic_counts": lang.text("list_separator").join(
            lang.text("topic_count", topic=s["topic"]["title"], count=s["count_text"]) for s in sections),
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
    lang = v.language
    description = lang.text("edition_description", kind=edition["kind"], site=v.config.title,
                            dates=edition["heading"], articles=edition["count_text"], topics=edition["topic_counts"])
    page = page_context(v, path, lang.text("edition_title", kind=edition["kind"], dates=edition["heading"]),
                        description,
                        feeds=(v.common["editions_feed"],), lastmod=_newest_day(v, v.editions[index]),
                        newer=newer["href"] if newer else None, older=older["href"] if older else None)
    return {"site": v.common, "page": page, "edition": edition, "older": older, "newer": newer}


def email_context(v: Views, index: int) -> Context:
    """The email copy of edition `index` (`email.html` and `email.txt`): absolute links only."""
    edition = _edition(v, index)
    return {"site": v.common, "edition": edition, "origin": v.urls.origin,
            "web": v.urls.absolute(u.edition_path(edition["key"])), "home": v.urls.absolute(u.HOME),
            "editions": v.urls.absolute(u.EDITIONS), "language": v.config.language,
            "title": v.language.text("email_title", site=v.config.title, kind=edition["kind"].lower(),
                                     dates=edition["heading"])}


def editions_context(v: Views) -> Context:
    """`/editions/`: every edition, newest first, with its dates and counts."""
    editions = tuple(edition_summary(v, i) for i in range(len(v.editions)))
    kind = _kind(v, v.config.editions_period)
    lang = v.language
    page = page_context(v, u.EDITIONS, lang.text("editions"),
                        lang.text("editions_description", kind=kind.lower(), site=v.config.title),
                        feeds=(v.common["editions_feed"],),
                        lastmod=_newest_day(v, v.editions[0]) if v.editions else None)
    return {"site": v.common, "page": page, "editions": editions, "kind": kind,
            "intro": lang.text("editions_intro", kind=kind.lower())}


def _newest_day(v: Views, e: Edition) -> str:
    return v.site.articles[e.articles[0]].date.date().isoformat()


def edition_html(v: Views, index: int) -> str:
    """The whole edition as HTML for a feed item, every link absolute."""
    edition = _edition(v, index)
    lang = v.language
    out = [f"<p>{escape(lang.text('edition_feed_lede', articles=edition['count_text'], dates=edition['heading']))}</p>"]
    for section in edition["sections"]:
        topic = section["topic"]
        out.append(f'<h2><a href="{escape(v.urls.origin + topic["href"])}">{escape(topic["title"])}</a> '
                   f"({escape(section['count_text'])})</h2>")
        for card in section["articles"]:
            meta = escape(card["date"]) + (f" · {escape(card['dateline'])}" if card["dateline"] else "")
            out.append(f'<h3><a href="{escape(v.urls.origin + card["href"])}">{escape(card["title"])}</a></h3>'
                       f"<p>{meta}{' · ' + escape(card['draft']) if card['draft'] else ''}</p>")
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
        text = v.language.text("edition_summary", articles=summary["count_text"], topics=summary["topic_counts"])
        title = v.language.text("edition_title", kind=summary["kind"], dates=summary["heading"])
        if summary["draft"]:  # marked like a draft article's item
            title = v.language.text("draft_title", draft=v.language.text("draft"), title=title)
        entries.append(item(
            title=title, link=link, guid=link,
            when=datetime.combine(e.start, time(), tzinfo=v.config.tz),
            updated=v.site.articles[e.articles[0]].date, categories=tuple(t["title"] for t in summary["topics"]),
            description=escape(text, quote=False), summary=text, content=edition_html(v, index)))
    kind = _kind(v, v.config.editions_period)
    return channel(v, title=v.common["editions_feed"]["title"],
                   description=v.language.text("editions_feed_description", site=v.config.title, kind=kind.lower()),
                   page=u.EDITIONS, feed=u.EDITIONS_FEED, entries=tuple(entries))
