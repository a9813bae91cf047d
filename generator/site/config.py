"""`site.yaml` -> a frozen `SiteConfig`.

Every key is checked: an unknown key or a bad value is a `ConfigError` naming
the file, line and key; all problems are reported together in one `BuildError`.
"""

from __future__ import annotations

import dataclasses

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.errors import BuildError, ConfigError, DigestError
from generator.site.frontmatter import LineDict, load_yaml_file
from generator.site.language import check_string, check_tag, parse_locale

CONFIG_NAME = "site.yaml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class TopicConfig:
    slug: str
    title: str
    description: str
    # (term, weight) pairs: people, organisations, places and keywords whose
    # presence in an article points to this topic.
    terms: tuple[tuple[str, float], ...] = ()
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class TagConfig:
    slug: str
    name: str
    # Other spellings that mean the same entity (Daesh, ISIS -> islamic-state).
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path
    path: Path
    title: str
    description: str
    base_url: str
    language: str
    timezone: str
    topics: tuple[TopicConfig, ...]
    tags: tuple[TagConfig, ...] = ()
    author: str = ""
    output_dir: str = "public"
    page_size: int = 10
    feed_limit: int = 20
    topic_min_score: float = 3.0
    extra: Mapping[str, Any] = field(default_factory=dict)
    strings: Mapping[str, Any] = field(default_factory=dict)  # `strings:`: theme string key -> text (or plurals)
    editions_period: str = "week"  # `editions: period:`: week, month or day
    search: bool = True  # a /search/ page, a search box on every page, and a Pagefind index of the articles
    # The text of `site.yaml` this config was read from: what caches key on (the file may have changed since).
    source: str = field(default="", repr=False, compare=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def fallback_topic(self) -> TopicConfig:
        return next(t for t in self.topics if t.fallback)

    def topic(self, slug: str) -> TopicConfig | None:
        return next((t for t in self.topics if t.slug == slug), None)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()


class _Checker:
    """Collects `ConfigError`s while reading values out of one YAML mapping."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[ConfigError] = []

    def error(self, where: LineDict | None, key: str, message: str) -> None:
        line = where.line_of(key.rsplit(".", 1)[-1].split("[")[0]) if where is not None else None
        self.errors.append(ConfigError(self.path, line, key, message))

    def unknown_keys(self, data: LineDict, allowed: set[str], prefix: str = "") -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.error(data, f"{prefix}{key}", f"unknown key (known keys: {known})")

    def get(
        self,
        data: LineDict,
        key: str,
        kind: type | tuple[type, ...],
        default: Any = ...,
        *,
        prefix: str = "",
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        name = f"{prefix}{key}"
        if key not in data or data[key] is None:
            if default is ...:
                self.error(data, name, "is required")
                return None
            return default
        value = data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            kind_name = _TYPE_NAMES.get(expected, expected)
            self.error(data, name, f"{value!r} is not {kind_name if kind_name == 'text' else 'a ' + kind_name}")
            return None if default is ... else default
        problem = check(value) if check else None
        if problem:
            self.error(data, name, problem)
            return None if default is ... else default
        return value


_TYPE_NAMES = {"str": "text", "int": "whole number", "float": "number", "list": "list",
               "LineDict": "mapping", "dict": "mapping", "bool": "true/false"}


def _slug(value: str) -> str | None:
    if SLUG_RE.match(value):
        return None
    return f"{value!r} is not a slug (use lowercase letters, digits and hyphens, e.g. 'iraq-militias')"


def _base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and not parts.query and not parts.fragment:
        return None
    return f"{value!r} is not an absolute http(s) URL (e.g. 'https://example.org/')"


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{value!r} is not an IANA time zone (e.g. 'Asia/Beirut' or 'UTC')"
    return None


def _positive(value: int) -> str | None:
    return None if value >= 1 else f"{value!r} must be 1 or more"


def _output_dir(value: str) -> str | None:
    if not value.strip() or value.strip() in (".", "./"):
        return "must name a folder inside or beside the site, not the site itself"
    return None


_TOP_KEYS = {"title", "description", "base_url", "language", "timezone", "author", "output_dir",
             "page_size", "feed_limit", "topic_min_score", "topics", "tags", "extra", "strings",
             "editions", "search"}
_EDITIONS_KEYS = {"period"}
PERIODS = ("week", "month", "day")
_TOPIC_KEYS = {"slug", "title", "description", "terms", "fallback"}
_TAG_KEYS = {"slug", "name", "aliases"}


def load_config(site_dir: Path | str) -> SiteConfig:
    """Read `<site_dir>/site.yaml` or raise `ConfigError`/`BuildError` naming every problem."""
    root = Path(site_dir).resolve()
    path = root / CONFIG_NAME
    shown = Path(site_dir) / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DigestError(f"{shown}: not found (run digest in a site folder or pass --site DIR)") from None
    except UnicodeDecodeError:
        raise DigestError(f"{shown}: is not UTF-8 text") from None
    except OSError as exc:
        raise DigestError(f"{shown}: cannot be read ({exc.strerror})") from None
    data, _lines = load_yaml_file(text, shown)
    if not isinstance(data, LineDict):
        data = LineDict(data)
        data.key_lines = {}
    return dataclasses.replace(_parse(root, shown, data), source=text)


def _parse(root: Path, path: Path, data: LineDict) -> SiteConfig:
    c = _Checker(path)
    c.unknown_keys(data, _TOP_KEYS)
    title = c.get(data, "title", str)
    description = c.get(data, "description", str, "")
    base_url = c.get(data, "base_url", str, "http://localhost:8000/", check=_base_url)
    language = c.get(data, "language", str, "en", check=check_tag)
    timezone = c.get(data, "timezone", str, "UTC", check=_timezone)
    author = c.get(data, "author", str, "")
    output_dir = c.get(data, "output_dir", str, "public", check=_output_dir)
    page_size = c.get(data, "page_size", int, 10, check=_positive)
    feed_limit = c.get(data, "feed_limit", int, 20, check=_positive)
    min_score = c.get(data, "topic_min_score", float, 3.0)
    extra = c.get(data, "extra", dict, {})
    strings = _strings(c, data, language or "en")
    period = _editions(c, data)
    search = c.get(data, "search", bool, True)
    topics = tuple(_topics(c, data))
    tags = tuple(_tags(c, data))
    if c.errors:
        raise BuildError(c.errors) if len(c.errors) > 1 else c.errors[0]
    return SiteConfig(
        root=root, path=path, title=title, description=description,
        base_url=base_url.rstrip("/") + "/", language=language, timezone=timezone,
        topics=topics, tags=tags, author=author, output_dir=output_dir,
        page_size=page_size, feed_limit=feed_limit, topic_min_score=min_score, extra=extra,
        strings=strings,
        editions_period=period,
        search=search,
    )


def _period(value: str) -> str | None:
    return None if value in PERIODS else f"{value!r} is not a period (use one of: {', '.join(PERIODS)})"


def _editions(c: _Checker, data: LineDict) -> str:
    """`editions: {period: week}`: how articles are grouped into editions (a week by default)."""
    editions = c.get(data, "editions", dict, {})
    if not isinstance(editions, LineDict):
        return "week"
    c.unknown_keys(editions, _EDITIONS_KEYS, "editions.")
    return c.get(editions, "period", str, "week", prefix="editions.", check=_period)


def _items(c: _Checker, data: LineDict, key: str) -> list[tuple[int, LineDict]]:
    items = c.get(data, key, list, [])
    out = []
    for i, item in enumerate(items or []):
        if not isinstance(item, LineDict):
            c.error(data, f"{key}[{i}]", f"{item!r} is not a mapping")
            continue
        out.append((i, item))
    return out


def _topics(c: _Checker, data: LineDict) -> list[TopicConfig]:
    topics: list[TopicConfig] = []
    seen: set[str] = set()
    for i, item in _items(c, data, "topics"):
        p = f"topics[{i}]."
        c.unknown_keys(item, _TOPIC_KEYS, p)
        slug = c.get(item, "slug", str, prefix=p, check=_slug)
        title = c.get(item, "title", str, prefix=p)
        description = c.get(item, "description", str, "", prefix=p)
        fallback = c.get(item, "fallback", bool, False, prefix=p)
        raw_terms = c.get(item, "terms", dict, {}, prefix=p) or {}
        terms = []
        for term, weight in raw_terms.items():
            if not isinstance(term, str) or not term.strip():
                c.error(raw_terms if isinstance(raw_terms, LineDict) else item, f"{p}terms", f"{term!r} is not a term")
            elif isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                c.error(raw_terms if isinstance(raw_terms, LineDict) else item, f"{p}terms.{term}",
                        f"weight {weight!r} must be a positive number")
            else:
                terms.append((term, float(weight)))
        if slug in seen:
            c.error(item, f"{p}slug", f"{slug!r} is used by two topics")
        if slug and title:
            seen.add(slug)
            topics.append(TopicConfig(slug, title, description, tuple(terms), fallback))
    if "topics" in data and not topics and not c.errors:
        c.error(data, "topics", "needs at least one topic")
    fallbacks = [t.slug for t in topics if t.fallback]
    if "topics" not in data:
        c.error(None, "topics", "is required (a list of topics with slug, title and terms)")
    elif topics and len(fallbacks) != 1:
        c.error(data, "topics", f"exactly one topic must have 'fallback: true' (found {len(fallbacks)})")
    return topics


def _tags(c: _Checker, data: LineDict) -> list[TagConfig]:
    tags: list[TagConfig] = []
    seen: dict[str, str] = {}  # casefolded name or alias -> tag slug
    slugs: set[str] = set()
    for i, item in _items(c, data, "tags"):
        p = f"tags[{i}]."
        c.unknown_keys(item, _TAG_KEYS, p)
        slug = c.get(item, "slug", str, prefix=p, check=_slug)
        name = c.get(item, "name", str, prefix=p)
        aliases = c.get(item, "aliases", list, [], prefix=p) or []
        bad = [a for a in aliases if not isinstance(a, str) or not a.strip()]
        if bad:
            c.error(item, f"{p}aliases", f"{bad[0]!r} is not a name")
            continue
        if slug is None or name is None:
            continue
        if slug in slugs:
            c.error(item, f"{p}slug", f"{slug!r} is used by two tags")
        slugs.add(slug)
        for alias in (name, *aliases):
            other = seen.get(alias.casefold())
            if other is not None and other != slug:
                c.error(item, f"{p}aliases", f"{alias!r} already names tag {other!r}")
            seen[alias.casefold()] = slug
        tags.append(TagConfig(slug, name, tuple(aliases)))
    return tags


def _strings(c: _Checker, data: LineDict, language: str) -> dict[str, Any]:
    """`strings:`: theme string key -> its text, or for a counting string a text or plural category -> text."""
    raw = c.get(data, "strings", dict, {}) or {}
    locale = parse_locale(language)
    good: dict[str, Any] = {}
    for key, value in raw.items():
        problems = check_string(str(key), value, locale)
        for where, message in problems:
            nested = value if isinstance(value, LineDict) and where.count(".") else raw
            c.error(nested if isinstance(nested, LineDict) else data, f"strings.{where}", message)
        if not problems:
            good[str(key)] = dict(value) if isinstance(value, dict) else value
    return good
