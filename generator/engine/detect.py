"""Step 1 of the engine, what changed: the site's inputs now, against those of the last good build.

`scan` looks at every input of a build: the keys of what is not content
(`cache.parse_key`: digest and `site.yaml`; `cache.render_key`: that, the
templates and the options), the static files by stamp, and the content files.
Those are either all listed and stat'ed (`digest build`, and the preview when
it cannot trust its watcher) or, when a watcher names the files that changed
and each of them is still a file the last build knew, only those are looked
at (the preview after an edit).

A stamp is trusted only when the file was last modified well before the scan
that recorded it (`RACY_NS`, as git does for its index); a younger file, and
every file a watcher named, is read and compared by content hash.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator.engine import cache
from generator.engine.changes import ChangeSet, Kind
from generator.engine.sources import Stamp, content_names, file_stamp, static_files
from generator.engine.state import State
from generator.site.config import SiteConfig

RACY_NS = 2_000_000_000  # a file modified this close before a scan is checked by content next time


@dataclass(frozen=True, slots=True)
class Inputs:
    """The inputs of this build, and which content files hold what the last build saw."""

    parse_key: bytes
    render_key: bytes
    scanned_ns: int
    listing: Collection[str]  # every content file (site-relative), in the order `content_names` lists them
    stamps: dict[str, Stamp]  # of the content files looked at (the others keep the recorded ones)
    static: dict[str, tuple[str, Stamp]]
    static_hinted: bool  # a watcher saw a static file change (its stamp may not show it)
    previous: State | None  # the last build's state, when its articles can be reused (same parse key)
    unchanged: set[str] = field(default_factory=set)  # content files whose bytes are those the last build saw
    data: dict[str, bytes] = field(default_factory=dict)  # content files read to compare them, by relative path

    @property
    def same_listing(self) -> bool:
        return self.previous is not None and self.listing == self.previous.content.keys()

    @property
    def nothing(self) -> bool:
        """Nothing the last build saw has changed: the same files with the same bytes, keys and static files."""
        prev = self.previous
        return (prev is not None and prev.render_key == self.render_key and not self.static_hinted
                and self.static == prev.static and len(self.unchanged) == len(self.listing) and self.same_listing)


def scan(config: SiteConfig, state: State | None, changes: ChangeSet | None, *, base_url: str | None,
         drafts: bool, output: Path | None) -> Inputs:
    """This build's inputs against `state`; with `changes` (a watcher's), only the content files it names
    are looked at when that is enough to know the listing."""
    scanned = time.time_ns()
    parse_key = cache.parse_key(config)
    render_key = cache.render_key(config, base_url=base_url, drafts=drafts, output=output)
    static = {rel: (str(src), _stat(src)) for rel, src in static_files(config).items()}
    previous = state if state is not None and state.parse_key == parse_key else None
    named = changes.paths(Kind.CONTENT) if changes is not None else ()
    hinted = changes is not None and Kind.STATIC in changes.kinds
    if previous is not None and changes is not None and all(_known_file(config, previous, rel) for rel in named):
        # Only the named files: the listing is the last build's, and the rest did not change.
        stamps = {rel: _stat(config.root / rel) for rel in named}
        inputs = Inputs(parse_key, render_key, previous.scanned_ns, previous.content.keys(), stamps, static, hinted,
                        previous)
        inputs.unchanged.update(previous.content.keys() - set(named))
        _compare(previous, inputs, config, named, trust=False)
        return inputs
    root = os.path.join(config.root, "")  # strings, not `Path`s: 10,000s of files
    stamps = {rel: _stat(root + rel) for rel in content_names(config)}
    rels = stamps.keys()
    inputs = Inputs(parse_key, render_key, scanned, rels, stamps, static, hinted, previous)
    if previous is not None:
        named_set = set(named)
        _compare(previous, inputs, config, [rel for rel in rels if rel in named_set], trust=False)
        _compare(previous, inputs, config, [rel for rel in rels if rel not in named_set], trust=True)
    return inputs


def _known_file(config: SiteConfig, state: State, rel: str) -> bool:
    return rel in state.content and (config.root / rel).is_file()


def _compare(state: State, inputs: Inputs, config: SiteConfig, rels: Collection[str], *, trust: bool) -> None:
    """Add to `inputs.unchanged` the files of `rels` whose bytes are those `state` saw: by an old enough stamp
    when `trust`, else by reading them (what is read is kept in `inputs.data`, for parsing)."""
    for rel in rels:
        recorded = state.content.get(rel)
        if recorded is None:
            continue
        stamp = inputs.stamps[rel]
        if trust and recorded[0] == stamp and stamp[0] < state.scanned_ns - RACY_NS:
            inputs.unchanged.add(rel)
            continue
        try:
            inputs.data[rel] = (config.root / rel).read_bytes()
        except OSError:
            continue  # parsing reports it
        if cache.content_hash(inputs.data[rel]) == recorded[1]:
            inputs.unchanged.add(rel)


def _stat(file: str | Path) -> Stamp:
    try:
        return file_stamp(file)
    except OSError:
        return (0, -1, 0)  # vanished: never equal to a recorded stamp; parsing reports it
