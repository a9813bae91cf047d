"""`kill -9` of any digest process leaves nothing of it running, and the next command starts at once.

Only the main process is killed, never its group, as the OOM killer, a CI runner's
timeout or a process supervisor does it. The site is big enough that `--jobs 2`
really forks its worker pool, and every site change renders every page again (a
new site title), so workers are busy at each kill point.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_reliability_faults import _files

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 450  # above 2 workers x parallel.MIN_PER_WORKER files, so the pool is used for parsing and rendering
GONE_WITHIN = 2.0  # seconds after the kill by which no process of the killed command may be left

# A build that SIGKILLs itself (its main process only) at a chosen point: inside the parse or
# render phase (its workers busy with further chunks), while pages are being written, or just
# before or after the output folder is swapped.
_KILL_AT = """
import os, signal, sys
from generator.engine import parallel
from generator.publish import write
point = sys.argv[1]
def die():
    os.kill(os.getpid(), signal.SIGKILL)
real_chunks = parallel.run_chunks
def run_chunks(fn, payload, items, **kw):
    phase = "parse" if fn is parallel._parse_chunk else "render"
    if point == phase:
        kw["progress"] = lambda n: die()  # after the first chunk comes back; the others are in flight
    elif point == "write" and phase == "render" and kw.get("each"):
        each, seen = kw["each"], []
        def deliver(result):
            kept = each(result)  # handed to the writer
            seen.append(1)
            if len(seen) == 2:
                die()
            return kept
        kw["each"] = deliver
    return real_chunks(fn, payload, items, **kw)
parallel.run_chunks = run_chunks
real_swap = write._swap
def swap(new, output):
    if point == "before-swap":
        die()
    done = real_swap(new, output)
    if point == "after-swap":
        die()
    return done
write._swap = swap
from generator.cli import main
sys.exit(main(["build", *sys.argv[2:]]))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _spawn(argv: list[str | Path], cwd: Path, **kw: object) -> subprocess.Popen[bytes]:
    """A command in a session of its own (its id is its pid), so everything it starts can be found."""
    return subprocess.Popen([sys.executable, *map(str, argv)], cwd=cwd, env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)  # type: ignore[call-overload]


def _alive_in_session(sid: int) -> list[int]:
    """The processes of session `sid` that are still running (zombies hold nothing and run nothing)."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, session, ...
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(entry))
    return alive


def _assert_nothing_left(proc: subprocess.Popen[bytes], what: str) -> None:
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"{what}: did not die by SIGKILL ({proc.returncode})"
    deadline = time.monotonic() + GONE_WITHIN
    while (left := _alive_in_session(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"{what}: processes {left} of the killed command still run {GONE_WITHIN} s later"


def _grow(site: Path, n: int) -> None:
    folder = site / "content" / "heritage"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i}.md").write_text(
            f"---\nid: kill-{i}\ntitle: Story number {i}\ndate: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"topic: heritage\n---\n\nThe first paragraph of story {i}.\n\nAnd a second one.\n", encoding="utf-8")


def _set_variant(site: Path, variant: int) -> None:
    """Two versions of the site that differ on every page: the site's title."""
    config = site / "site.yaml"
    text = re.sub(r"(?m)^title: .*$", f"title: Kill Test Digest {variant}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def _build(site: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = ["build", "--site", site, "--jobs", "2", *args]
    return subprocess.run([sys.executable, "-m", "generator", *map(str, argv)], cwd=site, env=_env(),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(name="big_site", scope="module")
def big_site_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, bytes]], float]:
    """A site of `ARTICLES` articles, each variant's output as a clean build gives it, and how long that took."""
    root = tmp_path_factory.mktemp("kill")
    site = root / "site"
    site.mkdir()
    (site / "site.yaml").write_text((ROOT / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _grow(site, ARTICLES)
    clean = []
    started = time.monotonic()
    for variant in (0, 1):
        _set_variant(site, variant)
        run = _build(site, "--no-cache", "--output", root / f"clean-{variant}")
        assert run.returncode == 0, run.stderr
        clean.append(_files(root / f"clean-{variant}"))
    assert clean[0] != clean[1]
    return site, clean, (time.monotonic() - started) / 2


POINTS = ["parse", "render", "write", "before-swap", "after-swap", "random", "random", "random"]


def test_a_killed_build_leaves_no_process_and_the_next_build_starts_at_once(
        big_site: tuple[Path, list[dict[str, bytes]], float]) -> None:
    site, clean, _seconds = big_site
    rng = random.Random(15)
    _set_variant(site, 0)
    started = time.monotonic()
    assert _build(site, "--no-cache").returncode == 0
    seconds = time.monotonic() - started  # a whole build, as the random kills below run it
    left: dict[str, str] = {}
    for i, point in enumerate(POINTS):
        old, new = i % 2, 1 - i % 2  # the output holds `old`; the killed build was making `new`
        assert _files(site / "public") == clean[old]
        _set_variant(site, new)
        if point == "random":
            delay = rng.uniform(0.05, 0.8) * seconds  # anywhere in a whole build
            while True:
                proc = _spawn(["-m", "generator", "build", "--site", site, "--jobs", "2", "--no-cache"], cwd=site)
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                if proc.wait() == -signal.SIGKILL:
                    break
                delay /= 2  # this build was quicker than the first: it finished; put the old site back, again
                _set_variant(site, old)
                assert _build(site).returncode == 0
                _set_variant(site, new)
        else:
            proc = _spawn(["-c", _KILL_AT, point, "--site", site, "--jobs", "2", "--no-cache"], cwd=site)
        what = f"kill {i} ({point})"
        _assert_nothing_left(proc, what)
        now = _files(site / "public")
        assert now in (clean[old], clean[new]), f"{what}: the output is a mix of the two sites"
        left[what] = "previous site" if now == clean[old] else "new site"
        if point.endswith("swap"):
            assert left[what] == ("previous site" if point == "before-swap" else "new site"), what
        started = time.monotonic()
        run = _build(site)
        assert run.returncode == 0 and "Traceback" not in run.stderr, f"{what}: {run.stderr}"
        assert "waiting for" not in run.stderr, f"{what}: the next build waited ({run.stderr})"
        assert _files(site / "public") == clean[new], f"{what}: the next build differs from a clean one"
        assert not [p.name for p in site.iterdir() if ".digest-new-" in p.name or ".digest-old-" in p.name]
        print(f"{what}: left the {left[what]}; the next build took {time.monotonic() - started:.2f} s")


def test_a_build_waits_only_for_a_living_build_and_names_it(
        big_site: tuple[Path, list[dict[str, bytes]], float]) -> None:
    site, _clean, _seconds = big_site
    _set_variant(site, 1)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, site / "public"], env=_env(),
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        waiter = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site)], cwd=site,
                                  env=_env(), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        assert waiter.stderr is not None
        line = waiter.stderr.readline()
        assert f"waiting for another build (process {holder.pid}) writing in" in line
        assert waiter.poll() is None
    finally:
        holder.send_signal(signal.SIGKILL)  # its lock dies with it: the waiting build goes on at once
        holder.wait()
    try:
        assert waiter.wait(timeout=60) == 0
    finally:
        for pid in _alive_in_session(holder.pid):  # the holder's forked child, which holds no lock
            os.kill(pid, signal.SIGKILL)


# Takes the build lock of an output, as a build does, forks a child that keeps running (as a
# worker would), says "locked" and sleeps.
_HOLD_LOCK = """
import os, sys, time
from pathlib import Path
from generator.publish.lock import output_lock
lock = output_lock(Path(sys.argv[1])).__enter__()
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
print("locked", flush=True)
time.sleep(60)
"""


def test_the_lock_is_not_held_by_a_forked_child(tmp_path: Path) -> None:
    """A child forked while a build holds the lock (a worker) does not keep it once the build is gone."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, tmp_path / "public"], env=_env(),
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    try:
        assert _alive_in_session(holder.pid), "the forked child should still run (it is not digest's worker)"
        from generator.publish.lock import output_lock
        started = time.monotonic()
        with output_lock(tmp_path / "public"):
            assert time.monotonic() - started < 1.0
    finally:
        for pid in _alive_in_session(holder.pid):
            os.kill(pid, signal.SIGKILL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serving(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                return bool(reply.status == 200)
        except OSError:
            time.sleep(0.05)
    return False


def test_a_killed_preview_leaves_no_process_and_the_next_one_starts_at_once(
        big_site: tuple[Path, list[dict[str, bytes]], float]) -> None:
    site, _clean, _seconds = big_site
    rng = random.Random(16)
    port = _free_port()
    for i in range(3):
        proc = _spawn(["-m", "generator", "serve", "--site", site, "--port", port], cwd=site)
        try:
            assert _serving(port, 60), f"start {i}: the preview did not come up"
            _set_variant(site, i % 2)  # every page renders again
            time.sleep(rng.uniform(0.0, 0.5))  # inside the rebuild
        finally:
            proc.send_signal(signal.SIGKILL)
        _assert_nothing_left(proc, f"preview kill {i}")
    proc = _spawn(["-m", "generator", "serve", "--site", site, "--port", port], cwd=site)
    try:
        assert _serving(port, 60), "the preview did not start again on the same port"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_a_killed_import_leaves_no_process_and_the_next_one_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text((ROOT / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    dump = ROOT / "sources" / "000_dfe1e9900b68862a.txt"
    rng = random.Random(17)
    for i in range(4):
        proc = _spawn(["-m", "generator", "import", "--site", site, dump], cwd=site)
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode != -signal.SIGKILL:
            continue  # it had finished already
        _assert_nothing_left(proc, f"import kill {i}")
    run = subprocess.run([sys.executable, "-m", "generator", "import", "--site", str(site), str(dump)], cwd=site,
                         env=_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "6 articles from 1 dump" in run.stdout
