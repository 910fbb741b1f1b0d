"""Writer of ``milne/convexity`` certificates (docs/certificates/milne/convexity.md)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.certificates import envelope
from exactmin.decide.milne import Convexity
from exactmin.errors import NoCertificate
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.protocol import certifies

__all__ = ["THEOREM", "convexity_certificate"]

THEOREM = "milne/convexity"


def convexity_certificate(inst: DeepInstance, point: DeepPoint, lam: Fraction,
                          rep: Convexity) -> dict[str, Any] | None:
    """The certificate of ``rep``'s verdict (the LDL^T pivots, or the direction), or None when
    the point has no piece."""
    if rep.positive_definite is None:
        return None
    statement = {"theorem": THEOREM, "X": fmt_matrix(inst.X), "y": fmt_vector(inst.y),
                 "widths": list(inst.widths), "rho": fmt(inst.rho),
                 "noise": None if inst.noise is None else [fmt_matrix(E) for E in inst.noise],
                 "weights": [fmt_matrix(W) for W in point.weights], "lam": fmt(lam)}
    if rep.positive_definite:
        return envelope(statement, "positive_definite", {"pivots": fmt_vector(rep.pivots)})
    assert rep.direction is not None
    return envelope(statement, "not_positive_definite", {"direction": fmt_vector(rep.direction)})


@certifies(Convexity)
def _convexity(rep: Convexity) -> dict[str, Any]:
    cert = convexity_certificate(rep.inputs["inst"], rep.inputs["point"], rep.inputs["lam"], rep)
    if cert is None:
        raise NoCertificate(f"the point has no piece ({rep.reason}); nothing to certify")
    return cert
