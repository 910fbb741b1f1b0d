"""Small HTML tables for notebooks: the ``_repr_html_`` of results, reports and instances.

Layer 0 (standard library only), so that every layer's objects can show themselves the same way.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

__all__ = ["ResultProtocol", "html_table"]


def html_table(title: str, rows: Sequence[tuple[str, Any]], text: str | None = None) -> str:
    """A two-column table under a bold ``title``; ``text`` (the object's ``str``) follows in a
    collapsed block. Every value is escaped.

    >>> html_table("Census", [("regions", 36), ("bad losses", "1/3, 2/9")])[:52]
    '<div><b>Census</b><table><tr><th style="text-align:l'
    """
    body = "".join(f'<tr><th style="text-align:left">{html.escape(str(k))}</th>'
                   f'<td style="text-align:left">{html.escape(str(v))}</td></tr>'
                   for k, v in rows)
    more = ("" if text is None else
            f"<details><summary>as text</summary><pre>{html.escape(text)}</pre></details>")
    return f"<div><b>{html.escape(title)}</b><table>{body}</table>{more}</div>"


class ResultProtocol:
    """``to_json`` and ``_repr_html_`` from a class's ``to_dict`` (its exact JSON form: rationals
    as ``"p/q"`` strings): every public result shows itself the same way."""

    def to_dict(self) -> dict[str, Any]:
        raise TypeError(f"{type(self).__name__} must define to_dict")  # pragma: no cover

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    def _repr_html_(self) -> str:
        rows = [(k, v) for k, v in self.to_dict().items()
                if v is None or isinstance(v, (bool, int, float, str))]
        return html_table(repr(self), rows, str(self))
