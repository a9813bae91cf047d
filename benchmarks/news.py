"""A deterministic news-shaped digest for benchmarks: page dumps like the seed, run through `digest import`.

    python benchmarks/news.py DIR --articles 10000 [--seed 1]

Writes `DIR/dumps/*.txt`, scraped pages shaped like `sources/000_*.txt`: a
headline, gallery captions, `Short Url`, `Updated 14 November 2024`, `Follow`,
the headline again, highlight bullets, a dateline, 150-900 words of plain prose
with curly quotes and dashes, photo captions ending in `(Reuters)`, some boxes
(`FASTFACT`) and `READ MORE:` links, and now and then a character Markdown would
read as markup (`*`, `_`, `[1]`, `&amp;`, a paragraph opening with `1.`) or a
bulleted list after the text has started. Then `DIR/site.yaml` (the bundled
site's settings with the same ~300-tag vocabulary as `corpus.py`) and
`digest import`, so `DIR/content/` is what an editor would have. Tags come from
the vocabulary names mentioned in the text (2-6, drawn Zipf-like); dates spread
over two years. The same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import tag_names  # noqa: E402

SEED = ROOT / "sources" / "000_dfe1e9900b68862a.txt"
CITIES = ("BAGHDAD", "BEIRUT", "MOSUL", "ERBIL", "JERUSALEM", "DAMASCUS", "AMMAN", "CAIRO", "RIYADH", "LONDON")
CREDITS = ("Reuters", "AFP", "AP", "AFP/File", "Getty Images")
DUMP_SIZE = 100  # articles per dump file
ODD = ("*", "_", "[1]", "&amp;", "AT&T", "<b>", "\\", "~", "`")  # characters the importer escapes


def vocabulary() -> list[str]:
    """The seed's prose words (curly quotes, names and numbers included), in order of appearance."""
    text = SEED.read_text(encoding="utf-8")
    words = [w for w in text.split() if re.fullmatch(r"[\w’'“”‘—–,.:-]+", w) and not w.isupper()]
    return [w.strip(",.:“”‘") for w in words if w.strip(",.:“”‘")]


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    out = [rng.choice(words) for _ in range(n)]
    if n > 8 and rng.random() < 0.3:  # a quoted clause
        i = rng.randrange(2, n - 4)
        out[i] = "“" + out[i]
        out[i + 3] += ",”"
    if n > 10 and rng.random() < 0.2:
        out[rng.randrange(3, n - 3)] += rng.choice((",", " —", " –"))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: list[str], target: int) -> str:
    out, total = [], 0
    while total < target:
        n = rng.randint(10, 30)
        out.append(sentence(rng, words, n))
        total += n
    text = " ".join(out)
    if rng.random() < 0.03:  # an occasional character that Markdown would read as markup
        cut = text.find(" ", rng.randrange(len(text)))
        odd = rng.choice(ODD)
        text = f"{text[:cut]} {odd}{text[cut:]}" if cut > 0 else text
    elif rng.random() < 0.005:
        text = f"{rng.randint(1, 9)}. {text}"
    return text


def page(rng: random.Random, words: list[str], i: int, tags: list[str], weights: list[float], day: date) -> str:
    headline = f"{sentence(rng, words, rng.randint(7, 13))[:-1]} ({i})"
    mentioned: list[str] = []
    while len(mentioned) < rng.randint(2, 6):
        t = rng.choices(tags, weights)[0]
        if t not in mentioned:
            mentioned.append(t)
    names = [t.replace("-", " ").title() for t in mentioned]
    lines = [headline, ""]
    if rng.random() < 0.5:
        lines += [f"{sentence(rng, words, rng.randint(15, 30))[:-1]}. ({rng.choice(CREDITS)})"]
    lines += ["Short Url"] if rng.random() < 0.5 else []
    lines += [f"Updated {day.day} {day.strftime('%B %Y')}", "Follow", "", headline, ""]
    lines += [f"  • {sentence(rng, words, rng.randint(8, 16))[:-1]}" for _ in range(rng.randint(1, 3))]
    lines += ["", ""]
    paragraphs = [paragraph(rng, words, rng.randint(25, 70)) for _ in range(rng.randint(4, 16))]
    for name in names:  # the tags' names, mentioned in the text
        k = rng.randrange(len(paragraphs))
        paragraphs[k] = f"{paragraphs[k][:-1]}, {name} said."
    if rng.random() < 0.7:
        paragraphs[0] = f"{rng.choice(CITIES)}: {paragraphs[0]}"
    body: list[str] = []
    for k, text in enumerate(paragraphs):
        body.append(text)
        if k and rng.random() < 0.12:
            body.append(f"{sentence(rng, words, rng.randint(12, 25))[:-1]}. ({rng.choice(CREDITS)})")
        if k == 3 and rng.random() < 0.2:
            body += ["FASTFACT", "In numbers", paragraph(rng, words, 30)]
        if k == 4 and rng.random() < 0.15:
            body += ["--------", f"READ MORE: {sentence(rng, words, 8)[:-1]}", "--------"]
        if k == 2 and rng.random() < 0.03:
            body.append("\n".join(f"  • {sentence(rng, words, rng.randint(6, 12))}" for _ in range(3)))
    return "\n".join(lines) + "\n\n".join(body) + "\n\n\n"


def write_news(target: Path, articles: int, seed: int = 1) -> None:
    if target.exists():
        shutil.rmtree(target)
    (target / "dumps").mkdir(parents=True)
    tags = tag_names()
    config = (ROOT / "site.yaml").read_text(encoding="utf-8").split("\ntags:\n")[0]
    vocab = "".join(f"  - {{slug: {t}, name: {t.replace('-', ' ').title()}}}\n" for t in tags)
    (target / "site.yaml").write_text(config + "\ntags:\n" + vocab, encoding="utf-8")
    rng = random.Random(seed)
    words = vocabulary()
    weights = [1 / (k + 1) for k in range(len(tags))]  # Zipf-like
    start = date(2023, 1, 1)
    dumps = []
    for first in range(0, articles, DUMP_SIZE):
        pages = [page(rng, words, i, tags, weights, start + timedelta(days=rng.randrange(730)))
                 for i in range(first, min(first + DUMP_SIZE, articles))]
        dump = target / "dumps" / f"{first // DUMP_SIZE:05d}.txt"
        dump.write_text("".join(pages), encoding="utf-8")
        dumps.append(str(dump))
    subprocess.run([sys.executable, "-m", "generator", "import", "--site", str(target), *dumps],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_news(args.target, args.articles, args.seed)
    print(f"wrote and imported {args.articles} articles in {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
