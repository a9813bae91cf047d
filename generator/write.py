"""The only code that writes the output folder.

`write_site` is handed every output file as bytes, already rendered, and puts
them in place without ever leaving a half-written file:

1. the folder must be empty, missing, or marked as digest's by `MARKER`; any
   other folder is refused, never emptied;
2. files whose bytes changed are written into a staging folder inside the
   output (same file system), unchanged ones are left alone;
3. each staged file is moved over its target with `os.replace` (atomic per
   file); files the previous build wrote that this one does not produce are
   removed, with the folders they leave empty.

`MARKER` lists the files digest wrote, so only those are ever deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import DigestError

MARKER = ".digest-output"
_STAGING = ".digest-staging-"
_HEADER = "# Written by `digest build`. digest deletes the files listed here when it no longer produces them.\n"


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def safe_join(root: Path, rel: str) -> Path:
    """`root / rel` for a plain relative posix path that cannot leave `root`, else `DigestError`."""
    parts = PurePosixPath(rel).parts
    bad = (not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or ":" in rel.split("/")[0]
           or any(p in ("", ".", "..") for p in rel.split("/")) or parts[0] == MARKER or parts[0].startswith(_STAGING))
    if bad:
        raise DigestError(f"{rel!r}: not a safe output path (it must stay inside the output folder)")
    return root.joinpath(*parts)


def check_output(output: Path, sources: Iterable[Path] = ()) -> None:
    """Refuse an output folder that holds, or lies inside, one of the site's `sources`, or that digest did not
    create (it has files but no `MARKER`)."""
    output = output.resolve()
    for source in sources:
        source = source.resolve()
        if output == source or output in source.parents or source in output.parents:
            raise DigestError(f"{output}: the output folder must not hold or lie inside {source} "
                              "(choose another --output or output_dir)")
    if output.exists() and not output.is_dir():
        raise DigestError(f"{output}: exists and is not a folder (choose another --output)")
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise DigestError(f"{output}: this folder was not created by digest (it has files but no {MARKER}); "
                          "refusing to write into it: choose another --output, or empty it yourself")


def _previous(output: Path) -> set[str]:
    try:
        lines = (output / MARKER).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    return {line for line in lines if line and not line.startswith("#")}


def _mark(output: Path, paths: Iterable[str]) -> None:
    data = (_HEADER + "".join(f"{p}\n" for p in sorted(paths))).encode("utf-8")
    if not _same(output / MARKER, data):
        tmp = output / f"{MARKER}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, output / MARKER)


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def write_site(output: Path, files: Mapping[str, bytes], *, sources: Iterable[Path] = (),
               keep: Iterable[str] = ()) -> WriteStats:
    """Make `output` hold exactly `files` (plus any files digest did not write there).

    `keep` names files of the previous build that the caller knows are in place
    with the right bytes (an incremental build): they stay as they are, unread.
    """
    output = output.resolve()
    kept = set(keep) - set(files)
    check_output(output, sources)
    targets = {rel: safe_join(output, rel) for rel in files}
    output.mkdir(parents=True, exist_ok=True)
    for leftover in output.glob(f"{_STAGING}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    previous = _previous(output)
    changed = [rel for rel in sorted(files) if not _same(targets[rel], files[rel])]
    staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=output))
    try:
        staged = {}
        for i, rel in enumerate(changed):
            staged[rel] = staging / str(i)
            staged[rel].write_bytes(files[rel])
        _mark(output, previous | set(files) | kept)
        stale = sorted(previous - set(files) - kept)
        removed = _remove(output, stale)
        for rel in changed:
            targets[rel].parent.mkdir(parents=True, exist_ok=True)
            if not targets[rel].parent.resolve().is_relative_to(output):
                raise DigestError(f"{output / rel}: a link in the output folder points outside it (remove it)")
            os.replace(staged[rel], targets[rel])
        _mark(output, set(files) | kept)
    except OSError as exc:
        raise DigestError(f"{output}: cannot write the site ({exc.strerror or exc}: {exc.filename or ''})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return WriteStats(written=len(changed), unchanged=len(files) - len(changed) + len(kept), removed=removed)


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
