"""One content file's text -> an `Article`, through one table of field normalisers.

Each known front-matter field has a normaliser that turns the YAML value into
the model's value or raises `Problem` saying what is wrong and what would be
right. Every field of a file is checked and all problems are returned together
as `ContentError`s (`path:line: field: message`). Unknown keys are kept in
`Article.extra` for templates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.errors import BuildError, ContentError
from generator.site import fastmd
from generator.site.config import SiteConfig
from generator.site.frontmatter import LineDict, split
from generator.site.model import Article, FactBox, Image
from generator.site.urls import article_path, check_image_src, check_slug, is_web_url, slugify

# Characters HTML and XML forbid or flag: C0/C1 controls (but tab and line
# breaks), DEL and the non-characters.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
SUMMARY_MAX = 200
TAGS_MAX = 100  # per article: each tag is a page and a feed that lists the article with all its tags


class Problem(Exception):
    """What is wrong with one field's value; `field`/`line` point into nested values."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.line = message, field, line


def _text(value: Any, *, one_line: bool = True, field: str | None = None, line: int | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", date: "a date",
                datetime: "a date"}.get(type(value), "a mapping" if isinstance(value, dict) else type(value).__name__)
        raise Problem(f"{value!r} is {kind}, not text (write text; quote it if YAML reads it as something else)",
                      field, line)
    text = value.strip()
    if not text:
        raise Problem("is empty (write some text or remove the key)", field, line)
    if one_line and "\n" in text:
        raise Problem("must be one line (remove the line breaks)", field, line)
    bad = _FORBIDDEN.search(text)
    if bad:
        raise Problem(f"contains the control character U+{ord(bad.group()):04X} (remove it)", field, line)
    return text


def _list(value: Any, item: str) -> list[Any]:
    if not isinstance(value, list):
        raise Problem(f"{value!r} is not a list (write one {item} per line, each starting with '- ')")
    return value


def _text_list(value: Any, config: SiteConfig) -> tuple[str, ...]:
    return tuple(_text(v) for v in _list(value, "item"))


def _one_line(value: Any, config: SiteConfig) -> str:
    return _text(value)


def _date(value: Any, config: SiteConfig) -> tuple[datetime, bool]:
    """(aware datetime in the site's zone, whether a time was given). A day alone is midnight there."""
    when = _when(value)
    if when is None:
        raise Problem(f"{value!r} is not a date (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS+03:00 with a time)")
    tz = config.tz
    try:
        if not isinstance(when, datetime):
            return datetime.combine(when, time(0), tzinfo=tz), False
        local = when.replace(tzinfo=tz) if when.tzinfo is None else when.astimezone(tz)
        local.timestamp()  # in range once converted to UTC too (feeds and sorting use it)
        return local, True
    except (OverflowError, ValueError):
        shown = value.isoformat() if isinstance(value, date) else value
        raise Problem(f"{shown!r} is out of range (use a date between the years 1 and 9999)") from None


def _when(value: Any) -> date | datetime | None:
    if isinstance(value, date):  # YAML reads unquoted dates and timestamps itself
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


def _url(value: Any, config: SiteConfig) -> str:
    url = _text(value)
    if not is_web_url(url):
        raise Problem(f"{url!r} is not a web address (write the original page's http:// or https:// URL, with "
                      "characters such as spaces and quotes percent-encoded)")
    return url


def _topic(value: Any, config: SiteConfig) -> str:
    slug = _text(value)
    if config.topic(slug) is None:
        valid = ", ".join(t.slug for t in config.topics)
        raise Problem(f"{slug!r} is not a topic of site.yaml (use one of: {valid})")
    return slug


def _slug(value: Any, config: SiteConfig) -> str:
    slug = _text(value)
    problem = check_slug(slug)
    if problem:
        raise Problem(problem)
    return slug


def _tags(value: Any, config: SiteConfig) -> tuple[str, ...]:
    slugs, problems = [], []
    for item in _list(value, "tag slug"):
        try:
            slugs.append(_slug(item, config))
        except Problem as problem:
            problems.append(problem.message)
    if problems:  # every bad tag of the list, in one line
        raise Problem("; ".join(problems))
    tags = tuple(dict.fromkeys(slugs))
    if len(tags) > TAGS_MAX:
        raise Problem(f"{len(tags):,} tags; an article may have at most {TAGS_MAX} (keep the ones readers look for)")
    return tags


def _bool(value: Any, config: SiteConfig) -> bool:
    if not isinstance(value, bool):
        raise Problem(f"{value!r} is not true or false")
    return value


def _records(value: Any, name: str, keys: dict[str, bool],
             numbers: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Each item of a list of mappings with the given (key -> required) fields: text, or whole numbers of 1 or
    more for the keys in `numbers`."""
    out = []
    for i, item in enumerate(_list(value, "entry")):
        where = f"{name}[{i}]"
        if not isinstance(item, dict):
            raise Problem(f"{item!r} is not a mapping (write {', '.join(f'{k}: ...' for k in keys)})", where)
        line_of = item.line_of if isinstance(item, LineDict) else (lambda _key: None)
        for key in item:
            if key not in keys:
                raise Problem(f"unknown key (known keys: {', '.join(keys)})", f"{where}.{key}", line_of(key))
        fields: dict[str, Any] = {}
        for key, required in keys.items():
            if item.get(key) is None:
                if required:
                    raise Problem(f"is required (write {key}: and its text)", f"{where}.{key}", line_of(key))
                continue
            if key in numbers:
                number = item[key]
                if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                    raise Problem(f"{number!r} is not a whole number of pixels", f"{where}.{key}", line_of(key))
                fields[key] = number
                continue
            fields[key] = _text(item[key], one_line=False, field=f"{where}.{key}", line=line_of(key))
        out.append(fields)
    return out


_IMAGE_KEYS = {"caption": True, "credit": False, "src": False, "alt": False, "width": False, "height": False}


def _images(value: Any, config: SiteConfig) -> tuple[Image, ...]:
    records = _records(value, "images", _IMAGE_KEYS, frozenset({"width", "height"}))
    for i, fields in enumerate(records):
        problem = check_image_src(fields["src"]) if "src" in fields else None
        if problem:
            line = value[i].line_of("src") if isinstance(value[i], LineDict) else None
            raise Problem(problem, f"images[{i}].src", line)
    return tuple(Image(**f) for f in records)


def _factboxes(value: Any, config: SiteConfig) -> tuple[FactBox, ...]:
    keys = {"label": True, "title": False, "text": True}
    return tuple(FactBox(**f) for f in _records(value, "factboxes", keys))


@dataclass(frozen=True, slots=True)
class Field:
    normalise: Callable[[Any, SiteConfig], Any]
    required: str = ""  # for a required field: an example of it, shown when it is missing


FIELDS: Mapping[str, Field] = {
    "id": Field(_one_line),
    "title": Field(_one_line, "e.g. title: Ceasefire talks resume in Beirut"),
    "date": Field(_date, "e.g. date: 2024-11-15"),
    "topic": Field(_topic, "e.g. topic: region"),
    "slug": Field(_slug),
    "tags": Field(_tags),
    "dateline": Field(_one_line),
    "source": Field(_one_line),
    "author": Field(_one_line),
    "url": Field(_url),
    "highlights": Field(_text_list),
    "images": Field(_images),
    "factboxes": Field(_factboxes),
    "read_more": Field(_text_list),
    "draft": Field(_bool),
}


def parse_article(text: str, path: str, stem: str, config: SiteConfig, md: MarkdownIt) -> Article:
    """The article in `text` (a whole content file named `stem`.md), or `BuildError` with every problem.

    `md` is `render.make_markdown()`; bodies of common shapes skip it (`fastmd`), with the same result.
    """
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ContentError(path, line, None, f"contains the control character U+{ord(bad.group()):04X} (remove it)")
    fm = split(text, path)
    errors: list[ContentError] = []
    values: dict[str, Any] = {}
    unknown = [k for k in fm.meta if k not in FIELDS]
    for name, spec in FIELDS.items():
        value = fm.meta.get(name)
        if value is None:
            if spec.required:
                typo = difflib.get_close_matches(name, unknown, n=1, cutoff=0.7)
                hint = f"found {typo[0]!r}: a typo?" if typo else spec.required
                errors.append(ContentError(path, fm.line_of(name), name, f"is required ({hint})"))
            continue
        try:
            values[name] = spec.normalise(value, config)
        except Problem as p:
            errors.append(ContentError(path, p.line or fm.line_of(name), p.field or name, p.message))
    if fm.meta.get("slug") is None:
        if check_slug(stem):
            better = slugify(stem) or "article"
            errors.append(ContentError(path, 1, "slug", f"the file name {stem!r} is not a slug (rename the file to "
                                       f"{better}.md or set slug: {better})"))
        values["slug"] = stem
    if errors:
        raise BuildError(errors)
    when, has_time = values.pop("date")
    highlights = values.get("highlights", ())
    fast = fastmd.render(fm.body)  # common shapes, rendered as markdown-it-py would
    if fast is None:
        tokens = md.parse(fm.body)
        lead = _lead_end(tokens)
        lead_html = md.renderer.render(tokens[:lead], md.options, {})
        body_html = lead_html + md.renderer.render(tokens[lead:], md.options, {})
        lead_end, first_paragraph = (len(lead_html) if lead else 0), _first_paragraph(tokens)
    else:
        body_html, first_paragraph, lead_end = fast
    return Article(
        key=article_path(when, values["slug"]),
        path=path,
        date=when,
        has_time=has_time,
        body_html=body_html,
        lead_end=lead_end,
        summary=_shorten(highlights[0] if highlights else first_paragraph),
        words=len(fm.body.split()),
        id=values.pop("id", ""),
        tags=values.pop("tags", ()),
        extra={k: _plain(v) for k, v in fm.meta.items() if k not in FIELDS},
        lines=dict(fm.lines),
        **values,
    )


def _lead_end(tokens: list[Token]) -> int:
    """The number of tokens up to the end of the body's first top-level paragraph (0 when it has none):
    a page may put a picture there, after the text has begun."""
    return next((i + 1 for i, t in enumerate(tokens) if t.type == "paragraph_close" and t.level == 0), 0)


def _first_paragraph(tokens: list[Token]) -> str:
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type == "paragraph_open" and inline.type == "inline":
            parts = [" " if t.type in ("softbreak", "hardbreak") else t.content for t in inline.children or ()]
            return "".join(parts)
    return ""


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_MAX:
        return text
    return text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _plain(value: Any) -> Any:
    """A YAML value as immutable plain data: mappings as dicts, lists as tuples."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value
