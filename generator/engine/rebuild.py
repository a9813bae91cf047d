"""In-memory, incremental rebuilds for the preview server.

The pipeline is the build's own (`load_site` -> views -> page jobs ->
`render_job`); what this adds is memory:

- parsed articles are kept, so only files that changed are parsed again;
- each page's output is a pure function of its template and its context, so a
  page whose template did not change and whose context compares equal to last
  time keeps its bytes without being rendered again;
- an edit that leaves where an article is listed as it was (`context.placement`:
  URL, date, topic, tags, ...) swaps the article into the model and re-renders
  only the pages that show it, without re-planning the site: for a body edit,
  its own page and the feeds that carry it; for a title, highlight or summary
  edit, also the pages with its card (`plan.plan_showing`). The common case of
  fixing a sentence or a headline costs about the same on a 10,000-article site
  as on a 6-article one.

A stylesheet change re-reads static files only; a template or `site.yaml`
change renders every page again. What the last build left out (future articles,
drafts) is kept with the site (`loaded`), for the preview to report.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.engine.changes import Change, ChangeSet, Kind
from generator.engine.load import LoadedSite, ParseCache, load_site, parse_files
from generator.engine.sources import add_static
from generator.errors import BuildError, DigestError, shown
from generator.pages.context import Views, listing, make_views, placement
from generator.pages.plan import plan_edited, plan_views
from generator.pages.render import make_env, render_job
from generator.site import urls as u
from generator.site.config import SiteConfig, load_config


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rebuild did: the files that changed (or vanished), or the error that stopped it."""

    changed: frozenset[str] = frozenset()
    rendered: int = 0
    error: str | None = None
    seconds: float = 0.0
    fast: bool = False  # True when only the pages showing the edited articles were re-planned


@dataclass(slots=True)
class _Page:
    template: str
    context: Mapping[str, Any]
    data: bytes


@dataclass(slots=True)
class Rebuilder:
    """Holds the last good site in memory and brings it up to date with each change set."""

    root: Path
    base_url: str | None = None
    drafts: bool = False
    config: SiteConfig | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    loaded: LoadedSite | None = None  # the last good build's load: its site, and what it left out
    _pages: dict[str, _Page] = field(default_factory=dict)
    _env: Any = None
    _views: Views | None = None
    _parsed: ParseCache = field(default_factory=dict)
    _unapplied: frozenset[Change] = frozenset()  # changes of builds that failed: applied with the next

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()  # parsed files are kept by absolute path

    @property
    def views(self) -> Views | None:
        """The views of the last good site (None before the first)."""
        return self._views

    def full(self) -> Outcome:
        """Build everything from scratch (start-up, or after a failed build)."""
        return self.apply(ChangeSet(frozenset()), everything=True)

    def apply(self, changes: ChangeSet, *, everything: bool = False) -> Outcome:
        start = time.perf_counter()
        changes = ChangeSet(changes.changes | self._unapplied)
        kinds = changes.kinds
        everything = everything or self.config is None
        try:
            config = self.config
            if everything or Kind.CONFIG in kinds or config is None:
                config = load_config(shown(self.root))  # messages name files as `digest build` does
                self._parsed.clear()  # parsing depends on the topics and time zone
            rerender_all = everything or bool(kinds & {Kind.CONFIG, Kind.TEMPLATE})
            env = make_env(config) if rerender_all or self._env is None else self._env
            pages, views, rendered, fast, loaded = self._pages, self._views, 0, False, self.loaded
            if rerender_all or Kind.CONTENT in kinds:
                quick = None if rerender_all else self._fast(config, env, changes)
                if quick is not None:
                    pages, views, rendered = quick
                    fast = True
                    if loaded is not None:  # the same articles left out; the edited ones swapped in
                        loaded = dataclasses.replace(loaded, site=views.site)
                else:
                    pages, views, rendered, loaded = self._render(config, env, rerender_all, changes)
            files = {path: page.data for path, page in pages.items()}
            add_static(config, files)  # as `digest build` does: never over a generated file
        except (DigestError, OSError) as exc:  # OSError: a file vanished or became unreadable mid-build
            self._unapplied = changes.changes
            if isinstance(exc, DigestError):
                self.error = str(exc)
            else:
                self.error = f"{shown(exc.filename) if exc.filename else 'a file'}: {exc.strerror or exc}"
            return Outcome(error=self.error, seconds=time.perf_counter() - start)
        changed = frozenset(
            path for path in files.keys() | self.files.keys() if files.get(path) != self.files.get(path)
        )
        self.config, self._env, self._pages, self._views, self.loaded = config, env, pages, views, loaded
        self.files, self.error, self._unapplied = files, None, frozenset()
        return Outcome(changed=changed, rendered=rendered, seconds=time.perf_counter() - start, fast=fast)

    def _render(self, config: SiteConfig, env: Any, rerender_all: bool,
                changes: ChangeSet) -> tuple[dict[str, _Page], Views, int, LoadedSite]:
        for rel in changes.paths(Kind.CONTENT):
            self._parsed.pop(self.root / rel, None)  # a same-size rewrite may keep its stamp
        loaded = load_site(config, drafts=self.drafts, cache=self._parsed)
        views = make_views(config, loaded.site, u.Urls.for_base(self.base_url or config.base_url))
        pages: dict[str, _Page] = {}
        rendered = 0
        for job in plan_views(views):
            old = self._pages.get(job.path)
            if not rerender_all and old is not None and old.template == job.template and old.context == job.context:
                pages[job.path] = old
                continue
            pages[job.path] = _Page(job.template, job.context, render_job(env, job))
            rendered += 1
        return pages, views, rendered, loaded

    def _fast(self, config: SiteConfig, env: Any, changes: ChangeSet) -> tuple[dict[str, _Page], Views, int] | None:
        """Re-render only the edited articles' pages and feeds, or None when the edit reaches further.

        It reaches further when a file was added, deleted or renamed, when an
        edited article's `listing` (what other pages show of it) changed, or when
        it was left out (a draft, or dated in the future: its moment may have come).
        """
        views = self._views
        files = [self.root / rel for rel in changes.paths(Kind.CONTENT)]
        if views is None or not all(f in self._parsed and f.is_file() for f in files):
            return None
        old = {f: self._parsed.pop(f)[1] for f in files}  # popped: parse them again, whatever their stamp
        new, errors = parse_files(config, files, self._parsed)
        if errors:
            raise BuildError(errors)
        store = dict(views.site.articles)
        edited: dict[str, bool] = {}  # key -> whether its listing changed
        for before, after in zip(old.values(), new, strict=True):
            if placement(after) != placement(before):
                return None  # the slow path re-plans; the cache already holds the new parse
            if before.key not in store:  # drafts and future articles are in the cache, not the site
                return None
            store[after.key] = after
            edited[after.key] = listing(after) != listing(before)
        site = dataclasses.replace(views.site, articles=MappingProxyType(store))
        views = make_views(config, site, views.urls) if any(edited.values()) else dataclasses.replace(views, site=site)
        pages = dict(self._pages)
        jobs = plan_edited(views, edited)
        for job in jobs:
            pages[job.path] = _Page(job.template, job.context, render_job(env, job))
        return pages, views, len(jobs)
