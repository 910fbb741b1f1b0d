"""Exact rationals at the boundary: parsing, float rejection, formatting.

>>> from exactmin.arith import to_fraction, fmt
>>> fmt(to_fraction("-3/4", "rho"))
'-3/4'
"""

from exactmin.arith.rational import (
    as_integer_row,
    dot,
    fmt,
    fmt_matrix,
    fmt_vector,
    show,
    show_matrix,
    to_fraction,
    to_int,
    to_matrix,
    to_vector,
)

__all__ = [
    "as_integer_row",
    "dot",
    "fmt",
    "fmt_matrix",
    "fmt_vector",
    "show",
    "show_matrix",
    "to_fraction",
    "to_int",
    "to_matrix",
    "to_vector",
]
