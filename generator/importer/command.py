"""`digest import`: read every input, plan every article, print, then write.

Nothing is written until every input has been read and understood: a bad input
(missing, a folder, binary, not UTF-8, empty, no article) is reported with all
the others and the run stops with exit status 1. An article that cannot be read
(no headline, an impossible date, no text) is reported on its own line and left
out; the others are imported and the exit status is 1. Each imported article is
self-checked (`check`): findings are warnings, errors with `--strict`. Files are
written atomically (a temporary dotfile in the same folder, then `os.replace`);
`--dry-run` prints the same lines and writes nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from generator.durable import fsync_dir, fsync_file
from generator.errors import BuildError, ContentError, DigestError, shown
from generator.importer.check import check
from generator.importer.classify import Classifier
from generator.importer.clean import clean
from generator.importer.detect import DUMP, kind
from generator.importer.plan import MANIFEST, ContentFile, Decision, Item, Record, format_manifest, parse_manifest, plan
from generator.importer.records import read_scraped
from generator.importer.report import explain as explain_lines
from generator.importer.report import status_line, summary
from generator.importer.segment import decode, segment_all
from generator.site.config import SiteConfig
from generator.site.frontmatter import article_files, split

STDIN = "-"
TEMP_PREFIX = ".digest-tmp-"  # a file being written; one left by a killed import is removed by the next


@dataclass
class _Read:
    """What the inputs gave: articles to import, articles left out (errors), warnings about imported ones."""

    items: list[Item] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    failed: int = 0  # articles left out


def run_import(
    config: SiteConfig, dumps: Sequence[str], *, content_dir: Path, dry_run: bool, force: bool,
    explain: bool, out: TextIO, stdin: BinaryIO, strict: bool = False, err: TextIO | None = None,
) -> int:
    err = err if err is not None else sys.stderr
    classifier = Classifier.of(config)
    read = _Read()
    refused = False
    problems: list[DigestError] = []  # in input order, for a refused run
    for name in dumps:
        before = len(read.errors)
        try:
            _read_dump(name, stdin, config, classifier, read, strict=strict)
        except DigestError as exc:
            problems.append(exc)
            refused = True
        problems.extend(read.errors[before:])
    if refused:  # an input is unreadable as a whole: nothing is written, every problem is reported
        raise problems[0] if len(problems) == 1 else BuildError(problems)
    for problem in read.errors:
        print(f"error: {problem}", file=err)
    for warning in read.warnings:
        print(f"warning: {warning}", file=err)
    items = read.items
    files = _content_files(content_dir)
    manifest_path = content_dir / MANIFEST
    old_manifest = _read_manifest(manifest_path)
    decisions, records = plan(items, files, parse_manifest(old_manifest, shown(manifest_path)) if old_manifest
                              else {}, config, force=force)
    for decision in decisions:
        print(status_line(decision, shown(content_dir / decision.path), dry_run=dry_run), file=out)
        if explain and decision.status != "duplicate":
            print("\n".join(explain_lines(decision)), file=out)
    if not dry_run:
        _write(content_dir, decisions, records, old_manifest)
    print(summary(decisions, len(dumps), dry_run=dry_run, failed=read.failed, warnings=len(read.warnings)),
          file=out)
    conflicts = sum(d.status == "conflict" for d in decisions)
    if conflicts:
        # Everything else was imported; exit 1 so that a script notices what needs a person.
        print(f"digest import: {conflicts} conflict{'s' if conflicts != 1 else ''} need{'' if conflicts != 1 else 's'} "
              "your attention: your edited files were kept (--force replaces them with the dump's version)",
              file=err)
    if read.failed:
        print(f"digest import: {read.failed} article{'s' if read.failed != 1 else ''} not imported "
              "(see the errors above); everything else was", file=err)
    return 1 if conflicts or read.failed else 0


def _read_dump(
    name: str, stdin: BinaryIO, config: SiteConfig, classifier: Classifier, read: _Read, *, strict: bool,
) -> None:
    """Add one input's articles to `read`; raise `DigestError` when the input as a whole is unreadable."""
    shown = "<stdin>" if name == STDIN else name
    try:
        data = stdin.read() if name == STDIN else Path(name).read_bytes()
        text = decode(data)
    except FileNotFoundError:
        raise ContentError(shown, None, None, "no such file") from None
    except IsADirectoryError:
        raise ContentError(shown, None, None, "is a folder, not a dump file") from None
    except OSError as exc:
        raise ContentError(shown, None, None, f"cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise ContentError(shown, None, None, str(exc)) from None
    if (input_kind := kind(text)) != DUMP:  # JSON, JSON Lines or HTML: scraper output
        articles, bad = read_scraped(text, input_kind, shown, config.tz)
        read.errors.extend(bad)
        read.failed += len(bad)
    else:
        articles = []
        for raw in segment_all(text, shown, config.tz):
            try:
                if isinstance(raw, ContentError):
                    raise raw
                articles.append(clean(raw, shown))
            except ContentError as exc:
                read.errors.append(exc)
                read.failed += 1
    for article in articles:
        findings = check(article, shown)
        if strict and findings:
            read.errors.extend(findings)
            read.failed += 1
            continue
        read.warnings.extend(findings)
        read.items.append(Item(article, classifier.classify(article)))


def _content_files(content_dir: Path) -> dict[str, ContentFile]:
    """Every `.md` file under the content folder (dotfiles and dot-folders skipped), parsed when possible."""
    if content_dir.exists() and not content_dir.is_dir():
        raise DigestError(f"{shown(content_dir)}: is not a folder (--content-dir must name a folder)")
    files = {}
    for path in article_files(content_dir) if content_dir.is_dir() else []:
        rel = path.relative_to(content_dir)
        if not path.is_file():
            continue
        try:
            text: str | None = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            text = None
        except OSError as exc:
            raise DigestError(f"{shown(path)}: cannot be read ({exc.strerror})") from None
        meta = None
        if text is not None:
            try:
                meta = split(text, rel.as_posix()).meta
            except ContentError:
                meta = None
        files[rel.as_posix()] = ContentFile(rel.as_posix(), text, meta)
    return files


def _read_manifest(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(f"{shown(path)}: cannot be read ({exc})") from None


def _write(content_dir: Path, decisions: Sequence[Decision], records: dict[str, Record], old_manifest: str) -> None:
    try:
        for leftover in content_dir.rglob(f"{TEMP_PREFIX}*") if content_dir.is_dir() else ():
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()
        folders = set()
        for decision in decisions:
            if decision.text is not None:
                _atomic_write(content_dir / decision.path, decision.text)
                folders.update((content_dir / decision.path).parents[:len(Path(decision.path).parts)])
            if decision.remove:
                (content_dir / decision.remove).unlink(missing_ok=True)
                folders.add((content_dir / decision.remove).parent)
        manifest = format_manifest(records)
        if manifest != old_manifest and (records or old_manifest):
            _atomic_write(content_dir / MANIFEST, manifest)
            folders.add(content_dir)
        for folder in sorted(folders):  # the renames on disk before an article is reported as written
            fsync_dir(folder)
    except OSError as exc:
        raise DigestError(f"{shown(Path(exc.filename or content_dir))}: cannot write ({exc.strerror})") from None


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            fsync_file(handle)  # the bytes on disk before the name points at them
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
