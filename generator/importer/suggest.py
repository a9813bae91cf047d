"""`digest tags suggest`: names that recur across content/ but that the tag vocabulary does not know.

Import only ever tags an article with the vocabulary of `site.yaml` (and the dateline's city);
it never invents a tag. This finds the candidates an editor may want to add: runs of capitalised
words ("Amos Hochstein", "Aga Khan Trust for Culture", "UNIFIL") in the headline, highlights,
text, captions and boxes of every article, without the words that start a sentence ("The",
"Officials"), job titles alone ("Prime Minister") or possessive endings. A name is left out when it
contains a name or alias of a known tag ("Prime Minister Benjamin Netanyahu"), or when its slug is
already an article's tag. A surname found alone is folded into the full name as an alias. The
result is heuristic (there is no language model here): it lists, it never writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ContentError, DigestError, shown
from generator.importer.classify import Matcher
from generator.importer.lines import slugify
from generator.site.config import SiteConfig
from generator.site.frontmatter import article_files, split

_TOKEN = r"(?:(?:al|el|Al|El)-)?(?:[A-ZÀ-ÖØ-Þ][\w’'\-]*\w|[A-Z]{2,})"
_LINK = r"(?:of|for|al|bin|ibn|de|el|du|la|van|von)"
_NAME_RE = re.compile(rf"(?<![\w’'\-]){_TOKEN}(?:\s+(?:{_LINK}\s+)?{_TOKEN})*")
_POSSESSIVE_RE = re.compile(r"[’']s$")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;]\s+|[“\"‘(]\s*)$")
# Words that open sentences, days and months: stripped from the start of a name, never a name alone.
_OPENERS = frozenset("""
a an the this that these those there their they them he she his her it its we our you your i in on at
for from by with to of and or but as if when while after before since until during about against over
under between among into than then so yet not no all any some many most more several other others one
two three four five six seven eight nine ten first second third last next new also meanwhile however
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
# Words of roles and institutions: a name made of these only ("Prime Minister", "Justice Ministry") is none.
_GENERIC = frozenset("""
mr mrs ms dr prime minister ministers ministry president vice general director secretary spokesperson
spokesman official officials source sources king prince crown emir chief head deputy speaker ambassador
envoy commander army forces government state city attorney justice civil defense defence center centre
security national foreign interior council office party group court police agency news
""".split()) | _OPENERS
# A lone word ending like an adjective or a people: `Iranians`, `Saudi-led`, `Western`, `Moslawis`.
_PEOPLE_RE = re.compile(r"ians?$")
_ADJECTIVE_RE = re.compile(r"(?:ians?|ites?|is|ern|-led|-backed|-based|-born|-era)$", re.IGNORECASE)
_BODY_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str
    slug: str
    aliases: tuple[str, ...]
    articles: int
    example: str  # the first file (in path order) that mentions it


def suggest(config: SiteConfig, content_dir: Path, *, min_articles: int = 2) -> tuple[list[Suggestion], list[str]]:
    """Names found in at least `min_articles` articles and unknown to the vocabulary, most frequent first;
    and the files that could not be read (one message each)."""
    known = Matcher.of(name for tag in config.tags for name in tag.names)
    found: dict[str, list[str]] = {}  # name -> files
    used_slugs: set[str] = {tag.slug for tag in config.tags}
    problems = []
    for path in article_files(content_dir) if content_dir.is_dir() else []:
        try:
            parsed = split(path.read_bytes().decode("utf-8"), shown(path))
        except (ContentError, UnicodeDecodeError, OSError) as exc:
            problems.append(f"{shown(path)}: skipped ({exc})" if not isinstance(exc, ContentError) else str(exc))
            continue
        tags = parsed.meta.get("tags")
        used_slugs.update(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else None
        for name in sorted(set(_names(_texts(parsed.meta, parsed.body), known))):
            if not known.count([name]):
                found.setdefault(name, []).append(shown(path))
    names = [name for tag in config.tags for name in tag.names]
    return _merge(found, used_slugs, names, min_articles), problems


def _texts(meta: Mapping[str, Any], body: str) -> list[str]:
    texts = [str(meta.get("title", "")), *map(str, meta.get("highlights") or [])]
    for image in meta.get("images") or []:
        if isinstance(image, Mapping):
            texts.append(str(image.get("caption", "")))
    for box in meta.get("factboxes") or []:
        if isinstance(box, Mapping):
            texts += [str(box.get("title") or ""), str(box.get("text", ""))]
    texts += [_BODY_ESCAPE_RE.sub(r"\1", p) for p in body.split("\n\n")]
    return texts


def _names(texts: Iterable[str], known: Matcher) -> Iterable[str]:
    """Every name in the texts that is not (or does not hold) a known one, without sentence-opening words
    and possessives; `the Palestinian Authority’s Ministry of Culture` gives `Ministry of Culture`."""
    for text in texts:
        for match in _NAME_RE.finditer(text):
            parts, start = [], 0
            words = match[0].split()
            for i, word in enumerate(words):  # a possessive ends a name
                if _POSSESSIVE_RE.search(word) or i == len(words) - 1:
                    parts.append(words[start : i + 1])
                    start = i + 1
            for part in parts:
                if not known.count([" ".join(part)]):
                    yield from _name(part, text, match)


def _name(words: list[str], text: str, match: re.Match[str]) -> Iterable[str]:
    """The name in `words` (part of `match` in `text`), or nothing when it is a role, an adjective or an opener."""
    words = list(words)
    while words and (words[0].casefold() in _OPENERS or (len(words) > 1 and _PEOPLE_RE.search(words[0]))):
        words.pop(0)  # `The ...`, and `Palestinian Al-Bustan Association` is the association
    while words and words[-1].casefold() in {"al", "of", "for", "bin", "ibn", "de", "el"}:
        words.pop()
    if not words:
        return
    words[-1] = _POSSESSIVE_RE.sub("", words[-1])
    name = " ".join(words)
    if all(w.casefold() in _GENERIC for w in words) or len(name) < 3:
        return
    before = text[: match.start() + match[0].index(words[0])]
    if len(words) == 1 and (_ADJECTIVE_RE.search(name) or _SENTENCE_START_RE.search(before)):
        return  # an adjective, or a lone capitalised word opening a sentence
    yield name


def _merge(found: Mapping[str, list[str]], used_slugs: set[str], known: Iterable[str],
           min_articles: int) -> list[Suggestion]:
    """One entry per slug (other spellings become aliases); a lone word that starts or ends exactly one
    longer name is folded into it as an alias; parts of known names are dropped; the rest must recur."""
    known_words = [slugify(name).split("-") for name in known]
    by_slug: dict[str, dict[str, set[str]]] = {}
    for name, paths in found.items():
        slug = slugify(name)
        if slug and not any(_inside(slug.split("-"), words) for words in known_words):
            by_slug.setdefault(slug, {})[name] = set(paths)
    groups = {slug: (max(names, key=lambda n: (len(names[n]), n)), set().union(*names.values()), set(names))
              for slug, names in by_slug.items()}
    for slug in sorted(groups, key=lambda g: (-len(groups[g][1]), g)):
        if slug not in groups or " " in groups[slug][0]:
            continue
        longer = [other for other in groups if " " in groups[other][0]
                  and groups[slug][0] in (groups[other][0].split()[0], groups[other][0].split()[-1])]
        if len(longer) == 1:
            _name, paths, names = groups.pop(slug)
            full = groups[longer[0]]
            groups[longer[0]] = (full[0], full[1] | paths, full[2] | names)
    out = []
    for slug, (name, paths, names) in groups.items():
        if len(paths) >= min_articles and slug not in used_slugs:
            aliases = tuple(sorted(names - {name}))
            out.append(Suggestion(name, slug, aliases, len(paths), sorted(paths)[0]))
    return sorted(out, key=lambda s: (-s.articles, s.name))


def _inside(part: list[str], whole: list[str]) -> bool:
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def format_suggestions(suggestions: list[Suggestion], content: str, min_articles: int) -> list[str]:
    """Lines ready to paste under `tags:` in site.yaml, each with its count and an example file."""
    if not suggestions:
        return [f"# no name recurs in {min_articles} or more articles of {content} without a tag"]
    lines = [f"# {len(suggestions)} name{'s recur' if len(suggestions) != 1 else ' recurs'} in {content} and match no "
             "tag's name or aliases; paste the ones you want under `tags:` in site.yaml"]
    for s in suggestions:
        alias = f", aliases: [{', '.join(_quoted(a) for a in s.aliases)}]" if s.aliases else ""
        entry = f"  - {{slug: {s.slug}, name: {_quoted(s.name)}{alias}}}"
        lines.append(f"{entry}  # {s.articles} article{'s' if s.articles != 1 else ''}, e.g. {s.example}")
    return lines


def _quoted(text: str) -> str:
    """`text` as a YAML flow scalar: plain when it is safe, else double-quoted."""
    if re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w .’\-]*", text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_suggest(config: SiteConfig, content_dir: Path, *, min_articles: int, out: Any, err: Any) -> int:
    if not content_dir.is_dir():
        raise DigestError(f"{shown(content_dir)}: no such folder (run digest in a site folder or pass --site DIR)")
    if min_articles < 1:
        raise DigestError(f"--min-articles: {min_articles} is not a positive number")
    suggestions, problems = suggest(config, content_dir, min_articles=min_articles)
    for problem in problems:
        print(f"warning: {problem}", file=err)
    print("\n".join(format_suggestions(suggestions, shown(content_dir), min_articles)), file=out)
    return 0
