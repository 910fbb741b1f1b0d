"""Parsing and formatting of exact rationals.

Every public entry point of exactmin accepts ``int``, :class:`fractions.Fraction`, numpy integer
scalars and strings ``"p/q"`` / ``"-3/4"`` / exact decimals ``"0.25"``; floats are rejected with a
message that says what to pass instead (floats propose, exact arithmetic decides).
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any, Sequence

from exactmin.errors import InvalidInput

__all__ = [
    "RATIONALIZE",
    "as_integer_row",
    "dot",
    "fmt",
    "fmt_matrix",
    "fmt_vector",
    "to_fraction",
    "to_int",
    "to_matrix",
    "to_vector",
]

_RATIONAL = re.compile(r"^\s*[+-]?(\d+(/\d+)?|\d*\.\d+|\d+\.\d*)\s*$")


RATIONALIZE = ("exact", "limit_denominator=N")


def _rationalize(value: float, name: str, how: str) -> Fraction:
    """A float as a rational, as the caller asked: ``"exact"`` (the binary float's exact value)
    or ``"limit_denominator=N"`` (the closest rational with denominator at most N)."""
    if not math.isfinite(value):
        raise InvalidInput(f"{name}={value!r} is not a finite number")
    if how == "exact":
        return Fraction(value)
    m = re.fullmatch(r"limit_denominator=([1-9][0-9]*)", how)
    if m is None:
        raise InvalidInput(f"rationalize={how!r} is not known; use 'exact' or "
                           "'limit_denominator=N' (N a positive integer)")
    return Fraction(value).limit_denominator(int(m.group(1)))


def to_fraction(value: Any, name: str, rationalize: str | None = None) -> Fraction:
    """Convert ``value`` to a :class:`~fractions.Fraction`, or raise :class:`InvalidInput`.

    Parameters
    ----------
    value : int, Fraction, Decimal, numpy integer, or str
        ``"p/q"``, ``"-3/4"``, ``"7"`` or an exact decimal such as ``"0.25"``. Floats only with
        ``rationalize``.
    name : str
        The argument's name, used in the error message (e.g. ``"X[0][2]"``).
    rationalize : None, ``"exact"`` or ``"limit_denominator=N"``
        How to turn a float into a rational; None (the default) rejects floats.

    Returns
    -------
    Fraction

    Examples
    --------
    >>> to_fraction("0.25", "rho")
    Fraction(1, 4)
    >>> to_fraction(0.5, "rho")
    Traceback (most recent call last):
    ...
    exactmin.errors.InvalidInput: expected a Fraction, int or 'p/q' string, got rho=0.5 (float); use '1/2'
    """
    if isinstance(value, bool):
        raise InvalidInput(f"expected a Fraction, int or 'p/q' string, got {name}={value!r} (bool)")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):  # exact: Decimal('0.1') is 1/10
        if not value.is_finite():
            raise InvalidInput(f"{name}={value!r} is not a finite number")
        return Fraction(value)
    if isinstance(value, float) and rationalize is not None:
        return _rationalize(value, name, rationalize)
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Rational) \
            and rationalize is not None:  # numpy float scalars
        return _rationalize(float(value), name, rationalize)
    if isinstance(value, float):
        hint = ""
        if math.isfinite(value):
            hint = f"; use '{Fraction(value).limit_denominator(10**6)}'"
        raise InvalidInput(
            f"expected a Fraction, int or 'p/q' string, got {name}={value!r} (float){hint}"
        )
    if isinstance(value, str):
        if not _RATIONAL.match(value):
            raise InvalidInput(
                f"expected a rational such as '3', '-3/4' or '0.25', got {name}={value!r}"
            )
        try:
            return Fraction(value.strip())
        except ZeroDivisionError:
            raise InvalidInput(f"{name}={value!r} has a zero denominator") from None
    if isinstance(value, numbers.Integral):  # numpy integer scalars
        return Fraction(int(value))
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    raise InvalidInput(
        f"expected a Fraction, int or 'p/q' string, got {name}={value!r} ({type(value).__name__})"
    )


def to_int(value: Any, name: str, minimum: int | None = None) -> int:
    """Convert ``value`` to ``int`` (no floats, no bools), checking an optional lower bound.

    >>> to_int(3, "d1", minimum=1)
    3
    >>> to_int(0, "d1", minimum=1)
    Traceback (most recent call last):
    ...
    exactmin.errors.InvalidInput: d1=0 must be >= 1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidInput(f"expected an integer, got {name}={value!r} ({type(value).__name__})")
    out = int(value)
    if minimum is not None and out < minimum:
        raise InvalidInput(f"{name}={out} must be >= {minimum}")
    return out


def _as_sequence(value: Any, name: str) -> Sequence[Any]:
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidInput(f"expected a list, got {name}={value!r} ({type(value).__name__})")
    return value


SHOWN_ERRORS = 5  # bad entries named in one message; the rest are counted


def _collect(items: list[tuple[Any, str]], rationalize: str | None) -> list[Fraction]:
    """Every entry converted, or one InvalidInput naming the first bad ones and counting all."""
    out: list[Fraction] = []
    bad: list[str] = []
    for value, name in items:
        try:
            out.append(to_fraction(value, name, rationalize))
        except InvalidInput as exc:
            bad.append(str(exc))
    if bad:
        more = f"; and {len(bad) - SHOWN_ERRORS} more bad entries" if len(bad) > SHOWN_ERRORS else ""
        floats = any("(float)" in b for b in bad)
        hint = ("; for float data pass rationalize='exact' or 'limit_denominator=N' "
                "(Instance.from_arrays)" if floats else "")
        raise InvalidInput(f"{len(bad)} bad entr{'y' if len(bad) == 1 else 'ies'}: "
                           + "; ".join(bad[:SHOWN_ERRORS]) + more + hint)
    return out


def to_vector(value: Any, name: str, rationalize: str | None = None) -> tuple[Fraction, ...]:
    """Convert a list (or 1-d numpy array) to a tuple of Fractions; every bad entry is named
    (the first few) and counted in one error.

    >>> to_vector(["1/2", 3], "y")
    (Fraction(1, 2), Fraction(3, 1))
    >>> to_vector([0.5, "x", 2, 0.25], "y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    exactmin.errors.InvalidInput: 3 bad entries: ... got y[0]=0.5 (float); use '1/2'; ...
    """
    seq = _as_sequence(value, name)
    return tuple(_collect([(v, f"{name}[{k}]") for k, v in enumerate(seq)], rationalize))


def to_matrix(value: Any, name: str, rationalize: str | None = None
              ) -> tuple[tuple[Fraction, ...], ...]:
    """Convert a list of rows (or a 2-d numpy array) to a rectangular tuple of tuples; every bad
    entry is named (the first few) and counted in one error.

    >>> to_matrix([[1, "1/2"], [0, 2]], "X")[0]
    (Fraction(1, 1), Fraction(1, 2))
    >>> to_matrix([[1, 2], [3]], "X")
    Traceback (most recent call last):
    ...
    exactmin.errors.InvalidInput: X must be rectangular: row 0 has 2 entries but X[1] has 1
    """
    rows = [_as_sequence(r, f"{name}[{k}]") for k, r in enumerate(_as_sequence(value, name))]
    for k, r in enumerate(rows):
        if len(r) != len(rows[0]):
            raise InvalidInput(
                f"{name} must be rectangular: row 0 has {len(rows[0])} entries "
                f"but {name}[{k}] has {len(r)}"
            )
    flat = _collect([(v, f"{name}[{k}][{j}]") for k, r in enumerate(rows) for j, v in enumerate(r)],
                    rationalize)
    width = len(rows[0]) if rows else 0
    return tuple(tuple(flat[k * width:(k + 1) * width]) for k in range(len(rows)))


def fmt(q: Fraction | int) -> str:
    """Format a rational as the canonical ``"p/q"`` string (``"p"`` when integral).

    >>> fmt(Fraction(-6, 4)), fmt(Fraction(3))
    ('-3/2', '3')
    """
    q = Fraction(q)
    return _digits(q.numerator) if q.denominator == 1 else \
        f"{_digits(q.numerator)}/{_digits(q.denominator)}"


def _digits(n: int) -> str:
    """``str(n)`` for integers of any size (Python refuses ``str`` beyond 4,300 digits)."""
    if n.bit_length() < 14000:
        return str(n)
    if n < 0:
        return "-" + _digits(-n)
    high, low = divmod(n, 10**4000)
    return _digits(high) + str(low).rjust(4000, "0")


def show(q: Fraction | int, digits: int = 20) -> str:
    """A rational for people: ``"p/q"``, with a decimal approximation after it when it is longer
    than ``digits`` characters, and only the approximation (with the exact length) beyond
    ``4 * digits`` characters (never used in JSON output, which is exact).

    >>> show(Fraction(1, 3)), show(Fraction(2**80, 3))
    ('1/3', '1208925819614629174706176/3 (~4.029753e+23)')
    >>> show(Fraction(-11, 10**4344))
    '~-1.100000e-4343 (exact: 4349 characters, in --json)'
    """
    from flint import arb, fmpq

    q = Fraction(q)
    text = fmt(q)
    if len(text) <= digits:
        return text
    approx = arb(fmpq(q.numerator, q.denominator)).str(7, radius=False)
    if len(text) > 4 * digits:
        return f"~{approx} (exact: {len(text)} characters, in --json)"
    return f"{text} (~{approx})"


def show_matrix(M: Sequence[Sequence[Fraction]]) -> str:
    """A matrix as ``[[a, b], [c, d]]`` with :func:`show` entries."""
    return "[" + ", ".join("[" + ", ".join(show(x) for x in row) + "]" for row in M) + "]"


def fmt_vector(v: Sequence[Fraction]) -> list[str]:
    """Format a vector as a list of ``"p/q"`` strings."""
    return [fmt(x) for x in v]


def fmt_matrix(M: Sequence[Sequence[Fraction]]) -> list[list[str]]:
    """Format a matrix (list of rows) as nested lists of ``"p/q"`` strings."""
    return [fmt_vector(r) for r in M]


def dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    """Exact dot product (a Fraction even for empty or integer vectors).

    >>> dot([Fraction(1, 2), 2], [2, Fraction(1, 3)])
    Fraction(5, 3)
    """
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def as_integer_row(row: Sequence[Fraction | int]) -> list[int]:
    """Scale a rational row by the LCM of its denominators (a positive factor) to integers.

    The sign pattern and the zero set are unchanged, so this is safe for homogeneous constraints.

    >>> as_integer_row([Fraction(1, 2), Fraction(-2, 3), Fraction(0)])
    [3, -4, 0]
    """
    if all(type(q) is int for q in row):
        return [int(q) for q in row]
    qs = [q if isinstance(q, Fraction) else Fraction(q) for q in row]
    m = 1
    for q in qs:
        if q.denominator != 1:
            m = math.lcm(m, q.denominator)
    return [q.numerator * (m // q.denominator) for q in qs]
