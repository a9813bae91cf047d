"""Property tests: any input gives articles or one clean error; what is written reads back exactly."""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import DigestError
from generator.importer.classify import Classifier
from generator.importer.clean import clean
from generator.importer.emit import article_id, front_matter, render
from generator.importer.markdown import escape
from generator.importer.segment import decode, segment
from generator.site.config import load_config
from generator.site.frontmatter import plain, split

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(ROOT)
CLASSIFIER = Classifier.of(CONFIG)
try:  # the variants test module's renderer, when collected from the tests folder
    from test_import_variants import rendered
except ImportError:  # collected as a package (tests/__init__.py)
    from tests.test_import_variants import rendered

# Lines a dump is made of: the header's parts, every kind of chrome, and arbitrary text.
PIECES = [
    "Headline of the day", "Short Url", "Updated 15 November 2024", "Updated 2 March 2024 10:32", "Follow",
    "Updated 30 February 2024", "  • A highlight", "BEIRUT: Text of the article.", "BAGHDAD, May 7 (Reuters) - Text",
    "A caption of a photo. (AFP)", "Update A gallery slide. (Reuters)", "1 / 2", "FASTFACT", "Box title",
    "READ MORE: Another story", "--------", "Opinion",
    "This section contains relevant reference points, placed in (Opinion field)",
    "A sentence broken by the scraper in the middle of the", "rest of it.", "", "", "\u00a0 ", "# *x* _y_ [z] <b>",
]
LINES = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=40)
HEADLINE = st.one_of(st.sampled_from(["Headline of the day", "Israeli strike on Baalbek", "‘Quoted’ — *x*"]),
                     st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""))


@st.composite
def _article(draw: st.DrawFn) -> list[str]:
    headline = draw(HEADLINE)
    header = [headline, *draw(st.lists(st.sampled_from(PIECES[9:12]), max_size=3)),
              *draw(st.sampled_from([["Short Url"], []])), draw(st.sampled_from(PIECES[2:4])),
              *draw(st.sampled_from([["Follow"], []])), ""]
    body = [draw(st.sampled_from(["Text of the article.", "JERUSALEM, Nov 14 : Text", ""])), *draw(LINES)]
    return [*header, *draw(st.sampled_from([[headline], []])), *body]


DUMPS = st.lists(_article(), min_size=1, max_size=3).map(lambda blocks: [line for b in blocks for line in b])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)
# The profile (tests/conftest.py) sets the number of examples: 100 here, 1000 in CI.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _cli(data: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data))
    with tempfile.TemporaryDirectory() as content, mock.patch.object(sys, "stdin", stdin), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", "--site", str(ROOT), "--content-dir", content, "--dry-run", "--explain", "-"])
    return code, out.getvalue(), err.getvalue()


def _check(code: int, out: str, err: str) -> None:
    if code == 0:  # imported, perhaps with warnings
        assert "article" in out.splitlines()[-1]
        assert all(line.startswith("warning: <stdin>:") for line in err.splitlines())
    elif out == "":  # the input refused as a whole
        assert code == 1 and err
        assert all(line.startswith("error: <stdin>") for line in err.splitlines())
    else:  # some articles left out, each reported with its line
        assert code == 1 and " not imported" in out.splitlines()[-1]
        *problems, last = err.splitlines()
        assert last.startswith("digest import: ") and " not imported" in last
        assert problems and all(line.startswith(("error: <stdin>:", "warning: <stdin>:")) for line in problems)


@RELAXED
@given(st.binary(max_size=300))
def test_any_bytes_give_articles_or_one_clean_error(data: bytes) -> None:
    _check(*_cli(data))


@RELAXED
@given(st.one_of(LINES, DUMPS), st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_dump_shaped_text_gives_articles_or_one_clean_error(lines: list[str], newline: str) -> None:
    _check(*_cli(newline.join(lines).encode("utf-8", "surrogatepass")))


@RELAXED
@given(DUMPS)
def test_written_files_read_back_to_what_was_imported(lines: list[str]) -> None:
    try:
        raws = segment(decode("\n".join(lines).encode("utf-8", "surrogatepass")), "dump", CONFIG.tz)
        articles = [clean(raw, "dump") for raw in raws]
    except (DigestError, ValueError):  # ValueError: not a text dump (NUL, not UTF-8, empty)
        return
    for article in articles:
        verdict = CLASSIFIER.classify(article)
        aid = article_id(article)
        parsed = split(render(article, aid, verdict.topic, verdict.tag_slugs), "x.md")
        expected = plain(front_matter(article, aid, verdict.topic, verdict.tag_slugs))
        assert dict(parsed.meta) == {k: v for k, v in expected.items()}
        texts = [p.text for p in article.paragraphs]
        assert rendered(parsed.body) == texts


@RELAXED
@given(TEXT.filter(lambda s: s.strip() != ""))
def test_escaped_text_renders_as_the_text(text: str) -> None:
    assert rendered(escape(text)) == [text.strip()]
