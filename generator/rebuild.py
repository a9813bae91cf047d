"""In-memory, incremental rebuilds for the preview server.

The pipeline is the build's own (`load_site` -> `plan_pages` -> `render_job`);
what this adds is memory. Each page's output is a pure function of its
template and its context, so a page whose template did not change and whose
context compares equal to last time keeps its bytes without being rendered
again. An edited article therefore re-renders its own page and the lists and
feeds that show it, and nothing else; a stylesheet change re-reads static
files only; a template or `site.yaml` change renders every page again.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build import load_site, plan_pages, static_files
from generator.config import SiteConfig, load_config
from generator.errors import DigestError
from generator.render import make_env, render_job
from generator.watch import ChangeSet, Kind


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rebuild did: the files that changed (or vanished), or the error that stopped it."""

    changed: frozenset[str] = frozenset()
    rendered: int = 0
    error: str | None = None
    seconds: float = 0.0


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
    _pages: dict[str, _Page] = field(default_factory=dict)
    _env: Any = None

    def full(self) -> Outcome:
        """Build everything from scratch (start-up, or after a failed build)."""
        return self.apply(ChangeSet(frozenset()), everything=True)

    def apply(self, changes: ChangeSet, *, everything: bool = False) -> Outcome:
        start = time.perf_counter()
        kinds = changes.kinds
        everything = everything or self.config is None or self.error is not None
        try:
            config = self.config
            if everything or Kind.CONFIG in kinds or config is None:
                config = load_config(self.root)
            rerender_all = everything or bool(kinds & {Kind.CONFIG, Kind.TEMPLATE})
            env = make_env(config) if rerender_all or self._env is None else self._env
            pages, rendered = self._pages, 0
            if rerender_all or Kind.CONTENT in kinds:
                pages, rendered = self._render(config, env, rerender_all)
            statics = {rel: src.read_bytes() for rel, src in static_files(config).items()}
        except DigestError as exc:
            self.error = str(exc)
            return Outcome(error=self.error, seconds=time.perf_counter() - start)
        except OSError as exc:  # a file vanished or became unreadable between listing and reading
            self.error = f"{exc.filename or 'a file'}: {exc.strerror or exc}"
            return Outcome(error=self.error, seconds=time.perf_counter() - start)
        files = {path: page.data for path, page in pages.items()}
        files.update(statics)
        changed = frozenset(
            path for path in files.keys() | self.files.keys() if files.get(path) != self.files.get(path)
        )
        self.config, self._env, self._pages, self.files, self.error = config, env, pages, files, None
        return Outcome(changed=changed, rendered=rendered, seconds=time.perf_counter() - start)

    def _render(self, config: SiteConfig, env: Any, rerender_all: bool) -> tuple[dict[str, _Page], int]:
        site = load_site(config, drafts=self.drafts).site
        pages: dict[str, _Page] = {}
        rendered = 0
        for job in plan_pages(config, site, base_url=self.base_url):
            old = self._pages.get(job.path)
            if not rerender_all and old is not None and old.template == job.template and old.context == job.context:
                pages[job.path] = old
                continue
            pages[job.path] = _Page(job.template, job.context, render_job(env, job))
            rendered += 1
        return pages, rendered
