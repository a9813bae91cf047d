"""The performance table of issue 18: digest beside Hugo on a news-shaped and a rich corpus.

    python benchmarks/run.py [--sizes 10000] [--corpora news rich] [--runs 5] [--work DIR]
                             [--no-serve] [--no-others] [--pelican]
    python benchmarks/run.py --sizes 100000 --corpora news --runs 3 --no-serve   # the large run (minutes)

Two corpora of each size N, both deterministic:

- **news** (`benchmarks/news.py`): page dumps shaped like the seed, run through
  `digest import`: plain prose paragraphs with curly quotes, captions, boxes and
  highlights in front matter, now and then an escaped character or a list;
- **rich** (`benchmarks/corpus.py`): hand-written Markdown with emphasis, links
  and a block quote in every article.

For each, as medians of `--runs` runs with their spread (min-max), each in a
fresh process whose peak memory (the largest process, workers included) is read
from `getrusage(RUSAGE_CHILDREN)`:

- cold: `digest build --no-cache` into an empty folder (search off: digest has no
  search yet), taking turns with Hugo's cold build of the same Markdown (converted
  to Hugo's format), so that both meet the same machine;
- nothing changed: `digest build` again, with its cache;
- text edit: `digest build` after appending a sentence to one article;
- title edit: `digest build` after changing one article's title (every page with
  its card is rendered again);
- serve (news only): edit saved -> new text painted in Chromium (`serve_latency.measure`);
- Pelican (`--pelican`): one cold build.

Every cold build writes into a new folder, and the outputs are deleted only when
all is measured: some file systems (ext4 without a journal, as on our test
machines) avoid reusing the inodes of files deleted in the last minutes, and
creating files right after deleting a large tree then costs several times more
CPU in the kernel, whichever tool does it.

It prints one table per size, the corpora side by side, with the ratios to Hugo,
the pages written per second and, for two sizes or more, the growth of the cold
build. Absolute numbers depend on the machine: compare the columns.
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


Sample = tuple[float, float]  # seconds, peak MiB
Case = tuple[float, float, float, float]  # median s, min s, max s, peak MiB


def summary(samples: list[Sample]) -> Case:
    seconds = [s for s, _ in samples]
    return statistics.median(seconds), min(seconds), max(seconds), max(m for _, m in samples)


def cold_cases(site: Path, others: bool, pelican: bool, runs: int, outs: Path) -> dict[str, Case]:
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
    cases = {"cold": summary(digest)}
    if hugo_runs:
        cases["hugo cold"] = summary(hugo_runs)
    if (BIN / "pelican").exists() and pelican:
        psite = pelican_site(site, outs.parent / f"pelican-{site.name}")
        cases["pelican cold"] = summary([timed([str(BIN / "pelican"), "-q", "content", "-s", "pelicanconf.py",
                                                "-o", str(outs / f"{site.name}-pelican")], cwd=psite)])
    return cases


def digest_cases(site: Path, runs: int) -> dict[str, Case]:
    """Rebuilds of `site/public` with the cache: nothing changed, one article's text, one article's title."""
    digest = [str(BIN / "digest"), "build", "--site", str(site), "--quiet"]
    same, text, title = [], [], []
    article = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
    original = article.read_text(encoding="utf-8")
    # A build, then another with the cache: the output, its spare and the cache are in place.
    subprocess.run([*digest, "--no-cache"], check=True)
    subprocess.run(digest, check=True)
    try:
        for i in range(runs):
            time.sleep(2.1)  # let the inputs age past the cache's racy-stamp window, as between real edits
            same.append(timed(digest))
            article.write_text(original + f"\nAn edited sentence, number {i}.\n", encoding="utf-8")
            text.append(timed(digest))
            time.sleep(2.1)
            article.write_text(original.replace("\ntitle: ", f"\ntitle: Edited {i} ", 1), encoding="utf-8")
            title.append(timed(digest))
    finally:
        article.write_text(original, encoding="utf-8")
    return {"nothing changed": summary(same), "text edit": summary(text), "title edit": summary(title)}


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


def corpus(kind: str, n: int, work: Path) -> Path:
    site = work / f"{kind}{n}"
    if not (site / "content").is_dir():
        script = "news.py" if kind == "news" else "corpus.py"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), str(site), "--articles", str(n)],
                       check=True, stdout=subprocess.DEVNULL)
    return site


ROWS = (  # (label, case)
    ("cold build (`--no-cache`, empty output, search off)", "cold"),
    ("Hugo, cold", "hugo cold"),
    ("Pelican, cold (1 run)", "pelican cold"),
    ("nothing changed", "nothing changed"),
    ("one article's text edited", "text edit"),
    ("one article's title edited", "title edit"),
    ("preview: edit saved -> painted in Chromium", "serve"),
)


def cell(case: Case | None) -> str:
    if case is None:
        return ""
    mid, low, high, mib = case
    if mib == 0.0:  # the preview: milliseconds, no memory
        return f"{mid * 1000:.0f} ms ({low * 1000:.0f}-{high * 1000:.0f})"
    return f"{mid:.2f} s ({low:.2f}-{high:.2f}), {mib:.0f} MiB"


def table(n: int, results: dict[str, dict[str, Case]], files: dict[str, int]) -> list[str]:
    kinds = list(results)
    lines = [f"| N = {n:,} | " + " | ".join(f"{k} ({files[k]:,} files)" for k in kinds) + " |",
             "|---|" + "---|" * len(kinds)]
    for label, case in ROWS:
        if any(case in results[k] for k in kinds):
            lines.append(f"| {label} | " + " | ".join(cell(results[k].get(case)) for k in kinds) + " |")
    ratios = []
    for k in kinds:
        row = results[k]
        ratio = f"{row['cold'][0] / row['hugo cold'][0]:.2f}x" if "hugo cold" in row else ""
        ratios.append(ratio)
    if any(ratios):
        lines.append("| digest cold / Hugo cold | " + " | ".join(ratios) + " |")
    lines.append("| pages written per second (cold) | " +
                 " | ".join(f"{files[k] / results[k]['cold'][0]:,.0f}" for k in kinds) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--corpora", nargs="+", choices=["news", "rich"], default=["news", "rich"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/tmp/digest-bench", help="folder for corpora and outputs")
    parser.add_argument("--no-serve", action="store_true", help="skip the Chromium edit -> paint case")
    parser.add_argument("--no-others", action="store_true", help="skip Hugo (and Pelican)")
    parser.add_argument("--pelican", action="store_true", help="also one cold build with Pelican (slow)")
    args = parser.parse_args()
    work = Path(args.work)
    outs = work / "outputs"
    shutil.rmtree(outs, ignore_errors=True)
    outs.mkdir(parents=True)
    tables: dict[int, tuple[dict[str, dict[str, Case]], dict[str, int]]] = {}
    for n in args.sizes:
        results: dict[str, dict[str, Case]] = {}
        files: dict[str, int] = {}
        sites = {kind: corpus(kind, n, work) for kind in args.corpora}
        for kind, site in sites.items():
            results[kind] = cold_cases(site, not args.no_others, args.pelican, args.runs, outs)
        for kind, site in sites.items():
            results[kind].update(digest_cases(site, args.runs))
            files[kind] = sum(1 for _ in (site / "public").rglob("*") if _.is_file())
            if kind == "news" and not args.no_serve:
                sys.path.insert(0, str(ROOT / "benchmarks"))
                from serve_latency import measure

                painted, _observed = measure(site, 11)
                ms = sorted(painted)
                results[kind]["serve"] = (statistics.median(ms) / 1000, ms[0] / 1000, ms[-1] / 1000, 0.0)
        tables[n] = results, files
    print(f"\nmedians of {args.runs} runs (min-max); memory: peak of the largest process\n")
    for n, (results, files) in tables.items():
        print("\n".join(table(n, results, files)) + "\n")
    if len(tables) > 1:
        low, high = min(tables), max(tables)
        for kind in args.corpora:
            grow = tables[high][0][kind]["cold"][0] / tables[low][0][kind]["cold"][0]
            print(f"growth of the cold build t({high})/t({low}), {kind}: {grow:.1f}")
    sys.stdout.flush()  # the table is out before the outputs, tens of thousands of files, are deleted
    shutil.rmtree(outs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
