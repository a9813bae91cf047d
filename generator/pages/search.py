"""The search page and the bundles of the search index: which articles go in which bundle. No I/O here.

Only article pages are indexed (the theme marks their story with
`data-pagefind-body`). The index is split into *bundles* by publication date:
one per year, or one per quarter in a year with more than `YEAR_MAX` articles.
The search page loads the newest bundle with Pagefind's own script and merges
the others into it (`mergeIndex`), so an edit re-indexes the bundle of the
article it changed, not the site (`engine.search` does the indexing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.site import urls as u
from generator.site.language import Language
from generator.site.model import Site

SEARCH = "search/"  # the search page's site path
BUNDLES = "search/pagefind/"  # bundle <name> is at search/pagefind/<name>/
# A year with more articles than this has one bundle per quarter. Each Pagefind run costs a fixed start (and
# each bundle the reader's browser a few requests), so bundles of a few thousand articles: a cold build of
# 10,000 over two years runs 8, an edit re-indexes about 1,250 pages.
YEAR_MAX = 2000
# The search page's words: keys of the theme's string tables (generator/site/strings/), so `strings:` in
# site.yaml and the site's language reach them; search.js gets them as data attributes.
STRINGS = ("search", "search_label", "search_title", "search_button", "sort", "sort_relevance", "sort_newest",
           "sort_oldest", "filter_topic", "filter_tag", "results_one", "results_many", "results_none", "show_more",
           "search_needs_script", "search_loading", "search_failed")


def strings_in(language: Language) -> dict[str, str]:
    """The search words in the site's language (`results_many` keeps its `{n}`, filled in by search.js)."""
    return {key: language.plain.get(key) or str(language.strings[key]) for key in STRINGS}


def bundle_names(site: Site) -> dict[str, str]:
    """Each published article's key -> the name of its bundle (`2024`, or `2024-q3` in a large year)."""
    per_year: dict[int, int] = {}
    for a in site.articles.values():
        per_year[a.date.year] = per_year.get(a.date.year, 0) + 1
    return {key: (f"{a.date.year:04d}-q{(a.date.month + 2) // 3}" if per_year[a.date.year] > YEAR_MAX
                  else f"{a.date.year:04d}")
            for key, a in site.articles.items()}


def bundle_pages(site: Site) -> dict[str, tuple[str, ...]]:
    """Bundle name -> the output paths of its article pages; newest bundle first, pages in site order."""
    names = bundle_names(site)
    out: dict[str, list[str]] = {}
    for key in site.order:
        out.setdefault(names[key], []).append(u.output_path(key))
    return {name: tuple(out[name]) for name in sorted(out, reverse=True)}


def search_context(common: Mapping[str, Any], page: Mapping[str, Any], site: Site,
                   urls: u.Urls) -> dict[str, Any]:
    """The search page's context: the bundles to load (newest first), the topics and tags for the filters."""
    return {
        "site": common,
        "page": page,
        "bundles": tuple(urls.href(f"{BUNDLES}{name}/") for name in bundle_pages(site)),
        "strings": common["search"]["strings"],
    }
