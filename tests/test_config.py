from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import DigestError
from generator.site.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def test_project_site_yaml_loads() -> None:
    config = load_config(ROOT)
    slugs = [t.slug for t in config.topics]
    assert slugs[:3] == ["iraq-militias", "israel-lebanon", "heritage"]
    assert config.fallback_topic.slug == "region"
    assert config.base_url.endswith("/")
    islamic_state = next(t for t in config.tags if t.slug == "islamic-state")
    assert "Daesh" in islamic_state.aliases


def _write(site: Path, text: str) -> None:
    (site / "site.yaml").write_text(text, encoding="utf-8")


def test_unknown_key_names_file_line_and_key(site_dir: Path) -> None:
    text = (site_dir / "site.yaml").read_text(encoding="utf-8")
    _write(site_dir, text.replace("page_size: 10", "page_size: 10\npage_sise: 5"))
    with pytest.raises(DigestError) as info:
        load_config(site_dir)
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("page_size"))) + 2
    assert f"site.yaml:{line}: page_sise: unknown key" in str(info.value)


def test_all_config_errors_reported_together(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(site_dir, "title: 3\ntimezone: Mars/Olympus\npage_size: 0\nbase_url: ftp://x\ntopics: []\n")
    assert main(["import", "--site", str(site_dir), "-"]) == 1
    err = capsys.readouterr().err
    assert "site.yaml:1: title: 3 is not text" in err
    assert "site.yaml:2: timezone: 'Mars/Olympus' is not an IANA time zone" in err
    assert "site.yaml:3: page_size: 0 must be 1 or more" in err
    assert "site.yaml:4: base_url:" in err
    assert "Traceback" not in err


def test_topic_needs_exactly_one_fallback(site_dir: Path) -> None:
    _write(site_dir, "title: T\ntopics:\n  - slug: a\n    title: A\n  - slug: B c\n    title: B\n")
    with pytest.raises(DigestError) as info:
        load_config(site_dir)
    message = str(info.value)
    assert "site.yaml:5: topics[1].slug: 'B c' is not a slug" in message
    assert "exactly one topic must have 'fallback: true'" in message


def test_yaml_python_tags_are_refused_not_run(site_dir: Path) -> None:
    _write(site_dir, "title: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(DigestError) as info:
        load_config(site_dir)
    assert "site.yaml:1:" in str(info.value)
    assert "constructor" in str(info.value)


def test_missing_site_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--site", str(tmp_path), "-"]) == 1
    assert "site.yaml: not found" in capsys.readouterr().err
