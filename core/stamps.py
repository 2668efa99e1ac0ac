"""A template partial repeated for many rows at the template engine's cost of a few rows.

Django's template engine spends about 0.4 ms on a partial of a hundred nodes (lookups, `{% if %}`s,
escaping), so a page of 160 form rows spends most of its time there. Rows that take the same
branches differ only in the text they print. `Stamp` renders the partial once per shape (which
values are present, which are empty, and the exact non-text values) with a marker in place of each
text, and makes every row of that shape by filling the markers with the row's text, escaped as
`{{ }}` escapes it. The markup stays the template's, and the output is what rendering the partial
for each row gives (tests compare the two).

What the partial may do with the context's values, for this to hold:
- text (str, SafeString) is printed as `{{ value }}` or tested as `{% if value %}`: no filters,
  comparisons or `|length` on it (the partial sees a marker, not the text);
- anything else (True, None, 0, "") is passed as it is, and rows with different such values are
  different shapes;
- dicts nest; the partial reads them with dotted lookups.
A context with anything else (a list, a model) is rendered by the template directly.
"""

from __future__ import annotations

import re
from html import escape

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

MAX_SHAPES = 256  # a page has a handful; the cap only bounds memory
_MARKER = re.compile("\x00([0-9]+)\x00")
_TEXT, _OPEN, _CLOSE = object(), object(), object()  # in a shape: a text, a dict's start and end


class _Unstampable(Exception):
    """The context holds a value the stamp cannot stand in for."""


def _marked(value: dict, texts: list, shape: list) -> dict:
    """`value` with each non-empty text replaced by a marker; its texts (escaped) appended to `texts`."""
    out = {}
    for key, item in value.items():
        shape.append(key)
        if isinstance(item, str):
            if item:
                shape.append(_TEXT)
                texts.append(item.__html__() if hasattr(item, "__html__") else escape(item))
                out[key] = SafeString(f"\x00{len(texts) - 1}\x00")
                continue
        elif isinstance(item, dict):
            shape.append(_OPEN)
            out[key] = _marked(item, texts, shape)
            shape.append(_CLOSE)
            continue
        elif item is not None and not isinstance(item, bool | int):
            raise _Unstampable(type(item).__name__)
        shape.append((type(item), item))
        out[key] = item
    return out


class Stamp:
    """One partial (e.g. "indicators/updates.html#row"), rendered once per shape of context."""

    def __init__(self, template_name: str):
        self.template_name = template_name
        self._fills: dict[tuple, callable] = {}

    def render(self, context: dict) -> SafeString:
        texts: list = []
        shape: list = []
        try:
            marked = _marked(context, texts, shape)
        except _Unstampable:
            return get_template(self.template_name).render(context)
        key = tuple(shape)
        fill = self._fills.get(key)
        if fill is None:
            if len(self._fills) >= MAX_SHAPES:
                self._fills.clear()
            html = get_template(self.template_name).render(marked)
            fill = self._fills[key] = _MARKER.sub(r"{\1}", html.replace("{", "{{").replace("}", "}}")).format
        return mark_safe(fill(*texts))  # noqa: S308 - the template's markup, each text escaped above
