"""Exact decisions on one object (a region, a point), one module per theorem.

``soudry_carmon``: whether a differentiable region of a one-hidden-layer network holds a DLM
and with what loss (rank, least squares, exact LPs over the sign choices of ``z``), and whether a
given point is a differentiable local minimum. ``soudry_carmon_integer``: the same region
decision in integer arithmetic (:class:`RegionDecider`), what censuses run.
"""

from exactmin.decide.soudry_carmon import (
    WITNESS_PRIME,
    PointReport,
    RegionDecision,
    analyze_point,
    decide_region,
    no_dlm_certificates,
    region_lp_system,
)
from exactmin.decide.soudry_carmon_integer import RegionDecider

__all__ = [
    "WITNESS_PRIME",
    "PointReport",
    "RegionDecider",
    "RegionDecision",
    "analyze_point",
    "decide_region",
    "no_dlm_certificates",
    "region_lp_system",
]
