"""The preview under load: 200 concurrent page requests, 50 open live-reload connections and a burst of 500
file events at once. It keeps serving, rebuilds once for the burst, and leaks no threads or file handles.
Loopback only; every loop is bounded."""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.preview.server import Preview
from tests.test_build_support import copy_fixture

PAGES = ["/", "/2024/11/first-strike/", "/topics/alpha/", "/tags/", "/archive/", "/feed.xml", "/static/style.css",
         "/nope/", "/../etc/passwd", "/%2e%2e/site.yaml"]


BURST = """
import json, os, sys
for path, text in json.load(sys.stdin):
    saved = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".saving")
    with open(saved, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(saved, path)
"""


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _settle(measure: object, target: int, timeout: float = 5.0) -> int:
    """`measure()` once it is back to `target` (or whatever it is when `timeout` runs out)."""
    deadline = time.monotonic() + timeout
    while (value := measure()) > target and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)
    return value  # type: ignore[no-any-return]


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class _Listener:
    """One open live-reload connection, reading its events on a thread of its own."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", "/__digest/events?path=/")
        self.sock = self.conn.sock  # http.client may drop its own reference once the response is read
        assert self.sock is not None
        self.response = self.conn.getresponse()
        self.events: list[str] = []
        self.hello = threading.Event()
        self.changed = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for _ in range(1000):
                line = self.response.fp.readline()
                if not line:
                    return
                if line.startswith(b"event: "):
                    name = line[7:].strip().decode()
                    self.events.append(name)
                    (self.hello if name == "hello" else self.changed).set()
        except (OSError, ValueError):
            return

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reading thread
        self.thread.join(timeout=5)
        self.response.close()  # the response holds the socket's file open too
        self.conn.close()
        self.sock.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts file handles in /proc/self/fd (Linux)")
def test_preview_under_load(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    threads, fds = threading.active_count(), _fds()
    log = io.StringIO()
    # quiet, settle, max_wait: however slow the machine writes the burst, it is one burst. The watcher reads its
    # events in this process, behind 40 client threads and the server's: 1 s of quiet is the burst's end, even
    # after files saved whole (each of the burst's saves is whole, renamed into place).
    preview = Preview(site, port=0, out=log, quiet=1.0, settle=1.0, max_wait=30)
    preview.start()
    try:
        listeners = [_Listener(preview.port) for _ in range(50)]
        assert all(listener.hello.wait(10) for listener in listeners)
        articles = sorted((site / "content").rglob("*.md"))
        texts = {a: a.read_text(encoding="utf-8") for a in articles}
        with ThreadPoolExecutor(max_workers=40) as pool:
            statuses = pool.map(lambda i: _get(preview.port, PAGES[i % len(PAGES)]), range(200))
            # The burst, while the requests are served, from a process of its own: in this one the writes would
            # wait for the GIL behind 40 client threads and the server's, and come out as several bursts. Each
            # file is saved as editors save it (a new file renamed over the old one).
            edits = [(str(articles[i % len(articles)]), texts[articles[i % len(articles)]] +
                      f"\nEdit {i // len(articles)}.\n") for i in range(500)]
            subprocess.run([sys.executable, "-c", BURST], input=json.dumps(edits), text=True, check=True, timeout=60)
            codes = list(statuses)
        assert codes.count(200) == 140 and codes.count(404) == 60, codes
        assert all(listener.changed.wait(10) for listener in listeners)
        time.sleep(0.5)  # anything still to come from the burst would have arrived by now
        rebuilds = [line for line in log.getvalue().splitlines() if line.startswith(("rebuilt", "build failed"))]
        assert len(rebuilds) == 1, log.getvalue()
        assert preview.state.rebuilder.error is None
        assert _get(preview.port, "/") == 200
        for listener in listeners:
            listener.close()
    finally:
        preview.stop()
    assert _settle(threading.active_count, threads) == threads
    assert _settle(_fds, fds) == fds
