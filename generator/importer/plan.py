"""What to do with each imported article: create, update, leave, or keep an editor's file.

What import last wrote is tracked in a manifest, `content/.digest-import.json`,
one record per article id: the file's path, the hash of the bytes written, the
hash of the import's own version (with the classifier's topic and tags) and the
classifier's topic and tags. A sidecar rather than a hash in the front matter:
the articles stay clean for editors, a hash in the file would change the bytes it
hashes, and an editor who copies a file does not copy its history. The build
skips dotfiles under content/, and the manifest is committed with content/.

For an article already on disk (found by the `id` in its front matter, else by
the manifest's path):

- an input without `url` or `author` (a text dump) keeps the file's;
- the file's `topic` or `tags` differing from the classifier's last answer are
  an editor's choice and win over the classifier;
- the file equals what import would write now: **unchanged**;
- the file is what import last wrote (not edited): **updated** (moved when its
  topic changed);
- the file was edited by hand: with `--force` **overwrote your edits** (still
  keeping the editor's topic and tags); else **kept your edits** when the dump
  brings nothing new, and **conflict** when the dump's version changed too (or
  import never wrote the file); either way the file stays as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from generator.errors import DigestError
from generator.importer.classify import Classification
from generator.importer.clean import Article
from generator.importer.emit import article_id, base_slug, digest, render
from generator.site.config import SiteConfig
from generator.site.urls import is_web_url

MANIFEST = ".digest-import.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class Record:
    path: str  # relative to the content folder, with '/'
    written: str  # sha256 of the file import wrote
    imported: str  # sha256 of the import's own version of the article
    topic: str  # the classifier's topic and tags when it was written
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContentFile:
    path: str  # relative to the content folder, with '/'
    text: str | None  # None when it is not UTF-8
    meta: Mapping[str, Any] | None  # None when its front matter does not parse


@dataclass(frozen=True, slots=True)
class Item:
    article: Article
    classification: Classification


@dataclass(frozen=True, slots=True)
class Decision:
    status: str  # created, updated, unchanged, kept your edits, conflict, overwrote your edits, duplicate
    item: Item
    id: str
    path: str
    text: str | None = None  # what to write at `path` (None: write nothing)
    remove: str | None = None  # the file's old path when it moves
    topic: str = ""
    tags: tuple[str, ...] = ()
    editor_topic: bool = False
    editor_tags: bool = False


def parse_manifest(text: str, where: str) -> dict[str, Record]:
    try:
        data = json.loads(text)
        return {key: Record(**{**value, "tags": tuple(value["tags"])}) for key, value in data["articles"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise DigestError(f"{where}: not an import manifest (delete it: the next import writes a new one)") from None


def format_manifest(records: Mapping[str, Record]) -> str:
    articles = {key: asdict(records[key]) for key in sorted(records)}
    return json.dumps({"version": MANIFEST_VERSION, "articles": articles}, ensure_ascii=False, indent=2) + "\n"


def plan(
    items: Iterable[Item], files: Mapping[str, ContentFile], manifest: Mapping[str, Record],
    config: SiteConfig, *, force: bool,
) -> tuple[list[Decision], dict[str, Record]]:
    """Decide every article's fate; return the decisions and the manifest to write afterwards."""
    by_id: dict[str, str] = {}
    for path in sorted(files):
        meta = files[path].meta
        if meta is not None and isinstance(meta.get("id"), str):
            by_id.setdefault(meta["id"], path)
    records = dict(manifest)
    taken = {PurePosixPath(path).stem for path in files}
    decisions: list[Decision] = []
    done: dict[str, str] = {}  # id -> path, for articles given twice
    for item in items:
        aid = article_id(item.article)
        if aid in done:
            decisions.append(Decision("duplicate", item, aid, done[aid]))
            continue
        record = records.get(aid)
        current = by_id.get(aid) or (record.path if record is not None and record.path in files else None)
        if current is None:
            decision = _new(item, aid, taken)
        else:
            item = _keep_provenance(item, files[current].meta)
            decision = _existing(item, aid, files[current], record, files, taken, config, force=force)
        decisions.append(decision)
        done[aid] = decision.path
        written = decision.text if decision.text is not None else (
            files[current].text if current is not None and decision.status == "unchanged" else None)
        if written is not None:
            own = item.classification
            imported = render(item.article, aid, own.topic, own.tag_slugs)
            records[aid] = Record(decision.path, digest(written), digest(imported), own.topic, own.tag_slugs)
    removed = {d.remove for d in decisions if d.remove}
    present = (set(files) - removed) | {d.path for d in decisions if d.text is not None}
    return decisions, {key: r for key, r in records.items() if r.path in present}


def _new(item: Item, aid: str, taken: set[str]) -> Decision:
    own = item.classification
    slug = _unique(base_slug(item.article, aid), taken)
    text = render(item.article, aid, own.topic, own.tag_slugs)
    return Decision("created", item, aid, f"{own.topic}/{slug}.md", text, topic=own.topic, tags=own.tag_slugs)


def _existing(
    item: Item, aid: str, file: ContentFile, record: Record | None, files: Mapping[str, ContentFile],
    taken: set[str], config: SiteConfig, *, force: bool,
) -> Decision:
    own = item.classification
    topic, editor_topic = _editor_topic(file.meta, record, own, config)
    tags, editor_tags = _editor_tags(file.meta, record, own)
    text = render(item.article, aid, topic, tags)
    kept = Decision("unchanged", item, aid, file.path, None, None, topic, tags, editor_topic, editor_tags)
    if file.text == text:
        return kept
    edited = record is None or file.text is None or digest(file.text) != record.written
    if edited and not force:
        imported = digest(render(item.article, aid, own.topic, own.tag_slugs))
        return replace(kept, status="kept your edits" if record is not None and imported == record.imported
                       else "conflict")
    path, stem = file.path, PurePosixPath(file.path).stem
    if PurePosixPath(file.path).parent.name != topic:  # the topic changed: the file moves with it
        path = f"{topic}/{stem}.md"
        if path in files:
            path = f"{topic}/{_unique(stem, taken)}.md"
    return replace(kept, status="overwrote your edits" if edited else "updated", path=path, text=text,
                   remove=file.path if path != file.path else None)


def _keep_provenance(item: Item, meta: Mapping[str, Any] | None) -> Item:
    """The article with the file's `url` and `author` where the input has none: a text dump does not know
    them, so importing it after the page or its JSON record leaves them (and the file) as they are."""
    if meta is None:
        return item
    article = item.article
    url, author = meta.get("url"), meta.get("author")
    url = article.url or (url if isinstance(url, str) and is_web_url(url) else None)
    author = article.author or (author if isinstance(author, str) and author.strip() else None)
    if (url, author) == (article.url, article.author):
        return item
    return replace(item, article=replace(article, url=url, author=author))


# An editor's topic or tags are those in the file that differ from the classifier's
# answer when import last wrote it (all of them when import never wrote the file).

def _editor_topic(
    meta: Mapping[str, Any] | None, record: Record | None, own: Classification, config: SiteConfig,
) -> tuple[str, bool]:
    theirs = meta.get("topic") if meta is not None else None
    if (isinstance(theirs, str) and config.topic(theirs) is not None and theirs != own.topic
            and (record is None or theirs != record.topic)):
        return theirs, True
    return own.topic, False


def _editor_tags(
    meta: Mapping[str, Any] | None, record: Record | None, own: Classification,
) -> tuple[tuple[str, ...], bool]:
    theirs = meta.get("tags", []) if meta is not None else None
    if not isinstance(theirs, list) or not all(isinstance(tag, str) for tag in theirs):
        return own.tag_slugs, False
    if tuple(theirs) != own.tag_slugs and (record is None or tuple(theirs) != record.tags):
        return tuple(theirs), True
    return own.tag_slugs, False


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate

