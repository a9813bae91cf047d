"""The performance table of issue 5: digest (and Hugo, Pelican when installed) on synthetic corpora.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 3] [--work DIR] [--no-serve] [--no-others]

For each size N it writes the corpus (`benchmarks/corpus.py`, seeded), then
times, as medians of `--runs` runs, each in a fresh process whose peak memory
(largest process, workers included) is read from `getrusage(RUSAGE_CHILDREN)`:

- cold: `digest build --no-cache` into an empty folder, taking turns with Hugo's
  cold build of the same corpus (converted to Hugo's format), so that both meet
  the same machine;
- nothing changed: `digest build` again, with its cache;
- one edit: `digest build` after appending a sentence to one article;
- serve: edit saved -> new text painted in Chromium (`serve_latency.measure`);
- Pelican: one cold build.

Every cold build writes into a new folder, and the outputs are deleted only when
all is measured: some file systems (ext4 without a journal, as on our test
machines) avoid reusing the inodes of files deleted in the last minutes, and
creating files right after deleting a large tree then costs several times more
CPU in the kernel, whichever tool does it.

It prints the table, pages written per second, the growth t(N_max)/t(N_min) and
the ratios to Hugo and Pelican. Absolute numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(seconds, peak MiB of the largest process) of `cmd`, run from a fresh child process."""
    probe = ("import json, resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(json.dumps([time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True, cwd=cwd)
    seconds, mib = json.loads(out.stdout)
    return seconds, mib


def median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def cold_cases(site: Path, others: bool, runs: int, outs: Path) -> dict[str, tuple[float, float]]:
    """digest's and Hugo's cold builds, in turns, each into a new folder under `outs`."""
    hugo = shutil.which("hugo", path=str(BIN)) or shutil.which("hugo")
    hsite = hugo_site(site, outs.parent / f"hugo-{site.name}") if hugo and others else None
    digest, hugo_runs = [], []
    for i in range(runs):
        shutil.rmtree(site / ".digest-cache", ignore_errors=True)
        digest.append(timed([str(BIN / "digest"), "build", "--site", str(site), "--no-cache", "--quiet",
                             "--output", str(outs / f"{site.name}-digest-{i}")]))
        if hugo and hsite:
            hugo_runs.append(timed([hugo, "--quiet", "--source", str(hsite), "--destination",
                                    str(outs / f"{site.name}-hugo-{i}")]))
    cases = {"cold": median(digest)}
    if hugo_runs:
        cases["hugo cold"] = median(hugo_runs)
    pelican = BIN / "pelican"
    if pelican.exists() and others:
        psite = pelican_site(site, outs.parent / f"pelican-{site.name}")
        cases["pelican cold (1 run)"] = timed([str(pelican), "-q", "content", "-s", "pelicanconf.py",
                                               "-o", str(outs / f"{site.name}-pelican")], cwd=psite)
    return cases


def digest_cases(site: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Rebuilds of `site/public` with the cache: nothing changed, then one article edited."""
    digest = str(BIN / "digest")
    same, edit = [], []
    article = sorted((site / "content").rglob("*.md"))[0]
    original = article.read_text(encoding="utf-8")
    # A build, then another with the cache: the output, its spare and the cache are in place.
    subprocess.run([digest, "build", "--site", str(site), "--quiet", "--no-cache"], check=True)
    subprocess.run([digest, "build", "--site", str(site), "--quiet"], check=True)
    try:
        for i in range(runs):
            time.sleep(2.1)  # let the inputs age past the cache's racy-stamp window, as between real edits
            same.append(timed([digest, "build", "--site", str(site), "--quiet"]))
            article.write_text(original + f"\nAn edited sentence, number {i}.\n", encoding="utf-8")
            edit.append(timed([digest, "build", "--site", str(site), "--quiet"]))
    finally:
        article.write_text(original, encoding="utf-8")
    return {"nothing changed": median(same), "one edit": median(edit)}


def hugo_site(site: Path, dest: Path) -> Path:
    """The corpus as a Hugo site: same articles, topics and tags as taxonomies, paginated lists, RSS."""
    sys.path.insert(0, str(ROOT))
    from generator.site import frontmatter

    if (dest / "hugo.toml").is_file():
        return dest  # converted by an earlier run: the corpus of a size is always the same
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "layouts" / "_default").mkdir(parents=True)
    (dest / "hugo.toml").write_text(
        'baseURL = "https://digest.example.org/"\ntitle = "Digest"\n[taxonomies]\ntag = "tags"\ntopic = "topics"\n'
        "[pagination]\npagerSize = 10\n[services.rss]\nlimit = 20\n", encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    page = ("<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>"
            "{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></body></html>")
    listing = ("<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>"
               "{{ range .Paginator.Pages }}<article><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>"
               "<p>{{ .Summary }}</p></article>{{ end }}</body></html>")
    (layouts / "single.html").write_text(page, encoding="utf-8")
    (layouts / "list.html").write_text(listing, encoding="utf-8")
    (layouts / "terms.html").write_text("<ul>{{ range .Data.Terms.Alphabetical }}<li>{{ .Page.Title }}</li>"
                                        "{{ end }}</ul>", encoding="utf-8")
    for src in (site / "content").rglob("*.md"):
        doc = frontmatter.split(src.read_text(encoding="utf-8"), str(src))
        meta = {"title": doc.meta["title"], "date": str(doc.meta["date"]), "tags": doc.meta.get("tags", []),
                "topics": [doc.meta["topic"]]}
        target = dest / "content" / src.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(frontmatter.dump(meta, doc.body), encoding="utf-8")
    return dest


def pelican_site(site: Path, dest: Path) -> Path:
    """The corpus as a Pelican site: categories for topics, tags, feeds for both, pagination by 10."""
    sys.path.insert(0, str(ROOT))
    from generator.site import frontmatter

    if (dest / "pelicanconf.py").is_file():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "content").mkdir(parents=True)
    (dest / "pelicanconf.py").write_text(
        'SITENAME = "Digest"\nSITEURL = "https://digest.example.org"\nTIMEZONE = "Asia/Beirut"\n'
        "DEFAULT_PAGINATION = 10\nFEED_ALL_RSS = 'feeds/all.rss.xml'\nCATEGORY_FEED_RSS = 'feeds/{slug}.rss.xml'\n"
        "TAG_FEED_RSS = 'feeds/tag-{slug}.rss.xml'\nFEED_MAX_ITEMS = 20\nLOAD_CONTENT_CACHE = False\n",
        encoding="utf-8")
    for src in (site / "content").rglob("*.md"):
        doc = frontmatter.split(src.read_text(encoding="utf-8"), str(src))
        head = (f"Title: {doc.meta['title']}\nDate: {doc.meta['date']}\nCategory: {doc.meta['topic']}\n"
                f"Tags: {', '.join(doc.meta.get('tags', []))}\nSlug: {src.stem}\n\n")
        (dest / "content" / f"{src.parent.name}-{src.name}").write_text(head + doc.body, encoding="utf-8")
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/digest-bench", help="folder for corpora and outputs")
    parser.add_argument("--no-serve", action="store_true", help="skip the Chromium edit -> paint case")
    parser.add_argument("--no-others", action="store_true", help="skip Hugo and Pelican")
    args = parser.parse_args()
    work = Path(args.work)
    rows: dict[int, dict[str, tuple[float, float]]] = {}
    pages: dict[int, int] = {}
    outs = work / "outputs"
    shutil.rmtree(outs, ignore_errors=True)
    outs.mkdir(parents=True)
    for n in args.sizes:
        site = work / f"c{n}"
        if not (site / "site.yaml").is_file():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(site), "--articles", str(n)],
                           check=True, stdout=subprocess.DEVNULL)
        row = cold_cases(site, not args.no_others, args.runs, outs)
        row.update(digest_cases(site, args.runs))
        pages[n] = sum(1 for _ in (site / "public").rglob("*") if _.is_file())
        if not args.no_serve:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from serve_latency import measure

            painted, _observed = measure(site, 11)
            row["serve (ms)"] = (statistics.median(painted) / 1000, 0.0)
        rows[n] = row
    shutil.rmtree(outs, ignore_errors=True)
    print(f"\nmedians of {args.runs} runs; peak memory of the largest process")
    for n, row in rows.items():
        print(f"\nN = {n} ({pages[n]} files)")
        for case, (seconds, mib) in row.items():
            shown = f"{seconds * 1000:8.0f} ms" if case.startswith("serve") else f"{seconds:8.2f} s "
            print(f"  {case:22} {shown} {mib:8.0f} MiB")
        cold = row["cold"][0]
        print(f"  pages written per second (cold): {pages[n] / cold:,.0f}")
        for other in ("hugo cold", "pelican cold (1 run)"):
            if other in row:
                print(f"  digest cold / {other.split()[0]}: {cold / row[other][0]:.2f}")
    if len(rows) > 1:
        low, high = min(rows), max(rows)
        print(f"\ngrowth t({high})/t({low}), cold: {rows[high]['cold'][0] / rows[low]['cold'][0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
