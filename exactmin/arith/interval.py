"""Exact intervals: how a rigorously enclosed real number crosses a public boundary.

Ball arithmetic (python-flint ``arb``) computes enclosures inside a layer; what a public result
carries is an :class:`Interval` of two Fractions (the ball's exact dyadic endpoints), so that a
user never needs flint to read, compare or serialise it.

>>> from fractions import Fraction
>>> I = Interval(Fraction(1, 3), Fraction(1, 2))
>>> Fraction(2, 5) in I, I > 0, I < Fraction(2, 5), I.sign(), I.to_strings(5)
(True, True, False, 1, ['0.33333', '0.5'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = ["Interval", "decimal_bound"]


@dataclass(frozen=True)
class Interval:
    """The closed interval ``[lo, hi]`` of exact rationals (``lo <= hi``) that contains a real
    number known only by enclosure (an ``exp``, an ``atan``, an eigenvalue).

    >>> Interval(Fraction(-1), Fraction(2)).sign()  # the sign is not decided
    0
    >>> str(Interval(Fraction(-1, 3), Fraction(-1, 4)))
    '[-0.333333333334, -0.25]'
    >>> Interval(Fraction(2), Fraction(1))
    Traceback (most recent call last):
    ...
    ValueError: Interval(lo=2, hi=1): lo must be <= hi
    """

    lo: Fraction
    hi: Fraction

    def __post_init__(self) -> None:
        if not self.lo <= self.hi:
            raise ValueError(f"Interval(lo={self.lo}, hi={self.hi}): lo must be <= hi")

    def __contains__(self, q: object) -> bool:
        return isinstance(q, (int, Fraction)) and self.lo <= q <= self.hi

    # Comparisons with a number are certain or False, as for balls: ``I < q`` means every point
    # of ``I`` is below ``q``.
    def __lt__(self, q: Fraction | int) -> bool:
        return self.hi < q

    def __le__(self, q: Fraction | int) -> bool:
        return self.hi <= q

    def __gt__(self, q: Fraction | int) -> bool:
        return self.lo > q

    def __ge__(self, q: Fraction | int) -> bool:
        return self.lo >= q

    def __add__(self, other: Interval | Fraction | int) -> Interval:
        o = other if isinstance(other, Interval) else Interval(Fraction(other), Fraction(other))
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__  # so that sum(intervals) starts from 0

    def __mul__(self, other: Interval | Fraction | int) -> Interval:
        """Contains ``a * b`` for every ``a`` in ``self`` and ``b`` in ``other``.

        >>> Interval(Fraction(-1), Fraction(2)) * Interval(Fraction(3), Fraction(4))
        Interval(-4, 8)
        """
        o = other if isinstance(other, Interval) else Interval(Fraction(other), Fraction(other))
        ends = [a * b for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Interval(min(ends), max(ends))

    __rmul__ = __mul__

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other: Interval | Fraction | int) -> Interval:
        """Contains ``a - b`` for every ``a`` in ``self`` and ``b`` in ``other``.

        >>> Interval(Fraction(2), Fraction(3)) - Interval(Fraction(0), Fraction(1))
        Interval(1, 3)
        """
        return self + (-other)

    @property
    def mid(self) -> Fraction:
        return (self.lo + self.hi) / 2

    def sign(self) -> int:
        """1 if every point is positive, -1 if every point is negative, 0 otherwise."""
        return 1 if self.lo > 0 else -1 if self.hi < 0 else 0

    @property
    def width(self) -> Fraction:
        return self.hi - self.lo

    def to_strings(self, digits: int = 17) -> list[str]:
        """``[lo, hi]`` as decimal strings rounded outward to ``digits`` significant digits (so
        the printed interval still contains the number)."""
        return [decimal_bound(self.lo, digits, down=True),
                decimal_bound(self.hi, digits, down=False)]

    def __str__(self) -> str:
        lo, hi = self.to_strings(12)
        return f"[{lo}, {hi}]"

    def __repr__(self) -> str:
        from exactmin.arith.rational import show

        return f"Interval({show(self.lo)}, {show(self.hi)})"


def decimal_bound(q: Fraction, digits: int, down: bool) -> str:
    """``q`` rounded down (or up) to ``digits`` significant decimal digits, as a string.

    >>> decimal_bound(Fraction(2, 3), 3, down=True), decimal_bound(Fraction(2, 3), 3, down=False)
    ('0.666', '0.667')
    """
    if q == 0:
        return "0"
    e = math.floor(math.log10(abs(q.numerator)) - math.log10(q.denominator))
    k = digits - 1 - e
    scaled = q * Fraction(10) ** k
    m = math.floor(scaled) if down else math.ceil(scaled)
    return str(Decimal(m).scaleb(-k).normalize()) if m else "0"
