"""Related articles: the pruned ranking in `model._related` gives what the plain one did (differential).

The reference below is `_related` as it was before it was made cheaper: every
candidate of the date windows ranked by (shared tags, distance in time, URL).
Sites are drawn with few tags and many ties in date, and large enough that the
windows (RELATED_WINDOW each side) cut the candidates.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.model import RELATED_LIMIT, RELATED_WINDOW, _related


def reference(ordered, by_tag):  # type: ignore[no-untyped-def]
    position = {a.key: i for i, a in enumerate(ordered)}
    postings = {tag: [position[k] for k in keys] for tag, keys in by_tag.items()}
    tagsets = [frozenset(a.tags) for a in ordered]
    stamps = [a.date.timestamp() for a in ordered]
    related = {}
    for i, article in enumerate(ordered):
        candidates: set[int] = set()
        for tag in article.tags:
            posting = postings[tag]
            at = bisect_left(posting, i)
            candidates.update(posting[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1])
        candidates.discard(i)
        tags, when = tagsets[i], stamps[i]
        best = heapq.nsmallest(RELATED_LIMIT, candidates, key=lambda j, tags=tags, when=when: (
            -len(tags & tagsets[j]), abs(stamps[j] - when), ordered[j].key))
        related[article.key] = tuple(ordered[j].key for j in best)
    return related


ARTICLE = st.tuples(st.integers(0, 40), st.lists(st.sampled_from("abcdefg"), max_size=5, unique=True))


@settings(max_examples=settings().max_examples * 2)
@given(st.lists(ARTICLE, max_size=400))
def test_same_as_reference(drawn: list[tuple[int, list[str]]]) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = [SimpleNamespace(key=f"{day:02d}/a{i}/", tags=tuple(tags), date=start + timedelta(hours=day))
                for i, (day, tags) in enumerate(drawn)]
    ordered = sorted(articles, key=lambda a: (-a.date.timestamp(), a.key))
    by_tag: dict[str, list[str]] = {}
    for a in ordered:
        for tag in a.tags:
            by_tag.setdefault(tag, []).append(a.key)
    assert _related(ordered, by_tag) == reference(ordered, by_tag)
