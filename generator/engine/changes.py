"""What changed: `classify` is a pure function (path -> kind of change), tested on its own; a `ChangeSet`
is what one burst of edits hands the engine. The watcher (`generator.preview.watch`) produces them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path, PurePath


class Kind(enum.Enum):
    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"
    IGNORED = "ignored"


# Files editors and tools write beside the real one while saving.
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".swn", ".tmp", ".temp", ".bak", ".orig", ".rej",
                     ".part", ".crdownload", "~", "___jb_tmp___", "___jb_old___", ".kate-swp")
_IGNORED_NAMES = {"4913", ".DS_Store", "Thumbs.db", "desktop.ini"}
_IGNORED_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".digest-cache", ".idea", ".vscode"}


def _is_editor_file(name: str) -> bool:
    return (
        name in _IGNORED_NAMES
        or name.endswith(_IGNORED_SUFFIXES)
        or name.startswith((".#", "#", "~$", ".~"))
        or (name.startswith(".") and name.endswith((".swp", ".swo", ".swx")))
        or name.startswith(".goutputstream-")
    )


def classify(path: Path | str, root: Path | str, output_dir: Path | str | None = None) -> Kind:
    """The kind of change a file at `path` (absolute, or relative to the site `root`) makes."""
    root_path = Path(root)
    p = PurePath(path)
    try:
        rel = p.relative_to(root_path) if p.is_absolute() else p
    except ValueError:
        return Kind.IGNORED
    if output_dir is not None:
        out = PurePath(output_dir)
        try:
            (p if p.is_absolute() else root_path / rel).relative_to(out)
            return Kind.IGNORED
        except ValueError:
            pass
    parts = rel.parts
    if not parts or _is_editor_file(parts[-1]) or any(part in _IGNORED_DIRS for part in parts):
        return Kind.IGNORED
    if parts == ("site.yaml",):
        return Kind.CONFIG
    top = parts[0]
    if len(parts) == 1:
        # A whole watched folder created, deleted or moved.
        return {"content": Kind.CONTENT, "templates": Kind.TEMPLATE, "static": Kind.STATIC}.get(top, Kind.IGNORED)
    if any(part.startswith(".") for part in parts[1:]):
        return Kind.IGNORED
    if top == "content":
        # Articles are .md files; a folder (topic) moved or deleted affects them too.
        return Kind.CONTENT if parts[-1].endswith(".md") or "." not in parts[-1] else Kind.IGNORED
    if top == "templates":
        return Kind.TEMPLATE
    if top == "static":
        return Kind.STATIC
    return Kind.IGNORED


@dataclass(frozen=True, slots=True)
class Change:
    kind: Kind
    path: str  # relative to the site root, posix


@dataclass(frozen=True, slots=True)
class ChangeSet:
    changes: frozenset[Change]

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset(c.kind for c in self.changes)

    def paths(self, kind: Kind) -> tuple[str, ...]:
        return tuple(sorted(c.path for c in self.changes if c.kind is kind))
