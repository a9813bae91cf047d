"""The `digest` command line: argparse subcommands, one `main(argv) -> exit status`.

User mistakes arrive here as `DigestError`s and leave as one clean message per
problem on stderr with exit status 1; only bugs show a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from generator import __version__
from generator.errors import DigestError
from generator.site.config import CONFIG_NAME, load_config


def _cmd_import(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    from generator.importer.command import run_import

    content_dir = Path(args.content_dir) if args.content_dir else config.content_dir
    return run_import(
        config,
        args.dumps,
        content_dir=content_dir,
        dry_run=args.dry_run,
        force=args.force,
        explain=args.explain,
        strict=args.strict,
        out=sys.stdout,
        stdin=sys.stdin.buffer,
    )


def _cmd_tags_suggest(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    from generator.importer.suggest import run_suggest

    content_dir = Path(args.content_dir) if args.content_dir else config.content_dir
    return run_suggest(config, content_dir, min_articles=args.min_articles, out=sys.stdout, err=sys.stderr)


def _cmd_build(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    from generator.engine.build import default_jobs, run_build

    base_url = args.base_url
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise DigestError(f"--base-url: {base_url!r} is not an absolute http(s) URL (e.g. https://example.org/)")
    output = Path(args.output) if args.output else None
    if args.jobs is not None and args.jobs < 1:
        raise DigestError(f"--jobs: {args.jobs} is not a positive number of processes")
    return run_build(config, output=output, base_url=base_url, drafts=args.drafts, out=sys.stdout,
                     jobs=args.jobs or default_jobs(), cache=not args.no_cache, quiet=args.quiet, err=sys.stderr)


def _cmd_serve(args: argparse.Namespace) -> int:
    site = Path(args.site)
    if not (site / CONFIG_NAME).is_file():
        # Not a site folder at all: refuse now. A broken site.yaml, by contrast,
        # is shown in the browser and fixed while the server keeps running.
        raise DigestError(f"{site / CONFIG_NAME}: not found (run digest in a site folder or pass --site DIR)")
    from generator.preview.server import run_serve

    return run_serve(site, host=args.host, port=args.port, open_browser=args.open, drafts=args.drafts,
                     out=sys.stdout)


def _site_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", default=".", metavar="DIR", help="site folder holding site.yaml (default: .)")


def _drafts_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--drafts", action="store_true", help="include articles marked draft: true")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Turn raw news-article dumps into a topic-organised static digest site.",
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="turn scraped news (dumps, scraper JSON, saved pages) into Markdown articles under content/",
        description="Read scraped news (text dumps; news-please, trafilatura or newspaper4k JSON, JSON arrays "
        "and JSON Lines; saved HTML pages, with the html extra), clean off the page chrome, classify each "
        "article into a topic with entity tags, and write content/<topic>/<slug>.md.",
    )
    p.add_argument("dumps", nargs="+", metavar="DUMP",
                   help="a dump, JSON or JSON Lines file, or HTML page to import, recognised by its content "
                   "('-' reads stdin)")
    _site_option(p)
    p.add_argument("--content-dir", metavar="DIR", help="where articles go (default: <site>/content)")
    p.add_argument("--dry-run", action="store_true", help="show what would happen, write nothing")
    p.add_argument("--force", action="store_true", help="overwrite files that were edited by hand")
    p.add_argument("--explain", action="store_true",
                   help="show each article's topic scores, matched terms and tag sources")
    p.add_argument("--strict", action="store_true",
                   help="treat the self-check's warnings as errors: such an article is not written")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("tags", help="work with the tag vocabulary of site.yaml",
                       description="Commands about the tag vocabulary of site.yaml.")
    tags = p.add_subparsers(dest="tags_command", required=True, metavar="COMMAND")
    p = tags.add_parser(
        "suggest",
        help="list recurring names in content/ that no tag knows, ready to paste into site.yaml",
        description="List the names (people, organisations, places) that recur across content/ and match no "
        "tag's name or aliases, each with its number of articles and an example file, as lines to paste "
        "under tags: in site.yaml. Nothing is written.",
    )
    _site_option(p)
    p.add_argument("--content-dir", metavar="DIR", help="the articles to read (default: <site>/content)")
    p.add_argument("--min-articles", type=int, default=2, metavar="N",
                   help="list names found in at least N articles (default: 2)")
    p.set_defaults(func=_cmd_tags_suggest)

    p = sub.add_parser(
        "build",
        help="build the static site from content/, templates/ and static/",
        description="Read site.yaml and every article in content/, then write the whole site: article, topic, "
        "tag and archive pages, RSS feeds, sitemap. Nothing is written when any article has a problem.",
    )
    _site_option(p)
    p.add_argument("--output", metavar="DIR", help="where the site goes (default: output_dir of site.yaml, public/)")
    p.add_argument("--base-url", metavar="URL",
                   help="absolute URL of the published site, for feeds, sitemap and canonical links "
                   "(default: base_url of site.yaml)")
    _drafts_option(p)
    p.add_argument("--no-cache", action="store_true",
                   help="build everything from scratch, without reading or writing .digest-cache/")
    p.add_argument("--jobs", type=int, metavar="N", help="processes for parsing and rendering (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors (no progress bar, no summary)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser(
        "serve",
        help="preview the site with live reload while you edit",
        description="Build the site in memory and serve it; rebuild what changed when content/, templates/, "
        "static/ or site.yaml change, and update open pages by themselves. Nothing is written to the output folder.",
    )
    _site_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--open", action="store_true", help="open the site in the default web browser")
    _drafts_option(p)
    p.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DigestError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`digest import --explain dump | head`): stop quietly, as shell tools do.
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
