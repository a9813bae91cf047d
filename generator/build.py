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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from generator import urls as u
from generator.config import CONFIG_NAME, SiteConfig
from generator.context import date_iso, make_views
from generator.errors import BuildError, ContentError, DigestError, shown
from generator.frontmatter import article_files
from generator.model import Article, Site, make_site
from generator.parallel import Progress, errors_of, parse_many, parse_one, render_site
from generator.plan import plan_article, plan_pages, plan_views
from generator.progress import Bar
from generator.render import PageJob, make_env, make_markdown, theme_dir
from generator.search import Collector, Indexer
from generator.search import summary as search_summary
from generator.write import Publish, WriteStats, output_lock

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
    search: Indexer | None = None  # what indexing did (None with `search: false`)


def content_files(config: SiteConfig) -> list[Path]:
    """Every `.md` file under `content/`, sorted; dotfiles and dot-folders are ignored. A broken or looping
    symbolic link is listed too, so that reading it reports it."""
    root = config.content_dir
    if not root.is_dir():
        raise DigestError(f"{config.path.parent / 'content'}: not found (articles go in content/, "
                          "e.g. written by `digest import`)")
    return article_files(root)


# Parsed articles kept between builds: file -> (its stat stamp, the article).
ParseCache = dict[Path, tuple[tuple[int, int, int], Article]]


def file_stamp(file: Path) -> tuple[int, int, int]:
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


def parse_files(config: SiteConfig, files: list[Path],
                cache: ParseCache | None = None) -> tuple[list[Article], list[DigestError]]:
    """Parse `files` (reusing `cache` entries whose stamp matches); every problem is collected."""
    md = make_markdown()
    articles: list[Article] = []
    errors: list[DigestError] = []
    for file in files:
        try:
            stamp = file_stamp(file)
        except OSError as exc:
            shown = str(config.path.parent / file.relative_to(config.root))
            errors.append(ContentError(shown, None, None, f"cannot be read ({exc.strerror})"))
            continue
        hit = cache.get(file) if cache is not None else None
        if hit is not None and hit[0] == stamp:
            articles.append(hit[1])
            continue
        _hash, article, problems = parse_one(config, file, None, md)
        errors += errors_of(problems)
        if article is not None:
            articles.append(article)
            if cache is not None:
                cache[file] = (stamp, article)
    return articles, errors


def parse_all(config: SiteConfig, files: list[Path], *, jobs: int = 1,
              progress: Progress | None = None) -> tuple[list[Article], list[DigestError]]:
    """Parse `files` with `jobs` processes; every problem is collected."""
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


def add_static(config: SiteConfig, files: dict[str, bytes], *, generated: Iterable[str] = ()) -> int:
    """Add the static files' bytes to `files` (never over a generated file, there or in `generated`); their number."""
    static = static_files(config)
    taken = set(generated)
    for rel, source in static.items():
        if rel in files or rel in taken:
            raise DigestError(f"{source}: would overwrite the generated {rel} (rename it)")
        try:
            files[rel] = source.read_bytes()
        except OSError as exc:
            raise DigestError(f"{source}: cannot be read ({exc.strerror})") from None
    return len(static)


def build_files(config: SiteConfig, *, base_url: str | None = None, drafts: bool = False,
                now: datetime | None = None, jobs: int = 1, progress: Progress | None = None,
                sink: Callable[[dict[str, bytes]], None] | None = None) -> BuildResult:
    """The whole site in memory, from scratch, with `jobs` processes: nothing is written.

    With a `sink`, pages and feeds are handed to it as they are rendered, after
    every article was read and checked (an error in any of them raises before the
    sink sees anything); the result's `files` are then the rest (static files, sitemap).
    """
    articles, errors = parse_all(config, content_files(config), jobs=jobs, progress=progress)
    loaded = select(config, articles, errors, drafts=drafts, now=now)
    views = make_views(config, loaded.site, u.Urls.for_base(base_url or config.base_url))
    delivered: set[str] = set()

    def deliver(batch: dict[str, bytes]) -> None:
        delivered.update(batch)
        sink(batch)  # type: ignore[misc]

    collector = Collector(loaded.site) if config.search else None
    handed = (collector.wrap(deliver) if collector else deliver) if sink else None
    files, pages, feeds = render_site(views, make_env(config), jobs=jobs, progress=progress, sink=handed)
    indexer = None
    if collector is not None:
        if sink is None:
            collector.pages = {rel: files[rel] for rel in collector.paths}
        indexer = Indexer()
        files.update(collector.index(indexer, prefix=views.urls.prefix, language=config.language, jobs=jobs))
    static = add_static(config, files, generated=delivered)
    return BuildResult(files=files, site=loaded.site, skipped=loaded.skipped, drafts=loaded.drafts,
                       pages=pages, feeds=feeds, static=static, search=indexer)


def run_build(config: SiteConfig, *, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
              now: datetime | None = None, out: TextIO = sys.stdout, jobs: int = 1, cache: bool = False,
              quiet: bool = False, err: TextIO = sys.stderr) -> int:
    """`digest build`: read and check everything, then render and write; report skipped articles and one
    summary line. Pages are written (beside the output, swapped in at the end) while later ones render.

    With `cache`, `.digest-cache/` in the site folder lets a build redo only what
    changed since the last one (`generator.incremental`); without, everything is built.
    """
    start = time.perf_counter()
    target = output if output is not None else config.output_path
    with output_lock(target, waiting=None if quiet else err), Bar(err, enabled=not quiet) as bar:
        if cache:
            from generator.incremental import build_cached

            summary, stats, indexer = build_cached(config, target, base_url=base_url, drafts=drafts, now=now,
                                                   jobs=jobs, bar=bar)
        else:
            bar.expect(2 * len(content_files(config)))
            with Publish(target, sources=sources(config)) as publish:
                result = build_files(config, base_url=base_url, drafts=drafts, now=now, jobs=jobs,
                                     progress=bar.step, sink=publish.add)
                publish.add(result.files)
                stats = publish.finish()
            summary, indexer = totals(result), result.search
    if not quiet:
        for a in summary.skipped:
            print(f"skipped {a.path}: dated {date_iso(a)}, in the future (it appears once that date has come)",
                  file=out)
        print(_summary(summary, stats, shown(target), time.perf_counter() - start) + search_summary(indexer),
              file=out)
    return 0


def sources(config: SiteConfig) -> tuple[Path, ...]:
    """The site's own folders and files, which the output folder must stay clear of."""
    return (config.content_dir, config.templates_dir, config.static_dir, config.root / CONFIG_NAME)


@dataclass(frozen=True, slots=True)
class Totals:
    """What the summary line reports of a build."""

    articles: int
    topics: int
    tags: int
    pages: int
    feeds: int
    drafts: int = 0
    skipped: tuple[Article, ...] = ()


def totals(result: BuildResult) -> Totals:
    site = result.site
    return Totals(len(site.articles), len(site.topics), len(site.tags), result.pages, result.feeds,
                  len(result.drafts), result.skipped)


def _summary(t: Totals, stats: WriteStats, target: str, seconds: float) -> str:
    left_out = "".join(f", {_count(n, what)} left out"
                       for n, what in ((t.drafts, "draft"), (len(t.skipped), "future article")) if n)
    return (f"built {_count(t.articles, 'article')}{left_out}, {_count(t.topics, 'topic')}, "
            f"{_count(t.tags, 'tag')}: {_count(t.pages, 'page')} and {_count(t.feeds, 'feed')} "
            f"in {target} ({_count(stats.written, 'file')} written, {stats.unchanged} unchanged, "
            f"{stats.removed} removed) "
            f"in {seconds:.2f} s")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
