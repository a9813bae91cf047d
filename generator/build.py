"""The build pipeline: load -> model -> page jobs -> bytes -> write.

`load_site` reads and validates all of `content/` (reporting every problem at
once) into the frozen `Site`; `plan_pages` turns it into `PageJob`s (output
path, template, plain context); `build_files` renders every job and reads the
static files, in memory; `run_build` hands the result to `write.write_site`.
The preview server and a later cache call the same pieces.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from generator import urls as u
from generator.config import CONFIG_NAME, SiteConfig
from generator.context import (
    Views,
    archive_context,
    article_context,
    date_iso,
    home_context,
    make_views,
    not_found_context,
    robots_context,
    sitemap_context,
    tag_contexts,
    tags_context,
    topic_contexts,
)
from generator.errors import BuildError, ContentError, DigestError
from generator.feeds import all_feeds, feeds_showing
from generator.model import Article, Site, make_site
from generator.parse import parse_article
from generator.render import PageJob, make_env, make_markdown, render_job, theme_dir
from generator.write import WriteStats, write_site

__all__ = ["BuildResult", "LoadedSite", "PageJob", "ParseCache", "build_files", "load_site", "parse_files",
           "plan_article", "plan_pages", "plan_views", "run_build", "static_files"]


@dataclass(frozen=True, slots=True)
class LoadedSite:
    site: Site
    skipped: tuple[Article, ...] = ()  # dated in the future: left out
    drafts: tuple[Article, ...] = ()  # `draft: true`, left out (none when building with drafts)


@dataclass(frozen=True, slots=True)
class BuildResult:
    files: Mapping[str, bytes]  # output-relative path -> bytes: pages, feeds and static copies
    site: Site
    skipped: tuple[Article, ...] = ()
    drafts: tuple[Article, ...] = ()
    pages: int = 0  # HTML pages
    feeds: int = 0
    static: int = 0


def content_files(config: SiteConfig) -> list[Path]:
    """Every `.md` file under `content/`, sorted; dotfiles and dot-folders are ignored."""
    root = config.content_dir
    if not root.is_dir():
        raise DigestError(f"{config.path.parent / 'content'}: not found (articles go in content/, "
                          "e.g. written by `digest import`)")
    return sorted(p for p in root.rglob("*.md")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))


# Parsed articles kept between builds: file -> (its stat stamp, the article).
ParseCache = dict[Path, tuple[tuple[int, int, int], Article]]


def _stamp(file: Path) -> tuple[int, int, int]:
    st = file.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def load_site(config: SiteConfig, *, drafts: bool = False, now: datetime | None = None,
              cache: ParseCache | None = None) -> LoadedSite:
    """Read and validate every article; raise one `BuildError` naming every problem in every file.

    With a `cache` (the preview server keeps one), a file whose modification time,
    size and inode are those of last time is not parsed again; the cache is
    brought up to date in place. Callers that know a file changed evict it first:
    a same-size rewrite within the file system's timestamp granularity keeps its stamp.
    """
    files = content_files(config)
    if cache is not None:
        for gone in cache.keys() - set(files):
            del cache[gone]
    articles, errors = parse_files(config, files, cache)
    errors += _clashes(articles)
    if errors:
        raise BuildError(errors)
    now = datetime.now(config.tz) if now is None else now if now.tzinfo else now.replace(tzinfo=config.tz)
    future = tuple(a for a in articles if a.date > now)
    left_out = tuple(a for a in articles if a.draft and not drafts and a.date <= now)
    published = [a for a in articles if a.date <= now and (drafts or not a.draft)]
    return LoadedSite(make_site(config, published), future, left_out)


def parse_files(config: SiteConfig, files: list[Path],
                cache: ParseCache | None = None) -> tuple[list[Article], list[DigestError]]:
    """Parse `files` (reusing `cache` entries whose stamp matches); every problem is collected."""
    md = make_markdown()
    articles: list[Article] = []
    errors: list[DigestError] = []
    for file in files:
        shown = str(config.path.parent / file.relative_to(config.root))
        try:
            stamp = _stamp(file)
            hit = cache.get(file) if cache is not None else None
            if hit is not None and hit[0] == stamp:
                articles.append(hit[1])
                continue
            article = parse_article(file.read_text(encoding="utf-8"), shown, file.stem, config, md)
            articles.append(article)
            if cache is not None:
                cache[file] = (stamp, article)
        except UnicodeDecodeError:
            errors.append(ContentError(shown, None, None, "is not UTF-8 text (save it as UTF-8)"))
        except OSError as exc:
            errors.append(ContentError(shown, None, None, f"cannot be read ({exc.strerror})"))
        except BuildError as exc:
            errors.extend(exc.errors)
        except ContentError as exc:
            errors.append(exc)
    return articles, errors


def _clashes(articles: list[Article]) -> list[ContentError]:
    """Two articles with one URL, or one id: an error at the second file naming the first."""
    errors = []
    by_key: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    for a in articles:
        first = by_key.setdefault(a.key, a)
        if first is not a:
            message = f"the URL /{a.key} is also that of {first.path} (give one of them another slug:)"
            errors.append(ContentError(a.path, a.line_of("slug", "date"), "slug", message))
        if a.id:
            first = by_id.setdefault(a.id, a)
            if first is not a:
                errors.append(ContentError(a.path, a.line_of("id"), "id", f"{a.id!r} is also the id of {first.path} "
                                           "(ids must be unique: feed readers tell articles apart by them)"))
    return errors


def plan_pages(config: SiteConfig, site: Site, *, base_url: str | None = None) -> list[PageJob]:
    """Every page, feed, the sitemap and robots.txt as jobs, in a fixed order."""
    return plan_views(make_views(config, site, u.Urls.for_base(base_url or config.base_url)))


def plan_views(v: Views) -> list[PageJob]:
    """`plan_pages` for views already made (the preview keeps them between rebuilds)."""
    site = v.site
    pages = [(u.HOME, "home.html", home_context(v))]
    pages += [(key, "article.html", article_context(v, key)) for key in site.order]
    for topic in site.topics.values():
        pages += [(path, "topic.html", ctx) for path, ctx in topic_contexts(v, topic)]
    pages.append((u.TAGS, "tags.html", tags_context(v)))
    for tag in site.tags.values():
        pages += [(path, "tag.html", ctx) for path, ctx in tag_contexts(v, tag)]
    pages.append((u.ARCHIVE, "archive.html", archive_context(v)))
    pages.append((u.NOT_FOUND, "404.html", not_found_context(v)))
    jobs = [PageJob(u.output_path(path), template, ctx) for path, template, ctx in pages]
    jobs += [PageJob(path, "feed.xml", ctx) for path, ctx in all_feeds(v)]
    jobs.append(PageJob(u.SITEMAP, "sitemap.xml", sitemap_context([ctx["page"] for _p, _t, ctx in pages])))
    jobs.append(PageJob(u.ROBOTS, "robots.txt", robots_context(v)))
    return jobs


def plan_article(v: Views, key: str) -> list[PageJob]:
    """The jobs that show an article's full text: its own page and the feeds that carry it.

    When an edit leaves everything that lists show of an article (`listing`) as it
    was, these are the only pages whose bytes can change.
    """
    jobs = [PageJob(u.output_path(key), "article.html", article_context(v, key))]
    jobs += [PageJob(path, "feed.xml", ctx) for path, ctx in feeds_showing(v, key)]
    return jobs


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Output path (`static/...`) -> source file: the default theme's, overridden by the site's own."""
    files: dict[str, Path] = {}
    for root in (theme_dir("static"), config.static_dir):
        if root.is_dir():
            for path in root.rglob("*"):
                rel = path.relative_to(root)
                if path.is_file() and not any(p.startswith(".") or p.endswith("~") for p in rel.parts):
                    files[u.STATIC + rel.as_posix()] = path
    return dict(sorted(files.items()))


def build_files(config: SiteConfig, *, base_url: str | None = None, drafts: bool = False,
                now: datetime | None = None) -> BuildResult:
    """The whole site in memory: nothing is written."""
    loaded = load_site(config, drafts=drafts, now=now)
    jobs = plan_pages(config, loaded.site, base_url=base_url)
    env = make_env(config)
    files = {job.path: render_job(env, job) for job in jobs}
    static = static_files(config)
    for rel, source in static.items():
        if rel in files:
            raise DigestError(f"{source}: would overwrite the generated {rel} (rename it)")
        try:
            files[rel] = source.read_bytes()
        except OSError as exc:
            raise DigestError(f"{source}: cannot be read ({exc.strerror})") from None
    return BuildResult(
        files=files, site=loaded.site, skipped=loaded.skipped, drafts=loaded.drafts,
        pages=sum(job.template.endswith(".html") for job in jobs),
        feeds=sum(job.template == "feed.xml" for job in jobs),
        static=len(static),
    )


def run_build(config: SiteConfig, *, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
              now: datetime | None = None, out: TextIO = sys.stdout) -> int:
    """`digest build`: build everything in memory, then write it; report skipped articles and one summary line."""
    start = time.perf_counter()
    result = build_files(config, base_url=base_url, drafts=drafts, now=now)
    target = output if output is not None else config.output_path
    sources = (config.content_dir, config.templates_dir, config.static_dir, config.root / CONFIG_NAME)
    stats = write_site(target, result.files, sources=sources)
    for a in result.skipped:
        print(f"skipped {a.path}: dated {date_iso(a)}, in the future (it appears once that date has come)", file=out)
    print(_summary(result, stats, _shown(target), time.perf_counter() - start), file=out)
    return 0


def _shown(path: Path) -> str:
    """`path` relative to the current folder when inside it (`public`), else absolute."""
    path = path.resolve()
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def _summary(result: BuildResult, stats: WriteStats, target: str, seconds: float) -> str:
    site = result.site
    left_out = "".join(f", {_count(len(items), what)} left out"
                       for items, what in ((result.drafts, "draft"), (result.skipped, "future article")) if items)
    return (f"built {_count(len(site.articles), 'article')}{left_out}, {_count(len(site.topics), 'topic')}, "
            f"{_count(len(site.tags), 'tag')}: {_count(result.pages, 'page')} and {_count(result.feeds, 'feed')} "
            f"in {target} ({stats.written} files written, {stats.unchanged} unchanged, {stats.removed} removed) "
            f"in {seconds:.2f} s")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
