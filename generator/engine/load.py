"""Read everything, then check it: content files -> parsed articles -> the frozen `Site`, with every
problem in every file raised at once (`BuildError`), and the articles left out (drafts, future dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.engine.sources import content_files
from generator.errors import BuildError, ContentError, DigestError
from generator.site.config import SiteConfig
from generator.site.model import Article, Site, make_site

if TYPE_CHECKING:
    from generator.engine.parallel import Progress


@dataclass(frozen=True, slots=True)
class LoadedSite:
    site: Site
    skipped: tuple[Article, ...] = ()  # dated in the future: left out
    drafts: tuple[Article, ...] = ()  # `draft: true`, left out (none when building with drafts)


def load_site(config: SiteConfig, *, drafts: bool = False, now: datetime | None = None) -> LoadedSite:
    """Read and validate every article; raise one `BuildError` naming every problem in every file."""
    articles, errors = parse_all(config, content_files(config))
    return select(config, articles, errors, drafts=drafts, now=now)


def select(config: SiteConfig, articles: list[Article], errors: list[DigestError], *, drafts: bool = False,
           now: datetime | None = None) -> LoadedSite:
    """The site of the parsed `articles`: future articles and drafts left out; every problem raised at once."""
    published, future, left_out = split(config, articles, errors, drafts=drafts, now=now)
    return LoadedSite(make_site(config, published), future, left_out)


def split(config: SiteConfig, articles: list[Article], errors: list[DigestError], *, drafts: bool = False,
          now: datetime | None = None) -> tuple[list[Article], tuple[Article, ...], tuple[Article, ...]]:
    """(published, dated in the future, drafts left out) of `articles`, or one `BuildError` with every problem."""
    errors = [*errors, *_clashes(articles)]
    if errors:
        raise BuildError(errors)
    now = when(config, now)
    future = tuple(a for a in articles if a.date > now)
    left_out = tuple(a for a in articles if a.draft and not drafts and a.date <= now)
    published = [a for a in articles if a.date <= now and (drafts or not a.draft)]
    return published, future, left_out


def when(config: SiteConfig, now: datetime | None) -> datetime:
    """The build's moment, aware, in the site's zone."""
    return datetime.now(config.tz) if now is None else now if now.tzinfo else now.replace(tzinfo=config.tz)


def parse_all(config: SiteConfig, files: list[Path], *, jobs: int = 1,
              progress: Progress | None = None) -> tuple[list[Article], list[DigestError]]:
    """Parse `files` with `jobs` processes; every problem is collected."""
    from generator.engine.parallel import errors_of, parse_many  # here: a build with nothing to do needs `when` only

    articles: list[Article] = []
    errors: list[DigestError] = []
    for _hash, article, problems in parse_many(config, [(f, None) for f in files], jobs=jobs, progress=progress):
        errors += errors_of(problems)
        if article is not None:
            articles.append(article)
    return articles, errors


def _clashes(articles: list[Article]) -> list[ContentError]:
    """Two articles with one URL, or one id: an error at one file naming the other (at the `slug:` that
    made the clash, when only one of them sets one)."""
    errors = []
    by_key: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    for a in articles:
        first = by_key.setdefault(a.key, a)
        if first is not a:
            # Point at the file whose `slug:` made the clash when only one of the two sets one.
            here, other = (first, a) if "slug" in first.lines and "slug" not in a.lines else (a, first)
            message = f"the URL /{a.key} is also that of {other.path} (give one of them another slug:)"
            errors.append(ContentError(here.path, here.line_of("slug", "date"), "slug", message))
        if a.id:
            first = by_id.setdefault(a.id, a)
            if first is not a:
                errors.append(ContentError(a.path, a.line_of("id"), "id", f"{a.id!r} is also the id of {first.path} "
                                           "(ids must be unique: feed readers tell articles apart by them)"))
    return errors
