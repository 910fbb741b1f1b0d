"""Kawaguchi & Kaelbling 2019, "Elimination of all bad local minima in deep learning"
(arXiv:1901.00279): one exponential neuron per output, and what it does to a concrete network.

Theorem (as checked here): add ``a exp(w . x + b)`` to the output and ``(lam / 2) a^2`` to the
loss, ``lam > 0``. At every local minimum of the augmented loss ``L~``, ``a = 0`` and the original
parameters are a global minimum of the original loss ``L``. Consequently a point of the original
network with nonzero loss that is not a global minimum is, with ``a = 0``, never a local minimum
of ``L~``: :func:`eliminate` certifies that and produces an escape point; :func:`augmented_point`
decides criticality of any augmented point and reports the proof's identities.
"""

from __future__ import annotations

from typing import Any, Sequence

from exactmin.arith import to_fraction
from exactmin.certificates import kawaguchi_kaelbling as _cert
from exactmin.decide.kawaguchi_kaelbling import (
    AugmentedReport,
    Escape,
    augmented_critical,
    escape,
)
from exactmin.errors import InvalidInput
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.theorems.paper import Paper

__all__ = ["CITATION", "augmented_point", "eliminate"]

CITATION = ("K. Kawaguchi and L. P. Kaelbling, Elimination of all bad local minima in deep "
            "learning, arXiv:1901.00279 (2019)")


def _lam(lam: Any) -> Any:
    q = to_fraction(lam, "lam")
    if not q > 0:
        raise InvalidInput(f"lam={lam!r} must be a positive rational (the penalty (lam/2) a^2)")
    return q


def _w(w: Any, inst: DeepInstance) -> tuple[Any, ...]:
    if w is None:
        return tuple(to_fraction(0, "w") for _ in range(inst.widths[0]))
    if not isinstance(w, (list, tuple)) or len(w) != inst.widths[0]:
        raise InvalidInput(f"w={w!r} must be a list of d0={inst.widths[0]} rationals")
    return tuple(to_fraction(v, f"w[{k}]") for k, v in enumerate(w))


def _point(point: Any, inst: DeepInstance) -> DeepPoint:
    if isinstance(point, DeepPoint):
        point.check(inst)
        return point
    return DeepPoint.from_dict(point, inst)


def eliminate(instance: DeepInstance, point: Any, lam: Any = "1/10", w: Sequence[Any] | None = None,
              b: Any = 0, step: Any = "1/1000") -> Escape:
    """Show that ``(theta, a = 0, w, b)`` is not a local minimum of ``L~`` unless ``theta`` has
    zero loss (or the residuals sum to 0 on every group of equal inputs), with a rational escape
    point and a rigorous enclosure of the decrease (:func:`exactmin.decide.kawaguchi_kaelbling.
    escape`).

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
    ...                                "rho": "1/2"})
    >>> bad = {"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}  # a bad DLM (loss 1/3)
    >>> out = eliminate(inst, bad)
    >>> out.verdict, out.original_loss, out.decrease < 0
    ('escape', Fraction(1, 3), True)
    """
    lam_q = _lam(lam)
    step_q = to_fraction(step, "step")
    if not step_q > 0:
        raise InvalidInput(f"step={step!r} must be a positive rational")
    return escape(instance, _point(point, instance), lam_q, _w(w, instance),
                  to_fraction(b, "b"), step=step_q)


def augmented_point(instance: DeepInstance, point: Any, lam: Any, a: Any, w: Sequence[Any],
                    b: Any) -> AugmentedReport:
    """Whether ``(theta, a, w, b)`` is a critical point of ``L~``, with the identities
    ``a * S = 0`` and ``S + lam * a = 0`` of the proof (:func:`exactmin.decide.
    kawaguchi_kaelbling.augmented_critical`)."""
    return augmented_critical(instance, _point(point, instance), _lam(lam), to_fraction(a, "a"),
                              _w(w, instance), to_fraction(b, "b"))


PAPER_INFO = Paper(
    id="kawaguchi_kaelbling", title="Elimination of all bad local minima in deep learning",
    citation=CITATION, theorems=(_cert.THEOREM,), commands=("eliminate",),
    experiments=("kawaguchi",),
    example="09_eliminate_bad_minima.py", proof="kawaguchi_kaelbling.md",
    docs="kawaguchi_kaelbling.md", corpus=("kawaguchi_kaelbling_escape",),
    properties="test_kawaguchi_kaelbling.py")
