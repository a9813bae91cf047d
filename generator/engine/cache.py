"""The persistent build cache: `.digest-cache/` in the site folder (ignored by git).

Each cache file is `MAGIC`, an HMAC-SHA-256 of the payload, then the payload (a
pickle). The HMAC key is a random secret of this user's, kept outside every
site (`$XDG_CACHE_HOME/digest/cache-key`, else `~/.cache/digest/cache-key`), so
a cache that came with a site from elsewhere (a crafted pickle would run code
when loaded) is never unpickled: like a truncated, overwritten or foreign file,
it is treated as absent and rebuilt. Without a usable key there is no cache.
The cache can make a build faster, never different.

What a cached value depends on is part of its key: `parse_key` (digest's code,
`site.yaml`, the site's location) for parsed articles, `render_key` (that, plus
every template, the base URL, drafts and the output folder) for the rest.

Compiled templates are kept too (`bytecode.TemplateCache`, Jinja's bytecode cache, each
file signed like the rest): a build that renders a few pages after an edit
does not compile the templates from their source again.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import hmac
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import babel

from generator import __version__
from generator.pages.theme import theme_dir
from generator.site.config import CONFIG_NAME, SiteConfig

CACHE_DIR = ".digest-cache"
MAGIC = b"digest-cache 1\n"
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir(config: SiteConfig) -> Path:
    return config.root / CACHE_DIR


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "digest" / "cache-key"


def secret() -> bytes | None:
    """This user's cache key (made on first use, readable by the user only), or None if it cannot be had."""
    path = _key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = path.read_bytes() if path.exists() else b""
        if len(key) != 32:  # missing or damaged: a new key (every cache signed with the old one is dropped)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))
            os.replace(tmp, path)
            key = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return key if len(key) == 32 else None


def _mac(key: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def save(path: Path, value: Any) -> int:
    """Write `value` atomically with a signed header (nothing is written without a key). The payload's size."""
    key = secret()
    if key is None:
        return 0
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(MAGIC + _mac(key, payload))
            f.write(payload)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(payload)


def load(path: Path) -> Any:
    """The value `save` wrote at `path`, or None when it is missing, foreign or does not check out."""
    key = secret()
    if key is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 32
    if len(data) < head or not data.startswith(MAGIC):
        return None
    payload = memoryview(data)[head:]
    if not hmac.compare_digest(_mac(key, payload), data[len(MAGIC): head]):
        return None
    # Unpickling makes 10,000s of objects, none of them garbage: the collector, run every few hundred of them,
    # would pass over all those made so far again and again (half the time of loading the articles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    except Exception:  # signed by us yet not loadable (a digest upgrade, say): discard, rebuild
        return None
    finally:
        if collecting:
            gc.enable()


def content_hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _tree_hash(h: Any, root: Path) -> None:
    """Feed every file under `root` (its relative path and bytes) into `h`."""
    if not root.is_dir():
        h.update(b"\0missing\0")
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


@functools.cache
def code_hash() -> bytes:
    """digest's version, Babel's, and the bytes of digest's own modules: a new digest never trusts an old
    cache. Worked out once a process: the code running is the code that was loaded."""
    # Babel's CLDR data shapes dates and plurals in pages: a new Babel renders again.
    h = hashlib.sha256(f"{__version__}\0{sys.version}\0{babel.__version__}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


def parse_key(config: SiteConfig) -> bytes:
    """What a parsed article depends on besides its own file: digest, `site.yaml`, the names used in messages."""
    h = hashlib.sha256(code_hash())
    h.update(str(config.path).encode() + b"\0" + str(config.root.resolve()).encode() + b"\0")
    # The bytes the config was read from, not the file now: an edit since then is the next build's change.
    h.update(config.source.encode() if config.source else (config.root / CONFIG_NAME).read_bytes())
    return h.digest()


def render_key(config: SiteConfig, *, base_url: str | None, drafts: bool, output: Path | None) -> bytes:
    """What the pages depend on besides the articles: the parse key, every template, the options (and the
    output folder, `None` for the preview's memory)."""
    h = hashlib.sha256(parse_key(config))
    h.update(f"{base_url}\0{drafts}\0{output.resolve() if output is not None else ''}\0".encode())
    _tree_hash(h, config.templates_dir)
    _tree_hash(h, theme_dir("templates"))
    return h.digest()
