"""Milne 2018, "Piecewise strong convexity of neural networks" (arXiv:1810.12805).

With weight decay the loss is strongly convex on each activation piece inside a bounded set where
the training error is small. :func:`convexity` decides, at any point of a network of any depth,
whether the weight-decayed objective is strongly convex on the point's piece, exactly
(:mod:`exactmin.decide.milne`): an exact LDL^T certificate or an exact direction of non-positive
curvature, the smallest eigenvalue enclosed, the exact training error, our sufficient threshold
(proofs/milne.md), and at exact critical points with a positive definite Hessian a radius on which
the point is the only critical point (docs/papers/milne.md).
"""

from __future__ import annotations

from typing import Any

from exactmin.arith import to_fraction
from exactmin.certificates import milne as _cert
from exactmin.decide.milne import Convexity
from exactmin.decide.milne import convexity as _convexity
from exactmin.errors import InvalidInput
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.theorems.paper import Paper

__all__ = ["CITATION", "convexity"]

CITATION = ("R. Milne, Piecewise strong convexity of neural networks, arXiv:1810.12805 (2018)")


def convexity(instance: DeepInstance, point: Any, lam: Any, width: float = 1e-9) -> Convexity:
    """Strong convexity of ``F = (1/2) sum_n e_n^2 + (lam/2) sum_l ||W_l||_F^2`` on the piece of
    ``point``.

    Parameters
    ----------
    instance : DeepInstance (a one-hidden-layer file is the depth-1 network)
    point : DeepPoint or a point-file mapping
    lam : weight decay, a rational ``>= 0``
    width : the ``lambda_min`` enclosure's width bound

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
    ...                                "widths": [2, 2, 2, 1], "rho": 0})
    >>> c = convexity(inst, {"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]], [[-1, 1]]]}, "1/10")
    >>> c.positive_definite, c.training_error
    (False, Fraction(109, 2))
    """
    lam_q = to_fraction(lam, "lam")
    if lam_q < 0:
        raise InvalidInput(f"lam={lam!r} must be >= 0 (the weight decay (lam/2) sum ||W||^2)")
    if not (isinstance(width, (int, float)) and 0 < width < 1):
        raise InvalidInput(f"width={width!r} must be a number in (0, 1)")
    if not isinstance(point, DeepPoint):
        point = DeepPoint.from_dict(point, instance)
    else:
        point.check(instance)
    return _convexity(instance, point, lam_q, float(width))


PAPER_INFO = Paper(
    id="milne", title="Piecewise strong convexity of neural networks", citation=CITATION,
    theorems=(_cert.THEOREM,), commands=("convexity",),
    experiments=("milne",), example="11_piecewise_strong_convexity.py",
    proof="milne.md", docs="milne.md", corpus=("milne_convexity",),
    properties="test_milne.py")
