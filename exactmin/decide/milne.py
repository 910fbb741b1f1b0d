"""Milne: is the weight-decayed loss strongly convex on a point's activation piece? (exact)

``F(theta) = (1/2) sum_n (yhat_n - y_n)^2 + (lam / 2) sum_l ||W_l||_F^2`` over every weight
matrix including ``w_out`` (docs/conventions.md, "Weight decay"). On the piece of a
differentiable point (every slope fixed) ``F`` is a polynomial; its Hessian is the exact Hessian
of the loss on the piece (:mod:`exactmin.decide.deep`) plus ``lam I``. Decided exactly:

- positive definite: exact LDL^T with positive pivots (the pivots are the witness);
- not positive definite: an exact vector ``v`` with ``v^T H v <= 0``;
- the smallest eigenvalue: the characteristic polynomial over Q (python-flint), its roots
  isolated in ball arithmetic (real, since ``H`` is symmetric), the smallest enclosed to the
  requested width;
- at an exact critical point of ``F`` with a positive definite Hessian: a strict local minimum,
  and a radius ``r`` such that ``F`` is strongly convex on the ball of radius ``r`` around it
  (which lies in the piece), so it is the only critical point there (:func:`isolation_radius`;
  proofs/milne.md, "Isolation").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from exactmin.arith.balls import dyadic, enclosure
from exactmin.arith.interval import Interval
from exactmin.decide.deep import (
    _box_radius,
    _hessian,
    _pivot_direction,
    _quad,
    zero_preactivation,
)
from exactmin.errors import InternalError
from exactmin.linalg import smallest_eigenvalue
from exactmin.models.deep import DeepInstance, DeepPoint, forward
from exactmin.protocol import ResultProtocol, keeps_inputs

__all__ = ["Convexity", "convexity", "isolation_radius"]


@dataclass(frozen=True)
class Convexity(ResultProtocol):
    """Outcome of :func:`convexity`.

    Attributes
    ----------
    differentiable : False when some pre-activation is 0 (no piece; ``reason`` says which)
    positive_definite : the Hessian of ``F`` on the piece is positive definite (None when not
        differentiable)
    training_error : ``(1/2) sum_n (yhat_n - y_n)^2``, exact
    objective : ``F`` at the point, exact
    lambda_min : an exact Interval containing the smallest eigenvalue of the Hessian (None when not
        differentiable)
    pivots : the LDL^T pivots (all > 0 when positive definite), exact
    direction : an exact ``v`` with ``v^T H v <= 0`` when not positive definite
    critical : the gradient of ``F`` is exactly zero
    hessian : the exact Hessian (weights flattened layer by layer, row by row)
    threshold : an exact Interval enclosing the sufficient training-error threshold
        ``lam^2 / (2 (M-1)^2 A^2 R^(2(M-2)) sum_n ||x_n||^2)`` (proofs/milne.md; ``M = L + 1``
        weight matrices, ``R`` the largest spectral norm among them at the point, ``A`` the
        product over hidden layers of the largest slope times noise), None without data
    below_threshold : training error < threshold (True), >= (False), or None when the
        enclosure straddles it or there is no threshold
    strict_minimum : the point is critical for ``F`` and the Hessian is positive definite, so it
        is a strict local minimum of ``F`` (None when not differentiable)
    isolation_radius : with ``strict_minimum``, an ``r > 0`` such that ``F`` is strongly convex
        on the Euclidean ball of radius ``r`` around the point (inside its piece): the point is
        the only critical point of ``F`` there; None otherwise
    """

    differentiable: bool
    positive_definite: bool | None
    training_error: Fraction
    objective: Fraction
    lambda_min: Interval | None
    pivots: tuple[Fraction, ...]
    direction: tuple[Fraction, ...] | None
    critical: bool | None
    hessian: tuple[tuple[Fraction, ...], ...]
    reason: str
    threshold: Interval | None = None
    below_threshold: bool | None = None
    strict_minimum: bool | None = None
    isolation_radius: Fraction | None = None
    inputs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The exact JSON form (``convexity --json``): rationals as ``"p/q"``, enclosures as
        outward-rounded decimal ``[lo, hi]`` strings."""
        from exactmin.arith import fmt, fmt_vector
        return {"differentiable": self.differentiable,
                "positive_definite": self.positive_definite,
                "training_error": fmt(self.training_error), "objective": fmt(self.objective),
                "lambda_min": None if self.lambda_min is None else self.lambda_min.to_strings(),
                "critical": self.critical, "reason": self.reason,
                "pivots": [fmt(p) for p in self.pivots],
                "direction": None if self.direction is None else fmt_vector(self.direction),
                "threshold": None if self.threshold is None else self.threshold.to_strings(),
                "below_threshold": self.below_threshold,
                "strict_local_minimum": self.strict_minimum,
                "isolation_radius": (None if self.isolation_radius is None
                                     else fmt(self.isolation_radius)),
                "threshold_note": "sufficient: training error below lam^2 / (2 (M-1)^2 A^2 "
                                  "R^(2(M-2)) sum_n ||x_n||^2) implies a positive definite "
                                  "Hessian (proofs/milne.md); derived here, not the paper's "
                                  "constant"}

    def __repr__(self) -> str:
        pd = {True: "positive definite", False: "not positive definite",
              None: "no piece"}[self.positive_definite]
        return f"Convexity({pd}, training error {self.training_error})"


def _sqrt_bounds(q: Fraction, bits: int = 30) -> tuple[Fraction, Fraction]:
    """Rationals ``lo <= sqrt(q) <= hi`` (``q >= 0``), within ``2^-bits`` relative to the
    denominator."""
    s = math.isqrt(q.numerator * q.denominator * 4 ** bits)
    den = q.denominator * 2 ** bits
    return Fraction(s, den), Fraction(s + 1, den)


def _slope_bound(inst: DeepInstance) -> Fraction:
    """``A``: the product over hidden layers of the largest ``|slope| * noise`` of the layer."""
    A = Fraction(1)
    for l in range(1, inst.L + 1):
        noise = max((inst.E(l, i, n) for i in range(inst.widths[l]) for n in range(inst.N)))
        A *= max(Fraction(1), abs(inst.rho)) * noise
    return A


def _norm_squared_bounds(point: DeepPoint) -> list[tuple[Fraction, Fraction]]:
    """Per weight matrix, rationals enclosing its squared spectral norm (the largest
    eigenvalue of the exact ``W^T W``, enclosed by flint)."""
    out = []
    for W in point.weights:
        cols = len(W[0])
        G = [[sum((W[k][i] * W[k][j] for k in range(len(W))), Fraction(0)) for j in range(cols)]
             for i in range(cols)]
        top = smallest_eigenvalue(G, 1e-30, largest=True)
        out.append((max(Fraction(0), dyadic(top.lower())), dyadic(top.upper())))
    return out


def third_derivative_bound(inst: DeepInstance, point: DeepPoint, r: Fraction) -> Fraction:
    """``K`` with ``|D^3 F(theta)[u, u, u]| <= K |u|^3`` for every ``theta`` within Euclidean
    distance ``r`` of ``point`` on its piece (proofs/milne.md, "Isolation"):
    ``K = sum_n 6 c_1 c_2 |x_n|^2 + 6 c_3 |x_n| (A rho^M |x_n| + |y_n|)`` with
    ``c_k = C(M, k) M^(-k/2) A rho^(M-k)``, ``rho = R + r`` (``R`` the largest spectral norm),
    ``M`` weight matrices. The weight decay is quadratic and adds nothing."""
    M = inst.L + 1
    A = _slope_bound(inst)
    R = max(_sqrt_bounds(hi)[1] for _, hi in _norm_squared_bounds(point))
    rho = R + r
    sqrt_M_lo = _sqrt_bounds(Fraction(M))[0]
    c = [Fraction(math.comb(M, k)) / sqrt_M_lo ** k * A * rho ** (M - k) if k <= M
         else Fraction(0) for k in range(4)]
    K = Fraction(0)
    for n in range(inst.N):
        x2 = sum((inst.X[j][n] ** 2 for j in range(inst.widths[0])), Fraction(0))
        x = _sqrt_bounds(x2)[1]
        K += 6 * c[1] * c[2] * x2 + 6 * c[3] * x * (A * rho ** M * x + abs(inst.y[n]))
    return K


def isolation_radius(inst: DeepInstance, point: DeepPoint, fw: Any,
                     lam_min_lo: Fraction) -> Fraction | None:
    """An ``r > 0`` with the ball of radius ``r`` around ``point`` inside its piece and
    ``K(r) r < lam_min_lo`` (``K`` from :func:`third_derivative_bound`, ``lam_min_lo > 0`` a
    lower bound of the Hessian's smallest eigenvalue at the point): then the Hessian of ``F`` is
    positive definite on the whole ball. None when no such radius is found.

    >>> inst = DeepInstance.from_dict({"X": [[1]], "y": ["11/10"], "widths": [1, 1, 1],
    ...                                "rho": 0})
    >>> p = DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, inst)
    >>> from exactmin.models.deep import forward
    >>> r = isolation_radius(inst, p, forward(inst, p), Fraction(1, 5))
    >>> 0 < r < 1
    True
    """
    if lam_min_lo <= 0:
        return None
    r = _box_radius(inst, point, fw)
    if r is None:
        return None
    r = min(r, Fraction(1))
    for _ in range(200):
        if third_derivative_bound(inst, point, r) * r < lam_min_lo:
            return r
        r /= 2
    return None


def threshold(inst: DeepInstance, point: DeepPoint, lam: Fraction
              ) -> tuple[Fraction, Fraction] | None:
    """Rationals enclosing ``lam^2 / (2 (M-1)^2 A^2 R^(2(M-2)) S)``, ``S = sum_n ||x_n||^2``
    (see :class:`Convexity`); the spectral norms are enclosed from the exact ``W^T W``'s largest
    eigenvalue, so ``lo`` uses an upper bound of ``R`` and ``hi`` a lower bound."""
    S = sum((v * v for row in inst.X for v in row), Fraction(0))
    if S == 0:
        return None
    M = inst.L + 1
    A = _slope_bound(inst)
    bounds = _norm_squared_bounds(point)
    lows, highs = [lo for lo, _ in bounds], [hi for _, hi in bounds]
    R2_lo, R2_hi = max(lows), max(highs)  # bounds of R^2
    if M > 2 and R2_lo == 0:
        return None  # a zero weight matrix (a point without a piece anyway): no finite bound
    base = 2 * (M - 1) ** 2 * A * A * S
    return lam * lam / (base * R2_hi ** (M - 2)), lam * lam / (base * R2_lo ** (M - 2))


@keeps_inputs
def convexity(inst: DeepInstance, point: DeepPoint, lam: Fraction,
              width: float = 1e-9) -> Convexity:
    """Decide strong convexity of ``F`` on the point's piece (module docstring).

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1],
    ...                                "rho": 0})
    >>> p = DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, inst)
    >>> c = convexity(inst, p, Fraction(1, 10))
    >>> c.positive_definite, c.training_error, round(float(c.lambda_min.mid), 9)
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
    lam_min = enclosure(smallest_eigenvalue(H, width)) if H else None
    reason = ("positive definite: exact LDL^T with positive pivots" if pd else
              f"not positive definite: pivot {len(pivots) - 1} is {pivots[-1]} <= 0; "
              "v^T H v <= 0 for the exact direction v")
    bounds = threshold(inst, point, lam)
    thr = None if bounds is None else Interval(*bounds)
    below = None if thr is None else (True if fw.loss < thr.lo else
                                      False if fw.loss >= thr.hi else None)
    if below and not pd:
        raise InternalError("a point below the sufficient threshold without a positive definite "
                            "Hessian: the threshold's proof (proofs/milne.md) is wrong")
    strict = critical and pd
    radius = None
    if strict and lam_min is not None:
        radius = isolation_radius(inst, point, fw, lam_min.lo)
    return Convexity(True, pd, fw.loss, fw.loss + decay, lam_min, tuple(pivots), direction,
                     critical, tuple(tuple(r) for r in H), reason, thr, below, strict, radius)
