"""Writer of ``kawaguchi_kaelbling/escape`` certificates (docs/certificate-format.md)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.certificates import envelope
from exactmin.decide.kawaguchi_kaelbling import Escape
from exactmin.errors import NoCertificate
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.protocol import certifies

__all__ = ["THEOREM", "escape_certificate"]

THEOREM = "kawaguchi_kaelbling/escape"


def escape_certificate(inst: DeepInstance, point: DeepPoint, lam: Fraction,
                       w: Sequence[Fraction], b: Fraction, esc: Escape) -> dict[str, Any] | None:
    """The certificate that ``(theta, 0, w, b)`` is not a local minimum of the augmented loss,
    with the escape neuron as witness; None unless ``esc.verdict == "escape"``."""
    if esc.verdict != "escape" or esc.a is None:
        return None
    statement = {"theorem": THEOREM, "X": fmt_matrix(inst.X), "y": fmt_vector(inst.y),
                 "widths": list(inst.widths), "rho": fmt(inst.rho),
                 "noise": None if inst.noise is None else [fmt_matrix(E) for E in inst.noise],
                 "weights": [fmt_matrix(W) for W in point.weights], "lam": fmt(lam),
                 "w": fmt_vector(w), "b": fmt(b)}
    return envelope(statement, "not_local_minimum",
                    {"a": fmt(esc.a), "w": fmt_vector(esc.w), "bits": max(64, esc.bits)})


@certifies(Escape)
def _escape(esc: Escape) -> dict[str, Any]:
    cert = escape_certificate(esc.inputs["inst"], esc.inputs["point"], esc.inputs["lam"],
                              esc.inputs["w"], esc.inputs["b"], esc)
    if cert is None:
        raise NoCertificate(f"nothing escapes ({esc.reason}): the certificate theorem "
                            "kawaguchi_kaelbling/escape states an escape")
    return cert
