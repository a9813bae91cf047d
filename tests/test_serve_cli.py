"""`digest serve` as a user runs it: a real process, a real port, Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.sitekit import write_article


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(site: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                return proc, port
        except urllib.error.HTTPError:
            return proc, port  # serving, with an error page
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"serve did not start: {proc.communicate()}")


def test_serve_runs_and_stops_cleanly_on_ctrl_c(site_dir: Path) -> None:
    write_article(site_dir, "heritage", "a", title="A", date="2024-11-14")
    proc, port = _start(site_dir)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert f"serving {site_dir.resolve()} at http://127.0.0.1:{port}/" in out
    assert "Traceback" not in err and "warning" not in out


def test_serve_says_once_which_theme_strings_are_shown_in_english(site_dir: Path) -> None:
    config = site_dir / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("language: en-GB", "language: de"), "utf-8")
    write_article(site_dir, "heritage", "a", title="A", date="2024-11-14")
    proc, port = _start(site_dir)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
        assert '<html lang="de" dir="ltr">' in page.read().decode()
    proc.send_signal(signal.SIGINT)
    out, _err = proc.communicate(timeout=15)
    notes = [line for line in out.splitlines() if line.startswith("note: language 'de': ")]
    assert len(notes) == 1 and "shown in English" in notes[0]


def test_serve_starts_with_a_broken_article_and_says_so(site_dir: Path) -> None:
    bad = site_dir / "content/heritage/bad.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("---\ntitle: Bad\ndate: someday\ntopic: heritage\n---\nText\n", encoding="utf-8")
    proc, port = _start(site_dir)
    try:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            raise AssertionError("expected the error page with status 500")
        except urllib.error.HTTPError as exc:
            assert exc.code == 500
            assert "bad.md:3: date:" in exc.read().decode()
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert "bad.md:3: date:" in out
    assert "Traceback" not in err


def test_other_host_warns_that_preview_is_exposed(site_dir: Path) -> None:
    write_article(site_dir, "heritage", "a", title="A", date="2024-11-14")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site_dir), "--port", str(port),
                             "--host", "127.0.0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.2)
    deadline = time.monotonic() + 20
    out = ""
    while time.monotonic() < deadline and "serving" not in out:
        line = proc.stdout.readline() if proc.stdout else ""
        out += line
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=15)
    assert "warning: the preview is exposed to the network on 127.0.0.2" in out + rest
    assert "Traceback" not in err


def test_serve_outside_a_site_folder_is_a_clean_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(tmp_path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    expected = f"error: {tmp_path / 'site.yaml'}: not found (run digest in a site folder or pass --site DIR)"
    assert result.stderr.strip() == expected



def test_ctrl_c_at_any_moment_of_start_up_stops_cleanly(site_dir: Path) -> None:
    """Ctrl-C right after the first build (as the HTTP thread starts) exits 0, not 130 with a traceback."""
    write_article(site_dir, "heritage", "a", title="A", date="2024-11-14")
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site_dir), "--port",
                                 str(_free_port())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("built in"), first
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, (first + out, err)
        assert "Traceback" not in err and "stopping" in out
