"""Which kind of input a text is, decided from its content, never from its file name.

- **JSON**: starts with `{` (one object) or with `[` then `{` or `]` (an array);
- **JSON Lines**: starts with `{`, is not one JSON value, and its first line is one;
- **HTML**: starts (past comments and an XML declaration) with a doctype or an
  `<html>`, `<head>`, `<body>`, `<meta>`, `<title>` or `<article>` tag;
- **dump**: anything else, the scraped text that `segment` cuts into articles.

A dump whose first line happens to start with `[` (`[Photo] ...`) stays a dump.
A text that starts with `{` but is no JSON at all is broken JSON, reported as such.
"""

from __future__ import annotations

import json
import re

DUMP = "dump"
JSON = "json"
JSON_LINES = "json lines"
HTML = "html"

_HTML_START_RE = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article)\b",
    re.IGNORECASE | re.DOTALL,
)


def kind(text: str) -> str:
    """`DUMP`, `JSON`, `JSON_LINES` or `HTML` for a decoded input."""
    head = text.lstrip()
    if head.startswith("{"):
        return JSON_LINES if _is_json_lines(head) else JSON
    if head.startswith("[") and head[1:].lstrip()[:1] in ("{", "]"):
        return JSON
    if _HTML_START_RE.match(text):
        return HTML
    return DUMP


def _is_json_lines(text: str) -> bool:
    """More than one line, not one JSON value as a whole, and the first line is a JSON value alone."""
    first, _, rest = text.partition("\n")
    if not rest.strip() or _parses(text):
        return False
    return _parses(first)


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    except RecursionError:  # nested too deep to be an article, but JSON all the same
        return True
    return True
