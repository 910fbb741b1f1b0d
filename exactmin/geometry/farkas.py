"""Integer Motzkin certificates for small strict systems, by Fourier-Motzkin elimination that
carries its multipliers.

A system of integer rows ``a . c + b > 0`` (strict) and ``e . c + e0 = 0`` (equations) in
``c`` in Q^k has no solution iff some integers ``mu >= 0`` (on the strict rows) and ``lam`` (on
the equations) give

    sum mu_r a_r + sum lam_q e_q = 0,    sum mu_r b_r + sum lam_q e0_q <= 0,

with ``mu != 0`` or the second sum ``< 0`` (Motzkin's transposition theorem; the easy direction
is one line: at a solution the left sides are ``sum mu_r (a_r . c + b_r) > 0`` or ``0``). The
kernel checks exactly this (docs/certificates/soudry_carmon/census.md, "Sign-choice leaves").

Every row Fourier-Motzkin derives is such a combination of the input rows, so carrying the
combination along turns its "infeasible" into the multipliers. Each equation eliminates one
variable by substitution, then each variable is eliminated by combining every row where it is
positive with every row where it is negative (positive weights keep a strict row strict); a
row ``0 . c + b > 0`` with ``b <= 0`` is the certificate. Integers throughout, each derived row
divided by the gcd of its entries and its multipliers.
"""

from __future__ import annotations

import math
from typing import Sequence

__all__ = ["Certificate", "motzkin_certificate"]

FM_LIMIT = 400  # rows; beyond this, give up (the caller asks an LP)

Certificate = tuple[dict[int, int], dict[int, int]]  # (mu on strict rows, lam on equations)
_Row = tuple[list[int], dict[int, int], dict[int, int]]  # (coefficients and constant, mu, lam)


def _reduced(row: list[int], mu: dict[int, int], lam: dict[int, int]) -> _Row:
    g = math.gcd(*row, *mu.values(), *lam.values())
    if g > 1:
        return ([x // g for x in row], {r: m // g for r, m in mu.items()},
                {q: x // g for q, x in lam.items()})
    return row, mu, lam


def _combine(s: int, p: _Row, t: int, q: _Row) -> _Row:
    """``s * p + t * q`` with the multipliers carried along (zero multipliers dropped)."""
    row = [s * x + t * y for x, y in zip(p[0], q[0])]
    mu = {r: s * m for r, m in p[1].items()}
    for r, m in q[1].items():
        mu[r] = mu.get(r, 0) + t * m
    lam = {r: s * m for r, m in p[2].items()}
    for r, m in q[2].items():
        lam[r] = lam.get(r, 0) + t * m
    return _reduced(row, {r: m for r, m in mu.items() if m}, {r: m for r, m in lam.items() if m})


def motzkin_certificate(strict: Sequence[Sequence[int]], eq: Sequence[Sequence[int]], k: int,
                        limit: int = FM_LIMIT) -> Certificate | bool | None:
    """``(mu, lam)`` proving that ``{c : a . c + a_k > 0, e . c + e_k = 0}`` is empty (rows of
    ``k + 1`` integers, the constant last; ``mu`` and ``lam`` map row indices to nonzero
    integers), True when the system has a solution, None when elimination would exceed
    ``limit`` rows.

    >>> motzkin_certificate([[1, 0], [-1, 0]], [], 1)   # c > 0 and -c > 0
    ({0: 1, 1: 1}, {})
    >>> motzkin_certificate([[1, -2]], [[1, -1]], 1)    # c > 2 and c = 1
    ({0: 1}, {0: -1})
    >>> motzkin_certificate([[1, 0], [-1, 2]], [], 1)   # 0 < c < 2
    True
    >>> motzkin_certificate([], [[3]], 0)               # 3 = 0
    ({}, {0: -1})
    """
    rows = [_reduced([*a], {r: 1}, {}) for r, a in enumerate(strict)]
    eqs = [_reduced([*e], {}, {q: 1}) for q, e in enumerate(eq)]
    while eqs:
        e = eqs.pop()
        j = next((i for i in range(k) if e[0][i]), None)
        if j is None:
            if e[0][k]:  # 0 = e0 != 0: lam oriented so that sum lam e0 < 0
                s = -1 if e[0][k] > 0 else 1
                return {}, {q: s * x for q, x in e[2].items()}
            continue
        piv = e[0][j]
        s = 1 if piv > 0 else -1
        rows = [_combine(s * piv, r, -s * r[0][j], e) if r[0][j] else r for r in rows]
        eqs = [_combine(s * piv, q, -s * q[0][j], e) if q[0][j] else q for q in eqs]
    live = list(range(k))
    while True:
        kept: dict[tuple[int, ...], _Row] = {}
        for r in rows:
            if not any(r[0][:k]):
                if r[0][k] <= 0:
                    return r[1], r[2]
                continue  # 0 > -b with b > 0: always true
            kept.setdefault(tuple(r[0]), r)
        rows = list(kept.values())
        live = [j for j in live if any(r[0][j] for r in rows)]
        if not live:
            return True
        best = min(live, key=lambda j: (sum(1 for r in rows if r[0][j] > 0)
                                        * sum(1 for r in rows if r[0][j] < 0)
                                        - len(rows), j))
        pos = [r for r in rows if r[0][best] > 0]
        neg = [r for r in rows if r[0][best] < 0]
        rest = [r for r in rows if not r[0][best]]
        if pos and neg:  # with one sign only, c_best satisfies those rows alone: drop them
            if len(rest) + len(pos) * len(neg) > limit:
                return None
            rest += [_combine(-q[0][best], p, p[0][best], q) for p in pos for q in neg]
        rows = rest
        live.remove(best)
