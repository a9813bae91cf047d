"""The performance table of issues 13, 14 and 18: digest beside Hugo (and Hugo + Pagefind) on two corpora.

    python benchmarks/run.py [--sizes 10000] [--corpora news rich] [--runs 5] [--large N] [--large-runs 1]
                             [--work DIR] [--no-serve] [--no-reader] [--search-up-to N] [--no-others] [--pelican]
    python benchmarks/run.py --runs 5 --large 100000   # the whole table: 10,000 (both), then 100,000 (news)

Two corpora of each size N, both deterministic:

- **news** (`benchmarks/news.py`): page dumps shaped like the seed, run through
  `digest import`: plain prose paragraphs with curly quotes, captions, boxes and
  highlights in front matter, now and then an escaped character or a list;
- **rich** (`benchmarks/corpus.py`): hand-written Markdown with emphasis, links
  and a block quote in every article.

Every digest build writes the whole site as users get it: article, topic, tag,
archive and edition pages (weekly editions, the default), each edition's email
copy, and every feed as RSS, Atom and JSON Feed. Search is set in the corpus's
`site.yaml` for each build (`search: false` or `search: true`, so the cache,
which keys on `site.yaml`, sees it). For each, as medians of `--runs` runs with
their spread (min-max), each in a fresh process:

- cold, search off: `digest build --no-cache` into an empty folder, taking turns
  with Hugo's cold build of the same Markdown (converted to Hugo's format);
- cold with search: `digest build --no-cache` with `search: true`, in the same
  turn as Hugo's cold build followed by the Pagefind CLI (the binary digest
  uses) over Hugo's article pages, the two timed together;
- nothing changed, one article's text edited, one article's title edited
  (every page with its card is rendered again): `digest build` with its cache,
  search off;
- one article's text edited, with search: the same with `search: true`, which
  re-indexes the edited article's bundle;
- a reader's search (`--no-reader` skips it): requests and bytes that
  `/search/?q=militia` fetches in Chromium after its HTML (`benchmarks/search.py`);
- preview (news only, `--no-serve` skips it): edit saved -> new text painted in
  Chromium through `digest serve` with search on, the default
  (`serve_latency.measure`), once the preview's first index is built;
- Pelican (`--pelican`): one cold build.

`--large N` then measures news at N articles (one run, `--large-runs`), search
off and without the browser cases: the cold builds beside Hugo's, the rebuilds
and memory, and the growth from the largest of `--sizes` (issue 18: time at most
10.5x from 10,000 to 100,000, memory flat). The search rows run at sizes up to
`--search-up-to` (10,000 by default; 0: never), so a large run does not build a
100,000-page index unless asked. Peak memory is that of the largest process: digest's
own processes (the build and its workers) from `getrusage(RUSAGE_CHILDREN)`;
with search, digest's and Pagefind's processes apart, by sampling the peak
(`VmHWM`) of every process of the build every 10 ms. Each cold build is checked:
a search-off output has no `search/` folder, a with-search one has its index.

Every cold build writes into a new folder, and the outputs are deleted only when
all is measured, and before each timed command the data the last one left in
the page cache is written out (`os.sync()`, then 2 s of quiet, outside the
timing): digest flushes its own output before swapping it in, and that flush
would otherwise also pay for Hugo's and Pagefind's unwritten files, which they
never flush. Some file systems (ext4 without a journal, as on our test
machines) avoid reusing the inodes of files deleted in the last minutes, and
creating files right after deleting a large tree then costs several times more
CPU in the kernel, whichever tool does it.

It prints one table per size, the corpora side by side, with the targets of
issue 18 (set for N = 10,000) and whether each holds, the ratios to Hugo and,
for two sizes or more, the growth from the smallest to the largest size.
Absolute numbers depend on the machine: compare the columns.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# Runs COMMAND, prints [seconds, peak MiB of the largest process, the last line of its output, peaks of
# the sampled processes by name]. With SAMPLE=1 a thread reads the peak resident size (VmHWM) of every
# process under the command every 10 ms: the only way to tell Pagefind's processes from digest's, since
# getrusage gives one number for the whole tree.
PROBE = r"""
import json, os, resource, subprocess, sys, threading, time
sample, cmd = sys.argv[1] == "1", sys.argv[2:]
peaks, done = {}, threading.Event()
def status(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return fields["Name"].strip(), int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return None
def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out
def watch(root):
    while not done.wait(0.01):
        todo = [root]
        while todo:
            pid = todo.pop()
            seen = status(pid)
            if seen:
                peaks[seen] = max(peaks.get(seen, 0), seen[1])
                todo += children(pid)
t = time.perf_counter()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
if sample:
    threading.Thread(target=watch, args=(p.pid,), daemon=True).start()
out, err = p.communicate()
seconds = time.perf_counter() - t
done.set()
if p.returncode:
    sys.exit(f"{' '.join(cmd)} failed (exit {p.returncode}):\n{err}{out}")
by_name = {}
for (name, _), mib in peaks.items():
    by_name[name] = max(by_name.get(name, 0), mib)
lines = out.strip().splitlines()
print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  lines[-1] if lines else "", by_name]))
"""


@dataclass
class Sample:
    seconds: float
    mib: float  # the largest process of the whole tree (getrusage)
    line: str = ""  # the command's last line of output (digest's summary line)
    by_name: dict[str, float] = field(default_factory=dict)  # sampled peaks by process name

    @property
    def pagefind_mib(self) -> float:
        return max((m for n, m in self.by_name.items() if n.startswith("pagefind")), default=0.0)

    @property
    def digest_mib(self) -> float:
        """digest's own processes: sampled when Pagefind ran beside them, else the whole tree."""
        own = [m for n, m in self.by_name.items() if not n.startswith("pagefind")]
        return max(own) if own and self.pagefind_mib else self.mib


def timed(cmd: list[str], cwd: Path | None = None, sample: bool = False) -> Sample:
    """`cmd` run from a fresh child process: its time, the peak memory of its largest process and,
    with `sample`, the peaks of its processes by name (`PROBE`). The data the last command left in the page
    cache is flushed first, outside the timing (`SETTLE`)."""
    settle()
    out = subprocess.run([sys.executable, "-c", PROBE, "1" if sample else "0", *cmd], capture_output=True,
                         text=True, cwd=cwd)
    if out.returncode:
        sys.exit(out.stderr.strip())
    seconds, mib, line, by_name = json.loads(out.stdout)
    return Sample(seconds, mib, line, by_name)


SETTLE = 2.0  # seconds of quiet after the flush, so the disk's write-back of the last command is over


def settle() -> None:
    """Flush every file system's dirty pages and wait a moment. digest flushes its own output before the swap
    (one `syncfs` of the output's file system), which would also write back whatever the command before it
    (Hugo, Pagefind, the last digest) left unwritten; Hugo and Pagefind flush nothing. Without this, each
    tool's time depends on which ran before it."""
    os.sync()
    time.sleep(SETTLE)


@dataclass
class Case:
    mid: float  # median seconds
    low: float
    high: float
    mib: float | None  # peak MiB of digest's (or the other tool's) largest process; None: not measured
    pagefind_mib: float | None = None  # peak MiB of the largest Pagefind process, where one ran
    index: float | None = None  # median seconds of the search index (Pagefind) within the case
    note: str = ""


def summary(samples: list[Sample], *, seconds: Callable[[Sample], float] = lambda s: s.seconds,
            mib: Callable[[Sample], float] = lambda s: s.digest_mib, search: bool = False) -> Case:
    times = [seconds(s) for s in samples]
    case = Case(statistics.median(times), min(times), max(times), max(mib(s) for s in samples))
    if search:
        case.pagefind_mib = max(s.pagefind_mib for s in samples)
        indexed = [INDEX_RE.search(s.line) for s in samples]
        if all(indexed):
            case.index = statistics.median(float(m.group(3)) for m in indexed if m)
            counts = sorted({(m.group(1), m.group(2)) for m in indexed if m})
            case.note = ", ".join(f"{k} of {n} bundles" for k, n in counts)
        if any(s.mib > 1.05 * max(s.by_name.values(), default=0.0) for s in samples):
            case.note += (", " if case.note else "") + "a process was missed by sampling"
    return case


INDEX_RE = re.compile(r"\(search index: (\d+) of (\d+) bundles? in (\d+\.\d+) s\)")
WRITTEN_RE = re.compile(r"\((\d+) files? written")


def set_search(site: Path, on: bool) -> None:
    """Write `search: true|false` as the last top-level key of the corpus's site.yaml."""
    path = site / "site.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("search:")]
    path.write_text("\n".join(lines) + f"\nsearch: {'true' if on else 'false'}\n", encoding="utf-8")


def check_output(out: Path, search: bool) -> None:
    """A search-off build has no search page or index; a with-search one has its index of the articles."""
    has = (out / "search" / "pagefind").is_dir()
    if has != search or not (out / "editions" / "index.html").is_file():
        sys.exit(f"{out}: expected {'a' if search else 'no'} search index and editions; "
                 f"search/pagefind {'is' if has else 'is not'} there")


def indexed_pages(folder: Path) -> tuple[int, int]:
    """(pages, indexes) of the Pagefind indexes under `folder` (from each pagefind-entry.json)."""
    entries = sorted(folder.rglob("pagefind-entry.json"))
    pages = sum(lang["page_count"] for e in entries
                for lang in json.loads(e.read_text(encoding="utf-8"))["languages"].values())
    return pages, len(entries)


def cold_cases(site: Path, others: bool, pelican: bool, search: bool, runs: int, outs: Path,
               facts: dict[str, str]) -> dict[str, Case]:
    """digest's and Hugo's cold builds, in turns, each into a new folder under `outs`; with `search`,
    also digest's with search and Hugo's followed by the Pagefind CLI over its output."""
    from generator.engine.search import binary

    hugo = shutil.which("hugo", path=str(BIN)) or shutil.which("hugo")
    hsite = hugo_site(site, outs.parent / f"hugo-{site.name}") if hugo and others else None
    digest = [str(BIN / "digest"), "build", "--site", str(site), "--no-cache"]
    off, on, hugo_runs, pagefind_runs = [], [], [], []
    for i in range(runs):
        shutil.rmtree(site / ".digest-cache", ignore_errors=True)
        set_search(site, False)
        out = outs / f"{site.name}-digest-{i}"
        off.append(timed([*digest, "--quiet", "--output", str(out)]))
        check_output(out, search=False)
        if hugo and hsite:
            hout = outs / f"{site.name}-hugo-{i}"
            hugo_runs.append(timed([hugo, "--quiet", "--source", str(hsite), "--destination", str(hout)]))
            if search:
                pagefind_runs.append(timed([str(binary()), "--site", str(hout), "--silent",
                                            "--force-language", "en"]))
                facts["Pagefind CLI over Hugo"] = "{} pages in {} index".format(*indexed_pages(hout / "pagefind"))
        if search:
            set_search(site, True)
            out = outs / f"{site.name}-digest-search-{i}"
            on.append(timed([*digest, "--output", str(out)], sample=True))
            check_output(out, search=True)
            facts["digest"] = "{} pages in {} bundles".format(*indexed_pages(out / "search"))
    set_search(site, False)
    cases = {"cold": summary(off)}
    if on:
        cases["cold search"] = summary(on, search=True)
    if hugo_runs:
        cases["hugo cold"] = summary(hugo_runs, mib=lambda s: s.mib)
    if pagefind_runs:
        both = [Sample(h.seconds + p.seconds, h.mib, by_name={"hugo": h.mib, "pagefind": p.mib})
                for h, p in zip(hugo_runs, pagefind_runs)]
        case = summary(both, mib=lambda s: s.by_name["hugo"])
        case.pagefind_mib = max(p.mib for p in pagefind_runs)
        case.index = statistics.median(p.seconds for p in pagefind_runs)
        cases["hugo pagefind"] = case
    if (BIN / "pelican").exists() and pelican:
        psite = pelican_site(site, outs.parent / f"pelican-{site.name}")
        cases["pelican cold"] = summary([timed([str(BIN / "pelican"), "-q", "content", "-s", "pelicanconf.py",
                                                "-o", str(outs / f"{site.name}-pelican")], cwd=psite)],
                                        mib=lambda s: s.mib)
    return cases


def pick_article(site: Path) -> Path:
    articles = sorted((site / "content").rglob("*.md"))
    return articles[len(articles) // 2]


def digest_cases(site: Path, runs: int) -> dict[str, Case]:
    """Rebuilds of `site/public` with the cache, search off: nothing changed, one article's text, its title."""
    digest = [str(BIN / "digest"), "build", "--site", str(site)]
    quiet = [*digest, "--quiet"]
    same, text, title = [], [], []
    article = pick_article(site)
    original = article.read_text(encoding="utf-8")
    set_search(site, False)
    # A build, then another with the cache: the output, its spare and the cache are in place.
    subprocess.run([*quiet, "--no-cache"], check=True)
    subprocess.run(quiet, check=True)
    current = original  # each edit changes the article as the last one left it: a text edit changes only text
    try:
        for i in range(runs):
            time.sleep(2.1)  # let the inputs age past the cache's racy-stamp window, as between real edits
            same.append(timed(digest))
            current += f"\nAn edited sentence, number {i}.\n"
            article.write_text(current, encoding="utf-8")
            text.append(timed(digest))
            time.sleep(2.1)
            current = current.replace("\ntitle: ", f"\ntitle: Edited {i} ", 1)
            article.write_text(current, encoding="utf-8")
            title.append(timed(digest))
    finally:
        article.write_text(original, encoding="utf-8")
    cases = {"nothing changed": summary(same), "text edit": summary(text), "title edit": summary(title)}
    wrote = sorted({m.group(1) for s in same if (m := WRITTEN_RE.search(s.line)) and m.group(1) != "0"})
    if wrote:  # the summary line says what was written: nothing, if nothing changed
        cases["nothing changed"].note = f"wrote {' or '.join(wrote)} files"
    return cases


def search_edit_case(site: Path, runs: int) -> dict[str, Case]:
    """One article's text edited with `search: true`: the rebuild and the re-index of its bundle."""
    digest = [str(BIN / "digest"), "build", "--site", str(site)]
    article = pick_article(site)
    original = article.read_text(encoding="utf-8")
    set_search(site, True)
    samples = []
    try:
        # The site with search (every page has the search box) and its index, then one edit, so that the
        # output and its spare are both sites with search, as after any edit in real use.
        subprocess.run([*digest, "--quiet"], check=True)
        time.sleep(2.1)
        article.write_text(original + "\nA first edited sentence.\n", encoding="utf-8")
        subprocess.run([*digest, "--quiet"], check=True)
        for i in range(runs):
            time.sleep(2.1)
            article.write_text(original + f"\nAn edited sentence with search, number {i}.\n", encoding="utf-8")
            samples.append(timed(digest, sample=True))
    finally:
        article.write_text(original, encoding="utf-8")
    check_output(site / "public", search=True)
    return {"text edit search": summary(samples, search=True)}


def reader_case(site: Path, word: str) -> Case | None:
    """A reader's search for `word` in Chromium over `site/public` (built with search): requests, bytes."""
    if shutil.which("chromium") is None:
        return None
    from search import reader

    requests, size, shown = reader(site / "public", word)
    return Case(shown / 1000, shown / 1000, shown / 1000, None, note=f"{requests} requests, {size / 1024:,.0f} KiB")


def hugo_site(site: Path, dest: Path) -> Path:
    """The corpus as a Hugo site: same articles, topics and tags as taxonomies, paginated lists, RSS.
    Article pages carry the Pagefind marks digest's do (body, title, date sort, topic and tag filters)."""
    from generator.site import frontmatter

    converted = (dest / "hugo.toml").is_file()  # by an earlier run: the corpus of a size is always the same
    if not converted:
        shutil.rmtree(dest, ignore_errors=True)
    (dest / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    layouts = dest / "layouts" / "_default"
    page = ('<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><article '
            'data-pagefind-body><h1 data-pagefind-meta="title">{{ .Title }}</h1>'
            '<time data-pagefind-sort="date:{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}'
            "</time>{{ .Content }}<p>{{ range .Params.topics }}"
            '<a data-pagefind-filter="topic">{{ . }}</a>{{ end }}</p><ul>{{ range .Params.tags }}'
            '<li data-pagefind-filter="tag">{{ . }}</li>{{ end }}</ul></article></body></html>')
    listing = ('<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}'
               '</h1>{{ range .Paginator.Pages }}<article><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
               "<p>{{ .Summary }}</p></article>{{ end }}</body></html>")
    (layouts / "single.html").write_text(page, encoding="utf-8")
    (layouts / "list.html").write_text(listing, encoding="utf-8")
    (layouts / "terms.html").write_text("<ul>{{ range .Data.Terms.Alphabetical }}<li>{{ .Page.Title }}</li>"
                                        "{{ end }}</ul>", encoding="utf-8")
    if converted:
        return dest
    for src in (site / "content").rglob("*.md"):
        doc = frontmatter.split(src.read_text(encoding="utf-8"), str(src))
        meta = {"title": doc.meta["title"], "date": str(doc.meta["date"]), "tags": doc.meta.get("tags", []),
                "topics": [doc.meta["topic"]]}
        target = dest / "content" / src.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(frontmatter.dump(meta, doc.body), encoding="utf-8")
    (dest / "hugo.toml").write_text(  # last: its presence says the content is all there
        'baseURL = "https://digest.example.org/"\ntitle = "Digest"\n[taxonomies]\ntag = "tags"\ntopic = "topics"\n'
        "[pagination]\npagerSize = 10\n[services.rss]\nlimit = 20\n", encoding="utf-8")
    return dest


def pelican_site(site: Path, dest: Path) -> Path:
    """The corpus as a Pelican site: categories for topics, tags, feeds for both, pagination by 10."""
    from generator.site import frontmatter

    if (dest / "pelicanconf.py").is_file():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "content").mkdir(parents=True)
    for src in (site / "content").rglob("*.md"):
        doc = frontmatter.split(src.read_text(encoding="utf-8"), str(src))
        head = (f"Title: {doc.meta['title']}\nDate: {doc.meta['date']}\nCategory: {doc.meta['topic']}\n"
                f"Tags: {', '.join(doc.meta.get('tags', []))}\nSlug: {src.stem}\n\n")
        (dest / "content" / f"{src.parent.name}-{src.name}").write_text(head + doc.body, encoding="utf-8")
    (dest / "pelicanconf.py").write_text(  # last: its presence says the content is all there
        'SITENAME = "Digest"\nSITEURL = "https://digest.example.org"\nTIMEZONE = "Asia/Beirut"\n'
        "DEFAULT_PAGINATION = 10\nFEED_ALL_RSS = 'feeds/all.rss.xml'\nCATEGORY_FEED_RSS = 'feeds/{slug}.rss.xml'\n"
        "TAG_FEED_RSS = 'feeds/tag-{slug}.rss.xml'\nFEED_MAX_ITEMS = 20\nLOAD_CONTENT_CACHE = False\n",
        encoding="utf-8")
    return dest


def corpus(kind: str, n: int, work: Path) -> Path:
    site = work / f"{kind}{n}"
    if not (site / "content").is_dir():
        script = "news.py" if kind == "news" else "corpus.py"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), str(site), "--articles", str(n)],
                       check=True, stdout=subprocess.DEVNULL)
    return site


def contents(public: Path) -> dict[str, int]:
    """What a search-off build wrote: files, article pages, editions, email copies, feeds by format."""
    names: dict[str, int] = {}
    for path in public.rglob("*"):
        if path.is_file():
            names[path.name] = names.get(path.name, 0) + 1
    editions = public / "editions"
    return {"files": sum(names.values()),
            "editions": sum(1 for p in editions.glob("*/index.html")) if editions.is_dir() else 0,
            "emails": sum(1 for p in editions.glob("*/email.html")) if editions.is_dir() else 0,
            "email texts": sum(1 for p in editions.glob("*/email.txt")) if editions.is_dir() else 0,
            "rss": names.get("feed.xml", 0), "atom": names.get("atom.xml", 0), "json": names.get("feed.json", 0)}


# (label, case, target): the targets of issue 18, for N = 10,000 (None: reported, no target).
ROWS = (
    ("cold build (`--no-cache`, empty output, search off)", "cold", "news ≤ Hugo, rich ≤ 1.5× Hugo"),
    ("Hugo, cold", "hugo cold", None),
    ("cold build with search (`--no-cache`)", "cold search", "news ≤ Hugo + Pagefind"),
    ("Hugo, cold, then the Pagefind CLI over its article pages", "hugo pagefind", None),
    ("Pelican, cold (1 run)", "pelican cold", None),
    ("nothing changed", "nothing changed", "≤ 0.5 s"),
    ("one article's text edited", "text edit", "≤ 1.0 s"),
    ("one article's title edited", "title edit", "≤ 1.5 s"),
    ("one article's text edited, with search (re-indexes its bundle)", "text edit search", None),
    ("a reader's search for `militia` (Chromium): time to results, requests, bytes", "reader", None),
    ("preview (search on): edit saved -> painted in Chromium", "serve", "≤ 100 ms median"),
)
MEMORY = 400  # MiB, the target for digest's own processes in every digest row
DIGEST_ROWS = {"cold", "cold search", "nothing changed", "text edit", "title edit", "text edit search"}


def verdict(kind: str, case: str, row: dict[str, Case]) -> str:
    """'' (no target), 'pass' or 'FAIL (...)' for one cell against issue 18's targets."""
    c = row[case]
    limit = {"nothing changed": 0.5, "text edit": 1.0, "title edit": 1.5, "serve": 0.1}.get(case)
    if case == "cold" and "hugo cold" in row:
        limit = row["hugo cold"].mid * (1.0 if kind == "news" else 1.5)
    if case == "cold search" and kind == "news" and "hugo pagefind" in row:
        limit = row["hugo pagefind"].mid
    failed = []
    if limit is not None and c.mid > limit:
        failed.append("time")
    if case in DIGEST_ROWS and c.mib is not None and c.mib > MEMORY:
        failed.append("memory")
    if limit is None and case not in DIGEST_ROWS:
        return ""
    return "FAIL (" + ", ".join(failed) + ")" if failed else "pass"


def mib(value: float) -> str:
    return f"{value / 1024:.2f} GiB" if value >= 1024 else f"{value:.0f} MiB"


def cell(case: Case | None, judged: str) -> str:
    if case is None:
        return ""
    if case.mib is None:  # the preview and the reader: milliseconds, no memory
        text = f"{case.mid * 1000:,.0f} ms" + (f" ({case.low * 1000:,.0f}-{case.high * 1000:,.0f})"
                                               if case.high > case.low else "")
    else:
        text = f"{case.mid:.2f} s ({case.low:.2f}-{case.high:.2f}), {mib(case.mib)}"
    if case.pagefind_mib is not None:
        text += f" + Pagefind {mib(case.pagefind_mib)}"
    if case.index is not None:
        text += f"; index {case.index:.2f} s"
    if case.note:
        text += f"; {case.note}"
    return text + (f" **{judged}**" if judged else "")


def table(n: int, results: dict[str, dict[str, Case]], facts: dict[str, dict[str, int]],
          search_facts: dict[str, dict[str, str]]) -> list[str]:
    kinds = list(results)
    lines = [f"| N = {n:,} | target | " + " | ".join(f"{k} ({facts[k]['files']:,} files)" for k in kinds) + " |",
             "|---|---|" + "---|" * len(kinds)]
    for label, case, target in ROWS:
        if any(case in results[k] for k in kinds):
            goal = target or ""
            if case in DIGEST_ROWS:
                goal = f"{target}, ≤ {MEMORY} MiB" if target else f"≤ {MEMORY} MiB"
            lines.append(f"| {label} | {goal} | " + " | ".join(
                cell(results[k].get(case), verdict(k, case, results[k]) if case in results[k] else "")
                for k in kinds) + " |")
    for name, (a, b) in {"digest cold / Hugo cold": ("cold", "hugo cold"),
                         "digest cold with search / Hugo + Pagefind": ("cold search", "hugo pagefind")}.items():
        ratios = [f"{results[k][a].mid / results[k][b].mid:.2f}×" if a in results[k] and b in results[k] else ""
                  for k in kinds]
        if any(ratios):
            lines.append(f"| {name} | | " + " | ".join(ratios) + " |")
    lines.append("| files written per second (cold, search off) | | " +
                 " | ".join(f"{facts[k]['files'] / results[k]['cold'].mid:,.0f}" for k in kinds) + " |")
    lines.append("")
    for k in kinds:
        f = facts[k]
        lines.append(f"{k}: every digest build writes {f['files']:,} files (search off), among them "
                     f"{f['editions']:,} weekly edition pages with {f['emails']:,} email copies "
                     f"(+ {f['email texts']:,} plain-text twins), and {f['rss']:,} feeds each as RSS, "
                     f"Atom ({f['atom']:,}) and JSON Feed ({f['json']:,}).")
        if search_facts.get(k):
            lines.append(f"{k}: search indexes: " + "; ".join(f"{who} {what}" for who, what in search_facts[k].items())
                         + ".")
    if n != 10000:
        lines.append(f"Targets are issue 18's for N = 10,000; at N = {n:,} they are shown for reference.")
    return lines


# One size's results: corpus -> case -> Case, corpus -> what the output holds, corpus -> what was indexed.
Measured = tuple[dict[str, dict[str, Case]], dict[str, dict[str, int]], dict[str, dict[str, str]]]


def growth(low: int, high: int, tables: dict[int, Measured], kinds: list[str]) -> list[str]:
    """How time and memory grew from `low` articles to `high` (issue 18: time ≤ 1.05× the size ratio)."""
    limit = 1.05 * high / low
    lines = [f"growth from N = {low:,} to N = {high:,} (target: digest's time ≤ {limit:.1f}×, memory flat):"]
    for kind in kinds:
        small, large = tables[low][0].get(kind), tables[high][0].get(kind)
        if not small or not large:
            continue
        parts = []
        for case, name in (("cold", "cold"), ("text edit", "text edit"), ("title edit", "title edit"),
                           ("hugo cold", "Hugo cold")):
            if case in small and case in large:
                grow = large[case].mid / small[case].mid
                mark = "" if case == "hugo cold" else (" pass" if grow <= limit else " FAIL")
                parts.append(f"{name} {grow:.1f}×{mark}")
        for case, name in (("cold", "digest's memory (cold)"), ("hugo cold", "Hugo's memory")):
            if case in small and case in large and small[case].mib and large[case].mib:
                parts.append(f"{name} {mib(small[case].mib)} -> {mib(large[case].mib)} "
                             f"({large[case].mib / small[case].mib:.2f}×)")
        lines.append(f"  {kind}: " + "; ".join(parts))
    return lines


def measure_size(n: int, kinds: list[str], args: argparse.Namespace, runs: int, outs: Path, *,
                 search: bool, browser: bool) -> Measured:
    """Every case of one size: the cold builds in turns for each corpus, then the rebuilds and the rest."""
    results: dict[str, dict[str, Case]] = {}
    facts: dict[str, dict[str, int]] = {}
    search_facts: dict[str, dict[str, str]] = {}
    sites = {kind: corpus(kind, n, Path(args.work)) for kind in kinds}
    for kind, site in sites.items():
        search_facts[kind] = {}
        results[kind] = cold_cases(site, not args.no_others, args.pelican, search, runs, outs, search_facts[kind])
    for kind, site in sites.items():
        results[kind].update(digest_cases(site, runs))
        facts[kind] = contents(site / "public")
        if search:
            results[kind].update(search_edit_case(site, runs))
            if browser and not args.no_reader and (seen := reader_case(site, "militia")):
                results[kind]["reader"] = seen
        if kind == "news" and browser and not args.no_serve:
            from serve_latency import measure

            set_search(site, True)
            painted, _observed = measure(site, 11)
            ms = sorted(painted)
            results[kind]["serve"] = Case(statistics.median(ms) / 1000, ms[0] / 1000, ms[-1] / 1000, None)
        set_search(site, False)
    return results, facts, search_facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--corpora", nargs="+", choices=["news", "rich"], default=["news", "rich"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=int, metavar="N",
                        help="then the large run: news at N articles (e.g. 100000), search off, no browser: cold "
                             "builds beside Hugo's, the rebuilds, memory, and the growth from the largest of --sizes "
                             "(writing the corpus, dumps then `digest import`, took 6 minutes at 100000)")
    parser.add_argument("--large-runs", type=int, default=1, metavar="R", help="runs of the large run (default 1)")
    parser.add_argument("--work", default="/tmp/digest-bench", help="folder for corpora and outputs (reused)")
    parser.add_argument("--no-serve", action="store_true", help="skip the preview's edit -> paint case (Chromium)")
    parser.add_argument("--no-reader", action="store_true", help="skip a reader's search in Chromium")
    parser.add_argument("--search-up-to", type=int, default=10000, metavar="N",
                        help="measure the search rows only at sizes up to N (default 10000; 0: never)")
    parser.add_argument("--no-others", action="store_true", help="skip Hugo (and Pelican)")
    parser.add_argument("--pelican", action="store_true", help="also one cold build with Pelican (slow)")
    args = parser.parse_args()
    if not (args.no_serve and args.no_reader):  # checked first: the table is printed only at the end of the run
        import importlib.util
        missing = [m for m in ("playwright", "pytest") if importlib.util.find_spec(m) is None]  # (tests/browser.py)
        if missing or shutil.which("chromium") is None:
            parser.error("the browser cases need playwright and pytest (`pip install -e '.[bench]'`) and the "
                         "system's `chromium`; or pass --no-serve --no-reader")
    outs = Path(args.work) / "outputs"
    shutil.rmtree(outs, ignore_errors=True)
    outs.mkdir(parents=True)
    tables: dict[int, Measured] = {}
    runs: dict[int, int] = {}
    started = time.perf_counter()
    for n in sorted(set(args.sizes)):
        tables[n] = measure_size(n, args.corpora, args, args.runs, outs, search=n <= args.search_up_to, browser=True)
        runs[n] = args.runs
    if args.large and args.large not in tables:
        tables[args.large] = measure_size(args.large, ["news"], args, args.large_runs, outs,
                                          search=args.large <= args.search_up_to, browser=False)
        runs[args.large] = args.large_runs
    print(f"\nmedians (min-max); memory: peak of the largest process, digest's own (its build and workers) and, "
          f"with search, Pagefind's apart; {time.perf_counter() - started:.0f} s in all\n")
    for n, (results, facts, search_facts) in tables.items():
        print(f"{runs[n]} run{'' if runs[n] == 1 else 's'} at N = {n:,}:\n")
        print("\n".join(table(n, results, facts, search_facts)) + "\n")
    if len(tables) > 1:
        sizes = sorted(tables)
        low = max(args.sizes) if args.large and args.large > max(args.sizes) else sizes[0]
        print("\n".join(growth(low, sizes[-1], tables, args.corpora)))
    sys.stdout.flush()  # the table is out before the outputs, tens of thousands of files, are deleted
    shutil.rmtree(outs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
