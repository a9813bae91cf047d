"""The build's pieces on their own: parsing, dates, related articles, URLs, safe paths, and the
Python interface the preview server uses (load_site -> plan_pages -> render_job)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.engine.build import build_files
from generator.engine.load import load_site
from generator.engine.sources import static_files
from generator.errors import DigestError
from generator.pages.plan import plan_pages
from generator.pages.render import make_env, make_markdown, render_job
from generator.publish.output import MARKER, STAGING, check_path, safe_join
from generator.site import model
from generator.site.config import load_config
from generator.site.model import RELATED_LIMIT, make_site
from generator.site.parse import parse_article
from generator.site.urls import Urls, output_path, slugify
from tests.test_build_support import FIXTURE, copy_fixture

CONFIG = load_config(FIXTURE)
MD = make_markdown()


def _parsed(meta: str, stem: str = "x"):  # type: ignore[no-untyped-def]
    return parse_article(f"---\n{meta}\ntopic: alpha\n---\n\nBody text here.\n", f"content/{stem}.md", stem,
                         CONFIG, MD)


def test_dates_are_in_the_site_time_zone() -> None:
    day = _parsed("title: T\ndate: 2024-11-05")
    assert day.date.isoformat() == "2024-11-05T00:00:00+02:00" and not day.has_time
    assert day.key == "2024/11/x/"
    naive = _parsed("title: T\ndate: 2024-11-05 10:30:00")
    assert naive.date.isoformat() == "2024-11-05T10:30:00+02:00" and naive.has_time
    utc = _parsed("title: T\ndate: 2024-11-30T23:30:00Z")  # already 1 December in Beirut
    assert utc.date.isoformat() == "2024-12-01T01:30:00+02:00" and utc.key == "2024/12/x/"
    quoted = _parsed("title: T\ndate: '2024-11-05T08:00:00+03:00'")
    assert quoted.date.isoformat() == "2024-11-05T07:00:00+02:00"


def test_unknown_keys_are_kept_and_body_is_rendered_safely() -> None:
    a = parse_article("---\ntitle: T\ndate: 2024-11-05\ntopic: alpha\nmood: calm\nscores: [1, 2]\n---\n\n"
                      "# Top\n\n<b>x</b> [bad](javascript:alert(1)) and *fine*\n", "c/x.md", "x", CONFIG, MD)
    assert a.extra == {"mood": "calm", "scores": (1, 2)}
    assert "<h2>Top</h2>" in a.body_html  # the page's only h1 is the title
    assert "&lt;b&gt;x&lt;/b&gt;" in a.body_html and 'href="javascript' not in a.body_html
    assert "<em>fine</em>" in a.body_html
    assert a.summary == "<b>x</b> [bad](javascript:alert(1)) and fine"  # plain text: escaped by templates


def test_future_and_draft_articles_are_left_out(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    config = load_config(site)
    (site / "content/beta/today.md").write_text("---\ntitle: Today\ndate: 2030-06-01\ntopic: beta\n---\n")
    (site / "content/beta/tonight.md").write_text(
        "---\ntitle: Tonight\ndate: 2030-06-01T21:00:00+03:00\ntopic: beta\n---\n")
    now = datetime(2030, 6, 1, 20, 0, tzinfo=timezone(timedelta(hours=3)))  # 19:00 in Beirut
    loaded = load_site(config, now=now)
    keys = set(loaded.site.articles)
    assert "2030/06/today/" in keys and "2030/06/tonight/" not in keys  # a bare date means that whole day
    assert [a.key for a in loaded.skipped] == ["2999/01/tomorrow/", "2030/06/tonight/"]  # by file name
    assert [a.key for a in loaded.drafts] == ["2024/11/unfinished/"]
    with_drafts = load_site(config, now=now, drafts=True)
    assert "2024/11/unfinished/" in with_drafts.site.articles and with_drafts.drafts == ()


def _synthetic(n: int, tags_of):  # type: ignore[no-untyped-def]
    base = _parsed("title: T\ndate: 2020-01-01")
    return [replace(base, key=f"a{i:05d}/", slug=f"a{i:05d}", date=base.date + timedelta(days=i), tags=tags_of(i))
            for i in range(n)]


def test_related_most_shared_tags_then_nearest_date() -> None:
    tags = {0: ("x", "y"), 1: ("x",), 2: ("x", "y"), 3: ("x",), 4: (), 5: ("x",), 6: ("x", "y")}
    site = make_site(CONFIG, _synthetic(7, lambda i: tags[i]))
    # a00003 shares one tag with all x-articles: nearest first (a00002, a00004 has none), ties by date then URL
    assert site.related["a00003/"] == ("a00002/", "a00001/", "a00005/", "a00000/")
    # a00002 shares two with a00000 and a00006: those first, the nearer one first
    assert site.related["a00002/"][:2] == ("a00000/", "a00006/")
    assert site.related["a00004/"] == ()
    assert site.neighbours["a00003/"] == ("a00002/", "a00004/")  # (older, newer) in the topic


def test_related_stays_linear_on_a_big_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _synthetic(10_000, lambda i: ("common", f"t{i % 7}"))
    largest = [0]
    real = model.heapq.nsmallest

    def counting(n: int, candidates: Any, key: Any = None) -> Any:
        largest[0] = max(largest[0], len(candidates))
        return real(n, candidates, key=key)

    monkeypatch.setattr(model.heapq, "nsmallest", counting)
    site = make_site(CONFIG, articles)
    # Each article weighs only the window around it in each of its tags' lists, never the whole
    # 10,000-article tag: the work grows with the site, not with its square.
    assert 0 < largest[0] <= 2 * (2 * model.RELATED_WINDOW + 1)
    related = site.related["a05000/"]
    assert len(related) == RELATED_LIMIT and all(r in site.tags[f"t{5_000 % 7}"].articles for r in related)
    assert related[:2] == ("a04993/", "a05007/")


def test_urls_and_output_paths() -> None:
    urls = Urls.for_base("https://example.org/digest")
    assert urls.href("2024/11/x/") == "/digest/2024/11/x/"
    assert urls.absolute("feed.xml") == "https://example.org/digest/feed.xml"
    assert Urls.for_base("http://127.0.0.1:8000/").href("") == "/"
    assert output_path("") == "index.html" and output_path("tags/a/page/2/") == "tags/a/page/2/index.html"
    assert output_path("feed.xml") == "feed.xml"
    assert slugify("Ça va? Al-Nuri Mosque!") == "ca-va-al-nuri-mosque" and slugify("…") == ""
    assert slugify("Israel’s attorney general") == "israels-attorney-general"  # the importer's rule too


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", "C:/x", "a/./b",
                                 ".digest-output", "x\x00y"])
def test_safe_join_refuses_escapes(tmp_path: Path, bad: str) -> None:
    with pytest.raises(DigestError):
        safe_join(tmp_path, bad)
    assert safe_join(tmp_path, "a/b/index.html") == tmp_path / "a/b/index.html"


def _pathlib_join(root: Path, rel: str) -> Path | None:
    """The check `safe_join` made with pathlib before `check_path` (the reference): None where it refused."""
    parts = PurePosixPath(rel).parts
    bad = (not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or ":" in rel.split("/")[0]
           or any(p in ("", ".", "..") for p in rel.split("/")) or parts[0] == MARKER or parts[0].startswith(STAGING))
    return None if bad else root.joinpath(*parts)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["a", "b.html", "/", ".", "..", ":", "\\", "\x00", MARKER, STAGING, "x y", "é"]),
                max_size=8).map("".join))
def test_check_path_is_the_pathlib_check(rel: str) -> None:
    """The string-only check refuses exactly what the pathlib one refused, and joins to the same path."""
    root = Path("/out")
    expected = _pathlib_join(root, rel)
    if expected is None:
        with pytest.raises(DigestError):
            check_path(rel)
        with pytest.raises(DigestError):
            safe_join(root, rel)
    else:
        assert check_path(rel) == list(PurePosixPath(rel).parts)
        assert safe_join(root, rel) == expected


@settings(deadline=None)
@given(st.text(max_size=300), st.text(alphabet="abc-_ .Z9", min_size=1, max_size=12))
def test_any_file_gives_an_article_or_a_clean_error(body: str, stem: str) -> None:
    for text in (body, f"---\ntitle: {body[:40]}\ndate: 2024-01-01\ntopic: alpha\n---\n{body}"):
        try:
            parse_article(text, "content/x.md", stem, CONFIG, MD)
        except DigestError as exc:
            assert str(exc) and all(line.startswith("content/x.md") for line in str(exc).splitlines())


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "date", "topic", "tags", "slug", "images", "factboxes", "draft",
                                        "highlights", "id", "extra"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                    lambda inner: st.lists(inner, max_size=3)
                                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)))
def test_any_front_matter_values_give_an_article_or_a_clean_error(meta: dict[str, object]) -> None:
    from generator.site.frontmatter import dump

    try:
        parse_article(dump(meta, "Body."), "content/x.md", "x", CONFIG, MD)
    except DigestError as exc:
        assert all(line.startswith("content/x.md:") for line in str(exc).splitlines())


def test_python_interface_matches_the_cli_output(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    config = load_config(site)
    result = build_files(config)
    assert not (site / "public").exists()  # build_files writes nothing
    loaded = load_site(config)
    jobs = plan_pages(config, loaded.site)
    again = plan_pages(config, load_site(config).site)
    assert [(j.path, j.template) for j in jobs] == [(j.path, j.template) for j in again]
    assert all(a.context == b.context for a, b in zip(jobs, again, strict=True))  # equal data, built twice
    env = make_env(config)
    assert {j.path: render_job(env, j) for j in jobs} == {k: v for k, v in result.files.items()
                                                          if not k.startswith("static/") and k != "favicon.ico"}
    theme = Path(__file__).resolve().parent.parent / "static"
    names = ("favicon.ico", "favicon.svg", "search.js", "style.css")
    assert static_files(config) == {"favicon.ico": theme / "favicon.ico",
                                    **{f"static/{name}": theme / name for name in names}}
    preview = plan_pages(config, loaded.site, base_url="http://127.0.0.1:8000/")
    home = next(j for j in preview if j.path == "index.html")
    assert home.context["page"]["canonical"] == "http://127.0.0.1:8000/"
    assert home.context["site"]["stylesheet"] == "/static/style.css"
    assert result.pages == 21 and result.feeds == 27 and result.static == 5  # 9 feeds, each in 3 formats


def test_navigation_leaves_out_empty_topics_but_their_pages_exist(site_dir: Path) -> None:
    from tests.sitekit import write_article

    write_article(site_dir, "heritage", "minaret", title="Minaret", date="2024-11-14")
    files = build_files(load_config(site_dir)).files
    nav = files["index.html"].decode().split("<nav", 1)[1].split("</nav>", 1)[0]
    assert "/topics/heritage/" in nav and "/topics/region/" not in nav
    assert "topics/region/index.html" in files and "topics/region/feed.xml" in files


def test_site_yaml_extra_reaches_templates(site_dir: Path) -> None:
    from tests.sitekit import write_article

    write_article(site_dir, "heritage", "minaret", title="Minaret", date="2024-11-14")
    with (site_dir / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("extra:\n  contact: desk@example.org\n")
    (site_dir / "templates").mkdir(exist_ok=True)
    (site_dir / "templates/article.html").write_text(
        '{% extends "theme/article.html" %}{% block main %}{{ super() }}'
        '<p class="contact">{{ site.extra.contact }}</p>{% endblock %}', encoding="utf-8")
    page = build_files(load_config(site_dir)).files["2024/11/minaret/index.html"].decode()
    assert '<p class="contact">desk@example.org</p>' in page
