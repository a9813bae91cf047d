"""`digest build`, the orchestrator: the engine (`incremental.Build`) with the output folder as its sink.

With the cache, the engine's store is `.digest-cache/` in the site folder, so
a build redoes only what changed since the last one; without (`--no-cache`),
it starts from an empty store and keeps nothing. Either way every article is
read and checked before a byte is written, and the pages are written (beside
the output, swapped in at the end) while later ones are still rendering.
`build_files` is the same build in memory, from scratch: the reference the
tests compare every other build with. Nothing else in digest imports this
module but the CLI.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from generator.engine import cache as disk
from generator.engine.incremental import Build, Progress
from generator.engine.progress import Bar
from generator.engine.search import Indexer
from generator.engine.search import summary as search_summary
from generator.engine.sinks import MemorySite, OutputFolder
from generator.engine.sources import sources
from generator.engine.state import DiskStore, MemoryStore
from generator.engine.totals import skipped_line, summary_line
from generator.errors import shown
from generator.publish.lock import output_lock
from generator.site.config import SiteConfig
from generator.site.language import strings_note
from generator.site.model import Article, Site

__all__ = ["BuildResult", "build_files", "default_jobs", "run_build"]


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


def default_jobs() -> int:
    """All the cores this process may run on: `--jobs`' default."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def build_files(config: SiteConfig, *, base_url: str | None = None, drafts: bool = False,
                now: datetime | None = None, jobs: int = 1, progress: Progress | None = None) -> BuildResult:
    """The whole site in memory, from scratch, with `jobs` processes: nothing is written."""
    memory = MemorySite()
    result = Build(MemoryStore(remember_pages=False), base_url=base_url, drafts=drafts, jobs=jobs).run(
        config, memory, now=now, progress=progress)
    assert result.site is not None  # an empty store: everything was built
    t = result.totals
    return BuildResult(files=memory.files, site=result.site, skipped=t.skipped, drafts=result.drafts,
                       pages=t.pages, feeds=t.feeds, static=result.static, search=result.search)


def run_build(config: SiteConfig, *, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
              now: datetime | None = None, out: TextIO = sys.stdout, jobs: int = 1, cache: bool = False,
              quiet: bool = False, err: TextIO = sys.stderr) -> int:
    """`digest build`: read and check everything, then render and write; report skipped articles and one
    summary line. With `cache`, `.digest-cache/` lets the build redo only what changed since the last one."""
    start = time.perf_counter()
    target = output if output is not None else config.output_path
    with output_lock(target, waiting=None if quiet else err), Bar(err, enabled=not quiet) as bar:
        store = DiskStore(disk.cache_dir(config)) if cache else MemoryStore(remember_pages=False)
        folder = OutputFolder(target, sources=sources(config))
        result = Build(store, base_url=base_url, drafts=drafts, jobs=jobs).run(config, folder, now=now, progress=bar)
    if not quiet:
        note = strings_note(config.language, config.strings)
        if note:
            print(note, file=out)
        for a in result.totals.skipped:
            print(skipped_line(a), file=out)
        print(summary_line(result.totals, result.report, shown(target), time.perf_counter() - start)
              + search_summary(result.search), file=out)
    return 0

