"""Shared fixtures: small sites written into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A copy of the project's site.yaml, templates and static files, with an empty content/."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    for name in ("templates", "static"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, site / name)
    (site / "content").mkdir()
    return site
