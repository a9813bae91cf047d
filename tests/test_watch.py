"""Change classification and debouncing: the pure parts of the preview's watcher."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.engine.changes import Change, ChangeSet, Kind, classify
from generator.preview.debounce import Debouncer, DueTimer
from generator.preview.watch import SiteWatch

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


def test_a_rescan_is_handed_over_as_none_after_its_quiet_period() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda batch: None, quiet=1.0, max_wait=3.0, clock=clock)
    debouncer.add([_change("content/a.md")])
    debouncer.rescan()  # the rescan covers the edit too
    clock.now = 0.5
    assert debouncer._next_batch_nowait() is None and debouncer._busy()
    clock.now = 1.6
    assert debouncer._take_if_due()[:2] == (True, None)
    assert not debouncer._busy()


def test_a_burst_of_whole_saves_needs_only_the_settle_period() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda batch: None, quiet=1.0, max_wait=3.0, clock=clock)  # settle: 0.25 s
    debouncer.add([_change("content/a.md")], whole=False)  # truncated, written...
    debouncer.add([_change("content/a.md")], whole=True)  # ...and closed
    clock.now = 0.2
    assert debouncer._next_batch_nowait() is None
    clock.now = 0.3
    batch = debouncer._next_batch_nowait()
    assert batch is not None and batch.paths(Kind.CONTENT) == ("content/a.md",)


@pytest.mark.parametrize("events", [
    [("content/a.md", False)],  # written and not closed yet, or moved away or deleted (it may come back)
    [("content/a.md", False), ("content/b.md", False), ("content/b.md", True)],  # one of two saved whole
    [("content/a.md", True), ("content/a.md", False)],  # saved whole, then written again
    [("content/a.md", True), ("content", None)],  # and a folder's event, which says nothing of its files
])
def test_a_burst_not_known_whole_waits_the_whole_quiet_period(events: list[tuple[str, bool | None]]) -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda batch: None, quiet=1.0, max_wait=3.0, clock=clock)
    for path, whole in events:
        debouncer.add([_change(path)], whole=whole)
    clock.now = 0.9
    assert debouncer._next_batch_nowait() is None
    clock.now = 1.1
    assert debouncer._next_batch_nowait() is not None
    # The next burst starts afresh: saved whole, it settles.
    debouncer.add([_change("content/c.md")], whole=True)
    clock.now = 1.4
    assert debouncer._next_batch_nowait() is not None


def test_a_rescan_waits_the_whole_quiet_period() -> None:
    clock = FakeClock()
    debouncer = Debouncer(lambda batch: None, quiet=1.0, max_wait=3.0, clock=clock)
    debouncer.add([_change("content/a.md")], whole=True)
    debouncer.rescan()
    clock.now = 0.5
    assert debouncer._next_batch_nowait() is None


def test_the_watcher_says_when_a_save_is_whole(tmp_path: Path) -> None:
    """Saved in place (truncate, write, close) or by rename (a temporary file renamed over the article), the
    article's last event says it is whole; moved away or deleted, it is not."""
    (tmp_path / "content").mkdir()
    article = tmp_path / "content/a.md"
    article.write_text("one", encoding="utf-8")
    recorder = Recorder()
    watch = SiteWatch(tmp_path, recorder, recheck=10)  # type: ignore[arg-type]
    watch.start()
    try:
        def last() -> bool | None:
            return [whole for path, whole in recorder.whole if path == "content/a.md"][-1]

        article.write_text("two", encoding="utf-8")
        _until(lambda: recorder.whole and last() is True)
        count = len(recorder.whole)
        temp = tmp_path / "content/.a.md.tmp"
        temp.write_text("three", encoding="utf-8")
        temp.replace(article)
        _until(lambda: len(recorder.whole) > count and last() is True)
        article.rename(tmp_path / "content/a.md~")  # moved away, as some editors do before writing anew
        _until(lambda: last() is False)
        (tmp_path / "content/a.md~").rename(article)
        _until(lambda: last() is True)
        article.unlink()
        _until(lambda: last() is False)
    finally:
        watch.stop()


def test_due_timer_calls_back_once_the_moment_has_come() -> None:
    calls: list[datetime] = []
    timer = DueTimer(lambda: calls.append(datetime.now(UTC)), check=0.05)
    timer.start()
    try:
        moment = datetime.now(UTC) + timedelta(seconds=0.3)
        timer.set(moment)
        time.sleep(0.1)
        assert calls == []
        deadline = time.monotonic() + 5
        while not calls:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.2)
        assert len(calls) == 1 and calls[0] >= moment  # once, and not early
        assert timer.moment is None
        timer.set(datetime.now(UTC) + timedelta(days=1))
        timer.set(None)  # nothing due: no call
        time.sleep(0.15)
        assert len(calls) == 1
    finally:
        timer.stop()


class Recorder:
    """A debouncer stand-in that records what the watcher hands it."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.whole: list[tuple[str, bool | None]] = []
        self.rescans = 0

    def add(self, changes: list[Change], *, whole: bool | None = None) -> None:
        self.changes.extend(changes)
        self.whole.extend((c.path, whole) for c in changes)

    def rescan(self) -> None:
        self.rescans += 1


def _until(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_site_watch_follows_folders_that_appear_move_and_are_linked(tmp_path: Path) -> None:
    site, other = tmp_path / "site", tmp_path / "checkout"
    site.mkdir()
    other.mkdir()
    recorder = Recorder()
    watch = SiteWatch(site, recorder, recheck=0.1)  # type: ignore[arg-type]
    watch.start()
    try:
        assert watch.watched() == {}
        (site / "templates").mkdir()
        _until(lambda: "templates" in watch.watched() and recorder.rescans >= 1)
        (site / "templates/base.html").write_text("x", encoding="utf-8")
        _until(lambda: Change(Kind.TEMPLATE, "templates/base.html") in recorder.changes)
        (site / "content").symlink_to(other, target_is_directory=True)
        _until(lambda: watch.watched().get("content") == str(other.resolve()))
        (other / "a.md").write_text("x", encoding="utf-8")  # in the target: seen as the site's path
        _until(lambda: Change(Kind.CONTENT, "content/a.md") in recorder.changes)
        # The target replaced outside the site: no event reaches the site folder; the recheck finds it.
        rescans = recorder.rescans
        other.rename(tmp_path / "gone")
        other.mkdir()
        _until(lambda: recorder.rescans > rescans)
        (other / "b.md").write_text("x", encoding="utf-8")
        _until(lambda: Change(Kind.CONTENT, "content/b.md") in recorder.changes)
        (tmp_path / "gone/c.md").write_text("x", encoding="utf-8")  # the old target is no longer the site
        time.sleep(0.3)
        assert Change(Kind.CONTENT, "content/c.md") not in recorder.changes
    finally:
        watch.stop()


def test_lost_events_bring_a_rescan(tmp_path: Path) -> None:
    recorder = Recorder()
    watch = SiteWatch(tmp_path, recorder, recheck=10)  # type: ignore[arg-type]
    watch.start()
    try:
        logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; filesystem events "
                                                                 "were lost")
        _until(lambda: recorder.rescans == 1)
    finally:
        watch.stop()
