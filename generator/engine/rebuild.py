"""The preview's handle on the engine: `Rebuilder` runs `incremental.Build` with a `MemoryStore` (so the
last good build, its views and every page's context stay in memory) and a `MemorySite` sink (the files
`digest serve` serves), and turns each watcher's `ChangeSet` into a run.

What a change re-renders is the engine's to decide, as for `digest build`: an
edited article re-renders its own page and the feeds that carry it (and the
pages with its card when its title, highlights or summary changed); a move
(date, topic, tags), an added or deleted file, or an article coming due
re-plans the site, and only the pages whose context changed are rendered; a
stylesheet change re-reads the static files only; a template or `site.yaml`
change renders every page again. What this module adds is the preview's way
with mistakes: a failed build keeps the last good site and its error, and its
changes are applied with the next one; messages name files as `digest build`
does. What the last build left out (future articles, drafts) is kept with the
site (`loaded`), for the preview to report. The search index is not built here:
the preview's `BackgroundIndex` builds it from `views` and `files`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.engine.changes import Change, ChangeSet, Kind
from generator.engine.incremental import Build
from generator.engine.load import LoadedSite
from generator.engine.sinks import MemorySite
from generator.engine.state import MemoryStore
from generator.errors import DigestError, shown
from generator.pages.context import Views
from generator.site.config import SiteConfig, load_config
from generator.site.model import Article


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rebuild did: the files that changed (or vanished), or the error that stopped it."""

    changed: frozenset[str] = frozenset()
    rendered: int = 0
    error: str | None = None
    seconds: float = 0.0
    fast: bool = False  # True when only the pages showing the edited articles were re-planned
    skipped: tuple[Article, ...] = ()  # left out for being dated in the future (each with its `date`)
    drafts: tuple[Article, ...] = ()  # drafts left out (none with --drafts)
    due: datetime | None = None  # when the first of the `skipped` comes due: rebuild then, and it appears


@dataclass(slots=True)
class Rebuilder:
    """Holds the last good site in memory and brings it up to date with each change set."""

    root: Path
    base_url: str | None = None
    drafts: bool = False
    config: SiteConfig | None = None
    error: str | None = None
    loaded: LoadedSite | None = None  # the last good build's site, and the articles it left out
    _site: MemorySite = field(default_factory=MemorySite)
    _build: Build = field(init=False)
    _unapplied: frozenset[Change] = frozenset()  # changes of builds that failed: applied with the next
    _rescan: bool = False  # a build that was to look at every input failed: so does the next

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self._build = Build(MemoryStore(), base_url=self.base_url, drafts=self.drafts, search=False)

    @property
    def files(self) -> dict[str, bytes]:
        """The site being served: output path -> bytes (a new mapping after each build that changed it)."""
        return self._site.files

    @property
    def views(self) -> Views | None:
        """The views of the last good site (None before the first)."""
        warm = self._build.store.warm
        return warm.views if warm is not None and self.loaded is not None else None

    def full(self) -> Outcome:
        """Look at every input again (start-up, or when the watcher cannot tell what changed)."""
        return self.apply(ChangeSet(frozenset()), everything=True)

    def apply(self, changes: ChangeSet, *, everything: bool = False) -> Outcome:
        start = time.perf_counter()
        changes = ChangeSet(changes.changes | self._unapplied)
        everything = everything or self._rescan
        try:
            config = self.config
            if everything or config is None or Kind.CONFIG in changes.kinds:
                config = load_config(shown(self.root))  # messages name files as `digest build` does
            result = self._build.run(config, self._site, changes=None if everything else changes)
        except (DigestError, OSError) as exc:  # OSError: a file vanished or became unreadable mid-build
            self._unapplied, self._rescan = changes.changes, everything
            if isinstance(exc, DigestError):
                self.error = str(exc)
            else:
                self.error = f"{shown(exc.filename) if exc.filename else 'a file'}: {exc.strerror or exc}"
            return Outcome(error=self.error, seconds=time.perf_counter() - start)
        self.config, self.error, self._unapplied, self._rescan = config, None, frozenset(), False
        if result.site is not None:  # (None: nothing changed, the last one holds)
            self.loaded = LoadedSite(result.site, result.totals.skipped, result.drafts)
        return Outcome(changed=result.report, rendered=result.rendered, seconds=time.perf_counter() - start,
                       fast=result.fast, skipped=result.totals.skipped, drafts=result.drafts,
                       due=result.totals.due)
