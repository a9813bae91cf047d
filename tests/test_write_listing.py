"""The output and its spare known from the last build's listing (`listing.list_tree` with a known tree) are what
listing them gives, whatever was done to them since: differential tests, on random trees under hypothesis and
on real builds with hand edits in the output and a tampered spare.

The stamps of folders changed less than `RACY_NS` before they were taken are not trusted (so in a test, where
every folder is new, nothing would be taken from the known tree): these tests set it to 0 and wait a little
longer than the file system's clock step before changing anything.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.publish import listing as stage
from generator.publish.output import MARKER
from tests.test_cache import _edit_body, _edit_title, populate, tree

STEP = 0.03  # longer than a tick of the kernel's coarse clock, which stamps folder changes


def _make(root: Path, layout: list[tuple[str, str]]) -> None:
    for rel, kind in layout:
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            continue  # a file or link where this needs a folder
        if os.path.lexists(path) or not path.parent.is_dir() or path.parent.is_symlink():
            continue
        if kind == "dir":
            path.mkdir()
        elif kind == "link":
            path.symlink_to("elsewhere")
        else:
            path.write_text(rel, encoding="utf-8")


def _change(root: Path, rel: str, how: str) -> None:
    """One hand edit at `rel`: what a user or a killed build may do to a tree."""
    path = root / rel
    if any(p.is_symlink() or (p.exists() and not p.is_dir()) for p in path.parents if root in p.parents):
        return  # inside a link or a file: nothing there to change
    if how == "remove":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    elif how == "replace" and path.is_file() and not path.is_symlink():
        path.unlink()
        path.write_text("new inode", encoding="utf-8")
    elif how == "rewrite" and path.is_file() and not path.is_symlink():
        path.write_text("same inode, new bytes", encoding="utf-8")  # no folder changes: not an entry change
    elif how == "add" and path.is_dir() and not path.is_symlink():
        (path / "added").mkdir(exist_ok=True)
        (path / "added" / "f").write_text("x", encoding="utf-8")
    elif how == "swap" and os.path.lexists(path):
        _change(root, rel, "remove")
        path.mkdir() if "." in path.name else path.write_text("was a folder", encoding="utf-8")
    elif how == "rename" and os.path.lexists(path):
        path.rename(path.with_name(path.name + "-moved"))


names = st.sampled_from(["a", "b", "c.html", "d", "e.xml"])
layouts = st.lists(st.tuples(st.lists(names, min_size=1, max_size=4).map("/".join),
                             st.sampled_from(["file", "file", "dir", "link"])), max_size=25)
edits = st.lists(st.tuples(st.lists(names, min_size=1, max_size=4).map("/".join),
                           st.sampled_from(["remove", "replace", "rewrite", "add", "swap", "rename"])), max_size=6)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts, changes=edits)
def test_a_known_tree_after_any_change_is_the_tree_listed(tmp_path_factory: pytest.TempPathFactory,
                                                          layout: list[tuple[str, str]],
                                                          changes: list[tuple[str, str]]) -> None:
    root = tmp_path_factory.mktemp("tree")
    _make(root, layout)
    time.sleep(STEP)
    old = stage.RACY_NS
    stage.RACY_NS = 0
    try:
        known = stage.list_tree(root)
        assert all(s is not None for s in known[1].values())  # every stamp is trusted: the test tests something
        time.sleep(STEP)
        for rel, how in changes:
            _change(root, rel, how)
        assert stage.list_tree(root, known)[0] == stage.list_tree(root)[0]
        assert stage.list_tree(root, stage.list_tree(root, known))[0] == stage.list_tree(root)[0]
    finally:
        stage.RACY_NS = old


def test_a_folder_stamped_just_after_it_changed_is_listed_again(tmp_path: Path) -> None:
    """Within `RACY_NS` of its last change a folder may change again without its stamp showing it."""
    (tmp_path / "a").mkdir()
    index, stamps = stage.list_tree(tmp_path)
    assert stamps == {"": None, "a": None}
    (tmp_path / "a" / "new").write_text("x", encoding="utf-8")
    assert "a/new" in stage.list_tree(tmp_path, (index, stamps))[0]


def build(site: Path, *extra: str) -> None:
    assert main(["build", "--site", str(site), "--quiet", *extra]) == 0


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage, "RACY_NS", 0)


def test_builds_that_know_the_trees_equal_clean_builds_after_hand_edits(site_dir: Path, tmp_path: Path,
                                                                       trusting: None) -> None:
    """Edits built from the known trees, with files of the user's in the output and a spare tampered with in
    every way, give what a clean build gives (and the user's files), and the trees are listed for real less."""
    populate(site_dir)
    build(site_dir)
    listed: list[str] = []
    real = stage._list

    def counting(rel: str, folder: str, like: object) -> object:
        listed.append(rel)
        return real(rel, folder, like)  # type: ignore[arg-type]

    stage._list = counting  # type: ignore[assignment]
    try:
        for step in range(6):
            time.sleep(STEP)
            out, s = site_dir / "public", site_dir / ".public.digest-spare"
            mine = {}
            if step == 2:  # the user's files in the output, deep and at the top
                page = next(p for p in out.rglob("index.html") if "story-4" in str(p))
                (page.parent / "notes.txt").write_text("mine\n", encoding="utf-8")
                (out / "verify.html").write_text("mine too\n", encoding="utf-8")
            if step in (3, 5) and s.is_dir():  # the spare tampered with, deep and at the top
                page = next(p for p in s.rglob("index.html") if "story-2" in str(p))
                page.unlink()
                page.write_text("a different file, same name\n", encoding="utf-8")
                (page.parent / "extra.html").write_text("not part of the site\n", encoding="utf-8")
                (s / "extra.html").write_text("not part of the site\n", encoding="utf-8")
                tags = next(p for p in s.rglob("*") if p.is_dir() and p.parent.name == "tags")
                shutil.rmtree(tags)
                tags.write_text("a file where a folder belongs\n", encoding="utf-8")
            if step >= 2:
                mine = {"verify.html": b"mine too\n"}
                page = next(p for p in out.rglob("notes.txt"))
                mine[page.relative_to(out).as_posix()] = b"mine\n"
            listed.clear()
            (_edit_title if step % 2 else _edit_body)(site_dir)
            build(site_dir)
            clean = tmp_path / f"clean-{step}"
            build(site_dir, "--output", str(clean), "--no-cache")
            assert tree(out) == {**tree(clean), **mine}
            if step == 4:  # no hand edit since the last build: fewer folders listed than one tree has
                assert len(listed) < len([p for p in out.rglob("*") if p.is_dir()])
    finally:
        stage._list = real
    assert (site_dir / ".public.digest-spare" / MARKER).is_file()
