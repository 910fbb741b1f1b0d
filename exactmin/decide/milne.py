"""Milne: is the weight-decayed loss strongly convex on a point's activation piece? (exact)

``F(theta) = (1/2) sum_n (yhat_n - y_n)^2 + (lam / 2) sum_l ||W_l||_F^2`` over every weight
matrix including ``w_out`` (docs/conventions.md, "Weight decay"). On the piece of a
differentiable point (every slope fixed) ``F`` is a polynomial; its Hessian is the exact Hessian
of the loss on the piece (:mod:`exactmin.decide.deep`) plus ``lam I``. Decided exactly:

- positive definite: exact LDL^T with positive pivots (the pivots are the witness);
- not positive definite: an exact vector ``v`` with ``v^T H v <= 0``;
- the smallest eigenvalue: the characteristic polynomial over Q (python-flint), its roots
  isolated in ball arithmetic (real, since ``H`` is symmetric), the smallest enclosed to the
  requested width.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flint import arb

from exactmin.arith.balls import dyadic
from exactmin.decide.deep import _hessian, _pivot_direction, _quad, zero_preactivation
from exactmin.errors import InternalError
from exactmin.linalg import smallest_eigenvalue
from exactmin.models.deep import DeepInstance, DeepPoint, forward

__all__ = ["Convexity", "convexity"]


@dataclass(frozen=True)
class Convexity:
    """Outcome of :func:`convexity`.

    Attributes
    ----------
    differentiable : False when some pre-activation is 0 (no piece; ``reason`` says which)
    positive_definite : the Hessian of ``F`` on the piece is positive definite (None when not
        differentiable)
    training_error : ``(1/2) sum_n (yhat_n - y_n)^2``, exact
    objective : ``F`` at the point, exact
    lambda_min : an arb ball containing the smallest eigenvalue of the Hessian (None when not
        differentiable)
    pivots : the LDL^T pivots (all > 0 when positive definite), exact
    direction : an exact ``v`` with ``v^T H v <= 0`` when not positive definite
    critical : the gradient of ``F`` is exactly zero
    hessian : the exact Hessian (weights flattened layer by layer, row by row)
    threshold : ``(lo, hi)`` rationals enclosing the sufficient training-error threshold
        ``lam^2 / (2 (M-1)^2 A^2 R^(2(M-2)) sum_n ||x_n||^2)`` (proofs/milne.md; ``M = L + 1``
        weight matrices, ``R`` the largest spectral norm among them at the point, ``A`` the
        product over hidden layers of the largest slope times noise), None without data
    below_threshold : training error < threshold (True), >= (False), or None when the
        enclosure straddles it or there is no threshold
    """

    differentiable: bool
    positive_definite: bool | None
    training_error: Fraction
    objective: Fraction
    lambda_min: arb | None
    pivots: tuple[Fraction, ...]
    direction: tuple[Fraction, ...] | None
    critical: bool | None
    hessian: tuple[tuple[Fraction, ...], ...]
    reason: str
    threshold: tuple[Fraction, Fraction] | None = None
    below_threshold: bool | None = None

    def __repr__(self) -> str:
        pd = {True: "positive definite", False: "not positive definite",
              None: "no piece"}[self.positive_definite]
        return f"Convexity({pd}, training error {self.training_error})"


def threshold(inst: DeepInstance, point: DeepPoint, lam: Fraction
              ) -> tuple[Fraction, Fraction] | None:
    """Rationals enclosing ``lam^2 / (2 (M-1)^2 A^2 R^(2(M-2)) S)``, ``S = sum_n ||x_n||^2``
    (see :class:`Convexity`); the spectral norms are enclosed from the exact ``W^T W``'s largest
    eigenvalue, so ``lo`` uses an upper bound of ``R`` and ``hi`` a lower bound."""
    S = sum((v * v for row in inst.X for v in row), Fraction(0))
    if S == 0:
        return None
    M = inst.L + 1
    A = Fraction(1)
    for l in range(1, inst.L + 1):
        noise = max((inst.E(l, i, n) for i in range(inst.widths[l]) for n in range(inst.N)))
        A *= max(Fraction(1), abs(inst.rho)) * noise
    lows, highs = [], []
    for W in point.weights:
        cols = len(W[0])
        G = [[sum((W[k][i] * W[k][j] for k in range(len(W))), Fraction(0)) for j in range(cols)]
             for i in range(cols)]
        top = smallest_eigenvalue(G, 1e-30, largest=True)
        lows.append(max(Fraction(0), dyadic(top.lower())))
        highs.append(dyadic(top.upper()))
    R2_lo, R2_hi = max(lows), max(highs)  # bounds of R^2
    if M > 2 and R2_lo == 0:
        return None  # a zero weight matrix (a point without a piece anyway): no finite bound
    base = 2 * (M - 1) ** 2 * A * A * S
    return lam * lam / (base * R2_hi ** (M - 2)), lam * lam / (base * R2_lo ** (M - 2))


def convexity(inst: DeepInstance, point: DeepPoint, lam: Fraction,
              width: float = 1e-9) -> Convexity:
    """Decide strong convexity of ``F`` on the point's piece (module docstring).

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1],
    ...                                "rho": 0})
    >>> p = DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, inst)
    >>> c = convexity(inst, p, Fraction(1, 10))
    >>> c.positive_definite, c.training_error, round(float(c.lambda_min.mid()), 9)
    (True, Fraction(0, 1), 0.1)
    """
    fw = forward(inst, point)
    decay = sum((v * v for W in point.weights for row in W for v in row), Fraction(0)) * lam / 2
    zero = zero_preactivation(inst, fw)
    if zero is not None:
        return Convexity(False, None, fw.loss, fw.loss + decay, None, (), None, None, (),
                         f"not differentiable: {zero}; the point has no piece")
    H = [[h + (lam if a == b else 0) for b, h in enumerate(row)]
         for a, row in enumerate(_hessian(inst, point, fw))]
    theta = [v for W in point.weights for row in W for v in row]
    from exactmin.models.deep import gradient_matrices

    G = gradient_matrices(inst, point, fw)
    grad = [sum((g * e for g, e in zip(row, fw.e)), Fraction(0)) for Gl in G for row in Gl]
    critical = all(g + lam * t == 0 for g, t in zip(grad, theta))
    A = [row[:] for row in H]
    pivots: list[Fraction] = []
    direction = None
    for c in range(len(A)):
        piv = A[c][c]
        pivots.append(piv)
        if piv <= 0:
            direction = tuple(_pivot_direction(H, c))
            if _quad(H, list(direction)) > 0:  # the pivot's direction is exact by LDL^T
                raise InternalError("an LDL^T direction with a positive quadratic form")
            break
        for r in range(c + 1, len(A)):
            f = A[r][c] / piv
            if f:
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
    pd = direction is None
    lam_min = smallest_eigenvalue(H, width) if H else None
    reason = ("positive definite: exact LDL^T with positive pivots" if pd else
              f"not positive definite: pivot {len(pivots) - 1} is {pivots[-1]} <= 0; "
              "v^T H v <= 0 for the exact direction v")
    thr = threshold(inst, point, lam)
    below = None if thr is None else (True if fw.loss < thr[0] else
                                      False if fw.loss >= thr[1] else None)
    if below and not pd:
        raise InternalError("a point below the sufficient threshold without a positive definite "
                            "Hessian: the threshold's proof (proofs/milne.md) is wrong")
    return Convexity(True, pd, fw.loss, fw.loss + decay, lam_min, tuple(pivots), direction,
                     critical, tuple(tuple(r) for r in H), reason, thr, below)
