"""Jinja environment, Markdown, and rendering one page job to bytes. No file I/O here.

Templates come first from the site's own `templates/` folder, then from the
default theme shipped with digest, so a site overrides any template by writing
a file of the same name; `theme/<name>` always names the default one (for a
site template that extends it). Autoescape is on and undefined names are
errors. Markdown is rendered with raw HTML off; only its output is `Markup`.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from generator.errors import DigestError, shown
from generator.pages.templating import DictFirst
from generator.pages.theme import theme_dir
from generator.site.config import SiteConfig


@dataclass(frozen=True, slots=True)
class PageJob:
    """One output file: its output-relative posix path, template name and context.

    The context is plain comparable data (str, int, bool, None, tuples, dicts,
    `Markup`), so the same template with an equal context renders the same bytes.
    """

    path: str
    template: str
    context: Mapping[str, Any]


class _Templates(jinja2.FileSystemLoader):
    """Templates from one folder; one that is not UTF-8 or cannot be read is a `DigestError` naming it."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise  # the next folder is tried
        except UnicodeDecodeError:
            raise DigestError(f"{Path(self.searchpath[0]) / template}: is not UTF-8 text (save it as UTF-8)") from None
        except OSError as exc:
            raise DigestError(f"{Path(self.searchpath[0]) / template}: cannot be read ({exc.strerror})") from None


def make_env(config: SiteConfig, *, bytecode: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The environment pages are rendered with; `bytecode` keeps compiled templates between builds."""
    theme = _Templates(theme_dir("templates"))
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir.is_dir():
        loaders.append(_Templates(config.templates_dir))
    loaders += [theme, jinja2.PrefixLoader({"theme": theme})]
    return DictFirst(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates are read once per environment (no stat of three files for every page): the engine
        # makes a new environment when a template changes.
        auto_reload=False,
        bytecode_cache=bytecode,
    )


def render_job(env: jinja2.Environment, job: PageJob) -> bytes:
    """The bytes of one page, or a `DigestError` naming the template file and line."""
    try:
        return env.get_template(job.template).render(job.context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        where = f"{shown(exc.filename) if exc.filename else exc.name}:{exc.lineno}"
        raise DigestError(f"{where}: template error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        # Named by a template's `extends`, `include` or `import` (that line is shown), else the page's own.
        where = _template_frame(exc) or job.path
        raise DigestError(f"{where}: template {exc.name!r} not found (in templates/ or the default theme)") from None
    except Exception as exc:
        # A mistake in a template (an undefined name, a filter given the wrong
        # type) is the user's to fix: name the template line. Errors raised
        # outside any template frame are digest's own bugs and propagate.
        frame = _template_frame(exc)
        if frame is None:
            raise
        raise DigestError(f"{frame}: template error: {type(exc).__name__}: {exc} (rendering {job.path})") from None


def _template_frame(exc: BaseException) -> str | None:
    """`file:line` of the innermost template frame of a rendering error (Jinja maps them to template lines)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    return f"{shown(frames[-1].filename)}:{frames[-1].lineno}" if frames else None


def _shift_headings(state: StateCore) -> None:
    """Headings in an article body start at `<h2>`: the page's one `<h1>` is the title."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    shift = 2 - min((int(t.tag[1]) for t in headings), default=2)
    if shift > 0:
        for token in headings:
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"


def make_markdown() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML is shown as text, never passed through."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("shift_headings", _shift_headings)
    return md
