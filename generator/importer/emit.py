"""Clean article -> content file text: stable id, slug, front matter and Markdown body.

Front-matter keys, in this order, absent ones left out: `id`, `title`, `date`,
`dateline`, `source`, `author`, `url`, `topic`, `tags`, `highlights`, `images` ({caption, credit}),
`factboxes` ({label, title, text}), `read_more`. Front-matter strings are plain
text; the body is Markdown, escaped so that it renders to the page's text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from generator.importer.clean import Article
from generator.importer.lines import slugify
from generator.importer.markdown import body
from generator.site.frontmatter import dump
from generator.site.parse import TAGS_MAX

ID_LENGTH = 12


def article_id(article: Article) -> str:
    """A short hash of the headline's words (case, quotes and punctuation ignored) and the day.

    Set at import and never derived again from the file, so editing the title or
    the date later does not change it; feeds use it as the item's GUID.
    """
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", article.title).casefold())
    day = article.published.date() if isinstance(article.published, datetime) else article.published
    key = f"{' '.join(words)}\n{day.isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


def base_slug(article: Article, article_id: str) -> str:
    """The file stem an article would like: its headline as a slug (`article-<id>` when that is empty)."""
    return slugify(article.title) or f"article-{article_id}"


def front_matter(article: Article, article_id: str, topic: str, tags: Sequence[str]) -> dict[str, Any]:
    published = article.published
    meta: dict[str, Any] = {
        "id": article_id,
        "title": article.title,
        "date": published.isoformat() if isinstance(published, datetime) else published,
        "dateline": article.dateline,
        "source": article.source,
        "author": article.author,
        "url": article.url,
        "topic": topic,
        "tags": list(tags)[:TAGS_MAX],
        "highlights": list(article.highlights),
        "images": [_without_none({"caption": i.caption, "credit": i.credit}) for i in article.images],
        "factboxes": [_without_none({"label": b.label, "title": b.title, "text": b.text}) for b in article.factboxes],
        "read_more": list(article.read_more),
    }
    return {key: value for key, value in meta.items() if value not in (None, "", [])}


def render(article: Article, article_id: str, topic: str, tags: Sequence[str]) -> str:
    """The whole content file: front matter, a blank line, the Markdown body."""
    return dump(front_matter(article, article_id, topic, tags), body(article.paragraphs))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _without_none(mapping: dict[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in mapping.items() if value is not None}
