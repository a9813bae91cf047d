from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.site import frontmatter


def test_split_reports_key_lines_and_body() -> None:
    fm = frontmatter.split("---\ntitle: T\nimages:\n  - caption: c\n---\n\nBody.\n", "a.md")
    assert fm.meta["title"] == "T"
    assert fm.lines == {"title": 2, "images": 3}
    assert fm.meta["images"][0].line_of("caption") == 4
    assert fm.body == "Body.\n"
    assert fm.body_line == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no fence\n", "a.md:1: no front matter"),
        ("---\ntitle: T\n", "a.md:1: front matter is not closed"),
        ("---\ntitle: [\n---\n", "a.md:3: invalid YAML"),
        ("---\n- a\n- b\n---\n", "a.md:2: front matter must be a mapping"),
        ("---\nx: !!python/name:os.system\n---\n", "a.md:2: invalid YAML"),
        ("---\ntitle: a\x00b\n---\n", "a.md:2: contains a NUL byte"),
        # Where the mistake begins, not where the parser gave up lines later.
        ("---\ntitle: 'A quote\ndate: 2024-11-05\ntopic: alpha\n---\n", "a.md:2: invalid YAML"),
        ("---\ntags: [a, b\ndate: 2024-11-05\n---\n", "a.md:2: invalid YAML"),
        ("---\ntitle: T\nno colon here\ndate: 2024-11-05\n---\n", "a.md:3: invalid YAML"),
        ("---\ntopic: a\ntitle: T\ntopic: b\n---\n", "a.md:4: topic: given twice (also on line 2)"),
        ("---\nimages:\n- caption: x\n  caption: y\n---\n", "a.md:4: caption: given twice (also on line 3)"),
    ],
)
def test_split_errors_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as info:
        frontmatter.split(text, "a.md")
    assert str(info.value).startswith(expected)


def test_dump_round_trips_unicode_and_order() -> None:
    meta = {"title": "‘A symbol’ — Mosul", "tags": ["mosul", "unesco"], "images": [{"caption": "x"}]}
    text = frontmatter.dump(meta, "Body\n")
    assert text.startswith("---\ntitle: ‘A symbol’ — Mosul\n")
    fm = frontmatter.split(text, "a.md")
    assert fm.meta == meta
    assert fm.body == "Body\n"


@given(st.text())
def test_split_never_raises_anything_but_content_error(text: str) -> None:
    try:
        frontmatter.split(text, "x.md")
    except ContentError:
        pass


@given(st.dictionaries(st.text(min_size=1), st.text() | st.integers() | st.lists(st.text())))
def test_dump_then_split_gives_the_same_mapping(meta: dict) -> None:
    fm = frontmatter.split(frontmatter.dump(meta, "body"), "x.md")
    assert fm.meta == meta


@pytest.mark.parametrize(
    ("value", "line"),
    [("2024-02-30", 3), ("2024-13-01", 3), ("2024-11-14T25:00:00+02:00", 3)],
)
def test_impossible_yaml_dates_are_content_errors(value: str, line: int) -> None:
    with pytest.raises(ContentError) as info:
        frontmatter.split(f"---\ntitle: T\ndate: {value}\n---\nBody\n", "a.md")
    assert str(info.value).startswith(f"a.md:{line}: invalid YAML: '{value}' is not a real date or time")


def test_impossible_date_nested_and_in_lists() -> None:
    with pytest.raises(ContentError) as info:
        frontmatter.split("---\ntitle: T\nextra:\n  when: [2024-01-01, 2023-02-29]\n---\n", "a.md")
    assert str(info.value).startswith("a.md:4: invalid YAML: '2023-02-29' is not a real date")


def test_errors_quoting_line_breaks_stay_one_line() -> None:
    from generator.errors import ConfigError

    for error in (ContentError("a.md", 3, "images[0].\r", "unknown key\u2028here"),
                  ConfigError("site.yaml", 2, "ti\ntle", "unknown key")):
        assert len(str(error).splitlines()) == 1
    assert str(ContentError("a.md", 3, "images[0].\r", "unknown key")) == "a.md:3: images[0].\\r: unknown key"
