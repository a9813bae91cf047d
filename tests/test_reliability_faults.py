"""Faults: builds and imports killed at random moments, a full disk, permission errors.

Whatever happens, the output folder holds either the previous site or the new
one, complete, and the next build is correct; an import never leaves a
half-written article.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.importer.command import TEMP_PREFIX
from generator.publish import write
from tests.test_build_support import copy_fixture, digest, snapshot

ROOT = Path(__file__).resolve().parent.parent
KILLS = 30  # SIGKILLed builds per test (seeded), half of them aimed at the write phase


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if ".digest-new-" in p.name or ".digest-old-" in p.name)


def _grow(site: Path, n: int, variant: int) -> None:
    """`n` extra articles; `variant` changes some titles and which articles exist, so two variants differ."""
    folder = site / "content" / "alpha"
    for old in folder.glob("grown-*.md"):
        old.unlink()
    for i in range(n):
        if (i + variant) % 7 == 0:
            continue
        title = f"Grown article {i} in version {variant}" if i % 3 == 0 else f"Grown article {i}"
        tags = "[hezbollah, beirut]" if i % 2 else "[al-nuri-mosque]"
        (folder / f"grown-{i}.md").write_text(
            f"---\ntitle: {title}\ndate: 2024-10-{1 + i % 28:02d}\ntopic: alpha\ntags: {tags}\n---\n\n"
            + f"Paragraph {i} about alpha.\n\n" * 20, encoding="utf-8")


def _spawn(*argv: str | Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "generator", *map(str, argv)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _new_site_appears(proc: subprocess.Popen[bytes], folder: Path) -> float:
    """Wait until a new-site folder appears in `folder` (the write phase has begun); the time it took."""
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < 10:
        if any(".digest-new-" in name for name in os.listdir(folder)):
            break
        time.sleep(0.0005)
    return time.monotonic() - start


def _calibrate(site: Path, cwd: Path) -> tuple[float, float]:
    """(seconds a whole build takes, seconds its write phase takes), measured on one uninterrupted build."""
    start = time.monotonic()
    proc = _spawn("build", "--site", site, cwd=cwd)
    before_write = _new_site_appears(proc, site)
    assert proc.wait() == 0
    total = time.monotonic() - start
    return total, total - before_write


def test_build_killed_at_random_moments_leaves_old_or_new_site(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    assert digest("build", "--site", site).code == 0
    (site / "public" / "mine.txt").write_text("a file of my own\n", encoding="utf-8")
    states = []
    for variant in (0, 1):
        _grow(site, 30, variant)
        assert digest("build", "--site", site).code == 0 or pytest.fail("fixture site does not build")
        states.append(_files(site / "public"))
    assert states[0] != states[1]
    rng = random.Random(6)
    outcomes = {"old": 0, "new": 0}
    for i in range(KILLS):
        variant = i % 2  # the output holds the other variant: build this one and kill it
        _grow(site, 30, variant)
        if i == 0:
            total, writing = _calibrate(site, tmp_path)
            _grow(site, 30, 1 - variant)
            assert digest("build", "--site", site).code == 0
            _grow(site, 30, variant)
        proc = _spawn("build", "--site", site, cwd=tmp_path)
        if i % 2:  # aimed at the write phase: from the moment the new site's folder appears
            _new_site_appears(proc, site)
            time.sleep(rng.uniform(0, writing * 1.2))
        else:
            time.sleep(rng.uniform(0, total * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _files(site / "public")
        assert now in (states[1 - variant], states[variant]), f"kill {i}: the output is neither site"
        outcomes["old" if now == states[1 - variant] else "new"] += 1
        run = digest("build", "--site", site)
        assert run.code == 0 and "Traceback" not in run.err, run.err
        assert _files(site / "public") == states[variant], f"kill {i}: the next build is not correct"
        assert _leftovers(site) == []
    print(f"{KILLS} kills: {outcomes}")
    # Which side of the swap random kills land on depends on the machine; the next test kills
    # just before and just after the swap, deterministically.


# Run a build that SIGKILLs itself just before or just after the output folder is swapped.
_KILL_AT_SWAP = """
import os, signal, sys
from generator.publish import write
real = write._swap
def swap(new, output):
    if sys.argv[1] == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    done = real(new, output)
    os.kill(os.getpid(), signal.SIGKILL)
    return done
write._swap = swap
from generator.cli import main
sys.exit(main(["build", *sys.argv[2:]]))
"""


@pytest.mark.parametrize("moment", ["before", "after"])
def test_build_killed_at_the_swap_leaves_old_or_new_site(tmp_path: Path, moment: str) -> None:
    site = copy_fixture(tmp_path)
    assert digest("build", "--site", site, "--no-cache").code == 0
    old = _files(site / "public")
    _grow(site, 5, 1)
    _run_until_killed(_KILL_AT_SWAP, moment, "--site", site, "--no-cache", cwd=tmp_path)
    killed = _files(site / "public")
    run = digest("build", "--site", site, "--no-cache")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    new = _files(site / "public")
    assert old != new
    assert killed == (old if moment == "before" else new)
    assert _leftovers(site) == []


def _dump_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    return site


def _imported(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """A site with the seed imported: (site, dump, every content file, the articles among them)."""
    site = _dump_site(tmp_path)
    dump = ROOT / "sources" / "000_dfe1e9900b68862a.txt"
    assert digest("import", "--site", site, dump).code == 0
    final = _files(site / "content")
    return site, dump, final, {rel: data for rel, data in final.items() if rel.endswith(".md")}


def _run_until_killed(script: str, *argv: str | Path, cwd: Path) -> None:
    """Run `script` (which SIGKILLs itself at a chosen point) with `argv`; check it did die so."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script, *map(str, argv)], cwd=cwd, env=env, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def test_import_killed_at_random_moments_leaves_no_half_written_article(tmp_path: Path) -> None:
    site, dump, final, articles = _imported(tmp_path)
    start = time.monotonic()
    shutil.rmtree(site / "content")
    assert _spawn("import", "--site", site, dump, cwd=tmp_path).wait() == 0
    span = (time.monotonic() - start) * 1.2
    rng = random.Random(66)
    for i in range(KILLS // 2):
        shutil.rmtree(site / "content", ignore_errors=True)
        proc = _spawn("import", "--site", site, dump, cwd=tmp_path)
        if i % 2:  # aimed at the writing: from the moment content/ appears
            deadline = time.monotonic() + 10
            while proc.poll() is None and not (site / "content").exists() and time.monotonic() < deadline:
                time.sleep(0.0002)
            time.sleep(rng.uniform(0, 0.004))
        else:
            time.sleep(rng.uniform(0, span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        found = {rel: data for rel, data in _files(site / "content").items() if rel.endswith(".md")} \
            if (site / "content").exists() else {}
        assert all(articles.get(rel) == data for rel, data in found.items()), f"kill {i}: a half-written article"
        run = digest("import", "--site", site, dump)
        assert run.code == 0 and "Traceback" not in run.err, run.err
        assert _files(site / "content") == final, f"kill {i}: the next import does not finish the job"
    # Whether a random kill lands inside the few milliseconds of writing depends on the machine;
    # the next test kills inside the write phase at every step, deterministically.


# Run an import that SIGKILLs itself at its N-th file replacement, before it happens: its
# temporary file is complete and N - 1 files are in place.
_KILL_AT_REPLACE = """
import os, signal, sys
count, real = [0], os.replace
def replace(src, dst, *args, **kwargs):
    count[0] += 1
    if count[0] == int(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
from generator.cli import main
sys.exit(main(["import", *sys.argv[2:]]))
"""


def test_import_killed_at_every_step_of_writing_leaves_whole_articles_only(tmp_path: Path) -> None:
    site, dump, final, articles = _imported(tmp_path)
    for step in range(1, len(final) + 1):  # every article, then the manifest
        shutil.rmtree(site / "content")
        _run_until_killed(_KILL_AT_REPLACE, step, "--site", site, dump, cwd=tmp_path)
        found = {rel: data for rel, data in _files(site / "content").items() if rel.endswith(".md")}
        assert len(found) == min(step - 1, len(articles)), f"step {step}"
        assert all(articles.get(rel) == data for rel, data in found.items()), f"step {step}: a half-written article"
        assert any(p.name.startswith(TEMP_PREFIX) for p in (site / "content").rglob("*")), f"step {step}"
        run = digest("import", "--site", site, dump)
        assert run.code == 0 and "Traceback" not in run.err, run.err
        assert _files(site / "content") == final, f"step {step}: the next import does not finish the job"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    site = copy_fixture(tmp_path)
    assert digest("build", "--site", site).code == 0
    (site / "content/alpha/second-look.md").write_text(
        "---\ntitle: A changed article\ndate: 2024-11-02\ntopic: alpha\n---\n\nNew text.\n", encoding="utf-8")
    return site


def _expected(built: Path) -> dict[str, bytes]:
    """What building `built` gives, built in a copy of its own."""
    copy = built.parent / "expected"
    shutil.copytree(built / "content", copy / "content")
    shutil.copy(built / "site.yaml", copy / "site.yaml")
    assert digest("build", "--site", copy).code == 0
    return _files(copy / "public")


def _fails_and_keeps_output(site: Path, needle: str) -> None:
    before = snapshot(site / "public")
    run = digest("build", "--site", site)
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert len(run.err.splitlines()) == 1 and needle in run.err, run.err
    assert "the previous output is unchanged" in run.err
    assert snapshot(site / "public") == before
    assert _leftovers(site) == []


@pytest.mark.parametrize("after", [0, 3, 12])
def test_full_disk_keeps_previous_output(built: Path, monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    real, calls = os.write, [0]

    def write_until_full(fd: int, data: bytes) -> int:
        calls[0] += 1
        if calls[0] > after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(write.os, "write", write_until_full)
    _fails_and_keeps_output(built, "No space left on device")


def test_permission_error_keeps_previous_output(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, where chmod does not stop writes: the error is simulated.
    real = os.link

    def refuse(src: object, dst: object, **kw: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))

    monkeypatch.setattr(write.os, "link", refuse)
    _fails_and_keeps_output(built, "Permission denied")
    monkeypatch.setattr(write.os, "link", real)
    assert digest("build", "--site", built).code == 0


def test_swap_failure_keeps_previous_output(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(a: Path, b: Path) -> bool:
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(b))

    monkeypatch.setattr(write, "_exchange", broken)
    _fails_and_keeps_output(built, "Input/output error")


@pytest.mark.parametrize("how", ["parent not writable", "mount point"])
def test_output_that_cannot_be_swapped_is_written_in_place(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                            how: str) -> None:
    expected = _expected(built)
    (built / "public/mine.txt").write_text("mine\n", encoding="utf-8")
    if how == "parent not writable":
        real = write.tempfile.mkdtemp

        def mkdtemp(prefix: str, dir: Path) -> str:  # noqa: A002 (tempfile's name)
            if Path(dir) == built:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
            return real(prefix=prefix, dir=dir)

        monkeypatch.setattr(write.tempfile, "mkdtemp", mkdtemp)
    else:
        def busy(a: Path, b: Path) -> bool:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(b))

        monkeypatch.setattr(write, "_exchange", busy)
    run = digest("build", "--site", built)
    assert run.code == 0, run.err
    got = _files(built / "public")
    assert got.pop("mine.txt") == b"mine\n"
    assert got == expected
    assert _leftovers(built) == []


def test_leftovers_of_a_killed_build_are_cleaned_and_a_half_swap_undone(built: Path) -> None:
    expected = _expected(built)
    (built / ".public.digest-new-x1").mkdir()
    (built / ".public.digest-new-x1/index.html").write_text("half", encoding="utf-8")
    os.rename(built / "public", built / ".public.digest-old-x2")  # died between the two renames
    run = digest("build", "--site", built)
    assert run.code == 0, run.err
    assert _leftovers(built) == []
    assert _files(built / "public") == expected
