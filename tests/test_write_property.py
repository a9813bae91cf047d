"""Property: whatever the spare holds, `write_site` publishes exactly the next site.

Hypothesis draws a current site, the files its owner added by hand, the next
site, and a spare in any state (files, folders and links where pages go, links
out of the site); after the write the output is the next site plus the owner's
files, byte for byte, and the folder outside the site is untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from generator.publish.output import MARKER
from generator.publish.write import write_site

NAMES = st.sampled_from(["a", "b", "c", "index.html", "feed.xml"])
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)
SITES = st.dictionaries(PATHS, st.binary(max_size=8), max_size=8)
JUNK = st.lists(st.tuples(PATHS, st.sampled_from(["file", "folder", "link-out", "link-in"])), max_size=6)


def _consistent(files: dict[str, bytes]) -> dict[str, bytes]:
    """Drop paths that would need a file and a folder at the same place."""
    kept: dict[str, bytes] = {}
    for rel in sorted(files, key=len):
        prefixes = {"/".join(rel.split("/")[:i]) for i in range(1, rel.count("/") + 1)}
        if not prefixes & kept.keys() and not any(k.startswith(rel + "/") for k in kept):
            kept[rel] = files[rel]
    return kept


def _tree(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for folder, dirs, names in os.walk(root):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes()
    return found


def _spoil(spare: Path, junk: list[tuple[str, str]], outside: Path) -> None:
    for rel, kind in junk:
        target = spare / rel
        if any(parent.is_symlink() for parent in target.parents if spare in parent.parents):
            continue  # never write through a link: that would be the test spoiling the outside
        try:
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                target.write_bytes(b"junk")
            elif kind == "folder":
                (target / "inner").mkdir(parents=True)
            elif kind == "link-out":
                target.symlink_to(outside, target_is_directory=True)
            else:
                target.symlink_to("index.html")
        except OSError:
            continue  # a parent is a file or a link to itself: that spoils it enough


@given(current=SITES, mine=SITES, following=SITES, junk=JUNK)
@example(current={"a/a": b""}, mine={}, following={"a": b""}, junk=[])  # a folder of pages gives way to a file
@example(current={"c/index.html": b"x"}, mine={}, following={"c/index.html": b"y"}, junk=[("c", "link-out")])
def test_the_output_is_the_next_site_whatever_the_spare_holds(current: dict[str, bytes], mine: dict[str, bytes],
                                                              following: dict[str, bytes],
                                                              junk: list[tuple[str, str]]) -> None:
    current, following = _consistent(current), _consistent(following)
    mine = {f"mine/{rel}": data for rel, data in _consistent(mine).items()}  # never a page's path
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        outside = base / "outside"
        outside.mkdir()
        (outside / "keep").write_bytes(b"keep")
        output = base / "site" / "public"
        write_site(output, {"first.html": b"first"})
        write_site(output, current)  # the first site becomes the spare
        for rel, data in mine.items():
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            (output / rel).write_bytes(data)
        spare = base / "site" / ".public.digest-spare"
        assert (spare / MARKER).is_file()
        _spoil(spare, junk, outside)
        write_site(output, following)
        published = _tree(output)
        assert published.pop(MARKER).startswith(b"#")  # type: ignore[union-attr]
        assert published == {**following, **mine}
        assert _tree(outside) == {"keep": b"keep"}
