"""exactmin: exact, certificate-backed answers about loss landscapes of small neural networks.

>>> from exactmin import Instance, certify
>>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2",
...                            noise=[["3/2", "4/5", "6/5"], ["7/10", 1, "13/10"]])
>>> certify(inst).verdict
'certified'
"""

from typing import TYPE_CHECKING, Any

# PEP 562: the public names load their modules on first use, so that ``import exactmin.check``
# (the trusted kernel) loads the standard library and the kernel only.
_LAZY = {
    "ExactminError": "exactmin.errors", "InvalidInput": "exactmin.errors",
    "TooExpensive": "exactmin.errors",
    "Instance": "exactmin.models", "Point": "exactmin.models", "PointReport": "exactmin.decide",
    "random_instance": "exactmin.models",
    "Census": "exactmin.results", "Certified": "exactmin.results",
    "Counterexample": "exactmin.results", "Hypothesis": "exactmin.results",
    "Inconclusive": "exactmin.results", "Refuted": "exactmin.results",
    "certify": "exactmin.theorems.soudry_carmon",
    "find_counterexample": "exactmin.theorems.soudry_carmon",
    "hypotheses": "exactmin.theorems.soudry_carmon",
    "verify_point": "exactmin.theorems.soudry_carmon",
    "format_result": "exactmin.report", "format_point_report": "exactmin.report",
}

if TYPE_CHECKING:
    from exactmin.decide import PointReport
    from exactmin.errors import ExactminError, InvalidInput, TooExpensive
    from exactmin.models import Instance, Point, random_instance
    from exactmin.report import format_point_report, format_result
    from exactmin.results import (
        Census,
        Certified,
        Counterexample,
        Hypothesis,
        Inconclusive,
        Refuted,
    )
    from exactmin.theorems.soudry_carmon import (
        certify,
        find_counterexample,
        hypotheses,
        verify_point,
    )


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exactmin' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__version__ = "0.1.0"

__all__ = [
    "Census",
    "Certified",
    "Counterexample",
    "ExactminError",
    "Hypothesis",
    "Inconclusive",
    "Instance",
    "InvalidInput",
    "Point",
    "PointReport",
    "Refuted",
    "TooExpensive",
    "certify",
    "find_counterexample",
    "format_point_report",
    "format_result",
    "hypotheses",
    "random_instance",
    "verify_point",
]
