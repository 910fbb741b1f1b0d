"""Writers of the certificates for networks of any depth (docs/certificates/soudry_carmon/):
``soudry_carmon/deep_point`` (one point is, or is not, a local minimum),
``soudry_carmon/kink_point`` (the same at any point, kinks included) and
``soudry_carmon/restricted_no_bad_dlm`` (a census with the lower layers fixed)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.certificates import envelope
from exactmin.decide.deep import DeepPointReport, analyze_deep_point, kink_report, unflatten
from exactmin.decide.soudry_carmon import PointReport
from exactmin.decide.soudry_carmon_kinks import KinkReport
from exactmin.errors import NoCertificate
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.protocol import certifies

__all__ = ["KINK", "POINT", "RESTRICTED", "kink_certificate", "point_certificate",
           "restricted_certificate"]

POINT = "soudry_carmon/deep_point"
KINK = "soudry_carmon/kink_point"
RESTRICTED = "soudry_carmon/restricted_no_bad_dlm"

Matrix = tuple[tuple[Fraction, ...], ...]


def _network(inst: DeepInstance) -> dict[str, Any]:
    return {"X": fmt_matrix(inst.X), "y": fmt_vector(inst.y), "widths": list(inst.widths),
            "rho": fmt(inst.rho),
            "noise": None if inst.noise is None else [fmt_matrix(E) for E in inst.noise]}


def point_certificate(inst: DeepInstance, point: DeepPoint,
                      report: DeepPointReport) -> dict[str, Any] | None:
    """The certificate of ``report``'s verdict, or None when it decides nothing (undecided).
    At a kink the verdict is a ``soudry_carmon/kink_point`` certificate (:func:`kink_certificate`).

    - local minimum by ``P e = 0``: ``{"loss", "box_radius"}``;
    - not a local minimum: ``{"direction"}`` (minus the gradient, or the saddle's escape
      direction), in the shape of the weights.
    """
    if not report.differentiable:
        if report.local_minimum is None:
            return None
        kink = kink_report(inst, point)
        return kink_certificate(inst, point, kink if kink is not None else report)
    statement = {"theorem": POINT, **_network(inst),
                 "weights": [fmt_matrix(W) for W in point.weights]}
    if report.local_minimum is True:
        assert report.path_least_squares and report.box_radius is not None
        return envelope(statement, "local_minimum", {"loss": fmt(report.loss),
                                                     "box_radius": fmt(report.box_radius)})
    if report.local_minimum is False:
        if report.escape_direction is not None:
            direction = [fmt_matrix(W) for W in unflatten(report.escape_direction, point.weights)]
        else:
            assert report.gradient is not None
            direction = [[[fmt(-v) for v in row] for row in G] for G in report.gradient]
        return envelope(statement, "not_local_minimum", {"direction": direction})
    return None


def restricted_certificate(inst: DeepInstance, lower: Sequence[Matrix],
                           one_hidden: dict[str, Any]) -> dict[str, Any]:
    """The one-hidden-layer certificate of the features' problem, under the deep statement
    (the kernel recomputes the features from ``X`` and ``lower``)."""
    statement = {"theorem": RESTRICTED, **_network(inst), "lower": [fmt_matrix(W) for W in lower]}
    return envelope(statement, one_hidden["verdict"], one_hidden["witness"])


def kink_certificate(inst: DeepInstance, point: DeepPoint, report: Any) -> dict[str, Any]:
    """The ``soudry_carmon/kink_point`` certificate of a decided point at a kink (``report``: a
    :class:`exactmin.decide.soudry_carmon_kinks.KinkReport` for one hidden layer, or a deep
    verdict with a one-sided ``direction`` or zero loss):

    - not a local minimum: ``{"direction"}`` in the shape of the weights;
    - a local minimum: ``{"loss", "pieces"}``, one entry per unit and sign vector of its ties in
      the kernel's order (``lambda``, ``gordan`` or nothing); no pieces when the loss is 0.
    """
    statement = {"theorem": KINK, **_network(inst),
                 "weights": [fmt_matrix(W) for W in point.weights]}
    if not report.local_minimum:
        if getattr(report, "direction", None) is not None:  # one hidden layer: (dW, dz)
            dW, dz = report.direction
            direction = [fmt_matrix(dW), [fmt_vector(dz)]]
        else:  # any depth: the flat escape direction in the weights' shapes
            direction = [fmt_matrix(W) for W in unflatten(report.escape_direction, point.weights)]
        return envelope(statement, "not_local_minimum", {"direction": direction})
    pieces = [] if report.loss == 0 else [
        {k: v for k, v in p.to_dict().items() if k in ("lambda", "gordan")}
        for p in report.pieces]
    return envelope(statement, "local_minimum", {"loss": fmt(report.loss), "pieces": pieces})


@certifies(DeepPointReport)
def _deep_point(report: DeepPointReport) -> dict[str, Any]:
    cert = point_certificate(report.inputs["inst"], report.inputs["point"], report)
    if cert is None:
        raise NoCertificate(f"the point is undecided ({report.reason}); a certificate states a "
                            "verdict")
    return cert


def _as_deep(report: PointReport | KinkReport) -> tuple[DeepInstance, DeepPoint]:
    inst = DeepInstance.from_instance(report.inputs["instance"])
    point = report.inputs["point"]
    return inst, DeepPoint(weights=(point.W, (point.z,)))


@certifies(PointReport)
def _point(report: PointReport) -> dict[str, Any]:
    """A one-hidden-layer point, certified in the any-depth form (``soudry_carmon/deep_point``,
    or ``kink_point`` at a kink)."""
    inst, point = _as_deep(report)
    cert = point_certificate(inst, point, analyze_deep_point(inst, point))
    if cert is None:
        raise NoCertificate(f"the point is undecided ({report.reason}); a certificate states a "
                            "verdict")
    return cert


@certifies(KinkReport)
def _kink(report: KinkReport) -> dict[str, Any]:
    inst, point = _as_deep(report)
    return kink_certificate(inst, point, report)
