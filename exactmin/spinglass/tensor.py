"""Spin-glass tensors and the Lagrange system of their critical points on the sphere.

Conventions (docs/conventions.md, "Spin glass"): a tensor file is
``{"p": 3, "Lambda": 3, "X": [[[...]]]}`` with X a full nested list of shape ``Lambda^p`` of
rationals (not necessarily symmetric);
``H(w) = Lambda^(-(p-1)/2) * sum_{i1..ip} X[i1]..[ip] w_i1 ... w_ip`` on ``||w||^2 = Lambda``;
the energy of a point is ``H(w) / Lambda``.

Critical points of H on the sphere are the solutions of the Lagrange system. With
``F(w) = sum X[i1..ip] w_i1..w_ip`` (so ``H = c F``, ``c = Lambda^(-(p-1)/2) > 0``), ``grad F =
p S w^(p-1)`` for the symmetrization S of X, and the unknowns ``x = (w, lam)``::

    G_i(x) = p (S w^(p-1))_i - lam w_i = 0   (i < Lambda),   G_Lambda(x) = w.w - Lambda = 0,

i.e. ``grad H = 2 mu w`` with ``mu = c lam / 2``. The Riemannian Hessian of H at a critical point
is ``c (p(p-1) S w^(p-2) - lam I)`` on the tangent space ``w^perp``.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from exactmin.arith import fmt, to_fraction, to_int
from exactmin.errors import InvalidInput
from exactmin.fileio import atomic_write, read_json

__all__ = ["SpinTensor", "random_tensor"]

_KEYS = ("p", "Lambda", "X")


@dataclass(frozen=True)
class SpinTensor:
    """An order-p tensor on ``R^Lambda`` with rational entries, flattened in C order.

    Examples
    --------
    >>> T = SpinTensor.from_dict({"p": 3, "Lambda": 2, "X": [[[1, 0], [0, 0]], [[0, 0], [0, "-1/2"]]]})
    >>> T.p, T.Lam, T.entry((1, 1, 1))
    (3, 2, Fraction(-1, 2))
    >>> T.F([Fraction(1), Fraction(2)])
    Fraction(-3, 1)
    """

    p: int
    Lam: int
    X: tuple[Fraction, ...]

    @classmethod
    def from_dict(cls, data: Any) -> "SpinTensor":
        """Build from the tensor-file mapping ``{"p", "Lambda", "X"}`` and validate it."""
        if not isinstance(data, Mapping):
            raise InvalidInput("a tensor file must be a JSON object with keys p, Lambda, X, "
                               f"got {type(data).__name__}")
        for key in _KEYS:
            if key not in data:
                raise InvalidInput(f"missing key {key!r} in the tensor; expected keys p, Lambda, X")
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise InvalidInput(f"unknown key(s) {unknown} in the tensor; known keys: {list(_KEYS)}")
        p = to_int(data["p"], "p")
        if p < 3:
            raise InvalidInput(f"p={p} must be >= 3 (the p-spin glass of Choromanska et al.)")
        Lam = to_int(data["Lambda"], "Lambda")
        if Lam < 1:
            raise InvalidInput(f"Lambda={Lam} must be >= 1")
        flat: list[Fraction] = []

        def walk(node: Any, depth: int, where: str) -> None:
            if depth == p:
                flat.append(to_fraction(node, f"X{where}"))
                return
            if not isinstance(node, (list, tuple)) or len(node) != Lam:
                got = f"length {len(node)}" if isinstance(node, (list, tuple)) else type(node).__name__
                raise InvalidInput(f"X{where or ''} must be a list of Lambda={Lam} entries (X has "
                                   f"shape Lambda^p = {Lam}^{p}), got {got}")
            for i, child in enumerate(node):
                walk(child, depth + 1, f"{where}[{i}]")

        walk(data["X"], 0, "")
        return cls(p, Lam, tuple(flat))

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> "SpinTensor":
        """Read and validate a tensor file."""
        return cls.from_dict(read_json(source, "tensor", parse_float=_no_float))

    def to_dict(self) -> dict[str, Any]:
        """The tensor-file mapping, entries as ``"p/q"`` strings."""
        def nest(offset: int, depth: int) -> Any:
            if depth == self.p:
                return fmt(self.X[offset])
            step = self.Lam ** (self.p - depth - 1)
            return [nest(offset + i * step, depth + 1) for i in range(self.Lam)]

        return {"p": self.p, "Lambda": self.Lam, "X": nest(0, 0)}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the tensor file (atomically)."""
        atomic_write(path, json.dumps(self.to_dict()) + "\n")

    def entry(self, index: tuple[int, ...]) -> Fraction:
        """``X[i1]...[ip]``."""
        flat = 0
        for i in index:
            flat = flat * self.Lam + i
        return self.X[flat]

    # -- exact evaluation (the certificate side uses the same formulas on Fractions)
    def F(self, w: list[Fraction]) -> Fraction:
        """``sum X[i1..ip] w_i1 ... w_ip`` exactly."""
        total = Fraction(0)
        for index, x in zip(itertools.product(range(self.Lam), repeat=self.p), self.X):
            if x:
                total += x * math.prod(w[i] for i in index)
        return total

    def symmetric(self) -> np.ndarray:
        """The symmetrization S of X as a float array (Lambda,)*p (for the numerical search)."""
        A = np.array([float(x) for x in self.X]).reshape((self.Lam,) * self.p)
        perms = list(itertools.permutations(range(self.p)))
        return sum(np.transpose(A, perm) for perm in perms) / len(perms)

    @property
    def generic_solutions(self) -> int:
        """Solutions (w, lam) of the Lagrange system of a generic tensor: twice the
        Cartwright-Sturmfels count ``((p-1)^Lambda - 1)/(p-2)`` of eigenpair classes."""
        return 2 * ((self.p - 1) ** self.Lam - 1) // (self.p - 2)


def _no_float(token: str) -> Any:
    raise InvalidInput(f"JSON number {token} in the tensor is a float; write rationals as integers "
                       "or 'p/q' strings")


def random_tensor(p: int, Lam: int, seed: int = 0, denominator: int = 1000) -> SpinTensor:
    """A seeded tensor of rationalized standard Gaussians (``round(g * denominator) / denominator``).

    >>> T = random_tensor(3, 2, seed=0)
    >>> len(T.X), T.X[0]
    (8, Fraction(63, 500))
    """
    p = to_int(p, "p")
    Lam = to_int(Lam, "Lambda")
    if p < 3:
        raise InvalidInput(f"p={p} must be >= 3")
    if Lam < 1:
        raise InvalidInput(f"Lambda={Lam} must be >= 1")
    g = np.random.default_rng(seed).standard_normal(Lam**p)
    return SpinTensor(p, Lam, tuple(Fraction(int(round(x * denominator)), denominator) for x in g))
