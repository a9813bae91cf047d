"""Indexing for search: a Pagefind index of the article pages, bundle by bundle (`pages.search`).

A bundle is indexed by running the Pagefind binary (`pagefind_bin`, from PyPI)
over its pages, written into a temporary folder; the files it makes are read
back and handed to the caller as output files like any other, so they are
published with the site (the output folder is never written here). An
`Indexer` remembers, for each bundle, the hash of every page it was made from
and the files it gave: a bundle whose pages are all the same is not indexed again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.engine import cache
from generator.errors import DigestError
from generator.pages.search import BUNDLES, bundle_pages
from generator.site import urls as u
from generator.site.model import Site

# Pagefind's runtime: its script, its worker and its WebAssembly, kept in the first bundle only (merged
# bundles use the first one's). Its own user interfaces are not used: the theme's search.js is.
RUNTIME = ("pagefind.js", "pagefind-worker.js")
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.", "playground/")


def binary() -> Path:
    """The Pagefind binary that the `pagefind[bin]` dependency installs."""
    try:
        from pagefind_bin import get_executable
        return Path(get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found is None:
            raise DigestError("search: the Pagefind binary is missing (pip install 'pagefind[bin]'), "
                              "or set `search: false` in site.yaml") from None
        return Path(found)


def index_pages(pages: Mapping[str, bytes | Path], *, prefix: str, language: str) -> dict[str, bytes]:
    """A Pagefind bundle of `pages` (output path -> its bytes, or a file holding them): bundle-relative
    path -> bytes. `prefix` is the site's URL path (`/` or `/digest/`), so result links point at the pages."""
    import subprocess  # here: a build that indexes nothing starts no process

    from generator.lifetime import child_setup

    with tempfile.TemporaryDirectory(prefix="digest-search-") as tmp:
        site = Path(tmp, "site", *prefix.strip("/").split("/")) if prefix.strip("/") else Path(tmp, "site")
        for rel, data in pages.items():
            path = site.joinpath(*rel.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                try:
                    os.link(data, path)
                except OSError:
                    shutil.copyfile(data, path)
            else:
                path.write_bytes(data)
        out = Path(tmp, "out")
        command = [str(binary()), "--site", str(Path(tmp, "site")), "--output-path", str(out), "--silent",
                   "--force-language", language.split("-")[0].lower()]
        try:
            run = subprocess.run(command, capture_output=True, text=True, preexec_fn=child_setup(),
                                 check=False, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise DigestError(f"search: cannot run Pagefind ({exc.strerror or exc})") from None
        if run.returncode != 0:
            detail = (run.stderr or run.stdout).strip().splitlines()
            raise DigestError(f"search: Pagefind failed ({detail[-1] if detail else f'exit {run.returncode}'})")
        files = {}
        for path in sorted(out.rglob("*")):
            rel = path.relative_to(out).as_posix()
            if path.is_file() and not rel.startswith(_UNUSED):
                files[rel] = path.read_bytes()
        return canonical(files)


# Pagefind writes each filter's values in the order of a hash map whose seed changes from run to run,
# and names files by a hash of their bytes: the same pages give other filter files (and so another
# metadata file) each time. `canonical` sorts the values, so the same pages always give the same bytes.
_SIGNATURE = b"pagefind_dcd"


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's `files` with every filter chunk's values in sorted order, renamed by their new hash."""
    renames: dict[bytes, bytes] = {}
    out: dict[str, bytes] = {}
    for rel, data in files.items():
        if not (rel.startswith("filter/") and rel.endswith(".pf_filter")):
            continue
        raw = gzip.decompress(data)
        name, values = _cbor(raw, len(_SIGNATURE))[0]
        chunk = _SIGNATURE + _encode([name, sorted(values, key=lambda pair: pair[0].encode("utf-8"))])
        old = rel.removeprefix("filter/").removesuffix(".pf_filter")
        new = old.split("_")[0] + "_" + hashlib.sha256(chunk).hexdigest()[: len(old.split("_", 1)[1])]
        renames[old.encode()] = new.encode()
        out[f"filter/{new}.pf_filter"] = gzip.compress(chunk, compresslevel=9, mtime=0)
    for rel, data in files.items():
        if rel.endswith(".pf_meta"):
            raw = gzip.decompress(data)
            for old, new in renames.items():
                raw = raw.replace(old, new)
            meta, end = _cbor(raw, len(_SIGNATURE))
            if end == len(raw) and _SIGNATURE + _encode(meta) == raw and len(meta) == 6:
                # [version, index chunks, fragments, filters, sorts, meta fields]: the filters and sorts
                # are [name, ...] pairs listed in hash-map order.
                meta[3:5] = [sorted(meta[3], key=lambda pair: pair[0]), sorted(meta[4], key=lambda pair: pair[0])]
                raw = _SIGNATURE + _encode(meta)
            old_meta = rel.removeprefix("pagefind.").removesuffix(".pf_meta")
            lang, digits = old_meta.split("_", 1)
            new_meta = f"{lang}_{hashlib.sha256(raw).hexdigest()[: len(digits)]}"
            renames[old_meta.encode()] = new_meta.encode()
            out[f"pagefind.{new_meta}.pf_meta"] = gzip.compress(raw, compresslevel=9, mtime=0)
    for rel, data in files.items():
        if rel == "pagefind-entry.json":
            for old, new in renames.items():
                data = data.replace(b'"' + old + b'"', b'"' + new + b'"')
            out[rel] = data
        elif not rel.endswith((".pf_filter", ".pf_meta")):
            out[rel] = data
    return dict(sorted(out.items()))


def _cbor(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR value at `data[at:]` (unsigned integers, text and arrays: all a filter chunk holds), and
    where it ends."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major == 0:
        return n, at
    if major == 3:
        return data[at:at + n].decode("utf-8"), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    raise DigestError(f"search: unexpected data in a Pagefind filter file (CBOR major type {major})")


def _encode(value: Any) -> bytes:
    """`value` as CBOR, each length in its shortest form (as Pagefind writes it)."""
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
        raise ValueError(n)
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    return head(4, len(value)) + b"".join(_encode(v) for v in value)


def page_hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@dataclass(slots=True)
class Bundle:
    """One bundle as last indexed: the hash of each page it was made from, and the files Pagefind gave."""

    pages: dict[str, bytes]  # output path -> page hash
    names: tuple[str, ...]  # its files, bundle-relative
    files: dict[str, bytes] | None = None  # their bytes; None when not loaded (they are in the output)


Loader = Callable[[str, Bundle], "dict[str, bytes] | None"]


@dataclass(slots=True)
class Indexer:
    """Indexes the bundles whose pages changed since last time; keeps the others' files."""

    bundles: dict[str, Bundle] = field(default_factory=dict)
    runtime: dict[str, bytes] = field(default_factory=dict)  # pagefind.js, its worker and WebAssembly
    order: tuple[str, ...] = ()  # the bundles, newest first (the first holds the runtime)
    seconds: float = 0.0  # how long the last `index` spent in Pagefind
    indexed: tuple[str, ...] = ()  # the bundles it indexed

    def index(self, wanted: Mapping[str, Mapping[str, bytes]], page: Callable[[str], bytes | Path], *,
              prefix: str, language: str, jobs: int = 1, load: Loader | None = None) -> dict[str, bytes]:
        """Bring the bundles up to `wanted` (name -> output path -> hash of its page, newest bundle first),
        reading a dirty bundle's pages with `page(output path)`. With `load` (which gives a kept bundle's
        files, or None), every index file by output path; without, only those of the bundles indexed now
        and the runtime (the others' are in the output as they were)."""
        start = time.perf_counter()
        for gone in self.bundles.keys() - wanted.keys():
            del self.bundles[gone]
        dirty = []
        for name, hashes in wanted.items():
            kept = self.bundles.get(name)
            if kept is not None and kept.pages == hashes and (load is None or kept.files is not None
                                                              or self._load(name, kept, load)):
                continue
            dirty.append(name)

        def one(name: str) -> tuple[str, dict[str, bytes]]:
            return name, index_pages({rel: page(rel) for rel in wanted[name]}, prefix=prefix, language=language)

        with ThreadPoolExecutor(max(1, min(jobs, len(dirty)))) as pool:
            for name, files in pool.map(one, dirty):
                runtime = {rel: files.pop(rel) for rel in list(files) if _is_runtime(rel)}
                self.runtime = runtime or self.runtime
                self.bundles[name] = Bundle(dict(wanted[name]), tuple(sorted(files)), files)
        if not self.runtime and wanted:  # every bundle came from the cache, which keeps no runtime
            first = next(iter(wanted))
            self.runtime = {rel: data for rel, data in index_pages(
                {rel: page(rel) for rel in list(wanted[first])[:1]}, prefix=prefix, language=language).items()
                if _is_runtime(rel)}
        self.order = tuple(wanted)
        self.seconds = time.perf_counter() - start if dirty else 0.0
        self.indexed = tuple(dirty)
        names = self.order if load is not None else self.indexed
        return self.files(names)

    @staticmethod
    def _load(name: str, bundle: Bundle, load: Loader) -> bool:
        files = load(name, bundle)
        if files is None or tuple(sorted(files)) != bundle.names:
            return False
        bundle.files = files
        return True

    def files(self, names: Iterable[str]) -> dict[str, bytes]:
        """The output files of bundles `names`, and the runtime in the first bundle's folder."""
        out: dict[str, bytes] = {}
        for name in names:
            base = f"{BUNDLES}{name}/"
            out.update((base + rel, data) for rel, data in (self.bundles[name].files or {}).items())
        if self.order:
            out.update((f"{BUNDLES}{self.order[0]}/{rel}", data) for rel, data in self.runtime.items())
        return out

    def paths(self) -> set[str]:
        """Every index file's output path."""
        out = {f"{BUNDLES}{name}/{rel}" for name, b in self.bundles.items() for rel in b.names}
        if self.order:
            out.update(f"{BUNDLES}{self.order[0]}/{rel}" for rel in self.runtime)
        return out

    def page_hashes(self) -> dict[str, bytes]:
        return {rel: h for b in self.bundles.values() for rel, h in b.pages.items()}


def _is_runtime(rel: str) -> bool:
    return rel in RUNTIME or (rel.startswith("wasm.") and rel.endswith(".pagefind"))


def wanted_hashes(site: Site, hash_of: Callable[[str], bytes | None]) -> dict[str, dict[str, bytes]]:
    """Bundle name -> output path -> hash of the page (`hash_of(path)`), for every bundle of `site`."""
    out: dict[str, dict[str, bytes]] = {}
    for name, paths in bundle_pages(site).items():
        hashes = {}
        for rel in paths:
            h = hash_of(rel)
            if h is None:
                raise DigestError(f"search: the page {rel} was not rendered")  # a bug in digest, not the user's
            hashes[rel] = h
        out[name] = hashes
    return out


class Collector:
    """Keeps the article pages of a build as they are handed to the writer, to index them at the end."""

    def __init__(self, site: Site) -> None:
        self.paths = {u.output_path(key) for key in site.articles}
        self.site = site
        self.pages: dict[str, bytes] = {}

    def wrap(self, sink: Callable[[dict[str, bytes]], None]) -> Callable[[dict[str, bytes]], None]:
        def deliver(batch: dict[str, bytes]) -> None:
            self.pages.update((rel, data) for rel, data in batch.items() if rel in self.paths)
            sink(batch)
        return deliver

    def index(self, indexer: Indexer, *, prefix: str, language: str, jobs: int,
              load: Loader | None = None) -> dict[str, bytes]:
        """Every index file, for the collected pages (only the bundles whose pages changed are indexed; the
        others' files come from `load`, or are indexed again when it has none)."""
        hashes = {rel: page_hash(data) for rel, data in self.pages.items()}
        wanted = wanted_hashes(self.site, hashes.get)
        return indexer.index(wanted, self.pages.__getitem__, prefix=prefix, language=language, jobs=jobs,
                             load=load or (lambda _name, _bundle: None))


def summary(indexer: Indexer | None) -> str:
    """What the build's summary line says of the search index."""
    if indexer is None:
        return ""
    if not indexer.indexed:
        return f" (search index: {len(indexer.bundles)} bundles unchanged)"
    return (f" (search index: {len(indexer.indexed)} of {len(indexer.bundles)} "
            f"bundle{'' if len(indexer.bundles) == 1 else 's'} in {indexer.seconds:.2f} s)")


def version() -> str:
    """The Pagefind version: a new one indexes every bundle again."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version
    try:
        return package_version("pagefind_bin")
    except PackageNotFoundError:
        return "unknown"


def _digest(pages: Mapping[str, bytes]) -> bytes:
    h = hashlib.sha256()
    for rel, page in sorted(pages.items()):
        h.update(rel.encode() + b"\0" + page)
    return h.digest()


def cached_files(folder: Path) -> Loader:
    """A loader of bundles' files from `folder` (a `DiskStore`'s), for `Indexer.index`."""

    def load(name: str, bundle: Bundle) -> dict[str, bytes] | None:
        stored = cache.load(folder / f"search-{name}")
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _digest(bundle.pages):
            return stored[1]
        return None
    return load


def save_bundles(folder: Path, indexer: Indexer, before: Iterable[str]) -> None:
    """Save the files of the bundles `indexer` indexed in `folder`; forget bundles no longer there."""
    for name in indexer.indexed:
        bundle = indexer.bundles[name]
        cache.save(folder / f"search-{name}", (_digest(bundle.pages), bundle.files))
    for gone in set(before) - indexer.bundles.keys():
        (folder / f"search-{gone}").unlink(missing_ok=True)


def without_files(indexer: Indexer) -> Indexer:
    """`indexer`'s bundles by name and page hashes, and the runtime, without the bundles' files (those
    `save_bundles` keeps apart); the summary of the last run left out."""
    return Indexer({name: Bundle(b.pages, b.names) for name, b in indexer.bundles.items()}, dict(indexer.runtime),
                   indexer.order)
