"""The layout of generator/: imports run one way (the import-linter contracts in pyproject.toml), no import
cycle, no module over 400 lines, and every subpackage is packaged. A wrong import fails here, in CI."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
MAX_LINES = 400
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package and contracts in `root` (this Python's import-linter; no cache written)."""
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo", str(root / "pyproject.toml")],
                          cwd=root, capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " kept, 0 broken." in result.stdout, result.stdout


# A wrong import of each kind the contracts forbid, and the contract that must catch it.
WRONG = [
    ("site/model.py", "from generator.pages import context", "Stages import only the stages below them"),
    ("pages/render.py", "from generator.publish import output", "Stages import only the stages below them"),
    ("importer/emit.py", "from generator.engine import load", "Stages import only the stages below them"),
    ("engine/incremental.py", "from generator.engine import build",
     "Inside the engine, only the CLI's orchestrator (build) sits on top"),
    ("preview/server.py", "from generator.engine.build import run_build",
     "The preview uses the engine, not `digest build`'s orchestrator"),
    ("engine/load.py", "from generator.importer import lines", "Only the CLI runs the importer"),
    ("publish/output.py", "from generator.publish import write", "No import cycles, at any depth"),
    ("extras/__init__.py", "from generator.site import urls", "Stages import only the stages below them"),
]


@pytest.mark.parametrize(("module", "line", "contract"), WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_import_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    shutil.copytree(PACKAGE, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "generator" / module
    target.parent.mkdir(exist_ok=True)
    with target.open("a", encoding="utf-8") as f:
        f.write(f"\n{line}  # noqa: E402\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout, result.stdout + result.stderr


def test_no_import_cycle() -> None:
    graph = grimp.build_graph("generator", cache_dir=None)
    cycles = sorted(f"{a} -> {b} -> ... -> {a}" for a in graph.modules
                    for b in graph.find_modules_directly_imported_by(a) if graph.chain_exists(importer=b, imported=a))
    assert not cycles


def test_no_module_over_400_lines() -> None:
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert sizes and {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


def test_every_subpackage_is_packaged() -> None:
    """A subpackage missing from pyproject.toml's `packages` would be left out of the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed
