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

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np
import ppl  # type: ignore[import-untyped]
from scipy.optimize import nnls as float_nnls  # type: ignore[import-untyped]

from exactmin.arith import as_integer_row, dot
from exactmin.errors import InternalError
from exactmin.geometry import Region, cone_membership
from exactmin.linalg import least_squares
from exactmin.linalg.dense import ColumnBlock, kkt_least_squares, least_squares_residual
from exactmin.models.instance import Instance
from exactmin.models.network import Point

__all__ = ["ClosedPieces", "PieceBound", "cone_generators", "nnls", "piece_bound"]

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


def nnls(columns: Sequence[Vector], y: Sequence[Fraction], max_steps: int = 10_000,
         start: Sequence[int] = ()) -> tuple[list[Fraction], list[Fraction]]:
    """``min (1/2) |sum_j alpha_j c_j - y|^2`` over ``alpha >= 0``, exactly (Lawson-Hanson in
    Fractions): ``(alpha, r)`` with ``r = sum alpha_j c_j - y``, ``c_j . r >= 0`` for every j and
    ``= 0`` where ``alpha_j > 0`` (the optimality conditions). ``start``: a guess of the columns
    with ``alpha_j > 0`` (a float solver's): when the exact least squares on them is positive,
    the method starts there, and a right guess ends after one exact solve.

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

    if start:
        guess = solve(list(start))
        if all(guess[j] > 0 for j in start):
            alpha, P = guess, list(start)
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


@dataclass(frozen=True)
class PieceBound:
    """An exact lower bound on the closed piece ``tup``: ``bound = -mu . y - |mu|^2 / 2`` for a
    ``mu`` with ``A^T mu`` in the cone of ``B``'s rows (so some ``lambda >= 0`` has
    ``A^T mu = B^T lambda``: :meth:`ClosedPieces.multipliers` finds it, for the certificate);
    ``point`` (a point of the piece attaining ``bound``) when the bound is the piece's minimum
    (non-negative least squares), None when it is the unconstrained least-squares value
    (``A^T mu = 0``)."""

    tup: tuple[int, ...]
    mu: tuple[Fraction, ...]
    bound: Fraction
    point: Point | None


class ClosedPieces:
    """The closed pieces of an instance over the regions ``units`` of its arrangement.

    An *atom* ``a`` is the sign ``s = (1, -1)[a % 2]`` of ``z_i`` and the closed cone of region
    ``k = a // 2``; a piece is one atom per unit (the kernel's order:
    docs/certificates/soudry_carmon/global_minimum.md). On the piece the prediction is ``A u``
    with ``u_i = |z_i| w_i`` in the cone of its region's generators (PPL, computed once per
    region).

    >>> from exactmin.geometry import enumerate_regions
    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, -2], d1=1, rho=0)
    >>> P = ClosedPieces(inst, enumerate_regions(inst.X))
    >>> best = min((P.minimum((a,)) for a in range(2 * len(P.units))), key=lambda b: b.bound)
    >>> best.bound, P.multipliers(best)
    (Fraction(1, 2), ((Fraction(1, 1), Fraction(0, 1)),))
    """

    def __init__(self, instance: Instance, units: Sequence[Region]) -> None:
        self.inst, self.units = instance, tuple(units)
        d0, N = instance.d0, instance.N
        self.cols = [tuple(instance.X[j][n] for j in range(d0)) for n in range(N)]
        self.nonzero = [n for n in range(N) if any(self.cols[n])]
        self.rows = [[tuple(r.signs[n] * x for x in self.cols[n]) for n in self.nonzero]
                     for r in self.units]  # B's rows per region: sigma_n x_n
        self.gens = [cone_generators(rows, d0) for rows in self.rows]
        self.y = list(instance.y)
        self.yf = np.array([float(v) for v in self.y])
        self._blocks: dict[tuple[int, int], tuple[list[Fraction], list[Vector], np.ndarray,
                                                   np.ndarray, list[list[Fraction]],
                                                   ColumnBlock, ColumnBlock]] = {}

    def _coef(self, i: int, a: int, n: int) -> Fraction:
        """``s E_in c_n`` for unit ``i`` at atom ``a`` (``c_n`` the slope on region's side)."""
        s, k = (1, -1)[a % 2], a // 2
        E = Fraction(1) if self.inst.noise is None else self.inst.noise[i][n]
        return s * E * (1 if self.units[k].signs[n] > 0 else self.inst.rho)

    def _block(self, i: int, a: int) -> tuple[list[Fraction], list[Vector], np.ndarray,
                                              np.ndarray, list[list[Fraction]], ColumnBlock,
                                              ColumnBlock]:
        """Unit ``i`` at atom ``a``: the coefficients ``s E_in c_n``, the prediction ``A_i g``
        of each generator ``g`` of the region's cone (exact, and as float columns), and
        ``A_i`` itself (float columns, and exact rows ``A_i^T``), and both exact column sets in
        flint form (:class:`~exactmin.linalg.dense.ColumnBlock`; ``A_i``'s nonzero columns only);
        computed once (without noise, once per atom)."""
        key = (i if self.inst.noise is not None else 0, a)
        if key not in self._blocks:
            N, d0 = self.inst.N, self.inst.d0
            coef = [self._coef(i, a, n) for n in range(N)]
            gen_cols = [tuple(coef[n] * dot(self.cols[n], g) for n in range(N))
                        for g in self.gens[a // 2]]
            G = np.array([[float(v) for v in c] for c in gen_cols]).reshape(-1, N).T
            A = np.array([[float(coef[n] * self.cols[n][j]) for j in range(d0)]
                          for n in range(N)]).reshape(N, d0)
            rows = [[coef[n] * self.cols[n][j] for n in range(N)] for j in range(d0)]
            self._blocks[key] = (coef, gen_cols, G, A, rows, ColumnBlock(gen_cols, N),
                                 ColumnBlock([r for r in rows if any(r)], N))
        return self._blocks[key]

    def _columns(self, tup: Sequence[int]) -> list[tuple[tuple[int, int], Vector]]:
        """The prediction of each generator of each unit's cone: ``((i, j), A_i g_j)``."""
        return [((i, j), c) for i, a in enumerate(tup)
                for j, c in enumerate(self._block(i, a)[1])]

    def float_value(self, tup: Sequence[int]) -> tuple[float, float, Sequence[int]]:
        """Proposals, in floats: the piece's minimum, its unconstrained least-squares value, and
        the columns (in :meth:`_columns`' order) with positive weight at the minimum."""
        G = np.hstack([self._block(i, a)[2] for i, a in enumerate(tup)])
        A = np.hstack([self._block(i, a)[3] for i, a in enumerate(tup)])
        value, support = float(self.yf @ self.yf) / 2, tuple[int, ...]()
        if G.shape[1]:
            alpha, rnorm = float_nnls(G, self.yf)
            value = float(rnorm) ** 2 / 2
            support = tuple(int(j) for j in np.flatnonzero(alpha > 0))
        r = self.yf - A @ np.linalg.lstsq(A, self.yf, rcond=None)[0]
        return value, float(r @ r) / 2, support

    def multipliers(self, b: PieceBound) -> tuple[tuple[Fraction, ...], ...]:
        """``lambda >= 0`` with ``A_i^T mu = B_i^T lambda_i`` per unit (exact cone membership;
        0 for a least-squares bound)."""
        tup, mu = b.tup, b.mu
        out = []
        for i, a in enumerate(tup):
            coef = self._block(i, a)[0]
            v = [sum((coef[n] * mu[n] * self.cols[n][j] for n in self.nonzero), Fraction(0))
                 for j in range(self.inst.d0)]
            if not any(v):
                out.append(tuple(Fraction(0) for _ in self.nonzero))
                continue
            kind, lam = cone_membership(self.rows[a // 2], v)
            if kind != "in_cone":
                raise InternalError("the optimality conditions of a piece failed")
            out.append(tuple(lam))
        return tuple(out)

    def least_squares(self, tup: Sequence[int]) -> PieceBound:
        """The unconstrained least-squares bound (``lambda = 0``): ``mu`` the residual of the
        fit over every ``u``, so ``A^T mu = 0``."""
        N = self.inst.N
        fast = least_squares_residual([self._block(i, a)[6] for i, a in enumerate(tup)], self.y)
        if fast is not None:  # the normal equations in flint
            return PieceBound(tuple(tup), tuple(fast[0]), fast[1], None)
        rows = [row for i, a in enumerate(tup) for row in self._block(i, a)[4]]
        fit = (least_squares(rows, self.y)[1] if any(any(r) for r in rows)
               else tuple(Fraction(0) for _ in range(N)))
        mu = tuple(f - v for f, v in zip(fit, self.y))
        return PieceBound(tuple(tup), mu, -dot(mu, self.y) - dot(mu, mu) / 2, None)

    def minimum(self, tup: Sequence[int], support: Sequence[int] = ()) -> PieceBound:
        """The piece's exact minimum (non-negative least squares over the cones' generators,
        started from ``support``, a float solver's positive columns), its dual and a point
        attaining it (``W_i = u_i``, ``z_i = s_i``)."""
        cols = self._columns(tup)
        fast = kkt_least_squares([self._block(i, a)[5] for i, a in enumerate(tup)], self.y,
                                 support)  # the float solution's support, checked exactly
        if fast is not None:
            alpha, mu, bound = fast
        else:
            alpha, mu = nnls([c for _, c in cols], self.y, start=support)
            bound = -dot(mu, self.y) - dot(mu, mu) / 2
        d0 = self.inst.d0
        W = [[Fraction(0)] * d0 for _ in tup]
        for ((i, j), _), a in zip(cols, alpha):
            if a:
                g = self.gens[tup[i] // 2][j]
                W[i] = [w + a * x for w, x in zip(W[i], g)]
        z = [Fraction((1, -1)[a % 2]) for a in tup]
        point = Point.from_lists(W, z, self.inst)
        return PieceBound(tuple(tup), tuple(mu), bound, point)
