"""Property tests for the front-matter parser, the article parser and slug making: any input gives an article or
a clean error; slugs are always safe and unique; no front-matter string ever comes out as live HTML.

Examples per property follow the hypothesis profile of tests/conftest.py (100 by default, 1000 in CI), except
the one that renders whole sites, which runs a tenth of that (`SLOW`)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine.build import build_files
from generator.errors import BuildError, ContentError
from generator.importer import lines
from generator.importer.plan import _unique
from generator.pages.render import make_markdown
from generator.publish.output import safe_join
from generator.site import frontmatter
from generator.site.config import load_config
from generator.site.parse import FIELDS, parse_article
from generator.site.urls import check_slug, output_path, slugify
from tests.test_build_support import FIXTURE
from tests.test_reliability_hostile import audit

CONFIG = load_config(FIXTURE)
MD = make_markdown()
SLOW = settings(max_examples=max(10, settings.default.max_examples // 10),
                suppress_health_check=[HealthCheck.too_slow], deadline=None)

YAMLISH = st.text(alphabet=st.sampled_from(list("ab1:- []{}&*!|>'\"#%@`,?\n\t\\<>~.") + ["\u2028", "\x85", "é"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                    st.dates(), st.datetimes(timezones=st.just(UTC)))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
# Text a field accepts (no control characters, not blank), rich in what HTML and XML treat specially.
PRINTABLE = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")),
                                       st.sampled_from(list("<>&\"'/=:;!-[]()"))), min_size=1).filter(str.strip)
HOSTILE = st.one_of(PRINTABLE, st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "</title><script>x</script>",
    "]]><script>x</script>", "&lt;script&gt;", "\"'><svg onload=alert(1)>", "{{ 7*7 }}", "{% raw %}",
]))


@given(st.one_of(st.text(), YAMLISH.map(lambda y: f"---\n{y}\n---\nBody.\n")))
def test_front_matter_gives_a_mapping_or_a_clean_error(text: str) -> None:
    try:
        fm = frontmatter.split(text, "x.md")
    except ContentError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("x.md:")
    else:
        assert isinstance(fm.meta, dict) and all(isinstance(k, str) for k in fm.meta)


@given(st.dictionaries(st.sampled_from([*FIELDS, "extra", "x"]), VALUES, max_size=8), st.text(max_size=200))
def test_any_front_matter_gives_an_article_or_clean_errors(meta: dict[str, Any], body: str) -> None:
    try:
        text = frontmatter.dump(meta, body)
    except ValueError:
        return  # not representable as YAML text (e.g. a lone surrogate): no file can hold it
    try:
        article = parse_article(text, "x.md", "x", CONFIG, MD)
    except BuildError as exc:
        assert exc.errors and all(str(e).startswith("x.md:") and "\n" not in str(e) for e in exc.errors)
    except ContentError as exc:
        assert str(exc).startswith("x.md:") and "\n" not in str(exc)
    else:
        assert check_slug(article.slug) is None
        assert all(check_slug(tag) is None for tag in article.tags)
        safe_join(Path("/out"), output_path(article.key))  # raises if the page could leave the output


@given(st.text())
def test_slugs_are_safe(text: str) -> None:
    for made in (slugify(text), lines.slugify(text)):  # '' when the text has nothing to make a slug of
        assert made == "" or check_slug(made) is None


@given(st.lists(st.text(max_size=30), max_size=30))
def test_import_slugs_are_safe_and_unique(titles: list[str]) -> None:
    taken: set[str] = set()
    slugs = [_unique(lines.slugify(t) or f"article-{i}", taken) for i, t in enumerate(titles)]
    assert len(set(slugs)) == len(slugs)
    assert all(check_slug(s) is None for s in slugs)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("property") / "site"
    shutil.copytree(FIXTURE, site)
    return site


@SLOW
@given(st.fixed_dictionaries({
    "title": HOSTILE, "dateline": HOSTILE, "source": HOSTILE, "highlights": st.lists(HOSTILE, min_size=1, max_size=2),
    "images": st.lists(st.fixed_dictionaries({"caption": HOSTILE, "credit": HOSTILE}), max_size=1),
    "factboxes": st.lists(st.fixed_dictionaries({"label": HOSTILE, "title": HOSTILE, "text": HOSTILE}), max_size=1),
    "read_more": st.lists(HOSTILE, max_size=1), "anything": HOSTILE}), st.lists(HOSTILE, max_size=3).map("\n".join))
def test_no_front_matter_string_renders_as_live_html(site: Path, fields: dict[str, Any], body: str) -> None:
    meta = {"title": "T", "date": date(2024, 11, 5), "topic": "alpha", **fields}
    try:
        text = frontmatter.dump(meta, body)
    except ValueError:
        return
    (site / "content/alpha/prop.md").write_text(text, encoding="utf-8")
    try:
        files = build_files(load_config(site), now=datetime(2025, 1, 1, tzinfo=UTC)).files
    except BuildError as exc:  # a value that is not allowed (empty, a control character): refused, not rendered
        assert all(str(e).count("\n") == 0 for e in exc.errors)
        return
    page = files["2024/11/prop/index.html"].decode("utf-8")
    assert audit(page) == []
    feed = ET.fromstring(files["feed.xml"])
    for element in feed.iter():
        if element.text and element.tag.endswith(("encoded", "description")):
            assert audit(element.text) == []
