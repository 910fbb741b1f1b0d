"""The fast path against the naive exact reference on tiny instances: identical census."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, certify, random_instance
from exactmin.strategies import instances
from tests.parity import naive_reference


def _fast(inst: Instance) -> dict:
    c = certify(inst, census=True).census
    return dict(
        regions=c.regions,
        full_rank_regions=c.full_rank_regions,
        dlm_regions=c.dlm_regions,
        bad_dlm_regions=c.bad_dlm_regions,
        bad_losses=list(c.bad_losses),
    )


def _naive(inst: Instance) -> dict:
    return naive_reference.census(inst.X, inst.y, inst.d1, inst.rho, inst.noise)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rho", ["1/2", "0", "-1/3"])
def test_seeded_random_instances_match(seed: int, rho: str) -> None:
    inst = random_instance(2, 2, 3, rho=rho, noise=seed % 2 == 1, seed=seed, max_int=3)
    assert _fast(inst) == _naive(inst)


def test_degenerate_data_matches() -> None:
    # A zero column, two parallel columns (opposite orientation) and a duplicate.
    inst = Instance.from_lists([[0, 1, -2, 1], [0, 1, -2, 1]], [1, 2, -1, 3], d1=2, rho="1/3")
    assert _fast(inst) == _naive(inst)


def test_more_points_than_parameters_matches() -> None:
    inst = random_instance(2, 1, 4, rho="1/4", seed=3, max_int=3)
    assert _fast(inst) == _naive(inst)


@settings(max_examples=15)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 3)))
def test_random_tiny_instances_match(inst: Instance) -> None:
    assert _fast(inst) == _naive(inst)


def test_reference_itself_on_golden_g1() -> None:
    # The naive reference agrees with the shared golden census (two independent implementations).
    got = naive_reference.census([[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, Fraction(1, 2))
    assert got["dlm_regions"] == 14 and got["bad_dlm_regions"] == 8
    assert got["bad_losses"] == [Fraction(2, 9), Fraction(1, 3), Fraction(8, 21)]
