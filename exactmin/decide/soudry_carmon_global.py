"""Exact lower bounds on the loss of a one-hidden-layer network over one *closed piece*: the
witnesses of the ``soudry_carmon/global_minimum`` certificate (proofs/
nondifferentiable_minima.md, "The global minimum").

A piece fixes the sign ``s_i`` of each ``z_i`` and a sign vector ``sigma_i`` of each unit on the
nonzero data points; with ``u_i = |z_i| w_i`` in the closed cone
``C_i = {u : sigma_in u . x_n >= 0}`` the prediction is ``A u`` (``A`` from ``s``, the slopes of
``sigma`` and the noise), so the loss on the piece is ``(1/2) |A u - y|^2`` over the cone
``B u >= 0``. Every point of parameter space lies in some piece. For any ``mu`` and
``lambda >= 0`` with ``A^T mu = B^T lambda``,

    (1/2) |A u - y|^2 >= mu . (A u - y) - |mu|^2 / 2 = lambda . (B u) - mu . y - |mu|^2 / 2
                      >= -mu . y - |mu|^2 / 2          on the cone,

tight at the minimum (``mu = A u* - y``). The minimum is found exactly: the cone's generators
(PPL), non-negative least squares over them (Lawson-Hanson in Fractions), and ``lambda`` from
an exact cone-membership LP.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import ppl  # type: ignore[import-untyped]

from exactmin.arith import as_integer_row, dot
from exactmin.errors import InternalError
from exactmin.geometry import cone_membership
from exactmin.linalg import least_squares
from exactmin.models.instance import Instance

__all__ = ["cone_generators", "nnls", "piece_bound"]

Vector = tuple[Fraction, ...]


def cone_generators(rows: Sequence[Sequence[Fraction]], dim: int) -> list[Vector]:
    """Generators of the cone ``{u in R^dim : r . u >= 0 for every row r}`` (a line counts as
    two opposite rays), exactly (PPL's double description).

    >>> sorted(cone_generators([[1, 0]], 2))  # a half-plane: the ray (1, 0), the line (0, +-1)
    [(Fraction(0, 1), Fraction(-1, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))]
    """
    P = ppl.C_Polyhedron(dim, "universe")
    for r in rows:
        P.add_constraint(ppl.Linear_Expression(as_integer_row([Fraction(v) for v in r]), 0) >= 0)
    out: list[Vector] = []
    for g in P.minimized_generators():
        if g.is_point():
            continue
        c = [Fraction(int(v)) for v in g.coefficients()]
        c += [Fraction(0)] * (dim - len(c))
        out.append(tuple(c))
        if g.is_line():
            out.append(tuple(-v for v in c))
    return out


def nnls(columns: Sequence[Vector], y: Sequence[Fraction], max_steps: int = 10_000
         ) -> tuple[list[Fraction], list[Fraction]]:
    """``min (1/2) |sum_j alpha_j c_j - y|^2`` over ``alpha >= 0``, exactly (Lawson-Hanson in
    Fractions): ``(alpha, r)`` with ``r = sum alpha_j c_j - y``, ``c_j . r >= 0`` for every j and
    ``= 0`` where ``alpha_j > 0`` (the optimality conditions).

    >>> nnls([(Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))], [Fraction(2), Fraction(-3)])
    ([Fraction(2, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(3, 1)])
    """
    k, N = len(columns), len(y)
    alpha = [Fraction(0)] * k
    P: list[int] = []

    def residual(a: Sequence[Fraction]) -> list[Fraction]:
        return [sum((a[j] * columns[j][n] for j in range(k) if a[j]), Fraction(0)) - y[n]
                for n in range(N)]

    def solve(S: list[int]) -> list[Fraction]:
        _, _, v, _ = least_squares([list(columns[j]) for j in S], list(y))
        out = [Fraction(0)] * k
        for j, x in zip(S, v):
            out[j] = x
        return out

    for _ in range(max_steps):
        r = residual(alpha)
        w = [-dot(columns[j], r) for j in range(k)]
        free = [j for j in range(k) if j not in P and w[j] > 0]
        if not free:
            return alpha, r
        P.append(max(free, key=lambda j: w[j]))
        while True:
            s = solve(P)
            if all(s[j] > 0 for j in P):
                alpha = s
                break
            t = min(alpha[j] / (alpha[j] - s[j]) for j in P if s[j] <= 0)
            alpha = [a + t * (b - a) for a, b in zip(alpha, s)]
            P = [j for j in P if alpha[j] > 0]
            if not P:
                break
    raise InternalError("non-negative least squares did not converge")  # pragma: no cover


def piece_bound(instance: Instance, s: Sequence[int], sigma: Sequence[Sequence[int]]
                ) -> tuple[list[Fraction], list[list[Fraction]], Fraction]:
    """``(mu, lambda, bound)`` for the piece ``(s, sigma)`` (``sigma[i]`` a sign per nonzero
    data point, in order): ``A^T mu = B^T lambda``, ``lambda >= 0`` and ``bound = -mu . y -
    |mu|^2 / 2`` equal to the minimum of the loss on the piece.

    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, -2], d1=1, rho=0)
    >>> piece_bound(inst, [1], [(1, 1)])[2]  # z > 0, u in the closed cone of both points active
    Fraction(2, 1)
    """
    d0, d1, N = instance.d0, instance.d1, instance.N
    cols = [tuple(instance.X[j][n] for j in range(d0)) for n in range(N)]
    nonzero = [n for n in range(N) if any(cols[n])]
    m = d0 * d1
    A = [[Fraction(0)] * m for _ in range(N)]  # yhat = A u
    B: list[list[Fraction]] = []  # B u >= 0, unit by unit, nonzero points in order
    for i in range(d1):
        side = dict(zip(nonzero, sigma[i]))
        for n in nonzero:
            E = Fraction(1) if instance.noise is None else instance.noise[i][n]
            c = E * (1 if side[n] > 0 else instance.rho) * s[i]
            row = [Fraction(0)] * m
            for j in range(d0):
                A[n][i * d0 + j] = c * cols[n][j]
                row[i * d0 + j] = side[n] * cols[n][j]
            B.append(row)
    gens: list[Vector] = []
    for i in range(d1):
        unit = [[r[i * d0 + j] for j in range(d0)] for r in B[i * len(nonzero):
                                                                (i + 1) * len(nonzero)]]
        for g in cone_generators(unit, d0):
            full = [Fraction(0)] * m
            full[i * d0:(i + 1) * d0] = g
            gens.append(tuple(full))
    columns = [tuple(dot(A[n], g) for n in range(N)) for g in gens]
    _, mu = nnls(columns, list(instance.y))
    At_mu = [sum((A[n][a] * mu[n] for n in range(N)), Fraction(0)) for a in range(m)]
    kind, lam = cone_membership([tuple(r) for r in B], At_mu)
    if kind != "in_cone":
        raise InternalError("the optimality conditions of a piece failed (A^T mu not in cone B)")
    per_unit = [list(lam[i * len(nonzero):(i + 1) * len(nonzero)]) for i in range(d1)]
    bound = -dot(mu, instance.y) - dot(mu, mu) / 2
    return list(mu), per_unit, bound
