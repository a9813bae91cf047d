"""What the engine remembers of the last good build, and where it keeps it.

A `State` is the same for `digest build` and `digest serve`: the inputs it saw
(content files by stamp and content hash, static files by stamp, the keys of
everything else), the site's structure (order, topics, tags, neighbours,
related), the rendered outputs, what the sink recorded of its output, and the
articles left out. Parsed articles are kept beside it. A `Store` keeps both:

- `DiskStore`, `.digest-cache/` in the site folder (`digest build`): the state
  in two signed files, the articles in `SHARDS` more, so that one edit rewrites
  one shard; the articles are read only when a build needs them; and the
  compiled templates (`bytecode`, `bytecode.TemplateCache`). The state's large
  parts (`BASE`: every content file's stamp, the outputs, what the sink
  recorded, the structure) are kept in `state-base` as some build left them,
  and `state` holds the rest with a patch a build since (`delta`): after an
  edit, a build writes what changed of them, not 10 MB again. Each of those
  builds adds its patch, until the patches are worth writing the base anew;
- `MemoryStore` (`digest serve`, and builds without a cache): the state and the
  articles as objects, and a `Warm` part that cannot be saved: the last site,
  its views, the template environment and each page's template, context and
  bytes (`parallel.Memo`), so that a page whose context did not change is not
  rendered again.
"""

from __future__ import annotations

import dataclasses
import pickle
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.engine import cache, delta, search
from generator.engine.sources import Stamp
from generator.engine.totals import Totals
from generator.site.model import Article

if TYPE_CHECKING:  # only named in `Warm`'s fields: a build that loads a state renders nothing with them yet
    import jinja2

    from generator.engine.parallel import Memo
    from generator.pages.context import Views

SHARDS = 16  # parsed articles are kept in this many files, so one edit rewrites one of them
# The parts of a `State` kept in `state-base` (the rest is small, and written whole each build).
BASE = ("content", "generated", "recorded", "order", "structure")
PATCHES = 64  # a `DiskStore` writes the base anew rather than keep more patches than this,
PATCH_SHARE = 8  # or patches of more than 1/PATCH_SHARE of its size


@dataclass(frozen=True, slots=True)
class State:
    parse_key: bytes
    render_key: bytes
    scanned_ns: int  # wall clock when the inputs were last all looked at (stamps younger than this are checked)
    content: Mapping[str, tuple[Stamp, bytes]]  # content file (site-relative), in listing order -> (stamp, hash)
    static: Mapping[str, tuple[str, Stamp]]  # static output path -> (source file, stamp)
    generated: frozenset[str]  # the rendered outputs: pages, feeds, the sitemap, robots.txt
    recorded: Any  # what the sink recorded of its output (the output folder: each file's stamp)
    order: tuple[str, ...]  # published article keys, newest first
    structure: tuple[Mapping[str, Any], ...]  # topics, tags, neighbours, related
    drafts: tuple[Article, ...]  # drafts left out
    totals: Totals  # its `skipped`: the articles left out for being dated in the future
    tokens: tuple[int, ...] = ()  # for each shard of a `DiskStore`, the token its file was written with
    search: Any = None  # (key, `search.Indexer`): the index's bundles, by the hashes of their pages; None: no index
    with_drafts: bool = False  # drafts published (`--drafts`): `order` and `drafts` were split with it


@dataclass(slots=True)
class Warm:
    """What a store kept in memory can also hold: the objects of the last build, reused when they still apply."""

    views: Views
    env: jinja2.Environment
    memo: Memo | None


class MemoryStore:
    """The last good build, kept as objects (`digest serve`; a build without a cache starts from an empty one)."""

    warm: Warm | None
    bytecode: jinja2.BytecodeCache | None = None  # compiled once a process (the environment is kept in `warm`)

    def __init__(self, *, remember_pages: bool = True) -> None:
        self.state: State | None = None
        self.warm = None
        self.remember_pages = remember_pages  # keep each page's context, to render only those that changed
        self._articles: dict[str, Article] = {}

    def load(self) -> State | None:
        return self.state

    def articles(self, state: State | None) -> dict[str, Article]:
        return self._articles if state is not None else {}

    def save(self, state: State, articles: dict[str, Article], warm: Warm | None) -> None:
        self.state, self._articles, self.warm = state, articles, warm

    def search_files(self) -> search.Loader | None:
        """Where kept bundles' files come from: here, the indexer in the state holds them."""
        return None


class DiskStore:
    """The last build's state and articles in `.digest-cache/` (signed files; anything else is ignored)."""

    warm: Warm | None = None  # nothing of a build but its state and articles survives the process
    remember_pages: bool = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._bytecode: jinja2.BytecodeCache | None = None
        self._old: dict[str, Article] = {}
        self._bundles: set[str] = set()  # the index bundles whose files the last build left in `folder`
        self._base: _Base | None = None  # the state's large parts as loaded (or saved), and how they are kept

    @property
    def bytecode(self) -> jinja2.BytecodeCache:
        """Where compiled templates are kept (`bytecode.TemplateCache`), made when a build first renders."""
        if self._bytecode is None:
            from generator.engine.bytecode import TemplateCache

            self._bytecode = TemplateCache(self.folder)
        return self._bytecode

    def search_files(self) -> search.Loader:
        """Kept bundles' files, from `folder` (the state holds only their names and page hashes)."""
        return search.cached_files(self.folder)

    def load(self) -> State | None:
        """The last build's state: `state-base` with the patches `state` holds made to it, and the rest.
        None when either file is missing, foreign, or not of the same build (a crash between the two writes)."""
        stored = cache.load(self.folder / "state")
        if not (isinstance(stored, tuple) and len(stored) == 4 and isinstance(stored[3], State)):
            return None
        token, size, blobs, rest = stored
        base = cache.load(self.folder / "state-base")
        if not (isinstance(base, tuple) and len(base) == 2 and base[0] == token and isinstance(base[1], dict)
                and base[1].keys() == set(BASE) and isinstance(blobs, tuple)):
            return None
        parts, owned = base[1], dict[int, Any]()
        try:
            for blob in blobs:
                for name, patch in pickle.loads(blob).items():
                    parts[name] = delta.apply(parts[name], patch, owned)
            state = dataclasses.replace(rest, **parts)
        except Exception:  # signed by us yet not of this digest's making: no state, every page built
            return None
        self._base = _Base(token, size, blobs, parts)
        kept = getattr(state, "search", None)  # a state an older digest wrote may lack it (its keys differ too)
        if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], search.Indexer):
            self._bundles = set(kept[1].bundles)
        return state

    def articles(self, state: State | None) -> dict[str, Article]:
        """The parsed articles the last build kept, from each shard written with the token `state` records."""
        articles: dict[str, Article] = {}
        for shard, token in enumerate(state.tokens if state is not None else ()):
            stored = cache.load(self.folder / f"articles-{shard:02d}")
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token and isinstance(stored[1], dict):
                articles.update(stored[1])
        self._old = articles
        return articles

    def save(self, state: State, articles: dict[str, Article], warm: Warm | None) -> None:
        """Write the shards whose articles differ from the kept ones, then the state with their tokens."""
        shards: list[dict[str, Article]] = [{} for _ in range(SHARDS)]
        for rel, article in articles.items():
            shards[_shard(rel)][rel] = article
        kept: list[set[str]] = [set() for _ in range(SHARDS)]
        for rel in self._old:
            kept[_shard(rel)].add(rel)
        tokens = list(state.tokens) if len(state.tokens) == SHARDS else [0] * SHARDS
        for shard, mine in enumerate(shards):
            if tokens[shard] == 0 or mine.keys() != kept[shard] or any(mine[rel] is not self._old[rel] for rel in mine):
                tokens[shard] = state.scanned_ns
                cache.save(self.folder / f"articles-{shard:02d}", (state.scanned_ns, mine))
        index = None
        if state.search is not None:
            key, indexer = state.search
            search.save_bundles(self.folder, indexer, self._bundles)
            index = (key, search.without_files(indexer))
        elif self._bundles:  # the index is gone (`search: false`): so are its files
            search.save_bundles(self.folder, search.Indexer(), self._bundles)
        self._save_state(_with_tokens(state, tuple(tokens), index))

    def _save_state(self, state: State) -> None:
        """`state-base` (when there is none of this store's, or the patches have grown), then `state`: the rest
        of `state`, with a patch of its large parts from the base's, the last build's patches then this one's."""
        parts = {name: getattr(state, name) for name in BASE}
        blank: dict[str, Any] = dict.fromkeys(BASE)
        rest = dataclasses.replace(state, **blank)
        base = self._base
        if base is not None:
            patch = {name: p for name in BASE if (p := delta.diff(base.parts[name], parts[name])) is not None}
            blobs = (*base.blobs, pickle.dumps(patch, protocol=pickle.HIGHEST_PROTOCOL)) if patch else base.blobs
            if len(blobs) <= PATCHES and sum(map(len, blobs)) * PATCH_SHARE <= base.size:
                cache.save(self.folder / "state", (base.token, base.size, blobs, rest))
                self._base = _Base(base.token, base.size, blobs, parts)
                return
        token = state.scanned_ns
        size = cache.save(self.folder / "state-base", (token, parts))
        cache.save(self.folder / "state", (token, size, (), rest))
        self._base = _Base(token, size, (), parts)


@dataclass(frozen=True, slots=True)
class _Base:
    """How a `DiskStore` keeps the state's large parts: `state-base` (`token`, the `size` of its payload) and the
    patches since (`blobs`, pickled, oldest first), and those `parts` with every patch made to them."""

    token: int
    size: int
    blobs: tuple[bytes, ...]
    parts: dict[str, Any]


def _with_tokens(state: State, tokens: tuple[int, ...], index: Any) -> State:
    return State(state.parse_key, state.render_key, state.scanned_ns, dict(state.content), dict(state.static),
                 state.generated, state.recorded, state.order, tuple(dict(m) for m in state.structure), state.drafts,
                 state.totals, tokens, index, state.with_drafts)


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS
