"""Angular volumes of the regions of a central arrangement (Soudry-Hoffer; proofs/soudry_hoffer.md).

The angular volume of an open cone ``C = {w in R^d0 : s_n (w . x_n) > 0 for every nonzero
x_n}`` is ``V(C) = P(w in C)`` for a standard Gaussian ``w``. Since the Gaussian is rotation
invariant and its projection onto a subspace is a standard Gaussian there, ``V(C)`` is the
normalized solid angle of ``C`` inside the span of the data (the constraints only see that
span). With ``r`` that span's dimension:

- ``r = 0``: ``V = 1``; ``r = 1``: ``V = 1/2`` (exact);
- ``r = 2``: the cone is a wedge between two extreme rays ``v1, v2``: ``V = theta / (2 pi)``,
  ``theta = atan2(sqrt(det Gram(v1, v2)), v1 . v2)``;
- ``r = 3``: extreme rays ``v_0, ..., v_{k-1}`` in cyclic order, fan triangulation, and for each
  triangle the Van Oosterom-Strackee formula ``tan(Omega / 2) = sqrt(det Gram(a, b, c)) /
  (|a||b||c| + (a.b)|c| + (a.c)|b| + (b.c)|a|)``; ``V = sum Omega / (4 pi)``.

The combinatorics (span, extreme rays, their cyclic order) are exact rational arithmetic; only
the final angles are evaluated, in ball arithmetic (python-flint ``arb``), so every enclosure is
rigorous. For ``r >= 4`` see :func:`monte_carlo_volume` (a statistical interval, never called
an enclosure).
"""

from __future__ import annotations

import functools
import math
import random
from fractions import Fraction
from typing import Sequence

from flint import arb

from exactmin.arith import dot
from exactmin.arith.balls import exact_ball, precision

__all__ = ["MAX_EXACT_RANK", "cone_rank", "monte_carlo_volume", "region_volume"]

MAX_EXACT_RANK = 3
Vector = tuple[Fraction, ...]


def _normals(X: Sequence[Sequence[Fraction]], signs: Sequence[int]) -> list[Vector]:
    """``s_n x_n`` for every nonzero data point, one per direction."""
    out: dict[Vector, Vector] = {}
    for n, s in enumerate(signs):
        x = tuple(Fraction(row[n]) * s for row in X)
        if not any(x):
            continue
        lead = next(abs(v) for v in x if v)
        out.setdefault(tuple(v / lead for v in x), x)
    return list(out.values())


def _basis(vectors: Sequence[Vector]) -> list[Vector]:
    """A maximal independent subset of ``vectors`` (exact elimination)."""
    basis: list[Vector] = []
    reduced: list[tuple[int, list[Fraction]]] = []
    for v in vectors:
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


def cone_rank(X: Sequence[Sequence[Fraction]]) -> int:
    """Dimension of the span of the data points (the ``r`` of the module docstring).

    >>> cone_rank([[1, 2, 0], [0, 0, 0], [1, 2, 0]])
    1
    """
    cols = [tuple(Fraction(row[n]) for row in X) for n in range(len(X[0]))]
    return len(_basis([c for c in cols if any(c)]))


def _cross(a: Sequence[Fraction], b: Sequence[Fraction]) -> Vector:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _extreme_rays(normals: list[Vector], basis: list[Vector]) -> list[Vector]:
    """Extreme rays of ``{w in span : a . w >= 0}`` in coordinates of ``basis`` (r = 2 or 3):
    rays on the boundary of two constraints (one for r = 2) that satisfy all constraints."""
    r = len(basis)
    M = [tuple(dot(b, a) for b in basis) for a in normals]  # a . (B c) = (B^T a) . c
    candidates: list[Vector] = []
    if r == 2:
        candidates = [(-m[1], m[0]) for m in M]
    else:
        candidates = [_cross(M[i], M[j]) for i in range(len(M)) for j in range(i + 1, len(M))]
    rays: dict[Vector, Vector] = {}
    for c in candidates:
        for s in (1, -1):
            v = tuple(s * x for x in c)
            if any(v) and all(dot(m, v) >= 0 for m in M):
                lead = max(abs(x) for x in v)
                rays.setdefault(tuple(x / lead for x in v), v)
    return list(rays.values())


def _cyclic(rays: list[Vector]) -> list[Vector]:
    """The rays of a pointed 3-dimensional cone in cyclic order around their sum (exact)."""
    q: Vector = tuple(sum((v[k] for v in rays), Fraction(0)) for k in range(3))
    axis = min(range(3), key=lambda k: float(abs(q[k])))
    e1 = _cross(q, tuple(Fraction(int(k == axis)) for k in range(3)))
    e2 = _cross(q, e1)
    planar = {v: (dot(v, e1), dot(v, e2)) for v in rays}

    def compare(u: Vector, v: Vector) -> int:
        (ux, uy), (vx, vy) = planar[u], planar[v]
        hu, hv = (uy < 0 or (uy == 0 and ux < 0)), (vy < 0 or (vy == 0 and vx < 0))
        if hu != hv:
            return 1 if hu else -1
        cross = ux * vy - uy * vx
        return -1 if cross > 0 else (1 if cross < 0 else 0)

    return sorted(rays, key=functools.cmp_to_key(compare))


def _gram_det(vs: Sequence[Vector]) -> Fraction:
    """``det Gram(vs)`` exactly (2 or 3 vectors)."""
    G = [[dot(a, b) for b in vs] for a in vs]
    if len(vs) == 2:
        return G[0][0] * G[1][1] - G[0][1] * G[1][0]
    return (G[0][0] * (G[1][1] * G[2][2] - G[1][2] * G[2][1])
            - G[0][1] * (G[1][0] * G[2][2] - G[1][2] * G[2][0])
            + G[0][2] * (G[1][0] * G[2][1] - G[1][1] * G[2][0]))


def _norm(v: Vector) -> arb:
    return exact_ball(dot(v, v)).sqrt()


def region_volume(X: Sequence[Sequence[Fraction]], signs: Sequence[int], bits: int = 128
                  ) -> arb:
    """The angular volume of the region with sign vector ``signs`` (0 for zero points), as an
    arb ball that contains it. The region must be nonempty (a region of the arrangement).

    Raises ValueError when the data span more than 3 dimensions (use
    :func:`monte_carlo_volume`).

    Examples
    --------
    >>> X = [[1, 0, 1], [0, 1, 1]]
    >>> v = region_volume(X, (1, 1, 1))  # the quadrant: the wedge between the two axes
    >>> v.contains(arb(1) / 4), v.rad() < 1e-30
    (True, True)
    >>> region_volume([[1, 0, 0], [0, 1, 0], [0, 0, 1]], (1, 1, 1)).contains(arb(1) / 8)
    True
    """
    normals = _normals(X, signs)
    basis = _basis(normals)
    r = len(basis)
    with precision(bits):
        if r == 0:
            return arb(1)
        if r == 1:
            return arb(1) / 2
        if r > MAX_EXACT_RANK:
            raise ValueError(f"the data span {r} > {MAX_EXACT_RANK} dimensions: no exact "
                             "solid-angle formula here; use monte_carlo_volume")
        coords = _extreme_rays(normals, basis)
        rays = [tuple(sum((c[k] * basis[k][j] for k in range(r)), Fraction(0))
                      for j in range(len(basis[0]))) for c in coords]
        if r == 2:
            if len(rays) != 2:
                raise ValueError(f"expected 2 extreme rays of a planar wedge, found {len(rays)}")
            a, b = rays
            theta = arb.atan2(exact_ball(_gram_det([a, b])).sqrt(), exact_ball(dot(a, b)))
            return theta / (2 * arb.pi())
        order = [rays[coords.index(c)] for c in _cyclic(coords)]
        total = arb(0)
        norms = [_norm(v) for v in order]
        for i in range(1, len(order) - 1):
            a, b, c = order[0], order[i], order[i + 1]
            na, nb, nc = norms[0], norms[i], norms[i + 1]
            num = exact_ball(_gram_det([a, b, c])).sqrt()
            den = (na * nb * nc + exact_ball(dot(a, b)) * nc + exact_ball(dot(a, c)) * nb
                   + exact_ball(dot(b, c)) * na)
            total += 2 * arb.atan2(num, den)
        return total / (4 * arb.pi())


def monte_carlo_volume(X: Sequence[Sequence[Fraction]], signs: Sequence[int], samples: int,
                       seed: int = 0, confidence: float = 0.999) -> tuple[float, float, int]:
    """A seeded Monte Carlo estimate of the region's angular volume for any span: the Wilson
    score interval ``(lo, hi)`` at ``confidence`` and the number of hits among ``samples``
    standard Gaussian ``w``. Each sample is a float vector taken as the exact rational it is,
    so whether it lies in the region is decided exactly. A statistical interval, labelled as
    such wherever it is shown.

    >>> lo, hi, hits = monte_carlo_volume([[1, 0], [0, 1]], (1, 1), 4000, seed=1)
    >>> lo < 0.25 < hi
    True
    """
    rng = random.Random(seed)
    d0 = len(X)
    normals = _normals(X, signs)
    hits = 0
    for _ in range(samples):
        w = [Fraction(rng.gauss(0.0, 1.0)) for _ in range(d0)]
        hits += all(dot(a, w) > 0 for a in normals)
    z = _normal_quantile(0.5 + confidence / 2)
    p, n = hits / samples, samples
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half), hits


def _normal_quantile(q: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)
