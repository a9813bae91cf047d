"""Front matter in the shape `digest import` writes, read without PyYAML, with PyYAML's result.

`frontmatter.dump` writes a mapping of `key: value` lines, lists of scalars as
`- item` lines under their key, and lists of mappings (`images`, `factboxes`)
as `- caption: ...` with the other keys indented by two spaces. Values are
plain scalars or single-quoted ones. `load` reads exactly that and returns what
`frontmatter._load_mapping` would (the same values, `LineDict`s with the same
lines), or None for anything else: a comment, a blank line, another indent,
double quotes, flow or block scalars, anchors, tags, a key given twice, a value
PyYAML would read as anything but a string (a number, `yes`, `null`), except a
plain `YYYY-MM-DD` date, and any character YAML treats as a line break or does
not allow. The caller then runs PyYAML, which also reports every error.
`tests/test_fastyaml.py` compares the two under hypothesis and on every content file.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?")
# Anything but printable characters YAML reads as themselves (no tab, NEL, line or paragraph separator, BOM):
# every character outside "\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff",
# written as the ranges left out (the negated class takes `re` 5 ms to compile, at every start).
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STR = "tag:yaml.org,2002:str"
_RESOLVERS = getattr(yaml, "CSafeLoader", yaml.SafeLoader).yaml_implicit_resolvers


class _NotPlain(Exception):
    """The text is not in the shape this reader takes: PyYAML reads it."""


def load(text: str, first_line: int, mapping: type[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int]] | None:
    """(data, line of each top-level key) of the YAML `text` whose first line is file line `first_line`, or None.

    `mapping` is the class of the mappings made (`frontmatter.LineDict`): it gets `line` and `key_lines`.
    """
    if not text.endswith("\n") or _ODD.search(text):
        return None
    lines = text[:-1].split("\n")
    try:
        data = _mapping(lines, 0, 0, first_line, mapping)
    except _NotPlain:
        return None
    return data, dict(data.key_lines)  # type: ignore[attr-defined]


def _mapping(lines: list[str], at: int, indent: int, first_line: int, mapping: type[dict[str, Any]]) -> Any:
    """The top-level mapping (indent 0) of `lines`, from line `at` to the end."""
    data = mapping()
    data.line = first_line + at  # type: ignore[attr-defined]
    data.key_lines = {}  # type: ignore[attr-defined]
    i = at
    while i < len(lines):
        key, value = _key_value(lines[i])
        if key in data:
            raise _NotPlain  # given twice: PyYAML's reading reports it
        data.key_lines[key] = first_line + i  # type: ignore[attr-defined]
        if value is not None:
            data[key] = _scalar(value)
            i += 1
            continue
        items: list[Any] = []
        i += 1
        while i < len(lines) and lines[i].startswith("- "):
            item = lines[i][2:]
            match = _KEY_LINE.fullmatch(item)
            if match is None:
                items.append(_scalar(item))
                i += 1
                continue
            record = mapping()
            record.line = first_line + i  # type: ignore[attr-defined]
            record.key_lines = {}  # type: ignore[attr-defined]
            sub_key, sub_value = _key_value(item)
            record.key_lines[sub_key], record[sub_key] = first_line + i, _required(sub_value)  # type: ignore[attr-defined]
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and not lines[i].startswith("   "):
                sub_key, sub_value = _key_value(lines[i][2:])
                if sub_key in record:
                    raise _NotPlain
                record.key_lines[sub_key], record[sub_key] = first_line + i, _required(sub_value)  # type: ignore[attr-defined]
                i += 1
            items.append(record)
        if not items:
            raise _NotPlain  # a null, or a nested mapping
        data[key] = items
    if not data:
        raise _NotPlain
    return data


def _key_value(line: str) -> tuple[str, str | None]:
    match = _KEY_LINE.fullmatch(line)
    if match is None or _resolve(match[1]) != _STR:
        raise _NotPlain
    return match[1], match[2]


def _required(value: str | None) -> Any:
    if value is None:
        raise _NotPlain
    return _scalar(value)


def _scalar(value: str) -> Any:
    if not value:
        raise _NotPlain
    if value[0] == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotPlain
        return inner.replace("''", "'")
    if value[0] in _INDICATORS or value[-1] in " :" or ": " in value or " #" in value:
        raise _NotPlain
    tag = _resolve(value)
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:timestamp" and _DATE.fullmatch(value):
        try:
            return date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            raise _NotPlain from None  # not a real date: PyYAML's reader says so
    raise _NotPlain


def _resolve(value: str) -> str:
    """The tag PyYAML's implicit resolvers give the plain scalar `value` (not empty)."""
    for tag, pattern in _RESOLVERS.get(value[0], []) + _RESOLVERS.get(None, []):
        if pattern.match(value):
            return tag
    return _STR
