"""Change classification and debouncing: the pure parts of the preview's watcher."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from generator.engine.changes import Change, ChangeSet, Kind, classify
from generator.preview.watch import Debouncer

ROOT = Path("/site")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("content/heritage/mosul.md", Kind.CONTENT),
        ("content/heritage", Kind.CONTENT),  # a topic folder moved or deleted
        ("content", Kind.CONTENT),
        ("content/heritage/photo.jpg", Kind.IGNORED),
        ("content/.digest-import.json", Kind.IGNORED),
        ("templates/base.html", Kind.TEMPLATE),
        ("templates/partials/head.html", Kind.TEMPLATE),
        ("static/style.css", Kind.STATIC),
        ("static/img/logo.svg", Kind.STATIC),
        ("site.yaml", Kind.CONFIG),
        ("README.md", Kind.IGNORED),
        ("public/index.html", Kind.IGNORED),
        ("content/heritage/.mosul.md.swp", Kind.IGNORED),  # vim swap
        ("content/heritage/mosul.md~", Kind.IGNORED),  # backup
        ("content/heritage/4913", Kind.IGNORED),  # vim's write test
        ("content/heritage/.#mosul.md", Kind.IGNORED),  # emacs lock
        ("content/heritage/#mosul.md#", Kind.IGNORED),  # emacs autosave
        ("templates/base.html___jb_tmp___", Kind.IGNORED),  # JetBrains safe write
        ("static/.goutputstream-XYZ12", Kind.IGNORED),  # GNOME
        ("content/heritage/mosul.md.tmp", Kind.IGNORED),
        ("static/__pycache__/x.pyc", Kind.IGNORED),
        (".git/index", Kind.IGNORED),
    ],
)
def test_classify(path: str, kind: Kind) -> None:
    assert classify(ROOT / path, ROOT, ROOT / "public") is kind
    assert classify(path, ROOT) is kind or path.startswith("public/")


def test_classify_outside_site_and_custom_output() -> None:
    assert classify("/elsewhere/content/a.md", ROOT) is Kind.IGNORED
    assert classify(ROOT / "static/out/x.css", ROOT, ROOT / "static/out") is Kind.IGNORED


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _change(path: str) -> Change:
    return Change(Kind.CONTENT, path)


def test_burst_becomes_one_batch() -> None:
    batches: list[ChangeSet] = []
    done = threading.Event()

    def collect(batch: ChangeSet) -> None:
        batches.append(batch)
        done.set()

    debouncer = Debouncer(collect, quiet=0.05, max_wait=2.0)
    debouncer.start()
    try:
        for i in range(200):
            debouncer.add([_change(f"content/a{i % 7}.md")])
        debouncer.add([Change(Kind.IGNORED, "x.swp")])
        assert done.wait(2)
        time.sleep(0.15)
    finally:
        debouncer.stop()
    assert len(batches) == 1
    assert batches[0].paths(Kind.CONTENT) == tuple(sorted(f"content/a{i}.md" for i in range(7)))


def test_quiet_period_and_max_wait_with_a_fake_clock() -> None:
    clock = FakeClock()
    batches: list[ChangeSet] = []
    debouncer = Debouncer(batches.append, quiet=1.0, max_wait=3.0, clock=clock)
    debouncer.add([_change("content/a.md")])
    clock.now = 0.5
    assert debouncer._next_batch_nowait() is None  # still noisy
    clock.now = 1.6
    batch = debouncer._next_batch_nowait()
    assert batch is not None and batch.paths(Kind.CONTENT) == ("content/a.md",)
    # A trickle that never goes quiet is still flushed at max_wait.
    for t in (2.0, 2.8, 3.6, 4.4):
        clock.now = t
        debouncer.add([_change(f"content/{t}.md")])
        if t < 4.4:
            assert debouncer._next_batch_nowait() is None
    clock.now = 5.1
    batch = debouncer._next_batch_nowait()
    assert batch is not None and len(batch.changes) == 4


def test_ignored_changes_never_trigger_a_rebuild() -> None:
    batches: list[ChangeSet] = []
    debouncer = Debouncer(batches.append, quiet=0.01)
    debouncer.start()
    try:
        debouncer.add([Change(Kind.IGNORED, "content/.a.md.swp")])
        time.sleep(0.1)
    finally:
        debouncer.stop()
    assert batches == []
