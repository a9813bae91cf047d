"""The spare: the previous site, kept beside the output, from which the next build's site is made.

Whatever state the spare is in (as the last build left it, tampered with,
half-updated by a killed build), the output a build publishes is exactly a clean
build's, and nothing outside the site folder is touched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.cli import main
from generator.publish.output import MARKER
from tests.test_cache import TOPIC, _edit_body, _edit_title, assert_same_as_clean, populate, tree


def spare(site: Path) -> Path:
    return site / ".public.digest-spare"


def build(site: Path, *extra: str) -> None:
    assert main(["build", "--site", str(site), "--quiet", *extra]) == 0


def test_the_previous_site_becomes_the_spare_and_shares_unchanged_files(site_dir: Path, tmp_path: Path) -> None:
    populate(site_dir)
    build(site_dir)
    assert not spare(site_dir).exists()  # a first build has no previous site
    _edit_body(site_dir)
    assert_same_as_clean(site_dir, tmp_path)
    assert (spare(site_dir) / MARKER).is_file()
    assert spare(site_dir).stat().st_mode & 0o777 == 0o700  # the previous site is no one else's to read
    out, old = site_dir / "public", spare(site_dir)
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask  # and the site, once swapped in, is as before
    shared = [rel for rel in tree(out) if (old / rel).is_file() and os.path.samefile(out / rel, old / rel)]
    edited = next(p for p in tree(out) if "story-1/" in p)
    assert len(shared) > len(tree(out)) // 2 and edited not in shared
    for change in (_edit_title, _edit_body):  # the spare is brought up to date, then swapped in
        change(site_dir)
        assert_same_as_clean(site_dir, tmp_path)
        build(site_dir, "--no-cache")
        assert_same_as_clean(site_dir, tmp_path)


def test_a_tampered_spare_is_put_right_and_nothing_outside_is_touched(site_dir: Path, tmp_path: Path) -> None:
    populate(site_dir)
    build(site_dir)
    build(site_dir, "--no-cache")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine\n", encoding="utf-8")
    s = spare(site_dir)
    page = next(p for p in s.rglob("index.html") if "story-2" in str(p))
    page.unlink()
    page.write_text("a different file, same name\n", encoding="utf-8")  # a new inode: not the output's page
    (s / "extra.html").write_text("not part of the site\n", encoding="utf-8")
    shutil.rmtree(s / "tags")
    (s / "tags").write_text("a file where a folder belongs\n", encoding="utf-8")
    (s / "index.html").unlink()
    (s / "index.html").mkdir()  # a folder where a file belongs
    (s / "index.html" / "x").write_text("x", encoding="utf-8")
    (s / "feed.xml").unlink()
    (s / "feed.xml").symlink_to(outside / "keep.txt")  # a link where a file belongs
    (s / "static").rename(s / "static-gone")
    (s / "static").symlink_to(outside, target_is_directory=True)  # a link where a folder belongs
    (s / MARKER).write_text("robots.txt\n../outside/keep.txt\n", encoding="utf-8")
    _edit_body(site_dir)
    assert_same_as_clean(site_dir, tmp_path)
    assert [p.name for p in outside.iterdir()] == ["keep.txt"]
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_spare_killed_half_way_is_taken_up_again(site_dir: Path, tmp_path: Path) -> None:
    """A build killed while it brought the spare up to date leaves it under a `new` name, half changed."""
    populate(site_dir)
    build(site_dir)
    build(site_dir, "--no-cache")
    half = site_dir / ".public.digest-new-abc123"
    spare(site_dir).rename(half)
    for page in list(half.rglob("index.html"))[::2]:
        page.unlink()
    (half / "half-written.html").write_bytes(b"<!doctype html><p>cut sho")
    _edit_body(site_dir)
    assert_same_as_clean(site_dir, tmp_path)
    assert not half.exists()
    assert (spare(site_dir) / MARKER).is_file()


def test_files_of_mine_follow_the_site_and_leave_with_it(site_dir: Path, tmp_path: Path) -> None:
    populate(site_dir)
    build(site_dir)
    out = site_dir / "public"
    (out / "CNAME").write_text("digest.example.org\n", encoding="utf-8")
    (out / "empty").mkdir()
    (out / "here").symlink_to("index.html")
    for _ in range(3):
        _edit_body(site_dir)
        build(site_dir)
        assert (out / "CNAME").read_text(encoding="utf-8") == "digest.example.org\n"
        assert (out / "empty").is_dir() and os.readlink(out / "here") == "index.html"
    (out / "CNAME").unlink()
    for _ in range(2):
        _edit_body(site_dir)
        build(site_dir)
        assert not (out / "CNAME").exists()
    assert not (spare(site_dir) / "CNAME").exists()


def test_deleting_the_output_drops_its_spare(site_dir: Path, tmp_path: Path) -> None:
    populate(site_dir)
    build(site_dir)
    build(site_dir, "--no-cache")
    assert spare(site_dir).is_dir()
    shutil.rmtree(site_dir / "public")
    assert_same_as_clean(site_dir, tmp_path)
    assert not spare(site_dir).exists()


def test_a_folder_in_the_spares_place_that_digest_did_not_make_is_left_alone(site_dir: Path) -> None:
    populate(site_dir)
    build(site_dir)
    theirs = spare(site_dir)
    theirs.mkdir()
    (theirs / "notes.txt").write_text("not digest's\n", encoding="utf-8")
    for _ in range(2):
        (site_dir / "content" / TOPIC / "story-1.md").touch()
        _edit_body(site_dir)
        build(site_dir)
    assert [p.name for p in theirs.iterdir()] == ["notes.txt"]
    assert not list(site_dir.glob(".public.digest-new-*"))


def test_a_build_that_fails_half_way_through_writing_publishes_nothing(site_dir: Path) -> None:
    """Pages are written into the stage as they are rendered; an error after some were leaves the output."""
    from generator.publish.write import Publish

    populate(site_dir)
    build(site_dir)
    build(site_dir, "--no-cache")
    before = tree(site_dir / "public")
    for attempt in range(2):  # from the spare, then from a fresh folder
        if attempt:
            shutil.rmtree(spare(site_dir))
        try:
            with Publish(site_dir / "public") as publish:
                publish.add({"index.html": b"new home", "new/index.html": b"a new page"})
                raise RuntimeError("a template error while rendering the next batch")
        except RuntimeError:
            pass
        assert tree(site_dir / "public") == before
        assert not list(site_dir.glob(".public.digest-new-*"))
    build(site_dir, "--no-cache")
    assert tree(site_dir / "public") == before
