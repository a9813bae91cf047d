"""`digest import` on the seed dump: six articles, every field right, and content/ reproducible."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.frontmatter import split

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "000_dfe1e9900b68862a.txt"
CHROME = ("Short Url", "Updated ", "Follow", "FASTFACT", "READ MORE", "--------", "Opinion",
          "This section contains", "(Reuters)", "•")


@pytest.fixture
def seeded(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[dict, str]]:
    """The seed imported into a fresh site: file path relative to content/ -> (front matter, body)."""
    assert main(["import", "--site", str(site_dir), str(SEED)]) == 0
    capsys.readouterr()
    content = site_dir / "content"
    articles = {}
    for path in sorted(content.rglob("*.md")):
        parsed = split(path.read_text(encoding="utf-8"), path)
        articles[path.relative_to(content).as_posix()] = (dict(parsed.meta), parsed.body)
    return articles


def _by_title(articles: dict[str, tuple[dict, str]], start: str) -> tuple[str, dict, str]:
    (path, (meta, body)), = [(p, a) for p, a in articles.items() if a[0]["title"].startswith(start)]
    return path, meta, body


def test_six_articles_with_their_topics(seeded: dict[str, tuple[dict, str]]) -> None:
    topics = {meta["title"][:30]: meta["topic"] for meta, _body in seeded.values()}
    assert topics == {
        "Iranian-backed Hezbollah stepp": "iraq-militias",
        "Israel’s attorney general tell": "israel-lebanon",
        "Israeli forces demolish Palest": "israel-lebanon",
        "Israeli strike kills 12 after ": "israel-lebanon",
        "‘A symbol of resilience’ — wor": "heritage",
        "US hands Lebanon draft truce p": "israel-lebanon",
    }
    for path, (meta, _body) in seeded.items():
        assert path.startswith(f"{meta['topic']}/")


def test_first_article_fields(seeded: dict[str, tuple[dict, str]]) -> None:
    path, meta, body = _by_title(seeded, "Iranian-backed Hezbollah")
    assert path == "iraq-militias/iranian-backed-hezbollah-stepping-in-to-guide-iraqi-militias-after-death-of.md"
    assert list(meta) == ["id", "title", "date", "dateline", "topic", "tags", "highlights", "images",
                          "factboxes", "read_more"]
    assert meta["date"] == date(2020, 2, 11)
    assert meta["dateline"] == "Baghdad"
    assert meta["highlights"] == [
        "Lebanese group sought to unite Iraqi militas in the face of vacuum left by general's killing",
        "Meetings between Hezbollah and Iraqi militia leaders began in January",
    ]
    assert [image["credit"] for image in meta["images"]] == ["Reuters"] * 3
    assert meta["images"][0]["caption"].startswith("Iranian people carry pictures")
    assert meta["images"][1]["caption"].startswith("Iranian clerics are seen")
    assert meta["images"][2]["caption"].startswith("An Iranian cleric is seen")
    assert meta["factboxes"] == [{
        "label": "FASTFACT", "title": "Death of Qassem Soleimani",
        "text": "A US air strike killed Iran’s top general Qassem Soleimani, 62, and six others after they had "
                "landed at Baghdad’s international airport in January.",
    }]
    assert meta["read_more"] == ["Arab News' spotlight -\u00a0Death Of Qassem Soleimani"]
    assert {"hezbollah", "qassem-soleimani", "mohammad-kawtharani", "baghdad"} <= set(meta["tags"])
    paragraphs = body.rstrip("\n").split("\n\n")
    assert paragraphs[0].startswith("Shortly after Iranian Major General Qassem Soleimani was killed")
    assert ("Officials with the governments of Iraq and Iran did not respond to requests for comment, "
            "nor did a spokesperson for the militia groups.") in paragraphs[2]
    assert len(paragraphs) == 25
    assert paragraphs[-1] == "If the Iraqi militias have their way, sources close to them say, these troops will be " \
                             "the first to depart."


def test_other_articles_fields(seeded: dict[str, tuple[dict, str]]) -> None:
    _path, meta, body = _by_title(seeded, "Israel’s attorney general")
    assert (meta["date"], meta["dateline"]) == (date(2024, 11, 15), "Jerusalem")
    assert meta["highlights"] == ["National Security Minister Itamar Ben-Gvir criticized for interfering in police "
                                  "matters"]
    assert len(body.split("\n\n")) == 5  # one paragraph per line: the page separated them by single breaks
    assert body.startswith("Israel’s Attorney General told Prime Minister Benjamin Netanyahu")
    _path, meta, body = _by_title(seeded, "Israeli forces demolish")
    assert (meta["date"], meta["dateline"], "london" in meta["tags"]) == (date(2024, 11, 15), "London", True)
    assert len(body.split("\n\n")) == 7 and "\u00a0\n" not in body and not body.endswith("\u00a0")
    _path, meta, body = _by_title(seeded, "Israeli strike kills 12")
    assert (meta["date"], meta["dateline"], len(body.split("\n\n"))) == (date(2024, 11, 14), "Cairo", 4)
    _path, meta, body = _by_title(seeded, "‘A symbol of resilience’")
    assert "dateline" not in meta and meta["date"] == date(2024, 11, 14)
    assert meta["highlights"][1] == "Tower and mosque were blown by Daesh extremists in 2017"
    assert {"al-nuri-mosque", "unesco", "islamic-state", "mosul"} <= set(meta["tags"])
    assert body.startswith("High above the narrow streets") and len(body.split("\n\n")) == 13
    path, meta, body = _by_title(seeded, "US hands Lebanon")
    assert path == "israel-lebanon/us-hands-lebanon-draft-truce-proposal-two-political-sources.md"
    assert (meta["dateline"], len(body.split("\n\n"))) == ("Beirut", 2)
    assert "source" not in meta  # no dateline gave one


def test_no_chrome_in_any_body(seeded: dict[str, tuple[dict, str]]) -> None:
    for meta, body in seeded.values():
        for marker in CHROME:
            assert marker not in body, (meta["title"], marker)
        assert meta["title"] not in body
        for image in meta.get("images", []):
            assert image["caption"] not in body


def test_ids_are_unique_and_stable(seeded: dict[str, tuple[dict, str]], site_dir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    ids = {meta["id"] for meta, _body in seeded.values()}
    assert len(ids) == 6 and all(len(i) == 12 for i in ids)
    assert main(["import", "--site", str(site_dir), str(SEED)]) == 0
    out = capsys.readouterr().out
    assert out.count("unchanged: ") == 6 and out.endswith("6 articles from 1 dump: 6 unchanged\n")


def test_repository_content_is_the_seed_imported(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """content/ in the repository is exactly what `digest import` makes of the seed (manifest included)."""
    assert main(["import", "--site", str(site_dir), str(SEED)]) == 0
    made = {p.relative_to(site_dir / "content").as_posix(): p.read_bytes()
            for p in (site_dir / "content").rglob("*") if p.is_file()}
    kept = {p.relative_to(ROOT / "content").as_posix(): p.read_bytes()
            for p in (ROOT / "content").rglob("*") if p.is_file()}
    assert made == kept


def test_importing_into_a_copy_of_the_repository_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "site.yaml", site)
    shutil.copytree(ROOT / "content", site / "content")
    assert main(["import", "--site", str(site), str(SEED)]) == 0
    assert capsys.readouterr().out.endswith("6 unchanged\n")
