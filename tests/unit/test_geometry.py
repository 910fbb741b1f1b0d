import itertools
import random
from fractions import Fraction

import pytest

from exactmin.geometry import (
    count_cover,
    enumerate_regions,
    find_strict_point,
    general_position_violation,
    hyperplane_classes,
)
from tests.parity.naive_reference import fm_feasible


def _dot(a, b):
    return sum((Fraction(x) * Fraction(y) for x, y in zip(a, b)), Fraction(0))


def _check_regions(X) -> list:
    regions = enumerate_regions(X)
    d0, N = len(X), len(X[0])
    cols = [[X[j][n] for j in range(d0)] for n in range(N)]
    for r in regions:  # every interior point has exactly the stated signs
        for n in range(N):
            u = _dot(r.point, cols[n])
            assert (u > 0) - (u < 0) == r.signs[n]
    assert len({r.signs for r in regions}) == len(regions)
    # completeness against brute force over all sign vectors (independent FM feasibility)
    nz = [n for n in range(N) if any(cols[n])]
    brute = 0
    for s in itertools.product((1, -1), repeat=len(nz)):
        if fm_feasible([([sk * Fraction(v) for v in cols[n]], 0) for sk, n in zip(s, nz)], [], d0):
            brute += 1
    assert brute == len(regions)
    return regions


@pytest.mark.parametrize("seed", range(8))
def test_general_position_count_is_cover(seed: int) -> None:
    rng = random.Random(seed)
    d0, N = rng.randint(1, 3), rng.randint(1, 6)
    while True:
        X = [[rng.randint(-4, 4) for _ in range(N)] for _ in range(d0)]
        if general_position_violation(X) is None:
            break
    assert len(_check_regions(X)) == count_cover(N, d0)


@pytest.mark.parametrize(
    "X",
    [
        [[0, 1, 2], [0, 1, 2]],            # zero column, parallel columns
        [[1, -1, 2, 0], [1, -1, 2, 1]],    # opposite parallel columns, duplicate direction
        [[1, 1], [2, 2], [3, 3]],          # N < d0, duplicate points
        [[0, 0], [0, 0]],                  # all data zero: one region, the whole space
        [[1, 0, 1, 1], [0, 1, 1, -1], [0, 0, 0, 0]],  # data in a subspace
    ],
)
def test_degenerate_arrangements_are_complete(X) -> None:
    _check_regions(X)


def test_hyperplane_classes_group_parallel_points() -> None:
    assert hyperplane_classes([[1, 2, -3, 0], [1, 2, -3, 0]]) == [[(0, 1), (1, 1), (2, -1)]]


def test_strict_lp_infeasible_and_equalities() -> None:
    assert find_strict_point([[1], [-1]], 1) is None
    assert find_strict_point([[0, 0]], 2) is None
    v = find_strict_point([[1, 0]], 2, eq=[[1, 1]], eq_rhs=[Fraction(-1, 3)])
    assert v is not None and v[0] > 0 and v[0] + v[1] == Fraction(-1, 3)
    assert find_strict_point([[1, 0]], 2, eq=[[1, 0]], eq_rhs=[0]) is None
