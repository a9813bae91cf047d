"""How soon `digest serve`'s in-memory site catches up after what happens to the site's folders.

Copies a site to a temporary folder, starts the preview on it (in this process, its watcher on the real
file system) and times, from just before each operation until the served bytes hold the change:

- templates-new: `templates/` removed at start, then a first `templates/article.html` written;
- content-reimport: `rm -rf content`, then the articles written again, one of them changed;
- content-copied-back: `mv content old && cp -r old content`, then an article edited;
- re-link: `content` a link to one checkout, re-pointed (`ln -sfn`) at a changed copy;
- target-replaced: the link's target folder replaced outside the site (found by the recheck);
- due: a future article's moment passing, until its page is served.

Prints the median of N runs of each. Not a test: numbers depend on the machine.

    python benchmarks/serve_follow.py [--site DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.preview.server import Preview  # noqa: E402
from generator.site.config import load_config  # noqa: E402
from tests.sitekit import write_article  # noqa: E402

MARK = "Benchmark mark"


def _until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the preview did not catch up in 20 s")
        time.sleep(0.002)


def _served(preview: Preview, text: str) -> bool:
    return any(text.encode() in data for data in list(preview.state.rebuilder.files.values()))


def _edit_first(content: Path, text: str) -> None:
    article = sorted(content.rglob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def one_run(site: Path, kind: str, n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        work, elsewhere = Path(tmp) / "site", Path(tmp) / "elsewhere"
        elsewhere.mkdir()
        skip = shutil.ignore_patterns("public", ".git", ".digest-cache", ".public.digest-*")
        shutil.copytree(site, work, ignore=skip)
        content = work / "content"
        if kind == "templates-new":
            shutil.rmtree(work / "templates", ignore_errors=True)
        if kind in ("re-link", "target-replaced"):
            content.rename(elsewhere / "a")
            content.symlink_to(elsewhere / "a", target_is_directory=True)
        preview = Preview(work, port=0, out=io.StringIO(), quiet=0.02)
        if kind == "due":
            zone = load_config(work).tz
            moment = (datetime.now(zone) + timedelta(seconds=2)).replace(microsecond=0)
            write_article(work, "heritage", "due-benchmark", title="Due", date=moment.isoformat(),
                          body=f"{MARK} {n}")
        preview.start()
        try:
            mark = f"{MARK} {n}"
            start = time.perf_counter()
            if kind == "templates-new":
                (work / "templates").mkdir()
                theme = (ROOT / "templates/article.html").read_text(encoding="utf-8")
                (work / "templates/article.html").write_text(
                    theme.replace('<article class="story">', f'<article class="story"><p>{mark}</p>'),
                    encoding="utf-8")
            elif kind == "content-reimport":
                saved = Path(tmp) / "saved"
                shutil.copytree(content, saved)
                start = time.perf_counter()
                shutil.rmtree(content)
                shutil.copytree(saved, content)
                _edit_first(content, mark)
            elif kind == "content-copied-back":
                content.rename(work / "old")
                shutil.copytree(work / "old", content)
                _edit_first(content, mark)
            elif kind == "re-link":
                shutil.copytree(elsewhere / "a", elsewhere / "b")
                _edit_first(elsewhere / "b", mark)
                start = time.perf_counter()
                (work / "link.tmp").symlink_to(elsewhere / "b", target_is_directory=True)
                (work / "link.tmp").replace(content)
            elif kind == "target-replaced":
                shutil.copytree(elsewhere / "a", elsewhere / "b")
                _edit_first(elsewhere / "b", mark)
                start = time.perf_counter()
                (elsewhere / "a").rename(elsewhere / "old")
                (elsewhere / "b").rename(elsewhere / "a")
            elif kind == "due":
                start = time.perf_counter() + (moment - datetime.now(moment.tzinfo)).total_seconds()
            _until(lambda: _served(preview, mark))
            return time.perf_counter() - start
        finally:
            preview.stop()


KINDS = ("templates-new", "content-reimport", "content-copied-back", "re-link", "target-replaced", "due")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for kind in KINDS:
        times = [one_run(args.site, kind, n) for n in range(args.runs)]
        print(f"{kind:20} median {statistics.median(times) * 1000:6.0f} ms   "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
