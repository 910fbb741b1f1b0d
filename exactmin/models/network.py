"""Exact forward pass, loss, gradient and Khatri-Rao matrix of the one-hidden-layer network.

Shapes: ``W`` is ``d1 x d0`` (row ``w_i`` is hidden unit i), ``z`` has ``d1`` entries, an
activation pattern ``S`` is ``d1 x N`` with ``S[i][n] = sign(w_i . x_n)`` (0 only for a zero data
point, whose hyperplane does not exist), ``A`` is ``d1 x N`` with ``A[i][n] = E_in * a(S[i][n])``
and ``K = A (.) X`` is ``(d0*d1) x N`` (block i is ``X diag(A[i, :])``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import dot, show, show_matrix, to_matrix, to_vector
from exactmin.errors import InvalidInput
from exactmin.linalg import khatri_rao
from exactmin.models.instance import Instance

__all__ = [
    "Point",
    "activation_matrix",
    "khatri_rao_matrix",
    "loss",
    "pattern",
    "predict",
    "preactivations",
    "residual",
]

Matrix = tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class Point:
    """Network parameters ``(W, z)``: ``W`` is d1 x d0, ``z`` has d1 entries (all Fractions)."""

    W: Matrix
    z: tuple[Fraction, ...]

    def __repr__(self) -> str:
        return f"Point(W={show_matrix(self.W)}, z=[{', '.join(show(q) for q in self.z)}])"

    @classmethod
    def from_lists(cls, W: Any, z: Any, instance: Instance | None = None) -> "Point":
        """Parse ``W`` and ``z`` exactly, checking shapes against ``instance`` when given.

        >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
        >>> Point.from_lists([[-1, -1]], [1], inst).W
        ((Fraction(-1, 1), Fraction(-1, 1)),)
        >>> Point.from_lists([[-1]], [1], inst)
        Traceback (most recent call last):
        ...
        exactmin.errors.InvalidInput: W has 1 columns but d0=2; W must be d1 x d0 = 1 x 2
        """
        Wm, zv = to_matrix(W, "W"), to_vector(z, "z")
        if instance is not None:
            d0, d1 = instance.d0, instance.d1
            if len(Wm) != d1:
                raise InvalidInput(f"W has {len(Wm)} rows but d1={d1}; W must be d1 x d0 = {d1} x {d0}")
            if len(Wm[0]) != d0:
                raise InvalidInput(f"W has {len(Wm[0])} columns but d0={d0}; W must be d1 x d0 = {d1} x {d0}")
            if len(zv) != d1:
                raise InvalidInput(f"z has {len(zv)} entries but d1={d1}")
        return cls(W=Wm, z=zv)


def preactivations(instance: Instance, W: Sequence[Sequence[Fraction]]) -> Matrix:
    """``U[i][n] = w_i . x_n`` (d1 x N).

    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    >>> preactivations(inst, [[-1, -1]])
    ((Fraction(-2, 1), Fraction(-3, 1)),)
    """
    cols = [instance.column(n) for n in range(instance.N)]
    return tuple(tuple(dot(w, x) for x in cols) for w in W)


def pattern(instance: Instance, W: Sequence[Sequence[Fraction]]) -> tuple[tuple[int, ...], ...]:
    """Sign pattern ``S[i][n] = sign(w_i . x_n)`` (d1 x N)."""
    return tuple(tuple((u > 0) - (u < 0) for u in row) for row in preactivations(instance, W))


def activation_matrix(instance: Instance, S: Sequence[Sequence[int]]) -> Matrix:
    """``A[i][n] = E_in * a(S[i][n])``: slope 1 on ``+1``, ``rho`` on ``-1``.

    A zero data point (``S[i][n] = 0``) gets slope 1; its column of K is zero either way.
    """
    return tuple(
        tuple(
            instance.noise_entry(i, n) * (instance.rho if S[i][n] < 0 else Fraction(1))
            for n in range(instance.N)
        )
        for i in range(instance.d1)
    )


def khatri_rao_matrix(instance: Instance, S: Sequence[Sequence[int]]) -> Matrix:
    """``K = A (.) X``, ``(d0*d1) x N``, for the activation pattern ``S`` (d1 x N).

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> K = khatri_rao_matrix(inst, [[1, 1, 1], [1, -1, -1]])
    >>> [[str(k) for k in row] for row in K]
    [['0', '1', '2'], ['1', '1', '1'], ['0', '1/2', '1'], ['1', '1/2', '1/2']]
    """
    return khatri_rao(activation_matrix(instance, S), instance.X)


def predict(instance: Instance, point: Point) -> tuple[Fraction, ...]:
    """``yhat_n = sum_i z_i E_in f(w_i . x_n)`` with ``f(u) = u`` (u > 0), ``rho u`` (u < 0)."""
    U = preactivations(instance, point.W)
    return tuple(
        sum(
            (
                point.z[i] * instance.noise_entry(i, n) * (U[i][n] if U[i][n] > 0 else instance.rho * U[i][n])
                for i in range(instance.d1)
            ),
            Fraction(0),
        )
        for n in range(instance.N)
    )


def residual(instance: Instance, point: Point) -> tuple[Fraction, ...]:
    """``e = yhat - y`` (length N)."""
    return tuple(p - t for p, t in zip(predict(instance, point), instance.y))


def loss(instance: Instance, point: Point) -> Fraction:
    """``(1/2) * sum_n (yhat_n - y_n)^2``, exactly.

    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    >>> loss(inst, Point.from_lists([[-1, -1]], [1]))
    Fraction(5, 2)
    """
    return sum((e * e for e in residual(instance, point)), Fraction(0)) / 2
