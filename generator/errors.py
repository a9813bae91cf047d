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


def _location(path: Path | str, line: int | None) -> str:
    return f"{path}:{line}" if line else f"{path}"


class ConfigError(DigestError):
    """A bad `site.yaml`: names the file, the line and the key."""

    def __init__(self, path: Path | str, line: int | None, key: str, message: str) -> None:
        self.path, self.line, self.key, self.message = str(path), line, key, message
        super().__init__(f"{_location(path, line)}: {key}: {message}")


class ContentError(DigestError):
    """A bad content or input file: `path:line: field: what is wrong (what would be right)`."""

    def __init__(
        self, path: Path | str, line: int | None, field: str | None, message: str
    ) -> None:
        self.path, self.line, self.field, self.message = str(path), line, field, message
        where = _location(path, line)
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class BuildError(DigestError):
    """Several problems found in one run, reported together, one per line."""

    def __init__(self, errors: Iterable[DigestError]) -> None:
        self.errors: tuple[DigestError, ...] = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
