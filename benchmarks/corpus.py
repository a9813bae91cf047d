"""A deterministic synthetic digest for benchmarks: N articles shaped like ours.

    python benchmarks/corpus.py DIR --articles 10000 [--seed 1]

Writes `DIR/site.yaml` (the bundled site's settings, plus a 300-tag
vocabulary) and `DIR/content/<topic>/<slug>.md`: 600-900 words each with
emphasis, links, block quotes and captions; 2-6 tags drawn Zipf-like from
~300; dates spread over two years; highlights, datelines, some fact boxes.
The same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.site import frontmatter  # noqa: E402

TOPICS = ("iraq-militias", "israel-lebanon", "heritage", "region")
CITIES = ("Baghdad", "Beirut", "Mosul", "Erbil", "Jerusalem", "Damascus", "Amman", "Cairo", "Riyadh", None)
WORDS = (
    "officials said the militia commander ceasefire talks resumed after strikes near the border "
    "while ministers met envoys to discuss reconstruction of the old city and its historic mosque "
    "sources told reporters that negotiations would continue despite renewed shelling overnight "
    "residents returned to damaged neighbourhoods as engineers surveyed the ancient walls and "
    "parliament debated the budget for security forces amid protests over electricity shortages"
).split()


def tag_names(n: int = 300) -> list[str]:
    rng = random.Random(300)
    syll = ["al", "ba", "da", "far", "ha", "jab", "ka", "lam", "ma", "na", "qa", "ra", "sa", "ta", "wa", "za"]
    names: set[str] = set()
    while len(names) < n:
        names.add("-".join("".join(rng.choice(syll) for _ in range(rng.randint(2, 3))) for _ in range(2)))
    return sorted(names)


def paragraph(rng: random.Random, words: int) -> str:
    out = []
    for i in range(words):
        w = rng.choice(WORDS)
        r = rng.random()
        if r < 0.02:
            w = f"*{w}*"
        elif r < 0.03:
            w = f"**{w}**"
        elif r < 0.035:
            w = f"[{w}](https://example.org/{w}/{i})"
        out.append(w)
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, i: int, tags: list[str], weights: list[float], start: date) -> tuple[str, str, str]:
    topic = TOPICS[rng.randrange(len(TOPICS))]
    day = start + timedelta(days=rng.randrange(730))
    title = f"{paragraph(rng, rng.randint(6, 11))[:-1]} ({i})"
    chosen: list[str] = []
    while len(chosen) < rng.randint(2, 6):
        t = rng.choices(tags, weights)[0]
        if t not in chosen:
            chosen.append(t)
    body, total = [], 0
    target = rng.randint(600, 900)
    while total < target:
        n = rng.randint(40, 110)
        para = paragraph(rng, n)
        if rng.random() < 0.08:
            para = "> " + para
        body.append(para)
        total += n
    meta: dict[str, object] = {"id": f"bench-{i:06d}", "title": title, "date": day.isoformat()}
    city = rng.choice(CITIES)
    if city:
        meta["dateline"] = city
    meta |= {"topic": topic, "tags": chosen, "highlights": [paragraph(rng, 14) for _ in range(rng.randint(1, 2))],
             "images": [{"caption": paragraph(rng, 16), "credit": rng.choice(["Reuters", "AFP", "AP"])}]}
    if rng.random() < 0.2:
        meta["factboxes"] = [{"label": "FASTFACT", "title": "In numbers", "text": paragraph(rng, 30)}]
    slug = f"article-{i:06d}"
    return topic, slug, frontmatter.dump(meta, "\n\n".join(body))


def write_corpus(target: Path, articles: int, seed: int = 1) -> None:
    if target.exists():
        shutil.rmtree(target)
    (target / "content").mkdir(parents=True)
    tags = tag_names()
    config = (ROOT / "site.yaml").read_text(encoding="utf-8").split("\ntags:\n")[0]
    vocab = "".join(f"  - {{slug: {t}, name: {t.replace('-', ' ').title()}}}\n" for t in tags)
    (target / "site.yaml").write_text(config + "\ntags:\n" + vocab, encoding="utf-8")
    rng = random.Random(seed)
    weights = [1 / (k + 1) for k in range(len(tags))]  # Zipf-like
    for i in range(articles):
        topic, slug, text = article(rng, i, tags, weights, date(2023, 1, 1))
        path = target / "content" / topic / f"{slug}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.target, args.articles, args.seed)
    print(f"wrote {args.articles} articles to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
