"""What a build with nothing to do imports: none of what parses, plans or renders (Jinja, markdown-it, Babel's
formatters, the worker pool), which is most of digest's start-up. Checked in a fresh interpreter; the time
it saves is measured in benchmarks/, not here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.sitekit import write_article

NOT_NEEDED = ("jinja2", "markdown_it", "babel.dates", "babel.numbers", "multiprocessing", "subprocess",
              "generator.engine.parallel", "generator.pages.render", "generator.pages.plan", "generator.site.parse")
PROBE = """
import json, sys
from generator.cli import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(sys.modules)]))
"""


def modules_of_a_build(site: Path) -> tuple[int, set[str]]:
    run = subprocess.run([sys.executable, "-c", PROBE, "build", "--site", str(site)], capture_output=True,
                         text=True, check=True, timeout=120)
    status, modules = json.loads(run.stdout.splitlines()[-1])
    return status, set(modules)


@pytest.mark.parametrize("search", [False, True])
def test_a_build_with_nothing_to_do_imports_nothing_that_renders(site_dir: Path, search: bool) -> None:
    config = site_dir / "site.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\nsearch: true " in text
    config.write_text(text.replace("\nsearch: true ", f"\nsearch: {str(search).lower()} "), encoding="utf-8")
    for i in range(3):
        write_article(site_dir, "heritage", f"story-{i}", title=f"Story {i}", date=f"2024-03-0{i + 1}")
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    status, modules = modules_of_a_build(site_dir)
    assert status == 0
    assert [m for m in NOT_NEEDED if m in modules] == []
    if not search:
        assert "importlib.metadata" not in modules  # Pagefind's version is looked up for an index only
    # Something to do: the same build imports what it needs.
    write_article(site_dir, "heritage", "story-0", title="Story zero", date="2024-03-01")
    status, modules = modules_of_a_build(site_dir)
    assert status == 0 and {"jinja2", "generator.engine.parallel"} <= modules
