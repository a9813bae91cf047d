"""The Jinja environment digest renders with: Jinja's results, with less work per page.

- **Names in dicts first.** Page contexts are dicts, and Jinja resolves
  `page.title` by trying the attribute first (`getattr(page, "title")`, which
  for a dict raises AttributeError inside Jinja) and only then the key.
  `DictFirst.getattr` looks the key up first when the name is not an attribute
  of `dict` (`items`, `keys`, `get`, ... still mean the methods), which is what
  Jinja's order gives for a plain dict, without the exception on every lookup.
- **Macros of imported templates remember their output.** A macro imported
  without context (`{% from "macros.html" import card %}`) sees only its
  arguments and the environment's globals, so called again with the very same
  argument objects (each article's card is one dict, shared by every page that
  lists the article) it returns what it returned before. Calls with a `caller`
  (`{% call %}` blocks) are not remembered. Only calls that repeat are worth
  keeping: a macro's calls are told apart by their arguments after the first
  (`card(a, 3, highlights=false)` and `card(a, 2)` are two kinds), and a kind
  whose first MEMO_PROBE calls were hardly ever answered from memory (a topic
  page's cards: each article is on one) is no longer remembered. When
  MEMO_LIMIT calls are remembered, the quarter least recently used is let go.
- **Escaping without the detour.** Autoescaped templates call `escape` for every
  `{{ value }}`; for a plain `str` (most of them) it is MarkupSafe's own C escape
  wrapped as `Markup` directly, for a `Markup` the value itself (escaping it gives
  an equal `Markup`), and anything else goes to `markupsafe.escape`.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.runtime import Macro
from jinja2.utils import pass_eval_context
from markupsafe import Markup, escape

try:
    from markupsafe._speedups import _escape_inner
except ImportError:  # MarkupSafe without its C speedups: its own escape, unchanged
    _escape_inner = None

_DICT_ATTRIBUTES = frozenset(dir(dict))
MEMO_LIMIT = 50_000  # remembered calls per macro (each keeps its argument objects alive)
MEMO_PROBE = 2_000  # calls of a kind after which it is remembered only if they were answered from memory...
MEMO_HITS = 1 / 64  # ...this often at least


class _Remembered:
    """A module's macro, answering a call with the same argument objects from memory."""

    __slots__ = ("macro", "results", "kinds")

    def __init__(self, macro: Macro) -> None:
        self.macro = macro
        self.results: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # least recently used first
        self.kinds: dict[tuple[Any, ...], list[int]] = {}  # kind -> [calls, answered from memory]

    @pass_eval_context
    def __call__(self, eval_ctx: EvalContext, *args: Any, **kwargs: Any) -> Any:
        if "caller" in kwargs:
            return self.macro(eval_ctx, *args, **kwargs)
        # The entry holds the argument objects, so their ids cannot be reused while it lives.
        kind = (eval_ctx.autoescape, len(args), *map(id, args[1:]), *((k, id(v)) for k, v in kwargs.items()))
        key = (id(args[0]) if args else None, *kind)
        counts = self.kinds.get(kind)
        if counts is None:
            counts = self.kinds[kind] = [0, 0]
        counts[0] += 1
        results = self.results
        hit = results.pop(key, None)
        if hit is not None:
            counts[1] += 1
            results[key] = hit  # now the most recently used
            return hit[2]
        value = self.macro(eval_ctx, *args, **kwargs)
        if counts[0] <= MEMO_PROBE or counts[1] >= counts[0] * MEMO_HITS:
            if len(results) >= MEMO_LIMIT:
                for old in list(islice(results, max(1, MEMO_LIMIT // 4))):
                    del results[old]
            results[key] = (args, kwargs, value)
        return value


_new_str = str.__new__


def fast_escape(value: Any) -> Markup:
    """`markupsafe.escape(value)`, with fewer steps for the common cases (an equal `Markup`)."""
    kind = type(value)
    if kind is str:
        return _new_str(Markup, _escape_inner(value))
    if kind is Markup:
        return value
    return escape(value)


class _Template(jinja2.Template):
    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: dict[str, Any], globals: Any) -> Any:
        if _escape_inner is not None and namespace.get("escape") is escape:
            namespace["escape"] = fast_escape
        return super()._from_namespace(environment, namespace, globals)

    def _get_default_module(self, ctx: Any = None) -> Any:
        fresh = self._module is None
        module = super()._get_default_module(ctx)
        if fresh and module is self._module:  # the module cached for imports without context
            for name, value in vars(module).items():
                if isinstance(value, Macro) and not value.caller:
                    setattr(module, name, _Remembered(value))
        return module


class DictFirst(jinja2.Environment):
    template_class = _Template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)
