"""digest's Jinja environment renders what plain Jinja renders (differential).

`templating.DictFirst` looks dict keys up before attributes and lets the macros
of imported templates remember their output; every page of the fixture site
and of the bundled site must come out byte for byte as from a plain
`jinja2.Environment` with the same loader and options, and the corner cases
(dict methods, missing keys, `{% call %}`, imports with context, equal but
distinct arguments) behave as Jinja's own. Its escape gives MarkupSafe's
result for any value (hypothesis).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.engine.load import parse_all, select
from generator.engine.sources import content_files
from generator.pages import templating
from generator.pages.context import make_views
from generator.pages.plan import Planner, plan_parts
from generator.pages.render import make_env
from generator.pages.templating import DictFirst, fast_escape
from generator.site import urls as u
from generator.site.config import load_config
from tests.test_build_support import FIXTURE

ROOT = Path(__file__).resolve().parent.parent


def plain(env: jinja2.Environment) -> jinja2.Environment:
    return jinja2.Environment(loader=env.loader, autoescape=env.autoescape, undefined=env.undefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@pytest.mark.parametrize("site", [FIXTURE, ROOT], ids=["fixture", "bundled"])
def test_every_page_as_plain_jinja_renders_it(site: Path) -> None:
    config = load_config(site)
    articles, errors = parse_all(config, content_files(config))
    views = make_views(config, select(config, articles, errors).site, u.Urls.for_base(config.base_url))
    ours = make_env(config)
    reference = plain(ours)
    planner, pages = Planner(views), 0
    for part in plan_parts(views) * 2:  # twice: the second time the cards come from memory
        for job in planner.jobs(part):
            assert ours.get_template(job.template).render(job.context) == \
                reference.get_template(job.template).render(job.context), job.path
            pages += 1
    assert pages > 20


@pytest.mark.parametrize("limit, probe", [(8, 4), (3, 1)])
def test_memo_under_pressure_renders_as_plain_jinja(limit: int, probe: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a memo far too small for the site (entries let go, kinds no longer remembered), every page is
    still what plain Jinja renders, in the order the site renders them and reversed."""
    monkeypatch.setattr(templating, "MEMO_LIMIT", limit)
    monkeypatch.setattr(templating, "MEMO_PROBE", probe)
    config = load_config(FIXTURE)
    articles, errors = parse_all(config, content_files(config))
    views = make_views(config, select(config, articles, errors).site, u.Urls.for_base(config.base_url))
    ours = make_env(config)
    reference = plain(ours)
    planner = Planner(views)
    jobs = [job for part in plan_parts(views) for job in planner.jobs(part)]
    for job in jobs + jobs[::-1]:
        assert ours.get_template(job.template).render(job.context) == \
            reference.get_template(job.template).render(job.context), job.path
    remembered = ours.get_template("macros.html").module.card  # type: ignore[attr-defined]
    assert len(remembered.results) <= limit
    assert remembered.kinds  # each kind of call counted


def test_a_kind_that_never_repeats_is_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "MEMO_PROBE", 5)
    loop = '{% from "macros.html" import show %}{% for d in items %}{{ CALL }}{% endfor %}'
    pages = {**PAGES, "once.html": loop.replace("CALL", "show(d, 2)"), "again.html": loop.replace("CALL", "show(d)")}
    env = DictFirst(loader=jinja2.DictLoader(pages), autoescape=True)
    items = [{"name": str(i)} for i in range(20)]
    env.get_template("once.html").render(items=items)  # `show(d, 2)`: each argument once
    show = env.get_template("macros.html").module.show  # type: ignore[attr-defined]
    assert len(show.results) == 5  # the probe's calls, then no more
    for _ in range(3):  # `show(d)`: each argument again and again, so remembered
        assert env.get_template("again.html").render(items=items) == "".join(f"[{i}1True]" for i in range(20))
    assert len(show.results) == 5 + 20


MACROS = """{% macro show(a, n=1) %}[{{ a.name }}{{ n }}{{ a.items is defined }}]{% endmacro %}
{% macro wrap() %}<{{ caller() }}>{% endmacro %}"""
PAGES = {
    "macros.html": MACROS,
    "uses.html": '{% from "macros.html" import show, wrap %}{{ show(a) }}{{ show(a, 2) }}{{ show(b) }}'
                 '{% call wrap() %}{{ a.name }}{% endcall %}{% call wrap() %}{{ b.name }}{% endcall %}',
    "methods.html": "{{ d.items()|list }} {{ d.get('name') }} {{ d['items'] }} {{ d.name }}",
    "missing.html": "{{ d.nothing }}",
    "context.html": '{% from "ctx.html" import who with context %}{{ who() }}',
    "ctx.html": "{% macro who() %}{{ d.name }}{% endmacro %}",
}


@pytest.mark.parametrize("name", ["uses.html", "methods.html", "context.html"])
def test_corner_cases_as_jinja(name: str) -> None:
    options = {"loader": jinja2.DictLoader(PAGES), "autoescape": True, "undefined": jinja2.StrictUndefined}
    ours, reference = DictFirst(**options), jinja2.Environment(**options)
    for d in ({"name": "x", "items": "kept"}, {"name": "<y>", "items": 1}):
        context = {"a": d, "b": dict(d), "d": d}  # `b` equals `a` but is another object
        assert ours.get_template(name).render(context) == reference.get_template(name).render(context)


def test_missing_key_is_an_error_as_in_jinja() -> None:
    ours = DictFirst(loader=jinja2.DictLoader(PAGES), undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nothing'"):
        ours.get_template("missing.html").render(d={"name": "x"})


class _Html:
    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return self.text


class _Text(str):
    pass


VALUES = st.one_of(
    st.text(), st.text().map(Markup), st.text().map(_Text), st.text().map(_Html), st.integers(), st.floats(),
    st.none(), st.booleans(), st.lists(st.text(), max_size=3), st.text().map(lambda s: Markup.escape(s)),
)


@given(VALUES)
@settings(max_examples=settings().max_examples * 5)  # a differential test: 5x the profile's budget
def test_fast_escape_is_markupsafe_escape(value: object) -> None:
    fast, reference = fast_escape(value), markupsafe.escape(value)
    assert type(fast) is type(reference) is Markup
    assert str(fast) == str(reference)


def test_templates_escape_with_the_fast_escape() -> None:
    """The fast path is really in use (else the differential tests above prove nothing about it)."""
    env = DictFirst(loader=jinja2.DictLoader({"p.html": "{{ x }}"}), autoescape=True)
    template = env.get_template("p.html")
    assert template.root_render_func.__globals__["escape"] is fast_escape
    assert template.render(x='<a href="?">&') == "&lt;a href=&#34;?&#34;&gt;&amp;"
