"""The plain-prose fast path against markdown-it-py, byte for byte (differential).

`fastmd.render` may decline any body (None: markdown-it-py renders it), but
what it does return must be exactly markdown-it-py's HTML and first paragraph.
Checked under hypothesis (arbitrary text, and text built from what matters to
Markdown: punctuation, escapes, entities, block markers, every kind of
whitespace and line break), and on every content file of the fixtures, the
bundled site and samples of both benchmark corpora.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.importer.clean import clean
from generator.importer.markdown import body as import_body
from generator.importer.segment import segment
from generator.pages.render import make_markdown
from generator.site import fastmd
from generator.site.frontmatter import split
from generator.site.parse import _first_paragraph, _lead_end

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import news  # noqa: E402

MD = make_markdown()
MANY = settings(max_examples=settings().max_examples * 5)  # a differential test: 5x the profile's budget


def reference(text: str) -> tuple[str, str]:
    tokens = MD.parse(text)
    return MD.renderer.render(tokens, MD.options, {}), _first_paragraph(tokens)


def check(text: str) -> bool:
    """The fast path agrees with markdown-it-py on `text`; True if it took it."""
    fast = fastmd.render(text)
    if fast is not None:
        assert fast == reference(text), repr(text)
        tokens = MD.parse(text)  # and the first paragraph ends where the theme's picture goes in
        lead = _lead_end(tokens)
        assert fastmd.lead_end(fast[0]) == (len(MD.renderer.render(tokens[:lead], MD.options, {})) if lead else 0)
    return fast is not None


SPECIAL = list("\\*_`[]()<>&|~!#+-=:.;\"'") + ["1.", "2)", "&amp;", "&#35;", "&#x41;", "&copy;", "&nope;",
                                                "<a>", "<http://x.y>", "<a@b.c>", "< ", "![", "](", "**", "__"]
SPACE = [" ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\xa0", "\u2028", "\u2029", "\x85",
         "\u3000", "\x1c", "\u200b", "\ufeff"]
WORDS = ["the", "Mosul", "said", "2024", "12th-century", "“quoted”", "‘single’", "Iran’s", "—", "–", "é", "اليوم",
         "👍", "\U0001f600", "\ud800", "A.", "B)"]
PIECES = st.sampled_from(SPECIAL + SPACE + WORDS)
MARKDOWNISH = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join)
WORD = st.sampled_from(WORDS[:-2])
PROSE = st.lists(
    st.tuples(WORD, st.lists(st.sampled_from(WORDS[:-2] + ["\\*", "\\_", "\\[", "\\\\", "&", "<", ">", "!", "?",
                                                           ",", "(a)"]), max_size=12), WORD)
    .map(lambda line: " ".join([line[0], *line[1], line[2]])),
    max_size=8,
).map(lambda lines: "".join(f"{line}\n{'' if i % 3 else chr(10)}" for i, line in enumerate(lines)))


@MANY
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    check(text)


@MANY
@given(MARKDOWNISH)
@example("a\n===")
@example("a\n- b")
@example("a\n1. b")
@example("a  \nb")
@example("a\\\nb")
@example("&amp\\;")
@example("<\\* b>")
@example("a\xa0\nb")
def test_markdown_significant_text(text: str) -> None:
    check(text)


@given(PROSE)
def test_plain_prose_takes_the_fast_path(text: str) -> None:
    # Prose with escapes, a bare `&`, `<` before a space and `>` is plain: the fast path must not decline it.
    if text.strip():
        assert check(text), repr(text)


def test_declines_what_is_not_plain() -> None:
    for text in ("*a*", "a\n\n# b", "    code", "a  \nb", "[a](b)", "&amp;", "<b>", "a\n- b", "1. a", "a\\", "a\tb"):
        assert fastmd.render(text) is None, text
        check(text)


def content_files() -> list[Path]:
    return sorted([*(ROOT / "tests").rglob("*.md"), *(ROOT / "content").rglob("*.md")])


@pytest.mark.parametrize("path", content_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_and_bundled_articles(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    check(text)  # the whole file is Markdown too
    try:
        check(split(text, str(path)).body)
    except Exception:  # noqa: BLE001 - a bad-input fixture without front matter: the whole file was checked
        pass


def test_rich_corpus_sample() -> None:
    rng, tags = random.Random(7), corpus.tag_names()
    weights = [1 / (k + 1) for k in range(len(tags))]
    for i in range(150):
        _topic, _slug, text = corpus.article(rng, i, tags, weights, date(2023, 1, 1))
        check(split(text, "x.md").body)


def test_news_corpus_sample() -> None:
    # The news corpus's pages through the importer's own segmenting, cleaning and escaping (classifying
    # picks topics and tags, which do not touch the body); nearly all of them are plain.
    rng, tags, words = random.Random(7), corpus.tag_names(), news.vocabulary()
    weights = [1 / (k + 1) for k in range(len(tags))]
    dump = "".join(news.page(rng, words, i, tags, weights, date(2024, 1, 1 + i % 28)) for i in range(150))
    from zoneinfo import ZoneInfo

    bodies = [import_body(clean(raw, "dump").paragraphs) for raw in segment(dump, "dump", ZoneInfo("UTC"))]
    assert len(bodies) == 150
    taken = sum(check(b) for b in bodies)
    assert taken >= 130, taken
