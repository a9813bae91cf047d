"""`digest build`, the orchestrator: load -> model -> page jobs -> bytes -> publish.

`load.load_site` reads and validates all of `content/` (reporting every problem
at once) into the frozen `Site`; `pages.plan` turns it into `PageJob`s (output
path, template, plain context); `build_files` renders every job and reads the
static files, in memory; `run_build` hands the bytes to `publish.write.Publish`
as they are rendered, or, with the cache, lets `incremental.build_cached` redo
only what changed. Nothing else in digest imports this module but the CLI.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from generator.engine.incremental import build_cached
from generator.engine.load import parse_all, select
from generator.engine.parallel import Progress, render_site
from generator.engine.progress import Bar
from generator.engine.search import Collector, Indexer
from generator.engine.search import summary as search_summary
from generator.engine.sources import add_static, content_files, sources
from generator.engine.totals import Totals, skipped_line, summary_line
from generator.errors import shown
from generator.pages.context import make_views
from generator.pages.render import make_env
from generator.publish.lock import output_lock
from generator.publish.write import Publish
from generator.site import urls as u
from generator.site.config import SiteConfig
from generator.site.language import strings_note
from generator.site.model import Article, Site

__all__ = ["BuildResult", "build_files", "run_build", "totals"]


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
    changed since the last one (`generator.engine.incremental`); without, everything is built.
    """
    start = time.perf_counter()
    target = output if output is not None else config.output_path
    with output_lock(target, waiting=None if quiet else err), Bar(err, enabled=not quiet) as bar:
        if cache:
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
        note = strings_note(config.language, config.strings)
        if note:
            print(note, file=out)
        for a in summary.skipped:
            print(skipped_line(a), file=out)
        print(summary_line(summary, stats, shown(target), time.perf_counter() - start) + search_summary(indexer),
              file=out)
    return 0


def totals(result: BuildResult) -> Totals:
    site = result.site
    return Totals(len(site.articles), len(site.topics), len(site.tags), result.pages, result.feeds,
                  len(result.drafts), result.skipped)
