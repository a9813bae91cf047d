"""Partial import, the self-check and `--strict`: one odd article never costs the others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.importer.check import check
from generator.importer.clean import Article, Image, Paragraph
from generator.site.frontmatter import split

DUMPS = Path(__file__).resolve().parent / "fixtures" / "dumps"
PARTIAL = DUMPS / "partial_headline_after_follow.txt"


def _run(site: Path, capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", "--site", str(site), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _written(site: Path) -> dict[str, dict]:
    return {p.relative_to(site / "content").as_posix(): dict(split(p.read_text(encoding="utf-8"), p).meta)
            for p in sorted((site / "content").rglob("*.md"))}


def test_bad_articles_are_reported_with_their_line_and_the_others_imported(site_dir: Path, capsys) -> None:
    code, out, err = _run(site_dir, capsys, PARTIAL)
    assert code == 1
    assert err.splitlines() == [
        f"error: {PARTIAL}:41: 'Updated 31 April 2024' is not a real date (day is out of range for month)",
        f"error: {PARTIAL}:49: 'Updated 20 May 2024' has no headline (neither above it nor after 'Follow')",
        "digest import: 2 articles not imported (see the errors above); everything else was",
    ]
    assert out.splitlines()[-1] == "5 articles from 1 dump: 3 created, 2 not imported"
    written = _written(site_dir)
    assert [meta["title"] for meta in written.values()] == [
        "Restorers finish first phase of work on Aleppo’s Umayyad Mosque minaret",
        "Kataib Hezbollah buries commander killed in drone strike",
        "Lebanese army reinforces border posts after Israeli shelling",
    ]
    first = written["iraq-militias/kataib-hezbollah-buries-commander-killed-in-drone-strike.md"]
    # A gallery, no headline above the stamp, the headline twice after Follow:
    assert [image["credit"] for image in first["images"]] == ["AFP", "Reuters"]
    assert first["highlights"] == ["Thousands marched behind the coffin through eastern Baghdad"]
    assert first["read_more"] == ["Iraq’s prime minister says US-led coalition should leave"]
    # The headline once after Follow, below the previous article's READ MORE block: not a phantom article,
    # and the previous article keeps its last paragraph.
    second = written["israel-lebanon/lebanese-army-reinforces-border-posts-after-israeli-shelling.md"]
    assert (second["date"], second["dateline"]) == (date(2024, 5, 18), "Beirut")
    body = (site_dir / "content" / "iraq-militias" /
            "kataib-hezbollah-buries-commander-killed-in-drone-strike.md").read_text(encoding="utf-8")
    assert body.endswith("The militia blamed the United States for the strike, which Washington has not claimed.\n")
    # Importing again: the same errors, the good articles unchanged.
    code, out, _err = _run(site_dir, capsys, PARTIAL)
    assert code == 1 and out.splitlines()[-1] == "5 articles from 1 dump: 3 unchanged, 2 not imported"


def test_dry_run_reports_the_same_and_writes_nothing(site_dir: Path, capsys) -> None:
    code, out, err = _run(site_dir, capsys, "--dry-run", PARTIAL)
    assert code == 1 and _written(site_dir) == {} and not (site_dir / "content" / ".digest-import.json").exists()
    assert out.splitlines()[-1] == "5 articles from 1 dump: 3 would create, 2 not imported (dry run: nothing written)"
    assert err.count("error: ") == 2


def test_a_whole_input_problem_still_refuses_the_run(site_dir: Path, capsys) -> None:
    code, out, err = _run(site_dir, capsys, PARTIAL, DUMPS / "bad_empty.txt")
    assert code == 1 and out == "" and _written(site_dir) == {}
    assert err.splitlines() == [  # every problem of the run, in input order
        f"error: {PARTIAL}:41: 'Updated 31 April 2024' is not a real date (day is out of range for month)",
        f"error: {PARTIAL}:49: 'Updated 20 May 2024' has no headline (neither above it nor after 'Follow')",
        f"error: {DUMPS / 'bad_empty.txt'}: is empty",
    ]


DATELINE_NOT_UNDERSTOOD = """\
Israeli strikes hit Tyre as envoy heads to Beirut

Short Url
Updated 19 November 2024
Follow

Israeli strikes hit Tyre as envoy heads to Beirut

TYRE, on Tuesday (Reuters) - Israeli strikes hit the southern Lebanese city of Tyre on Tuesday.

Residents said several buildings collapsed.
"""


def test_a_body_that_still_looks_like_chrome_is_a_warning_and_an_error_with_strict(
        site_dir: Path, tmp_path: Path, capsys) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text(DATELINE_NOT_UNDERSTOOD + "\n\n" + (DUMPS / "02_crlf_no_short_url.txt").read_text("utf-8"),
                    encoding="utf-8")
    code, out, err = _run(site_dir, capsys, "--dry-run", dump)
    assert code == 0
    assert err == (f"warning: {dump}:9: the first paragraph still opens with a dateline "
                   "('TYRE, on Tuesday (Reuters) - Israeli strikes hit the southe…')\n")
    assert out.splitlines()[-1] == "2 articles from 1 dump: 2 would create; 1 warning (dry run: nothing written)"
    code, out, err = _run(site_dir, capsys, "--strict", dump)
    assert code == 1
    assert err.splitlines()[0] == (f"error: {dump}:9: the first paragraph still opens with a dateline "
                                   "('TYRE, on Tuesday (Reuters) - Israeli strikes hit the southe…')")
    assert out.splitlines()[-1] == "2 articles from 1 dump: 1 created, 1 not imported"
    assert [meta["title"] for meta in _written(site_dir).values()] == [
        "Lebanese army deploys south of the Litani after truce talks"]


def _article(*paragraphs: str, title: str = "Rescuers search rubble in Baalbek") -> Article:
    return Article(title=title, line=3, published=date(2024, 11, 8), dateline=None, source=None, highlights=(),
                   images=(Image("A caption.", "AFP"),), factboxes=(), read_more=(),
                   paragraphs=tuple(Paragraph(text, line=10 + i) for i, text in enumerate(paragraphs)))


@pytest.mark.parametrize(("text", "what"), [
    ("Short Url", "the text holds a page header line"),
    ("Follow", "the text holds a page header line"),
    ("Updated 8 November 2024 10:32", "the text holds a page header line"),
    ("3 / 7", "the text holds a gallery counter"),
    ("• Rescuers worked through the night", "the text holds a bullet highlight"),
    ("Rescuers search the rubble of a building in Baalbek. (Reuters)", "the text holds a photo caption with a credit"),
    ("FASTFACT", "the text holds a box label"),
    ("READ MORE: Israeli strike kills 12 in Baalbek", "the text holds a READ MORE line"),
    ("This section contains relevant reference points, placed in (Opinion field)",
     "the text holds a scraper placeholder"),
])
def test_every_kind_of_chrome_left_in_a_body_is_found_with_its_line(text: str, what: str) -> None:
    (warning,) = check(_article("Rescuers searched the rubble on Friday.", text), "dump.txt")
    assert str(warning).startswith(f"dump.txt:11: {what} ({text[:40]!r}"[:-1])


def test_a_body_starting_with_the_headline_or_a_dateline_is_found() -> None:
    (warning,) = check(_article("Rescuers search rubble in Baalbek: rescuers searched the rubble."), "d")
    assert str(warning).startswith("d:10: the text starts with the headline")
    (warning,) = check(_article("BAALBEK – Rescuers searched the rubble on Friday."), "d")
    assert str(warning).startswith("d:10: the first paragraph still opens with a dateline")


def test_a_clean_body_has_no_warning() -> None:
    assert check(_article("Rescuers searched the rubble on Friday.", "What comes next",
                          "UNESCO said it would help (as it did in Mosul)."), "d") == ()


def test_the_seed_and_every_fixture_import_without_warnings(site_dir: Path, capsys) -> None:
    seed = Path(__file__).resolve().parent.parent / "sources" / "000_dfe1e9900b68862a.txt"
    code, out, err = _run(site_dir, capsys, "--strict", "--dry-run", seed, *sorted(DUMPS.glob("[0-9]*.txt")))
    assert code == 0 and err == "" and "warning" not in out
