"""When to rebuild: debouncing and watchdog glue.

`SiteWatch` watches the site folder: its own entries (site.yaml, and the
content/, templates/ and static/ folders appearing, going, being replaced or
re-linked) and, recursively, each of those folders where it really is (a
symbolic link is followed to its target). Every event is classified by its path
in the site (`engine.changes.classify`, a pure function tested on its own) into
a `Debouncer`; the debouncer's thread hands each burst, once it has gone quiet,
to the rebuild callback. When the watcher cannot tell what happened (a watched
folder replaced or re-linked, the kernel's event queue overflowing), the
debouncer is asked for a full rescan instead, once the new folders are watched.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.engine.changes import Change, ChangeSet, Kind, classify


class Debouncer:
    """Collects changes; calls `callback(ChangeSet)` once a burst has been quiet for `quiet` s.

    After `rescan()`, the burst is handed over as `callback(None)`: build
    everything again from what is on disk, as at start-up.

    A burst that never goes quiet is still flushed after `max_wait` s, so a
    steady trickle of events cannot starve the rebuild. The callback runs on
    the debouncer's own thread, one call at a time; changes that arrive while
    it runs form the next burst.
    """

    def __init__(self, callback: Callable[[ChangeSet | None], object], *, quiet: float = 0.03,
                 max_wait: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self._callback = callback
        self._quiet, self._max_wait, self._clock = quiet, max_wait, clock
        self._pending: set[Change] = set()
        self._rescan = False
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
            self._note()
            self._pending.update(new)

    def rescan(self) -> None:
        """Ask for a full rebuild from disk (with the same quiet period as any burst)."""
        with self._cond:
            self._note()
            self._rescan = True

    def _note(self) -> None:
        """Something arrived now. Hold the lock."""
        now = self._clock()
        if not self._busy():
            self._first = now
        self._last = now
        self._cond.notify()

    def _busy(self) -> bool:
        return bool(self._pending) or self._rescan

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _take_if_due(self) -> tuple[bool, ChangeSet | None, float]:
        """(True, the pending batch or None for a rescan, 0) if it is due, else (False, None, seconds until it
        is). Hold the lock."""
        wait = min(self._last + self._quiet, self._first + self._max_wait) - self._clock()
        if wait > 0:
            return False, None, wait
        batch = None if self._rescan else ChangeSet(frozenset(self._pending))
        self._pending.clear()
        self._rescan = False
        return True, batch, 0.0

    def _next_batch_nowait(self) -> ChangeSet | None:
        """The pending batch if it is due now, else None (for tests and callers that poll)."""
        with self._cond:
            return self._take_if_due()[1] if self._busy() else None

    def _next_batch(self) -> tuple[bool, ChangeSet | None]:
        """(True, the next batch or None for a rescan), or (False, None) once stopped."""
        with self._cond:
            while not self._stopped:
                if not self._busy():
                    self._cond.wait()
                    continue
                due, batch, wait = self._take_if_due()
                if due:
                    return True, batch
                self._cond.wait(timeout=wait)
            return False, None

    def _run(self) -> None:
        while True:
            running, batch = self._next_batch()
            if not running:
                return
            try:
                self._callback(batch)
            except Exception:  # never let one bad batch stop the watching
                traceback.print_exc()


# The site's folders that are watched recursively, wherever they really are.
WATCHED = ("content", "templates", "static")
# Watchdog's loggers: one of them reports a kernel event queue overflow (events were lost).
_WATCHDOG_LOGGER = "watchdog"

# Events by which a folder (or a link to one) appears, goes or is replaced.
_COMING_AND_GOING = ("created", "deleted", "moved")

Target = tuple[str, int, int]  # (real path, device, inode) of a watched folder


def target_of(folder: Path) -> Target | None:
    """Where `folder` really is (a symbolic link followed), or None when it is not a folder."""
    try:
        real = folder.resolve(strict=True)
        st = real.stat()
    except (OSError, RuntimeError):  # missing, a broken link, a link loop
        return None
    return (str(real), st.st_dev, st.st_ino) if real.is_dir() else None


class _Folder(FileSystemEventHandler):
    """Events from one watched folder, at its real place, turned back into paths of the site."""

    def __init__(self, site: SiteWatch, name: str, real: str) -> None:
        self._site, self._name, self._real = site, name, real

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        for raw in _paths(event):
            try:
                rel = Path(raw).relative_to(self._real)
            except ValueError:
                continue
            if rel == Path(".") and event.event_type in _COMING_AND_GOING:
                self._site.wake(self._name)  # the folder itself went or moved: follow it
            self._site.record(Path(self._name) / rel)


class _Root(FileSystemEventHandler):
    """Events from the site folder's own entries: site.yaml, and the watched folders coming and going."""

    def __init__(self, site: SiteWatch) -> None:
        self._site = site

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in _paths(event):
            path = Path(raw)
            if path.parent != self._site.root:
                continue
            if path.name in WATCHED and event.event_type in _COMING_AND_GOING:
                self._site.wake(path.name)
            self._site.record(Path(path.name))


def _paths(event: FileSystemEvent) -> list[str]:
    paths = [event.src_path]
    if getattr(event, "dest_path", ""):
        paths.append(event.dest_path)  # a save by rename lands here
    return [os.fsdecode(p) for p in paths]


class _Overflow(logging.Handler):
    """Watchdog only logs that the kernel dropped events; that is the watcher's cue for a rescan. Its other
    messages (a watch ending with its folder, say) are the watcher's business, not the terminal's: with this
    handler on watchdog's loggers, Python no longer prints them to stderr."""

    def __init__(self, site: SiteWatch) -> None:
        super().__init__(logging.WARNING)
        self._site = site

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Inotify queue overflowed"):
            self._site.lost()


class SiteWatch:
    """Watches a site folder for as long as it runs, whatever happens to the folders in it.

    The site folder is watched on its own (not recursively); each of content/,
    templates/ and static/ that exists is watched recursively at its real place.
    A thread follows them: woken by an event on one of those names or on a
    watched folder itself, and every `recheck` s in any case (a link's target
    replaced outside the site makes no event inside it), it compares where each
    folder really is (path, device, inode) with what is watched, moves the
    watches, and asks for a full rescan once the new ones are in place, so that
    nothing written before the watch began is missed.
    """

    def __init__(self, root: Path, debouncer: Debouncer, output_dir: Callable[[], Path | None] = lambda: None,
                 *, recheck: float = 1.0) -> None:
        self.root = Path(root).resolve()
        self._debouncer, self._output, self._recheck = debouncer, output_dir, recheck
        self._observer: BaseObserver = Observer()
        self._observer.daemon = True
        self._watches: dict[str, tuple[Target, ObservedWatch]] = {}
        self._lock = threading.Lock()
        self._stale: set[str] = set()  # folders to watch again, whether or not they seem to have moved
        self._stale_lock = threading.Lock()
        self._wake = threading.Event()
        self._lost = False
        self._stopped = threading.Event()
        self._overflow = _Overflow(self)
        self._thread = threading.Thread(target=self._follow, name="digest-watch", daemon=True)

    def start(self) -> None:
        """Watch from now on (the caller builds after this, so nothing is missed in between)."""
        self._observer.schedule(_Root(self), str(self.root), recursive=False)
        self._observer.start()
        self.sync()
        logging.getLogger(_WATCHDOG_LOGGER).addHandler(self._overflow)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        logging.getLogger(_WATCHDOG_LOGGER).removeHandler(self._overflow)  # last: watchdog logs as it stops

    def watched(self) -> dict[str, str]:
        """Site folder name -> the real folder watched for it."""
        return {name: target[0] for name, (target, _w) in sorted(self._watches.items())}

    def record(self, rel: Path) -> None:
        """An event at `rel` (relative to the site folder): classified by its path, handed to the debouncer."""
        path = self.root / rel
        kind = classify(path, self.root, self._output())
        if kind is not Kind.IGNORED:
            self._debouncer.add([Change(kind, rel.as_posix())])

    def wake(self, name: str) -> None:
        """Folder `name` appeared, went, moved or was re-linked: watch it again now, even where it seems the same
        (a folder deleted and made again may get the same inode, but its old watch ended with it)."""
        with self._stale_lock:  # not the sync's lock: the observer's thread must never wait for a sync
            self._stale.add(name)
        self._wake.set()

    def lost(self) -> None:
        """Events were lost: follow the folders again and rebuild everything from disk."""
        self._lost = True
        self._wake.set()

    def sync(self) -> bool:
        """Watch each folder where it now is; True when anything moved (then a rescan is due)."""
        with self._lock:
            return self._sync()

    def _sync(self) -> bool:
        moved = False
        with self._stale_lock:
            stale, self._stale = self._stale, set()
        for name in WATCHED:
            target = target_of(self.root / name)
            old = self._watches.get(name)
            if (old[0] if old is not None else None) == target and name not in stale:
                continue
            moved = True
            if old is not None:
                del self._watches[name]
                try:
                    self._observer.unschedule(old[1])
                except (KeyError, OSError):
                    pass  # the watch ended with its folder
            if target is not None:
                try:
                    watch = self._observer.schedule(_Folder(self, name, target[0]), target[0], recursive=True)
                except OSError:
                    continue  # gone again already: the next look finds it or its absence
                self._watches[name] = (target, watch)
        return moved

    def _follow(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait(self._recheck)
            self._wake.clear()
            if self._stopped.is_set():
                return
            lost, self._lost = self._lost, False
            try:
                if self.sync() or lost:
                    self._debouncer.rescan()
            except Exception:  # never let one bad look stop the watching
                traceback.print_exc()


class DueTimer:
    """Calls `callback()` at a moment of the wall clock (the next future article's date), on its own thread.

    `set(moment)` replaces the moment (None: nothing is due); once it has come
    the callback runs and the moment is cleared, until the next `set`. The
    thread wakes at least every `check` s, so a clock that jumps (a machine
    woken from sleep, the time set by hand) is noticed.
    """

    def __init__(self, callback: Callable[[], object], *, check: float = 30.0) -> None:
        self._callback, self._check = callback, check
        self._moment: datetime | None = None
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="digest-due", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def set(self, moment: datetime | None) -> None:
        with self._cond:
            self._moment = moment
            self._cond.notify()

    @property
    def moment(self) -> datetime | None:
        return self._moment

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped:
                    moment = self._moment
                    if moment is not None:
                        left = (moment - datetime.now(moment.tzinfo)).total_seconds()
                        if left <= 0:
                            self._moment = None
                            break
                    self._cond.wait(timeout=self._check if moment is None else min(left, self._check))
                if self._stopped:
                    return
            try:
                self._callback()
            except Exception:  # never let one bad call stop the timer
                traceback.print_exc()
