"""Common Markdown rendered as markdown-it-py renders it, without running markdown-it-py.

`render` returns the HTML, the first paragraph's text and where the first
top-level paragraph ends, exactly as `pages.render.make_markdown()`,
`site.parse._first_paragraph` and `site.parse._lead_end` would give them, or
None when any part of the body is not provably of the shapes below; the caller
then runs markdown-it-py on the whole body. `tests/test_fastmd.py` compares
this with markdown-it-py byte for byte under hypothesis and on every article of
the benchmark corpora and the fixtures.

Blocks. The body has no tab, carriage return or NUL (markdown-it-py normalises
them). Runs of non-blank lines (blank: spaces only) are blocks; a block is a
paragraph, or a block quote when every one of its lines starts with `> ` (one
paragraph inside; a block mixing the two is lazy continuation or an
interruption, so it is declined). Each line, after any `> `, starts with neither
whitespace nor a character that could open a block (`#`, `>`, `+`, `-`, `=`,
`~`, `` ` ``, `:`, `|`, `<`, digits followed by `.` or `)`) and does not end in
whitespace (no hard breaks, nothing to trim). A line may start with `*` or `_`
only as an emphasis opener (below): one followed by a non-space and with a
non-marker character on the line is neither a list item nor a thematic break.
One starting with `[` holds a link, `]` then `(`: never a reference definition.

Inline. A paragraph's text (its lines after `> `, joined by newlines, which
render as themselves) is a sequence of:

- prose: no `\\`, `*`, `_`, `` ` ``, `[`, `]`, `|` or `~`; `!` not before `[`;
  `&` not starting an entity (`&` + letters/digits + `;`); `<` only before a
  space (no autolink starts there; raw HTML is off). It renders escaped (`&<>"`);
- a backslash before ASCII punctuation: that character, escaped;
- emphasis `*x*`, `_x_` (`<em>`) or `**x**`, `__x__` (`<strong>`), where `x` is
  one line of prose without `&`, `<` or `!`. By markdown-it-py's own flanking
  rules (its `scanDelims`, with its character classes) the opening run can only
  open and the closing run can only close, and neither touches another marker of
  its kind, so the runs are whole. With nothing but such pairs in the paragraph,
  each closer's nearest opener is its own, of the same length: they pair exactly
  so and no rule of three applies;
- a link `[t](u)` or an image `![t](u)`, `t` as `x` above, `u` an `http(s)://`
  URL with a plain lower-case host (labels of at most 63 characters, at most
  four) or a path starting with one `/`, then only `A-Za-z0-9._~/?#=:@+,;-`:
  nothing to unescape, no parenthesis or space to end it early, no title, not a
  scheme markdown-it-py refuses, and one that `normalizeLink` returns unchanged
  (also a property test). A link renders `<a href="u">t</a>`, an image
  `<img src="u" alt="t" />`; the first paragraph's text holds `t`.
"""

from __future__ import annotations

import functools
import re

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

_STOP = re.compile(r"[\\*_`\[\]|~&<!]")  # where prose may end: everything else is prose
_INNER = r"[^\\*_`\[\]|~&<!\n]+"  # emphasis, link and image text: prose without `&<!` on one line
_HOST = r"https?://[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,3}"
_URL_REST = r"[A-Za-z0-9._~/?#=:@+,;-]*"
URL = rf"(?:{_HOST}(?:[/?#]{_URL_REST})?|/(?!/){_URL_REST})"
_TOKEN = re.compile(rf"""
    (\*\*?|__?)({_INNER})\1                   # 1 run, 2 text: emphasis
  | (!?)\[({_INNER})\]\(({URL})\)            # 3 `!` or "", 4 text, 5 URL: an image or a link
  | \\([!-/:-@\[-`{{-~])                     # 6: a backslash escape of ASCII punctuation
  | (&(?!\#?[0-9A-Za-z]+;)|<(?=\ )|!(?!\[))   # 7: prose after all
  | ([\\*_`\[\]|~&<!])                       # 8: anything else
""", re.VERBOSE)
_EMPHASIS, _LINK, _ESCAPED, _PROSE = 2, 5, 6, 7
_OPENS_BLOCK = frozenset("#>+-=~`:|<")
_DIGITS = frozenset("0123456789")
_LIST_NUMBER = re.compile(r"[0-9]+[.)]")


def render(body: str) -> tuple[str, str, int] | None:
    """(HTML, first paragraph's text, length of the HTML up to the end of the first top-level paragraph, 0 if
    none) of `body`, or None if markdown-it-py must render it."""
    if "\t" in body or "\r" in body or "\x00" in body:
        return None
    blocks = _blocks(body)
    if blocks is None:
        return None
    html: list[str] = []
    first, lead_end, size = None, 0, 0
    for quoted, text in blocks:
        inline = _inline(text, first is None)
        if inline is None:
            return None
        if first is None:
            first = inline[1]
        if quoted:
            part = "<blockquote>\n<p>" + inline[0] + "</p>\n</blockquote>\n"
        else:
            part = "<p>" + inline[0] + "</p>\n"
        html.append(part)
        size += len(part)
        if not quoted and not lead_end:
            lead_end = size
    return "".join(html), first or "", lead_end


def _blocks(body: str) -> list[tuple[bool, str]] | None:
    """(is a block quote, paragraph text) of each block, or None if some line could start another block."""
    blocks: list[tuple[bool, str]] = []
    lines: list[str] | None = None
    quoted = False
    for line in body.split("\n"):
        if not line or (line[0] == " " and not line.strip(" ")):
            if lines is not None:
                blocks.append((quoted, "\n".join(lines)))
            lines = None  # a blank line ends a block
            continue
        quote = line.startswith("> ")
        if lines is None:
            lines, quoted = [], quote
        elif quote != quoted:
            return None
        if quote:
            line = line[2:]
            if not line:
                return None
        first = line[0]
        if (first in _OPENS_BLOCK or first.isspace() or line[-1].isspace()
                or (first in _DIGITS and _LIST_NUMBER.match(line))):
            return None
        lines.append(line)
    if lines is not None:
        blocks.append((quoted, "\n".join(lines)))
    return blocks


def _inline(src: str, want_text: bool) -> tuple[str, str] | None:
    """(HTML, plain text with soft breaks as spaces) of one paragraph's inline text, or None if not provably
    of the shapes in the module docstring (the text is "" unless `want_text`)."""
    stop = _STOP.search(src)
    if stop is None:  # prose alone, the usual case
        return _escape_html(src), src.replace("\n", " ") if want_text else ""
    html: list[str] = []
    text: list[str] = []
    pos = 0
    while stop is not None:
        start = stop.start()
        match = _TOKEN.match(src, start)
        if match is None:  # never: the last alternative takes any stop
            return None
        kind = match.lastindex
        if start > pos:
            html.append(_escape_html(src[pos:start]))
            text.append(src[pos:start])
        pos = match.end()
        if kind == _EMPHASIS:
            inner = match[2]
            if not _whole_pair(src[start - 1] if start else " ", inner[0], inner[-1],
                               src[pos] if pos < len(src) else " ", match[1][0]):
                return None
            tag = "em" if len(match[1]) == 1 else "strong"
            html.append(f"<{tag}>{_escape_html(inner)}</{tag}>")
            text.append(inner)
        elif kind == _LINK:
            label, url = match[4], match[5]
            html.append(f'<img src="{url}" alt="{_escape_html(label)}" />' if match[3]
                        else f'<a href="{url}">{_escape_html(label)}</a>')
            text.append(label)
        elif kind in (_ESCAPED, _PROSE):
            char = match[kind]
            html.append(_escape_html(char))
            text.append(char)
        else:  # a stray `*`, `_`, `[`, `]`, `!`, backslash, `|`, `~`, backtick, entity or `<`: not taken here
            return None
        stop = _STOP.search(src, pos)
    if pos < len(src):
        html.append(_escape_html(src[pos:]))
        text.append(src[pos:])
    return "".join(html), "".join(text).replace("\n", " ") if want_text else ""


@functools.lru_cache(maxsize=4096)
def _whole_pair(before: str, first: str, last: str, after: str, marker: str) -> bool:
    """A run of `marker` between `before` and `first` can only open, one between `last` and `after` can only
    close, and neither touches another `marker`."""
    if before == marker or after == marker:
        return False
    can_open, can_close = _delimiter(before, first, marker)
    if not can_open or can_close:
        return False
    can_open, can_close = _delimiter(last, after, marker)
    return can_close and not can_open


def _delimiter(last: str, next_: str, marker: str) -> tuple[bool, bool]:
    """(can open, can close) of a run of `marker` between `last` and `next_`: markdown-it-py's `scanDelims`."""
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(next_)) or isPunctChar(next_)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(next_))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    split_word = marker == "*"
    return (left and (split_word or not right or last_punct),
            right and (split_word or not left or next_punct))


def _escape_html(text: str) -> str:
    if "&" not in text and "<" not in text and ">" not in text and '"' not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
