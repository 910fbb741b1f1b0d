from fractions import Fraction

import numpy as np
import pytest

from exactmin.arith import as_integer_row, fmt, to_fraction, to_int, to_matrix, to_vector
from exactmin.errors import InvalidInput


@pytest.mark.parametrize(
    "value, expected",
    [("3", Fraction(3)), ("-3/4", Fraction(-3, 4)), ("0.25", Fraction(1, 4)), (" 7/2 ", Fraction(7, 2)),
     (5, Fraction(5)), (Fraction(2, 3), Fraction(2, 3)), (np.int64(-4), Fraction(-4)), ("-.5", Fraction(-1, 2))],
)
def test_accepted_rationals(value, expected) -> None:
    assert to_fraction(value, "v") == expected


@pytest.mark.parametrize("value", [0.5, float("nan"), True, "1/0", "abc", "1e3", None, [1]])
def test_rejected_values_name_the_argument(value) -> None:
    with pytest.raises(InvalidInput, match=r"X\[0\]\[1\]|X\[0\]\[1\]="):
        to_fraction(value, "X[0][1]")


def test_float_message_suggests_fraction() -> None:
    with pytest.raises(InvalidInput, match=r"rho=0.75 \(float\); use '3/4'"):
        to_fraction(0.75, "rho")


def test_to_int_bounds_and_types() -> None:
    assert to_int(np.int32(3), "d1") == 3
    with pytest.raises(InvalidInput, match="d1=0 must be >= 1"):
        to_int(0, "d1", minimum=1)
    with pytest.raises(InvalidInput, match="d1"):
        to_int(2.0, "d1")


def test_matrices_and_vectors_from_numpy() -> None:
    X = to_matrix(np.array([[1, 2], [3, 4]]), "X")
    assert X == ((Fraction(1), Fraction(2)), (Fraction(3), Fraction(4)))
    with pytest.raises(InvalidInput, match="X"):
        to_matrix(np.array([[0.5, 1.0]]), "X")
    with pytest.raises(InvalidInput, match="expected a list, got y="):
        to_vector("12", "y")


def test_format_and_integer_scaling() -> None:
    assert fmt(Fraction(4, 2)) == "2" and fmt(Fraction(-1, 3)) == "-1/3"
    row = [Fraction(1, 6), Fraction(-3, 4), Fraction(0)]
    ints = as_integer_row(row)
    ratio = Fraction(ints[0]) / row[0]
    assert ratio > 0 and all(Fraction(a) == ratio * b for a, b in zip(ints, row))
