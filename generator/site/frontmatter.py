"""Split and write YAML front matter.

A content file is::

    ---
    title: ...
    date: 2024-11-15
    ---

    Body in Markdown.

`split` returns the mapping, the line on which each top-level key was written
(so later validation can name it), and the body. Only YAML's safe subset is
accepted: a tag such as `!!python/object` is an error, never executed. A
document nested deeper than `MAX_DEPTH`, holding an alias to itself, or whose
aliases would expand it beyond `MAX_VALUES` values ("billion laughs") is an
error too, found before anything is built from it. The LibYAML C loader is used
when PyYAML was built with it (several times faster).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError
from generator.site import fastyaml

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

FENCE = "---"
MAX_DEPTH = 50  # lists and mappings inside each other
MAX_VALUES = 100_000  # scalars, lists and mappings, counting each alias as the copy it stands for


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys were written.

    `line` is the 1-based file line of the mapping, `key_lines` that of each key,
    so that errors in nested values (an image's caption, a topic's terms) can
    name the line.
    """

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@functools.cache  # one class per first line: a class made per file costs more than the load
def _line_loader(first_line: int) -> type:
    class _LineLoader(_Loader):
        pass

    def construct_map(loader: Any, node: yaml.MappingNode) -> Any:
        data = LineDict()
        data.line = first_line + node.start_mark.line
        data.key_lines = {
            str(k.value): first_line + k.start_mark.line
            for k, _v in node.value
            if isinstance(k, yaml.ScalarNode)
        }
        yield data
        data.update(loader.construct_mapping(node))

    def construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
        # PyYAML raises a bare ValueError for 2024-02-30 or 25:00; make it a marked error.
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date or time ({exc})", node.start_mark) from None

    _LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    _LineLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return _LineLoader


def plain(value: Any) -> Any:
    """`value` with every `LineDict` turned back into a plain dict (for dumping)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A parsed content file. `lines` maps each top-level key to its 1-based file line."""

    meta: Mapping[str, Any]
    lines: Mapping[str, int]
    body: str
    body_line: int

    def line_of(self, key: str) -> int:
        """The file line of `key`, or the opening fence's line when the key is absent."""
        return self.lines.get(key, 1)


def split(text: str, path: Path | str) -> FrontMatter:
    """Parse `text` (the whole file) into front matter and body, or raise `ContentError`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ContentError(path, line, None, "contains a NUL byte (not a text file)")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != FENCE:
        raise ContentError(path, 1, None, "no front matter (the file must start with a '---' line)")
    for end, row in enumerate(lines[1:], start=1):  # noqa: B007 (end is used below)
        if row.rstrip("\r\n") in (FENCE, "..."):
            break
    else:
        raise ContentError(path, 1, None, "front matter is not closed (add a '---' line after it)")
    yaml_text = "".join(lines[1:end])
    meta, key_lines = _load_mapping(yaml_text, path, first_line=2)
    body_lines = lines[end + 1 :]
    body_line = end + 2
    # One blank line conventionally separates front matter from the body.
    while body_lines and not body_lines[0].strip():
        body_lines = body_lines[1:]
        body_line += 1
    return FrontMatter(meta, key_lines, "".join(body_lines), body_line)


def _load_mapping(
    yaml_text: str, path: Path | str, first_line: int, what: str = "front matter"
) -> tuple[dict[str, Any], dict[str, int]]:
    fast = fastyaml.load(yaml_text, first_line, LineDict)  # the importer's shape, read as PyYAML reads it
    return fast if fast is not None else _load_with_pyyaml(yaml_text, path, first_line, what)


def _load_with_pyyaml(yaml_text: str, path: Path | str, first_line: int, what: str) -> tuple[dict[str, Any],
                                                                                               dict[str, int]]:
    _check_depth(yaml_text, path, first_line)
    loader = _line_loader(first_line)(yaml_text)
    try:
        node = loader.get_single_node()
        if node is not None and "*" in yaml_text:  # without an alias, the node tree is the text's size
            _check_size(node, path, first_line)
        if node is not None:
            _check_duplicates(node, path, first_line)
        data = loader.construct_document(node) if node is not None else None
    except RecursionError:
        raise ContentError(path, first_line, None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed bracket or quote, or a key without its colon, is noticed lines later, where the
        # parser gave up: point at the line where it began, which is the one to fix.
        if exc.context_mark is not None and (exc.context or "").startswith(("while parsing a flow",
                                                                             "while scanning a")):
            mark = exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise ContentError(path, line, None, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a NUL byte
        line = first_line + yaml_text.count("\n", 0, exc.position)
        raise ContentError(path, line, None, f"invalid YAML: the character U+{exc.character:04X} is not "
                           "allowed (remove it)") from None
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ContentError(path, first_line, None, f"invalid YAML: {problem}") from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ContentError(path, first_line, None, f"{what} must be a mapping of 'key: value'")
    key_lines: dict[str, int] = {}
    for key_node, _value in node.value:
        key = key_node.value
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key, str):
            raise ContentError(path, first_line + key_node.start_mark.line, None,
                               "front-matter keys must be plain names")
        key_lines[key] = first_line + key_node.start_mark.line
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise ContentError(path, first_line, None, f"front-matter key {bad[0]!r} is not a name")
    return data, key_lines


def _check_depth(yaml_text: str, path: Path | str, first_line: int) -> None:
    """Refuse YAML nested deeper than `MAX_DEPTH` before it is composed: LibYAML's composer recurses in C and
    crashes the interpreter on a few hundred thousand nested brackets. Each level needs one of `[{-:?`, so
    text with fewer of them is let through unscanned; otherwise the parser's events (not recursive) are counted."""
    if sum(yaml_text.count(c) for c in "[{-:?") <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise ContentError(path, first_line + (mark.line if mark is not None else 0), None,
                                       f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # LibYAML 0.2.6 (PyYAML >= 6.0.4) has a nesting limit of its own, which its scanner, reading
        # ahead, may reach before the parser hands over the level past ours: the same mistake.
        if "maximum nesting depth" in (exc.problem or ""):
            mark = exc.problem_mark
            raise ContentError(path, first_line + (mark.line if mark is not None else 0), None,
                               f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None
        return  # the loader reports it, with its line
    except yaml.YAMLError:
        return  # the loader reports it, with its line


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_size(root: yaml.Node, path: Path | str, first_line: int) -> None:
    """Refuse a document too deep, holding itself, or too big once its aliases are expanded.

    Aliases make the composed graph share nodes; each node's expanded size is
    worked out once (memoised by identity), so the check is linear in the text.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # nodes whose children are being visited: the current path
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        line = first_line + node.start_mark.line
        if done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[id(node)] > MAX_VALUES:
                raise ContentError(path, line, None, f"invalid YAML: its aliases expand to more than {MAX_VALUES:,} "
                                   "values (write the values out, or use fewer aliases)")
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise ContentError(path, line, None, "invalid YAML: an alias refers to the value that contains it")
        if depth > MAX_DEPTH:
            raise ContentError(path, line, None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
        open_nodes.add(id(node))
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _check_duplicates(root: yaml.Node, path: Path | str, first_line: int) -> None:
    """Refuse a mapping that gives a key twice: YAML loaders silently keep the last one."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            lines: dict[object, int] = {}
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag.endswith((":str", ":int")):
                    line = first_line + key.start_mark.line
                    if key.value in lines:
                        raise ContentError(path, line, str(key.value), f"given twice (also on line "
                                           f"{lines[key.value]}): keep one")
                    lines[key.value] = line
        stack.extend(_children(node))


def load_yaml_file(text: str, path: Path | str) -> tuple[dict[str, Any], dict[str, int]]:
    """Load a whole YAML document (e.g. `site.yaml`) that must be a mapping.

    Returns the data and the 1-based line of each top-level key.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return _load_mapping(text, path, first_line=1, what=Path(path).name)


def dump(meta: Mapping[str, Any], body: str) -> str:
    """Render a content file: front matter between fences, a blank line, the body.

    Keys keep their given order; non-ASCII text is written as is; long strings
    are not folded, so each value stays on one line and diffs stay readable.
    """
    yaml_text = yaml.dump(
        plain(meta),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    body = body.strip("\n")
    return f"{FENCE}\n{yaml_text}{FENCE}\n\n{body}\n" if body else f"{FENCE}\n{yaml_text}{FENCE}\n"


def article_files(root: Path) -> list[Path]:
    """The article files under `root`, sorted: every `.md`, dotfiles and dot-folders left out (the import's
    manifest, editors' files). Broken or looping symbolic links are listed too, so that reading them reports
    them. `digest build` and `digest import` agree on what the articles are through this one rule."""
    return [root / name for name in article_names(root)]


def article_names(root: Path | str) -> list[str]:
    """The articles of `article_files` as `/`-separated paths relative to `root`, in the same order (that of
    their `Path`s: part by part). Strings, not `Path`s: a build with nothing to do lists 10,000s of them."""
    found = []
    folders = [(os.fspath(root), "")]  # (folder, its path relative to root with a trailing "/")
    while folders:
        folder, inside = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{inside}{name}/"))  # a link to a folder is not followed
                    elif name.endswith(".md") and (entry.is_symlink() or entry.is_file(follow_symlinks=False)):
                        found.append(inside + name)
        except PermissionError:
            continue  # as `Path.rglob`: a folder that cannot be listed holds no articles
    return sorted(found, key=_part_by_part)


def _part_by_part(name: str) -> str:
    """The sort key of `Path`'s order, part by part (`a/z.md` before `a-b.md`): "/" made NUL, the one
    character below every character a name can hold (a `str` compares faster than a list of parts)."""
    return name.replace("/", "\0")
