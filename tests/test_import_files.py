"""`digest import` and the files it finds: re-imports, hand edits, --force, --dry-run, stdin, bad inputs."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.frontmatter import split

DUMPS = Path(__file__).resolve().parent / "fixtures" / "dumps"
LEBANON = DUMPS / "02_crlf_no_short_url.txt"
LEBANON_FILE = "israel-lebanon/lebanese-army-deploys-south-of-the-litani-after-truce-talks.md"


def _run(site: Path, capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", "--site", str(site), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _tree(site: Path) -> dict[str, bytes]:
    content = site / "content"
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _changed_dump(tmp_path: Path, old: str, new: str, source: Path = LEBANON) -> Path:
    dump = tmp_path / "changed.txt"
    data = source.read_bytes()
    assert old.encode() in data
    dump.write_bytes(data.replace(old.encode(), new.encode()))
    return dump


def test_dry_run_writes_nothing_and_says_what_it_would_do(site_dir: Path, capsys) -> None:
    code, out, _err = _run(site_dir, capsys, "--dry-run", LEBANON)
    assert code == 0 and _tree(site_dir) == {}
    assert out == (f"would create: {site_dir / 'content' / LEBANON_FILE}\n"
                   "1 article from 1 dump: 1 would create (dry run: nothing written)\n")


def test_manifest_records_what_was_written_and_no_temporary_file_is_left(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    assert sorted(_tree(site_dir)) == [".digest-import.json", LEBANON_FILE]
    manifest = json.loads((site_dir / "content" / ".digest-import.json").read_text(encoding="utf-8"))
    (record,) = manifest["articles"].values()
    assert record["path"] == LEBANON_FILE and record["topic"] == "israel-lebanon"


def test_hand_edited_file_is_kept(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    article = site_dir / "content" / LEBANON_FILE
    _edit(article, "residents said.", "residents told Arab News.")
    before = _tree(site_dir)
    code, out, _err = _run(site_dir, capsys, LEBANON)
    assert code == 0 and _tree(site_dir) == before
    assert out.startswith(f"kept your edits: {article} (edited by hand; the dump brings nothing new)\n")


def test_changed_dump_updates_an_untouched_file(site_dir: Path, tmp_path: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    dump = _changed_dump(tmp_path, "residents said.", "residents and officials said.")
    code, out, _err = _run(site_dir, capsys, dump)
    assert code == 0 and out.startswith("updated: ")
    assert "residents and officials said." in (site_dir / "content" / LEBANON_FILE).read_text(encoding="utf-8")
    assert _run(site_dir, capsys, dump)[1].endswith("1 unchanged\n")


def test_edited_here_and_changed_in_the_dump_is_a_conflict_until_forced(
        site_dir: Path, tmp_path: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    article = site_dir / "content" / LEBANON_FILE
    _edit(article, "residents said.", "residents told Arab News.")
    dump = _changed_dump(tmp_path, "on Tuesday", "on Tuesday morning")
    edited = article.read_bytes()
    code, out, err = _run(site_dir, capsys, dump)
    assert code == 1 and out.startswith("conflict: ") and "--force replaces it" in out
    assert err == ("digest import: 1 conflict needs your attention: your edited files were kept "
                   "(--force replaces them with the dump's version)\n")
    assert article.read_bytes() == edited
    code, out, _err = _run(site_dir, capsys, "--force", dump)
    assert code == 0 and out.startswith("overwrote your edits: ")
    assert "on Tuesday morning" in article.read_text(encoding="utf-8")
    assert _run(site_dir, capsys, dump)[1].endswith("1 unchanged\n")


def test_editor_topic_and_tags_win_over_the_classifier(site_dir: Path, tmp_path: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    article = site_dir / "content" / LEBANON_FILE
    _edit(article, "topic: israel-lebanon\ntags:\n- hezbollah\n", "topic: region\ntags:\n- hezbollah\n- tyre\n")
    edited = article.read_bytes()
    assert _run(site_dir, capsys, LEBANON)[1].startswith("unchanged: ")  # the editor's choice is what it writes
    assert article.read_bytes() == edited
    dump = _changed_dump(tmp_path, "residents said.", "residents and officials said.")
    code, out, _err = _run(site_dir, capsys, "--explain", dump)
    moved = site_dir / "content" / "region" / article.name
    assert out.startswith(f"updated: {moved} (moved from {LEBANON_FILE})\n")
    assert "  topic written: region (yours, from the file: it wins over the classifier)" in out
    assert "  tags written: hezbollah, tyre, israel, lebanon, beirut (yours, from the file: they win)" in out
    meta = split(moved.read_text(encoding="utf-8"), moved).meta
    assert (meta["topic"], meta["tags"]) == ("region", ["hezbollah", "tyre", "israel", "lebanon", "beirut"])
    assert not article.exists()
    assert _run(site_dir, capsys, dump)[1].endswith("1 unchanged\n")


def test_new_site_settings_move_untouched_files(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    _edit(site_dir / "site.yaml", "topic_min_score: 4", "topic_min_score: 400")
    code, out, _err = _run(site_dir, capsys, LEBANON)
    assert out.startswith(f"updated: {site_dir / 'content' / 'region' / Path(LEBANON_FILE).name} "
                          f"(moved from {LEBANON_FILE}; no topic scored 400 or more: fallback topic region)")
    assert sorted(_tree(site_dir)) == [".digest-import.json", f"region/{Path(LEBANON_FILE).name}"]


def test_id_never_changes_when_the_title_is_edited(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    article = site_dir / "content" / LEBANON_FILE
    before = split(article.read_text(encoding="utf-8"), article).meta["id"]
    _edit(article, "title: Lebanese army deploys", "title: Lebanon's army deploys")
    assert _run(site_dir, capsys, LEBANON)[1].startswith("kept your edits: ")
    assert split(article.read_text(encoding="utf-8"), article).meta["id"] == before


def test_deleted_file_is_created_again(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    (site_dir / "content" / LEBANON_FILE).unlink()
    assert _run(site_dir, capsys, LEBANON)[1].startswith("created: ")


def test_same_headline_on_another_day_gets_its_own_slug(site_dir: Path, tmp_path: Path, capsys) -> None:
    later = _changed_dump(tmp_path, "Updated 3 December 2024", "Updated 4 December 2024")
    code, out, _err = _run(site_dir, capsys, LEBANON, later, LEBANON)
    lines = out.splitlines()
    assert lines[1].endswith("lebanese-army-deploys-south-of-the-litani-after-truce-talks-2.md")
    assert lines[2].startswith("duplicate: ") and lines[2].endswith(
        f"{LEBANON_FILE} (same headline and date as an article above: skipped)")
    assert lines[3] == "3 articles from 3 dumps: 2 created, 1 duplicate"


def test_standard_input_and_content_dir(site_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LEBANON.read_bytes())))
    elsewhere = tmp_path / "articles"
    code, out, _err = _run(site_dir, capsys, "--content-dir", elsewhere, "-")
    assert code == 0 and (elsewhere / LEBANON_FILE).is_file() and _tree(site_dir) == {}


def test_a_file_with_the_same_id_that_import_did_not_write_is_a_conflict(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    (site_dir / "content" / ".digest-import.json").unlink()
    assert _run(site_dir, capsys, LEBANON)[1].startswith("unchanged: ")  # same bytes: adopted again
    (site_dir / "content" / ".digest-import.json").unlink()
    _edit(site_dir / "content" / LEBANON_FILE, "residents said.", "residents told Arab News.")
    assert _run(site_dir, capsys, LEBANON)[1].startswith("conflict: ")


def test_broken_manifest_is_an_error(site_dir: Path, capsys) -> None:
    _run(site_dir, capsys, LEBANON)
    (site_dir / "content" / ".digest-import.json").write_text("{not json", encoding="utf-8")
    code, out, err = _run(site_dir, capsys, LEBANON)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and ".digest-import.json: not an import manifest" in err


@pytest.mark.parametrize(("name", "message"), [
    ("bad_empty.txt", "is empty"),
    ("bad_blank.txt", "is empty"),
    ("bad_no_article.txt", "no article found (an article is a headline, an 'Updated 15 November 2024' line, "
                           "then the headline again and the text)"),
    ("bad_binary.png", "is a binary file, not a text dump"),
    ("bad_latin1.txt", "is not UTF-8 text (byte 0xe9 at offset 3)"),
    ("missing.txt", "no such file"),
    ("", "is a folder, not a dump file"),
])
def test_bad_input_is_one_clear_line_and_nothing_is_written(site_dir: Path, capsys, name: str, message: str) -> None:
    code, out, err = _run(site_dir, capsys, DUMPS / name, LEBANON)
    assert code == 1 and out == "" and _tree(site_dir) == {}
    (line,) = err.splitlines()
    assert line.startswith(f"error: {DUMPS / name}") and line.endswith(f": {message}")


def test_every_bad_input_is_reported(site_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _out, err = _run(site_dir, capsys, DUMPS / "bad_empty.txt", LEBANON, "-", DUMPS / "nope.txt",
                           DUMPS / "bad_date.txt")
    assert code == 1 and _tree(site_dir) == {}
    assert err.splitlines() == [
        f"error: {DUMPS / 'bad_empty.txt'}: is empty",
        "error: <stdin>: is empty",
        f"error: {DUMPS / 'nope.txt'}: no such file",
        f"error: {DUMPS / 'bad_date.txt'}:4: 'Updated 31 February 2024' is not a real date "
        "(day is out of range for month)",
    ]


@pytest.mark.parametrize(("name", "line", "message"), [
    ("bad_date.txt", 4, "'Updated 31 February 2024' is not a real date (day is out of range for month)"),
    ("bad_no_text.txt", 1, "article 'A headline with nothing under it' has no text"),
])
def test_an_unreadable_article_alone_is_reported_and_nothing_is_written(
        site_dir: Path, capsys, name: str, line: int, message: str) -> None:
    code, out, err = _run(site_dir, capsys, DUMPS / name)
    assert code == 1 and _tree(site_dir) == {}
    assert out == "1 article from 1 dump: 1 not imported\n"
    assert err.splitlines() == [f"error: {DUMPS / name}:{line}: {message}",
                                "digest import: 1 article not imported (see the errors above); everything else was"]
