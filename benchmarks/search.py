"""What search costs: the index in a cold build, after a one-article edit, and for a reader in Chromium.

    python benchmarks/search.py [--articles 2000] [--runs 3] [--word WORD]

Writes a synthetic corpus (`benchmarks/corpus.py`) into a temporary folder, then
measures, each `--runs` times (medians are printed):

- `digest build --no-cache`: the whole build and its search index (from the summary line);
- `digest build` after editing one article's body: the build and the re-index of its bundle;
- the Pagefind CLI run once over the whole built site's article pages, as a one-index reference (what a
  site that indexes everything in one run pays after any edit);
- a reader's search for `--word` on `/search/?q=WORD` in Chromium, over a plain static server: the
  requests and bytes the page fetched after its own HTML (script, index bundles, fragments), and the
  time until the first results were shown.
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.engine import search  # noqa: E402

INDEX_RE = re.compile(r"\(search index: (\d+) of (\d+) bundles? in (\d+\.\d+) s\)")
TOTAL_RE = re.compile(r"in (\d+\.\d+) s \(search index")


def digest(*args: str) -> tuple[float, int, int, float]:
    """Run `digest build ARGS`: (whole build s, bundles indexed, bundles, index s), from its summary line."""
    run = subprocess.run([sys.executable, "-m", "generator", "build", *args], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    line = run.stdout.strip().splitlines()[-1]
    index, total = INDEX_RE.search(line), TOTAL_RE.search(line)
    assert index and total, line
    return float(total.group(1)), int(index.group(1)), int(index.group(2)), float(index.group(3))


def pagefind_cli(public: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([str(search.binary()), "--site", str(public), "--glob", "[0-9][0-9][0-9][0-9]/**/*.html",
                        "--output-path", out, "--silent"], check=True)
        return time.perf_counter() - start


def reader(public: Path, word: str) -> tuple[int, int, float]:
    """(requests, bytes, ms to the first results) of one search in Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(public)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page()
            sizes: list[int] = []  # every response after the page's own HTML, the worker's fetches included
            page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={word}")
            page.wait_for_selector(".search-result a", timeout=60_000)
            shown = (time.perf_counter() - start) * 1000
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            entries = sizes[1:]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return len(entries), sum(entries), shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--word", default="Baghdad")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digest-search-bench-") as tmp:
        site = Path(tmp, "site")
        subprocess.run([sys.executable, str(ROOT / "benchmarks/corpus.py"), str(site), "--articles",
                        str(args.articles)], check=True, stdout=subprocess.DEVNULL)
        cold, edit, cli, seen = [], [], [], []
        for run in range(args.runs):
            out = Path(tmp, f"cold-{run}")
            cold.append(digest("--site", str(site), "--output", str(out), "--no-cache"))
            shutil.rmtree(out)
        public = site / "public"
        digest("--site", str(site))  # fill the cache
        articles = sorted((site / "content").rglob("*.md"))
        for run in range(args.runs):
            path = articles[run * 7 % len(articles)]
            path.write_text(path.read_text(encoding="utf-8") + f"\nAn added sentence, number {run}.\n",
                            encoding="utf-8")
            edit.append(digest("--site", str(site)))
            cli.append(pagefind_cli(public))
            seen.append(reader(public, args.word))

    def med(values: list[float]) -> float:
        return statistics.median(values)

    bundles = cold[0][2]
    print(f"{args.articles} articles, {bundles} bundles, {args.runs} runs (medians)")
    print(f"  cold build --no-cache: {med([c[0] for c in cold]):.2f} s, "
          f"of which index {med([c[3] for c in cold]):.2f} s")
    print(f"  one-edit build: {med([e[0] for e in edit]):.2f} s, re-indexing {edit[0][1]} bundle(s) in "
          f"{med([e[3] for e in edit]):.2f} s")
    print(f"  Pagefind CLI over all article pages, one index: {med(cli):.2f} s")
    print(f"  reader, one search for {args.word!r}: {int(med([s[0] for s in seen]))} requests, "
          f"{med([s[1] for s in seen]) / 1024:.0f} KiB, first results after {med([s[2] for s in seen]):.0f} ms")


if __name__ == "__main__":
    main()
