"""Central hyperplane arrangements of data and exact LP feasibility."""

from exactmin.geometry.arrangement import (
    Region,
    count_cover,
    enumerate_faces,
    enumerate_regions,
    general_position_violation,
    hyperplane_classes,
    is_in_general_position,
)
from exactmin.geometry.lp import (
    cone_membership,
    feasible_point,
    find_gordan_certificate,
    find_motzkin_certificate,
    find_strict_point,
    fourier_motzkin,
    motzkin_multipliers,
    strictly_feasible,
)

__all__ = [
    "Region",
    "cone_membership",
    "feasible_point",
    "count_cover",
    "enumerate_faces",
    "enumerate_regions",
    "find_gordan_certificate",
    "find_motzkin_certificate",
    "motzkin_multipliers",
    "find_strict_point",
    "fourier_motzkin",
    "strictly_feasible",
    "general_position_violation",
    "hyperplane_classes",
    "is_in_general_position",
]
