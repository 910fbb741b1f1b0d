import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 3).flatmap(lambda k: st.tuples(
    st.just(k),
    st.lists(st.lists(st.integers(-3, 3), min_size=k + 1, max_size=k + 1), max_size=7),
    st.lists(st.lists(st.integers(-3, 3), min_size=k + 1, max_size=k + 1), max_size=2))))
def test_motzkin_certificate_proves_what_the_exact_lp_decides(system) -> None:
    """Fourier-Motzkin carrying its multipliers: True exactly when PPL finds a point, and
    otherwise integer multipliers that satisfy Motzkin's conditions."""
    from exactmin.geometry import find_strict_point
    from exactmin.geometry.farkas import motzkin_certificate

    k, strict, eq = system
    got = motzkin_certificate(strict, eq, k)
    point = find_strict_point([[Fraction(x) for x in r[:k]] for r in strict], k,
                              [[Fraction(x) for x in e[:k]] for e in eq],
                              [Fraction(-e[k]) for e in eq], [Fraction(r[k]) for r in strict])
    assert got is not None
    assert (got is True) == (point is not None)
    if got is not True:
        mu, lam = got
        assert all(m > 0 for m in mu.values())
        total = [sum(m * strict[r][c] for r, m in mu.items())
                 + sum(x * eq[q][c] for q, x in lam.items()) for c in range(k + 1)]
        assert not any(total[:k])
        assert total[k] < 0 or (total[k] == 0 and mu)
