"""The importer's name matcher and tag reasons against the plain implementations they replace (differential).

`Matcher.count` finds names by stopping only where a name can start and trying
there the names that can start with that character; the reference below is the
one regex it replaced, `(?<!\\w)(?:(A)|(B)|...)(?!\\w)` over every name, longest
first, counted with `finditer`. They must count exactly the same, under
hypothesis (arbitrary names: acronyms, apostrophes, several words, letters that
fold case in odd ways such as the Kelvin sign and the long s, names that are
prefixes of each other, empty ones; texts made of those names' pieces, changed
in case and spacing, and arbitrary Unicode), on the bundled vocabulary and seed,
and on a sample of the benchmark news corpus. `Classifier._tags` is checked
against the loop it replaced the same way.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from random import Random
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.importer.classify import Classifier, Matcher, TagReason
from generator.importer.clean import clean
from generator.importer.lines import norm, slugify
from generator.importer.segment import segment
from generator.site.config import SiteConfig, TagConfig, load_config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import news  # noqa: E402

MANY = settings(max_examples=settings().max_examples * 5)  # a differential test: 5x the profile's budget


def reference_count(names: Iterable[str], texts: Iterable[str]) -> Counter[str]:
    """What `Matcher.count` counted before it was made fast: one regex of every name, longest first."""
    unique = sorted(set(names), key=lambda name: (-len(name), name))
    found: Counter[str] = Counter()
    if not unique:
        return found
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(f'({_reference_name(name)})' for name in unique)})(?!\w)")
    for text in texts:
        for match in pattern.finditer(text):
            found[unique[(match.lastindex or 1) - 1]] += 1
    return found


def _reference_name(name: str) -> str:
    parts = []
    for char in " ".join(name.split()):
        parts.append(r"\s+" if char == " " else "['’]" if char in "'’" else re.escape(char))
    body = "".join(parts)
    is_acronym = name.upper() == name and any(c.isalpha() for c in name)
    return body if is_acronym else f"(?i:{body})"


def reference_tags(config: SiteConfig, found: Mapping[str, int], dateline: str | None) -> tuple[TagReason, ...]:
    """What `Classifier._tags` gave before it looked names up instead of walking the vocabulary."""
    reasons = []
    for tag in config.tags:
        names = tuple((name, found[name]) for name in tag.names if found[name])
        if names:
            reasons.append(TagReason(tag.slug, names))
    if dateline:
        city = next((t for t in config.tags if norm(dateline) in {norm(n) for n in t.names}), None)
        slug = city.slug if city is not None else slugify(dateline)
        known = next((i for i, r in enumerate(reasons) if r.slug == slug), None)
        if known is not None:
            reasons[known] = TagReason(slug, reasons[known].names, dateline)
        elif slug:
            reasons.append(TagReason(slug, (), dateline))
    return tuple(reasons)


def check(names: list[str], texts: list[str], matcher: Matcher | None = None) -> Counter[str]:
    matcher = matcher or Matcher.of(names)
    expected = reference_count(names, texts)
    assert matcher.count(texts) == expected, (names, texts)
    return expected


# Characters that matter to the matcher: case folding beyond ASCII (Kelvin sign, long s, dotted and dotless i,
# final sigma, sharp s), apostrophes, word and non-word characters, regex syntax, every kind of whitespace.
LETTERS = list("aAkKsSiIeE") + ["\u212a", "\u017f", "\u0130", "\u0131", "σ", "ς", "Σ", "ß", "ẞ", "é", "É", "ǅ", "ǆ",
                                "ﬁ", "ا", "ل", "中", "٣", "3", "_", "\u0301"]
PUNCT = ["'", "’", "‘", "-", ".", "(", "[", "\\", "*", "+", "?", "|", "$", "^", "{", "&", "“", "”", ",", "—"]
SPACE = [" ", "  ", "\t", "\n", "\xa0", "\u2028", "\x1c", "\u3000", "\x85", "\u200b", "\x0b"]
NAME = st.lists(st.sampled_from(LETTERS + PUNCT + SPACE), min_size=1, max_size=7).map("".join)
NAMES = st.lists(st.one_of(NAME, NAME.map(str.upper), NAME.map(str.title)), min_size=1, max_size=12).flatmap(
    lambda names: st.lists(st.sampled_from(names), max_size=6).map(  # and prefixes of each other
        lambda more: names + [name[: max(1, len(name) // 2)] for name in more] + [name + "s" for name in more]))


def _variant(draw: st.DrawFn, name: str) -> str:
    """`name` as a text may write it: another case, other whitespace, the other apostrophe, a cut."""
    change = draw(st.sampled_from(["", "upper", "lower", "swapcase", "casefold", "space", "apostrophe", "cut"]))
    if change in ("upper", "lower", "swapcase", "casefold"):
        return str(getattr(name, change)())
    if change == "space":
        return re.sub(r"\s+", lambda _m: draw(st.sampled_from(SPACE)), name)
    if change == "apostrophe":
        return name.translate({ord("'"): "’", ord("’"): "'"})
    if change == "cut":
        return name[: draw(st.integers(0, len(name)))]
    return name


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    names = draw(NAMES)
    piece = st.one_of(st.sampled_from(names).map(lambda name: _variant(draw, name)),
                      st.sampled_from(LETTERS + PUNCT + SPACE), st.text(max_size=3))
    texts = draw(st.lists(st.lists(piece, max_size=14).map("".join), min_size=1, max_size=4))
    return names, texts


@MANY
@given(cases())
@example((["K"], ["\u212a k K"]))
@example((["ſt"], ["st ST ſt"]))
@example((["US", "us"], ["US us Us"]))
@example((["'s", "’Abdul"], ["it's ’s 's 'abdul ’abdul"]))
@example((["Kataib Hezbollah", "Hezbollah", "Kataib"], ["kataib  hezbollah, Kataib\nHezbollah's Hezbollah-"]))
@example((["a b", "a", "ab"], ["a b ab a  b a_b"]))
@example(([" ", "x"], ["- x --"]))
@example((["İ", "i̇"], ["İ i̇ i I"]))
def test_counts_what_the_one_regex_counted(case: tuple[list[str], list[str]]) -> None:
    names, texts = case
    matcher = Matcher.of(names)
    check(names, texts, matcher)
    check(names, texts, matcher)  # again, with what it remembered of each character
    for text in texts:  # and text by text
        check(names, [text], matcher)


@MANY
@given(st.lists(st.text(max_size=6), min_size=1, max_size=8), st.lists(st.text(max_size=40), max_size=4))
def test_arbitrary_names_and_text(names: list[str], texts: list[str]) -> None:
    check(names, texts)


def test_no_names_find_nothing() -> None:
    assert Matcher.of([]).count(["anything at all"]) == Counter()


def test_bundled_vocabulary_on_the_seed_and_news_corpus() -> None:
    config = load_config(ROOT)
    rng, tags, words = Random(3), corpus.tag_names(), news.vocabulary()
    weights = [1 / (k + 1) for k in range(len(tags))]
    dump = "".join(news.page(rng, words, i, tags, weights, date(2024, 1, 1 + i % 28)) for i in range(20))
    seed = (ROOT / "sources").glob("*.txt")
    articles = [clean(raw, "dump") for text in [dump, *(p.read_text(encoding="utf-8") for p in seed)]
                for raw in segment(text, "dump", ZoneInfo("UTC"))]
    assert len(articles) > 20
    vocabularies = {
        "terms": [term for topic in config.topics for term, _weight in topic.terms],
        "tags": [name for tag in config.tags for name in tag.names],
        "news tags": [t.replace("-", " ").title() for t in tags],
    }
    classifier = Classifier.of(config)
    for vocabulary in vocabularies.values():
        found, matcher = 0, Matcher.of(vocabulary)
        for article in articles:
            texts = [article.title, *article.highlights, *(p.text for p in article.paragraphs),
                     *(image.caption for image in article.images)]
            counted = check(vocabulary, texts, matcher)
            found += sum(counted.values())
            assert reference_tags(config, counted, article.dateline) == classifier._tags(counted, article.dateline)
        assert found > len(articles)  # the vocabularies are mentioned: the comparison saw matches


BUNDLED = load_config(ROOT)
TAG_NAME = st.sampled_from(["Mosul", "mosul", "MOSUL", "Erbil", "Iraq", "ISIS", "Daesh", "Beirut", " Beirut ", "X"])


@MANY
@given(
    st.lists(st.tuples(st.sampled_from(["mosul", "erbil", "iraq", "isis", "beirut", "x"]),
                       st.lists(TAG_NAME, min_size=1, max_size=3)), max_size=6),
    st.dictionaries(TAG_NAME, st.integers(0, 3)),
    st.one_of(st.none(), TAG_NAME, st.sampled_from(["", "Baghdad", "?"])),
)
def test_tag_reasons_are_the_vocabulary_walk(tags: list[tuple[str, list[str]]], found: dict[str, int],
                                             dateline: str | None) -> None:
    # Vocabularies that site.yaml would refuse (a name in two tags, a slug twice) included: the lookups
    # must give what walking the vocabulary gave on any SiteConfig.
    vocabulary = tuple(TagConfig(slug, names[0], tuple(names[1:])) for slug, names in tags)
    config = replace(BUNDLED, tags=vocabulary)
    counts = Counter({name: n for name, n in found.items() if n})
    assert Classifier.of(config)._tags(counts, dateline) == reference_tags(config, counts, dateline)
