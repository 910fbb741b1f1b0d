"""Candidate bad local minima of networks of any depth (untrusted: every candidate is decided
by :func:`exactmin.decide.deep.analyze_deep_point` before anyone sees it).

Families (proofs/deep_networks.md, "Counterexample families"):

- ``linear-fit``: every pre-activation positive and the end-to-end linear map equal to the
  least-squares linear fit; ``P e = X e = 0``, so a local minimum, bad when no linear model
  fits the labels. Needs every hidden width >= 2 and data in an open half-space (here: a
  constant input coordinate, the bias).
- ``dead-layer`` (ReLU): the last hidden layer negative on every data point; the output is 0 on
  a neighbourhood, the loss ``||y||^2 / 2``.
- ``search``: random integer lower layers (most first-layer units given one sign on all data
  through the bias input, the others left mixed), the restricted census of the last hidden
  layer and the output (:func:`exactmin.models.deep.restricted_instance`), its bad DLM lifted
  to the full network and decided there.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Sequence

from exactmin.linalg import solve_particular
from exactmin.models.deep import DeepInstance, DeepPoint, forward, restricted_instance

__all__ = ["FAMILIES", "candidate", "random_deep_instance"]

FAMILIES = ("linear-fit", "dead-layer", "search")
Matrix = tuple[tuple[Fraction, ...], ...]


def random_deep_instance(widths: Sequence[int], N: int, rho: Fraction, rng: random.Random,
                         max_int: int = 3) -> DeepInstance:
    """Integer data in ``[-max_int, max_int]`` whose last coordinate is the constant 1 (a bias
    input), integer labels; no noise."""
    d0 = widths[0]
    X = [[Fraction(rng.randint(-max_int, max_int)) for _ in range(N)] for _ in range(d0 - 1)]
    X.append([Fraction(1)] * N)
    y = tuple(Fraction(rng.randint(-max_int, max_int)) for _ in range(N))
    return DeepInstance(X=tuple(map(tuple, X)), y=y, widths=tuple(widths), rho=rho)


def _matrix(rows: Sequence[Sequence[Fraction | int]]) -> Matrix:
    return tuple(tuple(Fraction(v) for v in row) for row in rows)


def linear_fit_point(inst: DeepInstance) -> DeepPoint | None:
    """All pre-activations positive, ``w_out W_L ... W_1 = beta^T`` with ``beta`` a least-squares
    fit. Needs no noise, every hidden width >= 2, and the last input coordinate constant 1."""
    w, N, d0 = inst.widths, inst.N, inst.widths[0]
    if inst.noise is not None or min(w[1:-1]) < 2 or any(v != 1 for v in inst.X[-1]):
        return None
    gram = [[sum((inst.X[i][n] * inst.X[j][n] for n in range(N)), Fraction(0)) for j in range(d0)]
            for i in range(d0)]
    rhs = [sum((inst.X[i][n] * inst.y[n] for n in range(N)), Fraction(0)) for i in range(d0)]
    beta = solve_particular(gram, rhs)
    if beta is None:
        return None
    M = 1 + max(abs(sum((b * inst.X[i][n] for i, b in enumerate(beta)), Fraction(0)))
                for n in range(N))
    c = [Fraction(0)] * (d0 - 1) + [M]  # c . x_n = M > |beta . x_n|
    first = [[ci + bi for ci, bi in zip(c, beta)]] + [c] * (w[1] - 1)
    layers = [_matrix(first)]
    for l in range(2, len(w) - 1):  # unit 0 copies unit 0, the others copy unit 1
        layers.append(_matrix([[1 if j == min(i, 1) else 0 for j in range(w[l - 1])]
                               for i in range(w[l])]))
    out = _matrix([[1, -1] + [0] * (w[-2] - 2)])
    return DeepPoint((*layers, out))


def dead_layer_point(inst: DeepInstance, rng: random.Random, max_int: int = 2
                     ) -> DeepPoint | None:
    """ReLU: random lower layers, ``W_L = -1`` everywhere (``u_L(n) = -sum h_{L-1}(n) < 0``
    since ``h_{L-1}(n) >= 0``), random ``w_out``; None unless the lower layers are
    differentiable and every ``h_{L-1}(n)`` is nonzero."""
    if inst.rho != 0:
        return None
    w = inst.widths
    lower = tuple(_matrix([[rng.randint(-max_int, max_int) for _ in range(w[l - 1])]
                           for _ in range(w[l])]) for l in range(1, len(w) - 2))
    if inst.L == 1:  # the dead layer sees the data itself: -c with c . x_n = 1 (the bias)
        last = _matrix([[0] * (w[0] - 1) + [-1]] * w[1])
    else:
        last = _matrix([[-1] * w[-3]] * w[-2])
    out = _matrix([[rng.randint(-max_int, max_int) or 1 for _ in range(w[-2])]])
    point = DeepPoint((*lower, last, out))
    fw = forward(inst, point)
    if any(v == 0 for layer in fw.u for un in layer for v in un):
        return None
    return point


def search_point(inst: DeepInstance, rng: random.Random, max_int: int = 2,
                 fixed: Sequence[Matrix] | None = None) -> DeepPoint | None:
    """Random integer lower layers (or the ``fixed`` ones) and the restricted census's first bad
    DLM, lifted."""
    if fixed is not None:
        return _lifted(inst, tuple(fixed))
    w = inst.widths
    lower = [[[rng.randint(-max_int, max_int) for _ in range(w[l - 1])] for _ in range(w[l])]
             for l in range(1, len(w) - 2)]
    if lower:  # patterns: most first-layer units get one sign on all data, through the bias
        for row in lower[0]:
            if rng.random() < 2 / 3:
                reach = max(abs(sum((v * inst.X[j][n] for j, v in enumerate(row[:-1])),
                                    Fraction(0))) for n in range(inst.N))
                row[-1] = rng.choice((1, -1)) * (int(reach) + 1)
    return _lifted(inst, tuple(map(_matrix, lower)))


def _lifted(inst: DeepInstance, lower: tuple[Matrix, ...]) -> DeepPoint | None:
    from exactmin.search.outcome import ScanOptions
    from exactmin.search.scan import scan_regions

    inner = restricted_instance(inst, lower)
    outcome = scan_regions(inner, ScanOptions(force=True, budget=10.0))
    if outcome.bad is None or outcome.bad.dlm is None:
        return None
    dlm = outcome.bad.dlm
    return DeepPoint((*lower, tuple(map(tuple, dlm.W)), (tuple(dlm.z),)))


def candidate(family: str, inst: DeepInstance, rng: random.Random,
              like: DeepPoint | None = None) -> DeepPoint | None:
    """One candidate point of ``family`` for ``inst`` (None when the family does not apply);
    ``like``: for ``search``, keep that point's lower layers (shrinking)."""
    if family == "linear-fit":
        return linear_fit_point(inst)
    if family == "dead-layer":
        return dead_layer_point(inst, rng)
    if family == "search":
        return search_point(inst, rng, fixed=None if like is None else like.weights[:-2])
    raise ValueError(family)
