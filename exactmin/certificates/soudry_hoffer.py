"""The ``volumes`` section of a census certificate (``soudry_carmon/census``;
docs/certificates/soudry_carmon/census.md): each unit region's angular-volume enclosure and
V_bad, V_global, as exact rationals (the outward-rounded decimals of the arb enclosures)."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from exactmin.arith.balls import interval
from exactmin.geometry import enumerate_regions
from exactmin.models import Instance

__all__ = ["with_volumes"]


def _exact(x: Any) -> list[str]:
    return [str(Fraction(v)) for v in interval(x)]


def with_volumes(cert: dict[str, Any], instance: Instance, report: Any) -> dict[str, Any]:
    """A copy of the census certificate ``cert`` with the volumes of ``report`` (a
    :class:`exactmin.theorems.soudry_hoffer.VolumeReport` of the same instance), unit regions in
    the certificate's order."""
    out = copy.deepcopy(cert)
    by_signs = dict(zip(report.unit_signs, report.unit_volumes))
    out["witness"]["volumes"] = {
        "unit": [_exact(by_signs[u.signs]) for u in enumerate_regions(instance.X)],
        "V_bad": _exact(report.V_bad), "V_global": _exact(report.V_global)}
    return out
