"""Exact linear algebra on matrices given as tuples of rows of Fractions.

Two backends compute the same things: ``"flint"`` (python-flint, fast) and ``"python"`` (plain
Fractions, the slow reference kept for parity tests). Backend objects never leave this package.

>>> from fractions import Fraction as Q
>>> khatri_rao([[1, 2]], [[3, 4], [5, 6]])
((Fraction(3, 1), Fraction(8, 1)), (Fraction(5, 1), Fraction(12, 1)))
"""

from exactmin.linalg.dense import (
    BACKENDS,
    determinant,
    independent_rows,
    khatri_rao,
    kron,
    least_squares,
    mat_vec,
    nullspace,
    rank,
    row_space_projection,
    smallest_eigenvalue,
    solve_particular,
    solve_with_nullspace,
)

__all__ = [
    "BACKENDS",
    "determinant",
    "independent_rows",
    "kron",
    "khatri_rao",
    "least_squares",
    "mat_vec",
    "nullspace",
    "rank",
    "row_space_projection",
    "smallest_eigenvalue",
    "solve_particular",
    "solve_with_nullspace",
]
