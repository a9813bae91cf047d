"""What changed: watchdog glue.

`SiteWatch` watches the site folder: its own entries (site.yaml, and the
content/, templates/ and static/ folders appearing, going, being replaced or
re-linked) and, recursively, each of those folders where it really is (a
symbolic link is followed to its target). Every event is classified by its path
in the site (`engine.changes.classify`, a pure function tested on its own) into
a `Debouncer` (`preview.debounce`), with whether it left its file saved whole; the debouncer's thread hands each burst, once it has gone quiet,
to the rebuild callback. When the watcher cannot tell what happened (a watched
folder replaced or re-linked, the kernel's event queue overflowing), the
debouncer is asked for a full rescan instead, once the new folders are watched.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.engine.changes import Change, Kind, classify
from generator.preview.debounce import Debouncer


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
        for raw, whole in _paths(event):
            try:
                rel = Path(raw).relative_to(self._real)
            except ValueError:
                continue
            if rel == Path(".") and event.event_type in _COMING_AND_GOING:
                self._site.wake(self._name)  # the folder itself went or moved: follow it
            self._site.record(Path(self._name) / rel, whole)


class _Root(FileSystemEventHandler):
    """Events from the site folder's own entries: site.yaml, and the watched folders coming and going."""

    def __init__(self, site: SiteWatch) -> None:
        self._site = site

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw, whole in _paths(event):
            path = Path(raw)
            if path.parent != self._site.root:
                continue
            if path.name in WATCHED and event.event_type in _COMING_AND_GOING:
                self._site.wake(path.name)
            self._site.record(Path(path.name), whole)


# Whether a file event leaves its file saved whole: closed after writing, or renamed into place (True); being
# written, or gone, perhaps to come back (a save that moves the old file away first) (False).
_WHOLE = {"closed": True, "created": False, "modified": False, "deleted": False, "moved": False}


def _paths(event: FileSystemEvent) -> list[tuple[str, bool | None]]:
    """The paths an event names, each with whether it leaves that file saved whole (None: a folder's event)."""
    whole = None if event.is_directory else _WHOLE.get(event.event_type)
    paths = [(os.fsdecode(event.src_path), whole)]
    if getattr(event, "dest_path", ""):
        paths.append((os.fsdecode(event.dest_path), None if whole is None else True))  # a save by rename
    return paths


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

    def record(self, rel: Path, whole: bool | None = None) -> None:
        """An event at `rel` (relative to the site folder): classified by its path, handed to the debouncer
        with whether it left the file saved whole (`Debouncer.add`)."""
        path = self.root / rel
        kind = classify(path, self.root, self._output())
        if kind is not Kind.IGNORED:
            self._debouncer.add([Change(kind, rel.as_posix())], whole=whole)

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
