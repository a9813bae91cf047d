"""The output folder's ground rules, shared by every way of writing it: `MARKER`, the file that lists
what digest wrote there (only those files are ever deleted); `safe_join`, the only way a page's path
becomes a file's (`check_path`, its check); and `WriteStats`, what a write did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import DigestError

MARKER = ".digest-output"
STAGING = ".digest-staging-"
_HEADER = "# Written by `digest build`. digest deletes the files listed here when it no longer produces them.\n"


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def safe_join(root: Path, rel: str) -> Path:
    """`root / rel` for a plain relative posix path that cannot leave `root`, else `DigestError`."""
    return root.joinpath(*check_path(rel))


def check_path(rel: str) -> list[str]:
    """The parts of `rel` when it is a plain relative posix path that cannot leave the folder it is joined
    to and is not digest's own file there (`MARKER`, a `STAGING` folder), else `DigestError`. Strings only:
    a build checks every output path with it."""
    parts = rel.split("/")
    if (not rel or "\\" in rel or "\x00" in rel or ":" in parts[0] or "" in parts or "." in parts
            or ".." in parts or parts[0] == MARKER or parts[0].startswith(STAGING)):
        raise DigestError(f"{rel!r}: not a safe output path (it must stay inside the output folder)")
    return parts


def previous_files(output: Path) -> set[str]:
    """The files the last build wrote into `output`, as listed in its `MARKER`."""
    try:
        lines = (output / MARKER).read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return set()
    return {line for line in lines if line and not line.startswith("#")}


def marker_bytes(paths: Iterable[str]) -> bytes:
    return (_HEADER + "".join(f"{p}\n" for p in sorted(paths))).encode("utf-8")
