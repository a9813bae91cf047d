"""What changed between two values of the engine's state, as a small patch that turns the first into the second.

A build's `State` is mostly what the last one held: after an edit, one content
file's stamp and hash, a few output files' stamps and folder entries differ
among tens of thousands. `diff(old, new)` finds those by walking both values:

- a dict (or a dict subclass, with its attributes) by key: the keys added,
  changed (a patch of their own) or removed, and when the new order is not
  the old one with the new keys after it, the keys to move to the end (those
  after the longest start of the new order that is in the old one);
- a short tuple (at most `SHORT` items) item by item;
- anything else whole: equal (`==`, and of the same type) or replaced.

`apply(old, patch)` gives `new` back, equal and in the same order (a copy of
each dict it changes: `old` stays as it was). `None` is
the patch of a value that did not change. Patches are plain tuples and dicts
of the values themselves: whatever can store a state can store them.
"""

from __future__ import annotations

import copy
from typing import Any

SHORT = 8  # a tuple of more items is compared whole (`order`, a stamp): its items are not worth a patch each

Patch = tuple[Any, ...] | None
_MISSING = object()
_PLAIN = frozenset({str, int, bytes, bool, float, type(None)})  # equal items of these are the same


def diff(old: Any, new: Any) -> Patch:
    """A patch that turns `old` into `new` (`apply`), or None when they are the same."""
    if new is old:
        return None
    if type(new) is not type(old):
        return ("=", new)
    if isinstance(new, dict):
        return _dict_diff(old, new)
    if type(new) is tuple and len(new) == len(old) <= SHORT:
        if new == old and all(type(item) in _PLAIN for item in new):  # (equal dicts may differ in order)
            return None
        items = tuple(diff(o, n) for o, n in zip(old, new, strict=True))
        return None if all(p is None for p in items) else ("t", items)
    return None if new == old else ("=", new)


def _dict_diff(old: dict[Any, Any], new: dict[Any, Any]) -> Patch:
    changed: dict[Any, Patch] = {}
    added = []
    for key, value in new.items():
        was = old.get(key, _MISSING)
        if was is value:  # most of a state is the last one's objects, passed on
            continue
        if was is _MISSING:
            changed[key] = ("=", value)
            added.append(key)
        elif (patch := diff(was, value)) is not None:
            changed[key] = patch
    removed = tuple(key for key in old if key not in new) if len(old) != len(new) - len(added) else ()
    kept = [key for key in old if key in new] if removed else list(old)
    keys = list(new)
    tail = None if kept + added == keys else _tail(old, keys)
    attrs = diff(vars(old), vars(new)) if hasattr(new, "__dict__") else None
    if not changed and not removed and tail is None and attrs is None:
        return None
    return ("d", changed, removed, tail, attrs)


def _tail(old: dict[Any, Any], keys: list[Any]) -> tuple[Any, ...]:
    """The keys that, moved to the end in this order, put the others (in their old order) in the order of `keys`:
    those after the longest start of `keys` that is in the old order (a folder listed again, say)."""
    position = {key: i for i, key in enumerate(old)}
    last = -1
    for start, key in enumerate(keys):
        at = position.get(key, -1)  # a new key ends the start too: `apply` adds it at the end
        if at <= last:
            return tuple(keys[start:])
        last = at
    return ()


def apply(old: Any, patch: Patch, owned: dict[int, Any] | None = None) -> Any:
    """`old` with `patch` made to it: the `new` that `diff(old, new)` was given (`old` is left as it was).

    `owned`: the dicts earlier calls copied (by `id`), changed in place by this one: patches applied one
    after the other copy each dict once."""
    if patch is None:
        return old
    kind = patch[0]
    if kind == "=":
        return patch[1]
    if kind == "t":
        return tuple(apply(o, p, owned) for o, p in zip(old, patch[1], strict=True))
    _d, changed, removed, tail, attrs = patch
    out: Any
    if owned is not None and owned.get(id(old)) is old:
        out = old
    else:
        out = old.copy() if type(old) is dict else copy.copy(old)  # a dict subclass: its attributes too
        if owned is not None:
            owned[id(out)] = out
    for key in removed:
        del out[key]
    for key, p in changed.items():
        out[key] = apply(out[key], p, owned) if key in out else p[1]
    for key in tail or ():
        out[key] = out.pop(key)
    if attrs is not None:
        own = vars(out)
        now = apply(own, attrs, owned)  # a copy: `own` is the object's
        own.clear()
        own.update(now)
    return out
