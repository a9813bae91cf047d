"""Article -> topic and tags, with the reasons for `--explain`.

The rule (the same words stand in `site.yaml`):

- Each topic's terms are looked for in the headline, the highlights, the text,
  the captions and the boxes, as whole words; case-insensitively, except terms
  written in capitals (acronyms such as `US`, `UNESCO`), which must match exactly.
  Where terms overlap the longest wins ("Kataib Hezbollah" is not also "Hezbollah").
- A term's weight counts once per mention, for at most 3 mentions; mentions in the
  headline and highlights count first, and double.
- The article goes to the topic with the highest score (the first in `site.yaml`
  on a tie); below `topic_min_score` it goes to the fallback topic.
- Tags: every tag whose name or an alias is mentioned (matched the same way), in
  vocabulary order, then the dateline's city (the vocabulary's tag when the city
  is one of its names).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.importer.clean import Article
from generator.importer.lines import norm, slugify
from generator.site.config import SiteConfig

MAX_MENTIONS = 3
PROMINENT_FACTOR = 2


@dataclass(frozen=True, slots=True)
class Matcher:
    """Finds whole-word mentions of a fixed set of names; `names[i]` is what group `i + 1` matched."""

    pattern: re.Pattern[str] | None
    names: tuple[str, ...]

    @classmethod
    def of(cls, names: Iterable[str]) -> Matcher:
        unique = sorted(set(names), key=lambda name: (-len(name), name))
        if not unique:
            return cls(None, ())
        alternatives = "|".join(f"({_name_pattern(name)})" for name in unique)
        return cls(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), tuple(unique))

    def count(self, texts: Iterable[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        if self.pattern is None:
            return found
        for text in texts:
            for match in self.pattern.finditer(text):
                found[self.names[(match.lastindex or 1) - 1]] += 1
        return found


def _name_pattern(name: str) -> str:
    parts = []
    for char in " ".join(name.split()):
        parts.append(r"\s+" if char == " " else "['’]" if char in "'’" else re.escape(char))
    body = "".join(parts)
    is_acronym = name.upper() == name and any(c.isalpha() for c in name)
    return body if is_acronym else f"(?i:{body})"


@dataclass(frozen=True, slots=True)
class TermScore:
    term: str
    weight: float
    prominent: int  # mentions in the headline and highlights
    plain: int  # mentions elsewhere
    points: float


@dataclass(frozen=True, slots=True)
class TopicScore:
    slug: str
    score: float
    terms: tuple[TermScore, ...]  # the terms found, highest points first


@dataclass(frozen=True, slots=True)
class TagReason:
    slug: str
    names: tuple[tuple[str, int], ...]  # (name or alias as in site.yaml, mentions)
    dateline: str | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    topic: str
    fallback: bool  # no topic reached the minimum score
    min_score: float
    scores: tuple[TopicScore, ...]  # every topic, highest score first
    tags: tuple[TagReason, ...]

    @property
    def tag_slugs(self) -> tuple[str, ...]:
        return tuple(reason.slug for reason in self.tags)


@dataclass(frozen=True, slots=True)
class Classifier:
    config: SiteConfig
    terms: Matcher
    tags: Matcher

    @classmethod
    def of(cls, config: SiteConfig) -> Classifier:
        return cls(
            config,
            Matcher.of(term for topic in config.topics for term, _weight in topic.terms),
            Matcher.of(name for tag in config.tags for name in tag.names),
        )

    def classify(self, article: Article) -> Classification:
        prominent = (article.title, *article.highlights)
        plain = (
            *(p.text for p in article.paragraphs), *(image.caption for image in article.images),
            *(part for box in article.factboxes for part in (box.title or "", box.text)),
        )
        scores = self._scores(self.terms.count(prominent), self.terms.count(plain))
        best = scores[0] if scores else None
        fallback = best is None or best.score < self.config.topic_min_score
        topic = self.config.fallback_topic.slug if fallback or best is None else best.slug
        return Classification(topic, fallback, self.config.topic_min_score, scores,
                              self._tags(self.tags.count((*prominent, *plain)), article.dateline))

    def _scores(self, prominent: Counter[str], plain: Counter[str]) -> tuple[TopicScore, ...]:
        scores = []
        for topic in self.config.topics:
            terms = []
            for term, weight in topic.terms:
                p, n = prominent[term], plain[term]
                if p or n:
                    counted = min(p, MAX_MENTIONS)
                    factor = PROMINENT_FACTOR * counted + min(n, MAX_MENTIONS - counted)
                    terms.append(TermScore(term, weight, p, n, weight * factor))
            terms.sort(key=lambda t: (-t.points, t.term))
            scores.append(TopicScore(topic.slug, sum(t.points for t in terms), tuple(terms)))
        order = {topic.slug: i for i, topic in enumerate(self.config.topics)}
        return tuple(sorted(scores, key=lambda s: (-s.score, order[s.slug])))

    def _tags(self, found: Mapping[str, int], dateline: str | None) -> tuple[TagReason, ...]:
        reasons = []
        for tag in self.config.tags:
            names = tuple((name, found[name]) for name in tag.names if found[name])
            if names:
                reasons.append(TagReason(tag.slug, names))
        if dateline:
            city = next((t for t in self.config.tags if norm(dateline) in {norm(n) for n in t.names}), None)
            slug = city.slug if city is not None else slugify(dateline)
            known = next((i for i, r in enumerate(reasons) if r.slug == slug), None)
            if known is not None:
                reasons[known] = TagReason(slug, reasons[known].names, dateline)
            elif slug:
                reasons.append(TagReason(slug, (), dateline))
        return tuple(reasons)
