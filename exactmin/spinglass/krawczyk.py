"""Certify numerical solutions of the Lagrange system with the Krawczyk test in acb balls.

For a box ``X`` (each coordinate a complex rectangle of half-width ``r`` around the exact
dyadic centre ``c``) and any matrix ``Y``, the Krawczyk operator

    K(X) = c - Y G(c) + (I - Y J(X)) (X - c)

satisfies: if ``K(X)`` lies in the interior of ``X`` then ``G`` has exactly one zero in ``X`` and
every matrix of ``J(X)`` is nonsingular (so that zero is simple). Here ``G(c)`` and ``J(X)`` are
evaluated in complex ball arithmetic (python-flint ``acb``), which encloses every value, so the
inclusion test is rigorous. ``Y`` is a float approximation of ``J(c)^-1`` (any matrix is valid).

A box whose centre is real is symmetric under conjugation; since G has rational coefficients,
the conjugate of its unique zero is a zero in the same box, hence the zero is real. A box with
some ``|Im c_i| > r`` contains no real point.

For real critical points the index (negative eigenvalues of the Riemannian Hessian
``c (p(p-1) S w^(p-2) - lam I)`` on ``w^perp``) is read off the bordered matrix
``[[M, w], [w^T, 0]]``, whose inertia is that of ``M`` on ``w^perp`` plus one positive and
one negative eigenvalue (proofs/choromanska.md); its eigenvalue signs over the whole box come
from ball arithmetic (a congruence to a nearly diagonal matrix and Gershgorin intervals), the
precision raised until every sign is decided.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import acb, acb_mat, arb, arb_mat, fmpq

from exactmin.arith.balls import precision
from exactmin.spinglass.homotopy import lagrange_system
from exactmin.spinglass.tensor import SpinTensor

__all__ = ["Box", "SymmetricTensor", "certify_solution", "morse_index"]


class SymmetricTensor:
    """The symmetrization S of X, exactly (Fractions) and as arb balls, sparse by index."""

    def __init__(self, T: SpinTensor) -> None:
        self.p, self.n = T.p, T.Lam
        sums: dict[tuple[int, ...], Fraction] = {}
        for index, x in zip(itertools.product(range(T.Lam), repeat=T.p), T.X):
            if x:
                key = tuple(sorted(index))
                sums[key] = sums.get(key, Fraction(0)) + x
        # S[i] = (1/p!) sum_sigma X[sigma(i)] = (sum of X over the distinct orderings of the
        # multiset of i) / (their number)
        self.exact: dict[tuple[int, ...], Fraction] = {}
        for index in itertools.product(range(T.Lam), repeat=T.p):
            v = sums.get(tuple(sorted(index)))
            if v:
                # number of distinct orderings of the multiset, times S, equals the sum
                self.exact[index] = v / _orderings(index)
        self.balls = {k: arb(fmpq(v.numerator, v.denominator)) for k, v in self.exact.items()}
        self.floats = np.zeros((T.Lam,) * T.p)
        for k, v in self.exact.items():
            self.floats[k] = float(v)

    def hess_grad(self, x: list[acb]) -> tuple[list[list[acb]], list[acb]]:
        """``p(p-1) S w^(p-2)`` (n x n) and ``p S w^(p-1)`` (n) at ``x = (w, lam)`` in balls."""
        n, p = self.n, self.p
        H = [[acb(0) for _ in range(n)] for _ in range(n)]
        for index, s in self.balls.items():
            term = acb(s)
            for k in index[2:]:
                term *= x[k]
            H[index[0]][index[1]] += term
        scale = p * (p - 1)
        H = [[scale * h for h in row] for row in H]
        g = [sum((H[i][j] * x[j] for j in range(n)), acb(0)) / (p - 1) for i in range(n)]
        return H, g


def _orderings(index: tuple[int, ...]) -> int:
    from math import factorial

    out = factorial(len(index))
    for v in set(index):
        out //= factorial(index.count(v))
    return out


@dataclass(frozen=True)
class Box:
    """A certified solution: exact centre ``(re, im)`` per coordinate and half-width ``radius``
    (rectangles), with ``real`` decided as described in the module docstring."""

    center: tuple[tuple[Fraction, Fraction], ...]
    radius: Fraction
    real: bool


def _G_J(S: SymmetricTensor, Lam: int, x: list[acb]) -> tuple[list[acb], list[list[acb]]]:
    n = S.n
    H, g = S.hess_grad(x)
    w, lam = x[:n], x[n]
    G = [g[i] - lam * w[i] for i in range(n)] + [sum((wi * wi for wi in w), acb(0)) - Lam]
    J = [[H[i][j] - (lam if i == j else 0) for j in range(n)] + [-w[i]] for i in range(n)]
    J.append([2 * wi for wi in w] + [acb(0)])
    return G, J


def _exact_center(x: np.ndarray) -> tuple[tuple[Fraction, Fraction], ...]:
    return tuple((Fraction(float(v.real)), Fraction(float(v.imag))) for v in x)


def _acb(q: tuple[Fraction, Fraction]) -> acb:
    return acb(arb(fmpq(q[0].numerator, q[0].denominator)), arb(fmpq(q[1].numerator, q[1].denominator)))


def krawczyk(S: SymmetricTensor, Lam: int, center: tuple[tuple[Fraction, Fraction], ...],
             radius: Fraction, Y: np.ndarray) -> bool:
    """Whether ``K(X)`` lies in the interior of the box ``X`` (see the module docstring)."""
    m = len(center)
    c = [_acb(q) for q in center]
    r = arb(fmpq(radius.numerator, radius.denominator))
    X = [acb(arb(ci.real.mid(), r), arb(ci.imag.mid(), r)) for ci in c]
    Gc, _ = _G_J(S, Lam, c)
    _, JX = _G_J(S, Lam, X)
    Ym = acb_mat([[acb(float(v.real), float(v.imag)) for v in row] for row in Y])
    YG = Ym * acb_mat([[g] for g in Gc])
    M = acb_mat([[acb(1 if i == j else 0) for j in range(m)] for i in range(m)]) - Ym * acb_mat(JX)
    D = acb_mat([[X[i] - c[i]] for i in range(m)])
    K = M * D
    for i in range(m):
        delta = K[i, 0] - YG[i, 0]  # K_i - c_i
        if not (delta.real.abs_upper() < r and delta.imag.abs_upper() < r):
            return False
    return True


def certify_solution(S: SymmetricTensor, Lam: int, x: np.ndarray, prec: int = 128) -> Box | None:
    """A certified box around the float solution ``x = (w, lam)``, or None if the test fails."""
    x = np.array(x, dtype=complex)
    scale = 1 + float(np.max(np.abs(x)))
    real = bool(np.max(np.abs(x.imag)) < 1e-7 * scale)
    if real:  # snap to a real centre and polish in real arithmetic
        x = x.real.astype(complex)
        for _ in range(3):
            G, J = lagrange_system(S.floats, S.p, Lam, x.real[None].astype(float))
            try:
                x = (x.real - np.linalg.solve(J[0], G[0])).astype(complex)
            except np.linalg.LinAlgError:
                return None  # a singular solution: not certifiable as simple
    G, J = lagrange_system(S.floats, S.p, Lam, x[None])
    try:
        Y = np.linalg.inv(J[0])
    except np.linalg.LinAlgError:
        return None
    if not np.isfinite(Y).all():
        return None
    step = float(np.max(np.abs(Y @ G[0])))
    center = _exact_center(x)
    if real:
        center = tuple((re, Fraction(0)) for re, _ in center)
    radius = Fraction(max(step * 1e4, scale * 2.0**-70)).limit_denominator(2**80)
    with precision(prec):
        for _ in range(12):
            if krawczyk(S, Lam, center, radius, Y):
                if not real and max(abs(im) for _, im in center) <= radius:
                    return None  # neither provably real nor provably non-real at this radius
                return Box(center, radius, real)
            radius *= 4
    return None


def _negative_eigenvalues(B: list[list[arb]]) -> int | None:
    """Negative eigenvalues shared by every symmetric matrix in the ball matrix ``B``, or None.

    With Q the (float) eigenvectors of the midpoint, ``C = Q^T B Q`` is nearly diagonal; by
    Sylvester's law of inertia it has the inertia of B when Q is nonsingular (checked:
    ``||Q^T Q - I||_inf < 1``), and by Gershgorin each eigenvalue of the symmetric matrices in C
    lies in an interval ``C_ii +- sum_{j != i} |C_ij|``. If no interval meets 0, moving the
    off-diagonal part in from 0 keeps every eigenvalue off 0, so the signs of the ``C_ii`` give
    the inertia.
    """
    m = len(B)
    mid = np.array([[float(x.mid()) for x in row] for row in B])
    _, Qf = np.linalg.eigh((mid + mid.T) / 2)
    Q = arb_mat([[arb(float(v)) for v in row] for row in Qf])
    Bm = arb_mat(B)
    C = Q.transpose() * Bm * Q
    G = Q.transpose() * Q
    if not all(sum((abs(G[i, j] - (1 if i == j else 0)) for j in range(m)), arb(0)) < 1
               for i in range(m)):
        return None
    negative = 0
    for i in range(m):
        spread = sum((abs(C[i, j]) for j in range(m) if j != i), arb(0))
        if C[i, i] - spread > 0:
            continue
        if C[i, i] + spread < 0:
            negative += 1
            continue
        return None
    return negative


def morse_index(S: SymmetricTensor, Lam: int, box: Box, prec: int = 128) -> int:
    """The Morse index shared by every real point of a real box (the critical point's)."""
    n = S.n
    bits = prec
    while bits <= 1024:
        with precision(bits):
            r = arb(fmpq(box.radius.numerator, box.radius.denominator))
            X = [arb(arb(fmpq(re.numerator, re.denominator)).mid(), r) for re, _ in box.center]
            w, lam = X[:n], X[n]
            Hc, _ = S.hess_grad([acb(v) for v in X])
            B = [[(Hc[i][j].real - (lam if i == j else 0)) for j in range(n)] + [w[i]]
                 for i in range(n)]
            B.append(list(w) + [arb(0)])
            negatives = _negative_eigenvalues(B)
            if negatives is not None:
                return negatives - 1  # the border adds one negative eigenvalue
        bits *= 2
    raise ArithmeticError("the Hessian's eigenvalue signs were not decided up to 1024 bits")
