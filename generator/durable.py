"""Making what digest wrote survive a crash of the machine, not only of digest.

A rename is atomic for running processes, but after a power cut the file system
may hold the new name with the old (or no) data unless the data reached the disk
first. So: the data first (`fsync` of a file, or `syncfs` of a whole tree written
at once), then the rename, then the folder that holds the new name.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import IO


def fsync_file(handle: IO[bytes]) -> None:
    """The file's bytes on disk (before it is renamed into place)."""
    handle.flush()
    os.fsync(handle.fileno())


def fsync_path(path: str | Path) -> None:
    """The bytes of the file at `path` on disk (it was written by another handle, now closed)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """The folder's entries (a rename or unlink done in it) on disk."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not a folder one can open (not POSIX): nothing more can be done
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders (their entries are then written with the data)
    finally:
        os.close(fd)


def syncfs(path: Path) -> None:
    """Everything written on `path`'s file system on disk, in one call: cheaper than an `fsync` per file
    for a tree of thousands (Linux `syncfs`; elsewhere `sync`, which flushes every file system)."""
    if sys.platform.startswith("linux"):
        try:
            libc_syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (AttributeError, OSError):
            libc_syncfs = None
        if libc_syncfs is not None:
            fd = os.open(path, os.O_RDONLY)
            try:
                if libc_syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
    os.sync()
