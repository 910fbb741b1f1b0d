"""exactmin: exact, certificate-backed answers about loss landscapes of small neural networks.

>>> from exactmin import Instance, certify
>>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2",
...                            noise=[["3/2", "4/5", "6/5"], ["7/10", 1, "13/10"]])
>>> certify(inst).verdict
'certified'
"""

from exactmin.errors import ExactminError, InvalidInput, TooExpensive
from exactmin.models import Instance, Point, PointReport, random_instance
from exactmin.results import Census, Certified, Counterexample, Hypothesis, Inconclusive, Refuted
from exactmin.theorems.soudry_carmon import (
    certify,
    find_counterexample,
    hypotheses,
    verify_point,
)

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
    "hypotheses",
    "random_instance",
    "verify_point",
]
