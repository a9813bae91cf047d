"""The only place that decides slugs, URLs and output paths.

A page is known by its *site path*: the part of its URL after the site's root,
such as `2024/11/baalbek-strike/` or `feed.xml` (`""` is the home page). From a
site path come its link (`href`: root-relative, so pages work on any host), its
absolute URL (`absolute`, from the base URL: for feeds, sitemap, canonical and
Open Graph) and its output file (`output_path`: pretty URLs end in `index.html`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 100


# What an absolute URL may hold as it is (RFC 3986; non-ASCII letters too, as in IRIs): anything else
# (spaces, quotes, angle brackets, braces, backslash, a second '#', a '%' not followed by two hex
# digits) is what an HTML checker reports as an illegal character in an href.
_URL_RE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}|[^\x00-\xa0])+")


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host, written only with characters a URL may hold: safe to link to."""
    if not _URL_RE.fullmatch(value) or any(c.isspace() for c in value) or value.count("#") > 1:
        return False
    try:
        parts = urlsplit(value)
        rest = parts.path + parts.query + parts.fragment
        brackets = "[" in rest or "]" in rest  # only an IPv6 host is written in brackets
        return parts.scheme in ("http", "https") and bool(parts.hostname) and not brackets
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def check_slug(value: str) -> str | None:
    """None when `value` is a safe slug, else what is wrong with it."""
    if len(value) > SLUG_MAX:
        return f"{value[:40]!r}... is longer than {SLUG_MAX} characters"
    if SLUG_RE.match(value):
        return None
    example = slugify(value) or "article"
    return f"{value!r} is not a slug (use lowercase letters, digits and hyphens, e.g. {example!r})"


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """A slug made from `text`: ASCII lowercase words joined by hyphens, cut at a word end within `limit`
    characters; `''` when `text` has no ASCII letter or digit.

    `'Al-Nuri Mosque'` -> `'al-nuri-mosque'`; `'Israel’s minister'` -> `'israels-minister'` (apostrophes
    join, they do not split). The one slug maker: the importer's file names and tags, and suggestions
    in error messages, all come from here.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", ascii_text.lower())).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:limit]
    return slug.strip("-")


def check_image_src(value: str) -> str | None:
    """None when `value` is a safe picture address: an http(s) URL, or a path inside the site (`static/x.jpg`,
    `/static/x.jpg`) with no `..`; else what is wrong. Nothing else (`javascript:`, `data:`, `//host`) is linked."""
    if any(c.isspace() or ord(c) < 32 for c in value) or "\\" in value:
        return f"{value[:60]!r} has a space, backslash or control character (write a URL, with %20 for a space)"
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        if parts.scheme in ("http", "https") and parts.netloc:
            return None
        return (f"{value[:60]!r} is not an http(s) URL nor a path inside the site "
                "(e.g. https://example.org/photo.jpg or static/photos/photo.jpg)")
    if ".." in parts.path.split("/") or not parts.path.strip("/"):
        return f"{value[:60]!r} is not a path inside the site (e.g. static/photos/photo.jpg)"
    return None


def image_href(src: str, urls: Urls) -> str:
    """The link of a checked picture address: URLs as they are, site paths under the site's root."""
    return src if urlsplit(src).scheme else urls.href(src.lstrip("/"))


def article_path(date: datetime, slug: str) -> str:
    """`2024/11/<slug>/`: the year and month of publication and the slug, never the topic or tags."""
    return f"{date.year:04d}/{date.month:02d}/{slug}/"


def paged(path: str, page: int) -> str:
    """Page `page` of a paginated list whose first page is at `path`."""
    return path if page == 1 else f"{path}page/{page}/"


def topic_path(slug: str, page: int = 1) -> str:
    return paged(f"topics/{slug}/", page)


def tag_path(slug: str, page: int = 1) -> str:
    return paged(f"tags/{slug}/", page)


def topic_feed_path(slug: str) -> str:
    return f"topics/{slug}/feed.xml"


def tag_feed_path(slug: str) -> str:
    return f"tags/{slug}/feed.xml"


def edition_path(key: str) -> str:
    """`editions/2024-w46/` (a week), `editions/2024-11/` (a month), `editions/2024-11-15/` (a day)."""
    return f"{EDITIONS}{key}/"


def email_path(key: str, kind: str = "html") -> str:
    """The email copy of an edition: `editions/<key>/email.html`, or its plain-text twin `email.txt`."""
    return f"{edition_path(key)}email.{kind}"


FEED_NAME = "feed.xml"
ATOM_NAME = "atom.xml"
JSON_FEED_NAME = "feed.json"


def atom_path(feed: str) -> str:
    """The Atom twin of the RSS feed at site path `feed` (`topics/x/feed.xml` -> `topics/x/atom.xml`)."""
    return feed.removesuffix(FEED_NAME) + ATOM_NAME


def json_feed_path(feed: str) -> str:
    """The JSON Feed twin of the RSS feed at site path `feed` (`topics/x/feed.xml` -> `topics/x/feed.json`)."""
    return feed.removesuffix(FEED_NAME) + JSON_FEED_NAME


HOME = ""
EDITIONS = "editions/"
EDITIONS_FEED = "editions/feed.xml"
TAGS = "tags/"
ARCHIVE = "archive/"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STATIC = "static/"
STYLESHEET = "static/style.css"
FAVICON_SVG = "static/favicon.svg"
FAVICON_ICO = "static/favicon.ico"
ROOT_FAVICON = "favicon.ico"  # where browsers and crawlers look without being told: a copy of FAVICON_ICO


def output_path(path: str) -> str:
    """The output-relative file of a site path: directories get `index.html`."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


@dataclass(frozen=True, slots=True)
class Urls:
    """Links and absolute URLs for one base URL (`site.yaml`'s, or `--base-url`, or the preview's)."""

    base_url: str

    @classmethod
    def for_base(cls, base_url: str) -> Urls:
        return cls(base_url.rstrip("/") + "/")

    @property
    def prefix(self) -> str:
        """The base URL's path (`/` or `/digest/`): root-relative links start with it."""
        return urlsplit(self.base_url).path or "/"

    def href(self, path: str) -> str:
        return self.prefix + path

    def absolute(self, path: str) -> str:
        return self.base_url + path

    @property
    def origin(self) -> str:
        """`https://host[:port]`: an `href` appended to it is the absolute URL (`absolute`) of the same page."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"
