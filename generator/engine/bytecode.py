"""`TemplateCache`: Jinja's compiled templates kept in the cache folder, signed like every cache file.

Its own module, so that a build with nothing to do, which compiles no template, does not import Jinja.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator.engine.cache import code_hash, load, save


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates in the cache folder, signed like every cache file (loading bytecode runs it).

    Jinja keys each template by its name and file and rejects bytecode compiled from other source text or
    by another Jinja or Python; digest's own code (which sets the environment's options) is checked too, so a
    template edited, or a new digest, never runs stale bytecode.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        stored = load(self._path(bucket))
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == code_hash() and isinstance(stored[1], bytes):
            bucket.bytecode_from_string(stored[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            save(self._path(bucket), (code_hash(), bucket.bytecode_to_string()))
        except OSError:
            pass  # a cache that cannot be written costs time next build, never a failed build

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"template-{bucket.key}"
