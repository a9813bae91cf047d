"""The fast path against markdown-it-py, byte for byte (differential).

`fastmd.render` may decline any body (None: markdown-it-py renders it), but
what it does return must be exactly markdown-it-py's HTML, first paragraph and
end of the first top-level paragraph. Checked under hypothesis (arbitrary text;
text built from what matters to Markdown: punctuation, escapes, entities, block
markers, emphasis runs, brackets, URLs, unicode punctuation, every kind of
whitespace and line break; and paragraphs and block quotes of emphasis, links
and images put together every which way), and on every content file of the
fixtures and the bundled site and on the benchmark corpora: in CI
(`HYPOTHESIS_PROFILE=ci`) every article of both 10,000-article corpora, as
`benchmarks/corpus.py` and `benchmarks/news.py` make them; elsewhere the first 300.
"""

from __future__ import annotations

import os
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.importer.clean import clean
from generator.importer.markdown import body as import_body
from generator.importer.segment import segment
from generator.pages.render import make_markdown
from generator.site import fastmd
from generator.site.frontmatter import dump, split
from generator.site.parse import _first_paragraph, _lead_end

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import news  # noqa: E402

MD = make_markdown()
MANY = settings(max_examples=settings().max_examples * 5)  # a differential test: 5x the profile's budget
CORPUS_ARTICLES = 10_000 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 300


def reference(text: str) -> tuple[str, str, int]:
    tokens = MD.parse(text)
    lead = _lead_end(tokens)
    lead_html = MD.renderer.render(tokens[:lead], MD.options, {})
    html = lead_html + MD.renderer.render(tokens[lead:], MD.options, {})
    return html, _first_paragraph(tokens), len(lead_html) if lead else 0


def check(text: str) -> bool:
    """The fast path agrees with markdown-it-py on `text`; True if it took it."""
    fast = fastmd.render(text)
    if fast is not None:
        assert fast == reference(text), repr(text)
    return fast is not None


SPECIAL = list("\\*_`[]()<>&|~!#+-=:.;\"'") + ["1.", "2)", "&amp;", "&#35;", "&#x41;", "&copy;", "&nope;",
                                                "<a>", "<http://x.y>", "<a@b.c>", "< ", "![", "](", "**", "__",
                                                "***", "> ", "\n> ", "\n>", "\\*", "\\[", "\\\\"]
URLS = ["https://example.org/a/1", "http://a.b", "/x", "/x/y?z=1#f", "https://a-b.c/?q=1&r=2", "javascript:x",
        "data:x", "HTTPS://A.B", "//a.b/c", "https://a.b:8/", "https://a@b.c", "#f", "?q", "https://xn--d1a.b",
        "https://%41.b", "https://é.b", "/a b", "/a(b)", "</a>", "https://" + "a" * 64 + "/"]
UNICODE_PUNCT = ["“", "”", "‘", "’", "—", "–", "¡", "¿", "«", "»", "€", "©", "·", "†", "。", "٪", "\u00ad"]
SPACE = [" ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\xa0", "\u2028", "\u2029", "\x85",
         "\u3000", "\x1c", "\u200b", "\ufeff", "\u2007", "\u1680"]
WORDS = ["the", "Mosul", "said", "2024", "12th-century", "“quoted”", "‘single’", "Iran’s", "—", "–", "é", "اليوم",
         "👍", "\U0001f600", "\ud800", "A.", "B)", "x²", "Ⅳ"]
PIECES = st.sampled_from(SPECIAL + URLS + UNICODE_PUNCT + SPACE + WORDS)
MARKDOWNISH = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join)
WORD = st.sampled_from(WORDS[:-4])
PROSE = st.lists(
    st.tuples(WORD, st.lists(st.sampled_from(WORDS[:-4] + ["\\*", "\\_", "\\[", "\\\\", "&", "<", ">", "!", "?",
                                                           ",", "(a)"]), max_size=12), WORD)
    .map(lambda line: " ".join([line[0], *line[1], line[2]])),
    max_size=8,
).map(lambda lines: "".join(f"{line}\n{'' if i % 3 else chr(10)}" for i, line in enumerate(lines)))

# Paragraphs and block quotes of the shapes the fast path takes, put together with any joint; now and then
# something it must not take (a stray marker, a run of three, a bad URL, `\\[`, `*[`, a word joined to a run),
# so that a good part are taken.
GOOD_URL = st.builds("{}{}".format, st.sampled_from(["https://example.org", "http://a.b", "https://x-1.y.z", ""]),
                     st.sampled_from(["/a/1", "/", "/a_b~c/d.e", "/x:y@z+w,v;u", "/p?q=1#f", "/A-Z/09"]))


def mostly(usual: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`usual`, and one time in ten `odd`."""
    return st.tuples(st.sampled_from(range(10)), usual, odd).map(lambda t: t[2] if t[0] == 9 else t[1])


SOME_TEXT = mostly(st.lists(WORD, min_size=1, max_size=3).map(" ".join),
                   st.lists(st.one_of(WORD, st.sampled_from(UNICODE_PUNCT + SPECIAL + [" ", "*a*"])), min_size=1,
                            max_size=3).map(" ".join))
ATOM = st.one_of(
    WORD,
    st.builds("{0}{1}{0}".format, mostly(st.sampled_from(["*", "**"]), st.sampled_from(["_", "__", "***"])), SOME_TEXT),
    st.builds("{}[{}]({})".format, mostly(st.sampled_from(["", "!"]), st.sampled_from(["\\", "*", "_"])), SOME_TEXT,
              mostly(GOOD_URL, st.sampled_from(URLS))),
    st.sampled_from(["\\*", "\\_", "\\[", "\\\\", "&", "< ", ">", "!", "?", ",", "(a)", '"'] + UNICODE_PUNCT),
)
JOINT = mostly(st.just(" "), st.sampled_from([", ", ". ", " (", ") ", "“", "” ", "—", "\xa0", "-", "'s ", "", "\n"]))
LINE = st.builds(lambda first, rest: first + "".join(j + a for j, a in rest), ATOM,
                 st.lists(st.tuples(JOINT, ATOM), max_size=9))
BLOCK = st.tuples(st.booleans(), st.lists(LINE, min_size=1, max_size=3)).map(
    lambda b: "\n".join(("> " if b[0] else "") + line for line in b[1]))
RICH = st.lists(BLOCK, max_size=4).map("\n\n".join)


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
@example("*a**b*")
@example("**a*")
@example("a*b*")
@example("*a*b")
@example("_a_b")
@example("*a*_b_")
@example("“*a*”")
@example("*a*\n> b")
@example("> a\nb")
@example("> *a*\n\n*b*")
@example("[a](javascript:x)")
@example("![a](/x) [b](https://a.b/c)")
@example("[a\\*](/x)")
@example("* a*")
@example("*a\nb*")
def test_markdown_significant_text(text: str) -> None:
    check(text)


@MANY
@given(RICH)
def test_emphasis_links_and_quotes_every_which_way(text: str) -> None:
    check(text)


@given(PROSE)
def test_plain_prose_takes_the_fast_path(text: str) -> None:
    # Prose with escapes, a bare `&`, `<` before a space and `>` is plain: the fast path must not decline it.
    if text.strip():
        assert check(text), repr(text)


@given(st.lists(st.sampled_from(["the", "said", "Iran’s", "*a*", "**b c**", "_d_", "__e__", "[f g](/h)",
                                 "![i](https://j.k/l)", "(*m*)", "“**n**”", "*o*,", "\\*", "&", "< ", ">"]),
                min_size=1, max_size=20),
       st.sampled_from(["", "> "]))
def test_common_shapes_take_the_fast_path(words: list[str], quote: str) -> None:
    assert check(quote + "the " + " ".join(words) + " said."), words


@MANY
@given(st.from_regex(fastmd.URL, fullmatch=True))
def test_urls_taken_are_what_markdown_it_links(url: str) -> None:
    # normalizeLink leaves them as they are and validateLink accepts them (for a link and an image alike).
    assert MD.normalizeLink(url) == url
    assert MD.validateLink(url)
    assert not re.search(r"[&<>\"]", url)


def test_declines_what_it_cannot_prove() -> None:
    for text in ("*a", "a\n\n# b", "    code", "a  \nb", "[a]", "[a](b c)", "&amp;", "<b>", "a\n- b", "1. a",
                 "a\\", "a\tb", "*a**b*", "a*b*", "> a\nb", "a\n> b", "`a`", "~~a~~", "| a |", "[a]: /b"):
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


def test_rich_corpus() -> None:
    # The benchmark's rich corpus (`corpus.write_corpus` with seed 1): every body is of the shapes taken.
    rng, tags = random.Random(1), corpus.tag_names()
    weights = [1 / (k + 1) for k in range(len(tags))]
    for i in range(CORPUS_ARTICLES):
        _topic, _slug, text = corpus.article(rng, i, tags, weights, date(2023, 1, 1))
        assert check(split(text, "x.md").body), i


def test_news_corpus() -> None:
    # The benchmark's news corpus (`news.write_news` with seed 1) through the importer's own segmenting,
    # cleaning and escaping (classifying picks topics and tags, which do not touch the body); nearly all
    # are taken (not a list, nor a paragraph opening with `1.`).
    rng, tags, words = random.Random(1), corpus.tag_names(), news.vocabulary()
    weights = [1 / (k + 1) for k in range(len(tags))]
    bodies: list[str] = []
    for first in range(0, CORPUS_ARTICLES, news.DUMP_SIZE):
        pages = [news.page(rng, words, i, tags, weights, date(2023, 1, 1) + timedelta(days=rng.randrange(730)))
                 for i in range(first, min(first + news.DUMP_SIZE, CORPUS_ARTICLES))]
        for raw in segment("".join(pages), "dump", ZoneInfo("UTC")):
            bodies.append(split(dump({"title": "x"}, import_body(clean(raw, "dump").paragraphs)), "x.md").body)
    assert len(bodies) == CORPUS_ARTICLES
    taken = sum(check(b) for b in bodies)
    assert taken >= 0.95 * len(bodies), taken
