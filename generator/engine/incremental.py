"""`digest build` with the persistent cache: redo only what changed since the last build.

The last build's `State` (in `.digest-cache/`) records every input (content
files by stat stamp and content hash, static files by stamp), every output file
by stamp, and the site's structure (order, topics, tags, neighbours, related).
Parsed articles are kept in `SHARDS` more cache files. A build then takes the
first of these that applies:

1. nothing changed (same inputs, options and templates; no future article has
   come due; every output file as written): nothing is read or written;
2. only edits that leave where each article is listed as it was (each edited
   article's `context.placement`: URL, date, topic, tags, ...; no file added or
   removed; same templates and options; output intact): the structure is reused
   and only the pages showing the edited articles are rendered: for a body
   edit, its page and the feeds carrying it; for a title, highlight or summary
   edit, also every page with its card (`plan.plan_showing`);
3. otherwise everything is rendered (in parallel), with unchanged articles
   taken from the cache and the structure reused when every placement is equal.

A stamp is trusted only when the file was last modified well before the build
that recorded it (`RACY_NS`, as git does for its index); a younger file is read
and compared by content hash. The result is byte-identical to a clean build.
"""

from __future__ import annotations

import os
import time
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.engine import cache, search
from generator.engine.load import split, when
from generator.engine.parallel import errors_of, parse_many, render_site
from generator.engine.progress import Bar
from generator.engine.sources import Stamp, add_static, content_files, file_stamp, sources, static_files
from generator.engine.totals import Totals
from generator.errors import DigestError
from generator.pages.context import Views, listing, make_views, placement
from generator.pages.plan import plan_edited
from generator.pages.render import make_env, render_job
from generator.publish.output import MARKER, WriteStats
from generator.publish.write import Publish, write_site
from generator.site import urls as u
from generator.site.config import SiteConfig
from generator.site.model import Article, Site, make_site

RACY_NS = 2_000_000_000  # a file modified this close before a build is checked by content next time
SHARDS = 16  # parsed articles are kept in this many files, so one edit rewrites one of them


@dataclass(frozen=True, slots=True)
class State:
    parse_key: bytes
    render_key: bytes
    scanned_ns: int  # wall clock when the build that wrote this state looked at its inputs
    tokens: tuple[int, ...]  # for each shard of the articles cache, the token its file was written with
    content: dict[str, tuple[Stamp, bytes]]  # content file (site-relative) -> (stamp, content hash)
    static: dict[str, tuple[str, Stamp]]  # static output path -> (source file, stamp)
    outputs: dict[str, Stamp]  # output file -> (mtime_ns, size, inode) after the write
    order: tuple[str, ...]  # published article keys, newest first
    structure: tuple[dict[str, Any], ...]  # topics, tags, neighbours, related
    due: datetime | None  # the earliest date of an article left out for being in the future
    totals: Totals


def build_cached(config: SiteConfig, target: Path, *, base_url: str | None, drafts: bool, now: datetime | None,
                 jobs: int, bar: Bar) -> tuple[Totals, WriteStats, search.Indexer | None]:
    scanned = time.time_ns()
    folder = cache.cache_dir(config)
    parse_key = cache.parse_key(config)
    render_key = cache.render_key(config, base_url=base_url, drafts=drafts, output=target)
    files = {f.relative_to(config.root).as_posix(): f for f in content_files(config)}
    stamps = {rel: _stat(f) for rel, f in files.items()}
    static = {rel: (str(src), _stat(src)) for rel, src in static_files(config).items()}
    state = cache.load(folder / "state")
    if not isinstance(state, State) or state.parse_key != parse_key:
        state = None

    data: dict[str, bytes] = {}  # files read to check their content
    unchanged = _unchanged(state, files, stamps, data) if state else set()
    urls = u.Urls.for_base(base_url or config.base_url)
    search_key = f"{search.version()}\0{config.language}\0{urls.prefix}"
    indexer = search.load_indexer(folder, search_key) if config.search else None
    if (state is not None and state.render_key == render_key and unchanged == files.keys() == state.content.keys()
            and static == state.static and (state.due is None or when(config, now) < state.due)
            and _intact(target, state.outputs)):
        return state.totals, WriteStats(written=0, unchanged=len(state.outputs) - 1, removed=0), indexer
    indexed_before = set(indexer.bundles) if indexer else set()

    old = _load_articles(folder, state)
    redo = [rel for rel in files if rel not in unchanged or rel not in old]
    bar.expect(len(redo))
    parsed = dict(zip(redo, parse_many(config, [(files[rel], data.get(rel)) for rel in redo], jobs=jobs,
                                       progress=bar.step), strict=True))
    errors = [e for _h, _a, problems in parsed.values() for e in errors_of(problems)]
    articles = {rel: old[rel] if rel not in parsed else parsed[rel][1] for rel in files}
    hashes = {rel: parsed[rel][0] if rel in parsed else state.content[rel][1]
              for rel in files}
    published, future, left_out = split(config, [a for a in articles.values() if a is not None], errors,
                                        drafts=drafts, now=now)
    order = tuple(a.key for a in sorted(published, key=lambda a: a.sort_key))
    same_shape = (state is not None and files.keys() == state.content.keys() and order == state.order
                  and all(rel in old and placement(articles[rel]) == placement(old[rel]) for rel in parsed))
    site = _reused_site(state, published, order) if same_shape and state else make_site(config, published)
    views = make_views(config, site, urls)
    if same_shape and state is not None and state.render_key == render_key and _intact(target, state.outputs):
        edited = {a.key: listing(a) != listing(old[rel]) for rel, a in ((rel, articles[rel]) for rel in parsed)
                  if a is not None and a.key in site.articles}
        pages, feeds, stats, outputs = _write_edited(config, target, state, views, edited, indexer, jobs)
    else:
        bar.expect(len(files))
        with Publish(target, sources=sources(config)) as publish:
            collector = search.Collector(site) if indexer is not None else None
            out, pages, feeds = render_site(views, make_env(config), jobs=jobs, progress=bar.step,
                                            sink=collector.wrap(publish.add) if collector else publish.add)
            if collector is not None and indexer is not None:
                out.update(collector.index(indexer, prefix=urls.prefix, language=config.language, jobs=jobs,
                                           load=search.cached_files(folder)))
            add_static(config, out, generated=publish.names)
            publish.add(out)
            stats = publish.finish()
        outputs = _outputs(target, [*publish.names, MARKER])
    totals = Totals(len(site.articles), len(site.topics), len(site.tags), pages, feeds, len(left_out), future)
    tokens = _save_articles(folder, state, old, articles, scanned)
    structure = (dict(site.topics), dict(site.tags), dict(site.neighbours), dict(site.related))
    cache.save(folder / "state", State(
        parse_key, render_key, scanned, tokens, {rel: (stamps[rel], hashes[rel]) for rel in files}, static,
        outputs, order, structure, min((a.date for a in future), default=None), totals))
    if indexer is not None:
        search.save_indexer(folder, search_key, indexer, indexed_before)
    return totals, stats, indexer


def _reused_site(state: State, published: list[Article], order: tuple[str, ...]) -> Site:
    """The last build's structure around this build's articles (every placement is as it was)."""
    by_key = {a.key: a for a in published}
    topics, tags, neighbours, related = (MappingProxyType(m) for m in state.structure)
    return Site(MappingProxyType({k: by_key[k] for k in order}), topics, tags, neighbours, related)


def _write_edited(config: SiteConfig, target: Path, state: State, views: Views, edited: dict[str, bool],
                  indexer: search.Indexer | None, jobs: int) -> tuple[int, int, WriteStats, dict[str, Stamp]]:
    """Only the pages that show the `edited` articles are rendered: their own pages and the feeds carrying
    them, and, for those whose `listing` changed (True), every page with their card; only the search bundles
    holding a page that changed are indexed. Every other file of the last build is kept as it is. (pages,
    feeds, what was written, the outputs' stamps)"""
    env = make_env(config)
    out = {job.path: render_job(env, job) for job in plan_edited(views, edited)}
    wanted: set[str] = set()
    if indexer is not None:
        out.update(_reindex(config, target, views, out, indexer, jobs))
        wanted = indexer.paths()
    index_files = {rel for rel in state.outputs if rel.startswith(search.BUNDLES)}
    keep = state.outputs.keys() - state.static.keys() - {MARKER} - out.keys() - (index_files - wanted)
    add_static(config, out, generated=keep)
    stats = write_site(target, out, sources=sources(config), keep=keep)
    outputs = {rel: stamp for rel, stamp in state.outputs.items() if rel in keep}
    outputs.update(_outputs(target, [*(out.keys() - outputs.keys()), MARKER]))
    return state.totals.pages, state.totals.feeds, stats, outputs


def _reindex(config: SiteConfig, target: Path, views: Views, out: dict[str, bytes], indexer: search.Indexer,
             jobs: int) -> dict[str, bytes]:
    """The files of the search bundles holding a page of `out` that changed (the others' pages are read
    from the output, which is as the last build left it), and the runtime."""
    before = indexer.page_hashes()

    def hash_of(rel: str) -> bytes:
        if rel in out:
            return search.page_hash(out[rel])
        return before.get(rel) or search.page_hash((target / rel).read_bytes())

    wanted = search.wanted_hashes(views.site, hash_of)
    return indexer.index(wanted, lambda rel: out[rel] if rel in out else target / rel, prefix=views.urls.prefix,
                         language=config.language, jobs=jobs)


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


def _load_articles(folder: Path, state: State | None) -> dict[str, Article]:
    """The parsed articles the last build kept, from each shard written with the token `state` records."""
    articles: dict[str, Article] = {}
    for shard, token in enumerate(state.tokens if state is not None else ()):
        stored = cache.load(folder / f"articles-{shard:02d}")
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token and isinstance(stored[1], dict):
            articles.update(stored[1])
    return articles


def _save_articles(folder: Path, state: State | None, old: dict[str, Article],
                   articles: dict[str, Article | None], scanned: int) -> tuple[int, ...]:
    """Write the shards whose articles differ from the kept ones; the token of each shard."""
    shards: list[dict[str, Article]] = [{} for _ in range(SHARDS)]
    for rel, article in articles.items():
        if article is not None:
            shards[_shard(rel)][rel] = article
    kept: list[set[str]] = [set() for _ in range(SHARDS)]
    for rel in old:
        kept[_shard(rel)].add(rel)
    tokens = list(state.tokens) if state is not None and len(state.tokens) == SHARDS else [0] * SHARDS
    for shard, mine in enumerate(shards):
        if tokens[shard] == 0 or mine.keys() != kept[shard] or any(mine[rel] is not old[rel] for rel in mine):
            tokens[shard] = scanned
            cache.save(folder / f"articles-{shard:02d}", (scanned, mine))
    return tuple(tokens)


def _stat(file: Path) -> Stamp:
    try:
        return file_stamp(file)
    except OSError:
        return (0, -1, 0)  # vanished: never equal to a recorded stamp; parsing reports it


def _unchanged(state: State, files: dict[str, Path], stamps: dict[str, Stamp], data: dict[str, bytes]) -> set[str]:
    """The content files whose bytes are those the last build saw (trusting only old enough stamps)."""
    same = set()
    for rel, stamp in stamps.items():
        recorded = state.content.get(rel)
        if recorded is None:
            continue
        if recorded[0] == stamp and stamp[0] < state.scanned_ns - RACY_NS:
            same.add(rel)
            continue
        try:
            data[rel] = files[rel].read_bytes()
        except OSError:
            continue  # parsing reports it
        if cache.content_hash(data[rel]) == recorded[1]:
            same.add(rel)
    return same


def _outputs(target: Path, rels: list[str]) -> dict[str, Stamp]:
    stamps = {}
    for rel in rels:
        try:
            st = os.stat(target / rel)
        except OSError:
            raise DigestError(f"{target / rel}: vanished while the site was written") from None
        stamps[rel] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return stamps


def _intact(target: Path, outputs: dict[str, Stamp]) -> bool:
    """Every file of the last build still there, as it was written."""
    for rel, recorded in outputs.items():
        try:
            st = os.stat(target / rel)
        except OSError:
            return False
        if (st.st_mtime_ns, st.st_size, st.st_ino) != recorded:
            return False
    return True
