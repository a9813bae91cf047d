"""The lock that keeps two builds of one output from writing at once."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import TextIO

from generator.errors import DigestError


class output_lock:  # noqa: N801 (used as a context manager, like a function)
    """An exclusive lock on the output, held for a whole build.

    A second build of the same output waits until the first has finished, and only
    then reads its inputs: the build that starts last always writes last, so the
    output never goes back to an older state.

    The lock is a POSIX record lock (`fcntl.lockf`) on `.<output>.digest-lock` beside
    the output. Such a lock belongs to the process that took it: the build's forked
    workers do not hold it (an `flock` would be shared with them through `fork`), and
    the kernel releases it the moment the build dies, however it dies. A build that
    waits names the process it waits for. The file is removed when the build ends
    (a killed build leaves it, unlocked and harmless); a build that locked a file
    already removed by the one before it opens the new one. Where there is no
    `fcntl` (not POSIX), there is no lock.
    """

    def __init__(self, output: Path, waiting: TextIO | None = None) -> None:
        output = Path(output).resolve()
        self.folder = output.parent
        self.path = self.folder / f".{output.name}.digest-lock"
        self.waiting = waiting
        self.fd = -1

    def __enter__(self) -> output_lock:
        try:
            import fcntl
        except ImportError:
            return self
        told = False
        while True:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise DigestError(f"{self.folder}: cannot write the site here ({exc.strerror or exc})") from None
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    self._close()
                    raise DigestError(f"{self.path}: cannot be locked ({exc.strerror or exc})") from None
                if self.waiting is not None and not told:
                    holder = _lock_holder(self.fd)
                    who = f"another build (process {holder})" if holder else "another build"
                    print(f"waiting for {who} writing in {self.folder} to finish", file=self.waiting, flush=True)
                    told = True
                fcntl.lockf(self.fd, fcntl.LOCK_EX)  # released when this process closes the file or ends
            if self._still_there():
                return self
            self._close()  # the build before removed this file as it finished: lock the one there now

    def _still_there(self) -> bool:
        try:
            return os.path.samestat(os.fstat(self.fd), os.stat(self.path))
        except FileNotFoundError:
            return False

    def _close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            try:
                os.unlink(self.path)  # still locked: whoever opens it from now on makes a new one
            except OSError:
                pass  # already gone, or the folder is not ours to change: the file stays, unlocked
            self._close()


def _lock_holder(fd: int) -> int | None:
    """The pid of the process holding a write lock on `fd`'s file (Linux's `struct flock`), if any."""
    import fcntl
    import struct
    import sys

    if not sys.platform.startswith("linux"):
        return None
    layout = "hhqqi4x"  # l_type, l_whence, l_start, l_len, l_pid (and padding)
    try:
        got = fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
    except OSError:
        return None
    kind, _whence, _start, _len, pid = struct.unpack(layout, got)
    return pid if kind != fcntl.F_UNLCK and pid > 0 else None
