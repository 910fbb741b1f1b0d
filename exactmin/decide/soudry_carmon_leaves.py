"""The compact witness that a region holds no DLM: a tree of sign choices of ``z`` with one
integer Motzkin certificate per leaf (docs/certificates/soudry_carmon/census.md,
"Sign-choice leaves").

The kernel derives the least-squares set of the region itself, ``v = v* + sum_f c_f b_f``
(``v*`` and ``b_f`` from the reduced row echelon form of ``[K K^T | K y]``, free coordinates
0 in ``v*``), and from it one integer row per unit ``i`` and nonzero point ``n``: ``x_n . v_i``
as ``h . c + h0``, scaled to the primitive integer vector ``(h, h0)`` (a positive scale, so
every sign is kept); ``v_i = 0`` likewise gives ``d0`` equations per unit. For a sign choice
``sigma`` the DLMs of the region are the ``c`` with ``sigma_i s_in (h . c + h0) > 0`` for every
unit with ``sigma_i != 0`` and ``v_i = 0`` for the others.

The sign choices are searched depth first over the units in an order the writer picks (most
constrained unit first, as :class:`~exactmin.decide.RegionDecider` does); a partial choice
whose system is already empty is a leaf and covers all its completions. Each leaf's
multipliers come from :func:`~exactmin.geometry.farkas.motzkin_certificate` (Fourier-Motzkin
carrying its multipliers), or from PPL's exact LP when elimination grows too large. The
writer's scaled problem (``K`` times ``scale``, ``y`` times ``Dy``) gives the same rows: the
row ``den (x_n . v_i)`` of the scaled problem is ``(h_w . c + h0_w)`` and the canonical row is
the primitive vector of ``(Dy h_w, scale h0_w)``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

import flint

from exactmin.decide.soudry_carmon_integer import RegionDecider
from exactmin.geometry import Region, find_motzkin_certificate
from exactmin.geometry.farkas import Certificate, motzkin_certificate

__all__ = ["Leaf", "no_dlm_tree", "tree_entry"]

# (depth, mu as (unit, point, multiplier) triples, lam as (unit, coordinate, multiplier))
Leaf = tuple[int, list[tuple[int, int, int]], list[tuple[int, int, int]]]


def _primitive(row: Sequence[int]) -> tuple[int, ...]:
    g = math.gcd(*row)
    return tuple(x // g for x in row) if g > 1 else tuple(row)


def _lp_certificate(strict: list[tuple[int, ...]], eq: list[tuple[int, ...]], k: int
                    ) -> Certificate | bool:
    """The exact LP's answer on the homogenized system (``s > 0`` for the constant column),
    as integer multipliers, or True when the system has a solution."""
    C = [[Fraction(x) for x in r] for r in strict] + [[Fraction(0)] * k + [Fraction(1)]]
    found = find_motzkin_certificate(C, k + 1, [[Fraction(x) for x in e] for e in eq],
                                     [Fraction(0)] * len(eq))
    if found is None:
        return True
    lam, mu = found
    D = math.lcm(*(q.denominator for q in (*lam, *mu)))
    return ({r: int(m * D) for r, m in enumerate(mu[:-1]) if m},
            {q: int(x * D) for q, x in enumerate(lam) if x})


def no_dlm_tree(decider: RegionDecider, regions: Sequence[Region]
                ) -> tuple[list[int], list[Leaf]] | None:
    """``(order, leaves)`` proving that no sign choice of ``z`` has a DLM in ``regions``, or
    None when one has (the region holds a DLM).

    >>> from exactmin.geometry import enumerate_regions
    >>> from exactmin.models import Instance
    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho="1/2")
    >>> decider = RegionDecider(inst)
    >>> [no_dlm_tree(decider, [r]) is None for r in enumerate_regions(inst.X)]
    [True, False, False, True]
    """
    regions = tuple(regions)
    inst = decider.inst
    d0, d1 = inst.d0, inst.d1
    _, P, Pf, _, _ = decider.least_squares(regions)
    k = len(P[0]) - 1
    H = [] if decider.XB is None else [[int(x) for x in row] for row in (decider.XB * Pf).tolist()]
    Dy, scale = decider.Dy, decider.scale

    def canonical(row: Sequence[int]) -> tuple[int, ...]:
        return _primitive([Dy * x for x in row[:k]] + [scale * row[k]])

    strict: list[list[tuple[int, int, tuple[int, ...]]]] = []  # per unit: (n, s_in, row)
    eqs: list[list[tuple[int, tuple[int, ...]]]] = []  # per unit: (j, row)
    for i in range(d1):
        lo, hi = decider.unit_rows[i]
        strict.append([(n, regions[i].signs[n], canonical(h))
                       for n, h in zip(decider.points, H[lo:hi]) if regions[i].signs[n]])
        eqs.append([(j, canonical(P[i * d0 + j])) for j in range(d0)])
    order = sorted(range(d1), key=lambda i: (flint.fmpz_mat([list(e[:k]) for _, e in eqs[i]])
                                             .rank() if k else 0, i))
    leaves: list[Leaf] = []

    Found = tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]

    def empty(prefix: tuple[int, ...]) -> Found | None:
        """The leaf's multipliers keyed by (unit, row), or None when its system has a point."""
        rows: list[tuple[int, ...]] = []
        rid: list[tuple[int, int]] = []
        erows: list[tuple[int, ...]] = []
        eid: list[tuple[int, int]] = []
        for i, s in zip(order, prefix):
            if s == 0:
                for j, e in eqs[i]:
                    erows.append(e)
                    eid.append((i, j))
            else:
                for n, sg, h in strict[i]:
                    rows.append(h if s * sg > 0 else tuple(-x for x in h))
                    rid.append((i, n))
        got = motzkin_certificate(rows, erows, k)
        if got is None:
            got = _lp_certificate(rows, erows, k)
        if isinstance(got, bool):
            return None
        mu, lam = got
        g = math.gcd(*mu.values(), *lam.values()) or 1  # a positive multiple proves the same
        return ({rid[r]: m // g for r, m in mu.items()}, {eid[q]: x // g for q, x in lam.items()})

    def search(prefix: tuple[int, ...]) -> bool:
        """True when some completion of ``prefix`` has a DLM."""
        if prefix:
            got = empty(prefix)
            if got is not None:
                mu, lam = got
                leaves.append((len(prefix), sorted((i, n, m) for (i, n), m in mu.items()),
                               sorted((i, j, x) for (i, j), x in lam.items())))
                return False
            if len(prefix) == d1:
                return True
        return any(search(prefix + (s,)) for s in (1, -1, 0))

    return None if search(()) else (order, leaves)


def tree_entry(order: list[int], leaves: list[Leaf]) -> dict[str, Any]:
    """The JSON entry ``{"no_dlm_tree": {"order", "leaves"}}`` (flat integer lists)."""
    return {"no_dlm_tree": {"order": order, "leaves": [
        [depth, [x for t in mu for x in t], [x for t in lam for x in t]]
        for depth, mu, lam in leaves]}}
