"""A cached, incremental build is byte-identical to a clean one, whatever changed; a bad cache is never trusted."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.engine import parallel
from tests.sitekit import write_article

TOPIC = "heritage"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def populate(site: Path) -> None:
    for i in range(8):
        write_article(site, TOPIC if i % 2 else "region", f"story-{i}", title=f"Story {i}",
                      date=f"2024-03-{i + 1:02d}", body=f"Body of story {i}, *with* [a link](https://e.org/{i}).",
                      tags=["mosul", "unesco"][: 1 + i % 2], highlights=[f"Highlight {i}"])


def assert_same_as_clean(site: Path, tmp_path: Path, *, jobs: str = "1") -> str:
    """Build with the cache into site/public, clean into another folder; both trees must be equal."""
    assert main(["build", "--site", str(site), "--quiet", "--jobs", jobs]) == 0
    clean = tmp_path / "clean"
    assert main(["build", "--site", str(site), "--output", str(clean), "--no-cache", "--quiet", "--jobs", "1"]) == 0
    assert tree(site / "public") == tree(clean)
    return str(clean)


def _edit_body(site: Path) -> None:
    path = site / "content" / TOPIC / "story-1.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")


def _edit_title(site: Path) -> None:
    path = site / "content" / TOPIC / "story-3.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Story 3", "title: Story Three"),
                    encoding="utf-8")


def _same_size_rewrite(site: Path) -> None:
    path = site / "content" / TOPIC / "story-5.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Body of story 5", "Body of story 9"), encoding="utf-8")  # same size, at once


def _add(site: Path) -> None:
    write_article(site, TOPIC, "added", title="Added", date="2024-03-20", body="New.", tags=["unesco"])


def _delete(site: Path) -> None:
    (site / "content" / TOPIC / "story-1.md").unlink()


def _rename(site: Path) -> None:
    (site / "content" / TOPIC / "story-1.md").rename(site / "content" / TOPIC / "story-one.md")


def _template(site: Path) -> None:
    path = site / "templates" / "article.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</article>", "<p>Changed.</p></article>", 1),
                    encoding="utf-8")


def _static(site: Path) -> None:
    with open(site / "static" / "style.css", "a", encoding="utf-8") as f:
        f.write("\nbody { color: black; }\n")


def _static_removed(site: Path) -> None:
    (site / "static" / "extra.css").unlink()


def _config(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("page_size: 10", "page_size: 2"), encoding="utf-8")


def _draft(site: Path) -> None:
    write_article(site, TOPIC, "story-7", title="Story 7", date="2024-03-08", body="Now a draft.", draft=True)


def _output_tampered(site: Path) -> None:
    page = next((site / "public").rglob("story-2/index.html"))
    page.write_text("tampered", encoding="utf-8")


def _output_replaced_same_stamp(site: Path) -> None:
    """A page replaced (new file, as `sed -i` or `rsync` do) by one of the same size and modification time."""
    page = next((site / "public").rglob("story-2/index.html"))
    st = page.stat()
    data = page.read_bytes()
    swapped = page.with_name("swapped")
    swapped.write_bytes(data.replace(b"<html", b"<HTML", 1))
    os.utime(swapped, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(swapped, page)


def _output_deleted(site: Path) -> None:
    next((site / "public").rglob("story-2/index.html")).unlink()


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit body": _edit_body, "edit title": _edit_title, "same-size rewrite": _same_size_rewrite, "add": _add,
    "delete": _delete, "rename": _rename, "template": _template, "static": _static,
    "static removed": _static_removed, "site.yaml": _config, "draft": _draft, "output tampered": _output_tampered,
    "output replaced, same size and time": _output_replaced_same_stamp,
    "output deleted": _output_deleted,
}


@pytest.mark.parametrize("change", CHANGES)
def test_cached_build_after_a_change_equals_a_clean_build(site_dir: Path, tmp_path: Path, change: str) -> None:
    populate(site_dir)
    (site_dir / "static" / "extra.css").write_text("p { margin: 0; }\n", encoding="utf-8")
    assert_same_as_clean(site_dir, tmp_path)
    assert (site_dir / ".digest-cache" / "state").is_file()
    CHANGES[change](site_dir)
    assert_same_as_clean(site_dir, tmp_path)
    assert_same_as_clean(site_dir, tmp_path)  # and again, from the cache this build wrote


def test_old_stamps_are_trusted_and_young_ones_checked(site_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With every file old enough to trust its stamp, a no-change build writes nothing and reads no article."""
    populate(site_dir)
    past = 1_600_000_000
    for path in (site_dir / "content").rglob("*.md"):
        os.utime(path, (past, past))
    assert_same_as_clean(site_dir, tmp_path)
    monkeypatch.setattr(parallel, "parse_many", None)  # any parse would fail
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    monkeypatch.undo()
    _edit_body(site_dir)  # a new stamp: read, hashed, parsed
    assert_same_as_clean(site_dir, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "flipped"])
def test_a_damaged_cache_is_rebuilt_not_trusted(site_dir: Path, tmp_path: Path, damage: str) -> None:
    populate(site_dir)
    assert_same_as_clean(site_dir, tmp_path)
    _edit_body(site_dir)
    for path in (site_dir / ".digest-cache").iterdir():
        data = path.read_bytes()
        damaged = {"garbage": b"\x80\x04garbage" * 50, "truncated": data[: len(data) // 2], "empty": b"",
                   "flipped": data[:-10] + bytes(b ^ 0xFF for b in data[-10:])}[damage]
        path.write_bytes(damaged)
    assert_same_as_clean(site_dir, tmp_path)
    assert_same_as_clean(site_dir, tmp_path)


def test_no_cache_neither_reads_nor_writes_the_cache(site_dir: Path, tmp_path: Path) -> None:
    populate(site_dir)
    assert main(["build", "--site", str(site_dir), "--no-cache", "--quiet"]) == 0
    assert not (site_dir / ".digest-cache").exists()


def test_quiet_prints_nothing_and_summary_counts_unchanged(site_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    populate(site_dir)
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["build", "--site", str(site_dir)]) == 0
    out = capsys.readouterr()
    assert "built 8 articles" in out.out and "0 files written" in out.out and out.err == ""


def test_bad_jobs_is_a_clean_error(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--site", str(site_dir), "--jobs", "0"]) == 1
    assert "--jobs" in capsys.readouterr().err


def test_a_cache_that_came_with_the_site_is_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crafted pickle in .digest-cache/ (say, committed to a site's repository) must not run."""
    import hashlib
    import pickle

    from generator.engine import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (open, (str(marker), "w"))

    payload = pickle.dumps(Exploit())
    for header in (hashlib.sha256(payload).digest(), b"\0" * 32):  # a plain checksum, or anything else
        target = tmp_path / "site" / cache.CACHE_DIR / "state"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cache.MAGIC + header + payload)
        assert cache.load(target) is None
    assert not marker.exists()
    key_file = tmp_path / "user-cache" / "digest" / "cache-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    cache.save(target, {"ok": 1})  # our own, signed, loads back
    assert cache.load(target) == {"ok": 1}


def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_again(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps the templates compiled: an edit renders without compiling any; a template edited since
    is compiled from its new source (never the stale bytecode), and the result equals a clean build."""
    from generator.pages.templating import DictFirst

    populate(site_dir)
    assert_same_as_clean(site_dir, tmp_path)
    assert list((site_dir / ".digest-cache").glob("template-*"))
    compiled: list[str | None] = []
    real = DictFirst.compile

    def counting(self: DictFirst, source: object, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DictFirst, "compile", counting)
    _edit_body(site_dir)
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    assert compiled == []
    _template(site_dir)
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    assert compiled == ["article.html"]
    monkeypatch.undo()
    assert_same_as_clean(site_dir, tmp_path)
