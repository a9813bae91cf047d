"""Metamorphic tests of `digest import`: the same article in any page shape comes out the same.

Each expected article (the seed's six in content/, the new texts in tests/fixtures/articles/, and
articles recombined from their parts) is wrapped by `tests/dumpgen.py` in page shapes: every header
shape, gallery place and style, dateline form, captions, boxes, READ MORE blocks and placeholders
anywhere, broken sentences, single line breaks, trailing spaces and NBSP, CRLF, several articles per
dump. Each must import exactly as written, with the topic and tags it gets in its plainest shape,
and without a warning. The hypothesis budget is the profile's (tests/conftest.py): 100 examples on
a developer's machine, 1000 in CI.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.importer.classify import Classifier
from generator.site.config import load_config
from generator.site.frontmatter import split

try:
    import dumpgen as gen
except ImportError:  # collected as a package (tests/__init__.py)
    from tests import dumpgen as gen

CONFIG = load_config(gen.ROOT)
CLASSIFIER = Classifier.of(CONFIG)
POOL = gen.pool()
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _import(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    return gen.imported(text, CONFIG, CLASSIFIER)


def _expected(article: gen.Expected) -> dict[str, Any]:
    """The article's fields, with the topic and tags of its plainest shape imported alone."""
    (plainest,), problems = _import(gen.page(article, gen.PLAIN, random.Random(0)))
    assert problems == []
    return {**article.fields(), "topic": plainest["topic"], "tags": plainest["tags"]}


EXPECTED = {article.name: _expected(article) for article in POOL}


def test_the_pool_holds_the_seed_and_new_texts() -> None:
    names = {article.name for article in POOL}
    assert len(POOL) == 16 and "jericho-mosaic" in names
    assert sum(a.source is not None for a in POOL) >= 4 and sum(not a.dateline for a in POOL) >= 2


@pytest.mark.parametrize("article", POOL, ids=[a.name for a in POOL])
def test_plainest_shape_imports_as_written_with_the_expected_topic(article: gen.Expected) -> None:
    (got,), problems = _import(gen.page(article, gen.PLAIN, random.Random(0)))
    assert problems == []
    assert {key: got[key] for key in article.fields()} == article.fields()
    assert got["topic"] == article.topic


@pytest.mark.parametrize("header", gen.HEADERS)
def test_every_header_shape_with_every_gallery_place_and_dateline_form(header: str) -> None:
    n = 0
    for k, article in enumerate(POOL):
        for place in gen.GALLERY_PLACES[header]:
            for form in (0, 1):
                n += 1
                shape = gen.Shape(header=header, gallery=min(len(article.images), 1 + form),
                                  gallery_place=place, gallery_style=gen.GALLERY_STYLES[(k + n) % 3],
                                  dateline_form=form, follow=header != "above" or form == 0,
                                  short_url=form == 0, scatter=True)
                rng = random.Random(n)
                # The previous article ends right above this one's header: its end must stay its own.
                before = gen.page(POOL[(k + 1) % len(POOL)], gen.draw_shape(rng, POOL[(k + 1) % len(POOL)]), rng)
                got, problems = _import(before + "\n\n" + gen.page(article, shape, rng))
                assert problems == [], (article.name, shape)
                assert [g["title"] for g in got] == [POOL[(k + 1) % len(POOL)].title, article.title]
                assert got[1] == EXPECTED[article.name], (article.name, shape)
                assert got[0] == EXPECTED[POOL[(k + 1) % len(POOL)].name], (article.name, shape)
    assert n == len(POOL) * len(gen.GALLERY_PLACES[header]) * 2


@RELAXED
@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=5), st.booleans())
def test_any_articles_in_any_shapes_and_order_come_out_as_written(
        rng: random.Random, n: int, recombined: bool) -> None:
    if recombined:  # new articles from the pool's parts
        articles = [gen.offset_safe(a, CONFIG) for a in gen.synthetic(rng, POOL, n)]
        expected = [_expected(a) for a in articles]
    else:
        articles = rng.sample(POOL, n)
        expected = [EXPECTED[a.name] for a in articles]
    shapes = [gen.draw_shape(rng, a) for a in articles]
    text = gen.dump([gen.page(a, s, rng) for a, s in zip(articles, shapes, strict=True)], rng)
    got, problems = _import(text)
    assert problems == []
    assert [g["title"] for g in got] == [a.title for a in articles]
    for article, shape, want, have in zip(articles, shapes, expected, got, strict=True):
        assert have == want, (article.name, shape)


@pytest.mark.parametrize("seed", range(3))
def test_the_command_writes_what_the_pipeline_makes(site_dir: Path, tmp_path: Path, capsys, seed: int) -> None:
    """Differential: `digest import` on a generated dump writes the articles the tests' pipeline returns."""
    rng = random.Random(seed)
    articles = rng.sample(POOL, 5)
    dump = tmp_path / "dump.txt"
    dump.write_bytes(gen.dump([gen.page(a, gen.draw_shape(rng, a), rng) for a in articles], rng).encode("utf-8"))
    assert main(["import", "--site", str(site_dir), "--strict", str(dump)]) == 0
    assert capsys.readouterr().out.endswith("5 articles from 1 dump: 5 created\n")
    written = {}
    for path in (site_dir / "content").rglob("*.md"):
        parsed = split(path.read_text(encoding="utf-8"), path)
        written[parsed.meta["title"]] = gen.fields_of(parsed.meta, parsed.body)
        assert path.parent.name == parsed.meta["topic"]
    assert written == {a.title: EXPECTED[a.name] for a in articles}
