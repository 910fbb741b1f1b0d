"""The kernel's own angular volumes of unit regions whose data span at most 3 dimensions.

A unit region ``{w : sign(w . x_n) = s_n}`` has angular volume 1 (no nonzero data point), 1/2
(the data span a line), ``theta / (2 pi)`` (a plane; ``theta`` the angle between the two
extreme rays of the region inside the span), or ``Omega / (4 pi)`` (a 3-space; ``Omega`` the
solid angle of the pointed cone, a fan of triangles from an interior ray, each by the formula
of Van Oosterom and Strackee, ``tan(Omega_T / 2) = |det(a, b, c)| / (|a||b||c| + (a.b)|c| +
(a.c)|b| + (b.c)|a|)``, taken as ``pi/2 - atan(den / num)`` so that no branch is needed).

Everything is exact except ``sqrt``, ``atan`` and ``pi``, bounded here in rationals: ``sqrt`` by
integer square roots with ``BITS`` bits of relative precision, ``atan`` by its alternating
Taylor series in outward-rounded dyadic interval arithmetic after argument reduction
(``atan x = pi/2 - atan(1/x)`` for ``x > 1``, ``atan x = atan(1/2) + atan((x - 1/2) /
(1 + x/2))`` for ``1/2 < x <= 1``), ``pi`` by Machin's formula. Every argument is rounded
outward to ``BITS + 8`` bits before a series (``atan`` is increasing), so the cost does not
depend on the data's digits. Standard library only.
"""

import math
from fractions import Fraction
from typing import Any

from .exact import dot as _dot
from .exact import echelon

Interval = tuple[Fraction, Fraction]
BITS = 96
PREC = BITS + 8  # binary digits of every rounded quantity


def _down(q: Fraction, bits: int = PREC) -> Fraction:
    return Fraction((q.numerator << bits) // q.denominator, 1 << bits)


def _up(q: Fraction, bits: int = PREC) -> Fraction:
    return Fraction(-((-q.numerator << bits) // q.denominator), 1 << bits)


def _atan_small(x: Interval) -> Interval:
    """``0 <= x_lo <= x_hi <= 1/2``: an interval holding atan(x) for every x in ``x``. The
    partial sums ``S_K`` are enclosed in outward-rounded interval arithmetic (all powers are
    nonnegative), and ``|atan x - S_K(x)| <= x^(2K+1) / (2K+1)`` (alternating series)."""
    lo2, hi2 = _down(x[0] * x[0]), _up(x[1] * x[1])
    plo, phi = x  # x^(2k+1)
    slo = shi = Fraction(0)
    eps = Fraction(1, 1 << BITS)
    k = 0
    while True:
        tlo, thi = _down(plo / (2 * k + 1)), _up(phi / (2 * k + 1))
        slo, shi = (slo + tlo, shi + thi) if k % 2 == 0 else (slo - thi, shi - tlo)
        plo, phi = _down(plo * lo2), _up(phi * hi2)
        k += 1
        nxt = _up(phi / (2 * k + 1))
        if nxt < eps:
            return (slo - nxt, shi + nxt)


_PI: list[Interval] = []


def pi_bounds() -> Interval:
    if not _PI:
        a = _atan_small((Fraction(1, 5), Fraction(1, 5)))
        b = _atan_small((Fraction(1, 239), Fraction(1, 239)))
        _PI.append((16 * a[0] - 4 * b[1], 16 * a[1] - 4 * b[0]))
    return _PI[0]


def atan_bounds(x: Fraction) -> Interval:
    """Rationals ``lo <= atan(x) <= hi`` (dyadic, about ``BITS`` bits apart).

    >>> lo, hi = atan_bounds(Fraction(1))
    >>> lo < Fraction(785398163397448309615660845819875721, 10**36) < hi, float(hi - lo) < 1e-27
    (True, True)
    """
    if x < 0:
        lo, hi = atan_bounds(-x)
        return (-hi, -lo)
    if x > 1:
        lo, hi = atan_bounds(1 / x)
        p = pi_bounds()
        return (p[0] / 2 - hi, p[1] / 2 - lo)
    if x > Fraction(1, 2):
        a = _atan_small((Fraction(1, 2), Fraction(1, 2)))
        b = atan_bounds((x - Fraction(1, 2)) / (1 + x / 2))
        return (a[0] + b[0], a[1] + b[1])
    return _atan_small((_down(x), _up(x)))


def sqrt_bounds(q: Fraction) -> Interval:
    """Rationals ``lo <= sqrt(q) <= hi`` (``q >= 0``), ``hi - lo`` at most ``2^-BITS sqrt(q)``
    for ``q > 0``: with ``n = floor(q 4^s)`` and ``r = isqrt(n)``, ``r^2 <= q 4^s < (r + 1)^2``,
    where ``s`` makes ``n >= 4^BITS``."""
    s = BITS + max(0, (q.denominator.bit_length() - q.numerator.bit_length()) // 2 + 1)
    r = math.isqrt(q.numerator * (1 << (2 * s)) // q.denominator)
    return (Fraction(r, 1 << s), Fraction(r + 1, 1 << s))


def _cross(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def _scale(q: Fraction, x: Interval) -> Interval:
    """``q * x`` for an interval ``x`` of nonnegative numbers."""
    return (q * x[0], q * x[1]) if q >= 0 else (q * x[1], q * x[0])


def unit_volume(cols: list[list[Fraction]], signs: list[int]) -> Interval | None:
    """An enclosure of the region's angular volume, or None when the data span 4 or more
    dimensions (not re-derived by this kernel)."""
    normals = [[s * x for x in c] for c, s in zip(cols, signs) if s and any(c)]
    basis = echelon(normals)
    r = len(basis)
    if r == 0:
        return (Fraction(1), Fraction(1))
    if r == 1:
        return (Fraction(1, 2), Fraction(1, 2))
    if r > 3:
        return None
    M = [[_dot(b, a) for b in basis] for a in normals]  # a . (B c) = (B^T a) . c
    if r == 2:
        candidates = [[-m[1], m[0]] for m in M]
    else:
        candidates = [_cross(M[i], M[j]) for i in range(len(M)) for j in range(i + 1, len(M))]
    rays: dict[tuple[Fraction, ...], list[Fraction]] = {}
    for c in candidates:
        for v in (c, [-x for x in c]):
            if any(v) and all(_dot(m, v) >= 0 for m in M):
                lead = max(abs(x) for x in v)
                rays.setdefault(tuple(x / lead for x in v), v)
    coords = list(rays.values())
    if len(coords) < r:  # a region of the arrangement is open and nonempty: never here
        return None
    vecs = [[sum((c[k] * basis[k][j] for k in range(r)), Fraction(0))
             for j in range(len(basis[0]))] for c in coords]  # the rays in R^d0
    p = pi_bounds()
    if r == 2:  # theta = pi/2 - atan(a.b / |a x b|)
        a, b = vecs
        t = _half_pi_minus_atan(_dot(a, a) * _dot(b, b) - _dot(a, b) ** 2, (_dot(a, b),) * 2)
        return (t[0] / (2 * p[1]), t[1] / (2 * p[0]))
    # a fan of triangles from the interior ray q = sum of the extreme rays, one per facet: a
    # plane of a constraint holding two extreme rays holds a 2-dimensional face (a facet)
    q = [sum((v[j] for v in vecs), Fraction(0)) for j in range(len(vecs[0]))]
    facets = {tuple(k for k, v in enumerate(coords) if _dot(m, v) == 0) for m in M}
    total = (Fraction(0), Fraction(0))
    for f in (f for f in facets if len(f) == 2):
        t = _triangle(q, vecs[f[0]], vecs[f[1]])
        total = (total[0] + 2 * t[0], total[1] + 2 * t[1])
    return (total[0] / (4 * p[1]), total[1] / (4 * p[0]))


def _half_pi_minus_atan(num2: Fraction, den: Interval) -> Interval:
    """``pi/2 - atan(den / sqrt(num2))`` (``num2 > 0``), which is ``atan2(sqrt(num2), den)``."""
    num = sqrt_bounds(num2)
    lo = den[0] / (num[1] if den[0] >= 0 else num[0])
    hi = den[1] / (num[0] if den[1] >= 0 else num[1])
    p = pi_bounds()
    return (p[0] / 2 - atan_bounds(hi)[1], p[1] / 2 - atan_bounds(lo)[0])


def _triangle(a: list[Fraction], b: list[Fraction], c: list[Fraction]) -> Interval:
    """Half the solid angle of the cone over three independent vectors (module docstring):
    ``num^2`` is their Gram determinant, ``det(a, b, c)^2 > 0``."""
    G = [[_dot(u, v) for v in (a, b, c)] for u in (a, b, c)]
    num2 = (G[0][0] * (G[1][1] * G[2][2] - G[1][2] ** 2) - G[0][1] * (G[0][1] * G[2][2]
            - G[1][2] * G[0][2]) + G[0][2] * (G[0][1] * G[1][2] - G[1][1] * G[0][2]))
    na, nb, nc = (sqrt_bounds(G[k][k]) for k in range(3))
    terms = [(na[0] * nb[0] * nc[0], na[1] * nb[1] * nc[1]), _scale(G[0][1], nc),
             _scale(G[0][2], nb), _scale(G[1][2], na)]
    return _half_pi_minus_atan(num2, (sum((t[0] for t in terms), Fraction(0)),
                                      sum((t[1] for t in terms), Fraction(0))))


def check_enclosure(claimed: Any, own: Interval, what: str) -> None:
    from .reader import Rejected, sci

    if not (claimed[0] <= own[0] and own[1] <= claimed[1]):
        raise Rejected(what, f"an interval containing [{sci(own[0], 17)}, {sci(own[1], 17)}]",
                       [claimed[0], claimed[1]])
