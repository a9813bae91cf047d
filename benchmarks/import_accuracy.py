"""Held-out-style evaluation of `digest import`: many generated dumps, fields counted right.

    python benchmarks/import_accuracy.py [--dumps 500] [--seed 2026] [--articles recombined|pool] [--loose]

Each dump holds 1-5 articles in page shapes drawn by `tests/dumpgen.py` (every header shape,
gallery, dateline form, captions, boxes, READ MORE blocks, placeholders, broken sentences, single
line breaks, CRLF, trailing spaces and NBSP). With `--articles recombined` (the default) every
article is new: its headline, paragraphs, captions, boxes, links, dateline and date are drawn from
different articles of the pool, so no article of the evaluation is one the tests check. `--seed`
differs from the tests' seeds. `--loose` also breaks sentences at any word, including places where
a reader cannot tell a broken line from a subheading.

Every dump goes through the real command (`digest import --site . --content-dir TMP DUMP`); the
files it writes are read back and compared, field by field, with what the article is: title,
date, dateline, source, highlights, images, factboxes, read_more, body, and the topic and tags it
gets when imported alone in its plainest shape. A missing article counts all its fields wrong, a
phantom article counts its fields wrong too. A dump is *refused* when the command rejects it as a
whole; articles the command reports as not imported are counted separately.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import dumpgen as gen  # noqa: E402

from generator.cli import main  # noqa: E402
from generator.importer.classify import Classifier  # noqa: E402
from generator.site.config import load_config  # noqa: E402
from generator.site.frontmatter import split  # noqa: E402


def evaluate(dumps: int, seed: int, articles: str, loose: bool) -> dict[str, object]:
    config = load_config(ROOT)
    classifier = Classifier.of(config)
    pool = gen.pool()
    rng = random.Random(seed)
    right, total, refused, not_imported, warnings, phantoms = Counter(), Counter(), 0, 0, 0, 0
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(dumps):
            k = rng.randint(1, 5)
            chosen = (rng.sample(pool, k) if articles == "pool"
                      else [gen.offset_safe(a, config) for a in gen.synthetic(rng, pool, k)])
            expected = {}
            for article in chosen:
                plain = gen.page(article, gen.PLAIN, random.Random(0))
                (plainest,), _problems = gen.imported(plain, config, classifier)
                expected[article.title] = {**article.fields(), "topic": plainest["topic"], "tags": plainest["tags"]}
            pages = [gen.page(a, gen.draw_shape(rng, a, loose_breaks=loose), rng) for a in chosen]
            dump = Path(tmp) / f"dump-{n}.txt"
            dump.write_bytes(gen.dump(pages, rng).encode("utf-8"))
            content = Path(tmp) / f"content-{n}"
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["import", "--site", str(ROOT), "--content-dir", str(content), str(dump)])
            if code != 0 and out.getvalue() == "":
                refused += 1
            not_imported += sum(line.startswith("error: ") for line in err.getvalue().splitlines())
            warnings += sum(line.startswith("warning: ") for line in err.getvalue().splitlines())
            written = {}
            for path in content.rglob("*.md"):
                parsed = split(path.read_text(encoding="utf-8"), path)
                written[parsed.meta["title"]] = gen.fields_of(parsed.meta, parsed.body)
            for title, want in expected.items():
                count += 1
                have = written.get(title)
                for field in gen.FIELDS:
                    total[field] += 1
                    right[field] += have is not None and have[field] == want[field]
            for _title in set(written) - set(expected):
                phantoms += 1
                for field in gen.FIELDS:
                    total[field] += 1
    return {"dumps": dumps, "articles": count, "right": sum(right.values()), "total": sum(total.values()),
            "by_field": {f: (right[f], total[f]) for f in gen.FIELDS}, "refused": refused,
            "not_imported": not_imported, "warnings": warnings, "phantoms": phantoms}


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dumps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--articles", choices=("recombined", "pool"), default="recombined")
    parser.add_argument("--loose", action="store_true", help="break sentences at any word")
    args = parser.parse_args(argv)
    result = evaluate(args.dumps, args.seed, args.articles, args.loose)
    right, total = result["right"], result["total"]
    print(f"{result['dumps']} dumps, {result['articles']} articles ({args.articles}, seed {args.seed}"
          f"{', loose breaks' if args.loose else ''})")
    print(f"fields right: {right}/{total} = {100 * right / total:.2f}%")  # type: ignore[operator]
    for field, (r, t) in result["by_field"].items():  # type: ignore[attr-defined]
        print(f"  {field:<10} {100 * r / t:6.2f}%")
    print(f"dumps refused: {result['refused']}; articles not imported: {result['not_imported']}; "
          f"phantom articles: {result['phantoms']}; warnings: {result['warnings']}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
