"""Ball arithmetic helpers (python-flint ``arb``): working precision, exact conversions.

An arb ball ``[m +- r]`` contains the true value; these helpers move exact rationals in and
exact dyadic endpoints out, so that every number that leaves ball arithmetic is a Fraction.
"""

from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction
from typing import Iterator

from flint import arb, ctx

from exactmin.arith.interval import Interval

__all__ = ["dyadic", "enclosure", "exact_ball", "interval", "precision"]


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


def enclosure(x: arb) -> Interval:
    """The exact interval ``[lo, hi]`` (dyadic Fractions) of the ball ``x``: what a public result
    carries instead of the ball.

    >>> enclosure(arb(1) / 4)
    Interval(1/4, 1/4)
    """
    return Interval(dyadic(x.lower()), dyadic(x.upper()))


def interval(x: arb | Interval, digits: int = 17) -> list[str]:
    """``[lo, hi]`` decimal strings with ``lo <= x <= hi`` for every point of the ball or exact
    interval ``x`` (rounded outward to ``digits`` significant digits).

    >>> interval(arb(1) / 3, 5), interval(Interval(Fraction(1, 3), Fraction(1, 2)), 5)
    (['0.33333', '0.33334'], ['0.33333', '0.5'])
    """
    return (x if isinstance(x, Interval) else enclosure(x)).to_strings(digits)
