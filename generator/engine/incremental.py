"""The one incremental engine, `Build`: what `digest build` and `digest serve` both run.

A `Build` holds the last good build in a `state.Store`: `DiskStore`
(`.digest-cache/`) for `digest build`, `MemoryStore` for `digest serve` (and,
empty, for a build without the cache). Each `run(config, sink)` does four
things, in this order, and nothing else in digest decides what to redo:

1. **What changed, so which pages.** `detect.scan` compares the inputs with the
   state. Nothing changed (and no future article has come due, and the sink's
   output is as it was left): nothing is read, rendered or delivered. Edits
   that leave every article where it is listed (`context.placement`: URL,
   date, topic, tags, ...; no file added or removed; drafts published or not
   as last time): the structure is reused and only the pages showing the
   edited articles are planned
   (`plan.plan_edited`: for a body edit, the article's page and the feeds that
   carry it; for a title, highlight or summary edit (`context.listing`), every
   page with its card too). Anything else: every page is planned.
2. **Parse only what changed:** the content files whose bytes are new
   (`parallel.parse_many`, in workers when there are enough); every other
   article comes from the store.
3. **Render,** in parallel when it pays (`parallel.render_site`,
   `parallel.render_jobs`). A store that keeps pages in memory (the preview's)
   also skips every page whose template and context are those of last time.
4. **Hand the bytes to the sink** (`sinks`): `OutputFolder` (`publish.write`,
   the new site put together beside the output and swapped in) for
   `digest build`, `MemorySite` for `digest serve`.

Where a feature is taught to the engine, once for both commands:

- a new kind of page or feed (editions, another feed format) is `pages/`
  only: its `Part` and jobs in `pages/plan.py`, and, when it shows articles,
  its place in `plan.plan_showing`, which is what step 1 plans after an edit;
  the engine renders whatever the plan names, and `parallel.render_site`
  counts pages and feeds;
- an output made from other outputs or from files rather than from a page job
  (the static files; the search index, `search.Indexer`) goes in
  `Build._others`, the one step between rendering and delivery, which sees the
  rendered bytes; what it keeps between builds goes in the `State` (the
  index's bundles and their page hashes; a `DiskStore` keeps each bundle's
  files beside it), so a cached build indexes only the bundles whose pages
  changed and a build from an empty store indexes them all;
- a new kind of input goes in `detect.scan` (and `changes.classify` for the
  preview's watcher).

The result is byte-identical to a clean build, whatever the store held.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from generator.engine import search
from generator.engine.changes import ChangeSet
from generator.engine.detect import Inputs, scan
from generator.engine.load import split, when
from generator.engine.sinks import Sink
from generator.engine.sources import add_static
from generator.engine.state import State, Warm
from generator.engine.totals import Totals
from generator.site import urls as u
from generator.site.config import SiteConfig
from generator.site.model import Article, Site, make_site

if TYPE_CHECKING:
    import jinja2

    from generator.engine.parallel import Memo, Parsed


class Store(Protocol):
    warm: Warm | None
    remember_pages: bool
    bytecode: jinja2.BytecodeCache | None  # where compiled templates are kept between builds (None: nowhere)

    def load(self) -> State | None: ...
    def articles(self, state: State | None) -> dict[str, Article]: ...
    def save(self, state: State, articles: dict[str, Article], warm: Warm | None) -> None: ...
    def search_files(self) -> search.Loader | None: ...


class Progress(Protocol):
    def expect(self, n: int) -> None: ...
    def step(self, n: int) -> None: ...


@dataclass(frozen=True, slots=True)
class Result:
    """What one run did."""

    totals: Totals  # what the summary line reports; `totals.skipped`: the articles left out for their date
    report: Any  # what the sink did: `WriteStats` (output folder), the paths that changed (memory site)
    rendered: int = 0  # pages and feeds rendered
    fast: bool = True  # the site was not planned again: only the pages showing the edited articles, or nothing
    static: int = 0  # static files delivered
    drafts: tuple[Article, ...] = ()  # drafts left out
    site: Site | None = None  # the site built (None when nothing changed)
    search: search.Indexer | None = None  # what indexing did (None with `search: false`, or not indexed here)


@dataclass(frozen=True, slots=True)
class _Model:
    articles: dict[str, Article]  # every content file's article (relative path -> article)
    site: Site
    future: tuple[Article, ...]  # left out for their date
    drafts: tuple[Article, ...]  # left out for being drafts
    edited: dict[str, bool] | None  # nothing moved: edited key -> whether its `listing` changed; else None


class Build:
    """The last good build (in `store`), brought up to date by each `run`."""

    def __init__(self, store: Store, *, base_url: str | None = None, drafts: bool = False, jobs: int = 1,
                 search: bool = True) -> None:
        self.store, self.base_url, self.drafts, self.jobs = store, base_url, drafts, jobs
        self.search = search  # False: no index here, whatever `site.yaml` says (the preview indexes in the background)

    def run(self, config: SiteConfig, sink: Sink, *, changes: ChangeSet | None = None, now: datetime | None = None,
            progress: Progress | None = None) -> Result:
        """Bring `sink` up to date with the site in `config.root`. `changes` (a watcher's) names what changed;
        without, every input is looked at. Raises `DigestError` (nothing delivered, the store as it was)."""
        bar = progress or _Silent()
        # 1. What changed.
        inputs = scan(config, self.store.load(), changes, base_url=self.base_url, drafts=self.drafts,
                      output=sink.label)
        prev, moment = inputs.previous, when(config, now)
        came_due = prev is not None and prev.totals.due is not None and moment >= prev.totals.due
        urls = u.Urls.for_base(self.base_url or config.base_url)
        indexing = self.search and config.search
        # What the index is made with (Pagefind's version comes from importlib.metadata: looked up for an index only).
        search_key = f"{search.version()}\0{config.language}\0{urls.prefix}" if indexing else ""
        if prev is not None and inputs.nothing and not came_due and sink.intact(prev.recorded):
            return Result(prev.totals, sink.untouched(prev.recorded), drafts=prev.drafts,
                          search=_indexer(prev, search_key) if indexing else None)
        # Something to do: the steps that parse, plan and render, imported now (with Jinja and markdown-it, they
        # are most of digest's start-up; a build with nothing to do needs none of them).
        from generator.engine.parallel import frozen, render_jobs, render_site
        from generator.pages.context import make_views
        from generator.pages.plan import plan_edited
        from generator.pages.render import make_env

        # 2. Parse only what changed; the model around it.
        old = self.store.articles(prev)
        # The stored articles live as long as the build: frozen, the cyclic collector leaves them out of every
        # collection the rest of the build sets off (a full one walked all 10,000s of their objects again).
        with frozen():
            parsed = self._parse(config, inputs, old, bar)
            model = self._model(config, inputs, old, parsed, moment, came_due)
            # 1, continued: which pages. Only those showing the edited articles when nothing moved, the templates
            # and options are those of last time and the sink's output is as it was left; else every page.
            warm = self.store.warm if prev is not None and prev.render_key == inputs.render_key else None
            fast = (prev is not None and model.edited is not None and prev.render_key == inputs.render_key
                    and sink.intact(prev.recorded))
            if fast and warm is not None and model.edited is not None and not any(model.edited.values()):
                views = dataclasses.replace(warm.views, site=model.site)  # the cards are as they were
            else:
                views = make_views(config, model.site, urls, lazy=fast)  # after an edit, a few pages are rendered
            planned = plan_edited(views, model.edited) if fast and model.edited is not None else None
            env = warm.env if warm is not None else make_env(config, bytecode=self.store.bytecode)
            memo: Memo | None = (warm.memo if warm is not None else {}) if self.store.remember_pages else None
            indexer = _indexer(prev, search_key) if indexing else None
            before = indexer.paths() if indexer is not None else set()  # the last build's index files
            # 3. Render; 4. hand the bytes to the sink.
            if planned is not None and prev is not None:  # the sink keeps every other file of the last build
                rendering = render_jobs(env, planned, jobs=self.jobs, memo=memo)
                generated, pages, feeds = set(prev.generated), prev.totals.pages, prev.totals.feeds
                static = self._others(config, views, rendering.files, generated=generated, indexer=indexer,
                                      page=_page_of(rendering.files, sink))
                stale = before - (indexer.paths() if indexer is not None else set())
                generated = (generated - stale) | (indexer.paths() if indexer is not None else set())
                keep = generated - rendering.files.keys()
                with sink.begin(keep, prev.recorded) as out:
                    out.add(rendering.files)
                    report, recorded = out.finish()
            else:
                with sink.begin(set(), prev.recorded if prev is not None else None) as out:
                    bar.expect(len(inputs.listing))
                    collector = search.Collector(model.site) if indexer is not None else None
                    rendering = render_site(views, env, jobs=self.jobs, progress=bar.step,
                                            sink=collector.wrap(out.add) if collector else out.add, memo=memo)
                    generated = set(out.names) | rendering.files.keys()
                    pages, feeds = rendering.pages, rendering.feeds
                    if collector is not None:
                        collector.pages.update((rel, data) for rel, data in rendering.files.items()
                                               if rel in collector.paths)
                    static = self._others(config, views, rendering.files, generated=set(out.names), indexer=indexer,
                                          collector=collector)
                    if indexer is not None:
                        generated |= indexer.paths()
                    out.add(rendering.files)
                    report, recorded = out.finish()

            site = model.site
            totals = Totals(len(site.articles), len(site.topics), len(site.tags), pages, feeds, len(model.drafts),
                            model.future)
            state = State(inputs.parse_key, inputs.render_key, inputs.scanned_ns, _content(inputs, parsed),
                          inputs.static, frozenset(generated), recorded, site.order,
                          (site.topics, site.tags, site.neighbours, site.related), model.drafts, totals,
                          prev.tokens if prev is not None else (),
                          (search_key, indexer) if indexer is not None else None, self.drafts)
            self.store.save(state, model.articles, Warm(views, env, rendering.memo))
            return Result(totals, report, rendering.rendered, planned is not None, static, model.drafts, site, indexer)

    def _parse(self, config: SiteConfig, inputs: Inputs, old: Mapping[str, Article],
               bar: Progress) -> dict[str, Parsed]:
        """Step 2: the content files whose bytes the store does not hold parsed, parsed (rel -> outcome)."""
        from generator.engine.parallel import parse_many

        redo = [rel for rel in inputs.listing if rel not in inputs.unchanged or rel not in old]
        bar.expect(len(redo))
        files = [(config.root / rel, inputs.data.get(rel)) for rel in redo]
        return dict(zip(redo, parse_many(config, files, jobs=self.jobs, progress=bar.step), strict=True))

    def _model(self, config: SiteConfig, inputs: Inputs, old: Mapping[str, Article],
               parsed: Mapping[str, Parsed], moment: datetime, came_due: bool) -> _Model:
        """The site of this build's articles. Where every edited article is listed where it was (same
        `placement`, no file added or removed, no article come due), the last build's structure is reused."""
        from generator.engine.parallel import errors_of
        from generator.pages.context import listing, placement

        prev = inputs.previous
        articles = _articles(inputs, old, parsed)
        edits = {rel: a for rel, (_h, a, _p) in parsed.items() if a is not None}
        # Unmoved: the last split holds (the same files, placed as they were, drafts published or not as then).
        unmoved = (prev is not None and inputs.same_listing and len(edits) == len(parsed)
                   and prev.with_drafts == self.drafts
                   and all(rel in old and placement(a) == placement(old[rel]) for rel, a in edits.items()))
        if unmoved and not came_due and prev is not None:  # the last build's split holds
            swapped = {a.key: a for a in edits.values()}
            future = tuple(swapped.get(a.key, a) for a in prev.totals.skipped)
            drafts = tuple(swapped.get(a.key, a) for a in prev.drafts)
            order, published = prev.order, list[Article]()
        else:
            errors = [e for _h, _a, problems in parsed.values() for e in errors_of(problems)]
            listed = [articles[rel] for rel in inputs.listing if rel in articles]
            published, future, drafts = split(config, listed, errors, drafts=self.drafts, now=moment)
            order = tuple(a.key for a in sorted(published, key=lambda a: a.sort_key))
        if not (unmoved and prev is not None and order == prev.order):
            return _Model(articles, make_site(config, published), future, drafts, None)
        site = self._reused_site(prev, articles, order, edits.values())
        edited = {a.key: listing(a) != listing(old[rel]) for rel, a in edits.items() if a.key in site.articles}
        return _Model(articles, site, future, drafts, edited)

    def _reused_site(self, prev: State, articles: Mapping[str, Article], order: tuple[str, ...],
                     edits: Any) -> Site:
        """The last build's site with this build's articles in it (every article is listed where it was)."""
        warm = self.store.warm
        if warm is not None:
            store = dict(warm.views.site.articles)
            for a in edits:
                if a.key in store:  # drafts and future articles are in the store, not the site
                    store[a.key] = a
            return dataclasses.replace(warm.views.site, articles=MappingProxyType(store))
        by_key = {a.key: a for a in articles.values()}
        topics, tags, neighbours, related = (m if isinstance(m, MappingProxyType) else MappingProxyType(m)
                                             for m in prev.structure)
        return Site(MappingProxyType({k: by_key[k] for k in order}), topics, tags, neighbours, related)

    def _others(self, config: SiteConfig, views: Any, files: dict[str, bytes], *, generated: set[str],
                indexer: search.Indexer | None, collector: search.Collector | None = None,
                page: Any = None) -> int:
        """The outputs that are not page jobs, added to `files` (the rendered pages not yet delivered) once
        every page is rendered: the search index (with `indexer`), then the static files, never over a
        generated file (those in `files` and `generated`). The number of static files.

        The index: after a full render, from the pages the `collector` kept as they were delivered (the
        bundles whose pages are as last time come from the store); after an edit, only the bundles holding a
        page that changed, the others' pages read with `page(path)` (the sink holds them as they were)."""
        if indexer is not None:
            prefix, language = views.urls.prefix, config.language
            if collector is not None:
                files.update(collector.index(indexer, prefix=prefix, language=language, jobs=self.jobs,
                                             load=self.store.search_files()))
            else:
                before = indexer.page_hashes()

                def hash_of(rel: str) -> bytes:
                    if rel in files:
                        return search.page_hash(files[rel])
                    known = before.get(rel)
                    if known is not None:
                        return known
                    data = page(rel)
                    return search.page_hash(data if isinstance(data, bytes) else data.read_bytes())

                wanted = search.wanted_hashes(views.site, hash_of)
                files.update(indexer.index(wanted, page, prefix=prefix, language=language, jobs=self.jobs))
        return add_static(config, files, generated=generated)


def _articles(inputs: Inputs, old: Mapping[str, Article], parsed: Mapping[str, Parsed]) -> dict[str, Article]:
    """Every content file's article (rel -> article): the parsed ones, the others from the store."""
    if inputs.same_listing and len(parsed) < len(inputs.listing) // 2:
        articles = dict(old)
        for rel, (_h, article, _p) in parsed.items():
            if article is None:
                articles.pop(rel, None)
            else:
                articles[rel] = article
        return articles
    out = {}
    for rel in inputs.listing:
        article = parsed[rel][1] if rel in parsed else old.get(rel)
        if article is not None:
            out[rel] = article
    return out


def _indexer(prev: State | None, key: str) -> search.Indexer:
    """The index the last build left (its bundles; none when it was made for another Pagefind, language or
    base URL, `key`), to be brought up to date: a copy, so a build that fails leaves the store's as it was."""
    kept = prev.search if prev is not None else None
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key and isinstance(kept[1], search.Indexer)):
        return search.Indexer()
    old = kept[1]
    return search.Indexer(dict(old.bundles), dict(old.runtime), old.order)


def _page_of(files: Mapping[str, bytes], sink: Sink) -> Any:
    """A page of this build by output path: rendered now (`files`), or as the sink holds it from the last."""
    def page(rel: str) -> bytes | Any:
        return files[rel] if rel in files else sink.page(rel)
    return page


def _content(inputs: Inputs, parsed: Mapping[str, Parsed]) -> dict[str, Any]:
    """What the state records of each content file: (stamp, content hash); the last build's pair where it is
    the same (a `DiskStore` writes only what is not the last state's)."""
    prev = inputs.previous
    recorded = prev.content if prev is not None else {}
    if prev is not None and len(inputs.stamps) < len(inputs.listing):  # only the named files were looked at
        content = dict(recorded)
        for rel, stamp in inputs.stamps.items():
            content[rel] = _same((stamp, parsed[rel][0] if rel in parsed else recorded[rel][1]), recorded.get(rel))
        return content
    return {rel: _same((inputs.stamps[rel], parsed[rel][0] if rel in parsed else recorded[rel][1]), recorded.get(rel))
            for rel in inputs.listing}


def _same(new: Any, old: Any) -> Any:
    return old if old == new else new



class _Silent:
    def expect(self, n: int) -> None:
        pass

    def step(self, n: int) -> None:
        pass
