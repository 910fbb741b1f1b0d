"""Motzkin certificates found from float-proposed supports (exactmin.decide.soudry_carmon_motzkin)
against the reference decision: a region gets certificates exactly when it holds no DLM, every
certificate satisfies Motzkin's conditions (checked here in Fractions, independently of the
producer), and with the float proposal switched off the exact LP gives the same answer."""

import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, random_instance
from exactmin.decide import decide_region, no_dlm_certificates
from exactmin.decide import soudry_carmon_motzkin as motzkin
from exactmin.decide.soudry_carmon import _stacked_blocks, region_lp_system
from exactmin.geometry import enumerate_regions, motzkin_multipliers
from exactmin.strategies import instances


def _is_motzkin(C, B, b, lam, mu) -> bool:
    """mu >= 0, B^T lam + C^T mu = 0, and b.lam > 0 or (b.lam = 0 and mu != 0)."""
    if len(lam) != len(B) or len(mu) != len(C) or any(m < 0 for m in mu):
        return False
    nv = len((C or B)[0])
    for j in range(nv):
        if sum(B[r][j] * lam[r] for r in range(len(B))) + sum(C[r][j] * mu[r]
                                                               for r in range(len(C))):
            return False
    b_lam = sum(x * w for x, w in zip(b, lam))
    return b_lam > 0 or (b_lam == 0 and any(mu))


def _check_region(inst: Instance, regs) -> bool:
    """The certificates of a region are Motzkin certificates of its systems, present exactly
    when the reference decision finds no DLM; returns whether the region has a DLM."""
    has = decide_region(inst, regs, find_dlm=True).has_dlm
    certs = no_dlm_certificates(inst, regs)
    assert (certs is None) == bool(has)
    if certs is not None:
        K = _stacked_blocks(inst, tuple(regs), {})
        sigmas = list(itertools.product((1, -1, 0), repeat=inst.d1))
        assert len(certs) == len(sigmas)
        for sigma, (lam, mu) in zip(sigmas, certs):
            C, B, b = region_lp_system(inst, regs, K, sigma)
            assert _is_motzkin(C, B, b, lam, mu), sigma
    return bool(has)


@settings(max_examples=30, deadline=None)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 3), N=st.integers(1, 5)))
def test_certificates_exactly_where_the_reference_finds_no_dlm(inst: Instance) -> None:
    units = enumerate_regions(inst.X)
    for idx in itertools.islice(itertools.product(range(len(units)), repeat=inst.d1), 40):
        _check_region(inst, [units[k] for k in idx])


@pytest.mark.parametrize("proposal", [True, False])
def test_census_sized_regions_with_and_without_the_float_proposal(proposal, monkeypatch) -> None:
    """(3, 3, 9) noise-free and (2, 3, 6) with noise: sampled regions; without the proposal
    every sign choice goes to PPL's exact LP, with the same answers."""
    if not proposal:
        monkeypatch.setattr(motzkin, "motzkin_multipliers", lambda A, c: None)
    lp_calls = []
    exact_lp = motzkin.find_motzkin_certificate
    monkeypatch.setattr(motzkin, "find_motzkin_certificate",
                        lambda *a: lp_calls.append(1) or exact_lp(*a))
    kinds = set()
    for d0, d1, N, noise, seed in ((3, 3, 9, False, 0), (2, 3, 6, True, 2)):
        inst = random_instance(d0, d1, N, "1/2", noise=noise, seed=seed)
        units = enumerate_regions(inst.X)
        rng = random.Random(seed)
        for _ in range(12 if proposal else 4):
            kinds.add(_check_region(inst, [units[rng.randrange(len(units))] for _ in range(d1)]))
    assert False in kinds  # regions without a DLM were certified
    regions = 24 if proposal else 8
    if proposal:  # the float proposal, not the LP, found most certificates
        assert len(lp_calls) < regions * 27 / 4
    else:
        assert len(lp_calls) >= regions


def test_multipliers_are_exact_and_refuse_feasible_systems() -> None:
    # t1 > 0, t2 > 0, -t1 - t2 > -1/2 (feasible) and t1 + t2 < 0 added (empty)
    A = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
    assert motzkin_multipliers(A + [[Fraction(-1), Fraction(-1)]], [0, 0, Fraction(-1, 2)]) is None
    mu = motzkin_multipliers(A + [[Fraction(-1), Fraction(-1)]], [0, 0, 0])
    assert mu is not None and all(m >= 0 for m in mu) and any(mu)
    assert [sum(A2[j] * m for A2, m in zip(A + [[-1, -1]], mu)) for j in range(2)] == [0, 0]
