"""Differential: whatever a generated sequence of folder and file operations does to a served site (create,
delete, rename, replace, link, re-link, bursts), the preview's in-memory site ends byte-identical to
`digest build`'s on the same files, or shows the same error.

The preview runs for real (its watcher on the real file system, its debouncer and rebuilds on their own
threads); the sequence is bounded, and the number of examples follows the hypothesis profile of
tests/conftest.py: a few on a developer's machine, ten times as many in CI.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine.build import build_files
from generator.errors import DigestError
from generator.pages.search import BUNDLES
from generator.preview.server import Preview
from generator.site import frontmatter
from generator.site.config import load_config
from tests.conftest import ROOT
from tests.sitekit import write_article

TOPICS = ("heritage", "israel-lebanon")
SLUGS = ("minaret", "truce", "church", "strike")
TITLES = ("Minaret rebuilt", "Truce proposal", "Church reopened")
DATES = ("2024-11-14", "2024-11-10T09:30:00+02:00", "2099-01-01")  # the last one in the future

Op = tuple[object, ...]

ops = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(TOPICS), st.sampled_from(SLUGS), st.sampled_from(TITLES),
              st.sampled_from(DATES)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("rename"), st.integers(0, 9), st.sampled_from(TOPICS), st.sampled_from(SLUGS)),
    st.tuples(st.just("burst"), st.integers(0, 9), st.integers(2, 8)),
    st.tuples(st.just("rename-topic"), st.integers(0, 1), st.sampled_from(("heritage", "region"))),
    st.tuples(st.just("replace-content")),  # mv content old && cp -r old content
    st.tuples(st.just("remove-content"), st.booleans()),  # rm -rf content (and made again, or not)
    st.tuples(st.just("link")),  # content moved elsewhere, a link left in its place
    st.tuples(st.just("re-link"), st.booleans()),  # the link pointed at a changed copy
    st.tuples(st.just("unlink")),  # the link replaced by a real folder again
    st.tuples(st.just("template"), st.integers(0, 2)),  # written, edited, or the folder removed
    st.tuples(st.just("static"), st.integers(0, 2)),
    st.tuples(st.just("config"), st.sampled_from(("Digest A", "Digest B"))),
)
pauses = st.sampled_from((0.0, 0.0, 0.05, 0.2))


class World:
    """A site folder and a folder elsewhere (other checkouts) that the operations act on."""

    def __init__(self, base: Path) -> None:
        self.site, self.elsewhere = base / "site", base / "elsewhere"
        self.elsewhere.mkdir()
        self.site.mkdir()
        shutil.copy(ROOT / "site.yaml", self.site / "site.yaml")
        for name in ("templates", "static"):
            shutil.copytree(ROOT / name, self.site / name)
        (self.site / "content").mkdir()
        write_article(self.site, "heritage", "minaret", title="Minaret rebuilt", date="2024-11-14")
        self.n = 0

    @property
    def content(self) -> Path:
        return self.site / "content"

    def fresh(self, name: str) -> Path:
        self.n += 1
        return self.elsewhere / f"{name}-{self.n}"

    def articles(self) -> list[Path]:
        return sorted(self.content.rglob("*.md")) if self.content.is_dir() else []

    def pick(self, i: int) -> Path | None:
        found = self.articles()
        return found[i % len(found)] if found else None

    def link_to(self, target: Path) -> None:
        temp = self.site / "content.tmp-link"  # ln -sfn: a new link renamed over the old
        temp.symlink_to(target, target_is_directory=True)
        temp.replace(self.content)

    def apply(self, op: Op) -> None:
        kind, *args = op
        getattr(self, "do_" + str(kind).replace("-", "_"))(*args)

    def do_write(self, topic: str, slug: str, title: str, date: str) -> None:
        if self.content.exists():
            write_article(self.site, topic, slug, title=title, date=date, body=f"{title} on {date}.")

    def do_delete(self, i: int) -> None:
        if (path := self.pick(i)) is not None:
            path.unlink()

    def do_rename(self, i: int, topic: str, slug: str) -> None:
        if (path := self.pick(i)) is not None:
            (self.content / topic).mkdir(exist_ok=True)
            path.replace(self.content / topic / f"{slug}.md")

    def do_burst(self, i: int, n: int) -> None:
        if (path := self.pick(i)) is not None:
            text = path.read_text(encoding="utf-8")
            for k in range(n):
                path.write_text(text + f"\nBurst line {k}.\n", encoding="utf-8")

    def do_rename_topic(self, i: int, to: str) -> None:
        folders = sorted(p for p in self.content.iterdir() if p.is_dir()) if self.content.is_dir() else []
        if folders and not (self.content / to).exists():
            folders[i % len(folders)].rename(self.content / to)

    def do_replace_content(self) -> None:
        if self.content.is_dir() and not self.content.is_symlink():
            old = self.fresh("old")
            self.content.rename(old)
            shutil.copytree(old, self.content)

    def do_remove_content(self, again: bool) -> None:
        if self.content.is_symlink():
            self.content.unlink()
        elif self.content.exists():
            shutil.rmtree(self.content)
        if again:
            write_article(self.site, "heritage", "church", title="Church reopened", date="2024-11-12")

    def do_link(self) -> None:
        if self.content.is_dir() and not self.content.is_symlink():
            target = self.fresh("checkout")
            self.content.rename(target)
            self.content.symlink_to(target, target_is_directory=True)

    def do_re_link(self, changed: bool) -> None:
        if self.content.is_symlink() and self.content.is_dir():
            copy = self.fresh("checkout")
            shutil.copytree(self.content.resolve(), copy)
            if changed:  # the other checkout holds one more article
                (copy / "heritage").mkdir(exist_ok=True)
                (copy / "heritage/strike.md").write_text(_article_text("Strike", "2024-11-11"), encoding="utf-8")
            self.link_to(copy)

    def do_unlink(self) -> None:
        if self.content.is_symlink():
            target = self.content.resolve()
            self.content.unlink()
            if target.is_dir():
                shutil.copytree(target, self.content)

    def do_template(self, variant: int) -> None:
        mine = self.site / "templates/article.html"
        if variant == 2:
            shutil.rmtree(self.site / "templates", ignore_errors=True)
            return
        mine.parent.mkdir(exist_ok=True)
        theme = (ROOT / "templates/article.html").read_text(encoding="utf-8")
        mine.write_text(theme.replace('<article class="story">', f'<article class="story"><p>Variant {variant}</p>'),
                        encoding="utf-8")

    def do_static(self, variant: int) -> None:
        if variant == 2:
            shutil.rmtree(self.site / "static", ignore_errors=True)
            return
        extra = self.site / "static/extra.css"
        extra.parent.mkdir(exist_ok=True)
        extra.write_text(f"body {{ outline: {variant}px solid red; }}\n", encoding="utf-8")

    def do_config(self, title: str) -> None:
        config = self.site / "site.yaml"
        lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
        config.write_text("".join(f"title: {title}\n" if line.startswith("title:") else line for line in lines),
                          encoding="utf-8")


def _article_text(title: str, date: str) -> str:
    return frontmatter.dump({"id": f"test-{title.lower()}", "title": title, "date": date, "topic": "heritage"},
                            f"{title} text.")


def _fresh_build(site: Path) -> tuple[dict[str, bytes] | None, str | None]:
    """What `digest build` makes of the files now: (its files, None) or (None, its error)."""
    try:
        return dict(build_files(load_config(site), drafts=True).files), None
    except DigestError as exc:
        return None, str(exc)


def _settled(preview: Preview, site: Path) -> Callable[[], str | None]:
    def difference() -> str | None:
        files, error = _fresh_build(site)
        served, served_error = preview.state.rebuilder.files, preview.state.rebuilder.error
        if error is not None:
            return None if served_error == error else f"build failed with {error!r}, preview has {served_error!r}"
        if served_error is not None:
            return f"build succeeded, preview failed with {served_error!r}"
        assert files is not None
        # The search index is made beside the pages, in the background (tests/test_search.py checks that the
        # preview's index equals the build's); the pages and feeds are what must be equal at every moment.
        served = {path: data for path, data in served.items() if not path.startswith(BUNDLES)}
        files = {path: data for path, data in files.items() if not path.startswith(BUNDLES)}
        if served == files:
            return None
        differ = sorted(p for p in served.keys() | files.keys() if served.get(p) != files.get(p))
        return f"{len(differ)} files differ: {differ[:8]}"

    return difference


@settings(max_examples=max(3, settings.default.max_examples // 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ops, pauses), min_size=1, max_size=8))
def test_after_any_sequence_the_preview_equals_a_fresh_build(sequence: list[tuple[Op, float]]) -> None:
    with tempfile.TemporaryDirectory() as base:
        world = World(Path(base))
        preview = Preview(world.site, port=0, out=io.StringIO(), quiet=0.02)
        preview.start()
        try:
            for op, pause in sequence:
                world.apply(op)
                time.sleep(pause)
            difference = _settled(preview, world.site)
            deadline = time.monotonic() + 10
            stable = 0
            while stable < 2:  # equal, and still equal a little later: nothing was pending
                problem = difference()
                stable = stable + 1 if problem is None else 0
                assert problem is None or time.monotonic() < deadline, f"{problem} after {sequence}"
                time.sleep(0.25)
        finally:
            preview.stop()
