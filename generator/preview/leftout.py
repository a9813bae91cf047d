"""What the preview says of the articles a build leaves out (dated in the future, drafts): the log's lines,
as `digest build` words them, and the note its 404 page carries for the URL of such an article."""

from __future__ import annotations

import html
import re

from generator.engine.load import LoadedSite
from generator.engine.totals import draft_line, skipped_line
from generator.pages.context import date_iso
from generator.site import urls as u

_OPENING = re.compile(rb"<main\b[^>]*>|<body\b[^>]*>", re.IGNORECASE)
_HEADING_END = re.compile(rb"</h1\s*>", re.IGNORECASE)


def explained(page: bytes, note: str) -> bytes:
    """The site's 404 page with `note` (why the page is not there) under its heading, at the top of its main
    content, or at the top of the page."""
    box = (f'<div id="digest-left-out" role="note" style="margin:1rem 0;padding:.75rem 1rem;'
           f'border:2px solid #b45309;border-radius:.25rem"><p style="margin:0">{html.escape(note)}</p></div>').encode()
    opening = _OPENING.search(page)
    at = opening.end() if opening else 0
    heading = _HEADING_END.search(page, at)
    if heading is not None:
        at = heading.end()
    return page[:at] + box + page[at:]


def left_out_notes(loaded: LoadedSite | None) -> dict[str, str]:
    """Output path of each article the build left out -> why its page is not there."""
    if loaded is None:
        return {}
    notes = {u.output_path(a.key): f"This page is {a.path}, dated {date_iso(a)}: it is in the future, so the "
             "preview leaves it out until then, and shows it by itself at that moment." for a in loaded.skipped}
    notes |= {u.output_path(a.key): f"This page is {a.path}, a draft (draft: true): "
              "the preview leaves drafts out unless it runs with --drafts." for a in loaded.drafts}
    return notes


def left_out_lines(loaded: LoadedSite | None) -> list[str]:
    """What the log says of the articles the build left out, as `digest build` says it."""
    if loaded is None:
        return []
    return [*(skipped_line(a) for a in loaded.skipped), *(draft_line(a) for a in loaded.drafts)]
