"""Bad input wherever it enters (`build`, `import`, `serve`, `site.yaml`): a one-line error naming the file and
line, exit status 1, no traceback, the previous output untouched, and every broken file reported in one run.
Or, for input that is only unusual (huge, long lines, CRLF), the right output."""

from __future__ import annotations

import os
import pathlib
import random
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.preview.server import Preview
from tests.test_build_support import copy_fixture, digest, snapshot

BAD = Path(__file__).resolve().parent / "bad_inputs"
ROOT = BAD.parent.parent
SEED = ROOT / "sources" / "000_dfe1e9900b68862a.txt"
GOOD = "title: A title\ndate: 2024-11-05\ntopic: alpha\n"

# The first error line each corpus file gives: `<file>:<line>: <start of the message>`.
CONTENT = {
    "absolute-slug.md": ":5: slug: '/tmp/evil' is not a slug",
    "alias-bomb.md": ":10: invalid YAML: its aliases expand to more than 100,000 values",
    "alias-to-itself.md": ":5: invalid YAML: an alias refers to the value that contains it",
    "bad-image.md": ":7: images[0].onerror: unknown key",
    "broken-yaml.md": ":2: invalid YAML: ",
    "control-character.md": ":7: contains the control character U+0007",
    "date-out-of-range.md": ":3: date: '9999-12-31T23:00:00-12:00' is out of range",
    "duplicate-key.md": ":5: topic: given twice (also on line 4): keep one",
    "empty.md": ":1: no front matter",
    "impossible-date.md": ":3: invalid YAML: '2024-02-30' is not a real date or time",
    "impossible-time.md": ":3: invalid YAML: '2024-11-05T25:00:00' is not a real date or time",
    "key-not-a-name.md": ":5: invalid YAML: ",
    "latin-1.md": ": is not UTF-8 text",
    "missing-fields.md": ":1: title: is required",
    "not-a-mapping.md": ":2: front matter must be a mapping",
    "not-closed.md": ":1: front matter is not closed",
    "nul-byte.md": ":7: contains the control character U+0000",
    "only-a-fence.md": ":1: front matter is not closed",
    "python-name.md": ":5: invalid YAML: could not determine a constructor for the tag",
    "python-object.md": ":5: invalid YAML: could not determine a constructor for the tag",
    "unknown-topic.md": ":4: topic: '../alpha' is not a topic of site.yaml",
    "unsafe-slug.md": ":5: slug: '../../../etc/passwd' is not a slug",
    "wrong-types.md": ":2: title: 1917 is a number, not text",
}


def _generated(folder: Path) -> dict[str, str]:
    """Write the big and binary cases into `folder`; return their expected first error like `CONTENT`."""
    rng = random.Random(6)
    (folder / "random-bytes.md").write_bytes(bytes(rng.randrange(256) for _ in range(20_000)))
    (folder / "ten-thousand-tags.md").write_text(
        f"---\n{GOOD}tags:\n" + "".join(f"- tag-{i}\n" for i in range(10_000)) + "---\n", encoding="utf-8")
    (folder / "deep-nesting.md").write_text(f"---\n{GOOD}x: " + "[" * 200_000 + "]" * 200_000 + "\n---\n",
                                            encoding="utf-8")
    (folder / "deep-block-nesting.md").write_text(
        f"---\n{GOOD}" + "".join(" " * i + f"k{i}:\n" for i in range(300)) + "---\n", encoding="utf-8")
    (folder / "long-title.md").write_text(f"---\ntitle: {'x' * 2_000_000}\n---\n", encoding="utf-8")
    os.symlink("loop-b.md", folder / "loop-a.md")
    os.symlink("loop-a.md", folder / "loop-b.md")
    os.symlink("nowhere.md", folder / "dangling.md")
    return {
        "random-bytes.md": ": is not UTF-8 text",
        "ten-thousand-tags.md": ":5: tags: 10,000 tags; an article may have at most 100",
        "deep-nesting.md": ":5: invalid YAML: nested more than 50 levels deep",
        "deep-block-nesting.md": ":",  # the line of the 51st level
        "long-title.md": ":1: date: is required",
        "loop-a.md": ": cannot be read (Too many levels of symbolic links)",
        "loop-b.md": ": cannot be read (Too many levels of symbolic links)",
        "dangling.md": ": cannot be read (No such file or directory)",
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture(tmp_path)
    assert digest("build", "--site", site).code == 0
    return site


def _fails_cleanly(site: Path, *argv: str | Path) -> list[str]:
    before = snapshot(site / "public") if (site / "public").exists() else None
    run = digest(*argv)
    assert run.code == 1 and "Traceback" not in run.err, run.err
    lines = run.err.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), run.err
    if before is not None:
        assert snapshot(site / "public") == before
    return [line.removeprefix("error: ") for line in lines]


@pytest.mark.parametrize("name", sorted(CONTENT))
def test_each_bad_article_is_one_line_per_problem(site: Path, name: str) -> None:
    shutil.copy(BAD / "content" / name, site / "content/beta" / name)
    lines = _fails_cleanly(site, "build", "--site", site)
    assert lines[0].startswith(f"{site}/content/beta/{name}{CONTENT[name]}"), lines


def test_every_broken_file_is_reported_in_one_run(site: Path) -> None:
    folder = site / "content/beta"
    for name in CONTENT:
        shutil.copy(BAD / "content" / name, folder / name)
    expected = {**CONTENT, **_generated(folder)}
    lines = _fails_cleanly(site, "build", "--site", site)
    for name, start in expected.items():
        assert any(line.startswith(f"{folder}/{name}{start}") for line in lines), (name, lines)


def test_unusual_but_valid_articles_build(site: Path) -> None:
    folder = site / "content/alpha"
    paragraph = "A long paragraph of text about alpha. " * 100 + "\n\n"
    (folder / "ten-megabytes.md").write_text(f"---\n{GOOD}---\n\n" + paragraph * (10_000_000 // len(paragraph)),
                                             encoding="utf-8")
    (folder / "long-line.md").write_text(f"---\n{GOOD.replace('A title', 'Long line')}---\n\n" + "word " * 400_000,
                                         encoding="utf-8")
    (folder / "windows.md").write_bytes(f"\ufeff---\r\n{GOOD.replace('A title', 'Windows')}---\r\n\r\nText.\r\n"
                                        .replace("\n", "\r\n").replace("\r\r", "\r").encode("utf-8"))
    (folder / "hundred-tags.md").write_text(
        f"---\n{GOOD.replace('A title', 'Tags')}tags: [{', '.join(f't{i}' for i in range(100))}]\n---\n",
        encoding="utf-8")
    run = digest("build", "--site", site)
    assert run.code == 0 and "Traceback" not in run.err, run.err
    assert (site / "public/2024/11/ten-megabytes/index.html").stat().st_size > 10_000_000
    assert (site / "public/2024/11/long-line/index.html").stat().st_size > 2_000_000
    assert b"<h1>Windows</h1>" in (site / "public/2024/11/windows/index.html").read_bytes()
    assert (site / "public/tags/t99/index.html").is_file()


def test_symlink_loop_folder_is_not_followed_forever(site: Path) -> None:
    os.symlink("..", site / "content/alpha/loop")
    os.symlink(site / "content", site / "content/beta/up")
    run = digest("build", "--site", site)
    assert run.code == 0, run.err


@pytest.mark.parametrize("name", sorted(p.name for p in (BAD / "site_yaml").iterdir()))
def test_bad_site_yaml_for_build_import_and_serve(site: Path, name: str) -> None:
    shutil.copy(BAD / "site_yaml" / name, site / "site.yaml")
    for argv in (("build", "--site", site), ("import", "--site", site, SEED)):
        content = snapshot(site / "content")
        lines = _fails_cleanly(site, *argv)
        assert all(line.startswith(f"{site}/site.yaml") for line in lines), lines
        assert snapshot(site / "content") == content
    preview = Preview(site, port=0, out=open(os.devnull, "w"))  # noqa: SIM115 (closed below)
    try:
        preview.start()
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(preview.url, timeout=10)
        assert info.value.code == 500 and b"site.yaml" in info.value.read()
        shutil.copy(ROOT / "tests/fixtures/site/site.yaml", site / "site.yaml")
        preview.state.rebuild()
        with urllib.request.urlopen(preview.url, timeout=10) as response:
            assert response.status == 200
    finally:
        preview.stop()
        preview.out.close()


@pytest.mark.parametrize("name", sorted(p.name for p in (BAD / "dumps").iterdir()))
def test_bad_dump_is_one_line_and_writes_nothing(site: Path, name: str) -> None:
    content = snapshot(site / "content")
    [line] = _fails_cleanly(site, "import", "--site", site, BAD / "dumps" / name)
    assert line.startswith(f"{BAD / 'dumps' / name}: ")
    assert snapshot(site / "content") == content


def test_big_and_looping_dumps(site: Path, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(text + ("A line of page chrome that goes on. " * 3000 + "\n") * 100, encoding="utf-8")
    os.symlink(tmp_path / "loop2.txt", tmp_path / "loop1.txt")
    os.symlink(tmp_path / "loop1.txt", tmp_path / "loop2.txt")
    lines = _fails_cleanly(site, "import", "--site", site, tmp_path / "loop1.txt", tmp_path / "missing.txt", tmp_path)
    assert [line.split(": ")[0] for line in lines] == [str(tmp_path / "loop1.txt"), str(tmp_path / "missing.txt"),
                                                       str(tmp_path)]
    run = digest("import", "--site", site, big)
    assert run.code == 0 and "Traceback" not in run.err, run.err


def test_unreadable_article(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = site / "content/beta/secret.md"
    secret.write_text(f"---\n{GOOD}---\n", encoding="utf-8")
    if os.geteuid() != 0:
        secret.chmod(0)
    else:  # root reads through chmod 000: simulate the refusal
        real = pathlib.Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == "secret.md":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    assert _fails_cleanly(site, "build", "--site", site) == [f"{secret}: cannot be read (Permission denied)"]


def test_file_vanishing_or_changing_during_the_build(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone, edited = site / "content/beta/gone.md", site / "content/alpha/fresh.md"
    gone.write_text(f"---\n{GOOD}---\n", encoding="utf-8")
    edited.write_text(f"---\n{GOOD.replace('A title', 'Fresh')}---\n\nThe first version.\n", encoding="utf-8")
    real = pathlib.Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "gone.md":
            self.unlink()  # deleted between listing content/ and reading it
        data = real(self)
        if self == edited:
            self.write_bytes(data.replace(b"first", b"second"))  # saved right after it was read
        return data

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    assert _fails_cleanly(site, "build", "--site", site) == [f"{gone}: cannot be read (No such file or directory)"]
    monkeypatch.setattr(pathlib.Path, "read_bytes", real)
    run = digest("build", "--site", site)  # the next build sees the edit
    assert run.code == 0, run.err
    assert "The second version." in (site / "public/2024/11/fresh/index.html").read_text(encoding="utf-8")
