"""Property tests of scraper input: any JSON (or JSON Lines, or page) gives articles or clean errors, never a
traceback; every article written is one the build accepts, with the record's text."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import ContentError
from generator.importer.classify import Classifier
from generator.importer.emit import article_id, render
from generator.importer.records import DATE_KEYS, TEXT_KEYS, TITLE_KEYS, article
from generator.pages.render import make_markdown
from generator.site.config import load_config
from generator.site.frontmatter import split
from generator.site.parse import parse_article

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(ROOT)
CLASSIFIER = Classifier.of(CONFIG)
MD = make_markdown()
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=20))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
KEYS = [*TITLE_KEYS, *TEXT_KEYS, *DATE_KEYS, "url", "canonical_link", "source", "authors", "author",
        "sitename", "source-hostname", "meta_site_name", "description", "source_domain"]
PIECES = ["None", "", "2024-11-15", "2024-11-15 10:32:00", "2024-11-15 00:00:00", "2024-02-30", "2024-11-15T10:32:00Z",
          "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "https://www.arabnews.com/node/1", "javascript:x",
          "DUBAI, Dec 9 (Reuters) - Text of the story.", "Short Url · Updated 9 December 2024 · Follow",
          "- A list item", "A caption of a photo. (AFP)", "FASTFACT", "READ MORE: Another story", "# *x* _y_ [z] <b>",
          "Headline of the day", "line one\nline two", "\x00\x07\x0b", "\u2028", "Arab News"]
VALUES = st.one_of(st.sampled_from(PIECES), st.text(max_size=40), SCALARS,
                   st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=10), SCALARS), max_size=3))
RECORDS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8)
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), min_size=1, max_size=8).map("\n".join)


def _cli(data: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data))
    with tempfile.TemporaryDirectory() as content, mock.patch.object(sys, "stdin", stdin), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", "--site", str(ROOT), "--content-dir", content, "--dry-run", "-"])
    return code, out.getvalue(), err.getvalue()


def _check(code: int, out: str, err: str) -> None:
    """Articles, or one error line per problem that names the input (and a count of skipped records)."""
    assert code in (0, 1) and "Traceback" not in err
    if code == 0:  # warnings (the self-check) may come with articles
        assert "article" in out.splitlines()[-1]
        assert all(line.startswith("warning: <stdin>") for line in err.splitlines()), err
        return
    lines = err.splitlines()
    assert lines
    for line in lines:
        assert line.startswith(("error: <stdin>", "warning: <stdin>", "digest import: ")), line


@RELAXED
@given(JSON_VALUES)
def test_any_json_gives_articles_or_clean_errors(value: object) -> None:
    _check(*_cli(json.dumps(value).encode()))


@RELAXED
@given(st.lists(RECORDS, min_size=1, max_size=4), st.sampled_from(["object", "array", "lines"]))
def test_any_batch_of_record_shaped_json_gives_articles_or_clean_errors(records: list[dict], shape: str) -> None:
    if shape == "object":
        data = json.dumps(records[0], indent=2)
    elif shape == "array":
        data = json.dumps(records, indent=1)
    else:
        data = "\n".join(json.dumps(r) for r in records) + "\n{broken"
    _check(*_cli(data.encode()))


@RELAXED
@given(RECORDS, TEXTS, st.sampled_from(["2024-11-15", "2024-11-15 10:32:00", "2024-11-15T10:32:00+03:00"]))
def test_every_article_written_is_one_the_build_accepts(record: dict, text: str, stamp: str) -> None:
    record = {**record, "title": record.get("title") if isinstance(record.get("title"), str) else "A headline",
              "maintext": text, "date_publish": stamp}
    try:
        found = article(record, "r.json", 1, CONFIG.tz)
    except ContentError:
        return
    verdict = CLASSIFIER.classify(found)
    aid = article_id(found)
    written = render(found, aid, verdict.topic, verdict.tag_slugs)
    parsed = parse_article(written, "x.md", "x", CONFIG, MD)  # raises if the build would refuse the file
    assert parsed.title == found.title and parsed.url == (found.url or "") and parsed.author == (found.author or "")
    assert split(written, "x.md").meta["id"] == aid


_PAGE = ('<!DOCTYPE html><html><head><title>{title}</title><meta property="article:published_time" '
         'content="2024-11-15T10:32:00+02:00"></head><body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>'
         '{paragraphs}</article><footer>All rights reserved</footer></body></html>')


@settings(RELAXED, max_examples=40)
@given(st.text(max_size=30), st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=60)), max_size=6))
def test_any_page_gives_an_article_or_a_clean_error(title: str, paragraphs: list[str]) -> None:
    html = _PAGE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))
    _check(*_cli(html.encode("utf-8", "surrogatepass")))
