"""Step 4 of the engine: who gets the bytes. `digest build` hands them to the output folder
(`OutputFolder`, through `publish.write.Publish`), `digest serve` to the site it serves from memory
(`MemorySite`). The engine talks to both the same way:

- `intact(recorded)`: is the output still as the last build left it (`recorded` is what `finish` returned
  then)? If not, every page is rendered again;
- `begin(keep, recorded)`: a `Delivery` for the next site, which keeps the last build's files named in
  `keep` as they are; `add` takes files in batches as they are rendered, `finish` puts the new site in place
  and returns (what it did, what to record for `intact`). Leaving the `with` block without `finish` (an
  error) leaves the output as it was;
- `untouched(recorded)`: what to report when nothing changed and nothing is delivered;
- `page(rel)`: an output of the last build, its bytes or the file holding them (read back by outputs made
  from other outputs, the search index, after an edit).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from generator.errors import DigestError
from generator.publish.listing import Listings
from generator.publish.output import MARKER, WriteStats, check_path, safe_join
from generator.publish.write import Publish, check_output

Stamps = dict[str, tuple[int, int, int]]  # output file -> (mtime_ns, size, inode) after the write


class Recorded(Stamps):
    """What `OutputFolder` records of its output: each file's stamp, and the folders of the output and of its
    spare as the build left them (`listings`, a `publish.listing.Listings`), so the next build need not list them."""

    listings: Listings = {}


class Delivery(Protocol):
    """The next site, handed over as it is rendered."""

    @property
    def names(self) -> set[str]: ...  # the paths added so far
    def add(self, files: Mapping[str, bytes]) -> None: ...
    def finish(self) -> tuple[Any, Any]: ...  # (what was done, what to record for `intact`)
    def __enter__(self) -> Delivery: ...
    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class Sink(Protocol):
    """Where a build's bytes go."""

    @property
    def label(self) -> Path | None: ...  # what pages depend on of the sink (part of the render key)
    def intact(self, recorded: Any) -> bool: ...
    def untouched(self, recorded: Any) -> Any: ...
    def page(self, rel: str) -> bytes | Path: ...  # an output of the last build (the engine reads it back)
    def begin(self, keep: set[str], recorded: Any) -> Delivery: ...


class OutputFolder:
    """The output folder of `digest build`, replaced as a whole by `Publish` (see `publish.write`)."""

    def __init__(self, target: Path, *, sources: Iterable[Path] = ()) -> None:
        self.target = target
        self.sources = tuple(sources)
        check_output(target, self.sources)  # before anything is read: a wrong --output is reported first
        self._intact: tuple[Any, bool] | None = None

    @property
    def label(self) -> Path:
        """What the pages depend on of the sink (part of the render key): the output folder."""
        return self.target

    def intact(self, recorded: Any) -> bool:
        """Every file of the last build still there, as it was written."""
        if self._intact is None or self._intact[0] is not recorded:
            self._intact = (recorded, isinstance(recorded, dict) and _intact(self.target, recorded))
        return self._intact[1]

    def untouched(self, recorded: Any) -> WriteStats:
        return WriteStats(written=0, unchanged=len(recorded) - 1, removed=0)

    def page(self, rel: str) -> Path:
        """The file holding an output of the last build (while `intact`, as it was written)."""
        return safe_join(self.target, rel)

    def begin(self, keep: set[str], recorded: Any) -> _ToFolder:
        return _ToFolder(self, keep, recorded if isinstance(recorded, dict) else {})


class _ToFolder:
    def __init__(self, folder: OutputFolder, keep: set[str], recorded: Stamps) -> None:
        self.target, self.keep, self.recorded = folder.target, keep, recorded
        self.publish = Publish(folder.target, sources=folder.sources, keep=keep,
                               known=getattr(recorded, "listings", None))  # each folder's stamp is checked

    @property
    def names(self) -> set[str]:
        return self.publish.names

    def add(self, files: Mapping[str, bytes]) -> None:
        self.publish.add(files)

    def finish(self) -> tuple[WriteStats, Recorded]:
        stats = self.publish.finish()
        stamps = Recorded(self.recorded)  # a copy, less the files not kept (sets: 10,000s of files, a few gone)
        for rel in self.recorded.keys() - self.keep:
            del stamps[rel]
        stamps.update(_stamps(self.target, [*(self.publish.names - stamps.keys()), MARKER]))
        stamps.listings = self.publish.listings
        return stats, stamps

    def __enter__(self) -> _ToFolder:
        self.publish.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.publish.__exit__(kind, exc, tb)


class MemorySite:
    """The site `digest serve` serves: output path -> bytes. Each build makes a new mapping (a reader holding
    the last one never sees it change); `finish` reports the paths whose bytes changed or that went away."""

    label = None

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def intact(self, recorded: Any) -> bool:
        return True

    def untouched(self, recorded: Any) -> frozenset[str]:
        return frozenset()

    def page(self, rel: str) -> bytes:
        """An output of the last build."""
        return self.files[rel]

    def begin(self, keep: set[str], recorded: Any) -> _ToMemory:
        return _ToMemory(self, keep)


class _ToMemory:
    def __init__(self, site: MemorySite, keep: set[str]) -> None:
        self.site = site
        self.added: dict[str, bytes] = {}
        self.keep = keep

    @property
    def names(self) -> set[str]:
        return set(self.added)

    def add(self, files: Mapping[str, bytes]) -> None:
        for rel in files:  # the checks `Publish` makes, so that the preview fails where the build would
            check_path(rel)
            if rel in self.added:
                raise DigestError(f"{rel!r}: two outputs have this path")
        self.added.update(files)

    def finish(self) -> tuple[frozenset[str], None]:
        old = self.site.files
        new = dict(old)
        for rel in old.keys() - self.keep - self.added.keys():
            del new[rel]
        new.update(self.added)
        changed = {rel for rel, data in self.added.items() if old.get(rel) != data} | (old.keys() - new.keys())
        self.site.files = new
        return frozenset(changed), None

    def __enter__(self) -> _ToMemory:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.added = {}


def _stamps(target: Path, rels: list[str]) -> Stamps:
    stamps = {}
    inside = os.path.join(target, "")  # strings, not `Path`s: the names are `safe_join`'s plain relative paths
    for rel in rels:
        try:
            st = os.stat(inside + rel)
        except OSError:
            raise DigestError(f"{target / rel}: vanished while the site was written") from None
        stamps[rel] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return stamps


def _intact(target: Path, recorded: Stamps) -> bool:
    inside = os.path.join(target, "")  # as in `_stamps`: one stat a file of the site, 10,000s of them
    for rel, stamp in recorded.items():
        try:
            st = os.stat(inside + rel)
        except OSError:
            return False
        if (st.st_mtime_ns, st.st_size, st.st_ino) != stamp:
            return False
    return True
