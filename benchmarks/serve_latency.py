"""Edit saved -> new text visible in Chromium, through `digest serve`.

Copies a site to a temporary folder, starts the preview on it, opens one
article in Debian's Chromium (driven by playwright) and edits that article's
file N times. For each edit it reports two times, both from just before the
write:

- painted: when Chromium painted the new sentence, on the same wall clock as
  the write (`performance.timeOrigin` + `performance.now()`): where the
  preview swapped the new page into the open one, the end of the first frame
  that holds it (a task queued from that frame's `requestAnimationFrame`,
  which runs once the frame is painted); where it reloaded the page, the new
  document's first-contentful-paint: what the writer sees;
- observed: when playwright's `wait_for_function` saw the sentence, which adds
  playwright's own re-attachment after a navigation (~50-100 ms).

With search on in the site's `site.yaml`, the edits start once the preview's
first search index is built in the background (as when a writer edits a while
after starting `digest serve`); each edit's re-index then runs as in real use.

Prints medians and spread. Not a test: numbers depend on the machine.

    python benchmarks/serve_latency.py [--site DIR] [--runs 21]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.preview.server import Preview  # noqa: E402
from tests.browser import chromium  # noqa: E402


def measure(site: Path, runs: int, settle: float = 600.0) -> tuple[list[float], list[float]]:
    """(painted, observed) milliseconds of `runs` edits. With search on, the edits start once the
    preview's first search index is built (at most `settle` seconds after start), as when a writer
    edits a while after `digest serve` started, not while the whole index is still being made."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "site"
        skip = shutil.ignore_patterns("public", ".git", ".digest-cache", ".public.digest-*")
        shutil.copytree(site, work, ignore=skip)
        article = sorted((work / "content").rglob("*.md"))[0]
        preview = Preview(work, port=0, out=io.StringIO())  # as `digest serve` runs it
        preview.start()
        config = preview.state.rebuilder.config
        deadline = time.monotonic() + settle
        while config is not None and config.search and preview.state.search.runs == 0 \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        rel = next(p for p in preview.state.rebuilder.files
                   if p.endswith(f"/{article.stem}/index.html"))
        painted: list[float] = []
        observed: list[float] = []
        try:
            with chromium() as browser:
                page = browser.new_page()
                page.goto(preview.url + rel[: -len("index.html")])
                original = article.read_text(encoding="utf-8")
                for i in range(runs):
                    marker = f"Benchmark sentence number {i} is here."
                    text = original.rstrip("\n") + f"\n\n{marker}\n"
                    page.evaluate(WATCH_JS, marker)
                    wall = time.time() * 1000
                    start = time.perf_counter()
                    article.write_text(text, encoding="utf-8")
                    page.wait_for_function(f"document.body && document.body.innerText.includes({marker!r})",
                                           polling="raf", timeout=30_000)
                    observed.append((time.perf_counter() - start) * 1000)
                    paint = page.evaluate(PAINT_JS)
                    painted.append(paint - wall)
                    time.sleep(0.2)
        finally:
            preview.stop()
    return painted, observed


# Before the write: in the open document, note the end of the first frame that holds `marker`.
WATCH_JS = """marker => {
  window.__digestPaint = null;
  const observer = new MutationObserver(() => {
    if (!document.body || !document.body.textContent.includes(marker)) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { window.__digestPaint = performance.timeOrigin + performance.now(); };
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document.documentElement, {childList: true, subtree: true, characterData: true});
}"""

# Epoch milliseconds of that frame when the open document was swapped (WATCH_JS ran in it), else the
# reloaded document's first contentful paint.
PAINT_JS = """() => new Promise(resolve => {
  if (window.__digestPaint !== undefined) {
    const wait = () => window.__digestPaint ? resolve(window.__digestPaint) : requestAnimationFrame(wait);
    return wait();
  }
  const done = e => resolve(performance.timeOrigin + e.startTime);
  const seen = performance.getEntriesByName('first-contentful-paint');
  if (seen.length) return done(seen[0]);
  new PerformanceObserver(list => done(list.getEntries()[0])).observe({type: 'paint', buffered: true});
})"""


def _line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    return (f"  {name:9} median {statistics.median(values):4.0f} ms   min {ordered[0]:4.0f}   "
            f"p90 {ordered[max(0, int(len(ordered) * 0.9) - 1)]:4.0f}   max {ordered[-1]:4.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default=str(ROOT), help="site folder to copy (default: the bundled site)")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    painted, observed = measure(Path(args.site), args.runs)
    print(f"edit saved -> new text in Chromium, {len(painted)} edits on {args.site}:")
    print(_line("painted", painted))
    print(_line("observed", observed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
