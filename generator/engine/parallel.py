"""Parsing and rendering spread over worker processes, with the same result as one process.

Work is dealt into chunks (every n-th item, so costly items spread out) and the
results are put back in the items' order, so the output does not depend on
which worker finished first. Workers are
forked after the parent has built what they need (the config, the model and
its views, a warmed template environment), which they inherit rather than
receive pickled; only the small chunks go out and the results come back.
Without `fork` (or with one job, or little work) everything runs in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from generator.engine.cache import content_hash
from generator.errors import BuildError, ContentError, DigestError
from generator.lifetime import die_with_parent
from generator.pages.context import Views
from generator.pages.plan import Part, Planner, closing_jobs, plan_parts, sitemap_entry
from generator.pages.render import make_markdown, render_job
from generator.site.config import SiteConfig
from generator.site.parse import parse_article
from generator.site.urls import ATOM_NAME, FEED_NAME, JSON_FEED_NAME

FEED_NAMES = (FEED_NAME, ATOM_NAME, JSON_FEED_NAME)

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int], None]

# Below this many files (or parts) per worker, a worker costs more than it saves.
MIN_PER_WORKER = 200
CHUNKS_PER_WORKER = 8

_TASK: list[Any] = []  # in a worker process only: (function, payload), set by `_start`


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start(parent: int, fn: Callable[[Any, Any], Any], payload: Any) -> None:
    die_with_parent(parent)  # a killed build leaves no worker behind
    _TASK[:] = [fn, payload]


def _run(chunk: Any) -> Any:
    return _TASK[0](_TASK[1], chunk)


def run_chunks(fn: Callable[[T, Sequence[Any]], list[R]], payload: T, items: Sequence[Any], *, jobs: int,
               progress: Progress | None = None, min_per_worker: int = MIN_PER_WORKER,
               each: Callable[[list[R]], list[R]] | None = None) -> list[R]:
    """`fn(payload, chunk)` (one result per item of the chunk) over all `items`, results in the items' order.
    `each` is handed every chunk's results as they come in (in a fixed order), while later chunks are worked
    on, and returns what to keep of them.

    Chunk `i` of `n` takes every `n`-th item from `i` on, so costly items (a big
    topic, the feeds) are spread over all chunks rather than bunched in one.
    """
    fork = "fork" in multiprocessing.get_all_start_methods()
    workers = min(jobs, len(items) // max(1, min_per_worker)) if fork else 1
    if workers <= 1:
        done = fn(payload, items)
        if each:
            done = each(done)
        if progress:
            progress(len(items))
        return done
    n = workers * CHUNKS_PER_WORKER
    chunks = [items[i::n] for i in range(n)]
    results: list[list[R]] = []
    context = multiprocessing.get_context("fork")
    # Workers inherit the parent's objects; the collector would walk (and, through
    # copy-on-write, copy) all of them in every worker. Frozen, they are left alone.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(os.getpid(), fn, payload)) as pool:
            for chunk, result in zip(chunks, pool.map(_run, chunks), strict=True):
                results.append(each(result) if each else result)
                if progress:
                    progress(len(chunk))
    finally:
        gc.unfreeze()
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for i, result in enumerate(results):
        out[i::n] = result
    return out


# --- parsing -----------------------------------------------------------------------------------------------

# A parse outcome that pickles: the file's content hash, and its article or its problems as
# (path, line, field, message).
Problems = tuple[tuple[str, int | None, str | None, str], ...]
Parsed = tuple[bytes, Any, Problems]


def _problems(errors: Sequence[DigestError]) -> Problems:
    return tuple((e.path, e.line, e.field, e.message) if isinstance(e, ContentError) else ("", None, None, str(e))
                 for e in errors)


def parse_one(config: SiteConfig, file: Path, data: bytes | None, md: Any) -> Parsed:
    """The article in `file` (whose bytes are `data` when already read), or its problems."""
    shown = str(config.path.parent / file.relative_to(config.root))
    try:
        if data is None:
            data = file.read_bytes()
        return content_hash(data), parse_article(data.decode("utf-8"), shown, file.stem, config, md), ()
    except UnicodeDecodeError:
        return content_hash(data or b""), None, ((shown, None, None, "is not UTF-8 text (save it as UTF-8)"),)
    except OSError as exc:
        return b"", None, ((shown, None, None, f"cannot be read ({exc.strerror})"),)
    except BuildError as exc:
        return content_hash(data or b""), None, _problems(exc.errors)
    except ContentError as exc:
        return content_hash(data or b""), None, _problems([exc])


def _parse_chunk(config: SiteConfig, chunk: Sequence[tuple[Path, bytes | None]]) -> list[Parsed]:
    md = make_markdown()
    return [parse_one(config, file, data, md) for file, data in chunk]


def parse_many(config: SiteConfig, files: Sequence[tuple[Path, bytes | None]], *, jobs: int,
               progress: Progress | None = None) -> list[Parsed]:
    """Each (file, its bytes when already read) parsed, in order."""
    return run_chunks(_parse_chunk, config, files, jobs=jobs, progress=progress)


def errors_of(problems: Problems) -> list[DigestError]:
    return [ContentError(path, line, field, message) if path else DigestError(message)
            for path, line, field, message in problems]


# --- rendering ---------------------------------------------------------------------------------------------

Rendered = tuple[str, bytes, dict[str, Any] | None]  # output path, bytes, sitemap entry


def _render_chunk(payload: tuple[Views, jinja2.Environment], parts: Sequence[Part]) -> list[list[Rendered]]:
    views, env = payload
    planner = Planner(views)
    return [[(job.path, render_job(env, job), sitemap_entry(job)) for job in planner.jobs(part)] for part in parts]


def warm(env: jinja2.Environment) -> None:
    """Compile every template now, so forked workers inherit them compiled."""
    for name in env.list_templates():
        if name.endswith((".html", ".xml", ".txt", ".json")) and not name.startswith("theme/"):
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                pass  # reported, with its file and line, when a page uses it


def render_site(views: Views, env: jinja2.Environment, *, jobs: int, progress: Progress | None = None,
                sink: Callable[[dict[str, bytes]], None] | None = None) -> tuple[dict[str, bytes], int, int]:
    """Every page, feed, email copy, the sitemap and robots.txt: (output path -> bytes, HTML pages, feeds).

    With a `sink`, pages and feeds are handed to it as they are rendered (so they
    can be written meanwhile) and only the closing files (sitemap, robots.txt) are returned.
    """
    if jobs > 1:
        warm(env)

    def deliver(pages: list[list[Rendered]]) -> list[list[Rendered]]:
        """Hand the pages' bytes to the sink and keep only their paths and sitemap entries."""
        if sink is None:
            return pages
        sink({path: data for part in pages for path, data, _entry in part})
        return [[(path, b"", entry) for path, _data, entry in part] for part in pages]

    per_part = run_chunks(_render_chunk, (views, env), plan_parts(views), jobs=jobs, progress=progress, each=deliver)
    rendered = [page for pages in per_part for page in pages]
    files = {} if sink is not None else {path: data for path, data, _entry in rendered}
    for job in closing_jobs(views, (entry for _p, _d, entry in rendered)):
        files[job.path] = render_job(env, job)
    pages = sum(entry is not None for _p, _d, entry in rendered)
    feeds = sum(path.endswith(FEED_NAMES) for path, _d, _entry in rendered)
    return files, pages, feeds
