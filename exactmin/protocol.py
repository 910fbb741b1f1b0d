"""The result protocol: how every public result shows itself (text, JSON, notebook forms).

Layer 0 (standard library only), so that every layer's results share one protocol:
``to_dict`` (the exact JSON form, defined by each class), ``to_json``, ``__str__`` (the command
line's text), ``_repr_markdown_`` and ``_repr_html_`` (short, for notebooks).

The text lives in the presentation layer (:mod:`exactmin.report`), above every result type; it
registers one function per type with :func:`formats`. A result finds its text there by its class
(:func:`text_of`), so that no module below the presentation layer imports it.
"""

from __future__ import annotations

import html
import importlib
from typing import Any, Callable, Sequence, TypeVar

__all__ = ["PRESENTATION", "ResultProtocol", "formats", "html_table", "text_of"]

PRESENTATION = "exactmin.report"  # the module that registers the text of every result type
_TEXT: dict[type, Callable[[Any], str]] = {}
F = TypeVar("F", bound=Callable[[Any], str])


def formats(*classes: type) -> Callable[[F], F]:
    """Register the decorated function as the text (``str``) of instances of ``classes``.

    >>> class Answer(ResultProtocol):
    ...     def to_dict(self): return {"value": 42}
    >>> @formats(Answer)
    ... def _answer_text(a): return f"the answer is {a.to_dict()['value']}"
    >>> str(Answer())
    'the answer is 42'
    """
    def register(fn: F) -> F:
        for cls in classes:
            _TEXT[cls] = fn
        return fn
    return register


def text_of(obj: object) -> str:
    """The registered text of ``obj`` (the nearest class in its MRO with a text), loading the
    presentation layer on first use; ``repr(obj)`` if no text is registered."""
    for attempt in range(2):
        for cls in type(obj).__mro__:
            if cls in _TEXT:
                return _TEXT[cls](obj)
        if attempt == 0:
            importlib.import_module(PRESENTATION)
    return repr(obj)


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
    """``to_json``, ``__str__``, ``_repr_markdown_`` and ``_repr_html_`` from a class's
    ``to_dict`` (its exact JSON form: rationals as ``"p/q"`` strings) and its registered text:
    every public result shows itself the same way."""

    def to_dict(self) -> dict[str, Any]:
        raise TypeError(f"{type(self).__name__} must define to_dict")  # pragma: no cover

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    def __str__(self) -> str:
        return text_of(self)

    def _repr_markdown_(self) -> str:
        return f"**{self!r}**\n\n```\n{self}\n```"

    def _repr_html_(self) -> str:
        rows = [(k, v) for k, v in self.to_dict().items()
                if v is None or isinstance(v, (bool, int, float, str))]
        return html_table(repr(self), rows, str(self))
