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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.importer.clean import Article
from generator.importer.lines import norm, slugify
from generator.site.config import SiteConfig

MAX_MENTIONS = 3
FINDER_DEPTH = 4  # how many first characters of a name `Matcher.finder` looks at
PROMINENT_FACTOR = 2


@dataclass(frozen=True, slots=True)
class Matcher:
    """Finds whole-word mentions of a fixed set of names, longest first where they overlap.

    It counts exactly what `finditer` of `(?<!\\w)(?:(A)|(B)|...)(?!\\w)` counts, the names sorted
    longest first (tests/test_classify_fast.py keeps that regex as the reference). That regex tries
    every name at every word start, which cost most of an import. Here `finder` (one regex,
    scanning in C) stops only where the first characters of some name match; there, the names
    whose first character matches that character are tried, in the same order, as one alternation,
    and the scan goes on from the end of a match or the next character, as `finditer` does.
    """

    names: tuple[str, ...]  # longest first
    finder: re.Pattern[str] | None  # where a name may start
    plain: re.Pattern[str] | None  # every name, in place of `finder` when one has no character
    firsts: tuple[str, ...]  # per name, the pattern of its first character ("" for a name of no character)
    bodies: tuple[str, ...]  # per name, its pattern
    _tries: dict[str, tuple[re.Pattern[str] | None, tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False)  # a character -> the names that may start with it

    @classmethod
    def of(cls, names: Iterable[str]) -> Matcher:
        unique = tuple(sorted(set(names), key=lambda name: (-len(name), name)))
        if not unique:
            return cls((), None, None, (), ())
        bodies = tuple(_name_pattern(name) for name in unique)
        parts = [_name_chars(name) for name in unique]
        firsts = tuple(chars[0] if chars else "" for chars in parts)
        if not all(firsts):  # an empty name matches between two non-word characters: the plain regex
            alternatives = "|".join(f"({body})" for body in bodies)
            return cls(unique, None, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), firsts, bodies)
        return cls(unique, re.compile(rf"(?<!\w)(?:{_starts(parts, FINDER_DEPTH)})"), None, firsts, bodies)

    def count(self, texts: Iterable[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        if self.plain is not None:
            for text in texts:
                for match in self.plain.finditer(text):
                    found[self.names[(match.lastindex or 1) - 1]] += 1
            return found
        if self.finder is None:
            return found
        search, tries = self.finder.search, self._tries
        for text in texts:
            start = search(text)
            while start is not None:
                pos = start.start()
                char = text[pos]
                pattern, names = tries[char] if char in tries else self._try(char)
                tried = pattern.match(text, pos) if pattern is not None else None
                if tried is not None:
                    found[names[(tried.lastindex or 1) - 1]] += 1
                    start = search(text, tried.end())
                else:
                    start = search(text, pos + 1)
        return found

    def _try(self, char: str) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
        """The names whose first character's pattern matches `char`, in order, as one alternation."""
        fits = {first: re.fullmatch(first, char) is not None for first in dict.fromkeys(self.firsts)}
        picked = [i for i, first in enumerate(self.firsts) if fits[first]]
        alternatives = "|".join(f"({self.bodies[i]})" for i in picked)
        entry = (re.compile(rf"(?:{alternatives})(?!\w)") if picked else None, tuple(self.names[i] for i in picked))
        self._tries[char] = entry
        return entry


def _starts(names: Sequence[Sequence[str]], depth: int) -> str:
    """A pattern for the first `depth` characters of any of `names` (each a list of character patterns),
    as a tree: `a(?:b|c)` rather than `ab|ac`. A name that ends sooner matches whatever follows it."""
    branches: dict[str, list[Sequence[str]]] = {}
    for chars in names:
        if not chars or not depth:
            return ""
        branches.setdefault(chars[0], []).append(chars[1:])
    return "|".join(first + (f"(?:{rest})" if (rest := _starts(after, depth - 1)) else "")
                    for first, after in branches.items())


def _name_pattern(name: str) -> str:
    parts = _pieces(name)
    return "".join(parts) if _is_acronym(name) else f"(?i:{''.join(parts)})"


def _name_chars(name: str) -> list[str]:
    """The pattern of each character of `name`: matching them one after the other is `_name_pattern`."""
    parts = _pieces(name)
    return parts if _is_acronym(name) else [f"(?i:{part})" for part in parts]


def _pieces(name: str) -> list[str]:
    """Whitespace is any run of it, both apostrophes are one, every other character itself."""
    return [r"\s+" if char == " " else "['’]" if char in "'’" else re.escape(char) for char in " ".join(name.split())]


def _is_acronym(name: str) -> bool:
    """Written in capitals: matched case-sensitively."""
    return name.upper() == name and any(c.isalpha() for c in name)


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
    tags_named: Mapping[str, tuple[int, ...]]  # a name or alias -> the positions of its tags in the vocabulary
    city_tags: Mapping[str, int]  # a name or alias, `norm`ed -> the position of the first tag it names

    @classmethod
    def of(cls, config: SiteConfig) -> Classifier:
        tags_named: dict[str, list[int]] = {}
        city_tags: dict[str, int] = {}
        for i, tag in enumerate(config.tags):
            for name in tag.names:
                tags_named.setdefault(name, []).append(i)
                city_tags.setdefault(norm(name), i)
        return cls(
            config,
            Matcher.of(term for topic in config.topics for term, _weight in topic.terms),
            Matcher.of(name for tag in config.tags for name in tag.names),
            {name: tuple(dict.fromkeys(positions)) for name, positions in tags_named.items()},
            city_tags,
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
        mentioned = sorted({i for name, n in found.items() if n for i in self.tags_named.get(name, ())})
        for tag in (self.config.tags[i] for i in mentioned):  # in vocabulary order
            names = tuple((name, found[name]) for name in tag.names if found.get(name))
            if names:
                reasons.append(TagReason(tag.slug, names))
        if dateline:
            city = self.city_tags.get(norm(dateline))
            slug = self.config.tags[city].slug if city is not None else slugify(dateline)
            known = next((i for i, r in enumerate(reasons) if r.slug == slug), None)
            if known is not None:
                reasons[known] = TagReason(slug, reasons[known].names, dateline)
            elif slug:
                reasons.append(TagReason(slug, (), dateline))
        return tuple(reasons)
