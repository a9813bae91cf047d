"""Parsing and rendering in worker processes give the bytes of one process, errors included."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.engine import parallel
from tests.sitekit import write_article
from tests.test_cache import TOPIC, populate, tree


@pytest.fixture(autouse=True)
def small_work_uses_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)


@pytest.mark.parametrize("cache", [True, False])
def test_parallel_build_equals_sequential(site_dir: Path, tmp_path: Path, cache: bool) -> None:
    populate(site_dir)
    flag = [] if cache else ["--no-cache"]
    assert main(["build", "--site", str(site_dir), "--output", str(tmp_path / "one"), "--jobs", "1", "--no-cache",
                 "--quiet"]) == 0
    assert main(["build", "--site", str(site_dir), "--output", str(tmp_path / "two"), "--jobs", "2", "--quiet",
                 *flag]) == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_run_chunks_keeps_order() -> None:
    items = list(range(37))
    assert parallel.run_chunks(lambda k, chunk: [k * i for i in chunk], 3, items, jobs=2) == [3 * i for i in items]


@pytest.mark.parametrize("runs", [range(0), range(0, 900), range(5, 700), range(899, 900)])
def test_run_chunks_keeps_order_with_runs(runs: range) -> None:
    items = list(range(900))
    assert parallel.run_chunks(lambda k, chunk: [k * i for i in chunk], 3, items, jobs=2, runs=runs) == \
        [3 * i for i in items]


def test_deal_gives_runs_of_neighbours_and_every_item_once() -> None:
    places = parallel._deal(100, 8, range(10, 90))
    assert sorted(j for place in places for j in place) == list(range(100))
    assert places[0][:10] == list(range(10, 20))  # the first run, then every 8th of the others
    assert places[0][10:] == [0, 8, 96]  # of 0-9 and 90-99


def test_errors_from_workers_are_all_reported(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    populate(site_dir)
    write_article(site_dir, TOPIC, "bad-date", title="Bad", date="yesterday")
    write_article(site_dir, "nowhere", "bad-topic", title="Bad", date="2024-01-01")
    assert main(["build", "--site", str(site_dir), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "bad-date.md" in err and "date" in err and "bad-topic.md" in err and "topic" in err


def test_template_error_in_a_worker_names_the_template(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    populate(site_dir)
    (site_dir / "templates" / "tag.html").write_text("{{ no_such_name }}", encoding="utf-8")
    assert main(["build", "--site", str(site_dir), "--jobs", "2"]) == 1
    assert "tag.html:1: template error" in capsys.readouterr().err
