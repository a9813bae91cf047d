"""A one-line progress bar on stderr for long builds, shown only on a terminal.

Nothing is drawn when the stream is not a terminal (CI logs, pipes), when
`--quiet` is given, or before the build has run for `DELAY` seconds: short
builds stay silent. The line is erased when the build ends.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TextIO

DELAY = 0.5  # seconds before a bar appears
WIDTH = 30


class Bar:
    def __init__(self, stream: TextIO, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled and _is_terminal(stream)
        self.total = 0
        self.done = 0
        self.start = time.monotonic()
        self.drawn = False
        self._last = 0.0

    def expect(self, n: int) -> None:
        """`n` more units of work are coming."""
        self.total += n

    def step(self, n: int) -> None:
        """`n` units of work are done."""
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < DELAY or now - self._last < 0.1:
            return
        self._last = now
        share = min(1.0, self.done / self.total) if self.total else 0.0
        filled = int(share * WIDTH)
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%} ")
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (WIDTH + 8) + "\r")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
