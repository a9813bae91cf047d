"""The preview's search index: built on a thread of its own after start, and again after edits, debounced.

Page requests never wait for it: the server serves the index files of the last
finished run (none before the first has finished), and an edit's rebuild and
live reload go on as before. Like `digest build`, only the bundles whose pages
changed are indexed again.

Pagefind names its index chunks, fragments and metadata by their content, and
a search page reads them one after the other: a reader that loaded the older
metadata just before a run finished asks next for chunks by their older names.
So the run before's files stay served where the last run has none (`file`): a
name never stands for other bytes, and no reader gets a 404 page where an
index chunk should be (which Pagefind reports as "invalid gzip data").
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping

from generator.engine import search
from generator.errors import DigestError
from generator.site.model import Site


NICE = 10  # as `nice` gives by default: the index still moves on a busy machine


def _yield_cpu() -> None:
    """Lower this thread's priority, and so that of the Pagefind runs it starts (which inherit it): with the
    rebuilds, the server and the browser on the same cores, a Pagefind run of seconds over a bundle no
    longer slows the next edit's way to the screen."""
    if sys.platform.startswith("linux"):  # a thread's own: elsewhere it would lower the whole preview
        try:
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + NICE))
        except OSError:
            pass


class BackgroundIndex:
    """Indexes the latest site handed to `schedule`, once `quiet` seconds have passed without another."""

    def __init__(self, log: Callable[[str], None], *, quiet: float = 0.3) -> None:
        self.log = log
        self.quiet = quiet
        self.indexer = search.Indexer()
        self._files: dict[str, bytes] = {}
        self._before: dict[str, bytes] = {}  # the files of the run before the last
        self._pending: tuple[Site, Mapping[str, bytes], str, str] | None = None
        self._hashes: dict[str, tuple[bytes, bytes]] = {}  # output path -> (the page's bytes, their hash)
        self._cond = threading.Condition()
        self._stopped = False
        self._runs = 0
        self._thread = threading.Thread(target=self._loop, name="digest-search", daemon=True)
        self._thread.start()

    @property
    def files(self) -> dict[str, bytes]:
        """The index files of the last finished run (output path -> bytes)."""
        with self._cond:
            return self._files

    def file(self, rel: str) -> bytes | None:
        """The index file to serve at `rel`: the last finished run's, else the run before's (None: neither)."""
        with self._cond:
            data = self._files.get(rel)
            return data if data is not None else self._before.get(rel)

    @property
    def runs(self) -> int:
        """How many runs have finished (with or without an error)."""
        with self._cond:
            return self._runs

    def schedule(self, site: Site | None, files: Mapping[str, bytes], *, prefix: str, language: str) -> None:
        """Index `site`, whose pages are in `files`, soon; None (`search: false`) drops the index."""
        with self._cond:
            if site is None:
                self._pending, self._files, self._before = None, {}, {}
            else:
                self._pending = (site, files, prefix, language)
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        _yield_cpu()
        while True:
            with self._cond:
                while self._pending is None and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                # Debounce: wait until no newer site has come for `quiet` seconds.
                pending = self._pending
                while not self._stopped:
                    self._cond.wait(self.quiet)
                    if self._pending is pending:
                        break
                    pending = self._pending
                if self._stopped or pending is None:
                    continue
                self._pending = None
            self._run(*pending)

    def _run(self, site: Site, files: Mapping[str, bytes], prefix: str, language: str) -> None:
        try:
            wanted = search.wanted_hashes(site, lambda rel: self._hash(rel, files))
            self._hashes = {rel: seen for rel, seen in self._hashes.items()
                            if any(rel in pages for pages in wanted.values())}
            out = self.indexer.index(wanted, files.__getitem__, prefix=prefix, language=language,
                                     load=lambda _name, bundle: bundle.files)
        except DigestError as exc:
            self.log(f"search index failed: {exc}")
            with self._cond:
                self._runs += 1
            return
        if self.indexer.indexed:
            self.log(f"search index: {len(self.indexer.indexed)} of {len(self.indexer.bundles)} bundles "
                     f"in {self.indexer.seconds * 1000:.0f} ms")
        with self._cond:
            self._before, self._files = self._files, out
            self._runs += 1

    def _hash(self, rel: str, files: Mapping[str, bytes]) -> bytes | None:
        data = files.get(rel)
        if data is None:
            return None
        seen = self._hashes.get(rel)
        if seen is not None and seen[0] is data:  # the rebuilder keeps an unchanged page's bytes object
            return seen[1]
        h = search.page_hash(data)
        self._hashes[rel] = (data, h)
        return h
