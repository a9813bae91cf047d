"""`digest tags suggest`: recurring names the vocabulary does not know, ready to paste into site.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.site.frontmatter import split

ROOT = Path(__file__).resolve().parent.parent
DUMPS = sorted((ROOT / "tests" / "fixtures" / "dumps").glob("[0-9]*.txt"))
SEED = ROOT / "sources" / "000_dfe1e9900b68862a.txt"


def _suggest(site: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["tags", "suggest", "--site", str(site), *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out.splitlines()


def _tags(site: Path) -> set[str]:
    return {tag for path in (site / "content").rglob("*.md")
            for tag in split(path.read_text(encoding="utf-8"), path).meta.get("tags", [])}


def test_recurring_unknown_names_are_listed_pasted_and_then_known(site_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(site_dir)
    assert main(["import", str(SEED), *map(str, DUMPS)]) == 0
    capsys.readouterr()
    assert not {"saudi-arabia", "asaib-ahl-al-haq", "reuters"} & _tags(site_dir)  # import never invents a tag
    lines = _suggest(site_dir, capsys)
    assert lines[0].startswith("# 4 names recur in content and match no tag's name or aliases")
    entries = [line.split("  # ")[0] for line in lines[1:]]
    assert entries == [
        "  - {slug: reuters, name: Reuters}",
        "  - {slug: saudi-arabia, name: Saudi Arabia}",
        "  - {slug: asaib-ahl-al-haq, name: Asaib Ahl al-Haq}",
        "  - {slug: tyre, name: Tyre}",
    ]
    assert lines[2].endswith("  # 3 articles, e.g. content/israel-lebanon/"
                             "israeli-strikes-hit-southern-lebanon-as-ceasefire-talks-stall.md")
    # Pasted under `tags:` (the last key of site.yaml), the names become tags at the next import.
    with (site_dir / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines[2:4]) + "\n")
    assert main(["import", str(SEED), *map(str, DUMPS)]) == 0
    assert "updated: " in capsys.readouterr().out
    assert {"saudi-arabia", "asaib-ahl-al-haq"} <= _tags(site_dir)
    assert [line.split("  # ")[0] for line in _suggest(site_dir, capsys)[1:]] == [
        "  - {slug: reuters, name: Reuters}", "  - {slug: tyre, name: Tyre}"]


def test_names_found_once_need_a_lower_minimum(site_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(site_dir)
    assert main(["import", str(SEED)]) == 0
    capsys.readouterr()
    once = _suggest(site_dir, capsys, "--min-articles", "1")
    assert any(line.startswith("  - {slug: saddam-hussein, name: Saddam Hussein}  # 1 article, e.g. ")
               for line in once)
    assert any("aliases: [Allawi]" in line for line in once)  # a surname alone folds into the full name
    assert not any("Prime Minister" in line or "Thursday" in line for line in once)
    assert _suggest(site_dir, capsys, "--min-articles", "9") == [
        "# no name recurs in 9 or more articles of content without a tag"]


def test_a_missing_content_folder_is_an_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "site.yaml").write_text((ROOT / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["tags", "suggest", "--site", str(tmp_path)]) == 1
    assert "no such folder" in capsys.readouterr().err
