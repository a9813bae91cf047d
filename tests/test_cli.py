"""The command line as a shell uses it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_output_piped_into_a_reader_that_stops_early_is_no_traceback(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    dump = root / "sources" / "000_dfe1e9900b68862a.txt"
    script = (f"{sys.executable} -m generator import --site {root} --dry-run --explain {dump} | head -1")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
