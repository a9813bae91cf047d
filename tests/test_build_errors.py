"""Every kind of content mistake: one line `path:line: field: what is wrong (what would be right)`,
exit status 1, and the previous output left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_build_support import build, copy_fixture, digest, snapshot

GOOD = "title: A title\ndate: 2024-11-05\ntopic: alpha\n"
CASES = {
    "missing title": ("x.md", "---\ndate: 2024-11-05\ntopic: alpha\n---\nText.\n",
                      "x.md:1: title: is required (e.g. title: Ceasefire talks resume in Beirut)"),
    "misspelt title": ("x.md", "---\ntilte: A title\ndate: 2024-11-05\ntopic: alpha\n---\n",
                       "x.md:1: title: is required (found 'tilte': a typo?)"),
    "title not text": ("x.md", "---\ntitle: 1917\ndate: 2024-11-05\ntopic: alpha\n---\n",
                       "x.md:2: title: 1917 is a number, not text (write text; quote it if YAML reads it as "
                       "something else)"),
    "bad date": ("x.md", "---\ntitle: A title\ndate: yesterday\ntopic: alpha\n---\n",
                 "x.md:3: date: 'yesterday' is not a date (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS+03:00 with a time)"),
    "impossible date": ("x.md", "---\ntitle: A title\ndate: '2024-02-30'\ntopic: alpha\n---\n",
                        "x.md:3: date: '2024-02-30' is not a date (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS+03:00 "
                        "with a time)"),
    "unknown topic": ("x.md", "---\ntitle: A title\ndate: 2024-11-05\ntopic: gamma\n---\n",
                      "x.md:4: topic: 'gamma' is not a topic of site.yaml (use one of: alpha, beta, other)"),
    "bad tag": ("x.md", f"---\n{GOOD}tags: [hezbollah, Islamic State]\n---\n",
                "x.md:5: tags: 'Islamic State' is not a slug (use lowercase letters, digits and hyphens, "
                "e.g. 'islamic-state')"),
    "tags not a list": ("x.md", f"---\n{GOOD}tags: hezbollah\n---\n",
                        "x.md:5: tags: 'hezbollah' is not a list (write one tag slug per line, each starting "
                        "with '- ')"),
    "unsafe slug": ("x.md", f"---\n{GOOD}slug: ../../etc\n---\n",
                    "x.md:5: slug: '../../etc' is not a slug (use lowercase letters, digits and hyphens, "
                    "e.g. 'etc')"),
    "file name not a slug": ("Hello World.md", f"---\n{GOOD}---\n",
                             "Hello World.md:1: slug: the file name 'Hello World' is not a slug (rename the file "
                             "to hello-world.md or set slug: hello-world)"),
    "draft not a boolean": ("x.md", f"---\n{GOOD}draft: maybe\n---\n", "x.md:5: draft: 'maybe' is not true or false"),
    "caption missing": ("x.md", f"---\n{GOOD}images:\n  - credit: AFP\n---\n",
                        "x.md:6: images[0].caption: is required (write caption: and its text)"),
    "unknown factbox key": ("x.md", f"---\n{GOOD}factboxes:\n  - label: FACT\n    text: T\n    colour: red\n---\n",
                            "x.md:8: factboxes[0].colour: unknown key (known keys: label, title, text)"),
    "empty highlight": ("x.md", f"---\n{GOOD}highlights:\n  - ''\n---\n",
                        "x.md:5: highlights: is empty (write some text or remove the key)"),
    "script url": ("x.md", f"---\n{GOOD}url: javascript:alert(1)\n---\n",
                   "x.md:5: url: 'javascript:alert(1)' is not a web address (write the original page's http:// or "
                   "https:// URL, with characters such as spaces and quotes percent-encoded)"),
    "relative url": ("x.md", f"---\n{GOOD}url: /node/1\n---\n",
                     "x.md:5: url: '/node/1' is not a web address (write the original page's http:// or https:// "
                     "URL, with characters such as spaces and quotes percent-encoded)"),
    "quote in url": ("x.md", f"---\n{GOOD}url: 'https://example.org/?q=\"x\"'\n---\n",
                     "x.md:5: url: 'https://example.org/?q=\"x\"' is not a web address (write the original page's "
                     "http:// or https:// URL, with characters such as spaces and quotes percent-encoded)"),
    "author not text": ("x.md", f"---\n{GOOD}author: [Reuters, AFP]\n---\n",
                        "x.md:5: author: ['Reuters', 'AFP'] is a list, not text (write text; quote it if YAML reads "
                        "it as something else)"),
    "no front matter": ("x.md", "Just text.\n", "x.md:1: no front matter (the file must start with a '---' line)"),
    "control character": ("x.md", f"---\n{GOOD}---\n\nLine one.\nA bell \x07 here.\n",
                          "x.md:8: contains the control character U+0007 (remove it)"),
    "same URL": ("first-strike.md", "---\ntitle: Again\ndate: 2024-11-20\ntopic: beta\n---\n",
                 "first-strike.md:3: slug: the URL /2024/11/first-strike/ is also that of "
                 "{site}/content/alpha/first-strike.md (give one of them another slug:)"),
    "same id": ("x.md", f"---\nid: fixture-2024-11-01-first-strike\n{GOOD}---\n",
                "x.md:2: id: 'fixture-2024-11-01-first-strike' is also the id of {site}/content/alpha/"
                "first-strike.md (ids must be unique: feed readers tell articles apart by them)"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The fixture site, already built once: the output the failing builds must leave alone."""
    site = copy_fixture(tmp_path)
    build(site)
    return site


def _fails_cleanly(site: Path) -> list[str]:
    before = snapshot(site / "public")
    run = digest("build", "--site", site)
    assert run.code == 1 and run.out == "" and "Traceback" not in run.err
    assert snapshot(site / "public") == before  # same files, same bytes, same modification times
    lines = run.err.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    return [line.removeprefix("error: ") for line in lines]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_content_error_is_one_line_and_output_untouched(site: Path, case: str) -> None:
    name, text, expected = CASES[case]
    (site / "content/beta" / name).write_text(text, encoding="utf-8")
    assert _fails_cleanly(site) == [f"{site}/content/beta/{expected.format(site=site)}"]


def test_url_clash_is_reported_at_the_slug_that_made_it(site: Path) -> None:
    beta = site / "content/beta"
    # aaa.md sorts first and sets the slug; zzz-clash.md only has the file name that clashes.
    (beta / "aaa.md").write_text("---\ntitle: A\ndate: 2024-11-05\ntopic: beta\nslug: zzz-clash\n---\n",
                                 encoding="utf-8")
    (beta / "zzz-clash.md").write_text("---\ntitle: Z\ndate: 2024-11-20\ntopic: beta\n---\n", encoding="utf-8")
    assert _fails_cleanly(site) == [f"{beta}/aaa.md:5: slug: the URL /2024/11/zzz-clash/ is also that of "
                                    f"{beta}/zzz-clash.md (give one of them another slug:)"]


def test_not_utf8(site: Path) -> None:
    (site / "content/beta/latin.md").write_bytes(f"---\n{GOOD}---\nCaf\xe9\n".encode("latin-1"))
    assert _fails_cleanly(site) == [f"{site}/content/beta/latin.md: is not UTF-8 text (save it as UTF-8)"]


def test_invalid_yaml(site: Path) -> None:
    (site / "content/beta/x.md").write_text("---\ntitle: [unclosed\ndate: 2024-11-05\n---\n", encoding="utf-8")
    [line] = _fails_cleanly(site)
    # The wording is PyYAML's (LibYAML's or the pure-Python loader's); the place is ours: the line where
    # the unclosed list begins, not the line after, where the parser gave up.
    assert line.startswith(f"{site}/content/beta/x.md:2: invalid YAML: ") and "expected ',' or ']'" in line


def test_all_problems_in_all_files_in_one_run(site: Path) -> None:
    (site / "content/alpha/a.md").write_text("---\ntitle: A\ndate: soon\ntopic: nowhere\n---\n", encoding="utf-8")
    (site / "content/beta/b.md").write_text("---\ndate: 2024-01-01\ntopic: beta\ntags: [Bad Tag]\n---\n",
                                            encoding="utf-8")
    lines = _fails_cleanly(site)
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{site}/content/alpha/a.md:3", "date"],
        [f"{site}/content/alpha/a.md:4", "topic"],
        [f"{site}/content/beta/b.md:1", "title"],
        [f"{site}/content/beta/b.md:4", "tags"],
    ]


def test_template_error_names_template_line(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text('{% extends "base.html" %}\n{% block main %}\n<h1>{{ nope }}</h1>\n'
                                            "{% endblock %}\n", encoding="utf-8")
    assert _fails_cleanly(site) == [f"{site}/templates/404.html:3: template error: UndefinedError: 'nope' is "
                                    "undefined (rendering 404.html)"]
    (site / "templates/404.html").write_text("{% block main %}\n{% if %}\n", encoding="utf-8")
    assert _fails_cleanly(site) == [f"{site}/templates/404.html:2: template error: Expected an expression, "
                                    "got 'end of statement block'"]


def test_a_missing_template_is_named_at_the_line_that_asks_for_it(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text('{% extends "theme/nosuch.html" %}\n', encoding="utf-8")
    assert _fails_cleanly(site) == [f"{site}/templates/404.html:1: template 'theme/nosuch.html' not found "
                                    "(in templates/ or the default theme)"]
    (site / "templates/404.html").write_text('{% extends "base.html" %}\n{% block main %}\n'
                                            '{% include "partials/x.html" %}\n{% endblock %}\n', encoding="utf-8")
    assert _fails_cleanly(site) == [f"{site}/templates/404.html:3: template 'partials/x.html' not found "
                                    "(in templates/ or the default theme)"]


def test_template_errors_are_named_as_content_errors_are_run_in_the_site(site: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text('{% extends "base.html" %}\n{% block main %}{{ nope }}{% endblock %}\n',
                                            encoding="utf-8")
    monkeypatch.chdir(site)
    run = digest("build")
    assert run.code == 1 and run.err.startswith("error: templates/404.html:2: template error: "), run.err


def test_missing_content_folder(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    for path in sorted((site / "content").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (site / "content").rmdir()
    run = digest("build", "--site", site)
    assert run.code == 1
    assert run.err == f"error: {site}/content: not found (articles go in content/, e.g. written by `digest import`)\n"


def test_every_bad_tag_of_a_list_is_named(site: Path) -> None:
    (site / "content/beta/tags.md").write_text(
        f"---\n{GOOD}tags: [fine, '../../etc', 'a/b', Foo Bar]\n---\n", encoding="utf-8")
    [line] = _fails_cleanly(site)
    assert line.startswith(f"{site}/content/beta/tags.md:5: tags: '../../etc' is not a slug")
    assert "'a/b' is not a slug" in line and "'Foo Bar' is not a slug" in line
