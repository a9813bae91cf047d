"""A Jinja environment that looks names up in dicts first, with Jinja's own results.

Page contexts are dicts, and Jinja resolves `page.title` by trying the attribute
first (`getattr(page, "title")`, which for a dict raises AttributeError inside
Jinja) and only then the key. `DictFirst` looks the key up first when the name
is not an attribute of `dict` (`items`, `keys`, `get`, ... still mean the
methods), which is what Jinja's order gives for a plain dict, without the
exception on every lookup.
"""

from __future__ import annotations

from typing import Any

import jinja2

_DICT_ATTRIBUTES = frozenset(dir(dict))


class DictFirst(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)
