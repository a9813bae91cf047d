"""Two builds of one site at once: the one that started last writes last, so the edit it saw is published."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.sitekit import write_article

ROOT = Path(__file__).resolve().parent.parent

# A build that has read its inputs and rendered, says so (a file), then waits for a go (another file)
# before publishing.
_SLOW_WRITER = """
import sys, time
from pathlib import Path
from generator.publish import write
real = write.Publish.finish
def finish(self):
    Path(sys.argv[1]).write_text("rendered")
    go = Path(sys.argv[1] + ".go")
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return real(self)
write.Publish.finish = finish
from generator.cli import main
sys.exit(main(["build", *sys.argv[2:]]))
"""


def test_an_older_build_never_overwrites_a_newer_one(site_dir: Path, tmp_path: Path) -> None:
    write_article(site_dir, "heritage", "story", title="Story", date="2024-11-01", body="First version.")
    write_article(site_dir, "heritage", "other", title="Other", date="2024-11-02", body="Another story.")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    signal_file = tmp_path / "rendered"
    first = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(signal_file), "--site", str(site_dir),
                              "--no-cache"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not signal_file.exists():
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.01)
    # The first build has read "First version." and is about to write it; the editor saves a new one.
    article = site_dir / "content/heritage/story.md"
    article.write_text(article.read_text(encoding="utf-8").replace("First version.", "Second version."),
                       encoding="utf-8")
    second = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site_dir)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert second.stderr is not None
    waiting = second.stderr.readline()  # the second build waits for the first, and says for which process
    assert f"waiting for another build (process {first.pid}) writing in" in waiting, waiting
    Path(f"{signal_file}.go").write_text("go")
    out, err = first.communicate(timeout=60)
    second_out, second_err = second.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0, (err, second_err)
    page = (site_dir / "public/2024/11/story/index.html").read_text(encoding="utf-8")
    assert "Second version." in page  # the build that saw the edit was published last
