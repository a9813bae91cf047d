"""Writes that know the output and its spare from the last write (`Publish(known=...)`, what a cached build
does) publish what a write that knows nothing publishes: differential tests under hypothesis, with files of
the user's added anywhere in the output and any hand change to the spare between writes. And what goes to
disk before the swap: after an edit, the files and folders the write changed, one by one.

As in `test_write_listing`, folder stamps are trusted at once (`RACY_NS` = 0) and each change waits a little
longer than a tick of the file system's clock.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.publish import listing, stage
from generator.publish.listing import Listings
from generator.publish.output import MARKER, previous_files
from generator.publish.write import Publish, _spare
from tests.test_write_listing import STEP, _change

FOLDERS = st.lists(st.sampled_from(["a", "b", "c"]), max_size=3).map("/".join)
PAGES = st.tuples(FOLDERS, st.sampled_from(["index.html", "feed.xml"])).map(lambda t: "/".join(p for p in t if p))
SITES = st.dictionaries(PAGES, st.sampled_from([b"", b"x", b"y", b"zz"]), max_size=10)
SPARE_EDITS = st.lists(st.tuples(st.lists(st.sampled_from(["a", "b", "c", "index.html", "feed.xml"]), min_size=1,
                                          max_size=4).map("/".join),
                                 # (no "rewrite": the spare's file may be the output's, a hand edit `intact` finds)
                                 st.sampled_from(["remove", "replace", "add", "swap", "rename"])), max_size=4)
MINE = st.lists(FOLDERS, max_size=3)  # folders of the output where the user adds a file of theirs


def _tree(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for folder, dirs, names in os.walk(root):
        for name in [*names, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes()
        if not dirs and not names and Path(folder) != root:
            found[Path(folder).relative_to(root).as_posix() + "/"] = "empty"
    found.pop(MARKER, None)
    return found


def _write(output: Path, files: dict[str, bytes], keep: set[str], known: Listings | None) -> Listings:
    with Publish(output, keep=keep, known=known) as publish:
        publish.add({rel: data for rel, data in files.items() if rel not in keep})
        publish.finish()
    return publish.listings


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sites=st.lists(SITES, min_size=2, max_size=4), spare_edits=st.lists(SPARE_EDITS, min_size=3, max_size=3),
       mine=st.lists(MINE, min_size=3, max_size=3))
def test_writes_from_known_trees_equal_writes_that_list_everything(tmp_path_factory: pytest.TempPathFactory,
                                                                   sites: list[dict[str, bytes]],
                                                                   spare_edits: list[list[tuple[str, str]]],
                                                                   mine: list[list[str]]) -> None:
    root = tmp_path_factory.mktemp("known")
    fast, slow = root / "fast" / "public", root / "slow" / "public"
    old = listing.RACY_NS
    listing.RACY_NS = 0
    try:
        known: Listings | None = None
        ours: dict[str, bytes | str] = {}  # the user's files, in both outputs
        previous: dict[str, bytes] = {}
        for step, site in enumerate(sites):
            keep = {rel for rel, data in site.items() if previous.get(rel) == data}  # an incremental build's keep
            known = _write(fast, site, keep, known)
            _write(slow, site, set(), None)
            assert _tree(fast) == _tree(slow) == {**site, **ours}
            assert previous_files(fast) == previous_files(slow) == set(site)
            previous = site
            time.sleep(STEP)
            edits = spare_edits[step % 3]
            for rel, how in edits:  # the fast write's spare, changed by hand or by a killed build
                _change(_spare(fast), rel, how)
            for folder in mine[step % 3]:  # files of the user's, in folders of both outputs or new ones
                rel = f"{folder}/mine.txt" if folder else "mine.txt"
                for out in (fast, slow):
                    (out / rel).parent.mkdir(parents=True, exist_ok=True)
                    (out / rel).write_bytes(b"mine")
                ours[rel] = b"mine"
            time.sleep(STEP)
    finally:
        listing.RACY_NS = old


def test_an_edit_puts_on_disk_what_it_changed_and_a_first_write_everything(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A first write (a new stage) syncs the file system; a write of a few files after it, each written file
    and each folder it changed (not the file system)."""
    monkeypatch.setattr(listing, "RACY_NS", 0)
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(stage, "syncfs", lambda path: calls.append(("syncfs", Path(path).name)))
    monkeypatch.setattr(stage, "fsync_path", lambda path: calls.append(("file", Path(path).name)))
    monkeypatch.setattr(stage, "fsync_dir", lambda path: calls.append(("dir", Path(path).name)))
    out = tmp_path / "public"
    site = {f"p{i}/index.html": b"page %d" % i for i in range(20)}
    known = _write(out, site, set(), None)
    assert [kind for kind, _ in calls] == ["syncfs"]
    time.sleep(STEP)
    known = _write(out, {**site, "p3/index.html": b"edited"}, set(site) - {"p3/index.html"}, known)  # the spare, made
    time.sleep(STEP)
    calls.clear()
    _write(out, {**site, "p3/index.html": b"again"}, set(site) - {"p3/index.html"}, known)
    assert "syncfs" not in {kind for kind, _ in calls}
    assert sorted(name for kind, name in calls if kind == "file") == sorted(["index.html", MARKER])
    assert {name for kind, name in calls if kind == "dir"} >= {"p3"}
    assert (out / "p3" / "index.html").read_bytes() == b"again"
