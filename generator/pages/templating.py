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
  (`{% call %}` blocks) are not remembered.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.runtime import Macro
from jinja2.utils import pass_eval_context

_DICT_ATTRIBUTES = frozenset(dir(dict))
MEMO_LIMIT = 50_000  # remembered calls per macro (each keeps its argument objects alive)


class _Remembered:
    """A module's macro, answering a call with the same argument objects from memory."""

    __slots__ = ("macro", "results")

    def __init__(self, macro: Macro) -> None:
        self.macro, self.results = macro, {}

    @pass_eval_context
    def __call__(self, eval_ctx: EvalContext, *args: Any, **kwargs: Any) -> Any:
        if "caller" in kwargs:
            return self.macro(eval_ctx, *args, **kwargs)
        # The entry holds the argument objects, so their ids cannot be reused while it lives.
        key = (eval_ctx.autoescape, *map(id, args), *((k, id(v)) for k, v in kwargs.items()))
        hit = self.results.get(key)
        if hit is None:
            if len(self.results) >= MEMO_LIMIT:
                self.results.clear()
            hit = self.results[key] = (args, kwargs, self.macro(eval_ctx, *args, **kwargs))
        return hit[2]


class _Template(jinja2.Template):
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
