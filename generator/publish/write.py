"""The output folder, replaced as a whole (this and `inplace` are the only code that writes it).

`write_site` is handed every output file as bytes, already rendered, and
replaces the output folder as a whole, so that at every moment, even when the
build is killed, the folder holds either the previous site or the new one:

1. the folder must be empty, missing, or marked as digest's by `MARKER`; any
   other folder is refused, never emptied;
2. the next site is put together in a folder beside it (same file system) by
   a `stage.Filler`: changed files are written; files whose bytes did not change
   (and the caller's `keep`) are hard-linked from the current output, so they
   keep their modification times, and so are the files digest did not write
   (they are never deleted);
3. the two folders are swapped in one atomic step (Linux `renameat2` with
   `RENAME_EXCHANGE`; elsewhere two renames, undone on the next run if the build
   dies between them);
4. the previous site, now beside the output, is kept as the spare
   (`.public.digest-spare`): the next build puts its site together there, by
   changing only what differs, so writing costs what changed rather than the
   size of the site. A build that dies leaves at most a half-made folder
   beside the output, which the next one takes up again or removes.

When the output's parent folder cannot hold the sibling (not writable) or the
output cannot be renamed (a mount point), files are replaced one by one in
place instead, each atomically (`inplace.write_in_place`).

`output.MARKER` lists the files digest wrote, so only those are ever deleted.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from generator.durable import fsync_dir
from generator.errors import DigestError
from generator.publish.inplace import write_in_place
from generator.publish.listing import Listings
from generator.publish.output import MARKER, STAGING, WriteStats, check_path, marker_bytes, previous_files
from generator.publish.stage import Filler

# Errors that mean "this folder cannot be swapped": fall back to replacing files in place.
_NO_SWAP = (errno.EACCES, errno.EPERM, errno.EBUSY, errno.EXDEV)


def check_output(output: Path, sources: Iterable[Path] = ()) -> None:
    """Refuse an output folder that holds, or lies inside, one of the site's `sources`, or that digest did not
    create (it has files but no `MARKER`)."""
    output = output.resolve()
    for source in sources:
        source = source.resolve()
        if output == source or output in source.parents or source in output.parents:
            raise DigestError(f"{output}: the output folder must not hold or lie inside {source} "
                              "(choose another --output or output_dir)")
    if output.exists() and not output.is_dir():
        raise DigestError(f"{output}: exists and is not a folder (choose another --output)")
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise DigestError(f"{output}: this folder was not created by digest (it has files but no {MARKER}); "
                          "refusing to write into it: choose another --output, or empty it yourself")


def write_site(output: Path, files: Mapping[str, bytes], *, sources: Iterable[Path] = (),
               keep: Iterable[str] = ()) -> WriteStats:
    """Make `output` hold exactly `files` (plus any files digest did not write there).

    `keep` names files of the previous build that the caller knows are in place
    with the right bytes (an incremental build): they are carried over unread.
    The caller holds `output_lock(output)` from before it read its inputs.
    """
    with Publish(output, sources=sources, keep=set(keep) - set(files)) as publish:
        publish.add(files)
        return publish.finish()


class Publish:
    """The next site, handed over in batches (`add`) as it is rendered, then swapped in (`finish`).

    Nothing happens on disk before the first `add` (so a build that fails before
    rendering touches nothing); files are then written into the stage while the
    rest of the site is still being rendered; nothing reaches the output before
    `finish`, and leaving the `with` block without it (an error) leaves the output as it was.
    """

    def __init__(self, output: Path, *, sources: Iterable[Path] = (), keep: Iterable[str] = (),
                 known: Listings | None = None) -> None:
        self.output = output.resolve()
        self.keep = set(keep)
        self.known = known  # the output's and the spare's folders as the last build left them (`listing.Listings`)
        self.listings: Listings = {}  # after `finish`, the same for the next build
        self.names: set[str] = set()
        self.previous: set[str] = set()
        self.pending: dict[str, bytes] | None = None  # the files, kept in memory to be written in place
        self.filler: Filler | None = None
        self.opened = False
        check_output(self.output, sources)

    def _open(self) -> None:
        """Tidy up after a killed build, then take the stage (or, where the output cannot be swapped, get
        ready to write in place)."""
        self.opened = True
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.output)
        self.previous = previous_files(self.output) if self.output.is_dir() else set()
        try:
            if os.path.ismount(self.output):
                raise OSError(errno.EBUSY, "a mount point")
            self.stage, fresh = _take_stage(self.output)
        except OSError as exc:
            if exc.errno not in _NO_SWAP:
                raise
            self.pending = {}
            return
        try:
            self.filler = Filler(self.stage, self.output, self.previous, self.keep, marker=MARKER, fresh=fresh,
                                 known=self.known)
        except BaseException:
            _give_back(self.stage, self.output)
            raise

    def __enter__(self) -> Publish:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.filler is not None:  # not finished: an error
            self.filler.close()
            self.filler = None
            _give_back(self.stage, self.output)

    def add(self, files: Mapping[str, bytes]) -> None:
        """Put `files` into the next site (each path once)."""
        for rel in files:
            check_path(rel)
            if rel in self.names:
                raise DigestError(f"{rel!r}: two outputs have this path")
        self.names.update(files)
        self.keep -= files.keys()
        with self._errors():
            if not self.opened:
                self._open()
            _check_foreign(self.output, files, self.previous)
            if self.filler is not None:
                self.filler.add(files)
            elif self.pending is not None:
                self.pending.update(files)

    def finish(self) -> WriteStats:
        """Swap the next site in; what was written, kept and removed."""
        with self._errors():
            if not self.opened:
                self._open()
            if self.filler is None:
                return write_in_place(self.output, self.pending or {}, self.previous, self.keep)
            filler, self.filler = self.filler, None
            try:
                filled = filler.finish(marker_bytes)
                filler.sync()  # the whole next site on disk before it is swapped in
                swapped = _swap(self.stage, self.output)
                fsync_dir(self.output.parent)  # and the swap itself
            except BaseException:
                _give_back(self.stage, self.output)
                raise
            if not swapped:  # the output cannot be renamed after all: the stage's files are written in place
                files = {rel: (self.stage / rel).read_bytes() for rel in self.names}
                shutil.rmtree(self.stage, ignore_errors=True)
                return write_in_place(self.output, files, self.previous, self.keep)
            _give_back(self.stage, self.output)  # now the previous site
            if _ours(_spare(self.output)):
                self.listings = filler.listings(_spare(self.output))
            removed = len(self.previous - self.names - filled.carried)
            return WriteStats(written=filled.written, unchanged=filled.unchanged, removed=removed)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            where = exc.filename or self.output
            raise DigestError(f"{self.output}: cannot write the site ({exc.strerror or exc}: {where}); "
                              "the previous output is unchanged") from None


def _sibling(output: Path, kind: str) -> str:
    return f".{output.name}.digest-{kind}-"


def _spare(output: Path) -> Path:
    return output.parent / f".{output.name}.digest-spare"


def _ours(folder: Path) -> bool:
    """`folder` is a site digest wrote (a real folder, not a link, holding `MARKER`)."""
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def _take_stage(output: Path) -> tuple[Path, bool]:
    """The folder to put the next site together in, and whether it is new (empty): the spare, moved to a
    `new` name while it is being changed, when there is a current site to update it from."""
    stage = Path(tempfile.mkdtemp(prefix=_sibling(output, "new"), dir=output.parent))
    spare = _spare(output)
    if output.is_dir() and _ours(spare):
        os.rename(spare, stage)  # onto the empty folder just made
        return stage, False
    return stage, True


def _give_back(stage: Path, output: Path) -> None:
    """Keep `stage` (after a swap, the previous site) as the spare; remove it if that place is taken."""
    if not stage.exists():
        return  # it became the output
    spare = _spare(output)
    if output.is_dir() and not spare.exists() and not spare.is_symlink() and (stage / MARKER).is_file():
        os.rename(stage, spare)
        os.chmod(spare, 0o700)  # the previous site (maybe with drafts) is not for a web server to show
    else:
        shutil.rmtree(stage, ignore_errors=True)


def _recover(output: Path) -> None:
    """Undo what a build that died left beside `output`: put the previous site back if a swap was cut
    in half; keep a half-made site as the spare (the next build puts it right) and delete the rest."""
    parent = output.parent
    old = sorted(p for p in parent.glob(f"{_sibling(output, 'old')}*") if p.is_dir() and not p.is_symlink())
    if old and not output.exists():
        os.rename(old.pop(), output)
    for leftover in [*old, *parent.glob(f"{_sibling(output, 'new')}*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            _give_back(leftover, output)
    spare = _spare(output)
    if not output.exists() and _ours(spare):
        shutil.rmtree(spare)  # the output was deleted: its spare is of no use
    if output.is_dir():
        for staging in output.glob(f"{STAGING}*"):
            shutil.rmtree(staging, ignore_errors=True)


def _check_foreign(output: Path, files: Mapping[str, bytes], previous: set[str]) -> None:
    """Refuse to replace a file digest did not write (or a folder holding one) with one it generates."""
    if not os.path.lexists(output):  # a first build: nothing is there (one call, not a stat per page)
        return
    foreign = [rel for rel in sorted(files) if rel not in previous and _holds_foreign(output, rel, previous)]
    if foreign:
        raise DigestError(f"{output / foreign[0]}: digest did not write this file but the site has a page of that "
                          "name; move it away (digest never deletes or replaces files it did not write)")


def _holds_foreign(output: Path, rel: str, previous: set[str]) -> bool:
    """Something digest did not write is at `rel`: a file or link, or a folder with one (or empty) in it.
    A folder of digest's own pages may give way to a file of the same name."""
    path = output.joinpath(*rel.split("/"))
    if not path.is_dir() or path.is_symlink():
        return path.exists() or path.is_symlink()
    for folder, dirs, names in os.walk(path):
        inside = Path(folder).relative_to(output).as_posix()
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        if not dirs and not names or any(f"{inside}/{name}" not in previous for name in [*names, *links]):
            return True
    return False


def _swap(new: Path, output: Path) -> bool:
    """Put `new` in place of `output` atomically (`new` then holds the previous site); False if `output`
    cannot be renamed here (a mount point, say) and must be written in place."""
    if not output.exists():
        os.rename(new, output)
        return True
    try:
        if _exchange(new, output):
            return True
        old = Path(tempfile.mkdtemp(prefix=_sibling(output, "old"), dir=output.parent))
        os.rename(output, old)  # replaces the empty `old`
    except OSError as exc:
        if exc.errno in _NO_SWAP:
            return False
        raise
    os.rename(new, output)  # dying before this line leaves `old`, which `_recover` puts back
    os.rename(old, new)
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux >= 3.15); False where the system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
