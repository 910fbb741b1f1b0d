"""Instances and the exact network (forward pass, pattern, activation and Khatri-Rao matrices,
loss); decisions about a region or a point live in :mod:`exactmin.decide`."""

from exactmin.models.instance import Instance
from exactmin.models.network import (
    Point,
    activation_matrix,
    khatri_rao_matrix,
    loss,
    pattern,
    preactivations,
    predict,
    residual,
)
from exactmin.models.random import random_instance

__all__ = [
    "Instance",
    "Point",
    "activation_matrix",
    "khatri_rao_matrix",
    "loss",
    "pattern",
    "predict",
    "preactivations",
    "random_instance",
    "residual",
]
