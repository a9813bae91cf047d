"""How a `DiskStore` keeps the state: its large parts in `state-base`, the changes of each build since as patches
(`engine.delta`). A patch made to the value it was taken from gives the new value exactly (types, key order,
attributes), over any chain of changes; the state loaded is the state saved, however many builds patched it; a
base of another build is no base; and a build changes nothing of the state it loaded (the next patch is taken
from it)."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.engine import cache, delta, state
from generator.engine.build import sources
from generator.engine.incremental import Build
from generator.engine.sinks import OutputFolder
from generator.site.config import load_config
from tests.test_cache import _edit_body, _edit_title, populate


class Kept(dict[Any, Any]):
    """A dict with attributes, as a sink's record is (`sinks.Recorded` and its `listings`)."""

    listings: Any = None


def _kept(items: dict[Any, Any], attr: Any) -> Kept:
    out = Kept(items)
    out.listings = attr
    return out


SCALARS = st.one_of(st.none(), st.integers(-3, 3), st.text("ab", max_size=2), st.binary(max_size=2),
                    st.frozensets(st.integers(0, 2), max_size=2))
KEYS = st.sampled_from(["a", "b", "c", "d", "e", (1, 2), 7])
# Dicts and tuples of up to `delta.SHORT` items are looked into; longer tuples are compared whole (of scalars,
# as the state's are: keys in order, stamps).
VALUES = st.recursive(
    SCALARS | st.lists(SCALARS, min_size=delta.SHORT + 1, max_size=delta.SHORT + 3).map(tuple),
    lambda inner: st.dictionaries(KEYS, inner, max_size=6)
    | st.builds(_kept, st.dictionaries(KEYS, inner, max_size=4), inner)
    | st.lists(inner, max_size=delta.SHORT).map(tuple),
    max_leaves=25)


def _exactly(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and all(_exactly(a[k], b[k]) for k in a)
                and (not hasattr(a, "__dict__") or _exactly(vars(a), vars(b))))
    if type(a) is tuple:
        return len(a) == len(b) and all(_exactly(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@st.composite
def _changed(draw: st.DrawFn, value: Any) -> Any:
    """`value` with some of it changed: keys removed, added, reordered, values replaced, the rest kept."""
    if isinstance(value, dict) and draw(st.booleans()):
        items = [(k, v) for k, v in value.items() if draw(st.integers(0, 5))]
        if draw(st.booleans()):
            items = draw(st.permutations(items))
        out = type(value)((k, draw(_changed(v))) for k, v in items)
        out.update(draw(st.dictionaries(KEYS, VALUES, max_size=2)))
        if hasattr(value, "__dict__"):
            out.listings = draw(_changed(value.listings))  # type: ignore[attr-defined]
        return out
    if type(value) is tuple and len(value) <= delta.SHORT and draw(st.booleans()):
        return tuple(draw(_changed(v)) for v in value)
    return draw(VALUES) if draw(st.integers(0, 3)) == 0 else value


@given(st.data())
def test_a_chain_of_patches_gives_each_value_exactly(data: st.DataObject) -> None:
    chain = [data.draw(VALUES)]
    for _ in range(data.draw(st.integers(1, 4))):
        chain.append(data.draw(_changed(chain[-1])))
    first = pickle.dumps(chain[0])
    loaded, owned = pickle.loads(first), dict[int, Any]()
    for old, new in zip(chain, chain[1:], strict=False):
        patch = delta.diff(old, new)
        assert (patch is None) == _exactly(old, new)
        loaded = delta.apply(loaded, pickle.loads(pickle.dumps(patch)), owned)  # patches are stored, then made
        assert _exactly(loaded, new)
    assert pickle.dumps(chain[0]) == first  # diff changes neither value


def _same_state(a: state.State, b: state.State) -> bool:
    """The same state, but for what the store sets itself (the articles' shard tokens, the index's files)."""
    return all(_exactly(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(state.State)
               if f.name not in ("tokens", "search"))


def _store_site(site_dir: Path) -> Path:
    populate(site_dir)
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    return site_dir / ".digest-cache"


def test_the_state_loaded_is_the_state_saved_patch_after_patch(site_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _store_site(site_dir)
    saved = state.DiskStore(folder).load()
    assert saved is not None
    monkeypatch.setattr(state, "PATCHES", 3)
    monkeypatch.setattr(state, "PATCH_SHARE", 1)
    for n in range(7):  # patches, then a new base once there would be more than PATCHES
        store = state.DiskStore(folder)
        before = store.load()
        assert before is not None and _same_state(before, saved)
        recorded = type(before.recorded)(before.recorded)
        recorded.listings = before.recorded.listings
        recorded[f"extra-{n}.html"] = (n, n, n)
        content = dict(before.content)
        rel = sorted(content)[n % len(content)]
        content[rel] = ((n, *content[rel][0][1:]), content[rel][1])
        saved = dataclasses.replace(before, recorded=recorded, content=content, scanned_ns=before.scanned_ns + 1)
        store.save(saved, store.articles(before), None)
        blobs = store._base.blobs if store._base else ()
        assert len(blobs) == (n + 1) % (state.PATCHES + 1)
    again = state.DiskStore(folder).load()
    assert again is not None and _same_state(again, saved)


def test_a_base_of_another_build_is_no_state(site_dir: Path) -> None:
    folder = _store_site(site_dir)
    base = (folder / "state-base").read_bytes()
    _edit_body(site_dir)
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0
    assert state.DiskStore(folder).load() is not None
    old = state.DiskStore(folder)
    old.load()
    token = old._base.token if old._base else 0
    cache.save(folder / "state-base", (token + 1, cache.load(folder / "state-base")[1]))
    assert state.DiskStore(folder).load() is None  # a crash between the two writes: no state, every page built
    (folder / "state-base").write_bytes(base)
    assert main(["build", "--site", str(site_dir), "--quiet"]) == 0


class _Watching(state.DiskStore):
    """A store that keeps the state it loaded, and its bytes then."""

    loaded: list[tuple[state.State, bytes]]

    def load(self) -> state.State | None:
        loaded = super().load()
        if loaded is not None:
            self.loaded.append((loaded, pickle.dumps(loaded)))
        return loaded


@pytest.mark.parametrize("edit", [_edit_body, _edit_title])
def test_a_build_changes_nothing_of_the_state_it_loaded(site_dir: Path, edit: Any) -> None:
    """The store takes the next patch from the state it loaded: a build must leave that state as it was."""
    folder = _store_site(site_dir)
    edit(site_dir)
    store = _Watching(folder)
    store.loaded = []
    config = load_config(site_dir)
    build = Build(store)  # type: ignore[arg-type]
    build.run(config, OutputFolder(config.output_path, sources=sources(config)))
    assert store.loaded and all(pickle.dumps(s) == data for s, data in store.loaded)
