"""The result protocol: how every public result shows itself (text, JSON, notebook forms).

Layer 0 (standard library only), so that every layer's results share one protocol:
``to_dict`` (the exact JSON form, defined by each class), ``to_json``, ``__str__`` (the command
line's text), ``_repr_markdown_`` and ``_repr_html_`` (short, for notebooks), and
``certificate()`` (the verdict's certificate, docs/certificate-format.md).

The text lives in the presentation layer (:mod:`exactmin.report`), above every result type; it
registers one function per type with :func:`formats`. A result finds its text there by its class
(:func:`text_of`), so that no module below the presentation layer imports it. Certificates
work the same way: the writers (:mod:`exactmin.certificates`, above the results they certify)
register one function per type with :func:`certifies`; ``result.certificate()`` finds it
(:func:`certificate_of`).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import importlib
import inspect
import pkgutil
from typing import Any, Callable, ParamSpec, Sequence, TypeVar

__all__ = ["PRESENTATION", "WRITERS", "ResultProtocol", "certificate_of", "certifies", "formats",
           "html_table", "keeps_inputs", "text_of"]

PRESENTATION = "exactmin.report"  # the module that registers the text of every result type
WRITERS = "exactmin.certificates"  # the package whose modules register certificate writers
_TEXT: dict[type, Callable[[Any], str]] = {}
_WRITER: dict[type, Callable[[Any], dict[str, Any]]] = {}
F = TypeVar("F", bound=Callable[[Any], str])
W = TypeVar("W", bound=Callable[[Any], dict[str, Any]])
P = ParamSpec("P")
R = TypeVar("R")


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


def _registered(table: dict[type, Any], obj: object, layer: str) -> Any:
    """The function ``table`` holds for the nearest class of ``obj``'s MRO, importing ``layer``
    (the module or package that registers them) on a first miss; None if there is none."""
    for attempt in range(2):
        for cls in type(obj).__mro__:
            if cls in table:
                return table[cls]
        if attempt == 0:
            _load(layer)
    return None


def text_of(obj: object) -> str:
    """The registered text of ``obj`` (the nearest class in its MRO with a text), loading the
    presentation layer on first use; ``repr(obj)`` if no text is registered."""
    fn = _registered(_TEXT, obj, PRESENTATION)
    return repr(obj) if fn is None else str(fn(obj))


def certifies(*classes: type) -> Callable[[W], W]:
    """Register the decorated function as the certificate writer of instances of ``classes``:
    it returns the certificate (a JSON-ready dict) or raises
    :class:`~exactmin.errors.NoCertificate` saying why the verdict has none.

    >>> class Verdict(ResultProtocol):
    ...     def to_dict(self): return {"holds": True}
    >>> @certifies(Verdict)
    ... def _verdict_certificate(v): return {"verdict": "holds"}
    >>> Verdict().certificate()
    {'verdict': 'holds'}
    """
    def register(fn: W) -> W:
        for cls in classes:
            _WRITER[cls] = fn
        return fn
    return register


def _load(name: str) -> None:
    """Import the module ``name`` and, when it is a package, every module in it."""
    module = importlib.import_module(name)
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        importlib.import_module(f"{name}.{info.name}")


def certificate_of(obj: object) -> dict[str, Any]:
    """The certificate of ``obj``'s verdict from the writer registered for its class (the
    nearest in its MRO), loading the writers on first use.

    Raises
    ------
    NoCertificate
        no writer is registered for the class, or the writer says the verdict has none.
    """
    from exactmin.errors import NoCertificate

    fn = _registered(_WRITER, obj, WRITERS)
    if fn is not None:
        return dict(fn(obj))
    raise NoCertificate(f"a {type(obj).__name__} states no verdict that a certificate theorem "
                        "covers (docs/certificates/ lists them)")


def keeps_inputs(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function returning a dataclass result with an ``inputs`` field: the result
    keeps the call's arguments by name (defaults included), so that its certificate writer can
    state what was decided.

    >>> @dataclasses.dataclass(frozen=True)
    ... class Sum:
    ...     value: int
    ...     inputs: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)
    >>> @keeps_inputs
    ... def add(a, b=2): return Sum(a + b)
    >>> add(1).inputs
    {'a': 1, 'b': 2}
    """
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = fn(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return dataclasses.replace(result, inputs=dict(bound.arguments))  # type: ignore[type-var]
    return wrapper


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

    def certificate(self) -> dict[str, Any]:
        """The certificate of this result's verdict (docs/certificate-format.md), which
        ``exactmin check`` re-verifies; raises :class:`~exactmin.errors.NoCertificate` (with
        the reason) when the verdict has none."""
        return certificate_of(self)

    def _repr_markdown_(self) -> str:
        return f"**{self!r}**\n\n```\n{self}\n```"

    def _repr_html_(self) -> str:
        rows = [(k, v) for k, v in self.to_dict().items()
                if v is None or isinstance(v, (bool, int, float, str))]
        return html_table(repr(self), rows, str(self))
