"""Which files are articles: `article_names` (strings, the scan of every build) against the `Path` listing it
replaced, on generated trees: nested folders, dotfiles and dot-folders, names that end in `.md` and names that
almost do, links to files and folders, broken and looping links, FIFOs, names that are not UTF-8, folders
that cannot be listed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.engine.sources import content_files, content_names
from generator.site.config import load_config
from generator.site.frontmatter import article_files, article_names
from tests.sitekit import write_article

LOCKED = "locked"  # a folder named so cannot be listed (as without the permission; the tests run as root)


def reference_article_files(root: Path) -> list[Path]:
    """The listing as it was before `article_names`: `os.scandir`, then `Path`s, sorted as `Path`s."""
    found = []
    folders = [os.fspath(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.name.endswith(".md") and (entry.is_symlink() or entry.is_file(follow_symlinks=False)):
                        found.append(Path(entry.path))
        except PermissionError:
            continue
    return sorted(found)


_real_scandir = os.scandir


def _scandir(path: Any) -> Iterator[os.DirEntry[str]]:
    if os.path.basename(path) == LOCKED:
        raise PermissionError(13, "Permission denied", path)
    return _real_scandir(path)


# "\udcff" is the byte 0xFF of a name that is not UTF-8, as Python decodes it (surrogateescape).
_STEM = st.text(alphabet="aZ0-_ .~é\udcff", min_size=1, max_size=5)
_SUFFIX = st.sampled_from([".md"] * 6 + [".MD", ".md~", ".txt", ""])
NAMES = st.builds(lambda dot, stem, suffix, locked: LOCKED if locked else dot + stem + suffix,
                  st.sampled_from(["", "", "", "."]), _STEM, _SUFFIX,
                  st.sampled_from([False] * 9 + [True])).filter(lambda name: name not in (".", ".."))
LEAVES = st.sampled_from(["file", "file", "file", "link to file", "link to folder", "broken link", "looping link",
                          "fifo"])
TREES = st.recursive(LEAVES, lambda children: st.dictionaries(NAMES, children, max_size=5), max_leaves=30)


def make(folder: Path, tree: dict[str, Any], outside: Path) -> None:
    for name, node in tree.items():
        path = folder / name
        if isinstance(node, dict):
            path.mkdir()
            make(path, node, outside)
        elif node == "file":
            path.write_text("---\n---\n", encoding="utf-8")
        elif node == "link to file":
            path.symlink_to(outside / "article.md")
        elif node == "link to folder":
            path.symlink_to(outside)
        elif node == "broken link":
            path.symlink_to(outside / "missing.md")
        elif node == "looping link":
            path.symlink_to(name)
        else:
            os.mkfifo(path)


@given(st.dictionaries(NAMES, TREES, min_size=1, max_size=8))
def test_article_names_list_what_the_path_listing_did_in_its_order(tree: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(os, "scandir", _scandir):
        outside = Path(tmp) / "outside"
        outside.mkdir()
        (outside / "article.md").write_text("---\n---\n", encoding="utf-8")
        root = Path(tmp) / "content"
        root.mkdir()
        make(root, tree, outside)
        expected = reference_article_files(root)
        assert article_files(root) == expected
        assert article_names(root) == [p.relative_to(root).as_posix() for p in expected]
        assert article_names(str(root)) == article_names(root)


def test_order_is_part_by_part_not_that_of_the_strings(tmp_path: Path) -> None:
    """`a/z.md` comes before `a b.md` and `a-b.md` (the folder `a` sorts before them), though "/" sorts after
    " " and "-"."""
    for name in ("a.md", "a-b.md", "a/z.md", "a/b/c.md", "a b.md", "B.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\n---\n", encoding="utf-8")
    expected = ["B.md", "a/b/c.md", "a/z.md", "a b.md", "a-b.md", "a.md"]
    assert article_names(tmp_path) == expected == [p.relative_to(tmp_path).as_posix()
                                                   for p in reference_article_files(tmp_path)]


def test_a_relative_root_lists_relative_paths(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "content" / "world").mkdir(parents=True)
    (tmp_path / "content" / "world" / "x.md").write_text("---\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for root in (Path("content"), Path("./content"), Path("content/")):
        assert article_files(root) == reference_article_files(root) == [Path("content/world/x.md")]
    assert article_names("./content") == ["world/x.md"]


def test_content_names_are_the_site_relative_content_files(site_dir: Path) -> None:
    for slug in ("b", "a-b", "a"):
        write_article(site_dir, "heritage", slug, title=slug.upper(), date="2024-03-01", body="Text.")
    write_article(site_dir, "region", "a", title="A", date="2024-03-02", body="Text.")
    (site_dir / "content" / ".hidden.md").write_text("---\n---\n", encoding="utf-8")
    config = load_config(site_dir)
    names = content_names(config)
    assert names == [f.relative_to(config.root).as_posix() for f in content_files(config)]
    assert names == ["content/heritage/a-b.md", "content/heritage/a.md", "content/heritage/b.md",
                     "content/region/a.md"]


def test_a_build_reports_a_broken_link_among_the_articles(site_dir: Path, capsys: Any) -> None:
    """Listed, then reported on reading: a cached build finds the same problem as a clean one."""
    write_article(site_dir, "heritage", "good", title="Good", date="2024-03-01", body="Text.")
    (site_dir / "content" / "heritage" / "gone.md").symlink_to(site_dir / "nowhere.md")
    for _ in range(2):
        assert main(["build", "--site", str(site_dir), "--quiet"]) == 1
        err = capsys.readouterr().err
        assert "gone.md" in err and err.startswith("error: ")
