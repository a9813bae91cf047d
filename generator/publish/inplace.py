"""Writing the output folder file by file, for outputs that cannot be swapped as a whole.

`write.write_site` replaces the output folder in one step; when that is not
possible (its parent folder is not writable, or it is a mount point), this
module updates it in place: changed files are first written into a staging
folder inside the output (same file system), then each is moved over its
target with `os.replace` (atomic per file), and the files the previous build
wrote that this one does not produce are removed. A build killed here can
leave a mix of old and new pages, never a half-written file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.durable import syncfs
from generator.errors import DigestError
from generator.publish.output import MARKER, STAGING, WriteStats, marker_bytes, safe_join
from generator.publish.stage import same_bytes


def write_in_place(output: Path, files: Mapping[str, bytes], previous: set[str], kept: set[str]) -> WriteStats:
    targets = {rel: safe_join(output, rel) for rel in files}
    output.mkdir(parents=True, exist_ok=True)
    changed = [rel for rel in sorted(files) if not same_bytes(targets[rel], files[rel])]
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=output))
    try:
        staged = {}
        for i, rel in enumerate(changed):
            staged[rel] = staging / str(i)
            staged[rel].write_bytes(files[rel])
        syncfs(staging)  # every new page on disk before any is moved into place
        _mark(output, previous | set(files) | kept)
        removed = _remove(output, sorted(previous - set(files) - kept))
        for rel in changed:
            targets[rel].parent.mkdir(parents=True, exist_ok=True)
            if not targets[rel].parent.resolve().is_relative_to(output):
                raise DigestError(f"{output / rel}: a link in the output folder points outside it (remove it)")
            os.replace(staged[rel], targets[rel])
        _mark(output, set(files) | kept)
        syncfs(output)  # and the renames
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return WriteStats(written=len(changed), unchanged=len(files) - len(changed) + len(kept), removed=removed)


def _mark(output: Path, paths: Iterable[str]) -> None:
    data = marker_bytes(paths)
    if not same_bytes(output / MARKER, data):
        tmp = output / f"{MARKER}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, output / MARKER)


def _remove(output: Path, stale: Iterable[str]) -> int:
    """Delete files a previous build wrote, then the folders that leaves empty (never `output` itself)."""
    removed = 0
    for rel in stale:
        try:
            target = safe_join(output, rel)
        except DigestError:
            continue  # a hand-edited marker line: not a path digest would have written
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed += 1
        parent = target.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed
