"""Ball arithmetic helpers (python-flint ``arb``): working precision, exact conversions.

An arb ball ``[m +- r]`` contains the true value; these helpers move exact rationals in and
exact dyadic endpoints out, so that every number that leaves ball arithmetic is a Fraction.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Iterator

from flint import arb, ctx

__all__ = ["dyadic", "exact_ball", "interval", "precision"]


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Temporarily set arb's working precision (bits).

    >>> with precision(200):
    ...     ctx.prec
    200
    """
    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def exact_ball(q: Fraction) -> arb:
    """The ball of the rational ``q`` at the working precision (exact when ``q`` is dyadic).

    >>> dyadic(exact_ball(Fraction(3, 8)).mid())
    Fraction(3, 8)
    """
    return arb(q.numerator) / q.denominator


def dyadic(x: arb) -> Fraction:
    """The exact value of an exact arb (a midpoint or an endpoint) as a Fraction.

    >>> dyadic(arb(3) / 4)
    Fraction(3, 4)
    """
    m, e = x.man_exp()
    return Fraction(int(m)) * Fraction(2) ** int(e)


def interval(x: arb, digits: int = 17) -> list[str]:
    """``[lo, hi]`` decimal strings with ``lo <= x <= hi`` for every point of the ball (rounded
    outward to ``digits`` significant digits).

    >>> interval(arb(1) / 3, 5)
    ['0.33333', '0.33334']
    """
    return [_decimal(dyadic(x.lower()), digits, down=True),
            _decimal(dyadic(x.upper()), digits, down=False)]


def _decimal(q: Fraction, digits: int, down: bool) -> str:
    if q == 0:
        return "0"
    e = math.floor(math.log10(abs(q.numerator)) - math.log10(q.denominator))
    k = digits - 1 - e
    scaled = q * Fraction(10) ** k
    m = math.floor(scaled) if down else math.ceil(scaled)
    return str(Decimal(m).scaleb(-k).normalize()) if m else "0"
