"""Putting the next site together in a folder beside the output, before `write` swaps it in.

`fill` makes a stage folder hold exactly the next site: the files given as
bytes, the files of the current output the caller keeps, and the files digest
did not write (carried over, never lost). A file whose bytes are those already
in the output is hard-linked from it, so it keeps its modification time and
costs no space. The stage is either

- a new, empty folder (`fresh`): everything is created; or
- the spare: the site before the current one, which the last build kept
  instead of deleting it. Most of its files are still hard links of the
  output's, so making it the next site costs what changed, not the site's
  size: an entry already right (same inode as the output's file, same link
  target, same folder) is left as it is; anything else is replaced or removed.
  Nothing in the stage is trusted: a spare a killed build left half-updated is
  put right by the next one.

A file in the stage is never written in place (it may share its inode with
the live site): it is unlinked first and created anew.

On the disks we build on, each `mkdir`, `open` and `link` waits 100-300 µs for
the disk, and a site has one folder per page; the calls release the GIL, so
they run on a pool of threads, in chunks, folders level by level, parents first.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

THREADS = 16
CHUNK = 256  # entries per task: small enough to share out, big enough that a task's overhead is noise


# An entry of a folder tree: its kind ("file", "link" or "dir") and inode, as the folder listing gives them.
Entry = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Filled:
    written: int
    unchanged: int
    carried: frozenset[str]  # the kept files that were there to carry over


def fill(stage: Path, output: Path, files: Mapping[str, bytes], previous: set[str], kept: set[str], *,
         marker: str, marker_bytes: Callable[[Iterable[str]], bytes], fresh: bool) -> Filled:
    """Make `stage` the next site: `files`, `kept` and the files of `output` that digest did not write
    (those not in `previous`), plus `marker` listing the files digest wrote."""
    live = output.is_dir()
    now = _index(output) if live else {}
    there = {} if fresh else _index(stage)
    foreign = _foreign(now, previous | {marker})
    carried = frozenset(rel for rel in kept if rel in previous and now.get(rel, ("",))[0] == "file")
    wanted = {*files, *carried, *foreign, marker}
    folders = {rel for rel, kind in foreign.items() if kind == "dir"}
    for rel in wanted:
        parts = rel.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    _prune(stage, there, wanted, folders)
    if live:
        shutil.copymode(output, stage)
    else:
        os.chmod(stage, 0o777 & ~_umask())
    put = _Put(stage, output, files, previous if live else set(), now, there)
    links = [rel for rel in sorted({*carried, *(rel for rel, kind in foreign.items() if kind != "dir")})
             if not put.already(rel)]
    with ThreadPoolExecutor(THREADS) as pool:
        for level in _levels(folders - {rel for rel, (kind, _) in there.items() if kind == "dir"}):
            _each(pool, partial(_make_folders, stage), sorted(level))
        written = sum(_each(pool, put.files, sorted(files)))
        _each(pool, put.links, links)
    put.replace(marker, marker_bytes(set(files) | carried))
    return Filled(written=written, unchanged=len(files) - written + len(carried), carried=carried)


class _Put:
    """The per-entry work of `fill`, run in the pool's threads (no shared state is changed)."""

    def __init__(self, stage: Path, output: Path, files: Mapping[str, bytes], previous: set[str],
                 now: dict[str, Entry], there: dict[str, Entry]) -> None:
        self.stage, self.output, self.data, self.previous = stage, output, files, previous
        self.now, self.there = now, there

    def already(self, rel: str) -> bool:
        """The stage's `rel` is the output's already: the same file (inode), or a link to the same place."""
        mine, theirs = self.there.get(rel), self.now.get(rel)
        if mine is None or theirs is None or mine[0] != theirs[0]:
            return False
        if mine[0] == "link":
            return os.readlink(self._at(self.stage, rel)) == os.readlink(self._at(self.output, rel))
        return mine == theirs

    def files(self, rels: Sequence[str]) -> int:
        """Put each of `rels` in place (linked when its bytes are the output's); how many were written."""
        written = 0
        for rel in rels:
            old = self._at(self.output, rel)
            if rel in self.previous and _same_bytes(old, self.data[rel]):
                if not self.already(rel):
                    self._link(rel)
            else:
                new = self._at(self.stage, rel)
                if rel in self.there:
                    _clear(new)
                _create(new, self.data[rel])
                written += 1
        return written

    def links(self, rels: Sequence[str]) -> int:
        """Carry each of `rels` over from the output (a file, or a symbolic link)."""
        for rel in rels:
            self._link(rel)
        return 0

    def replace(self, rel: str, data: bytes) -> None:
        """Write `rel` whole or not at all (a killed build leaves the old one)."""
        target = self.stage / rel
        temp = target.with_name(f"{target.name}.tmp")
        _clear(temp)
        _create(temp, data)
        os.replace(temp, target)

    def _link(self, rel: str) -> None:
        old, new = self._at(self.output, rel), self._at(self.stage, rel)
        if rel in self.there:
            _clear(new)
        if self.now[rel][0] == "link":
            os.symlink(os.readlink(old), new)
            return
        try:
            os.link(old, new)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EXDEV):
                raise
            shutil.copy2(old, new)

    @staticmethod
    def _at(root: Path, rel: str) -> str:
        return os.path.join(root, *rel.split("/"))


def _clear(path: str | Path) -> None:
    """Remove whatever is at `path` (a file, a link, a folder), never following a link."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _create(path: str | Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def _index(root: Path) -> dict[str, Entry]:
    """Every entry under `root` by relative posix path, from the folder listings alone (no `stat` per
    entry); links are listed, never followed."""
    found: dict[str, Entry] = {}
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_symlink():
                    found[rel] = ("link", entry.inode())
                elif entry.is_dir(follow_symlinks=False):
                    found[rel] = ("dir", entry.inode())
                    stack.append((rel + "/", entry.path))
                else:
                    found[rel] = ("file", entry.inode())
    return found


def _foreign(index: dict[str, Entry], digests: set[str]) -> dict[str, str]:
    """The files and links ("file") and empty folders ("dir") of an output's `index` that digest did not
    write (are not in `digests`)."""
    parents = {rel.rpartition("/")[0] for rel in index}
    found = {rel: "file" for rel, (kind, _) in index.items() if kind != "dir" and rel not in digests}
    found.update((rel, "dir") for rel, (kind, _) in index.items() if kind == "dir" and rel not in parents)
    return found


def _prune(stage: Path, there: dict[str, Entry], wanted: set[str], folders: set[str]) -> None:
    """Remove from `stage` every entry of its index `there` that is neither `wanted` nor one of the `folders`
    (and every folder that is wanted as a file, or the other way round)."""
    gone: set[str] = set()
    for rel in sorted(there, key=lambda r: (r.count("/"), r)):
        if rel.rpartition("/")[0] in gone:
            gone.add(rel)
            continue
        kind = there[rel][0]
        if (kind == "dir") != (rel in folders) or (kind != "dir" and rel not in wanted):
            _clear(os.path.join(stage, *rel.split("/")))
            gone.add(rel)
    for rel in gone:
        del there[rel]


def _levels(folders: set[str]) -> list[set[str]]:
    """`folders` grouped by depth, shallowest first."""
    levels: list[set[str]] = []
    for rel in folders:
        depth = rel.count("/")
        while len(levels) <= depth:
            levels.append(set())
        levels[depth].add(rel)
    return levels


def _make_folders(stage: Path, rels: Sequence[str]) -> int:
    for rel in rels:
        os.mkdir(os.path.join(stage, *rel.split("/")))
    return 0


def _each(pool: ThreadPoolExecutor, work: Callable[[Sequence[str]], int], items: Sequence[str]) -> list[int]:
    """`work` over `items` in chunks, on the pool when there is enough to share; its results."""
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    return [work(chunk) for chunk in chunks] if len(chunks) <= 1 else list(pool.map(work, chunks))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
