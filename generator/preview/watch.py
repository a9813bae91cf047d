"""When to rebuild: debouncing and watchdog glue.

The watchdog handler only records changes, classified by `engine.changes.classify`
(a pure function, tested on its own), into a `Debouncer`; the debouncer's thread
hands each burst, once it has gone quiet, to the rebuild callback.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from generator.engine.changes import Change, ChangeSet, Kind, classify


class Debouncer:
    """Collects changes; calls `callback(ChangeSet)` once a burst has been quiet for `quiet` s.

    A burst that never goes quiet is still flushed after `max_wait` s, so a
    steady trickle of events cannot starve the rebuild. The callback runs on
    the debouncer's own thread, one call at a time; changes that arrive while
    it runs form the next burst.
    """

    def __init__(self, callback: Callable[[ChangeSet], object], *, quiet: float = 0.03,
                 max_wait: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self._callback = callback
        self._quiet, self._max_wait, self._clock = quiet, max_wait, clock
        self._pending: set[Change] = set()
        self._first = self._last = 0.0
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="digest-debounce", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, changes: Iterable[Change]) -> None:
        new = [c for c in changes if c.kind is not Kind.IGNORED]
        if not new:
            return
        with self._cond:
            now = self._clock()
            if not self._pending:
                self._first = now
            self._pending.update(new)
            self._last = now
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _take_if_due(self) -> tuple[ChangeSet | None, float]:
        """(the pending batch, 0) if it is due, else (None, seconds until it is). Hold the lock."""
        wait = min(self._last + self._quiet, self._first + self._max_wait) - self._clock()
        if wait > 0:
            return None, wait
        batch = ChangeSet(frozenset(self._pending))
        self._pending.clear()
        return batch, 0.0

    def _next_batch_nowait(self) -> ChangeSet | None:
        """The pending batch if it is due now, else None (for tests and callers that poll)."""
        with self._cond:
            return self._take_if_due()[0] if self._pending else None

    def _next_batch(self) -> ChangeSet | None:
        with self._cond:
            while not self._stopped:
                if not self._pending:
                    self._cond.wait()
                    continue
                batch, wait = self._take_if_due()
                if batch is not None:
                    return batch
                self._cond.wait(timeout=wait)
            return None

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._callback(batch)
            except Exception:  # never let one bad batch stop the watching
                traceback.print_exc()


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, output_dir: Path | None, sink: Callable[[list[Change]], None]) -> None:
        self._root, self._output, self._sink = root, output_dir, sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = [event.src_path]
        if getattr(event, "dest_path", ""):
            paths.append(event.dest_path)  # a save by rename lands here
        changes = []
        for raw in paths:
            path = Path(raw.decode() if isinstance(raw, bytes) else raw)
            kind = classify(path, self._root, self._output)
            if kind is not Kind.IGNORED:
                changes.append(Change(kind, path.relative_to(self._root).as_posix()))
        if changes:
            self._sink(changes)


def watch(root: Path, debouncer: Debouncer, output_dir: Path | None = None) -> BaseObserver:
    """Start watching the site's content/, templates/, static/ and site.yaml; return the observer."""
    observer = Observer()
    handler = _Handler(root, output_dir, debouncer.add)
    # Watch the root non-recursively (site.yaml, and the watched folders appearing or going)
    # and each watched folder recursively.
    observer.schedule(handler, str(root), recursive=False)
    for name in ("content", "templates", "static"):
        if (root / name).is_dir():
            observer.schedule(handler, str(root / name), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
