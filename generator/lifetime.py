"""Processes digest starts never outlive it.

A build's worker processes are forked, so they inherit everything the parent
has open, including the write end of their own task pipe: when the parent is
killed (SIGKILL, the OOM killer, a CI timeout) no end-of-file ever reaches
them, and without help they would sleep forever, re-parented to init. So every
child digest starts asks the kernel to kill it when its parent dies
(`PR_SET_PDEATHSIG` on Linux) and, where that is missing, watches its parent's
pid on a thread of its own. Either way it checks once that its parent is still
the one that started it, since the parent may have died before the request was made.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.2  # how often a child without PR_SET_PDEATHSIG looks for its parent


def _prctl_deathsig() -> bool:
    """Ask Linux to SIGKILL this process when the thread that forked it ends; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return False
    return prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def die_with_parent(parent: int) -> None:
    """Called in a child process first thing: it ends as soon as process `parent` (its parent) has died."""
    if not _prctl_deathsig():
        threading.Thread(target=_watch, args=(parent,), name="digest-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)


def child_setup() -> Callable[[], None]:
    """A `preexec_fn` for `subprocess.Popen`: the program it starts is killed when this process dies.

    (`PR_SET_PDEATHSIG` survives `exec`; on systems without it the program runs on its own, as
    `subprocess` would start it.) Call it in the thread that stays alive while the program runs.
    """
    parent = os.getpid()

    def setup() -> None:
        if _prctl_deathsig() and os.getppid() != parent:
            os._exit(1)

    return setup
