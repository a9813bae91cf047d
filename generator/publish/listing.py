"""What a build knows of a folder tree (the output, its spare) without listing it again.

A `Tree` is every entry by relative path, as the folder listings give them (kind and inode, no `stat` per
entry), and every folder's stamp: its inode, modification and change times. Making, removing or renaming
anything in a folder changes them, and the change time cannot be set back, so `list_tree` with the tree a
build recorded lists again only the folders whose stamp is not the one recorded: one `lstat` a folder
instead of a listing. A stamp taken less than `RACY_NS` after the folder last changed is not trusted (a
change in the same tick of the file system's clock would not show); nor is a folder the build changed
(`stage.Filler.listings` marks them).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path

# An entry of a folder tree: its kind ("file", "link" or "dir") and inode, as the folder listing gives them.
Entry = tuple[str, int]
Stamp = tuple[int, int, int]  # a folder's inode, modification and change time
# A folder tree as a build listed it: every entry by relative posix path, and every folder's stamp ("" for the
# root; None: not to be trusted, listed again next time).
Tree = tuple[dict[str, Entry], dict[str, Stamp | None]]
Listings = dict[tuple[int, int], Tree]  # a tree's root folder (device, inode) -> the tree
RACY_NS = 2_000_000_000  # a folder changed this recently when stamped may change again within its stamp


def root_key(root: Path) -> tuple[int, int]:
    """Which tree `root` is: its device and inode (kept when it is renamed, as the output and spare are)."""
    st = os.lstat(root)
    return st.st_dev, st.st_ino


def list_tree(root: Path, known: Tree | None = None, *, like: Mapping[str, Entry] | None = None) -> Tree:
    """Every entry under `root` by relative posix path, from the folder listings alone (no `stat` per entry;
    links are listed, never followed), and every folder's stamp. A folder of the `known` tree whose stamp is
    the one it has now is not listed again. (`like`: another tree, whose equal entries are shared with it.)"""
    base = os.fspath(root)
    racy = time.time_ns() - RACY_NS
    like = like or {}
    if known is None:
        index: dict[str, Entry] = {}
        stamps: dict[str, Stamp | None] = {}
        _walk(base, "", os.lstat(base), index, stamps, racy, like)
        return index, stamps
    index, stamps = dict(known[0]), dict(known[1])
    redo = []
    inside, lstat = os.path.join(base, ""), os.lstat  # strings, not joins: one call a folder, 10,000s of them
    for rel, stamp in known[1].items():
        try:
            st = lstat(inside + rel if rel else base)
        except OSError:
            continue  # gone: the folder it was in has changed, and is listed again
        if stamp is None or stamp != (st.st_ino, st.st_mtime_ns, st.st_ctime_ns):
            redo.append((rel, st))
    if not redo:
        return index, stamps
    kids = _kids(index, {rel for rel, _ in redo})  # the entries of the folders listed again
    every: list[dict[str, list[str]]] = []  # those of every folder, made when a folder is first gone
    for rel, st in sorted(redo, key=lambda r: (r[0].count("/") + bool(r[0]), r[0])):  # parents first
        if rel and index.get(rel, ("",))[0] != "dir" or not stat.S_ISDIR(st.st_mode):
            stamps.pop(rel, None)
            continue  # gone, or no longer a folder (its parent was listed again)
        entries, subs = _list(rel, os.path.join(base, rel) if rel else base, like)
        for old in kids.get(rel, ()):
            if index[old][0] == "dir" and entries.get(old, ("",))[0] != "dir":
                if not every:
                    every.append(_kids(index, None))
                _drop(old, index, stamps, every[0])
            index.pop(old, None)
        index.update(entries)
        stamps[rel] = _stamp(st, racy)
        for sub in subs:
            if sub not in stamps:  # a new folder: all of it is new
                path = os.path.join(base, sub)
                _walk(path, sub, os.lstat(path), index, stamps, racy, like)
    return index, stamps


def _stamp(st: os.stat_result, racy: int) -> Stamp | None:
    """A folder's stamp, or None when it changed too recently for a change to come to show in it."""
    if max(st.st_mtime_ns, st.st_ctime_ns) > racy:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def _walk(folder: str, rel: str, st: os.stat_result, index: dict[str, Entry], stamps: dict[str, Stamp | None],
          racy: int, like: Mapping[str, Entry]) -> None:
    """List the tree at `folder` (`rel` in its tree; `st`, its `lstat` taken before) into `index` and `stamps`."""
    stack = [(folder, rel, st)]
    while stack:
        folder, rel, st = stack.pop()
        entries, subs = _list(rel, folder, like)
        index.update(entries)
        stamps[rel] = _stamp(st, racy)
        for sub in subs:
            path = os.path.join(folder, sub.rpartition("/")[2])
            stack.append((path, sub, os.lstat(path)))


def _kids(index: Mapping[str, Entry], folders: set[str] | None) -> dict[str, list[str]]:
    """The entries of each of `folders` (None: of every folder) by relative path, from `index`."""
    kids: dict[str, list[str]] = {rel: [] for rel in folders} if folders is not None else {}
    for rel in index:
        parent = rel.rpartition("/")[0]
        if folders is None:
            kids.setdefault(parent, []).append(rel)
        elif parent in folders:
            kids[parent].append(rel)
    return kids


def _drop(rel: str, index: dict[str, Entry], stamps: dict[str, Stamp | None], kids: Mapping[str, list[str]]) -> None:
    """Forget everything inside the folder `rel`, gone from its tree."""
    stamps.pop(rel, None)
    for old in kids.get(rel, ()):
        if index.pop(old, ("",))[0] == "dir":
            _drop(old, index, stamps, kids)


def _list(rel: str, folder: str, like: Mapping[str, Entry]) -> tuple[dict[str, Entry], list[str]]:
    """The entries of one folder (at `rel` in its tree) by relative path, and its sub-folders. An entry equal
    to the one `like` has is that one (the output and its spare share most of theirs, hard links)."""
    prefix = f"{rel}/" if rel else ""
    entries: dict[str, Entry] = {}
    subs = []
    with os.scandir(folder) as listed:
        for item in listed:
            name = prefix + item.name
            if item.is_symlink():
                entry: Entry = ("link", item.inode())
            elif item.is_dir(follow_symlinks=False):
                entry = ("dir", item.inode())
                subs.append(name)
            else:
                entry = ("file", item.inode())
            same = like.get(name)
            entries[name] = same if same is not None and same == entry else entry
    return entries, subs
