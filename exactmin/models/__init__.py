"""Instances, the exact network, and the per-region DLM decision."""

from exactmin.models.dlm import (
    WITNESS_PRIME,
    PointReport,
    RegionDecision,
    analyze_point,
    decide_region,
    region_lp_system,
)
from exactmin.models.instance import Instance
from exactmin.models.network import (
    Point,
    activation_matrix,
    khatri_rao_matrix,
    loss,
    pattern,
    predict,
    preactivations,
    residual,
)
from exactmin.models.random import random_instance

__all__ = [
    "WITNESS_PRIME",
    "Instance",
    "Point",
    "PointReport",
    "RegionDecision",
    "activation_matrix",
    "analyze_point",
    "decide_region",
    "khatri_rao_matrix",
    "loss",
    "pattern",
    "predict",
    "preactivations",
    "random_instance",
    "region_lp_system",
    "residual",
]
