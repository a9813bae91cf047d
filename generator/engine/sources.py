"""The site's inputs on disk: its articles, its static files (the theme's, overridden by the site's own),
their stat stamps, and the folders the output must keep clear of. Used by every build engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.errors import DigestError
from generator.pages.theme import theme_dir
from generator.site import urls as u
from generator.site.config import CONFIG_NAME, SiteConfig
from generator.site.frontmatter import article_files, article_names

Stamp = tuple[int, int, int]  # (mtime_ns, size, inode)


def content_files(config: SiteConfig) -> list[Path]:
    """Every `.md` file under `content/`, sorted; dotfiles and dot-folders are ignored. A broken or looping
    symbolic link is listed too, so that reading it reports it."""
    return article_files(_content_root(config))


def content_names(config: SiteConfig) -> list[str]:
    """The files of `content_files` as site-relative `/`-separated paths (`content/world/x.md`), in the same
    order, made without `pathlib`: a scan lists every one of them."""
    inside = config.content_dir.relative_to(config.root).as_posix() + "/"
    return [inside + name for name in article_names(_content_root(config))]


def _content_root(config: SiteConfig) -> Path:
    root = config.content_dir
    if not root.is_dir():
        raise DigestError(f"{config.path.parent / 'content'}: not found (articles go in content/, "
                          "e.g. written by `digest import`)")
    return root


def file_stamp(file: str | os.PathLike[str]) -> Stamp:
    st = os.stat(file)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Output path (`static/...`) -> source file: the default theme's, overridden by the site's own; and
    `favicon.ico` at the root, a copy of `static/favicon.ico`."""
    files: dict[str, Path] = {}
    for root in (theme_dir("static"), config.static_dir):
        if root.is_dir():
            for path in root.rglob("*"):
                rel = path.relative_to(root)
                if path.is_file() and not any(p.startswith(".") or p.endswith("~") for p in rel.parts):
                    files[u.STATIC + rel.as_posix()] = path
    if u.FAVICON_ICO in files:  # also where browsers and crawlers ask for it unprompted
        files[u.ROOT_FAVICON] = files[u.FAVICON_ICO]
    return dict(sorted(files.items()))


def add_static(config: SiteConfig, files: dict[str, bytes], *, generated: Iterable[str] = ()) -> int:
    """Add the static files' bytes to `files` (never over a generated file, there or in `generated`); their number."""
    static = static_files(config)
    taken = set(generated)
    for rel, source in static.items():
        if rel in files or rel in taken:
            raise DigestError(f"{source}: would overwrite the generated {rel} (rename it)")
        try:
            files[rel] = source.read_bytes()
        except OSError as exc:
            raise DigestError(f"{source}: cannot be read ({exc.strerror})") from None
    return len(static)


def sources(config: SiteConfig) -> tuple[Path, ...]:
    """The site's own folders and files, which the output folder must stay clear of."""
    return (config.content_dir, config.templates_dir, config.static_dir, config.root / CONFIG_NAME)
