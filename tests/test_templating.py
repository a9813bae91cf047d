"""digest's Jinja environment renders what plain Jinja renders (differential).

`templating.DictFirst` looks dict keys up before attributes and lets the macros
of imported templates remember their output; every page of the fixture site
and of the bundled site must come out byte for byte as from a plain
`jinja2.Environment` with the same loader and options, and the corner cases
(dict methods, missing keys, `{% call %}`, imports with context, equal but
distinct arguments) behave as Jinja's own.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.engine.load import parse_all, select
from generator.engine.sources import content_files
from generator.pages.context import make_views
from generator.pages.plan import Planner, plan_parts
from generator.pages.render import make_env
from generator.pages.templating import DictFirst
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
