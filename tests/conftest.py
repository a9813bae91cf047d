"""Shared fixtures: small sites written into a temporary folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: a quick budget on a developer's machine, a larger one in CI
# (`.ci/run` sets HYPOTHESIS_PROFILE=ci).
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

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
