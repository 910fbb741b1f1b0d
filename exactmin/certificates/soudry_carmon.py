"""Writer of ``soudry_carmon/no_bad_dlm`` certificates (docs/certificate-format.md)."""

from __future__ import annotations

from typing import Any, Sequence

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.certificates import envelope
from exactmin.decide import WITNESS_PRIME, PointReport, RegionDecision
from exactmin.errors import InternalError
from exactmin.geometry import (
    Region,
    find_gordan_certificate,
    general_position_violation,
    hyperplane_classes,
)
from exactmin.models import Instance

__all__ = ["CENSUS", "GLOBAL", "THEOREM", "census_certificate", "certified_certificate",
           "global_minimum_certificate", "refutation_certificate", "statement",
           "unit_completeness"]

THEOREM = "soudry_carmon/no_bad_dlm"
CENSUS = "soudry_carmon/census"
GLOBAL = "soudry_carmon/global_minimum"


def statement(instance: Instance) -> dict[str, Any]:
    """The statement block: the instance, exactly, and the theorem id."""
    return {
        "theorem": THEOREM,
        "X": fmt_matrix(instance.X),
        "y": fmt_vector(instance.y),
        "d1": instance.d1,
        "rho": fmt(instance.rho),
        "noise": None if instance.noise is None else fmt_matrix(instance.noise),
    }


def _envelope(instance: Instance, verdict: str, witness: dict[str, Any]) -> dict[str, Any]:
    return envelope(statement(instance), verdict, witness)


def refutation_certificate(instance: Instance, report: PointReport) -> dict[str, Any]:
    """Certificate of a bad DLM: the exact point, its loss and a box keeping its pattern."""
    if report.box_radius is None:
        raise ValueError("a refutation needs a differentiable point with a box radius")
    return _envelope(
        instance,
        "refuted",
        {
            "W": fmt_matrix(report.point.W),
            "z": fmt_vector(report.point.z),
            "loss": fmt(report.loss),
            "box_radius": fmt(report.box_radius),
        },
    )


def unit_completeness(instance: Instance, units: Sequence[Region]) -> dict[str, Any]:
    """Why ``units`` are all the regions: general position + Cover, else closure with Gordan."""
    N, d0 = instance.N, instance.d0
    cols = [instance.column(n) for n in range(N)]
    if N >= d0 and all(any(c) for c in cols) and general_position_violation(instance.X) is None:
        return {"method": "general_position"}
    classes = hyperplane_classes(instance.X)
    reps = [members[0][0] for members in classes]
    signs = [tuple(r.signs[n] for n in reps) for r in units]
    listed = set(signs)
    empty = []
    for k, s in enumerate(signs):
        for c in range(len(reps)):
            flipped = s[:c] + (-s[c],) + s[c + 1:]
            if flipped in listed:
                continue
            rows = [[flipped[t] * x for x in cols[reps[t]]] for t in range(len(reps))]
            y = find_gordan_certificate(rows, d0)
            if y is None:
                raise InternalError("a missing region has no Gordan certificate")
            empty.append({"region": k, "class": c, "gordan": fmt_vector(y)})
    return {"method": "closure", "empty": empty}


def _region_entry(dec: RegionDecision) -> dict[str, Any]:
    if dec.minor_rows is not None and dec.prefix is not None:
        return {"prefix": list(dec.prefix), "full_rank": list(dec.minor_rows)}
    if dec.minor_rows is not None:
        return {"full_rank": list(dec.minor_rows)}
    if dec.interpolant is not None:
        return {"interpolates": fmt_vector(dec.interpolant)}
    if dec.no_dlm is not None:
        return {"no_dlm": [[fmt_vector(lam), fmt_vector(mu)] for lam, mu in dec.no_dlm]}
    raise InternalError("a region decision carries no witness")


def certified_certificate(
    instance: Instance,
    units: Sequence[Region],
    decisions: Sequence[RegionDecision],
    prime: int = WITNESS_PRIME,
) -> dict[str, Any]:
    """Certificate that no DLM has nonzero loss: unit regions, completeness, one entry per region."""
    return _envelope(
        instance,
        "certified",
        {
            "unit_regions": {
                "points": [fmt_vector(r.point) for r in units],
                "completeness": unit_completeness(instance, units),
            },
            "prime": prime,
            "regions": [_region_entry(d) for d in decisions],
        },
    )


def census_certificate(
    instance: Instance,
    units: Sequence[Region],
    regions: Sequence[dict[str, Any]],
    counts: dict[str, Any],
    prime: int = WITNESS_PRIME,
) -> dict[str, Any]:
    """Certificate of the census itself: unit regions with completeness, one JSON entry per
    region in the kernel's order (``{"dlm": {"W", "z"}}``: an exact DLM; ``{"no_dlm": [...]}``:
    Motzkin certificates; see :func:`exactmin.search.census.census_entries`), and the counts."""
    return envelope({**statement(instance), "theorem": CENSUS}, "census", {
        "unit_regions": {"points": [fmt_vector(r.point) for r in units],
                         "completeness": unit_completeness(instance, units)},
        "prime": prime, "regions": list(regions),
        "counts": {"dlm_regions": counts["dlm_regions"],
                   "bad_dlm_regions": counts["bad_dlm_regions"],
                   "bad_losses": [fmt(q) for q in counts["bad_losses"]]}})


def global_minimum_certificate(instance: Instance, outcome: Any,
                               prime: int = WITNESS_PRIME) -> dict[str, Any]:
    """The ``soudry_carmon/global_minimum`` certificate of a complete
    :class:`~exactmin.search.global_min.GlobalOutcome`: the point attaining ``L*`` and, when
    ``L* > 0``, the regions of the arrangement (with why they are all of them) and an exact
    dual bound ``>= L*`` for every closed piece, in the kernel's order."""
    value, point = outcome.value, outcome.point
    witness: dict[str, Any] = {"W": fmt_matrix(point.W), "z": fmt_vector(point.z), "pieces": []}
    if value != 0:
        if any(b.bound < value for b in outcome.bounds):
            raise InternalError("a piece is bounded below L*: not the global minimum")
        witness.update(
            unit_regions={"points": [fmt_vector(r.point) for r in outcome.units],
                          "completeness": unit_completeness(instance, outcome.units)},
            prime=prime,
            pieces=[{"mu": fmt_vector(b.mu),
                     "lambda": [fmt_vector(r) for r in outcome.solver.multipliers(b)]}
                    for b in outcome.bounds])
    st = {**statement(instance), "theorem": GLOBAL, "global_minimum": fmt(value)}
    return envelope(st, "global_minimum", witness)
