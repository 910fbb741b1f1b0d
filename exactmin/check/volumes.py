"""The kernel's own angular volumes of unit regions whose data span at most 2 dimensions.

A unit region ``{w : sign(w . x_n) = s_n}`` has angular volume 1 (no nonzero data point), 1/2
(the data span a line), or ``theta / (2 pi)`` (a plane), ``theta`` the angle between the two
extreme rays of the region inside the span. Everything is exact except ``sqrt``, ``atan`` and
``pi``, bounded here in rationals: ``sqrt`` by integer square roots, ``atan`` by its alternating
Taylor series after exact argument reduction (``atan x = pi/2 - atan(1/x)`` for ``x > 1``,
``atan x = atan(1/2) + atan((x - 1/2) / (1 + x/2))`` for ``1/2 < x <= 1``), ``pi`` by Machin's
formula. Standard library only.
"""

import math
from fractions import Fraction
from typing import Any

Interval = tuple[Fraction, Fraction]
BITS = 96


def _atan_small(x: Fraction) -> Interval:
    """``|x| <= 1/2``: partial sums of the alternating series bracket atan(x)."""
    total, power, k = Fraction(0), x, 0
    eps = Fraction(1, 1 << BITS)
    while True:
        term = power / (2 * k + 1)
        total += -term if k % 2 else term
        power *= x * x
        k += 1
        nxt = abs(power) / (2 * k + 1)
        if nxt < eps:
            return (total - nxt, total + nxt)


def pi_bounds() -> Interval:
    a, b = _atan_small(Fraction(1, 5)), _atan_small(Fraction(1, 239))
    return (16 * a[0] - 4 * b[1], 16 * a[1] - 4 * b[0])


def atan_bounds(x: Fraction) -> Interval:
    """Rationals ``lo <= atan(x) <= hi``."""
    if x < 0:
        lo, hi = atan_bounds(-x)
        return (-hi, -lo)
    if x > 1:
        lo, hi = atan_bounds(1 / x)
        p = pi_bounds()
        return (p[0] / 2 - hi, p[1] / 2 - lo)
    if x > Fraction(1, 2):
        a = _atan_small(Fraction(1, 2))
        b = _atan_small((x - Fraction(1, 2)) / (1 + x / 2))
        return (a[0] + b[0], a[1] + b[1])
    return _atan_small(x)


def sqrt_bounds(q: Fraction) -> Interval:
    """Rationals ``lo <= sqrt(q) <= hi`` (``q >= 0``) with ``hi - lo = 2^-BITS``: with
    ``n = floor(q 4^BITS)`` and ``r = isqrt(n)``, ``r^2 <= q 4^BITS < (r + 1)^2``."""
    r = math.isqrt(q.numerator * (1 << (2 * BITS)) // q.denominator)
    return (Fraction(r, 1 << BITS), Fraction(r + 1, 1 << BITS))


def _dot(a: list[Fraction], b: list[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def _basis(vs: list[list[Fraction]]) -> list[list[Fraction]]:
    basis: list[list[Fraction]] = []
    reduced: list[tuple[int, list[Fraction]]] = []
    for v in vs:
        w = list(v)
        for piv, b in reduced:
            if w[piv]:
                f = w[piv] / b[piv]
                w = [x - f * y for x, y in zip(w, b)]
        lead = next((k for k, x in enumerate(w) if x), None)
        if lead is not None:
            reduced.append((lead, w))
            basis.append(v)
    return basis


def unit_volume(cols: list[list[Fraction]], signs: list[int]) -> Interval | None:
    """An enclosure of the region's angular volume, or None when the data span 3 or more
    dimensions (not re-derived by this kernel)."""
    normals = [[s * x for x in c] for c, s in zip(cols, signs) if s and any(c)]
    basis = _basis(normals)
    if not basis:
        return (Fraction(1), Fraction(1))
    if len(basis) == 1:
        return (Fraction(1, 2), Fraction(1, 2))
    if len(basis) > 2:
        return None
    M = [[_dot(b, a) for b in basis] for a in normals]
    rays: dict[tuple[Fraction, ...], list[Fraction]] = {}
    for m in M:
        for c in ([-m[1], m[0]], [m[1], -m[0]]):
            if any(c) and all(_dot(mm, c) >= 0 for mm in M):
                lead = max(abs(x) for x in c)
                rays.setdefault(tuple(x / lead for x in c), c)
    if len(rays) != 2:
        return None
    a, b = [[sum((c[k] * basis[k][j] for k in range(2)), Fraction(0))
             for j in range(len(basis[0]))] for c in rays.values()]
    s = sqrt_bounds(_dot(a, a) * _dot(b, b) - _dot(a, b) ** 2)  # |a||b| sin(theta) > 0
    cos = _dot(a, b)  # |a||b| cos(theta)
    p = pi_bounds()
    if cos == 0:
        theta = (p[0] / 2, p[1] / 2)
    elif cos > 0:
        lo, hi = atan_bounds(s[0] / cos), atan_bounds(s[1] / cos)
        theta = (lo[0], hi[1])
    else:
        lo, hi = atan_bounds(s[1] / -cos), atan_bounds(s[0] / -cos)
        theta = (p[0] - lo[1], p[1] - hi[0])
    return (theta[0] / (2 * p[1]), theta[1] / (2 * p[0]))


def check_enclosure(claimed: Any, own: Interval, what: str) -> None:
    from .reader import Rejected

    if not (claimed[0] <= own[0] and own[1] <= claimed[1]):
        raise Rejected(what, f"an interval containing [{float(own[0]):.17g}, "
                             f"{float(own[1]):.17g}]", [str(claimed[0]), str(claimed[1])])
