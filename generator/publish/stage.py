"""Putting the next site together in a folder beside the output, before `write` swaps it in.

A `Filler` makes a stage folder hold exactly the next site: the files handed
to `add` as bytes (in batches, while the rest is still being rendered), the
files of the current output the caller keeps, and the files digest did not
write (carried over, never lost). A file whose bytes are those already in the
output is hard-linked from it, so it keeps its modification time and costs no
space. The stage is either

- a new, empty folder (`fresh`): everything is created; or
- the spare: the site before the current one, which the last build kept
  instead of deleting it. Most of its files are still hard links of the
  output's, so making it the next site costs what changed, not the site's
  size: an entry already right (same inode as the output's file, same link
  target, same folder; told from the folder listings, without a `stat` per
  file) is left as it is; anything else is replaced or removed. Nothing in the
  stage is trusted: a spare a killed build left half-updated is put right by
  the next one.

A file in the stage is never written in place (it may share its inode with
the live site): it is unlinked first and created anew. Before the swap, what
the filling changed goes to disk (`Filler.sync`): when it is a few files and
folders, each with an `fsync` (the rest is as the last build left it, on disk
before that build's swap), so an edit does not wait for what other programs
left unwritten; otherwise the whole file system at once.

Both trees are known folder by folder from the last build (`listing.Tree`,
kept in the engine's state): a folder whose inode, modification and change times are
those recorded is not listed again (any entry made, removed or renamed in it
changes them, and the change time cannot be set back), so after an edit the
two trees cost a `stat` a folder rather than a listing of each. A stamp taken
less than `RACY_NS` after the folder last changed is not trusted, and a
folder this build changed is listed again by the next one.

On the disks we build on, each `mkdir`, `open` and `link` waits 100-300 µs, and
a site has one folder per page; the calls release the GIL, so they run on a
pool of threads, in chunks, folders level by level, parents first. Keeping
the spare also spares the file system: creating files just after deleting a
large tree is several times slower on some of them (ext4 without a journal
passes over recently deleted inodes).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.durable import fsync_dir, fsync_path, syncfs
from generator.publish.listing import Entry, Listings, list_tree, root_key

THREADS = 16
CHUNK = 256  # entries per task: small enough to share out, big enough that a task's overhead is noise
FEW = 256  # files and folders to make durable one by one, past which one `syncfs` costs less


@dataclass(frozen=True, slots=True)
class Filled:
    written: int
    unchanged: int
    carried: frozenset[str]  # the kept files that were there to carry over


class Filler:
    """Makes a stage folder the next site, batch by batch (`add`), then the rest (`finish`): the files
    given, the `kept` files of `output` and the files of `output` digest did not write (not in `previous`).

    Folders are made from the caller's thread (parents first, each level on the
    pool); files are written on the pool while the caller goes on rendering.
    """

    def __init__(self, stage: Path, output: Path, previous: set[str], kept: set[str], *, marker: str,
                 fresh: bool, known: Listings | None = None) -> None:
        live = output.is_dir()
        self.stage, self.output, self.marker = stage, output, marker
        known = known or {}
        self.now, self.now_stamps = list_tree(output, known.get(root_key(output))) if live else ({}, {})
        before = None if fresh else known.get(root_key(stage))
        self.there, self.there_stamps = ({}, {}) if fresh else list_tree(stage, before, like=self.now)
        self.touched: set[str] = {""}  # the stage's folders whose entries the filling changed (the root: the marker)
        # The stage's folders that changed since the last build left them (a killed build's work, a hand's): their
        # entries may not be on disk yet. None: which is not known (a new stage, no listing): all of them.
        self.unsure = None if before is None else _changed(before[1], self.there_stamps)
        self.wrote: list[str] = []  # the files made with new bytes (their data is not on disk yet)
        files, links, folders = _kinds(self.now)
        self.foreign = _foreign(files | links, folders, self.now, previous, marker)
        self.carried = frozenset(kept & previous & files)
        self.made = _kinds(self.there)[2]
        self.names: set[str] = set()
        self.put = _Put(stage, output, previous if live else set(), self.now, self.there)
        self.pool = ThreadPoolExecutor(THREADS)
        self.written: list[Future[tuple[int, list[str]]]] = []
        if live:
            shutil.copymode(output, stage)
        else:
            os.chmod(stage, 0o777 & ~_umask())

    def add(self, files: Mapping[str, bytes]) -> None:
        self.names.update(files)
        self._folders(files)
        for chunk in _chunks(sorted(files)):
            self.written.append(self.pool.submit(self.put.files, {rel: files[rel] for rel in chunk}))

    def finish(self, marker_bytes: Callable[[Iterable[str]], bytes]) -> Filled:
        """Carry over the kept and foreign files, remove what does not belong, write the marker."""
        try:
            written = 0
            for future in self.written:
                wrote, changed = future.result()
                written += len(wrote)
                self.wrote += wrote
                self.touched.update(_parent(rel) for rel in changed)
            carried = self.carried - self.names
            foreign = self.foreign
            # Only the entries where the stage is not the output may need carrying over (sets, not a loop).
            differ = {rel for rel, _ in self.now.items() - self.there.items()}
            links = sorted(rel for rel in (carried | {r for r, kind in foreign.items() if kind != "dir"}) & differ
                           if not self.put.already(rel))
            self._folders([*links, *(f"{rel}/" for rel, kind in foreign.items() if kind == "dir")])
            for copied in self.pool.map(self.put.links, _chunks(links)):
                self.wrote += copied
            self.touched.update(_parent(rel) for rel in links)
            wanted = {*self.names, *carried, *foreign, self.marker}
            folders = _folders_of(wanted, {rel for rel, kind in foreign.items() if kind == "dir"})
            self.touched.update(_parent(rel) for rel in _prune(self.stage, self.there, wanted, folders))
            self.put.replace(self.marker, marker_bytes(self.names | carried))
            self.wrote.append(self.marker)
        finally:
            self.close()
        return Filled(written=written, unchanged=len(self.names) - written + len(carried), carried=carried)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def sync(self) -> None:
        """After `finish`: the next site on disk before it is swapped in. What this build changed (the files it
        wrote, the folders whose entries it or anything since the last build changed), each with an `fsync`
        when they are few; else the whole file system at once (`syncfs`). Every other entry is as the last
        build left it, which put it on disk before its own swap."""
        if self.unsure is None or len(self.wrote) + len(self.touched) + len(self.unsure) > FEW:
            syncfs(self.stage)
            return
        for rel in self.wrote:
            fsync_path(self.put.at(self.stage, rel))
        for rel in sorted(self.touched | self.unsure, key=lambda r: (-r.count("/") - bool(r), r)):  # inner first
            fsync_dir(Path(self.put.at(self.stage, rel)) if rel else self.stage)

    def listings(self, spare: Path) -> Listings:
        """After `finish` and the swap (the stage is the output, the output of before is `spare`): what the next
        build needs to know the two trees without listing them. The folders the filling changed (and the two
        roots, renamed) are marked to be listed again."""
        out: Listings = {}
        if self.there_stamps:  # (a new stage: all its folders are new, listed by the next build)
            stamps = dict(self.there_stamps)
            stamps.update(dict.fromkeys(self.touched & stamps.keys()))
            out[root_key(self.output)] = (self.there, stamps)
        if self.now_stamps:
            out[root_key(spare)] = (self.now, {**self.now_stamps, "": None})
        return out

    def _folders(self, rels: Iterable[str]) -> None:
        """Make the folders `rels` lie in that are not there yet, parents first."""
        needed: set[str] = set()
        for rel in rels:
            for folder in _parents(rel):
                if folder in self.made or folder in needed:
                    break
                needed.add(folder)
        for level in _levels(needed):
            for rel in level & self.there.keys():
                _clear(os.path.join(self.stage, *rel.split("/")))  # a file or link where a folder goes
            list(self.pool.map(partial(_make_folders, self.stage), _chunks(sorted(level))))
            self.made |= level
            self.touched.update(_parent(rel) for rel in level)


class _Put:
    """The per-entry work of a `Filler`, run in the pool's threads (no shared state is changed)."""

    def __init__(self, stage: Path, output: Path, previous: set[str], now: dict[str, Entry],
                 there: dict[str, Entry]) -> None:
        self.stage, self.output, self.previous, self.now, self.there = stage, output, previous, now, there

    def already(self, rel: str) -> bool:
        """The stage's `rel` is the output's already: the same file (inode), or a link to the same place."""
        mine, theirs = self.there.get(rel), self.now.get(rel)
        if mine is None or theirs is None or mine[0] != theirs[0]:
            return False
        if mine[0] == "link":
            return os.readlink(self.at(self.stage, rel)) == os.readlink(self.at(self.output, rel))
        return mine == theirs

    def files(self, files: Mapping[str, bytes]) -> tuple[list[str], list[str]]:
        """Put each of `files` in place (linked when its bytes are the output's): those written (or copied),
        and those put in place (that were not already)."""
        written: list[str] = []
        changed = []
        for rel, data in files.items():
            old = self.at(self.output, rel)
            if rel in self.previous and same_bytes(old, data):
                if not self.already(rel):
                    if self._link(rel):
                        written.append(rel)
                    changed.append(rel)
            else:
                new = self.at(self.stage, rel)
                if rel in self.there:
                    _clear(new)
                _create(new, data)
                written.append(rel)
                changed.append(rel)
        return written, changed

    def links(self, rels: Sequence[str]) -> list[str]:
        """Carry each of `rels` over from the output (a file, or a symbolic link): those copied."""
        return [rel for rel in rels if self._link(rel)]

    def replace(self, rel: str, data: bytes) -> None:
        """Write `rel` whole or not at all (a killed build leaves the old one)."""
        target = self.stage / rel
        temp = target.with_name(f"{target.name}.tmp")
        _clear(temp)
        _create(temp, data)
        os.replace(temp, target)

    def _link(self, rel: str) -> bool:
        """Put the output's `rel` in the stage: hard-linked, else copied (True: copied, new bytes on disk)."""
        old, new = self.at(self.output, rel), self.at(self.stage, rel)
        if rel in self.there:
            _clear(new)
        if self.now[rel][0] == "link":
            os.symlink(os.readlink(old), new)
            return False
        try:
            os.link(old, new)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EXDEV):
                raise
            shutil.copy2(old, new)
            return True
        return False

    @staticmethod
    def at(root: Path, rel: str) -> str:
        """The path of `rel` in the tree at `root`."""
        return os.path.join(root, *rel.split("/"))


def _clear(path: str | Path) -> None:
    """Remove whatever is at `path` (a file, a link, a folder), never following a link."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # gone already, with the folder it was in
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


def same_bytes(path: str | Path, data: bytes) -> bool:
    """`path` is a regular file (not a link) holding exactly `data`."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def _changed(before: Mapping[str, object], after: Mapping[str, object]) -> set[str]:
    """The folders whose stamp is not the one recorded `before` (or was not trusted then)."""
    changed = {rel for rel, _ in after.items() - before.items()}
    changed.update(rel for rel, stamp in before.items() if stamp is None and rel in after)
    return changed


def _kinds(index: Mapping[str, Entry]) -> tuple[set[str], set[str], set[str]]:
    """The files, links and folders of a tree's `index`."""
    kinds: dict[str, set[str]] = {"file": set(), "link": set(), "dir": set()}
    for rel, (kind, _) in index.items():
        kinds[kind].add(rel)
    return kinds["file"], kinds["link"], kinds["dir"]


def _foreign(entries: set[str], folders: set[str], index: Mapping[str, Entry], previous: set[str],
             marker: str) -> dict[str, str]:
    """The files and links ("file") and empty folders ("dir") of an output's `index` (its `entries`, files
    and links, and its `folders`) that digest did not write (are not in `previous`, nor the `marker`)."""
    found = dict.fromkeys(entries - previous - {marker}, "file")
    full = {rel.rpartition("/")[0] for rel in index}
    found.update(dict.fromkeys(folders - full, "dir"))
    return found


def _folders_of(wanted: set[str], folders: set[str]) -> set[str]:
    """`folders` and every folder an entry of `wanted` or of `folders` lies in."""
    level = {rel.rpartition("/")[0] for rel in wanted | folders if "/" in rel}
    out = set(folders)
    while level:
        out |= level
        level = {rel.rpartition("/")[0] for rel in level if "/" in rel} - out
    return out


def _prune(stage: Path, there: dict[str, Entry], wanted: set[str], folders: set[str]) -> list[str]:
    """Remove from `stage` every entry of its index `there` (taken before the stage was filled) that is
    neither `wanted` nor one of the `folders`, unless it lies in a folder that is not one of the `folders`
    (removed whole, or carried over as it is); entries the filling replaced (a file where a folder was, or
    the other way round) stay. The entries removed (not those inside a removed folder)."""
    removed = []
    for rel in sorted(there.keys() - wanted - folders, key=lambda r: (r.count("/"), r)):
        if all(parent in folders for parent in _parents(rel)):
            _clear(os.path.join(stage, *rel.split("/")))
            removed.append(rel)
    return removed


def _parent(rel: str) -> str:
    """The folder `rel` is in ("" for the root)."""
    return rel.rpartition("/")[0]


def _parents(rel: str) -> Iterator[str]:
    """The folders `rel` lies in, innermost first (`a/b/c` -> `a/b`, `a`)."""
    while "/" in rel:
        rel = rel.rpartition("/")[0]
        yield rel


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


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
