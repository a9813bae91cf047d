"""The front-matter fast path against PyYAML, value for value and line for line (differential).

`fastyaml.load` may decline any text (None: PyYAML reads it, and reports its
errors), but what it returns must be what the PyYAML reading returns: equal
values of the same types, `LineDict`s with the same `line` and `key_lines` at
every level, the same top-level key lines. Checked under hypothesis (YAML built
from keys, indents, quotes, comments, dates, numbers, YAML 1.1 booleans and
odd characters), on what `frontmatter.dump` writes for arbitrary text, and on
every content file of the fixtures, the bundled site and both benchmark corpora.
"""

from __future__ import annotations

import random
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.importer import emit
from generator.importer.clean import clean
from generator.importer.segment import segment
from generator.site import fastyaml, frontmatter
from generator.site.frontmatter import LineDict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import news  # noqa: E402

MANY = settings(max_examples=settings().max_examples * 2)  # a differential test: twice the profile's budget


def same(ours: Any, theirs: Any) -> None:
    assert type(ours) is type(theirs), (ours, theirs)
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        if isinstance(theirs, LineDict):
            assert (ours.line, ours.key_lines) == (theirs.line, theirs.key_lines)
        for key in theirs:
            same(ours[key], theirs[key])
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            same(a, b)
    else:
        assert ours == theirs


def check(text: str, first_line: int = 2) -> bool:
    """The fast path agrees with PyYAML on `text`; True if it took it."""
    fast = fastyaml.load(text, first_line, LineDict)
    if fast is None:
        return False
    try:
        reference = frontmatter._load_with_pyyaml(text, "x.md", first_line, "front matter")
    except ContentError as exc:
        raise AssertionError(f"the fast path read {text!r}, PyYAML refused it: {exc}") from None
    same(fast[0], reference[0])
    assert fast[1] == reference[1]
    return True


KEYS = st.sampled_from(["title", "date", "tags", "images", "a-b", "_x", "Key", "on", "yes", "No", "null", "true",
                        "y", "1x", "<<", "tags ", " title", "x.y", "é"])
SEPARATORS = st.sampled_from([": ", ":", " : ", ":  ", ": \t"])
VALUES = st.one_of(
    st.sampled_from(["2024-11-14", "2024-02-30", "2024-1-5", "2024-11-14T10:32:00+02:00", "12", "0x1F", "1_000",
                     "1:20", "1.5", ".5", ".inf", "yes", "Off", "~", "null", "=", "", " ", "'it''s'", "'a'b'", "'",
                     "''", "'x' # c", '"q"', "a: b", "a:b", "a #b", "a#b", "C#", "-x", "- x", "?x", ":x", "[a]",
                     "{a: 1}", "|", ">", "&a x", "*a", "!!str x", "%x", "@x", "`x", "x:", "x ", "“curly”", "Iran’s",
                     "a\u2028b", "a\x85b", "a\tb", "a\rb", "\ufeffa", "a\xa0", "x\\y", "..."]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.text(alphabet="ab :#'\"-[]{}!&*|>%@`,?~=.\\", max_size=10),
)
LINE = st.one_of(
    st.tuples(KEYS, SEPARATORS, VALUES).map("".join),
    st.tuples(KEYS, st.just(":")).map("".join),
    st.tuples(st.sampled_from(["- ", "-", "  - ", "- - "]), VALUES).map("".join),
    st.tuples(st.sampled_from(["- ", "  ", "   ", " ", "\t"]), KEYS, SEPARATORS, VALUES).map("".join),
    st.sampled_from(["", "  ", "# a comment", "---", "...", "%YAML 1.1", "key: value # comment"]),
)
YAML = st.lists(LINE, max_size=12).map(lambda lines: "".join(f"{line}\n" for line in lines))


# Mostly well-formed, so that the fast path is taken often and its edges are met one at a time.
GOOD_VALUE = st.from_regex(r"[A-Za-z][A-Za-z0-9 ’“”é.,'#:-]{0,10}[A-Za-z0-9]", fullmatch=True)
GOOD_KEY = st.sampled_from(["title", "date", "tags", "caption", "credit", "a-b", "_x"])
KEYS = st.one_of(GOOD_KEY, GOOD_KEY, KEYS)
VALUES = st.one_of(GOOD_VALUE, GOOD_VALUE, GOOD_VALUE, VALUES)
SCALAR_ENTRY = st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}\n")
LIST_ENTRY = st.tuples(KEYS, st.lists(VALUES, min_size=1, max_size=3)).map(
    lambda kv: f"{kv[0]}:\n" + "".join(f"- {v}\n" for v in kv[1]))
RECORD = st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=3).map(
    lambda kvs: "".join(f"{'- ' if i == 0 else '  '}{k}: {v}\n" for i, (k, v) in enumerate(kvs)))
RECORDS_ENTRY = st.tuples(KEYS, st.lists(RECORD, min_size=1, max_size=2)).map(lambda kv: f"{kv[0]}:\n" + "".join(kv[1]))
NEARLY = st.lists(st.one_of(SCALAR_ENTRY, LIST_ENTRY, RECORDS_ENTRY), min_size=1, max_size=6).map("".join)


@MANY
@given(NEARLY)
def test_yaml_in_the_importers_shape(text: str) -> None:
    check(text)


@MANY
@given(YAML)
@example("title: a\ntitle: b\n")
@example("images:\n- caption: a\n  caption: b\n")
@example("date: 2024-02-30\n")
@example("tags:\n- a\n  b\n")
@example("images:\n- caption: a\n   credit: b\n")
def test_yaml_pieces(text: str) -> None:
    check(text)


@MANY
@given(st.text(max_size=80))
def test_arbitrary_text(text: str) -> None:
    check(text + "\n")


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)


@MANY
@given(st.dictionaries(st.sampled_from(["id", "title", "dateline", "topic", "source"]), TEXT),
       st.lists(TEXT, max_size=3), st.lists(st.fixed_dictionaries({"caption": TEXT}, optional={"credit": TEXT}),
                                            max_size=2))
def test_what_dump_writes(scalars: dict[str, str], tags: list[str], images: list[dict[str, str]]) -> None:
    meta: dict[str, Any] = {**scalars, "date": date(2024, 11, 14)}
    if tags:
        meta["tags"] = tags
    if images:
        meta["images"] = images
    text = frontmatter.dump(meta, "Body.").split("---\n")[1]
    taken = check(text)
    if all(re.fullmatch(r"[A-Za-z](?:[A-Za-z0-9 ’“”é]*[A-Za-z0-9])?", v)
           for v in [*scalars.values(), *tags, *(x for i in images for x in i.values())]):
        assert taken, text  # plain words: the fast path must not decline them


def content_files() -> list[Path]:
    return sorted([*(ROOT / "tests").rglob("*.md"), *(ROOT / "content").rglob("*.md")])


def yaml_of(text: str) -> str | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None
    for end, row in enumerate(lines[1:], start=1):
        if row.rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:end])
    return None


@pytest.mark.parametrize("path", content_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_and_bundled_articles(path: Path) -> None:
    text = yaml_of(path.read_bytes().decode("utf-8", errors="replace"))
    if text is not None:
        check(text)


def test_corpora_samples() -> None:
    rng, tags = random.Random(7), corpus.tag_names()
    weights = [1 / (k + 1) for k in range(len(tags))]
    texts = [yaml_of(corpus.article(rng, i, tags, weights, date(2023, 1, 1))[2]) for i in range(100)]
    for bundled in (ROOT / "content").rglob("*.md"):  # what `digest import` writes
        texts.append(yaml_of(bundled.read_text(encoding="utf-8")))
    words = news.vocabulary()
    dump = "".join(news.page(rng, words, i, tags, weights, date(2024, 1, 1 + i % 28)) for i in range(100))
    for raw in segment(dump, "dump", ZoneInfo("UTC")):
        article = clean(raw, "dump")
        texts.append(yaml_of(emit.render(article, emit.article_id(article), "region", ["a-tag", "baghdad"])))
    taken = [check(text) for text in texts if text is not None]
    assert len(taken) == 100 + 100 + 6 and sum(taken) >= 190, sum(taken)


def test_odd_characters_are_those_outside_the_printable_ranges() -> None:
    """`_ODD`, written as the ranges it matches, matches exactly the characters outside YAML's printable ones."""
    printable = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(fastyaml._ODD.findall(every)) == set(every) - set(printable.findall(every))
