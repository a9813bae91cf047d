"""Helpers for tests that write small sites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.site import frontmatter


def write_article(site: Path, topic: str, slug: str, *, title: str, date: str, body: str = "Text.",
                  **meta: Any) -> Path:
    """Write `content/<topic>/<slug>.md` with front matter as `digest import` writes it."""
    path = site / "content" / topic / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = {"id": f"test-{slug}", "title": title, "date": date, "topic": topic, **meta}
    path.write_text(frontmatter.dump(fields, body), encoding="utf-8")
    return path
