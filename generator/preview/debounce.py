"""When to rebuild: `Debouncer` turns the watcher's events into bursts, `DueTimer` wakes at the moment the next
future article comes due. Both call back on a thread of their own."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime

from generator.engine.changes import Change, ChangeSet, Kind


class _Looping:
    """A loop on a thread of its own, woken through `_cond` and stopped by `_stopped`."""

    _cond: threading.Condition
    _stopped: bool
    _thread: threading.Thread

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=5)


class Debouncer(_Looping):
    """Collects changes; calls `callback(ChangeSet)` once a burst has been quiet for `quiet` s.

    After `rescan()`, the burst is handed over as `callback(None)`: build
    everything again from what is on disk, as at start-up.

    A burst whose every file has been saved whole (`add(..., whole=True)`: closed
    after writing, or renamed into place) and none since begun again, gone or
    moved away (`whole=False`: created, modified, deleted, renamed away) needs
    only `settle` s of quiet (a quarter of `quiet` unless given): the save is
    complete, so the wait is only for the rest of a burst. A change that says
    neither (`whole=None`: a folder, a due article, a rescan) keeps the burst
    at `quiet`.

    A burst that never goes quiet is still flushed after `max_wait` s, so a
    steady trickle of events cannot starve the rebuild. The callback runs on
    the debouncer's own thread, one call at a time; changes that arrive while
    it runs form the next burst.
    """

    def __init__(self, callback: Callable[[ChangeSet | None], object], *, quiet: float = 0.03,
                 settle: float | None = None, max_wait: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._callback = callback
        self._quiet, self._max_wait, self._clock = quiet, max_wait, clock
        self._settle = quiet / 4 if settle is None else min(settle, quiet)
        self._pending: set[Change] = set()
        self._writing: set[str] = set()  # paths of this burst not (yet) saved whole
        self._unsure = False  # a change of this burst did not say whether its file is whole
        self._rescan = False
        self._first = self._last = 0.0
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="digest-debounce", daemon=True)

    def add(self, changes: Iterable[Change], *, whole: bool | None = None) -> None:
        """Changes that just happened: `whole` says their files are saved whole (True), are being written or
        went (False), or nothing is known (None)."""
        new = [c for c in changes if c.kind is not Kind.IGNORED]
        if not new:
            return
        with self._cond:
            self._note()
            self._pending.update(new)
            if whole is None:
                self._unsure = True
            elif whole:
                self._writing.difference_update(c.path for c in new)
            else:
                self._writing.update(c.path for c in new)

    def rescan(self) -> None:
        """Ask for a full rebuild from disk (with the same quiet period as any burst)."""
        with self._cond:
            self._note()
            self._rescan = True
            self._unsure = True

    def _note(self) -> None:
        """Something arrived now. Hold the lock."""
        now = self._clock()
        if not self._busy():
            self._first = now
        self._last = now
        self._cond.notify()

    def _busy(self) -> bool:
        return bool(self._pending) or self._rescan

    def _take_if_due(self) -> tuple[bool, ChangeSet | None, float]:
        """(True, the pending batch or None for a rescan, 0) if it is due, else (False, None, seconds until it
        is). Hold the lock."""
        quiet = self._quiet if self._unsure or self._writing else self._settle
        wait = min(self._last + quiet, self._first + self._max_wait) - self._clock()
        if wait > 0:
            return False, None, wait
        batch = None if self._rescan else ChangeSet(frozenset(self._pending))
        self._pending.clear()
        self._writing.clear()
        self._rescan = self._unsure = False
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


class DueTimer(_Looping):
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

    def set(self, moment: datetime | None) -> None:
        with self._cond:
            self._moment = moment
            self._cond.notify()

    @property
    def moment(self) -> datetime | None:
        return self._moment

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
