"""The error types digest reports to users.

Every user mistake becomes a `DigestError` whose `str()` is one line (or, for
`BuildError`, one line per problem) fit to print as is; the CLI prints it and
exits with status 1. Tracebacks are for bugs only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class DigestError(Exception):
    """A problem the user can fix; its message is printed without a traceback."""


def shown(path: Path | str) -> str:
    """`path` relative to the current folder when it lies inside it (`templates/x.html`), else absolute."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd())) or "."
    except (ValueError, OSError):  # OSError: the current folder is gone
        return str(resolved)


def _location(path: Path | str, line: int | None) -> str:
    return f"{path}:{line}" if line else f"{path}"


# Characters at which str.splitlines() breaks a line.
_LINE_BREAKS = {c: repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
_ONE_LINE = str.maketrans(_LINE_BREAKS)


def one_line(text: str) -> str:
    """`text` with its line breaks written as escapes (`\\r`), so that a message stays one line
    whatever user text (a file name, a key, a value) it quotes."""
    return text.translate(_ONE_LINE)


class ConfigError(DigestError):
    """A bad `site.yaml`: names the file, the line and the key, always on one line."""

    def __init__(self, path: Path | str, line: int | None, key: str, message: str) -> None:
        path, key, message = one_line(str(path)), one_line(key), one_line(message)
        self.path, self.line, self.key, self.message = path, line, key, message
        super().__init__(f"{_location(path, line)}: {key}: {message}")


class ContentError(DigestError):
    """A bad content or input file: `path:line: field: what is wrong (what would be right)`, always one line."""

    def __init__(
        self, path: Path | str, line: int | None, field: str | None, message: str
    ) -> None:
        field = one_line(field) if field else field
        path, message = one_line(str(path)), one_line(message)
        self.path, self.line, self.field, self.message = path, line, field, message
        where = _location(path, line)
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class BuildError(DigestError):
    """Several problems found in one run, reported together, one per line."""

    def __init__(self, errors: Iterable[DigestError]) -> None:
        self.errors: tuple[DigestError, ...] = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
