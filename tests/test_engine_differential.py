"""One engine, three ways to run it, one site: after any sequence of edits, the preview's in-memory site
(`Rebuilder`, fed the watcher's change sets), `digest build` with its cache (kept from step to step) and
`digest build --no-cache` into an empty folder hold exactly the same files, byte for byte."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.engine.build import build_files
from generator.engine.changes import Change, ChangeSet, classify
from generator.engine.incremental import Build
from generator.engine.rebuild import Rebuilder
from generator.engine.sinks import MemorySite, OutputFolder
from generator.engine.state import DiskStore, MemoryStore
from generator.pages.search import BUNDLES
from generator.publish.output import MARKER
from generator.site.config import load_config
from tests.conftest import ROOT
from tests.sitekit import write_article
from tests.test_cache import tree

TOPICS = ("heritage", "israel-lebanon")
TAGS = ("mosul", "unesco", "beirut")
N = 8


def _site(root: Path) -> Path:
    site = root / "site"
    site.mkdir()
    text = (ROOT / "site.yaml").read_text(encoding="utf-8").replace("page_size: 10", "page_size: 3")
    (site / "site.yaml").write_text(text, encoding="utf-8")
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, site / name)
    for i in range(N):
        write_article(site, TOPICS[i % 2], f"story-{i}", title=f"Story {i}", date=f"2024-11-{i + 1:02d}",
                      body=f"Paragraph of story {i}.\n\nSecond paragraph.", tags=list(TAGS[: 1 + i % 3]),
                      highlights=[f"Highlight {i}"], **({"draft": True} if i == 6 else {}))
    return site


def _file(site: Path, i: int) -> Path | None:
    found = sorted((site / "content").rglob(f"story-{i}*.md"))
    return found[0] if found else None


def _sub(site: Path, i: int, pattern: str, new: str) -> list[Path]:
    path = _file(site, i)
    if path is None:
        return []
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, new, text, count=1, flags=re.M), encoding="utf-8")
    return [path]


def _body(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^Second paragraph.*$", f"Second paragraph, edited {i}.")


def _same_size(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^Paragraph of story (\d)", f"Paragraph of story {(i + 1) % 10}")


def _title(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^title: .*$", f"title: Story {i}, retitled")


def _date(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^date: .*$", f"date: '2024-10-{i + 3:02d}'")


def _future(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^date: .*$", "date: '2099-01-01'")


def _tags(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^- (mosul|unesco|beirut)$", "- baalbek")


def _topic(site: Path, i: int) -> list[Path]:
    return _sub(site, i, r"^topic: .*$", f"topic: {TOPICS[(i + 1) % 2]}")


def _draft(site: Path, i: int) -> list[Path]:
    path = _file(site, i)
    if path is None:
        return []
    text = path.read_text(encoding="utf-8")
    drafted = "draft: true\n" in text
    text = text.replace("draft: true\n", "") if drafted else text.replace("---\n", "---\ndraft: true\n", 1)
    path.write_text(text, encoding="utf-8")
    return [path]


def _add(site: Path, i: int) -> list[Path]:
    return [write_article(site, TOPICS[i % 2], f"added-{i}", title=f"Added {i}", date=f"2024-11-{20 + i:02d}",
                          body="New.", tags=[TAGS[i % 3]])]


def _delete(site: Path, i: int) -> list[Path]:
    path = _file(site, i)
    if path is None:
        return []
    path.unlink()
    return [path]


def _rename(site: Path, i: int) -> list[Path]:
    path = _file(site, i)
    if path is None:
        return []
    moved = path.with_name(f"{path.stem}-moved.md")
    path.rename(moved)
    return [path, moved]


def _template(site: Path, i: int) -> list[Path]:
    path = site / "templates" / "article.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</article>", f"<p>Template {i}.</p></article>", 1), encoding="utf-8")
    return [path]


def _static(site: Path, i: int) -> list[Path]:
    path = site / "static" / "style.css"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n.edit-{i} {{ color: black; }}\n")
    return [path]


def _config(site: Path, i: int) -> list[Path]:
    path = site / "site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^page_size: \d+$", f"page_size: {2 + i % 3}", text), encoding="utf-8")
    return [path]


EDITS: dict[str, Callable[[Path, int], list[Path]]] = {
    "body": _body, "same size": _same_size, "title": _title, "date": _date, "future": _future, "tags": _tags,
    "topic": _topic, "draft": _draft, "add": _add, "delete": _delete, "rename": _rename, "template": _template,
    "static": _static, "site.yaml": _config,
}


def _published(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in tree(folder).items() if rel != MARKER}


def _check(site: Path, preview: Rebuilder, clean: Path | None = None) -> None:
    """The preview's files are those `digest build` (with its cache) writes but the search index (the preview's
    is its background job's), and, given a `clean` folder, the cached build's files, index and all, are those of
    `digest build --no-cache` into it."""
    assert preview.error is None, preview.error
    assert main(["build", "--site", str(site), "--quiet", "--jobs", "1"]) == 0
    built = _published(site / "public")
    pages = {rel: data for rel, data in built.items() if not rel.startswith(BUNDLES)}
    assert sorted(preview.files) == sorted(pages)
    assert [rel for rel in pages if preview.files[rel] != pages[rel]] == []
    if clean is not None:
        assert main(["build", "--site", str(site), "--output", str(clean), "--no-cache", "--quiet",
                     "--jobs", "1"]) == 0
        assert _published(clean) == built


def _run(root: Path, steps: list[tuple[str, int]]) -> None:
    site = _site(root)
    preview = Rebuilder(site)
    assert preview.full().error is None
    _check(site, preview)
    for n, (name, i) in enumerate(steps):
        touched = EDITS[name](site, i)
        rels = [p.relative_to(site).as_posix() for p in touched]
        preview.apply(ChangeSet(frozenset(Change(classify(site / rel, site), rel) for rel in rels)))
        _check(site, preview, root / f"clean-{n}" if n == len(steps) - 1 else None)


def test_every_kind_of_edit_in_one_sequence(tmp_path: Path) -> None:
    _run(tmp_path, [(name, i) for i, name in enumerate(EDITS)])


@settings(max_examples=max(5, settings.default.max_examples // 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, N - 1)), min_size=1, max_size=4))
def test_any_sequence_of_edits(tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int]]) -> None:
    _run(tmp_path_factory.mktemp("edits"), steps)


def test_an_article_coming_due_appears_with_either_store(tmp_path: Path) -> None:
    """The same engine, a later moment and nothing else changed: the article dated in between is published,
    whether the last build is kept on disk or in memory, and the site is that of a clean build then."""
    site = _site(tmp_path)
    _sub(site, 3, r"^date: .*$", "date: '2030-06-01T12:00:00+00:00'")
    config = load_config(site)
    before, after = datetime(2030, 6, 1, 11, tzinfo=UTC), datetime(2030, 6, 1, 13, tzinfo=UTC)
    memory = MemorySite()
    preview = Build(MemoryStore())
    folder = tmp_path / "out"
    build = Build(DiskStore(site / ".digest-cache"))
    first = preview.run(config, memory, now=before)
    assert [a.key for a in first.totals.skipped] == ["2030/06/story-3/"]
    assert first.totals.due == datetime(2030, 6, 1, 12, tzinfo=UTC)
    assert build.run(config, OutputFolder(folder), now=before).totals.skipped == first.totals.skipped
    assert preview.run(config, memory, changes=ChangeSet(frozenset()), now=before).report == frozenset()  # nothing
    clean = build_files(config, now=after)
    for result in (preview.run(config, memory, changes=ChangeSet(frozenset()), now=after),
                   Build(DiskStore(site / ".digest-cache")).run(config, OutputFolder(folder), now=after)):
        assert result.totals.skipped == () and result.totals.due is None and not result.fast
    assert memory.files == clean.files == _published(folder)


def test_drafts_on_and_off_over_one_cache(tmp_path: Path) -> None:
    """`--drafts` changes which articles are published, not how any file parses: a cached build that switches
    it on, then off again, publishes what a clean build with that option does (the draft's page comes and goes)."""
    site = _site(tmp_path)
    draft = "2024/11/story-6/index.html"
    for n, options in enumerate(([], ["--drafts"], [], ["--drafts"])):
        assert main(["build", "--site", str(site), "--quiet", "--jobs", "1", *options]) == 0
        clean = tmp_path / f"clean-{n}"
        assert main(["build", "--site", str(site), "--output", str(clean), "--no-cache", "--quiet", "--jobs", "1",
                     *options]) == 0
        built = _published(site / "public")
        assert (draft in built) == bool(options)
        assert built == _published(clean)
