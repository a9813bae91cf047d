"""Parsing and rendering spread over worker processes, with the same result as one process.

Work is dealt into chunks (every n-th item, so costly items spread out; the
article pages in runs of neighbours, see `run_chunks`) and the results are put
back in the items' order, so the output does not depend on which worker
finished first. Workers are forked after the parent has built what they need (the config, the model and
its views, a warmed template environment), which they inherit rather than
receive pickled; only the small chunks go out and the results come back.
Without `fork` (or with one job, or little work) everything runs in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from generator.engine.cache import content_hash
from generator.errors import BuildError, ContentError, DigestError
from generator.lifetime import die_with_parent
from generator.pages.context import Views
from generator.pages.plan import Part, Planner, closing_jobs, plan_parts, sitemap_entry
from generator.pages.render import PageJob, make_markdown, render_job
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
MAX_CHUNK = 64  # items per chunk at most (more chunks on a larger site, not larger ones)
WINDOW = 3  # chunks per worker handed out and not yet taken back

_TASK: list[Any] = []  # in a worker process only: (function, payload), set by `_start`


def _start(parent: int, fn: Callable[[Any, Any], Any], payload: Any) -> None:
    die_with_parent(parent)  # a killed build leaves no worker behind
    _TASK[:] = [fn, payload]


def _run(chunk: Any) -> Any:
    return _TASK[0](_TASK[1], chunk)


@contextmanager
def frozen() -> Iterator[None]:
    """Until the block ends, the objects there are now are left out of the cyclic collector's passes
    (`gc.freeze`): objects that live as long as the block, collected again and again for nothing. Blocks
    nest: only the outermost gives them back."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def run_chunks(fn: Callable[[T, Sequence[Any]], list[R]], payload: T, items: Sequence[Any], *, jobs: int,
               progress: Progress | None = None, min_per_worker: int = MIN_PER_WORKER,
               each: Callable[[list[R]], list[R]] | None = None, runs: range | None = None) -> list[R]:
    """`fn(payload, chunk)` (one result per item of the chunk) over all `items`, results in the items' order.
    `each` is handed every chunk's results as they come in (in a fixed order), while later chunks are worked
    on, and returns what to keep of them.

    Chunk `i` of `n` takes every `n`-th item from `i` on, so costly items (a big
    topic, the feeds) are spread over all chunks rather than bunched in one;
    the items at the indexes in `runs` instead go out as `n` runs of
    consecutive items, chunk `i` the `i`-th (the article pages: neighbours
    show the same cards, rendered once while the worker remembers them). A
    chunk holds at most MAX_CHUNK items, and only WINDOW chunks per worker are
    out at a time: what the parent holds of results not yet handed to `each` (a
    rendered page's bytes, until the writer has them) stays the same however
    large the site, and workers wait for a parent that is behind.
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
    n = max(workers * CHUNKS_PER_WORKER, -(-len(items) // MAX_CHUNK))
    places = _deal(len(items), n, runs or range(0))
    chunks = [[items[j] for j in place] for place in places]
    results: list[list[R]] = []
    context = multiprocessing.get_context("fork")
    # Workers inherit the parent's objects; the collector would walk (and, through
    # copy-on-write, copy) all of them in every worker. Frozen, they are left alone.
    with frozen():
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(os.getpid(), fn, payload)) as pool:
            pending: deque[tuple[Sequence[Any], Future[list[R]]]] = deque()

            def take() -> None:
                done, future = pending.popleft()
                result = future.result()
                results.append(each(result) if each else result)
                if progress:
                    progress(len(done))

            for chunk in chunks:
                pending.append((chunk, pool.submit(_run, chunk)))
                if len(pending) >= workers * WINDOW:
                    take()
            while pending:
                take()
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for place, result in zip(places, results, strict=True):
        for j, one in zip(place, result, strict=True):
            out[j] = one
    return out


def _deal(count: int, n: int, runs: range) -> list[list[int]]:
    """The indexes of `count` items in each of `n` chunks: those in `runs` (a step-1 range) as `n` runs of
    consecutive indexes, the others every `n`-th from the chunk's number on."""
    others = [j for j in range(count) if j not in runs]
    size = -(-len(runs) // n)
    return [[*runs[i * size:(i + 1) * size], *others[i::n]] for i in range(n)]


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

# A page as last rendered: its template, its context and its bytes. A page job with the same template and an
# equal context renders the same bytes, so with a `Memo` (the preview keeps one) such a page is not rendered again.
Page = tuple[str, Mapping[str, Any], bytes]
Memo = dict[str, Page]
Rendered = tuple[str, bytes, dict[str, Any] | None, Page | None]  # path, bytes, sitemap entry, memo entry


@dataclass(frozen=True, slots=True)
class Rendering:
    """What rendering gave: the files not handed to the sink, the counts, and the memo of the next build."""

    files: dict[str, bytes]
    pages: int = 0  # HTML pages
    feeds: int = 0
    rendered: int = 0  # the jobs actually rendered (the others' bytes came from the memo)
    memo: Memo | None = None


def _render(env: jinja2.Environment, job: PageJob, memo: Memo | None) -> tuple[bytes, Page | None, bool]:
    """(the job's bytes, its memo entry (with a memo), whether it was rendered rather than remembered)."""
    if memo is None:
        return render_job(env, job), None, True
    old = memo.get(job.path)
    if old is not None and old[0] == job.template and old[1] == job.context:
        return old[2], old, False
    data = render_job(env, job)
    return data, (job.template, job.context, data), True


def _render_chunk(payload: tuple[Views, jinja2.Environment, Memo | None],
                  parts: Sequence[Part]) -> list[list[tuple[Rendered, bool]]]:
    views, env, memo = payload
    planner = Planner(views)
    out = []
    for part in parts:
        pages = []
        for job in planner.jobs(part):
            data, page, fresh = _render(env, job, memo)
            pages.append(((job.path, data, sitemap_entry(job), page), fresh))
        out.append(pages)
    return out


def warm(env: jinja2.Environment) -> None:
    """Compile every template now, so forked workers inherit them compiled."""
    for name in env.list_templates():
        if name.endswith((".html", ".xml", ".txt", ".json")) and not name.startswith("theme/"):
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                pass  # reported, with its file and line, when a page uses it


def render_site(views: Views, env: jinja2.Environment, *, jobs: int, progress: Progress | None = None,
                sink: Callable[[dict[str, bytes]], None] | None = None, memo: Memo | None = None) -> Rendering:
    """Every page, feed, email copy, the sitemap and robots.txt of `views`, in the site's fixed order.

    With a `sink`, pages and feeds are handed to it as they are rendered (so they
    can be written meanwhile) and only the closing files (sitemap, robots.txt) are
    returned. With a `memo` (of the last build), a page whose template and context
    are those of last time keeps its bytes, and the result's memo is that of this build.
    """
    if jobs > 1:
        warm(env)

    def deliver(pages: list[list[tuple[Rendered, bool]]]) -> list[list[tuple[Rendered, bool]]]:
        """Hand the pages' bytes to the sink and keep only their paths, sitemap entries and memo entries."""
        if sink is None:
            return pages
        sink({path: data for part in pages for (path, data, _e, _p), _f in part})
        return [[((path, b"", entry, page), fresh) for (path, _d, entry, page), fresh in part] for part in pages]

    parts = plan_parts(views)
    articles = [i for i, (kind, _name) in enumerate(parts) if kind == "article"]
    runs = range(articles[0], articles[-1] + 1) if articles else None
    per_part = run_chunks(_render_chunk, (views, env, memo), parts, jobs=jobs, progress=progress,
                          each=deliver, runs=runs)
    rendered = [page for pages in per_part for page in pages]
    files = {} if sink is not None else {path: data for (path, data, _e, _p), _f in rendered}
    fresh = sum(f for _r, f in rendered)
    new_memo: Memo | None = None if memo is None else {path: page for (path, _d, _e, page), _f in rendered if page}
    for job in closing_jobs(views, (entry for (_p, _d, entry, _m), _f in rendered)):
        files[job.path], page, was_rendered = _render(env, job, memo)
        fresh += was_rendered
        if new_memo is not None and page is not None:
            new_memo[job.path] = page
    pages = sum(entry is not None for (_p, _d, entry, _m), _f in rendered)
    feeds = sum(path.endswith(FEED_NAMES) for (path, _d, _e, _m), _f in rendered)
    return Rendering(files, pages, feeds, fresh, new_memo)


def _jobs_chunk(payload: tuple[jinja2.Environment, Memo | None],
                chunk: Sequence[PageJob]) -> list[tuple[bytes, Page | None, bool]]:
    env, memo = payload
    return [_render(env, job, memo) for job in chunk]


def render_jobs(env: jinja2.Environment, planned: Sequence[PageJob], *, jobs: int,
                memo: Memo | None = None) -> Rendering:
    """The given page jobs (those an edit reaches), in workers when there are enough of them; with a `memo`,
    the result's memo is it brought up to date."""
    if jobs > 1 and len(planned) >= 2 * MIN_PER_WORKER:
        warm(env)
    done = run_chunks(_jobs_chunk, (env, memo), planned, jobs=jobs)
    files = {job.path: data for job, (data, _page, _fresh) in zip(planned, done, strict=True)}
    new_memo = None
    if memo is not None:
        new_memo = dict(memo)
        new_memo.update((job.path, page) for job, (_d, page, _f) in zip(planned, done, strict=True) if page)
    return Rendering(files, rendered=sum(fresh for _d, _p, fresh in done), memo=new_memo)
